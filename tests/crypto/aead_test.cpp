// AES-256-GCM, PBKDF2-HMAC-SHA256 and HKDF-SHA256 against published known-answer vectors,
// and the sealed-key envelope of pca/storage/key_protection.hpp.
//
// Sources (each value was also recomputed with Python's hashlib / cryptography when the test
// was written):
// - AES-256-GCM: McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13, 14
//   and 16 (the vectors NIST's GCM validation (GCMVS) was seeded from).
// - PBKDF2-HMAC-SHA256: RFC 7914 section 11 (the two PBKDF2-HMAC-SHA256 vectors), plus the
//   widely used RFC 6070-style SHA-256 vectors (c = 1, 2, 4096 and the long/NUL inputs).
// - HKDF-SHA256: RFC 5869 appendix A, test cases 1, 2 and 3.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "pca/crypto/aead.hpp"
#include "pca/crypto/drbg.hpp"
#include "pca/crypto/kdf.hpp"
#include "pca/storage/key_protection.hpp"

namespace {

pca::bytes hex(const std::string& h) {
    pca::bytes out;
    if (!pca::from_hex(h, out)) throw std::invalid_argument("bad hex in test: " + h);
    return out;
}

pca::bytes range_bytes(unsigned from, unsigned to) {
    pca::bytes out;
    for (unsigned i = from; i < to; ++i) out.push_back(static_cast<std::uint8_t>(i));
    return out;
}

template <class V>
std::string hex_of(const V& v) {
    return pca::to_hex(pca::byte_view(v));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crypto_aead)

BOOST_AUTO_TEST_CASE(aes256_gcm_matches_gcm_spec_test_case_16_with_aad) {
    const auto key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    const auto pt = hex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
        "ba637b39");
    const auto aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    const auto iv = hex("cafebabefacedbaddecaf888");
    const std::string expect_ct =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
        "bcc9f662";
    const std::string expect_tag = "76fc6ece0f4e1768cddf8853bb2d551b";

    pca::crypto::aes256_gcm gcm(key);
    pca::bytes ct(pt.size()), tag(16);
    gcm.encrypt(iv, aad, pt, ct.data(), tag.data());
    BOOST_TEST(hex_of(ct) == expect_ct);
    BOOST_TEST(hex_of(tag) == expect_tag);

    pca::bytes back(ct.size());
    BOOST_TEST(gcm.decrypt(iv, aad, ct, tag, back.data()));
    BOOST_TEST(back == pt);
}

BOOST_AUTO_TEST_CASE(aes256_gcm_matches_gcm_spec_test_cases_13_and_14) {
    const pca::bytes key(32, 0), iv(12, 0);
    pca::crypto::aes256_gcm gcm(key);
    // Test case 13: empty plaintext, no AAD -> only a tag.
    pca::bytes tag(16);
    gcm.encrypt(iv, {}, {}, nullptr, tag.data());
    BOOST_TEST(hex_of(tag) == "530f8afbc74536b9a963b4f1c4cb738b");
    BOOST_TEST(gcm.decrypt(iv, {}, {}, tag, nullptr));
    // Test case 14: one zero block.
    const pca::bytes pt(16, 0);
    pca::bytes ct(16);
    gcm.encrypt(iv, {}, pt, ct.data(), tag.data());
    BOOST_TEST(hex_of(ct) == "cea7403d4d606b6e074ec5d3baf39d18");
    BOOST_TEST(hex_of(tag) == "d0d1c8a799996bf0265b98b5d48ab919");
}

BOOST_AUTO_TEST_CASE(aes256_gcm_rejects_any_altered_input_and_wipes_output) {
    const auto key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
    const auto iv = hex("cafebabefacedbaddecaf888");
    const pca::bytes aad = {1, 2, 3};
    const pca::bytes pt(40, 0x5a);
    pca::crypto::aes256_gcm gcm(key);
    pca::bytes ct(pt.size()), tag(16);
    gcm.encrypt(iv, aad, pt, ct.data(), tag.data());

    pca::bytes out(ct.size(), 0xee);
    auto bad = ct;
    bad[7] ^= 0x01;
    BOOST_TEST(!gcm.decrypt(iv, aad, bad, tag, out.data()));
    BOOST_TEST(out == pca::bytes(ct.size(), 0));  // nothing of the forged plaintext survives
    auto bad_tag = tag;
    bad_tag[15] ^= 0x80;
    BOOST_TEST(!gcm.decrypt(iv, aad, ct, bad_tag, out.data()));
    auto bad_iv = iv;
    bad_iv[0] ^= 1;
    BOOST_TEST(!gcm.decrypt(bad_iv, aad, ct, tag, out.data()));
    BOOST_TEST(!gcm.decrypt(iv, pca::bytes{1, 2, 4}, ct, tag, out.data()));
    auto other_key = key;
    other_key[31] ^= 1;
    pca::crypto::aes256_gcm other(other_key);
    BOOST_TEST(!other.decrypt(iv, aad, ct, tag, out.data()));
}

