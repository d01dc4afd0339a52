// ImportCertificateAuthorityCertificate checks (policy::check_ca_certificate_import) on real
// hierarchies:
//   - OpenSSL CLI: root (RSA-3072) -> intermediate (P-521) -> pca subordinate (P-256 fixture key,
//     CSR made by policy::make_ca_csr, signed by `openssl x509 -req` with an extfile);
//   - pca only: root (P-384) -> subordinate (RSA-2048) -> subordinate (P-256), built with
//     tests/support/pki.hpp;
//   - a few certificates built with x509::tbs_certificate when a case needs DER that neither
//     OpenSSL nor the templates make (duplicate extension, six levels).
// Each rule of docs/import.md is broken once and must be refused with the documented exception
// type and a message naming the problem; accepted chains are also verified by `openssl verify`.
#include <boost/test/unit_test.hpp>

#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pca/der/pem.hpp"
#include "pca/policy/ca_csr.hpp"
#include "pca/policy/import_check.hpp"
#include "pca/x509/api_shapes.hpp"
#include "pca/x509/builder.hpp"
#include "support/pki.hpp"
#include "support/tools.hpp"

namespace {
using namespace pca;
using policy::check_ca_certificate_import;
using policy::import_context;

bool contains(const std::string& s, const std::string& fragment) { return s.find(fragment) != std::string::npos; }

/// Runs `f` and checks it throws exactly `E` with every fragment in its message.
template <class E>
void expect_refused(const std::function<void()>& f, const std::vector<std::string>& fragments) {
    const std::string expected(aws_exception_name(E::value));
    try {
        f();
        BOOST_ERROR("accepted; expected " << expected);
    } catch (const E& e) {
        BOOST_TEST_MESSAGE("refused as expected: " << e.what());
        for (const auto& fr : fragments) {
            BOOST_TEST_INFO("message: " << e.what());
            BOOST_TEST(contains(e.what(), fr), "message lacks '" << fr << "'");
        }
    } catch (const pca::error& e) {
        BOOST_ERROR("expected " << expected << ", got " << e.aws_name() << ": " << e.what());
    } catch (const std::exception& e) {
        BOOST_ERROR("expected " << expected << ", got a non-pca exception: " << e.what());
    }
}

sys_seconds now_seconds() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

import_context sub_context(const bytes& spki, sys_seconds now = now_seconds()) {
    import_context c;
    c.type = certificate_authority_type::subordinate;
    c.csr_public_key_info_der = spki;
    c.now = now;
    return c;
}
import_context root_context(const bytes& spki, sys_seconds now = now_seconds()) {
    import_context c = sub_context(spki, now);
    c.type = certificate_authority_type::root;
    return c;
}

std::string pems(const std::vector<const x509::certificate*>& certs) {
    std::string out;
    for (const auto* c : certs) out += c->pem();
    return out;
}

policy::import_result import_sub(const std::string& cert, const std::string& chain, const import_context& ctx) {
    return check_ca_certificate_import(byte_view(cert), byte_view(chain), ctx);
}

// ---- the OpenSSL hierarchy -------------------------------------------------------------------

const char* const openssl_config = R"(
[req]
distinguished_name = dn
[dn]
[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_inter]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:http://pki.example.com/root.crt
crlDistributionPoints = URI:http://pki.example.com/root.crl
[v3_inter_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
[v3_inter_critical_aia]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
authorityInfoAccess = critical, caIssuers;URI:http://pki.example.com/root.crt
[v3_sub]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = caIssuers;URI:http://pki.example.com/inter.crt
crlDistributionPoints = URI:http://pki.example.com/inter.crl
[v3_sub_critical_aia]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
authorityInfoAccess = critical, caIssuers;URI:http://pki.example.com/inter.crt
[v3_sub_critical_cdp]
basicConstraints = critical, CA:TRUE, pathlen:0
crlDistributionPoints = critical, URI:http://pki.example.com/inter.crl
[v3_sub_critical_policy_constraints]
basicConstraints = critical, CA:TRUE, pathlen:0
policyConstraints = critical, requireExplicitPolicy:0
[v3_sub_critical_unknown]
basicConstraints = critical, CA:TRUE, pathlen:0
1.3.6.1.4.1.99999.42 = critical, ASN1:UTF8String:must understand
[v3_sub_noncritical_unknown]
basicConstraints = critical, CA:TRUE, pathlen:0
1.3.6.1.4.1.99999.42 = ASN1:UTF8String:may ignore
[v3_sub_bc_noncritical]
basicConstraints = CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
[v3_sub_no_bc]
keyUsage = critical, keyCertSign, cRLSign
[v3_sub_ca_false]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
[v3_sub_ku_no_cert_sign]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, digitalSignature, cRLSign
[v3_sub_constrained]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:.corp.example.com, permitted;email:.corp.example.com, excluded;IP:10.0.0.0/255.0.0.0
certificatePolicies = critical, 1.3.6.1.4.1.99999.1.1, 2.5.29.32.0
policyMappings = critical, 1.3.6.1.4.1.99999.1.1:1.3.6.1.4.1.99999.2.1
inhibitAnyPolicy = critical, 1
extendedKeyUsage = critical, serverAuth, clientAuth
subjectAltName = critical, DNS:ca.corp.example.com
issuerAltName = critical, DNS:inter.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
)";

class openssl_hierarchy {
public:
    openssl_hierarchy() {
        test::write_file(m_dir.file("openssl.cnf"), byte_view(std::string(openssl_config)));
        // root: self-signed by the RSA-3072 fixture key
        openssl("req -x509 -new -key " + key("rsa3072") + " -subj '/C=US/O=Example Corp/CN=Example Root CA' -days 3650 -sha256 -config " +
                cnf() + " -extensions v3_root -out " + path("root.pem"));
        root = load("root.pem");
        // intermediate: P-521 fixture key, signed by the root
        openssl("req -new -key " + key("p521") + " -subj '/C=US/O=Example Corp/CN=Example Intermediate CA' -config " + cnf() +
                " -out " + path("inter.csr"));
        inter = sign_inter("v3_inter", "inter.pem", 1825);
        // the pca subordinate: P-256 fixture key, CSR from policy::make_ca_csr
        certificate_authority_configuration config;
        config.key_algorithm = key_algorithm::ec_prime256v1;
        config.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        config.subject = test::subject_cn("pca Subordinate CA");
        const bytes csr = policy::make_ca_csr(config, test::fixture_key(key_algorithm::ec_prime256v1), test::test_rng());
        test::write_file(file("sub.csr"), byte_view(der::pem_encode("CERTIFICATE REQUEST", csr)));
        sub_spki = test::fixture_key(key_algorithm::ec_prime256v1).spki_der();
        sub = sign_sub("v3_sub");
    }

