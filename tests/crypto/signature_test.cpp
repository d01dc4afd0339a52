// Signing algorithms: schemes, the pairing rule, unsupported algorithms, and the DER
// AlgorithmIdentifiers compared with what OpenSSL 3 writes.
#include "pca/crypto/signature.hpp"

#include <string>

#include <boost/test/unit_test.hpp>

using namespace pca;
using crypto::hash_algorithm;
using crypto::key_family;

namespace {

// The signatureAlgorithm of certificates made by OpenSSL 3.0 (`openssl req -new -x509 -sha256
// [-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest]`), cut out of the DER with
// the offsets `openssl asn1parse` prints. OpenSSL writes NULL parameters in the PSS hash
// identifiers and omits trailerField.
struct known_answer {
    signing_algorithm alg;
    const char* hex;
};
const known_answer openssl_algorithm_identifiers[] = {
    {signing_algorithm::sha256_with_ecdsa, "300a06082a8648ce3d040302"},
    {signing_algorithm::sha384_with_ecdsa, "300a06082a8648ce3d040303"},
    {signing_algorithm::sha512_with_ecdsa, "300a06082a8648ce3d040304"},
    {signing_algorithm::sha256_with_rsa, "300d06092a864886f70d01010b0500"},
    {signing_algorithm::sha384_with_rsa, "300d06092a864886f70d01010c0500"},
    {signing_algorithm::sha512_with_rsa, "300d06092a864886f70d01010d0500"},
    {signing_algorithm::sha256_with_rsa_pss,
     "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d0609608648"
     "0165030402010500a203020120"},
    {signing_algorithm::sha384_with_rsa_pss,
     "304106092a864886f70d01010a3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d0609608648"
     "0165030402020500a203020130"},
    {signing_algorithm::sha512_with_rsa_pss,
     "304106092a864886f70d01010a3034a00f300d06096086480165030402030500a11c301a06092a864886f70d010108300d0609608648"
     "0165030402030500a203020140"},
};

template <class F>
std::string invalid_args_message(F&& f) {
    try {
        f();
    } catch (const invalid_args_exception& e) {
        return e.what();
    }
    return "<no invalid_args_exception>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crypto_signature)

BOOST_AUTO_TEST_CASE(schemes_of_every_supported_signing_algorithm) {
    using crypto::scheme_for;
    BOOST_TEST((scheme_for(signing_algorithm::sha256_with_ecdsa) ==
                crypto::signature_scheme{key_family::ec, false, hash_algorithm::sha256}));
    BOOST_TEST((scheme_for(signing_algorithm::sha384_with_ecdsa) ==
                crypto::signature_scheme{key_family::ec, false, hash_algorithm::sha384}));
    BOOST_TEST((scheme_for(signing_algorithm::sha512_with_ecdsa) ==
                crypto::signature_scheme{key_family::ec, false, hash_algorithm::sha512}));
    BOOST_TEST((scheme_for(signing_algorithm::sha256_with_rsa) ==
                crypto::signature_scheme{key_family::rsa, false, hash_algorithm::sha256}));
    BOOST_TEST((scheme_for(signing_algorithm::sha512_with_rsa) ==
                crypto::signature_scheme{key_family::rsa, false, hash_algorithm::sha512}));
    BOOST_TEST((scheme_for(signing_algorithm::sha384_with_rsa_pss) ==
                crypto::signature_scheme{key_family::rsa, true, hash_algorithm::sha384}));
}

BOOST_AUTO_TEST_CASE(families_of_supported_key_algorithms) {
    BOOST_TEST((crypto::family_for(key_algorithm::rsa_2048) == key_family::rsa));
    BOOST_TEST((crypto::family_for(key_algorithm::rsa_4096) == key_family::rsa));
    BOOST_TEST((crypto::family_for(key_algorithm::ec_prime256v1) == key_family::ec));
    BOOST_TEST((crypto::family_for(key_algorithm::ec_secp521r1) == key_family::ec));
}

BOOST_AUTO_TEST_CASE(pairing_rule_matches_families_only) {
    for (key_algorithm k : enum_traits<key_algorithm>::values) {
        if (!crypto::is_supported(k)) continue;
        for (signing_algorithm s : enum_traits<signing_algorithm>::values) {
            if (!crypto::is_supported(s)) continue;
            const bool rsa_key = k == key_algorithm::rsa_2048 || k == key_algorithm::rsa_3072 ||
                                 k == key_algorithm::rsa_4096;
            const std::string_view name = to_string(s);
            const bool rsa_sig = name.find("RSA") != std::string_view::npos;
            BOOST_TEST(crypto::compatible(k, s) == (rsa_key == rsa_sig), to_string(k) << " + " << name);
        }
    }
    // No curve-to-hash binding: P-256 with SHA512WITHECDSA is allowed.
    BOOST_TEST(crypto::compatible(key_algorithm::ec_prime256v1, signing_algorithm::sha512_with_ecdsa));
    BOOST_TEST(!crypto::compatible(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_rsa));
    BOOST_TEST(crypto::compatible(key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa_pss));
}

BOOST_AUTO_TEST_CASE(unsupported_algorithms_are_invalid_args_naming_the_algorithm) {
    BOOST_TEST(invalid_args_message([] { crypto::scheme_for(signing_algorithm::sm3_with_sm2); }).find("SM3WITHSM2") !=
               std::string::npos);
    BOOST_TEST(invalid_args_message([] { crypto::scheme_for(signing_algorithm::ml_dsa_65); }).find("ML_DSA_65") !=
               std::string::npos);
    BOOST_TEST(invalid_args_message([] { crypto::family_for(key_algorithm::sm2); }).find("SM2") != std::string::npos);
    BOOST_TEST(invalid_args_message([] { crypto::family_for(key_algorithm::ml_dsa_44); }).find("ML_DSA_44") !=
               std::string::npos);
    BOOST_TEST(invalid_args_message([] { crypto::family_for(key_algorithm::ml_dsa_44); })
                   .find("not supported by this build") != std::string::npos);
    BOOST_TEST(invalid_args_message([] { crypto::compatible(key_algorithm::sm2, signing_algorithm::sm3_with_sm2); })
                   .find("SM2") != std::string::npos);
    BOOST_TEST(invalid_args_message([] { crypto::algorithm_identifier_der(signing_algorithm::ml_dsa_87); })
                   .find("ML_DSA_87") != std::string::npos);
    BOOST_TEST(!crypto::is_supported(signing_algorithm::sm3_with_sm2));
    BOOST_TEST(!crypto::is_supported(key_algorithm::ml_dsa_87));
}

BOOST_AUTO_TEST_CASE(algorithm_identifiers_match_openssl) {
    for (const auto& kat : openssl_algorithm_identifiers) {
        BOOST_TEST(to_hex(crypto::algorithm_identifier_der(kat.alg)) == kat.hex, to_string(kat.alg));
        BOOST_TEST(to_hex(crypto::algorithm_identifier_view(kat.alg)) == kat.hex, to_string(kat.alg));
    }
}

BOOST_AUTO_TEST_CASE(algorithm_identifiers_map_back_to_their_algorithm) {
    for (const auto& kat : openssl_algorithm_identifiers) {
        bytes der;
        BOOST_REQUIRE(from_hex(kat.hex, der));
        const auto alg = crypto::signing_algorithm_from_der(der);
        BOOST_REQUIRE(alg.has_value());
        BOOST_TEST((*alg == kat.alg), to_string(kat.alg));
    }
    bytes ecdsa_with_null;  // sha256 ECDSA with (wrong) NULL parameters
    BOOST_REQUIRE(from_hex("300c06082a8648ce3d0403020500", ecdsa_with_null));
    BOOST_TEST(!crypto::signing_algorithm_from_der(ecdsa_with_null).has_value());
    BOOST_TEST(!crypto::signing_algorithm_from_der(byte_view{}).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
