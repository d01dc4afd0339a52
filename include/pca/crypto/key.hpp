// pca/crypto/key.hpp - public and private keys on mbedTLS: generation, PKCS#8/SPKI import and
// export, signing and verification.
//
// Concurrency. mbedTLS contexts are not safe for concurrent use in general: RSA operations
// mutate the context (blinding values Vi/Vf, lazily computed Montgomery constants) and only
// lock its mutex when mbedTLS is built with MBEDTLS_THREADING_C - and then every operation on
// that key is serialized for its whole duration; ECP may fill a group's precomputed table on
// first use. pca therefore never shares one mbedtls_pk_context between threads: every key
// owns a small pool of parsed contexts. An operation borrows one (a mutex held only to pop or
// push a pointer), uses it exclusively, and returns it; when all are busy, a new one is parsed
// from the key's DER, so a key ends up with as many contexts as threads that used it at the
// same time. Keys are parsed once per context, never per call. A const private_key or a
// public_key may be used by any number of threads at once.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/crypto/compat.hpp"
#include "pca/crypto/digest.hpp"
#include "pca/crypto/drbg.hpp"
#include "pca/crypto/error.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/writer.hpp"
#include "pca/types/enums.hpp"

namespace pca::crypto {

namespace detail {

/// An initialised mbedtls_pk_context; mbedtls_pk_free() zeroizes and frees it.
struct pk_handle {
    mbedtls_pk_context ctx;

    pk_handle() {
        compat::ensure_initialized();
        mbedtls_pk_init(&ctx);
    }
    ~pk_handle() { mbedtls_pk_free(&ctx); }
    pk_handle(const pk_handle&) = delete;
    pk_handle& operator=(const pk_handle&) = delete;
};

/// One DER TLV: identifier octet, content, total encoded size.
struct tlv {
    std::uint8_t tag = 0;
    byte_view content;
    std::size_t size = 0;
};

/// Reads the TLV at the start of `in`: low tag number form, definite minimal length of at
/// most four octets, content inside `in`. False otherwise. (A small structural check for
/// untrusted key input before mbedTLS sees it; not a general DER reader.)
inline bool read_tlv(byte_view in, tlv& out) noexcept {
    if (in.size() < 2 || (in[0] & 0x1f) == 0x1f) return false;
    std::size_t pos = 1;
    std::size_t len = in[pos++];
    if (len & 0x80) {
        const std::size_t n = len & 0x7f;
        if (n == 0 || n > 4 || in.size() - pos < n || in[pos] == 0) return false;
        len = 0;
        for (std::size_t i = 0; i < n; ++i) len = (len << 8) | in[pos++];
        if (len < 0x80) return false;  // long form where the short form fits
    }
    if (in.size() - pos < len) return false;
    out.tag = in[0];
    out.content = byte_view(in.data() + pos, len);
    out.size = pos + len;
    return true;
}

/// True when `in` is exactly one SEQUENCE TLV with nothing after it.
inline bool is_single_sequence(byte_view in) noexcept {
    tlv t;
    return read_tlv(in, t) && t.tag == der::tag::sequence && t.size == in.size();
}

/// The key algorithm named by an EC SubjectPublicKeyInfo (namedCurve), nullopt for other
/// curves or structures.
inline std::optional<key_algorithm> ec_algorithm_from_spki(byte_view spki) noexcept {
    tlv outer, alg, alg_oid, curve;
    if (!read_tlv(spki, outer) || !read_tlv(outer.content, alg) || alg.tag != der::tag::sequence) return std::nullopt;
    if (!read_tlv(alg.content, alg_oid) || alg_oid.tag != der::tag::oid) return std::nullopt;
    if (!read_tlv(alg.content.subview(alg_oid.size), curve) || curve.tag != der::tag::oid) return std::nullopt;
    if (alg_oid.content != der::oids::id_ec_public_key.der_content()) return std::nullopt;
    if (curve.content == der::oids::secp256r1.der_content()) return key_algorithm::ec_prime256v1;
    if (curve.content == der::oids::secp384r1.der_content()) return key_algorithm::ec_secp384r1;
    if (curve.content == der::oids::secp521r1.der_content()) return key_algorithm::ec_secp521r1;
    return std::nullopt;
}

/// The mbedTLS writers fill the buffer from its end; this retries with a larger buffer when
/// it is too small and moves the result to the front.
template <class Buffer, class Write>
Buffer write_from_end(std::size_t initial, Write&& write, const char* what) {
    for (std::size_t cap = initial;; cap *= 2) {
        Buffer buf(cap);
        const int rc = write(buf.data(), buf.size());
        if (rc > 0) {
            const std::size_t n = static_cast<std::size_t>(rc);
            std::memmove(buf.data(), buf.data() + (buf.size() - n), n);
            secure_zero(buf.data() + n, buf.size() - n);
            buf.resize(n);
            return buf;
        }
        if (rc != MBEDTLS_ERR_ASN1_BUF_TOO_SMALL || cap >= (std::size_t{1} << 20)) compat::throw_error(what, rc);
    }
}

inline bytes write_spki(const mbedtls_pk_context& ctx) {
    return write_from_end<bytes>(
        1024, [&](unsigned char* b, std::size_t n) { return compat::pk_write_pubkey_der(&ctx, b, n); },
        "writing the SubjectPublicKeyInfo failed");
}

/// PKCS#1 RSAPrivateKey or SEC1 ECPrivateKey, in zeroizing storage.
inline secure_bytes write_private_der(const mbedtls_pk_context& ctx) {
    return write_from_end<secure_bytes>(
        4096, [&](unsigned char* b, std::size_t n) { return compat::pk_write_key_der(&ctx, b, n); },
        "writing the private key failed");
}

/// A set of interchangeable contexts for one key (see the comment at the top of this file).
class pk_pool {
public:
    /// `source` is what further contexts are parsed from: SubjectPublicKeyInfo for a public
    /// key, PKCS#1/SEC1 DER for a private one.
    pk_pool(std::unique_ptr<pk_handle> first, secure_bytes source, bool is_private)
        : m_source(std::move(source)), m_private(is_private) {
        m_idle.push_back(std::move(first));
    }
    pk_pool(const pk_pool&) = delete;
    pk_pool& operator=(const pk_pool&) = delete;

