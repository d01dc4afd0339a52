// Every key algorithm x every signing algorithm it can use: a self-signed root made with
// RootCACertificate/V1 and an end-entity certificate from an OpenSSL CSR, both checked by
// three outside parsers: `openssl verify -x509_strict`, GnuTLS `certtool --verify-chain`
// and Python cryptography.
#include <boost/test/unit_test.hpp>

#include <vector>

#include "pca/crypto/signature.hpp"
#include "support/oracle.hpp"
#include "support/pki.hpp"

namespace {
std::vector<pca::signing_algorithm> algorithms_for(pca::key_algorithm k) {
    std::vector<pca::signing_algorithm> out;
    for (auto s : pca::test::rsa_signing_algorithms)
        if (pca::crypto::compatible(k, s)) out.push_back(s);
    for (auto s : pca::test::ec_signing_algorithms)
        if (pca::crypto::compatible(k, s)) out.push_back(s);
    return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(policy_issuance_matrix)

BOOST_AUTO_TEST_CASE(every_key_and_signing_algorithm_verifies_with_openssl_gnutls_and_cryptography) {
    using namespace pca;
    test::temp_dir dir;
    const bytes ee_csr_ec = test::openssl_csr("ee-p256", "/CN=ee.example.com/O=Example", "-addext subjectAltName=DNS:ee.example.com");
    const bytes ee_csr_rsa = test::openssl_csr("ee-rsa2048", "/CN=rsa.example.com", "-addext subjectAltName=DNS:rsa.example.com,IP:10.0.0.1");
    std::vector<std::string> files;
    int combos = 0;
    for (auto k : test::fixture_key_algorithms) {
        for (auto s : algorithms_for(k)) {
            const std::string tag = std::string(to_string(k)) + "-" + std::string(to_string(s));
            BOOST_TEST_CONTEXT("CA " << tag) {
                test::test_ca root = test::make_root(k, s, "Root " + tag);
                BOOST_TEST(root.certificate->is_self_signed());
                BOOST_TEST((root.certificate->signature_algorithm().model == s));
                const auto ctx = root.context();
                const x509::certificate ee_ec =
                    test::issue(ctx, *root.key, ee_csr_ec, s, "EndEntityCertificate", test::days(30));
                const x509::certificate ee_rsa =
                    test::issue(ctx, *root.key, ee_csr_rsa, s, "EndEntityServerAuthCertificate", test::days(30));
                BOOST_TEST(ee_ec.verify_signature(root.certificate->key()));
                BOOST_TEST((ee_ec.issuer() == root.certificate->subject()));

                const std::string root_pem = dir.file(tag + "-root.pem");
                test::write_file(root_pem, byte_view(root.certificate->pem()));
                for (const auto* ee : {&ee_ec, &ee_rsa}) {
                    const std::string ee_pem = dir.file(tag + "-ee" + std::to_string(ee == &ee_ec) + ".pem");
                    test::write_file(ee_pem, byte_view(ee->pem()));
                    const auto v = test::run("openssl verify -x509_strict -CAfile " + test::sh_quote(root_pem) + " " +
                                             test::sh_quote(ee_pem));
                    BOOST_TEST_INFO(v.output);
                    BOOST_TEST(v.exit_code == 0);
                    const std::string chain = dir.file(tag + "-chain.pem");
                    test::write_file(chain, byte_view(ee->pem() + root.certificate->pem()));
                    const auto g = test::run("certtool --verify-chain --infile " + test::sh_quote(chain));
                    BOOST_TEST_INFO(g.output);
                    BOOST_TEST(g.exit_code == 0);
                    BOOST_TEST(g.output.find("Chain verification output: Verified") != std::string::npos);
                    files.push_back(ee_pem);
                }
                files.push_back(root_pem);
                ++combos;
            }
        }
    }
    BOOST_TEST(combos == 3 * 6 + 3 * 3);
    const auto described = test::inspect("cert", files);  // throws if cryptography refuses any
    BOOST_TEST(described.size() == files.size());
    for (const auto& d : described) BOOST_TEST(d.at("version") == "v3");
}

BOOST_AUTO_TEST_SUITE_END()
