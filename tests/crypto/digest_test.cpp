// Known-answer tests for the one-shot digests (FIPS 180-2 appendix examples).
#include "pca/crypto/digest.hpp"

#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

using namespace pca;
using crypto::hash_algorithm;

namespace {
std::string hex_digest(hash_algorithm h, byte_view data) { return to_hex(crypto::digest(h, data)); }
}  // namespace

BOOST_AUTO_TEST_SUITE(crypto_digest)

BOOST_AUTO_TEST_CASE(digests_of_abc_match_fips_180_vectors) {
    const std::string_view abc = "abc";
    BOOST_TEST(hex_digest(hash_algorithm::sha1, abc) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    BOOST_TEST(hex_digest(hash_algorithm::sha256, abc) ==
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(hex_digest(hash_algorithm::sha384, abc) ==
               "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
               "8086072ba1e7cc2358baeca134c825a7");
    BOOST_TEST(hex_digest(hash_algorithm::sha512, abc) ==
               "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
               "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

BOOST_AUTO_TEST_CASE(digest_of_empty_input) {
    BOOST_TEST(hex_digest(hash_algorithm::sha256, byte_view{}) ==
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(hex_digest(hash_algorithm::sha1, byte_view{}) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

BOOST_AUTO_TEST_CASE(digest_of_a_million_a) {
    const std::string a_text(1000000, 'a');
    const std::string_view a = a_text;
    BOOST_TEST(hex_digest(hash_algorithm::sha1, a) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    BOOST_TEST(hex_digest(hash_algorithm::sha256, a) ==
               "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(sizes_and_oids) {
    BOOST_TEST(crypto::digest_size(hash_algorithm::sha1) == 20u);
    BOOST_TEST(crypto::digest_size(hash_algorithm::sha256) == 32u);
    BOOST_TEST(crypto::digest_size(hash_algorithm::sha384) == 48u);
    BOOST_TEST(crypto::digest_size(hash_algorithm::sha512) == 64u);
    static_assert(crypto::digest_size(hash_algorithm::sha512) == crypto::max_digest_size);
    BOOST_TEST(crypto::hash_oid(hash_algorithm::sha256).to_string() == "2.16.840.1.101.3.4.2.1");
    BOOST_TEST(crypto::hash_oid(hash_algorithm::sha1).to_string() == "1.3.14.3.2.26");
    for (auto h : {hash_algorithm::sha1, hash_algorithm::sha256, hash_algorithm::sha384, hash_algorithm::sha512})
        BOOST_TEST(crypto::digest(h, std::string_view("x")).size() == crypto::digest_size(h));
}

BOOST_AUTO_TEST_CASE(digest_into_writes_the_same_bytes) {
    std::uint8_t out[crypto::max_digest_size] = {};
    crypto::digest_into(hash_algorithm::sha384, std::string_view("abc"), out);
    BOOST_TEST(to_hex(byte_view(out, 48)) == hex_digest(hash_algorithm::sha384, std::string_view("abc")));
}

BOOST_AUTO_TEST_SUITE_END()