    std::string file(const std::string& name) const { return m_dir.file(name); }
    std::string path(const std::string& name) const { return test::sh_quote(m_dir.file(name)); }

    /// The pca subordinate's CSR signed by the intermediate (or `signer`) with an extfile section.
    x509::certificate sign_sub(const std::string& section, int days = 365, const std::string& signer_pem = "inter.pem",
                               const std::string& signer_key = "p521") {
        const std::string out = "sub-" + section + "-" + std::to_string(++m_serial) + ".pem";
        openssl("x509 -req -in " + path("sub.csr") + " -CA " + path(signer_pem) + " -CAkey " + key(signer_key) +
                " -set_serial " + std::to_string(1000 + m_serial) + " -days " + std::to_string(days) + " -sha384 -extfile " +
                cnf() + " -extensions " + section + " -out " + path(out));
        return load(out);
    }

    /// The intermediate's CSR signed by the root with an extfile section.
    x509::certificate sign_inter(const std::string& section, const std::string& out, int days) {
        openssl("x509 -req -in " + path("inter.csr") + " -CA " + path("root.pem") + " -CAkey " + key("rsa3072") +
                " -set_serial " + std::to_string(100 + ++m_serial) + " -days " + std::to_string(days) +
                " -sha256 -extfile " + cnf() + " -extensions " + section + " -out " + path(out));
        return load(out);
    }

    /// `openssl verify -x509_strict` of `leaf` against root + untrusted intermediates.
    test::command_result verify(const x509::certificate& leaf, const std::vector<const x509::certificate*>& untrusted) {
        const std::string n = std::to_string(++m_serial);
        test::write_file(m_dir.file("leaf" + n + ".pem"), byte_view(leaf.pem()));
        test::write_file(m_dir.file("untrusted" + n + ".pem"), byte_view(pems(untrusted)));
        return test::run("openssl verify -x509_strict -CAfile " + path("root.pem") + " -untrusted " +
                         path("untrusted" + n + ".pem") + " " + path("leaf" + n + ".pem"));
    }

    x509::certificate load(const std::string& name) const {
        return x509::certificate::parse_pem(test::read_text(m_dir.file(name)));
    }

    std::optional<x509::certificate> root, inter, sub;
    bytes sub_spki;

private:
    static std::string key(const std::string& name) { return test::sh_quote(test::key_fixture_path(name)); }
    std::string cnf() const { return path("openssl.cnf"); }
    static void openssl(const std::string& args) {
        const auto r = test::run("openssl " + args);
        if (r.exit_code != 0) throw std::runtime_error("openssl " + args + " failed: " + r.output);
    }

