// pca/crypto/compat.hpp - every difference between mbedTLS 2.28 LTS and 3.6 LTS, in one place.
//
// This is the only header in pca that reads MBEDTLS_VERSION_NUMBER. The rest of crypto/ calls
// the functions below and never touches an mbedTLS struct field (3.x makes them
// MBEDTLS_PRIVATE); the only context access is through public accessors such as
// mbedtls_pk_rsa()/mbedtls_pk_ec(). See docs/mbedtls-compat.md for the list and what is tested.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <mbedtls/version.h>  // 2.28: pulls config.h; 3.x: pulls build_info.h

#include <mbedtls/asn1.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "pca/crypto/error.hpp"

// ---- supported versions --------------------------------------------------------------------

#if MBEDTLS_VERSION_NUMBER < 0x021C0000
#error "pca requires mbedTLS 2.28 LTS or 3.6 LTS (found an older 2.x)"
#elif MBEDTLS_VERSION_NUMBER >= 0x03000000 && MBEDTLS_VERSION_NUMBER < 0x03060000
#error "pca supports mbedTLS 2.28 LTS and 3.6 LTS; 3.0-3.5 are not supported"
#elif MBEDTLS_VERSION_NUMBER >= 0x04000000
#error "pca does not support mbedTLS 4.x (the legacy pk/rsa/ecdsa API it uses was removed)"
#endif

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define PCA_MBEDTLS_3 1
#else
#define PCA_MBEDTLS_3 0
#endif

// ---- required configuration ------------------------------------------------------------------

#if !defined(MBEDTLS_PK_C) || !defined(MBEDTLS_PK_PARSE_C) || !defined(MBEDTLS_PK_WRITE_C)
#error "pca needs MBEDTLS_PK_C, MBEDTLS_PK_PARSE_C and MBEDTLS_PK_WRITE_C"
#endif
#if !defined(MBEDTLS_RSA_C) || !defined(MBEDTLS_PKCS1_V15) || !defined(MBEDTLS_PKCS1_V21) || \
    !defined(MBEDTLS_GENPRIME)
#error "pca needs MBEDTLS_RSA_C, MBEDTLS_PKCS1_V15, MBEDTLS_PKCS1_V21 and MBEDTLS_GENPRIME"
#endif
#if !defined(MBEDTLS_ECDSA_C) || !defined(MBEDTLS_ECP_DP_SECP256R1_ENABLED) || \
    !defined(MBEDTLS_ECP_DP_SECP384R1_ENABLED) || !defined(MBEDTLS_ECP_DP_SECP521R1_ENABLED)
#error "pca needs MBEDTLS_ECDSA_C and the P-256, P-384 and P-521 curves"
#endif
#if !defined(MBEDTLS_SHA1_C) || !defined(MBEDTLS_SHA256_C) || !defined(MBEDTLS_SHA512_C)
#error "pca needs MBEDTLS_SHA1_C, MBEDTLS_SHA256_C and MBEDTLS_SHA512_C"
#endif
#if PCA_MBEDTLS_3 && !defined(MBEDTLS_SHA384_C)
#error "pca needs MBEDTLS_SHA384_C"
#endif
#if !defined(MBEDTLS_CTR_DRBG_C) || !defined(MBEDTLS_ENTROPY_C)
#error "pca needs MBEDTLS_CTR_DRBG_C and MBEDTLS_ENTROPY_C"
#endif
#if PCA_MBEDTLS_3 && defined(MBEDTLS_USE_PSA_CRYPTO)
// With USE_PSA_CRYPTO, 3.6 may keep EC keys in PSA form (MBEDTLS_PK_USE_PSA_EC_DATA), where
// mbedtls_pk_ec() cannot be used to generate a key. Not supported rather than untested.
#error "pca does not support mbedTLS 3.x built with MBEDTLS_USE_PSA_CRYPTO"
#endif

#if PCA_MBEDTLS_3 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

