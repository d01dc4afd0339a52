// pca/crypto/signature.hpp - signing algorithms: schemes, the key pairing rule, and the DER
// AlgorithmIdentifier that goes into certificates, CSRs and CRLs.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/crypto/digest.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/writer.hpp"
#include "pca/types/enums.hpp"

namespace pca::crypto {

/// The families of keys this build can hold. The service's pairing rule is by family.
enum class key_family { rsa, ec };

constexpr std::string_view to_string(key_family f) noexcept { return f == key_family::rsa ? "RSA" : "EC"; }

/// How to sign: the key family, PKCS#1 v1.5 or PSS (RSA only), and the message hash.
/// For PSS, MGF1 uses the same hash and the salt is digest_size(hash) bytes (RFC 4055 /
/// RFC 8017 recommendation, and what OpenSSL's rsa_pss_saltlen:digest produces).
struct signature_scheme {
    key_family family;
    bool pss;
    hash_algorithm hash;

    friend constexpr bool operator==(const signature_scheme& a, const signature_scheme& b) noexcept {
        return a.family == b.family && a.pss == b.pss && a.hash == b.hash;
    }
    friend constexpr bool operator!=(const signature_scheme& a, const signature_scheme& b) noexcept {
        return !(a == b);
    }
};

/// True for the key algorithms mbedTLS can do here (RSA_2048/3072/4096, the three EC curves).
constexpr bool is_supported(key_algorithm a) noexcept {
    switch (a) {
        case key_algorithm::rsa_2048:
        case key_algorithm::rsa_3072:
        case key_algorithm::rsa_4096:
        case key_algorithm::ec_prime256v1:
        case key_algorithm::ec_secp384r1:
        case key_algorithm::ec_secp521r1: return true;
        case key_algorithm::ml_dsa_44:
        case key_algorithm::ml_dsa_65:
        case key_algorithm::ml_dsa_87:
        case key_algorithm::sm2: return false;
    }
    return false;
}

/// True for SHA{256,384,512}WITH{ECDSA,RSA,RSA_PSS}; false for SM3WITHSM2 and ML_DSA_*.
constexpr bool is_supported(signing_algorithm a) noexcept {
    switch (a) {
        case signing_algorithm::sha256_with_ecdsa:
        case signing_algorithm::sha384_with_ecdsa:
        case signing_algorithm::sha512_with_ecdsa:
        case signing_algorithm::sha256_with_rsa:
        case signing_algorithm::sha384_with_rsa:
        case signing_algorithm::sha512_with_rsa:
        case signing_algorithm::sha256_with_rsa_pss:
        case signing_algorithm::sha384_with_rsa_pss:
        case signing_algorithm::sha512_with_rsa_pss: return true;
        case signing_algorithm::sm3_with_sm2:
        case signing_algorithm::ml_dsa_44:
        case signing_algorithm::ml_dsa_65:
        case signing_algorithm::ml_dsa_87: return false;
    }
    return false;
}

namespace detail {
[[noreturn]] inline void throw_unsupported(std::string_view wire_name) {
    throw invalid_args_exception(std::string(wire_name) +
                                 " is not supported by this build (mbedTLS has no SM2/ML-DSA)");
}
}  // namespace detail

/// The scheme of a model SigningAlgorithm. SM3WITHSM2 and ML_DSA_* throw
/// pca::invalid_args_exception naming the algorithm.
inline signature_scheme scheme_for(signing_algorithm a) {
    switch (a) {
        case signing_algorithm::sha256_with_ecdsa: return {key_family::ec, false, hash_algorithm::sha256};
        case signing_algorithm::sha384_with_ecdsa: return {key_family::ec, false, hash_algorithm::sha384};
        case signing_algorithm::sha512_with_ecdsa: return {key_family::ec, false, hash_algorithm::sha512};
        case signing_algorithm::sha256_with_rsa: return {key_family::rsa, false, hash_algorithm::sha256};
        case signing_algorithm::sha384_with_rsa: return {key_family::rsa, false, hash_algorithm::sha384};
        case signing_algorithm::sha512_with_rsa: return {key_family::rsa, false, hash_algorithm::sha512};
        case signing_algorithm::sha256_with_rsa_pss: return {key_family::rsa, true, hash_algorithm::sha256};
        case signing_algorithm::sha384_with_rsa_pss: return {key_family::rsa, true, hash_algorithm::sha384};
        case signing_algorithm::sha512_with_rsa_pss: return {key_family::rsa, true, hash_algorithm::sha512};
        case signing_algorithm::sm3_with_sm2:
        case signing_algorithm::ml_dsa_44:
        case signing_algorithm::ml_dsa_65:
        case signing_algorithm::ml_dsa_87: break;
    }
    detail::throw_unsupported(to_string(a));
}

/// RSA_* -> rsa, EC_* -> ec; SM2 and ML_DSA_* throw pca::invalid_args_exception.
inline key_family family_for(key_algorithm a) {
    switch (a) {
        case key_algorithm::rsa_2048:
        case key_algorithm::rsa_3072:
        case key_algorithm::rsa_4096: return key_family::rsa;
        case key_algorithm::ec_prime256v1:
        case key_algorithm::ec_secp384r1:
        case key_algorithm::ec_secp521r1: return key_family::ec;
        case key_algorithm::ml_dsa_44:
        case key_algorithm::ml_dsa_65:
        case key_algorithm::ml_dsa_87:
        case key_algorithm::sm2: break;
    }
    detail::throw_unsupported(to_string(a));
}

/// The service's pairing rule: "The specified signing algorithm family (RSA or ECDSA) must
/// match the algorithm family of the CA's secret key" (RSA and RSA_PSS with RSA keys, ECDSA
/// with EC keys; no curve-to-hash binding). Throws pca::invalid_args_exception when either
/// algorithm is not supported by this build, so the caller reports that rather than a
/// mismatch.
inline bool compatible(key_algorithm key, signing_algorithm sig) {
    return family_for(key) == scheme_for(sig).family;
}

namespace detail {

// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER,
//                                    parameters ANY DEFINED BY algorithm OPTIONAL }
//                                                              -- RFC 5280 4.1.1.2
inline bytes encode_algorithm_identifier(signing_algorithm a) {
    const signature_scheme s = scheme_for(a);
    der::writer w;
    if (s.family == key_family::ec) {
        // ecdsa-with-SHA*: parameters MUST be absent (RFC 5758 3.2).
        const der::oid& o = s.hash == hash_algorithm::sha256   ? der::oids::ecdsa_with_sha256
                            : s.hash == hash_algorithm::sha384 ? der::oids::ecdsa_with_sha384
                                                               : der::oids::ecdsa_with_sha512;
        w.sequence([&](der::writer& alg) { alg.oid(o); });
    } else if (!s.pss) {
        // sha*WithRSAEncryption: parameters MUST be NULL (RFC 4055 5).
        const der::oid& o = s.hash == hash_algorithm::sha256   ? der::oids::sha256_with_rsa_encryption
                            : s.hash == hash_algorithm::sha384 ? der::oids::sha384_with_rsa_encryption
                                                               : der::oids::sha512_with_rsa_encryption;
        w.sequence([&](der::writer& alg) {
            alg.oid(o);
            alg.null();
        });
    } else {
        // RSASSA-PSS-params ::= SEQUENCE {
        //     hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1Identifier,
        //     maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
        //     saltLength         [2] INTEGER          DEFAULT 20,
        //     trailerField       [3] INTEGER          DEFAULT 1 }      -- RFC 4055 3.1
        // The hash AlgorithmIdentifiers carry NULL parameters, as OpenSSL 3 writes them (RFC
        // 4055 2.1 says implementations MUST accept both forms). trailerField is the DEFAULT,
        // so DER omits it.
        const der::oid& hash = hash_oid(s.hash);
        auto hash_identifier = [&](der::writer& out) {
            out.sequence([&](der::writer& h) {
                h.oid(hash);
                h.null();
            });
        };
        w.sequence([&](der::writer& alg) {
            alg.oid(der::oids::rsassa_pss);
            alg.sequence([&](der::writer& params) {
                params.context_explicit(0, hash_identifier);
                params.context_explicit(1, [&](der::writer& mgf) {
                    mgf.sequence([&](der::writer& m) {
                        m.oid(der::oids::mgf1);
                        hash_identifier(m);
                    });
                });
                params.context_explicit(2, [&](der::writer& salt) {
                    salt.integer(static_cast<std::int64_t>(digest_size(s.hash)));
                });
            });
        });
    }
    return w.take();
}

inline constexpr std::size_t supported_signing_algorithm_count = 9;

/// Encodings of the supported algorithms, indexed by enum value (the nine supported values
/// come first in the generated enum).
inline const std::array<bytes, supported_signing_algorithm_count>& algorithm_identifier_table() {
    static const std::array<bytes, supported_signing_algorithm_count> table = [] {
        std::array<bytes, supported_signing_algorithm_count> t;
        for (std::size_t i = 0; i < t.size(); ++i)
            t[i] = encode_algorithm_identifier(enum_traits<signing_algorithm>::values[i]);
        return t;
    }();
    return table;
}

}  // namespace detail

/// The complete DER AlgorithmIdentifier for signatures made with `a`, as a view of a constant
/// (no allocation). Throws pca::invalid_args_exception for SM3WITHSM2 and ML_DSA_*.
inline byte_view algorithm_identifier_view(signing_algorithm a) {
    if (!is_supported(a)) detail::throw_unsupported(to_string(a));
    static_assert(static_cast<std::size_t>(signing_algorithm::sha512_with_rsa_pss) + 1 ==
                      detail::supported_signing_algorithm_count,
                  "the supported signing algorithms must be the first enum values");
    return detail::algorithm_identifier_table()[static_cast<std::size_t>(a)];
}

/// The complete DER AlgorithmIdentifier for signatures made with `a`: RSA PKCS#1 v1.5 with
/// NULL parameters, ECDSA with absent parameters, RSASSA-PSS with explicit parameters
/// (hash, MGF1 with the same hash, salt length = hash length).
inline bytes algorithm_identifier_der(signing_algorithm a) { return algorithm_identifier_view(a).to_bytes(); }

/// The signing algorithm whose canonical AlgorithmIdentifier (as algorithm_identifier_der
/// writes it) is exactly `der`; nullopt otherwise. Other valid encodings (PSS with absent hash
/// parameters or a different salt length, RSA without NULL) are not matched: callers that
/// must accept them decode the parameters and use public_key::verify_pss.
inline std::optional<signing_algorithm> signing_algorithm_from_der(byte_view der) {
    const auto& table = detail::algorithm_identifier_table();
    for (std::size_t i = 0; i < table.size(); ++i)
        if (byte_view(table[i]) == der) return enum_traits<signing_algorithm>::values[i];
    return std::nullopt;
}

}  // namespace pca::crypto