    test::temp_dir m_dir;
    int m_serial = 0;
};

openssl_hierarchy& ossl() {
    static openssl_hierarchy h;
    return h;
}

// ---- the pca hierarchy -----------------------------------------------------------------------

test::test_ca make_sub(const test::test_ca& parent, key_algorithm alg, signing_algorithm sig, const std::string& cn,
                       const std::string& template_name, std::int64_t days) {
    test::test_ca ca;
    ca.alg = alg;
    ca.key = &test::fixture_key(alg);
    ca.config.key_algorithm = alg;
    ca.config.signing_algorithm = sig;
    ca.config.subject = test::subject_cn(cn);
    const bytes csr = policy::make_ca_csr(ca.config, *ca.key, test::test_rng());
    ca.certificate = test::issue(parent.context(), *parent.key, csr, parent.config.signing_algorithm, template_name,
                                 test::days(days));
    ca.chain_length = parent.chain_length + 1;
    return ca;
}

struct pca_hierarchy {
    test::test_ca root = test::make_root(key_algorithm::ec_secp384r1, signing_algorithm::sha384_with_ecdsa, "pca Root CA");
    test::test_ca sub1 = make_sub(root, key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa, "pca Issuing CA 1",
                                  "SubordinateCACertificate_PathLen1", 1825);
    test::test_ca sub2 = make_sub(sub1, key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa,
                                  "pca Issuing CA 2", "SubordinateCACertificate_PathLen0", 365);
};

pca_hierarchy& pca_pki() {
    static pca_hierarchy h;
    return h;
}

/// A certificate built field by field (for DER the templates and OpenSSL do not make).
bytes raw_cert_der(const x509::certificate& issuer, const crypto::private_key& issuer_key, signing_algorithm alg,
                   const std::string& cn, const bytes& spki, std::vector<x509::extension> exts,
                   std::chrono::seconds lifetime = std::chrono::hours(24 * 30)) {
    x509::tbs_certificate tbs;
    tbs.serial = policy::new_serial(test::test_rng());
    tbs.algorithm = alg;
    tbs.issuer_der = issuer.subject().der();
    tbs.not_before = issuer.not_before();
    tbs.not_after = std::min(issuer.not_after(), now_seconds() + lifetime);
    tbs.subject_der = x509::to_name(test::subject_cn(cn)).der();
    tbs.public_key_info_der = spki;
    tbs.extensions = std::move(exts);
    return x509::sign_certificate(tbs, issuer_key, test::test_rng());
}
x509::certificate raw_cert(const x509::certificate& issuer, const crypto::private_key& issuer_key, signing_algorithm alg,
                           const std::string& cn, const bytes& spki, std::vector<x509::extension> exts) {
    return x509::certificate::parse(raw_cert_der(issuer, issuer_key, alg, cn, spki, std::move(exts)));
}

std::vector<x509::extension> ca_extensions(std::optional<std::int64_t> path_len = std::nullopt) {
    return {x509::basic_constraints{true, path_len}.to_extension(true),
            x509::key_usage{x509::key_usage::key_cert_sign | x509::key_usage::crl_sign}.to_extension(true)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_import)

// ---- accepted ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(accepts_pca_subordinate_under_openssl_root_and_intermediate) {
    auto& h = ossl();
    const std::string chain = pems({&*h.inter, &*h.root});
    const auto r = import_sub(h.sub->pem(), chain, sub_context(h.sub_spki));
    BOOST_TEST((r.certificate == *h.sub));
    BOOST_REQUIRE(r.chain.size() == 2u);
    BOOST_TEST((r.chain[0] == *h.inter));
    BOOST_TEST((r.chain[1] == *h.root));
    // the outside oracle agrees that this is a valid path
    const auto v = h.verify(*h.sub, {&*h.inter});
    BOOST_TEST_INFO(v.output);
    BOOST_TEST(v.exit_code == 0);
    // the intermediate itself imports as a subordinate, the root as a root
    BOOST_CHECK_NO_THROW(import_sub(h.inter->pem(), h.root->pem(),
                                    sub_context(test::fixture_key(key_algorithm::ec_secp521r1).spki_der())));
    const auto rr = check_ca_certificate_import(byte_view(h.root->pem()), std::nullopt,
                                                root_context(test::fixture_key(key_algorithm::rsa_3072).spki_der()));
    BOOST_TEST(rr.chain.empty());
}

BOOST_AUTO_TEST_CASE(accepts_pca_root_pca_subordinate_pca_subordinate) {
    auto& p = pca_pki();
    const auto root = check_ca_certificate_import(byte_view(p.root.certificate->pem()), std::nullopt,
                                                  root_context(p.root.key->spki_der()));
    BOOST_TEST((root.certificate == *p.root.certificate));
    // an empty chain (zero bytes) is the same as no chain for a root
    BOOST_CHECK_NO_THROW(check_ca_certificate_import(byte_view(p.root.certificate->pem()), byte_view(std::string()),
                                                     root_context(p.root.key->spki_der())));
    const auto s1 = import_sub(p.sub1.certificate->pem(), p.root.certificate->pem(), sub_context(p.sub1.key->spki_der()));
    BOOST_TEST(s1.chain.size() == 1u);
    const auto s2 = import_sub(p.sub2.certificate->pem(), pems({&*p.sub1.certificate, &*p.root.certificate}),
                               sub_context(p.sub2.key->spki_der()));
    BOOST_TEST(s2.chain.size() == 2u);
    BOOST_TEST((s2.chain[0] == *p.sub1.certificate));
}

BOOST_AUTO_TEST_CASE(accepts_critical_name_constraints_and_policy_extensions) {
    // Enterprise CA certificates often carry critical NameConstraints and policy extensions;
    // mbedTLS cannot parse them, pca's strict parser can, and AWS allows them critical.
    auto& h = ossl();
    const x509::certificate constrained = h.sign_sub("v3_sub_constrained");
    for (const auto& id : {der::oids::name_constraints, der::oids::certificate_policies, der::oids::policy_mappings,
                           der::oids::inhibit_any_policy, der::oids::extended_key_usage, der::oids::subject_alt_name,
                           der::oids::issuer_alt_name}) {
        const x509::extension* e = constrained.find_extension(id);
        BOOST_REQUIRE(e);
        BOOST_TEST(e->critical);
    }
    const auto r = import_sub(constrained.pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki));
    BOOST_TEST((r.certificate == constrained));

    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    const int rc = mbedtls_x509_crt_parse_der(&crt, constrained.der().data(), constrained.der().size());
    mbedtls_x509_crt_free(&crt);
    BOOST_TEST_MESSAGE("mbedTLS " << MBEDTLS_VERSION_STRING << " mbedtls_x509_crt_parse_der on the same certificate: -0x"
                                  << std::hex << -rc << std::dec << (rc == 0 ? " (accepted)" : " (refused)"));
}