namespace pca::crypto::compat {

/// The random-callback shape every mbedTLS function takes.
using rng_function = int (*)(void*, unsigned char*, std::size_t);

/// Version of the headers pca was compiled against, e.g. "2.28.3".
inline constexpr const char* mbedtls_version = MBEDTLS_VERSION_STRING;

/// True when the mbedTLS pca is built against counts elliptic-curve operations in process-wide
/// variables: 2.28's ecp.c does so under MBEDTLS_SELF_TEST (Debian 12's libmbedcrypto is built
/// that way). Every EC field multiplication then writes one shared cache line, so EC signing and
/// verification from several threads of one process scale poorly (measured: 1.4-1.5x on 2 cores
/// instead of 1.9-2.0x). RSA is unaffected. scripts/build-mbedtls builds the same mbedTLS without
/// MBEDTLS_SELF_TEST; docs/performance.md ("Threads").
inline constexpr bool mbedtls_shared_ec_counters =
#if !PCA_MBEDTLS_3 && defined(MBEDTLS_SELF_TEST) && defined(MBEDTLS_ECP_C)
    true;
#else
    false;
#endif

/// Called before the first key is parsed or generated. 3.x may route parts of the legacy API
/// through PSA when PSA is compiled in; initialising it is idempotent and cheap after the first
/// call. 2.28 needs nothing.
inline void ensure_initialized() {
#if PCA_MBEDTLS_3 && defined(MBEDTLS_PSA_CRYPTO_C)
    static const psa_status_t status = psa_crypto_init();
    if (status != PSA_SUCCESS) throw crypto_error("psa_crypto_init failed", static_cast<int>(status));
#endif
}

/// "mbedTLS -0x4080 (RSA - Bad input parameters to function)" for messages.
inline std::string error_text(int code) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%s0x%04X", code < 0 ? "-" : "", static_cast<unsigned>(code < 0 ? -code : code));
    std::string out = "mbedTLS ";
    out += hex;
#if defined(MBEDTLS_ERROR_C)
    char text[160] = {};
    mbedtls_strerror(code, text, sizeof text);
    out += " (";
    out += text;
    out += ")";
#endif
    return out;
}

/// Throws crypto_error("<what>: mbedTLS -0x.... (...)").
[[noreturn]] inline void throw_error(const std::string& what, int code) {
    throw crypto_error(what + ": " + error_text(code), code);
}

/// True for the codes mbedTLS uses when memory runs out.
constexpr bool is_alloc_failure(int code) noexcept {
    // Low-level and high-level parts are added together in mbedTLS codes; compare both halves.
    const int low = -((-code) & 0x007F);
    const int high = -((-code) & 0x7F80);
    return low == MBEDTLS_ERR_MPI_ALLOC_FAILED || low == MBEDTLS_ERR_ASN1_ALLOC_FAILED ||
           high == MBEDTLS_ERR_PK_ALLOC_FAILED || high == MBEDTLS_ERR_ECP_ALLOC_FAILED;
}

// ---- hashes: 2.28 has *_ret (the plain names are deprecated void functions); 3.x renamed ----

inline int sha1(const unsigned char* in, std::size_t n, unsigned char* out) {
#if PCA_MBEDTLS_3
    return mbedtls_sha1(in, n, out);
#else
    return mbedtls_sha1_ret(in, n, out);
#endif
}

inline int sha256(const unsigned char* in, std::size_t n, unsigned char* out) {
#if PCA_MBEDTLS_3
    return mbedtls_sha256(in, n, out, 0);
#else
    return mbedtls_sha256_ret(in, n, out, 0);
#endif
}

/// SHA-384 when is384, SHA-512 otherwise.
inline int sha512(const unsigned char* in, std::size_t n, unsigned char* out, bool is384) {
#if PCA_MBEDTLS_3
    return mbedtls_sha512(in, n, out, is384 ? 1 : 0);
#else
    return mbedtls_sha512_ret(in, n, out, is384 ? 1 : 0);
#endif
}

// ---- pk: 3.x added f_rng to parse_key/check_pair, sig_size to sign, const to the writers ----

inline int pk_parse_key(mbedtls_pk_context* ctx, const unsigned char* der, std::size_t n, rng_function f_rng,
                        void* p_rng) {
#if PCA_MBEDTLS_3
    return mbedtls_pk_parse_key(ctx, der, n, nullptr, 0, f_rng, p_rng);
#else
    (void)f_rng;
    (void)p_rng;
    return mbedtls_pk_parse_key(ctx, der, n, nullptr, 0);
#endif
}

inline int pk_check_pair(const mbedtls_pk_context* pub, const mbedtls_pk_context* prv, rng_function f_rng,
                         void* p_rng) {
#if PCA_MBEDTLS_3
    return mbedtls_pk_check_pair(pub, prv, f_rng, p_rng);
#else
    (void)f_rng;
    (void)p_rng;
    return mbedtls_pk_check_pair(pub, prv);
#endif
}

