// Every template of the catalogue: the issued certificate's extensions, read back by Python
// cryptography, match docs/templates.md. Also the CA's own CSR checked by `openssl req -verify`.
#include <boost/test/unit_test.hpp>

#include "pca/policy/templates.hpp"
#include "support/oracle.hpp"
#include "support/pki.hpp"

using namespace pca;

namespace {
std::vector<std::string> usages(std::uint16_t bits) {
    std::vector<std::string> out;
    const char* names[] = {"digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                           "key_agreement",     "key_cert_sign",      "crl_sign"};
    for (unsigned b = 0; b < 7; ++b)
        if (bits & (1u << b)) out.push_back(names[b]);
    return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(policy_templates)

BOOST_AUTO_TEST_CASE(catalogue_has_the_61_service_templates_and_refuses_unknown_arns) {
    BOOST_TEST(policy::template_catalogue().size() == 61u);
    BOOST_TEST(policy::find_template("arn:aws:acm-pca:::template/EndEntityCertificate/V1").name == "EndEntityCertificate");
    for (const char* bad : {"arn:aws:acm-pca:::template/EndEntityCertificate/V2", "arn:aws:acm-pca:us-east-1::template/EndEntityCertificate/V1",
                            "arn:aws:acm-pca:::template/NoSuchTemplate/V1", "EndEntityCertificate", "arn:aws:acm-pca:::template/RootCACertificate_CSRPassthrough/V1"}) {
        BOOST_TEST_INFO(bad);
        BOOST_CHECK_THROW(policy::find_template(bad), invalid_args_exception);
    }
}

BOOST_AUTO_TEST_CASE(ca_csr_verifies_with_openssl_req) {
    certificate_authority_configuration cfg;
    cfg.key_algorithm = key_algorithm::rsa_2048;
    cfg.signing_algorithm = signing_algorithm::sha256_with_rsa_pss;
    cfg.subject = test::subject_cn("CSR Check");
    csr_extensions ce;
    key_usage ku;
    ku.key_cert_sign = true;
    ku.crl_sign = true;
    ce.key_usage = ku;
    access_description ad;
    ad.access_method.access_method_type = access_method_type::ca_repository;
    ad.access_location.uniform_resource_identifier = "rsync://example.com/repo/";
    ce.subject_information_access = std::vector<access_description>{ad};
    cfg.csr_extensions = ce;
    const bytes csr = policy::make_ca_csr(cfg, test::fixture_key(cfg.key_algorithm), test::test_rng());
    test::temp_dir dir;
    test::write_file(dir.file("ca.csr"), csr);
    const auto r = test::run("openssl req -inform DER -in " + test::sh_quote(dir.file("ca.csr")) + " -verify -noout -text");
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output.find("verify OK") != std::string::npos);
    BOOST_TEST(r.output.find("CA:TRUE") != std::string::npos);
    BOOST_TEST(r.output.find("Certificate Sign, CRL Sign") != std::string::npos);
    BOOST_TEST(r.output.find("rsync://example.com/repo/") != std::string::npos);
    const auto described = test::inspect("csr", {dir.file("ca.csr")});
    const auto bc = test::find_ext(described[0], "2.5.29.19");
    BOOST_TEST(bc["critical"] == true);
    BOOST_TEST(bc["ca"] == true);
}

BOOST_AUTO_TEST_CASE(every_template_writes_the_extensions_of_its_table_row) {
    test::test_ca root = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "Template Root");
    auto ctx = root.context();
    revocation_configuration rc;
    crl_configuration crl;
    crl.enabled = true;
    crl.s3_bucket_name = "tmpl-bucket";
    rc.crl_configuration = crl;
    ctx.revocation = rc;
    // A CSR asking for OCSP signing EKU and a custom extension; ApiPassthrough asking for KU+EKU.
    const bytes csr = test::openssl_csr("ee-p256", "/CN=tmpl.example.com",
                                        "-addext subjectAltName=DNS:tmpl.example.com -addext extendedKeyUsage=OCSPSigning "
                                        "-addext 1.2.3.4.5=DER:0500");
    api_passthrough api;
    api.extensions = pca::extensions{};
    key_usage ku;
    ku.digital_signature = true;
    ku.non_repudiation = true;
    api.extensions->key_usage = ku;
    pca::extended_key_usage eku;
    eku.extended_key_usage_type = extended_key_usage_type::email_protection;
    api.extensions->extended_key_usage = std::vector<pca::extended_key_usage>{eku};

    test::temp_dir dir;
    std::vector<std::string> files;
    std::vector<const policy::certificate_template*> order;
    for (const auto& t : policy::template_catalogue()) {
        BOOST_TEST_CONTEXT("template " << t.name) {
            x509::certificate cert = [&] {
                if (!t.root)
                    return test::issue(ctx, *root.key, csr, signing_algorithm::sha256_with_ecdsa, t.name, test::days(30), api);
                // Root templates sign the CA's own CSR while the CA has no certificate yet.
                policy::issuer_context self;
                self.type = certificate_authority_type::root;
                self.key_algorithm = root.alg;
                self.public_key_info_der = root.key->spki_der();
                const bytes own = policy::make_ca_csr(root.config, *root.key, test::test_rng());
                return test::issue(self, *root.key, own, signing_algorithm::sha256_with_ecdsa, t.name, test::days(365), api);
            }();
            const std::string f = dir.file(t.name + ".pem");
            test::write_file(f, byte_view(cert.pem()));
            files.push_back(f);
            order.push_back(&t);
        }
    }
    const auto described = test::inspect("cert", files);
    BOOST_TEST_REQUIRE(described.size() == order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& t = *order[i];
        const auto& d = described[i];
        BOOST_TEST_CONTEXT("template " << t.name) {
            const auto bc = test::find_ext(d, "2.5.29.19");
            BOOST_TEST_REQUIRE(!bc.is_null());
            BOOST_TEST(bc["ca"] == t.ca);
            BOOST_TEST(bc["critical"] == t.basic_constraints_critical);
            if (t.path_len) BOOST_TEST(bc["path_length"] == *t.path_len);
            else BOOST_TEST(bc["path_length"].is_null());
            BOOST_TEST(!test::find_ext(d, "2.5.29.14").is_null());                 // SKI always
            BOOST_TEST(test::find_ext(d, "2.5.29.35").is_null() == !t.authority_key_id);  // AKI
            const auto ku_ext = test::find_ext(d, "2.5.29.15");
            const auto ekus = test::find_ext(d, "2.5.29.37");
            const bool api_used = policy::uses_api(t.kind);
            const bool csr_used = policy::uses_csr(t.kind);
            if (t.key_usage) {
                BOOST_TEST(ku_ext["critical"] == true);
                BOOST_TEST(ku_ext["usages"].get<std::vector<std::string>>() == usages(*t.key_usage), boost::test_tools::per_element());
            } else if (api_used) {
                BOOST_TEST(ku_ext["usages"].get<std::vector<std::string>>() ==
                               (std::vector<std::string>{"digital_signature", "content_commitment"}),
                           boost::test_tools::per_element());
            } else {
                BOOST_TEST(ku_ext.is_null());
            }
            std::vector<std::string> want_eku;
            bool want_eku_critical = t.extended_key_usage_critical;
            for (const auto& o : t.extended_key_usage) want_eku.push_back(o.to_string());
            if (t.extended_key_usage.empty()) {  // not fixed by the template: passthrough fills it
                if (api_used) want_eku = {"1.3.6.1.5.5.7.3.4"};
                else if (csr_used) want_eku = {"1.3.6.1.5.5.7.3.9"};
            }
            if (want_eku.empty()) {
                BOOST_TEST(ekus.is_null());
            } else {
                BOOST_TEST_REQUIRE(!ekus.is_null());
                BOOST_TEST(ekus["purposes"].get<std::vector<std::string>>() == want_eku, boost::test_tools::per_element());
                BOOST_TEST(ekus["critical"] == want_eku_critical);
            }
            BOOST_TEST(test::find_ext(d, "2.5.29.31").is_null() == !t.crl_distribution_point);  // CDP from CA config
            BOOST_TEST(test::find_ext(d, "1.2.3.4.5").is_null() == !csr_used);                   // CSR passthrough only
            if (!t.root) BOOST_TEST(!test::find_ext(d, "2.5.29.17").is_null());                   // SAN from the CSR
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