BOOST_AUTO_TEST_CASE(accepts_a_non_critical_unknown_extension) {
    auto& h = ossl();
    const x509::certificate c = h.sign_sub("v3_sub_noncritical_unknown");
    BOOST_CHECK_NO_THROW(import_sub(c.pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)));
}

BOOST_AUTO_TEST_CASE(accepts_five_levels_and_refuses_six) {
    auto& p = pca_pki();
    // root -> PathLen3 -> PathLen2 -> PathLen1 -> PathLen0: five levels
    const auto l2 = make_sub(p.root, key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa, "pca level 2",
                             "SubordinateCACertificate_PathLen3", 1825);
    const auto l3 = make_sub(l2, key_algorithm::rsa_3072, signing_algorithm::sha256_with_rsa, "pca level 3",
                             "SubordinateCACertificate_PathLen2", 1500);
    const auto l4 = make_sub(l3, key_algorithm::rsa_4096, signing_algorithm::sha256_with_rsa, "pca level 4",
                             "SubordinateCACertificate_PathLen1", 1200);
    const auto l5 = make_sub(l4, key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "pca level 5",
                             "SubordinateCACertificate_PathLen0", 900);
    const std::string chain4 = pems({&*l4.certificate, &*l3.certificate, &*l2.certificate, &*p.root.certificate});
    const auto r = import_sub(l5.certificate->pem(), chain4, sub_context(l5.key->spki_der()));
    BOOST_TEST(r.chain.size() == 4u);
    // a sixth level (pca's issuance refuses to make it; build it by hand)
    const x509::certificate l6 = raw_cert(*l5.certificate, *l5.key, signing_algorithm::sha256_with_ecdsa, "pca level 6",
                                          test::fixture_key(key_algorithm::ec_secp521r1).spki_der(), ca_extensions());
    expect_refused<invalid_request_exception>(
        [&] {
            import_sub(l6.pem(), l5.certificate->pem() + chain4,
                       sub_context(test::fixture_key(key_algorithm::ec_secp521r1).spki_der()));
        },
        {"CertificateChain holds 5 PEM blocks", "6 levels", "at most 5"});
}

BOOST_AUTO_TEST_CASE(accepts_a_certificate_that_is_not_yet_valid) {
    // Decision (docs/import.md): not-yet-valid certificates import; only expiry is refused.
    auto& h = ossl();
    const sys_seconds before = h.root->not_before() - std::chrono::hours(24 * 30);
    BOOST_CHECK_NO_THROW(import_sub(h.sub->pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki, before)));
}

BOOST_AUTO_TEST_CASE(reimport_for_the_same_key_and_subject_is_accepted) {
    auto& h = ossl();
    const x509::certificate renewed = h.sign_sub("v3_sub", 700);
    BOOST_TEST(!(renewed == *h.sub));
    import_context ctx = sub_context(h.sub_spki);
    ctx.current = &*h.sub;
    const auto r = import_sub(renewed.pem(), pems({&*h.inter, &*h.root}), ctx);
    BOOST_TEST((r.certificate == renewed));
    // the same certificate again is fine too
    BOOST_CHECK_NO_THROW(import_sub(h.sub->pem(), pems({&*h.inter, &*h.root}), ctx));
}

BOOST_AUTO_TEST_CASE(accepts_pem_with_text_around_the_blocks_and_crlf) {
    auto& h = ossl();
    std::string cert = "subject=" + h.sub->subject().to_string() + "\r\n" + h.sub->pem();
    std::string chain = "intermediate:\n" + h.inter->pem() + "\nroot:\n" + h.root->pem() + "\n";
    std::string crlf;
    for (char c : chain) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    BOOST_CHECK_NO_THROW(import_sub(cert, crlf, sub_context(h.sub_spki)));
}