    /// Exclusive use of one context until destroyed.
    class lease {
    public:
        lease(const pk_pool& pool, std::unique_ptr<pk_handle> handle) noexcept
            : m_pool(&pool), m_handle(std::move(handle)) {}
        ~lease() {
            if (m_handle) m_pool->give_back(std::move(m_handle));
        }
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;

        mbedtls_pk_context* get() const noexcept { return &m_handle->ctx; }

        /// Frees the context instead of returning it to the pool. Used after a failed private
        /// key operation: mbedTLS may have left it half-updated (e.g. RSA blinding values when
        /// the rng failed midway), and every later signature with it would be wrong.
        void discard() noexcept { m_handle.reset(); }

    private:
        const pk_pool* m_pool;
        std::unique_ptr<pk_handle> m_handle;
    };

    lease acquire() const {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_idle.empty()) {
                std::unique_ptr<pk_handle> h = std::move(m_idle.back());
                m_idle.pop_back();
                return lease(*this, std::move(h));
            }
        }
        return lease(*this, make_context());
    }

    const secure_bytes& source() const noexcept { return m_source; }

private:
    std::unique_ptr<pk_handle> make_context() const {
        auto h = std::make_unique<pk_handle>();
        int rc;
        if (m_private) {
            rng_bridge bridge(thread_local_drbg());
            rc = compat::pk_parse_key(&h->ctx, m_source.data(), m_source.size(), &rng_bridge::callback, &bridge);
            bridge.rethrow_if_failed();
        } else {
            rc = mbedtls_pk_parse_public_key(&h->ctx, m_source.data(), m_source.size());
        }
        if (rc != 0) compat::throw_error("re-parsing a key for a new context failed", rc);
        return h;
    }

    void give_back(std::unique_ptr<pk_handle> h) const noexcept {
        try {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_idle.push_back(std::move(h));
        } catch (...) {
            // Out of memory: the context is simply freed; a later acquire() parses a new one.
        }
    }

