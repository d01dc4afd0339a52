// pca/crypto/hmac.hpp - HMAC-SHA256 (RFC 2104), for pagination tokens and other MACs.
#pragma once

#include <mbedtls/md.h>

#include "pca/core/bytes.hpp"
#include "pca/crypto/compat.hpp"
#include "pca/crypto/error.hpp"

namespace pca::crypto {

/// HMAC-SHA256 of `message` under `key`: 32 bytes.
inline bytes hmac_sha256(byte_view key, byte_view message) {
    const mbedtls_md_info_t* info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    bytes out(32);
    const int rc = mbedtls_md_hmac(info, key.data(), key.size(), message.data(), message.size(), out.data());
    if (rc != 0) throw crypto_error("HMAC-SHA256 failed", rc);
    return out;
}

/// Constant-time comparison of two byte strings of equal length (false if lengths differ).
inline bool equal_constant_time(byte_view a, byte_view b) noexcept {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<unsigned char>(diff | (a[i] ^ b[i]));
    return diff == 0;
}

}  // namespace pca::crypto