// ---- refused: sizes and encoding ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_oversized_certificate_and_chain) {
    auto& h = ossl();
    const std::string chain = pems({&*h.inter, &*h.root});
    // exactly at the limit: accepted (text outside PEM blocks is ignored)
    std::string at_limit = h.sub->pem();
    at_limit.append(policy::max_import_certificate_size - at_limit.size(), '\n');
    BOOST_CHECK_NO_THROW(import_sub(at_limit, chain, sub_context(h.sub_spki)));
    expect_refused<validation_exception>([&] { import_sub(at_limit + "\n", chain, sub_context(h.sub_spki)); },
                                         {"Certificate is 32769 bytes", "32768"});
    std::string big_chain = chain;
    big_chain.append(policy::max_import_chain_size - big_chain.size(), ' ');
    BOOST_CHECK_NO_THROW(import_sub(h.sub->pem(), big_chain, sub_context(h.sub_spki)));
    expect_refused<validation_exception>([&] { import_sub(h.sub->pem(), big_chain + " ", sub_context(h.sub_spki)); },
                                         {"CertificateChain is 2097153 bytes", "2097152"});
    expect_refused<validation_exception>([&] { import_sub("", chain, sub_context(h.sub_spki)); }, {"Certificate is empty"});
}

BOOST_AUTO_TEST_CASE(refuses_garbage_pem) {
    auto& h = ossl();
    const std::string chain = pems({&*h.inter, &*h.root});
    const auto ctx = sub_context(h.sub_spki);
    expect_refused<malformed_certificate_exception>([&] { import_sub("hello, I am a certificate", chain, ctx); },
                                                    {"Certificate: no PEM block found", "PEM-encoded"});
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub("-----BEGIN CERTIFICATE-----\nMIIB*notbase64*\n-----END CERTIFICATE-----\n", chain, ctx); },
        {"Certificate: not a valid PEM block (CERTIFICATE): invalid base64"});
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub("-----BEGIN CERTIFICATE-----\nMIIBAAAA\n", chain, ctx); }, {"Certificate", "missing END line"});
    // valid base64 that is not a certificate
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(der::pem_encode("CERTIFICATE", bytes{0x30, 0x03, 0x02, 0x01, 0x01}), chain, ctx); },
        {"Certificate: not a valid DER X.509 certificate"});
    // a CSR is not a certificate
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(test::read_text(h.file("sub.csr")), chain, ctx); },
        {"Certificate: PEM label is 'CERTIFICATE REQUEST'"});
    // a trailing byte after the certificate's DER
    bytes trailing = h.sub->der();
    trailing.push_back(0);
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(der::pem_encode("CERTIFICATE", trailing), chain, ctx); }, {"Certificate: not a valid DER"});
    // the certificate field holds two certificates
    expect_refused<malformed_certificate_exception>([&] { import_sub(h.sub->pem() + h.inter->pem(), chain, ctx); },
                                                    {"Certificate: holds 2 PEM blocks"});
    // garbage in the second chain block names the block
    const std::string bad_block2 = h.inter->pem() + "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    expect_refused<malformed_certificate_exception>([&] { import_sub(h.sub->pem(), bad_block2, ctx); },
                                                    {"CertificateChain block 2", "invalid base64"});
    bytes truncated = h.root->der();
    truncated.resize(truncated.size() - 10);
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sub->pem(), h.inter->pem() + der::pem_encode("CERTIFICATE", truncated), ctx); },
        {"CertificateChain block 2: not a valid DER X.509 certificate"});
    expect_refused<malformed_certificate_exception>([&] { import_sub(h.sub->pem(), "\n\n", ctx); },
                                                    {"CertificateChain: no PEM block found"});
}

BOOST_AUTO_TEST_CASE(refuses_der_instead_of_pem) {
    auto& h = ossl();
    const auto ctx = sub_context(h.sub_spki);
    const std::string der_cert(h.sub->der().begin(), h.sub->der().end());
    expect_refused<malformed_certificate_exception>([&] { import_sub(der_cert, pems({&*h.inter, &*h.root}), ctx); },
                                                    {"Certificate: looks like binary DER, not PEM"});
    const std::string der_chain(h.inter->der().begin(), h.inter->der().end());
    expect_refused<malformed_certificate_exception>([&] { import_sub(h.sub->pem(), der_chain, ctx); },
                                                    {"CertificateChain: looks like binary DER, not PEM"});
}

BOOST_AUTO_TEST_CASE(refuses_duplicate_extensions) {
    auto& p = pca_pki();
    auto exts = ca_extensions();
    exts.push_back(x509::basic_constraints{true, 0}.to_extension(true));
    const bytes dup = raw_cert_der(*p.sub1.certificate, *p.sub1.key, signing_algorithm::sha256_with_rsa, "dup",
                                   test::fixture_key(key_algorithm::ec_prime256v1).spki_der(), exts);
    expect_refused<malformed_certificate_exception>(
        [&] {
            import_sub(der::pem_encode("CERTIFICATE", dup), pems({&*p.sub1.certificate, &*p.root.certificate}),
                       sub_context(test::fixture_key(key_algorithm::ec_prime256v1).spki_der()));
        },
        {"Certificate: not a valid DER X.509 certificate", "duplicate extension 2.5.29.19"});
}

