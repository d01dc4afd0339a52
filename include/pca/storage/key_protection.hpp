// pca/storage/key_protection.hpp - CA private keys at rest: the key-encryption key (KEK) the
// embedding program supplies, and the AES-256-GCM envelope a durable store writes instead of
// the clear PKCS#8 key. docs/storage.md describes the scheme.
//
//   sealed key = 0x01 || nonce (12, random per write) || AES-256-GCM(KEK, nonce, aad = CA ARN,
//                PKCS#8 DER) || tag (16)
//
// Binding the ARN as associated data means a sealed key copied into another CA's row does not
// open. A "check value" (a known plaintext sealed under the KEK with its own associated data)
// lets a store tell a wrong KEK apart at open time, before any key is needed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/crypto/aead.hpp"
#include "pca/crypto/kdf.hpp"

namespace pca::storage {

/// A durable store failed or found something it cannot use (I/O error, corrupt record, a file
/// that is not one of ours). what() says which file and what was wrong.
class storage_error : public request_failed_exception {
public:
    explicit storage_error(const std::string& message) : request_failed_exception(message) {}
};

/// The key-encryption key does not open this store's keys (wrong passphrase, wrong raw key).
class key_encryption_key_mismatch : public storage_error {
public:
    explicit key_encryption_key_mismatch(const std::string& message) : storage_error(message) {}
};

/// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256; the count is recorded with the store.
inline constexpr std::uint32_t default_pbkdf2_iterations = 600'000;
/// The HKDF `info` used when the caller gives none (domain separation for this one use).
inline constexpr std::string_view default_kek_hkdf_info = "pca/storage/key-encryption-key/v1";

/// The key that encrypts CA private keys at rest; supplied by the embedding program.
///
/// - from_raw: 32 random bytes the program keeps elsewhere (a file, a secret manager, an HSM
///   unwrap);
/// - from_passphrase: PBKDF2-HMAC-SHA256 over the passphrase with a random 16-byte salt that
///   the store creates and keeps, `iterations` rounds (the store records the count at
///   creation and uses the recorded count afterwards);
/// - from_ikm: HKDF-SHA256(ikm, salt, info), for input keying material that is already
///   high-entropy but not exactly a 32-byte key.
///
/// Secrets are held in zeroizing storage and wiped when the object is destroyed. Never
/// printed: there is no accessor for the passphrase.
class key_encryption_key {
public:
    enum class kind { raw, passphrase };

    static key_encryption_key from_raw(byte_view key) {
        if (key.size() != crypto::aes256_gcm_key_size)
            throw invalid_args_exception("a raw key-encryption key must be exactly 32 bytes, got " +
                                         std::to_string(key.size()));
        return key_encryption_key(kind::raw, secure_bytes(key.begin(), key.end()), 0);
    }
    static key_encryption_key from_passphrase(std::string_view passphrase,
                                              std::uint32_t iterations = default_pbkdf2_iterations) {
        if (passphrase.empty()) throw invalid_args_exception("the key-encryption passphrase is empty");
        if (iterations == 0) throw invalid_args_exception("PBKDF2 needs at least one iteration");
        const byte_view p(passphrase);
        return key_encryption_key(kind::passphrase, secure_bytes(p.begin(), p.end()), iterations);
    }
    static key_encryption_key from_ikm(byte_view ikm, byte_view salt = {},
                                       std::string_view info = default_kek_hkdf_info) {
        if (ikm.empty()) throw invalid_args_exception("the key-encryption input keying material is empty");
        return key_encryption_key(kind::raw,
                                  crypto::hkdf_sha256(ikm, salt, byte_view(info), crypto::aes256_gcm_key_size), 0);
    }

    kind source() const noexcept { return m_kind; }
    /// PBKDF2 rounds asked for (passphrase keys; 0 otherwise).
    std::uint32_t iterations() const noexcept { return m_iterations; }

    /// The 32-byte AES key. For a passphrase, PBKDF2 with the store's salt and the iteration
    /// count the store recorded; raw keys ignore both.
    secure_bytes derive(byte_view salt, std::uint32_t iterations) const {
        if (m_kind == kind::raw) return m_secret;
        return crypto::pbkdf2_hmac_sha256(m_secret, salt, iterations, crypto::aes256_gcm_key_size);
    }

private:
    key_encryption_key(kind k, secure_bytes secret, std::uint32_t iterations)
        : m_kind(k), m_secret(std::move(secret)), m_iterations(iterations) {}

    kind m_kind;
    secure_bytes m_secret;  ///< the key itself (raw) or the passphrase
    std::uint32_t m_iterations;
};

inline constexpr std::uint8_t sealed_key_format_v1 = 0x01;

/// Seals a CA private key (PKCS#8 DER) under the derived 32-byte KEK, bound to the CA ARN.
inline bytes seal_private_key(byte_view kek, std::string_view ca_arn, byte_view pkcs8, pca::rng& rng) {
    bytes sealed = crypto::aes256_gcm_seal(kek, byte_view(ca_arn), pkcs8, rng);
    sealed.insert(sealed.begin(), sealed_key_format_v1);
    return sealed;
}

/// Opens a sealed CA key; storage_error when it is malformed or does not authenticate (the
/// row was altered, or belongs to another CA ARN). The KEK itself is checked at open time.
inline secure_bytes open_private_key(byte_view kek, std::string_view ca_arn, byte_view sealed) {
    if (sealed.empty() || sealed[0] != sealed_key_format_v1 || sealed.size() < 1 + crypto::aes256_gcm_overhead)
        throw storage_error("the stored private key of CA " + std::string(ca_arn) +
                            " is not in a known sealed format (the record is corrupt)");
    auto plain = crypto::aes256_gcm_open(kek, byte_view(ca_arn), sealed.subview(1));
    if (!plain)
        throw storage_error("the stored private key of CA " + std::string(ca_arn) +
                            " does not authenticate under the key-encryption key: the record was altered or "
                            "copied from another CA");
    return std::move(*plain);
}

namespace detail {
inline constexpr std::string_view kek_check_aad = "pca/storage/kek-check/v1";
inline constexpr std::string_view kek_check_plaintext = "pca key-encryption key check value";
}  // namespace detail

/// A check value for the derived KEK: a known plaintext sealed under it.
inline bytes make_kek_check(byte_view kek, pca::rng& rng) {
    return crypto::aes256_gcm_seal(kek, byte_view(detail::kek_check_aad), byte_view(detail::kek_check_plaintext), rng);
}

/// True when `check` (from make_kek_check) opens under `kek` to the known plaintext.
inline bool verify_kek_check(byte_view kek, byte_view check) {
    if (check.size() < crypto::aes256_gcm_overhead) return false;
    auto plain = crypto::aes256_gcm_open(kek, byte_view(detail::kek_check_aad), check);
    return plain && byte_view(*plain) == byte_view(detail::kek_check_plaintext);
}

}  // namespace pca::storage