    secure_bytes m_source;
    bool m_private;
    mutable std::mutex m_mutex;
    mutable std::vector<std::unique_ptr<pk_handle>> m_idle;
};

struct public_key_state {
    pk_pool pool;
    bytes spki;
    key_family family;
    std::size_t bits;
    std::optional<key_algorithm> algorithm;
    std::size_t signature_size;  // RSA: modulus bytes; EC: 0 (variable)

    public_key_state(std::unique_ptr<pk_handle> h, bytes spki_der, key_family f, std::size_t b,
                     std::optional<key_algorithm> a, std::size_t sig_size)
        : pool(std::move(h), secure_bytes(spki_der.begin(), spki_der.end()), false),
          spki(std::move(spki_der)),
          family(f),
          bits(b),
          algorithm(a),
          signature_size(sig_size) {}
};

inline std::optional<key_algorithm> rsa_algorithm_for_bits(std::size_t bits) noexcept {
    switch (bits) {
        case 2048: return key_algorithm::rsa_2048;
        case 3072: return key_algorithm::rsa_3072;
        case 4096: return key_algorithm::rsa_4096;
        default: return std::nullopt;
    }
}

/// The key family of a parsed context; throws crypto_error for anything but RSA and
/// id-ecPublicKey keys (e.g. id-ecDH keys, which cannot sign).
inline key_family family_of(const mbedtls_pk_context& ctx) {
    switch (mbedtls_pk_get_type(&ctx)) {
        case MBEDTLS_PK_RSA: return key_family::rsa;
        case MBEDTLS_PK_ECKEY: return key_family::ec;
        default:
            throw crypto_error(std::string("unsupported key type ") + mbedtls_pk_get_name(&ctx) +
                               " (only RSA and id-ecPublicKey keys can sign)");
    }
}

inline mbedtls_ecp_group_id ecp_group_for(key_algorithm a) noexcept {
    switch (a) {
        case key_algorithm::ec_prime256v1: return MBEDTLS_ECP_DP_SECP256R1;
        case key_algorithm::ec_secp384r1: return MBEDTLS_ECP_DP_SECP384R1;
        case key_algorithm::ec_secp521r1: return MBEDTLS_ECP_DP_SECP521R1;
        default: return MBEDTLS_ECP_DP_NONE;
    }
}

inline unsigned rsa_bits_for(key_algorithm a) noexcept {
    switch (a) {
        case key_algorithm::rsa_2048: return 2048;
        case key_algorithm::rsa_3072: return 3072;
        case key_algorithm::rsa_4096: return 4096;
        default: return 0;
    }
}

/// mbedTLS codes other than "out of memory" mean "does not verify" for a verify call.
inline bool verify_result(int rc) {
    if (rc == 0) return true;
    if (compat::is_alloc_failure(rc)) throw std::bad_alloc();
    return false;
}

}  // namespace detail

class private_key;

/// A public key: immutable, cheap to copy (copies share one state), safe to use from several
/// threads at once.
class public_key {
public:
    /// Parses a DER SubjectPublicKeyInfo (RFC 5280 4.1.2.7) holding an RSA or EC
    /// (id-ecPublicKey, namedCurve) key. Throws crypto_error for anything else, for trailing
    /// bytes and for malformed input.
    static public_key from_spki_der(byte_view spki) {
        if (!detail::is_single_sequence(spki))
            throw crypto_error("SubjectPublicKeyInfo is not a single DER SEQUENCE");
        auto h = std::make_unique<detail::pk_handle>();
        const int rc = mbedtls_pk_parse_public_key(&h->ctx, spki.data(), spki.size());
        if (rc != 0) compat::throw_error("cannot parse SubjectPublicKeyInfo", rc);
        const key_family family = detail::family_of(h->ctx);
        bytes canonical = detail::write_spki(h->ctx);
        const std::size_t bits = mbedtls_pk_get_bitlen(&h->ctx);
        std::optional<key_algorithm> alg;
        std::size_t sig_size = 0;
        if (family == key_family::rsa) {
            alg = detail::rsa_algorithm_for_bits(bits);
            sig_size = mbedtls_rsa_get_len(mbedtls_pk_rsa(h->ctx));
        } else {
            alg = detail::ec_algorithm_from_spki(canonical);
        }
        return public_key(std::make_shared<const detail::public_key_state>(std::move(h), std::move(canonical),
                                                                           family, bits, alg, sig_size));
    }