// ---- refused: request shape, self-signed -------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_self_signed_subordinate) {
    auto& h = ossl();
    expect_refused<invalid_request_exception>(
        [&] { import_sub(h.root->pem(), h.root->pem(), sub_context(test::fixture_key(key_algorithm::rsa_3072).spki_der())); },
        {"self-signed certificate cannot be imported as a SUBORDINATE CA"});
}

BOOST_AUTO_TEST_CASE(refuses_non_self_signed_root) {
    auto& h = ossl();
    expect_refused<invalid_request_exception>(
        [&] { check_ca_certificate_import(byte_view(h.sub->pem()), std::nullopt, root_context(h.sub_spki)); },
        {"Certificate is not self-signed", "differs from its subject", "ROOT CA"});
    // issuer == subject, but signed by another key
    auto& p = pca_pki();
    x509::tbs_certificate tbs;
    tbs.serial = policy::new_serial(test::test_rng());
    tbs.algorithm = signing_algorithm::sha256_with_rsa;
    tbs.issuer_der = tbs.subject_der = x509::to_name(test::subject_cn("forged root")).der();
    tbs.not_before = now_seconds() - std::chrono::hours(1);
    tbs.not_after = now_seconds() + std::chrono::hours(24 * 365);
    tbs.public_key_info_der = test::fixture_key(key_algorithm::ec_prime256v1).spki_der();
    tbs.extensions = ca_extensions();
    const auto forged = x509::certificate::parse(x509::sign_certificate(tbs, *p.sub1.key, test::test_rng()));
    BOOST_TEST(forged.is_self_issued());
    expect_refused<invalid_request_exception>(
        [&] {
            check_ca_certificate_import(byte_view(forged.pem()), std::nullopt,
                                        root_context(test::fixture_key(key_algorithm::ec_prime256v1).spki_der()));
        },
        {"Certificate is not self-signed", "does not verify with its own public key"});
}

BOOST_AUTO_TEST_CASE(refuses_root_with_chain_and_subordinate_without_chain) {
    auto& p = pca_pki();
    expect_refused<invalid_request_exception>(
        [&] {
            check_ca_certificate_import(byte_view(p.root.certificate->pem()), byte_view(p.root.certificate->pem()),
                                        root_context(p.root.key->spki_der()));
        },
        {"CertificateChain must be absent", "ROOT"});
    expect_refused<invalid_request_exception>(
        [&] {
            check_ca_certificate_import(byte_view(p.sub1.certificate->pem()), std::nullopt,
                                        sub_context(p.sub1.key->spki_der()));
        },
        {"CertificateChain is required", "SUBORDINATE"});
    expect_refused<invalid_request_exception>(
        [&] { import_sub(p.sub1.certificate->pem(), "", sub_context(p.sub1.key->spki_der())); },
        {"CertificateChain is required"});
}

// ---- refused: chain order ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_reordered_chain) {
    auto& h = ossl();
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.root, &*h.inter}), sub_context(h.sub_spki)); },
        {"CertificateChain block 1 does not issue Certificate", "CertificateChain block 2 has that subject", "out of order"});
    auto& p = pca_pki();
    expect_refused<certificate_mismatch_exception>(
        [&] {
            import_sub(p.sub2.certificate->pem(), pems({&*p.root.certificate, &*p.sub1.certificate}),
                       sub_context(p.sub2.key->spki_der()));
        },
        {"block 1 does not issue Certificate", "out of order"});
}

BOOST_AUTO_TEST_CASE(refuses_missing_link) {
    auto& h = ossl();
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(h.sub->pem(), h.root->pem(), sub_context(h.sub_spki)); },
        {"CertificateChain block 1 does not issue Certificate", "Example Intermediate CA", "a link of the chain is missing"});
    // the root is missing at the top
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(h.sub->pem(), h.inter->pem(), sub_context(h.sub_spki)); },
        {"CertificateChain block 1 is the last certificate of the chain but not a self-signed root"});
    // a link missing in the middle: pca root -> sub1 -> sub2 -> l4, chain without sub1
    auto& p = pca_pki();
    const x509::certificate l4 = raw_cert(*p.sub2.certificate, *p.sub2.key, signing_algorithm::sha256_with_ecdsa, "level 4",
                                          test::fixture_key(key_algorithm::ec_secp521r1).spki_der(), ca_extensions());
    expect_refused<certificate_mismatch_exception>(
        [&] {
            import_sub(l4.pem(), pems({&*p.sub2.certificate, &*p.root.certificate}),
                       sub_context(test::fixture_key(key_algorithm::ec_secp521r1).spki_der()));
        },
        {"CertificateChain block 2 does not issue CertificateChain block 1", "pca Issuing CA 1",
         "a link of the chain is missing"});
}

BOOST_AUTO_TEST_CASE(refuses_extra_certificate_after_the_root) {
    auto& h = ossl();
    auto& p = pca_pki();
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.inter, &*h.root, &*p.root.certificate}), sub_context(h.sub_spki)); },
        {"CertificateChain block 2 is a self-signed root, but 1 more certificate(s) follow it"});
}