BOOST_AUTO_TEST_CASE(aes256_gcm_rejects_bad_sizes) {
    BOOST_CHECK_THROW(pca::crypto::aes256_gcm(pca::bytes(16, 0)), pca::crypto::crypto_error);
    pca::crypto::aes256_gcm gcm(pca::bytes(32, 0));
    std::uint8_t tag[16];
    BOOST_CHECK_THROW(gcm.encrypt(pca::bytes(16, 0), {}, {}, nullptr, tag), pca::crypto::crypto_error);
    BOOST_CHECK_THROW(pca::crypto::aes256_gcm_open(pca::bytes(32, 0), {}, pca::bytes(27, 0)),
                      pca::crypto::crypto_error);
}

BOOST_AUTO_TEST_CASE(seal_uses_a_fresh_nonce_each_time_and_opens_only_with_same_aad) {
    pca::crypto::ctr_drbg rng;
    const pca::bytes key(32, 7);
    const pca::bytes msg = {'s', 'e', 'c', 'r', 'e', 't'};
    const auto a = pca::crypto::aes256_gcm_seal(key, pca::byte_view(std::string("aad")), msg, rng);
    const auto b = pca::crypto::aes256_gcm_seal(key, pca::byte_view(std::string("aad")), msg, rng);
    BOOST_TEST(a.size() == msg.size() + 28);
    BOOST_TEST(a != b);  // random nonces
    auto opened = pca::crypto::aes256_gcm_open(key, pca::byte_view(std::string("aad")), a);
    BOOST_REQUIRE(opened);
    BOOST_TEST(pca::bytes(opened->begin(), opened->end()) == msg);
    BOOST_TEST(!pca::crypto::aes256_gcm_open(key, pca::byte_view(std::string("aaD")), a));
}

BOOST_AUTO_TEST_CASE(pbkdf2_hmac_sha256_matches_rfc_7914_section_11) {
    BOOST_TEST(hex_of(pca::crypto::pbkdf2_hmac_sha256(pca::byte_view(std::string("passwd")),
                                                      pca::byte_view(std::string("salt")), 1, 64)) ==
               "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b8"
               "45b1e30bd509112041d3a19783");
    BOOST_TEST(hex_of(pca::crypto::pbkdf2_hmac_sha256(pca::byte_view(std::string("Password")),
                                                      pca::byte_view(std::string("NaCl")), 80000, 64)) ==
               "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272b"
               "debba1d078478f62b397f33c8d");
}