    /// SubjectPublicKeyInfo DER exactly as mbedTLS writes it (RSA with NULL parameters, EC
    /// with namedCurve and an uncompressed point). May differ from the bytes given to
    /// from_spki_der when those were a different valid encoding.
    const bytes& spki_der() const noexcept { return m_state->spki; }
    key_family family() const noexcept { return m_state->family; }
    /// RSA_2048/3072/4096 by modulus size, EC_* by curve; nullopt for other sizes and curves
    /// (such keys can still verify).
    std::optional<key_algorithm> algorithm() const noexcept { return m_state->algorithm; }
    /// Modulus bits (RSA) or curve order bits (EC).
    std::size_t bits() const noexcept { return m_state->bits; }

    /// Verifies `signature` over `message` (hashed here): RSA PKCS#1 v1.5, RSA-PSS with MGF1 of
    /// the same hash and salt = hash length, or ECDSA (DER Ecdsa-Sig-Value). Returns false for
    /// any signature that does not verify; throws pca::invalid_args_exception only when the
    /// scheme is not one this key can do (family mismatch, PSS with an EC key).
    bool verify(const signature_scheme& s, byte_view message, byte_view signature) const {
        check_scheme(s);
        if (s.family == key_family::rsa && s.pss)
            return verify_pss(s.hash, s.hash, digest_size(s.hash), message, signature);
        std::uint8_t hash[max_digest_size];
        digest_into(s.hash, message, hash);
        const unsigned int hash_len = static_cast<unsigned int>(digest_size(s.hash));
        if (s.family == key_family::rsa) {
            if (signature.size() != m_state->signature_size) return false;
            auto lease = m_state->pool.acquire();
            return detail::verify_result(compat::rsa_pkcs1_v15_verify(mbedtls_pk_rsa(*lease.get()),
                                                                      detail::md_type(s.hash), hash_len, hash,
                                                                      signature.data()));
        }
        static const std::uint8_t empty = 0;
        auto lease = m_state->pool.acquire();
        return detail::verify_result(mbedtls_pk_verify(lease.get(), detail::md_type(s.hash), hash, hash_len,
                                                       signature.empty() ? &empty : signature.data(),
                                                       signature.size()));
    }

    /// RSASSA-PSS verification with explicit parameters (as decoded from an
    /// RSASSA-PSS-params AlgorithmIdentifier). Throws pca::invalid_args_exception for an EC
    /// key; false for a signature that does not verify with exactly these parameters.
    bool verify_pss(hash_algorithm hash, hash_algorithm mgf1_hash, std::size_t salt_len, byte_view message,
                    byte_view signature) const {
        if (m_state->family != key_family::rsa)
            throw invalid_args_exception("an RSASSA-PSS signature cannot be verified with an EC key");
        if (signature.size() != m_state->signature_size || salt_len > static_cast<std::size_t>(INT_MAX))
            return false;
        std::uint8_t digest[max_digest_size];
        digest_into(hash, message, digest);
        auto lease = m_state->pool.acquire();
        return detail::verify_result(compat::rsa_pss_verify(
            mbedtls_pk_rsa(*lease.get()), detail::md_type(hash), static_cast<unsigned int>(digest_size(hash)),
            digest, detail::md_type(mgf1_hash), static_cast<int>(salt_len), signature.data()));
    }

    friend bool operator==(const public_key& a, const public_key& b) noexcept {
        return a.m_state == b.m_state || byte_view(a.m_state->spki) == byte_view(b.m_state->spki);
    }
    friend bool operator!=(const public_key& a, const public_key& b) noexcept { return !(a == b); }

private:
    friend class private_key;
    explicit public_key(std::shared_ptr<const detail::public_key_state> state) noexcept
        : m_state(std::move(state)) {}

