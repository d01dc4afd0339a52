// Test support: the key fixtures of tests/data/keys (made by tests/data/make_keys.sh).
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "pca/crypto/key.hpp"
#include "pca/der/pem.hpp"
#include "pca/types/enums.hpp"
#include "support/tools.hpp"

namespace pca::test {

inline std::string key_fixture_path(const std::string& name) { return PCA_SOURCE_DIR "/tests/data/keys/" + name + ".pem"; }

inline std::string key_fixture_name(key_algorithm alg) {
    switch (alg) {
        case key_algorithm::rsa_2048: return "rsa2048";
        case key_algorithm::rsa_3072: return "rsa3072";
        case key_algorithm::rsa_4096: return "rsa4096";
        case key_algorithm::ec_prime256v1: return "p256";
        case key_algorithm::ec_secp384r1: return "p384";
        case key_algorithm::ec_secp521r1: return "p521";
        default: throw std::invalid_argument("no fixture for that key algorithm");
    }
}

/// The fixture key for `alg`, loaded once per process.
inline const crypto::private_key& fixture_key(key_algorithm alg) {
    static std::mutex mutex;
    static std::map<key_algorithm, crypto::private_key> cache;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(alg);
    if (it == cache.end()) {
        const std::string text = read_text(key_fixture_path(key_fixture_name(alg)));
        const bytes der = der::pem_decode_one(text, "PRIVATE KEY");
        it = cache.emplace(alg, crypto::private_key::from_pkcs8_der(der)).first;
    }
    return it->second;
}

inline constexpr key_algorithm fixture_key_algorithms[] = {
    key_algorithm::rsa_2048,      key_algorithm::rsa_3072,     key_algorithm::rsa_4096,
    key_algorithm::ec_prime256v1, key_algorithm::ec_secp384r1, key_algorithm::ec_secp521r1,
};

inline constexpr signing_algorithm rsa_signing_algorithms[] = {
    signing_algorithm::sha256_with_rsa,     signing_algorithm::sha384_with_rsa,     signing_algorithm::sha512_with_rsa,
    signing_algorithm::sha256_with_rsa_pss, signing_algorithm::sha384_with_rsa_pss, signing_algorithm::sha512_with_rsa_pss,
};
inline constexpr signing_algorithm ec_signing_algorithms[] = {
    signing_algorithm::sha256_with_ecdsa, signing_algorithm::sha384_with_ecdsa, signing_algorithm::sha512_with_ecdsa};

}  // namespace pca::test