/// Writes PKCS#1 RSAPrivateKey or SEC1 ECPrivateKey at the END of buf; returns its length or
/// a negative error.
inline int pk_write_key_der(const mbedtls_pk_context* ctx, unsigned char* buf, std::size_t size) {
#if PCA_MBEDTLS_3
    return mbedtls_pk_write_key_der(ctx, buf, size);
#else
    // 2.28 takes a non-const pointer but does not modify the context.
    return mbedtls_pk_write_key_der(const_cast<mbedtls_pk_context*>(ctx), buf, size);
#endif
}

/// Writes SubjectPublicKeyInfo at the END of buf; returns its length or a negative error.
inline int pk_write_pubkey_der(const mbedtls_pk_context* ctx, unsigned char* buf, std::size_t size) {
#if PCA_MBEDTLS_3
    return mbedtls_pk_write_pubkey_der(ctx, buf, size);
#else
    return mbedtls_pk_write_pubkey_der(const_cast<mbedtls_pk_context*>(ctx), buf, size);
#endif
}

/// sig must hold sig_size bytes; 2.28 has no size parameter, so callers pass a buffer of
/// MBEDTLS_PK_SIGNATURE_MAX_SIZE (or MBEDTLS_ECDSA_MAX_LEN for ECDSA), which both versions
/// document as always enough.
inline int pk_sign(mbedtls_pk_context* ctx, mbedtls_md_type_t md, const unsigned char* hash, std::size_t hash_len,
                   unsigned char* sig, std::size_t sig_size, std::size_t* sig_len, rng_function f_rng, void* p_rng) {
#if PCA_MBEDTLS_3
    return mbedtls_pk_sign(ctx, md, hash, hash_len, sig, sig_size, sig_len, f_rng, p_rng);
#else
    (void)sig_size;
    return mbedtls_pk_sign(ctx, md, hash, hash_len, sig, sig_len, f_rng, p_rng);
#endif
}

// ---- rsa: 3.x dropped the `mode` argument and made set_padding return int ------------------

inline int rsa_set_padding(mbedtls_rsa_context* rsa, int padding, mbedtls_md_type_t hash) {
#if PCA_MBEDTLS_3
    return mbedtls_rsa_set_padding(rsa, padding, hash);
#else
    mbedtls_rsa_set_padding(rsa, padding, static_cast<int>(hash));
    return 0;
#endif
}

/// RSASSA-PKCS1-v1_5 signature of a digest; sig holds mbedtls_rsa_get_len(rsa) bytes.
/// The context's padding must be MBEDTLS_RSA_PKCS_V15.
inline int rsa_pkcs1_v15_sign(mbedtls_rsa_context* rsa, rng_function f_rng, void* p_rng, mbedtls_md_type_t md,
                              unsigned int hash_len, const unsigned char* hash, unsigned char* sig) {
#if PCA_MBEDTLS_3
    return mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, f_rng, p_rng, md, hash_len, hash, sig);
#else
    return mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, f_rng, p_rng, MBEDTLS_RSA_PRIVATE, md, hash_len, hash, sig);
#endif
}

/// RSASSA-PSS signature with an explicit salt length; MGF1 uses the hash set on the context
/// by rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, mgf1_hash). Same signature in both versions.
inline int rsa_pss_sign(mbedtls_rsa_context* rsa, rng_function f_rng, void* p_rng, mbedtls_md_type_t md,
                        unsigned int hash_len, const unsigned char* hash, int salt_len, unsigned char* sig) {
    return mbedtls_rsa_rsassa_pss_sign_ext(rsa, f_rng, p_rng, md, hash_len, hash, salt_len, sig);
}

/// sig must hold exactly mbedtls_rsa_get_len(rsa) bytes (mbedTLS reads that many).
inline int rsa_pkcs1_v15_verify(mbedtls_rsa_context* rsa, mbedtls_md_type_t md, unsigned int hash_len,
                                const unsigned char* hash, const unsigned char* sig) {
#if PCA_MBEDTLS_3
    return mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, md, hash_len, hash, sig);
#else
    return mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC, md, hash_len, hash, sig);
#endif
}

/// sig must hold exactly mbedtls_rsa_get_len(rsa) bytes.
inline int rsa_pss_verify(mbedtls_rsa_context* rsa, mbedtls_md_type_t md, unsigned int hash_len,
                          const unsigned char* hash, mbedtls_md_type_t mgf1, int salt_len, const unsigned char* sig) {
#if PCA_MBEDTLS_3
    return mbedtls_rsa_rsassa_pss_verify_ext(rsa, md, hash_len, hash, mgf1, salt_len, sig);
#else
    return mbedtls_rsa_rsassa_pss_verify_ext(rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC, md, hash_len, hash, mgf1,
                                             salt_len, sig);
#endif
}

}  // namespace pca::crypto::compat
