// pca/crypto/aead.hpp - AES-256-GCM authenticated encryption (NIST SP 800-38D) on mbedTLS.
//
// Used to keep CA private keys encrypted at rest (docs/storage.md). The one-shot mbedTLS
// functions used here (mbedtls_gcm_setkey, mbedtls_gcm_crypt_and_tag, mbedtls_gcm_auth_decrypt)
// have the same signatures in mbedTLS 2.28 and 3.6, so no version shim is needed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <mbedtls/gcm.h>

#include "pca/core/bytes.hpp"
#include "pca/core/rng.hpp"
#include "pca/crypto/compat.hpp"
#include "pca/crypto/error.hpp"

#if !defined(MBEDTLS_GCM_C) || !defined(MBEDTLS_AES_C)
#error "pca needs MBEDTLS_GCM_C and MBEDTLS_AES_C (AES-256-GCM protects CA keys at rest)"
#endif

namespace pca::crypto {

inline constexpr std::size_t aes256_gcm_key_size = 32;    ///< bytes
inline constexpr std::size_t aes256_gcm_nonce_size = 12;  ///< 96-bit IV, the size SP 800-38D recommends
inline constexpr std::size_t aes256_gcm_tag_size = 16;    ///< full 128-bit tag, never truncated

/// One AES-256-GCM key, expanded once. Encrypts and decrypts with a caller-chosen nonce; the
/// caller must never use a nonce twice under one key (seal() draws a random one).
///
/// Not thread-safe (mbedTLS's GCM context is mutable state); make one per thread or per
/// operation, which costs one AES key schedule. Non-copyable; the destructor frees the
/// context, which zeroizes the expanded key.
class aes256_gcm {
public:
    /// `key` must be exactly 32 bytes (crypto_error otherwise).
    explicit aes256_gcm(byte_view key) {
        if (key.size() != aes256_gcm_key_size)
            throw crypto_error("AES-256-GCM needs a 32-byte key, got " + std::to_string(key.size()) + " bytes");
        mbedtls_gcm_init(&m_ctx);
        const int rc = mbedtls_gcm_setkey(&m_ctx, MBEDTLS_CIPHER_ID_AES, key.data(), 256);
        if (rc != 0) {
            mbedtls_gcm_free(&m_ctx);
            compat::throw_error("AES-256-GCM key setup failed", rc);
        }
    }
    ~aes256_gcm() { mbedtls_gcm_free(&m_ctx); }
    aes256_gcm(const aes256_gcm&) = delete;
    aes256_gcm& operator=(const aes256_gcm&) = delete;

    /// Encrypts `plaintext` into ciphertext_out[0 .. plaintext.size()) and writes the 16-byte
    /// tag to tag_out. `nonce` must be 12 bytes.
    void encrypt(byte_view nonce, byte_view aad, byte_view plaintext, std::uint8_t* ciphertext_out,
                 std::uint8_t* tag_out) {
        check_nonce(nonce);
        static const std::uint8_t empty = 0;
        std::uint8_t scratch = 0;
        const int rc = mbedtls_gcm_crypt_and_tag(&m_ctx, MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce.data(),
                                                 nonce.size(), aad.empty() ? &empty : aad.data(), aad.size(),
                                                 plaintext.empty() ? &empty : plaintext.data(),
                                                 plaintext.empty() ? &scratch : ciphertext_out,
                                                 aes256_gcm_tag_size, tag_out);
        if (rc != 0) compat::throw_error("AES-256-GCM encryption failed", rc);
    }

    /// Verifies the tag and decrypts into plaintext_out[0 .. ciphertext.size()). Returns
    /// false, with the output wiped, when the tag does not verify (wrong key, wrong nonce,
    /// wrong associated data, or altered ciphertext). Throws crypto_error for bad sizes.
    [[nodiscard]] bool decrypt(byte_view nonce, byte_view aad, byte_view ciphertext, byte_view tag,
                               std::uint8_t* plaintext_out) {
        check_nonce(nonce);
        if (tag.size() != aes256_gcm_tag_size)
            throw crypto_error("AES-256-GCM tag must be 16 bytes, got " + std::to_string(tag.size()));
        static const std::uint8_t empty = 0;
        std::uint8_t scratch = 0;
        const int rc = mbedtls_gcm_auth_decrypt(&m_ctx, ciphertext.size(), nonce.data(), nonce.size(),
                                                aad.empty() ? &empty : aad.data(), aad.size(), tag.data(),
                                                tag.size(), ciphertext.empty() ? &empty : ciphertext.data(),
                                                ciphertext.empty() ? &scratch : plaintext_out);
        if (rc == MBEDTLS_ERR_GCM_AUTH_FAILED) {
            if (!ciphertext.empty()) secure_zero(plaintext_out, ciphertext.size());  // mbedTLS wipes too
            return false;
        }
        if (rc != 0) compat::throw_error("AES-256-GCM decryption failed", rc);
        return true;
    }

private:
    static void check_nonce(byte_view nonce) {
        if (nonce.size() != aes256_gcm_nonce_size)
            throw crypto_error("AES-256-GCM nonce must be 12 bytes, got " + std::to_string(nonce.size()));
    }

    mbedtls_gcm_context m_ctx;
};

/// nonce (12) || ciphertext || tag (16): the layout seal() writes and open() reads.
inline constexpr std::size_t aes256_gcm_overhead = aes256_gcm_nonce_size + aes256_gcm_tag_size;

/// Encrypts `plaintext` under `key` with a fresh random nonce drawn from `rng`; returns
/// nonce || ciphertext || tag. Ciphertext is not secret, so it is plain `bytes`.
inline bytes aes256_gcm_seal(byte_view key, byte_view aad, byte_view plaintext, pca::rng& rng) {
    bytes out(aes256_gcm_overhead + plaintext.size());
    rng.fill(out.data(), aes256_gcm_nonce_size);
    aes256_gcm gcm(key);
    gcm.encrypt(byte_view(out.data(), aes256_gcm_nonce_size), aad, plaintext, out.data() + aes256_gcm_nonce_size,
                out.data() + aes256_gcm_nonce_size + plaintext.size());
    return out;
}

/// Opens what aes256_gcm_seal() made. nullopt when the tag does not verify; crypto_error when
/// `sealed` is shorter than nonce + tag. The plaintext is returned in zeroizing storage.
inline std::optional<secure_bytes> aes256_gcm_open(byte_view key, byte_view aad, byte_view sealed) {
    if (sealed.size() < aes256_gcm_overhead)
        throw crypto_error("AES-256-GCM sealed data is too short (" + std::to_string(sealed.size()) + " bytes)");
    const std::size_t n = sealed.size() - aes256_gcm_overhead;
    secure_bytes plain(n);
    aes256_gcm gcm(key);
    if (!gcm.decrypt(sealed.subview(0, aes256_gcm_nonce_size), aad, sealed.subview(aes256_gcm_nonce_size, n),
                     sealed.subview(aes256_gcm_nonce_size + n), plain.data()))
        return std::nullopt;
    return plain;
}

}  // namespace pca::crypto