    void check_scheme(const signature_scheme& s) const {
        if (s.family != m_state->family)
            throw invalid_args_exception(std::string("a signature scheme for ") + std::string(to_string(s.family)) +
                                         " keys cannot be verified with an " +
                                         std::string(to_string(m_state->family)) + " key");
        if (s.family == key_family::ec && s.pss) throw invalid_args_exception("PSS is an RSA-only signature scheme");
    }

    std::shared_ptr<const detail::public_key_state> m_state;
};

namespace detail {
struct private_key_state {
    key_algorithm algorithm;
    key_family family;
    pk_pool pool;  // source: PKCS#1 RSAPrivateKey / SEC1 ECPrivateKey (zeroized when freed)
    crypto::public_key pub;
    std::size_t signature_size;

    private_key_state(key_algorithm a, key_family f, std::unique_ptr<pk_handle> h, secure_bytes der,
                      crypto::public_key p, std::size_t sig_size)
        : algorithm(a), family(f), pool(std::move(h), std::move(der), true), pub(std::move(p)),
          signature_size(sig_size) {}
};
}  // namespace detail

/// A private key: move-only; the mbedTLS contexts and every DER copy are zeroized when freed.
/// A const private_key may sign from several threads at once.
class private_key {
public:
    /// A fresh key: RSA_2048/3072/4096 with e = 65537, or EC P-256/P-384/P-521, drawing from
    /// `rng`. SM2 and ML_DSA_* throw pca::invalid_args_exception; an exception thrown by `rng`
    /// propagates unchanged.
    static private_key generate(key_algorithm alg, pca::rng& rng) {
        const key_family family = family_for(alg);
        auto h = std::make_unique<detail::pk_handle>();
        detail::rng_bridge bridge(rng);
        int rc;
        if (family == key_family::rsa) {
            rc = mbedtls_pk_setup(&h->ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
            if (rc == 0)
                rc = mbedtls_rsa_gen_key(mbedtls_pk_rsa(h->ctx), &detail::rng_bridge::callback, &bridge,
                                         detail::rsa_bits_for(alg), 65537);
        } else {
            rc = mbedtls_pk_setup(&h->ctx, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
            if (rc == 0)
                rc = mbedtls_ecp_gen_key(detail::ecp_group_for(alg), mbedtls_pk_ec(h->ctx),
                                         &detail::rng_bridge::callback, &bridge);
        }
        bridge.rethrow_if_failed();
        if (rc != 0) compat::throw_error("generating a " + std::string(to_string(alg)) + " key failed", rc);
        return from_context(std::move(h), false);
    }

    /// Parses an unencrypted PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958 v1) of an RSA or EC key;
    /// PKCS#1 RSAPrivateKey and SEC1 ECPrivateKey DER are accepted too. The key must be one of
    /// the supported algorithms and its public part must match its private part. Throws
    /// crypto_error for anything else (garbage, truncation, trailing bytes, encrypted keys,
    /// RSA-1024, secp256k1, ...).
    static private_key from_pkcs8_der(byte_view der) {
        if (!detail::is_single_sequence(der)) throw crypto_error("private key is not a single DER SEQUENCE");
        auto h = std::make_unique<detail::pk_handle>();
        detail::rng_bridge bridge(thread_local_drbg());
        const int rc = compat::pk_parse_key(&h->ctx, der.data(), der.size(), &detail::rng_bridge::callback, &bridge);
        bridge.rethrow_if_failed();
        if (rc != 0) {
            // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier,
            // encryptedData OCTET STRING } (RFC 5208 6) starts with a SEQUENCE where
            // PrivateKeyInfo, RSAPrivateKey and ECPrivateKey start with an INTEGER. mbedTLS
            // reports it as PASSWORD_REQUIRED or, with no password given, as a bad key tag.
            detail::tlv outer, first;
            const bool encrypted = rc == MBEDTLS_ERR_PK_PASSWORD_REQUIRED ||
                                   (detail::read_tlv(der, outer) && detail::read_tlv(outer.content, first) &&
                                    first.tag == der::tag::sequence);
            if (encrypted) throw crypto_error("encrypted private keys (EncryptedPrivateKeyInfo) are not supported", rc);
            compat::throw_error("cannot parse the private key", rc);
        }
        return from_context(std::move(h), true);
    }

    private_key(private_key&&) noexcept = default;
    private_key& operator=(private_key&&) noexcept = default;
    ~private_key() = default;

    /// PKCS#8 PrivateKeyInfo (RFC 5208 5): version 0, rsaEncryption + NULL or id-ecPublicKey +
    /// namedCurve, and the PKCS#1 / SEC1 key (as mbedTLS writes it) in the OCTET STRING.
    secure_bytes to_pkcs8_der() const {
        const detail::private_key_state& st = state();
        const secure_bytes& inner = st.pool.source();

        // AlgorithmIdentifier (not secret, so an ordinary buffer is fine).
        der::writer alg;
        alg.sequence([&](der::writer& a) {
            if (st.family == key_family::rsa) {
                a.oid(der::oids::rsa_encryption);  // RFC 3279 2.3.1: parameters NULL
                a.null();
            } else {
                a.oid(der::oids::id_ec_public_key);  // RFC 5480 2.1.1: ECParameters namedCurve
                a.oid(st.algorithm == key_algorithm::ec_prime256v1  ? der::oids::secp256r1
                      : st.algorithm == key_algorithm::ec_secp384r1 ? der::oids::secp384r1
                                                                    : der::oids::secp521r1);
            }
        });
        const bytes& alg_id = alg.buffer();

        // PrivateKeyInfo ::= SEQUENCE {
        //     version             Version,                 -- 0
        //     privateKeyAlgorithm PrivateKeyAlgorithmIdentifier,
        //     privateKey          PrivateKey,              -- OCTET STRING
        //     attributes          [0] IMPLICIT Attributes OPTIONAL }   -- RFC 5208 5
        // Assembled by hand into one preallocated zeroizing buffer, so that the secret never
        // passes through a growing std::vector that would leave copies behind.
        static constexpr std::uint8_t version[] = {der::tag::integer, 0x01, 0x00};
        bytes octet_header{der::tag::octet_string};
        der::append_length(octet_header, inner.size());
        const std::size_t content = sizeof version + alg_id.size() + octet_header.size() + inner.size();
        bytes outer_header{der::tag::sequence};
        der::append_length(outer_header, content);

        secure_bytes out;
        out.reserve(outer_header.size() + content);
        out.insert(out.end(), outer_header.begin(), outer_header.end());
        out.insert(out.end(), std::begin(version), std::end(version));
        out.insert(out.end(), alg_id.begin(), alg_id.end());
        out.insert(out.end(), octet_header.begin(), octet_header.end());
        out.insert(out.end(), inner.begin(), inner.end());
        return out;
    }

    key_algorithm algorithm() const { return state().algorithm; }
    key_family family() const { return state().family; }
    const crypto::public_key& public_key() const { return state().pub; }
    const bytes& spki_der() const { return state().pub.spki_der(); }

    /// Signs `message` (hashed here, once). The result is what goes into an X.509
    /// signatureValue BIT STRING: the RSA signature (modulus length) or a DER Ecdsa-Sig-Value.
    /// PSS uses MGF1 with the same hash and a salt of digest_size(hash) bytes. ECDSA uses
    /// mbedTLS's nonce generation (RFC 6979 deterministic when the build has
    /// MBEDTLS_ECDSA_DETERMINISTIC, as Debian's does, with `rng` blinding the computation;
    /// random from `rng` otherwise). Throws pca::invalid_args_exception when the scheme's
    /// family is not the key's.
    bytes sign(const signature_scheme& s, byte_view message, pca::rng& rng) const {
        const detail::private_key_state& st = state();
        if (s.family != st.family)
            throw invalid_args_exception(std::string("a signature scheme for ") + std::string(to_string(s.family)) +
                                         " keys cannot be used with an " + std::string(to_string(st.family)) +
                                         " key");
        if (s.family == key_family::ec && s.pss) throw invalid_args_exception("PSS is an RSA-only signature scheme");

        std::uint8_t hash[max_digest_size];
        digest_into(s.hash, message, hash);
        const unsigned int hash_len = static_cast<unsigned int>(digest_size(s.hash));
        const mbedtls_md_type_t md = detail::md_type(s.hash);
        detail::rng_bridge bridge(rng);
        int rc;
        bytes out;
        if (s.family == key_family::rsa) {
            out.resize(st.signature_size);
            auto lease = st.pool.acquire();
            mbedtls_rsa_context* rsa = mbedtls_pk_rsa(*lease.get());
            if (s.pss) {
                rc = compat::rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
                if (rc == 0)
                    rc = compat::rsa_pss_sign(rsa, &detail::rng_bridge::callback, &bridge, md, hash_len, hash,
                                              static_cast<int>(hash_len), out.data());
            } else {
                rc = compat::rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
                if (rc == 0)
                    rc = compat::rsa_pkcs1_v15_sign(rsa, &detail::rng_bridge::callback, &bridge, md, hash_len, hash,
                                                    out.data());
            }
            if (rc != 0) lease.discard();
        } else {
            std::uint8_t sig[MBEDTLS_ECDSA_MAX_LEN];
            std::size_t len = 0;
            {
                auto lease = st.pool.acquire();
                rc = compat::pk_sign(lease.get(), md, hash, hash_len, sig, sizeof sig, &len,
                                     &detail::rng_bridge::callback, &bridge);
                if (rc != 0) lease.discard();
            }
            if (rc == 0) out.assign(sig, sig + len);
        }
        bridge.rethrow_if_failed();
        if (rc != 0) {
            if (compat::is_alloc_failure(rc)) throw std::bad_alloc();
            compat::throw_error("signing failed", rc);
        }
        return out;
    }

    /// Signs with a model SigningAlgorithm. Throws pca::invalid_args_exception for SM3WITHSM2
    /// and ML_DSA_* and when the algorithm's family does not match the key's.
    bytes sign(signing_algorithm alg, byte_view message, pca::rng& rng) const {
        const signature_scheme s = scheme_for(alg);
        if (s.family != family())
            throw invalid_args_exception(std::string(to_string(alg)) + " cannot be used with an " +
                                         std::string(to_string(algorithm())) +
                                         " key: the signing algorithm family must match the key algorithm family");
        return sign(s, message, rng);
    }

private:
    explicit private_key(std::unique_ptr<detail::private_key_state> st) noexcept : m_state(std::move(st)) {}

    const detail::private_key_state& state() const {
        if (!m_state) throw crypto_error("use of a moved-from private_key");
        return *m_state;
    }

    /// Wraps a context holding a private key: checks it is a supported algorithm and
    /// (for imported keys) that its public and private parts agree.
    static private_key from_context(std::unique_ptr<detail::pk_handle> h, bool imported) {
        const key_family family = detail::family_of(h->ctx);
        crypto::public_key pub = crypto::public_key::from_spki_der(detail::write_spki(h->ctx));
        const std::optional<key_algorithm> alg = pub.algorithm();
        if (!alg) {
            throw crypto_error(family == key_family::rsa
                                   ? "unsupported RSA key size " + std::to_string(pub.bits()) +
                                         " (RSA_2048, RSA_3072 and RSA_4096 are supported)"
                                   : std::string("unsupported EC curve (P-256, P-384 and P-521 are supported)"));
        }
        if (imported) {
            auto pub_lease = pub.m_state->pool.acquire();
            detail::rng_bridge bridge(thread_local_drbg());
            const int rc = compat::pk_check_pair(pub_lease.get(), &h->ctx, &detail::rng_bridge::callback, &bridge);
            bridge.rethrow_if_failed();
            if (rc != 0) compat::throw_error("the private key is inconsistent (public and private parts differ)", rc);
        }
        secure_bytes der = detail::write_private_der(h->ctx);
        const std::size_t sig_size = pub.m_state->signature_size;
        return private_key(std::make_unique<detail::private_key_state>(*alg, family, std::move(h), std::move(der),
                                                                      std::move(pub), sig_size));
    }

    std::unique_ptr<detail::private_key_state> m_state;
};

}  // namespace pca::crypto