BOOST_AUTO_TEST_CASE(refuses_duplicated_chain_certificate) {
    auto& h = ossl();
    expect_refused<invalid_request_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.inter, &*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"CertificateChain block 2 duplicates block 1"});
    expect_refused<invalid_request_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.inter, &*h.root, &*h.root}), sub_context(h.sub_spki)); },
        {"CertificateChain block 3 duplicates block 2"});
}

BOOST_AUTO_TEST_CASE(refuses_chain_containing_the_imported_certificate) {
    auto& h = ossl();
    expect_refused<invalid_request_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.sub, &*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"CertificateChain block 1 is the certificate being imported"});
    expect_refused<invalid_request_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.inter, &*h.root, &*h.sub}), sub_context(h.sub_spki)); },
        {"CertificateChain block 3 is the certificate being imported"});
}

BOOST_AUTO_TEST_CASE(refuses_signature_that_does_not_verify) {
    auto& h = ossl();
    // an intermediate with the same name as the real one, but another key
    const std::string impostor_csr = h.path("impostor.csr");
    auto r = test::run("openssl req -new -key " + test::sh_quote(test::key_fixture_path("p384")) +
                       " -subj '/C=US/O=Example Corp/CN=Example Intermediate CA' -config " + h.path("openssl.cnf") +
                       " -out " + impostor_csr);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    r = test::run("openssl x509 -req -in " + impostor_csr + " -CA " + h.path("root.pem") + " -CAkey " +
                  test::sh_quote(test::key_fixture_path("rsa3072")) + " -set_serial 77 -days 1000 -extfile " +
                  h.path("openssl.cnf") + " -extensions v3_inter -out " + h.path("impostor.pem"));
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    const x509::certificate impostor = h.load("impostor.pem");
    BOOST_TEST((impostor.subject() == h.inter->subject()));
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(h.sub->pem(), pems({&impostor, &*h.root}), sub_context(h.sub_spki)); },
        {"Certificate: its signature does not verify with the public key of CertificateChain block 1"});
    // a flipped bit in the imported certificate's signature
    bytes tampered = h.sub->der();
    tampered[tampered.size() - 5] ^= 0x01;
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(der::pem_encode("CERTIFICATE", tampered), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"its signature does not verify"});
}

BOOST_AUTO_TEST_CASE(refuses_parent_validity_not_covering_the_child) {
    auto& h = ossl();
    const x509::certificate long_lived = h.sign_sub("v3_sub", 3000);  // intermediate lives 1825 days
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(long_lived.pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"CertificateChain block 1: its validity", "does not cover the validity of Certificate"});
}

// ---- refused: extensions -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_critical_authority_info_access) {
    auto& h = ossl();
    const std::string chain = pems({&*h.inter, &*h.root});
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_critical_aia").pem(), chain, sub_context(h.sub_spki)); },
        {"Certificate: AuthorityInfoAccess (1.3.6.1.5.5.7.1.1) is marked critical"});
    // on a chain certificate, the message names the block
    const x509::certificate bad_inter = h.sign_inter("v3_inter_critical_aia", "inter-aia.pem", 1825);
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sub->pem(), pems({&bad_inter, &*h.root}), sub_context(h.sub_spki)); },
        {"CertificateChain block 1: AuthorityInfoAccess", "critical"});
}

BOOST_AUTO_TEST_CASE(refuses_other_extensions_aws_refuses_critical) {
    auto& h = ossl();
    const std::string chain = pems({&*h.inter, &*h.root});
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_critical_cdp").pem(), chain, sub_context(h.sub_spki)); },
        {"Certificate: CRLDistributionPoints (2.5.29.31) is marked critical"});
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_critical_policy_constraints").pem(), chain, sub_context(h.sub_spki)); },
        {"Certificate: PolicyConstraints (2.5.29.36) is marked critical"});
}

BOOST_AUTO_TEST_CASE(refuses_critical_unknown_extension) {
    auto& h = ossl();
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_critical_unknown").pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"Certificate: unknown extension 1.3.6.1.4.1.99999.42 is marked critical"});
}

BOOST_AUTO_TEST_CASE(refuses_non_critical_basic_constraints) {
    auto& h = ossl();
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_bc_noncritical").pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"Certificate: BasicConstraints is not marked critical"});
}

BOOST_AUTO_TEST_CASE(refuses_missing_basic_constraints) {
    auto& h = ossl();
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_no_bc").pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"Certificate: BasicConstraints is missing"});
}

BOOST_AUTO_TEST_CASE(refuses_ca_false) {
    auto& h = ossl();
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_ca_false").pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"Certificate: BasicConstraints cA is FALSE"});
}

BOOST_AUTO_TEST_CASE(refuses_key_usage_without_key_cert_sign) {
    auto& h = ossl();
    expect_refused<malformed_certificate_exception>(
        [&] { import_sub(h.sign_sub("v3_sub_ku_no_cert_sign").pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki)); },
        {"Certificate: KeyUsage does not include keyCertSign"});
}

