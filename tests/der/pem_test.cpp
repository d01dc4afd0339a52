// PEM and base64: strict decoding, several blocks, labels checked.
#include <boost/test/unit_test.hpp>

#include "pca/der/base64.hpp"
#include "pca/der/pem.hpp"

BOOST_AUTO_TEST_SUITE(der_pem)

BOOST_AUTO_TEST_CASE(base64_rfc4648_vectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, enc] : vectors) {
        BOOST_TEST(pca::der::base64_encode(pca::byte_view(std::string_view(plain))) == enc);
        auto dec = pca::der::base64_decode(enc);
        BOOST_TEST_REQUIRE(dec.has_value());
        BOOST_TEST(std::string(dec->begin(), dec->end()) == plain);
    }
}

BOOST_AUTO_TEST_CASE(base64_decoding_is_strict) {
    for (const char* bad : {"Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zm9v\n", "Zm 9v", "Zm9v====", "Zg==Zg==", "Zm-v", "Zm_v"}) {
        BOOST_TEST_INFO("input '" << bad << "'");
        BOOST_TEST(!pca::der::base64_decode(bad).has_value());
    }
}

BOOST_AUTO_TEST_CASE(pem_round_trip_with_several_blocks) {
    pca::bytes a(100, 0x11), b(3, 0x22);
    const std::string text = "leading text\n" + pca::der::pem_encode("CERTIFICATE", a) + "between\r\n" +
                             pca::der::pem_encode("CERTIFICATE", b);
    auto blocks = pca::der::pem_decode_all(text);
    BOOST_TEST_REQUIRE(blocks.size() == 2u);
    BOOST_TEST(blocks[0].label == "CERTIFICATE");
    BOOST_TEST((blocks[0].der == a));
    BOOST_TEST((blocks[1].der == b));
    // 64-column lines
    const std::string one = pca::der::pem_encode("X", pca::bytes(96, 0));
    BOOST_TEST(one.find(std::string(64, 'A') + "\n" + std::string(64, 'A') + "\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pem_refuses_mismatched_or_broken_blocks) {
    auto fails = [](const std::string& text, const std::string& fragment) {
        try {
            pca::der::pem_decode_all(text);
        } catch (const pca::der::decode_error& e) {
            BOOST_TEST_INFO(e.what());
            BOOST_TEST(std::string(e.what()).find(fragment) != std::string::npos);
            return;
        }
        BOOST_FAIL("accepted: " << text);
    };
    fails("-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----\n", "does not match");
    fails("-----BEGIN CERTIFICATE-----\nAAAA\n", "missing END");
    fails("-----BEGIN CERTIFICATE-----\nAA!A\n-----END CERTIFICATE-----\n", "invalid base64");
    fails("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n", "empty");
    fails("-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END CERTIFICATE-----\n", "headers");
    fails("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAA=A\n-----END CERTIFICATE-----\n",
          "PEM block 2");
    std::string many;
    for (int i = 0; i < 70; ++i) many += "-----BEGIN C-----\nAAAA\n-----END C-----\n";
    fails(many, "more than 64 PEM blocks");
    BOOST_TEST(pca::der::pem_decode_all("no pem here").empty());
    BOOST_CHECK_THROW(pca::der::pem_decode_one("-----BEGIN A-----\nAAAA\n-----END A-----\n", "B"), pca::der::decode_error);
}

BOOST_AUTO_TEST_SUITE_END()
