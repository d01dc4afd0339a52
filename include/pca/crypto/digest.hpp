// pca/crypto/digest.hpp - one-shot SHA-1 and SHA-2 digests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pca/core/bytes.hpp"
#include "pca/crypto/compat.hpp"
#include "pca/crypto/error.hpp"
#include "pca/der/oid.hpp"

namespace pca::crypto {

/// The hashes pca signs with (SHA-256/384/512) plus SHA-1, which RFC 5280 4.2.1.2 method (1)
/// uses for key identifiers.
enum class hash_algorithm { sha1, sha256, sha384, sha512 };

/// The largest digest_size(), for stack buffers.
inline constexpr std::size_t max_digest_size = 64;

constexpr std::size_t digest_size(hash_algorithm h) noexcept {
    switch (h) {
        case hash_algorithm::sha1: return 20;
        case hash_algorithm::sha256: return 32;
        case hash_algorithm::sha384: return 48;
        case hash_algorithm::sha512: return 64;
    }
    return 0;
}

/// "SHA-1", "SHA-256", ... (for messages).
constexpr std::string_view to_string(hash_algorithm h) noexcept {
    switch (h) {
        case hash_algorithm::sha1: return "SHA-1";
        case hash_algorithm::sha256: return "SHA-256";
        case hash_algorithm::sha384: return "SHA-384";
        case hash_algorithm::sha512: return "SHA-512";
    }
    return "?";
}

/// The hash's OBJECT IDENTIFIER (RFC 3279 2.2.1 / RFC 5758 2).
constexpr const der::oid& hash_oid(hash_algorithm h) noexcept {
    switch (h) {
        case hash_algorithm::sha1: return der::oids::sha1;
        case hash_algorithm::sha256: return der::oids::sha256;
        case hash_algorithm::sha384: return der::oids::sha384;
        case hash_algorithm::sha512: return der::oids::sha512;
    }
    return der::oids::sha256;
}

namespace detail {
inline mbedtls_md_type_t md_type(hash_algorithm h) noexcept {
    switch (h) {
        case hash_algorithm::sha1: return MBEDTLS_MD_SHA1;
        case hash_algorithm::sha256: return MBEDTLS_MD_SHA256;
        case hash_algorithm::sha384: return MBEDTLS_MD_SHA384;
        case hash_algorithm::sha512: return MBEDTLS_MD_SHA512;
    }
    return MBEDTLS_MD_NONE;
}
}  // namespace detail

/// Writes the digest of `data` to out[0 .. digest_size(h)). No allocation; for hot paths.
inline void digest_into(hash_algorithm h, byte_view data, std::uint8_t* out) {
    // mbedTLS wants a non-null input pointer even for empty input.
    static const std::uint8_t empty = 0;
    const unsigned char* in = data.empty() ? &empty : data.data();
    int rc = 0;
    switch (h) {
        case hash_algorithm::sha1: rc = compat::sha1(in, data.size(), out); break;
        case hash_algorithm::sha256: rc = compat::sha256(in, data.size(), out); break;
        case hash_algorithm::sha384: rc = compat::sha512(in, data.size(), out, true); break;
        case hash_algorithm::sha512: rc = compat::sha512(in, data.size(), out, false); break;
    }
    if (rc != 0) compat::throw_error(std::string(to_string(h)) + " failed", rc);
}

/// The digest of `data`.
inline bytes digest(hash_algorithm h, byte_view data) {
    bytes out(digest_size(h));
    digest_into(h, data, out.data());
    return out;
}

}  // namespace pca::crypto