BOOST_AUTO_TEST_CASE(refuses_path_length_too_small) {
    auto& h = ossl();
    const x509::certificate inter0 = h.sign_inter("v3_inter_pathlen0", "inter-pathlen0.pem", 1825);
    const x509::certificate sub = h.sign_sub("v3_sub", 365, "inter-pathlen0.pem");
    expect_refused<certificate_mismatch_exception>(
        [&] { import_sub(sub.pem(), pems({&inter0, &*h.root}), sub_context(h.sub_spki)); },
        {"CertificateChain block 1 has pathLenConstraint 0", "1 CA certificate(s) follow it"});
    // deeper in the pca hierarchy: sub2 was issued with SubordinateCACertificate_PathLen0
    auto& p = pca_pki();
    const x509::certificate l4 = raw_cert(*p.sub2.certificate, *p.sub2.key, signing_algorithm::sha256_with_ecdsa, "too deep",
                                          test::fixture_key(key_algorithm::ec_secp521r1).spki_der(), ca_extensions());
    expect_refused<certificate_mismatch_exception>(
        [&] {
            import_sub(l4.pem(), pems({&*p.sub2.certificate, &*p.sub1.certificate, &*p.root.certificate}),
                       sub_context(test::fixture_key(key_algorithm::ec_secp521r1).spki_der()));
        },
        {"CertificateChain block 1 has pathLenConstraint 0"});
}

// ---- refused: key, expiry, re-import -----------------------------------------------------

BOOST_AUTO_TEST_CASE(refuses_wrong_key) {
    auto& h = ossl();
    expect_refused<certificate_mismatch_exception>(
        [&] {
            import_sub(h.sub->pem(), pems({&*h.inter, &*h.root}),
                       sub_context(test::fixture_key(key_algorithm::rsa_4096).spki_der()));
        },
        {"Certificate: its public key does not match the public key of the CA's CSR"});
    auto& p = pca_pki();
    expect_refused<certificate_mismatch_exception>(
        [&] {
            check_ca_certificate_import(byte_view(p.root.certificate->pem()), std::nullopt,
                                        root_context(test::fixture_key(key_algorithm::ec_prime256v1).spki_der()));
        },
        {"does not match the public key of the CA's CSR"});
}

BOOST_AUTO_TEST_CASE(refuses_expired_certificate) {
    auto& h = ossl();
    const sys_seconds later = h.sub->not_after() + std::chrono::seconds(1);
    expect_refused<invalid_request_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki, later)); },
        {"Certificate: expired at " + to_iso8601(h.sub->not_after())});
    // at exactly notAfter the certificate has ended
    expect_refused<invalid_request_exception>(
        [&] { import_sub(h.sub->pem(), pems({&*h.inter, &*h.root}), sub_context(h.sub_spki, h.sub->not_after())); },
        {"expired"});
    auto& p = pca_pki();
    expect_refused<invalid_request_exception>(
        [&] {
            check_ca_certificate_import(byte_view(p.root.certificate->pem()), std::nullopt,
                                        root_context(p.root.key->spki_der(), p.root.certificate->not_after() + std::chrono::hours(1)));
        },
        {"Certificate: expired"});
}

BOOST_AUTO_TEST_CASE(refuses_reimport_that_changes_the_subject) {
    auto& p = pca_pki();
    // same key (sub2's), another subject
    const x509::certificate renamed = raw_cert(*p.sub1.certificate, *p.sub1.key, signing_algorithm::sha256_with_rsa,
                                               "pca Issuing CA 2 renamed", p.sub2.key->spki_der(), ca_extensions(0));
    import_context ctx = sub_context(p.sub2.key->spki_der());
    const std::string chain = pems({&*p.sub1.certificate, &*p.root.certificate});
    BOOST_CHECK_NO_THROW(import_sub(renamed.pem(), chain, ctx));  // a first import may pick any subject
    ctx.current = &*p.sub2.certificate;
    expect_refused<certificate_mismatch_exception>([&] { import_sub(renamed.pem(), chain, ctx); },
                                                   {"differs from the subject of the CA's current certificate"});
}

BOOST_AUTO_TEST_CASE(every_refusal_names_a_model_error_of_the_operation) {
    // The operation's modelled errors, plus ValidationException for the blob constraints.
    auto& h = ossl();
    const std::vector<std::string> allowed = {"CertificateMismatchException", "MalformedCertificateException",
                                              "InvalidRequestException", "ValidationException"};
    const std::vector<std::pair<std::string, std::string>> inputs = {
        {"", ""}, {"x", "y"}, {h.sub->pem(), ""}, {h.sub->pem(), h.root->pem()}, {h.root->pem(), h.root->pem()},
        {h.sub->pem(), h.sub->pem()}, {h.inter->pem(), h.root->pem() + h.root->pem()},
    };
    for (const auto& in : inputs) {
        try {
            import_sub(in.first, in.second, sub_context(h.sub_spki));
            BOOST_ERROR("accepted");
        } catch (const pca::error& e) {
            BOOST_TEST_INFO(e.what());
            BOOST_TEST((std::find(allowed.begin(), allowed.end(), std::string(e.aws_name())) != allowed.end()));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
