// pca/crypto/kdf.hpp - key derivation: PBKDF2-HMAC-SHA256 (RFC 8018 5.2) and HKDF-SHA256
// (RFC 5869) on mbedTLS.
//
// Version difference: 2.28 has only mbedtls_pkcs5_pbkdf2_hmac(), which takes an HMAC-ready
// md context; 3.x adds mbedtls_pkcs5_pbkdf2_hmac_ext(md_type, ...) and deprecates the former.
// The switch below keys on PCA_MBEDTLS_3 from compat.hpp (the only header that reads the
// version number). mbedtls_hkdf() is the same in both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/pkcs5.h>

#include "pca/core/bytes.hpp"
#include "pca/crypto/compat.hpp"
#include "pca/crypto/error.hpp"

#if !defined(MBEDTLS_PKCS5_C) || !defined(MBEDTLS_HKDF_C) || !defined(MBEDTLS_MD_C)
#error "pca needs MBEDTLS_PKCS5_C, MBEDTLS_HKDF_C and MBEDTLS_MD_C (key-encryption-key derivation)"
#endif

namespace pca::crypto {

namespace detail {
inline const unsigned char* non_null(byte_view b) noexcept {
    static const unsigned char empty = 0;
    return b.empty() ? &empty : b.data();
}
}  // namespace detail

/// PBKDF2 with HMAC-SHA256 (RFC 8018 section 5.2): `length` bytes from a password and a salt.
/// `iterations` must be at least 1; crypto_error on bad arguments or an mbedTLS failure.
inline secure_bytes pbkdf2_hmac_sha256(byte_view password, byte_view salt, std::uint32_t iterations,
                                       std::size_t length) {
    if (iterations == 0) throw crypto_error("PBKDF2 needs at least one iteration");
    if (length == 0 || length > std::numeric_limits<std::uint32_t>::max())
        throw crypto_error("PBKDF2 output length must be 1 .. 2^32-1 bytes");
    secure_bytes out(length);
#if PCA_MBEDTLS_3
    const int rc = mbedtls_pkcs5_pbkdf2_hmac_ext(MBEDTLS_MD_SHA256, detail::non_null(password), password.size(),
                                                 detail::non_null(salt), salt.size(), iterations,
                                                 static_cast<std::uint32_t>(length), out.data());
#else
    mbedtls_md_context_t md;
    mbedtls_md_init(&md);
    int rc = mbedtls_md_setup(&md, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), 1);
    if (rc == 0)
        rc = mbedtls_pkcs5_pbkdf2_hmac(&md, detail::non_null(password), password.size(), detail::non_null(salt),
                                       salt.size(), iterations, static_cast<std::uint32_t>(length), out.data());
    mbedtls_md_free(&md);  // zeroizes the HMAC state
#endif
    if (rc != 0) compat::throw_error("PBKDF2-HMAC-SHA256 failed", rc);
    return out;
}

/// HKDF with SHA-256 (RFC 5869): extract with `salt` (empty means HashLen zero bytes), then
/// expand to `length` bytes (at most 255 * 32) with `info`.
inline secure_bytes hkdf_sha256(byte_view ikm, byte_view salt, byte_view info, std::size_t length) {
    if (length == 0 || length > 255 * 32) throw crypto_error("HKDF-SHA256 output length must be 1 .. 8160 bytes");
    secure_bytes out(length);
    const int rc = mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), salt.empty() ? nullptr : salt.data(),
                                salt.size(), detail::non_null(ikm), ikm.size(), detail::non_null(info), info.size(),
                                out.data(), out.size());
    if (rc != 0) compat::throw_error("HKDF-SHA256 failed", rc);
    return out;
}

}  // namespace pca::crypto