BOOST_AUTO_TEST_CASE(pbkdf2_hmac_sha256_matches_rfc_6070_style_vectors) {
    const auto p = [](const std::string& s) { return pca::byte_view(s); };
    const std::string password = "password", salt = "salt";
    BOOST_TEST(hex_of(pca::crypto::pbkdf2_hmac_sha256(p(password), p(salt), 1, 32)) ==
               "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    BOOST_TEST(hex_of(pca::crypto::pbkdf2_hmac_sha256(p(password), p(salt), 2, 32)) ==
               "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
    BOOST_TEST(hex_of(pca::crypto::pbkdf2_hmac_sha256(p(password), p(salt), 4096, 32)) ==
               "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
    const std::string long_pw = "passwordPASSWORDpassword", long_salt = "saltSALTsaltSALTsaltSALTsaltSALTsalt";
    BOOST_TEST(hex_of(pca::crypto::pbkdf2_hmac_sha256(p(long_pw), p(long_salt), 4096, 40)) ==
               "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9");
    const std::string nul_pw("pass\0word", 9), nul_salt("sa\0lt", 5);
    BOOST_TEST(hex_of(pca::crypto::pbkdf2_hmac_sha256(p(nul_pw), p(nul_salt), 4096, 16)) ==
               "89b69d0516f829893c696226650a8687");
    BOOST_CHECK_THROW(pca::crypto::pbkdf2_hmac_sha256(p(password), p(salt), 0, 32), pca::crypto::crypto_error);
}

BOOST_AUTO_TEST_CASE(hkdf_sha256_matches_rfc_5869_appendix_a) {
    // A.1: basic test case.
    BOOST_TEST(hex_of(pca::crypto::hkdf_sha256(pca::bytes(22, 0x0b), range_bytes(0x00, 0x0d), range_bytes(0xf0, 0xfa),
                                               42)) ==
               "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    // A.2: longer inputs and outputs.
    BOOST_TEST(hex_of(pca::crypto::hkdf_sha256(range_bytes(0x00, 0x50), range_bytes(0x60, 0xb0),
                                               range_bytes(0xb0, 0x100), 82)) ==
               "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275"
               "600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
    // A.3: zero-length salt and info.
    BOOST_TEST(hex_of(pca::crypto::hkdf_sha256(pca::bytes(22, 0x0b), {}, {}, 42)) ==
               "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    BOOST_CHECK_THROW(pca::crypto::hkdf_sha256(pca::bytes(22, 0x0b), {}, {}, 255 * 32 + 1), pca::crypto::crypto_error);
}

BOOST_AUTO_TEST_CASE(key_encryption_key_derivations_are_the_documented_kdfs) {
    using pca::storage::key_encryption_key;
    const pca::bytes raw(32, 0x42);
    BOOST_TEST(key_encryption_key::from_raw(raw).derive({}, 0) == pca::secure_bytes(raw.begin(), raw.end()));
    BOOST_CHECK_THROW(key_encryption_key::from_raw(pca::bytes(31, 0)), pca::invalid_args_exception);
    BOOST_CHECK_THROW(key_encryption_key::from_passphrase(""), pca::invalid_args_exception);

    // Passphrase: PBKDF2-HMAC-SHA256(passphrase, store salt, recorded iterations), 32 bytes.
    const auto kek = key_encryption_key::from_passphrase("password", 4096);
    BOOST_TEST((kek.source() == key_encryption_key::kind::passphrase));
    BOOST_TEST(kek.iterations() == 4096u);
    BOOST_TEST(hex_of(kek.derive(pca::byte_view(std::string("salt")), 4096)) ==
               "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
    BOOST_TEST(key_encryption_key::from_passphrase("password").iterations() ==
               pca::storage::default_pbkdf2_iterations);

    // IKM: HKDF-SHA256(ikm, salt, info) with the caller's salt and info (RFC 5869 A.1).
    const auto info = range_bytes(0xf0, 0xfa);
    const auto from_ikm = key_encryption_key::from_ikm(pca::bytes(22, 0x0b), range_bytes(0x00, 0x0d),
                                                       std::string(info.begin(), info.end()));
    // RFC 5869 A.1's OKM is 42 bytes; the KEK is its first 32 (HKDF output is a prefix family).
    BOOST_TEST(hex_of(from_ikm.derive({}, 0)) == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
}

BOOST_AUTO_TEST_CASE(sealed_private_key_is_bound_to_the_ca_arn) {
    pca::crypto::ctr_drbg rng;
    const pca::bytes kek(32, 9);
    const pca::bytes key_der = {0x30, 0x03, 0x02, 0x01, 0x00};
    const std::string arn = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/a";
    const auto sealed = pca::storage::seal_private_key(kek, arn, key_der, rng);
    BOOST_TEST(sealed[0] == pca::storage::sealed_key_format_v1);
    BOOST_TEST(sealed.size() == 1 + 12 + key_der.size() + 16);
    const auto opened = pca::storage::open_private_key(kek, arn, sealed);
    BOOST_TEST(pca::bytes(opened.begin(), opened.end()) == key_der);
    BOOST_CHECK_THROW(pca::storage::open_private_key(kek, arn + "x", sealed), pca::storage::storage_error);
    auto altered = sealed;
    altered.back() ^= 1;
    BOOST_CHECK_THROW(pca::storage::open_private_key(kek, arn, altered), pca::storage::storage_error);
    BOOST_CHECK_THROW(pca::storage::open_private_key(kek, arn, pca::bytes{2, 0, 0}), pca::storage::storage_error);

    const auto check = pca::storage::make_kek_check(kek, rng);
    BOOST_TEST(pca::storage::verify_kek_check(kek, check));
    BOOST_TEST(!pca::storage::verify_kek_check(pca::bytes(32, 8), check));
    BOOST_TEST(!pca::storage::verify_kek_check(kek, pca::bytes(5, 0)));
}

BOOST_AUTO_TEST_SUITE_END()
