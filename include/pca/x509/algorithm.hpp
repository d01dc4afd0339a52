// pca/x509/algorithm.hpp - signature AlgorithmIdentifiers found in certificates, CSRs, CRLs.
//
//   AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
//   RSASSA-PSS-params ::= SEQUENCE {                      -- RFC 4055 section 3.1
//        hashAlgorithm      [0] HashAlgorithm    DEFAULT sha1,
//        maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
//        saltLength         [2] INTEGER          DEFAULT 20,
//        trailerField       [3] TrailerField     DEFAULT trailerFieldBC }
#pragma once

#include <optional>
#include <string>

#include "pca/core/bytes.hpp"
#include "pca/crypto/key.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/reader.hpp"
#include "pca/types/enums.hpp"

namespace pca::x509 {

/// A decoded signature AlgorithmIdentifier.
struct signature_algorithm_id {
    crypto::signature_scheme scheme{};
    crypto::hash_algorithm mgf1_hash = crypto::hash_algorithm::sha256;  ///< PSS only
    std::size_t salt_length = 0;                                         ///< PSS only
    /// The model's SigningAlgorithm when the identifier is one the service can produce
    /// (PSS only with MGF1 over the same hash and salt = hash length).
    std::optional<signing_algorithm> model;
    std::string name;  ///< readable, for messages ("ecdsa-with-SHA256", "sha1WithRSAEncryption", ...)
};

namespace detail {
inline crypto::hash_algorithm parse_hash_algorithm(der::reader& r, const char* what) {
    der::reader s = r.sequence(what);
    const der::oid o = s.oid(what);
    if (s.next_is(der::tag::null)) s.null(what);  // RFC 4055: NULL or absent
    s.expect_end(what);
    if (o == der::oids::sha1) return crypto::hash_algorithm::sha1;
    if (o == der::oids::sha256) return crypto::hash_algorithm::sha256;
    if (o == der::oids::sha384) return crypto::hash_algorithm::sha384;
    if (o == der::oids::sha512) return crypto::hash_algorithm::sha512;
    r.fail(std::string(what) + ": unsupported hash " + o.to_string());
}
}  // namespace detail

/// Decodes an AlgorithmIdentifier TLV (already read from `parent`). Throws der::decode_error
/// for a malformed identifier, an unknown algorithm or parameters that do not belong to it.
inline signature_algorithm_id parse_signature_algorithm(const der::tlv& alg, const der::reader& parent) {
    using crypto::hash_algorithm;
    using crypto::key_family;
    der::reader s = parent.child(alg, "signatureAlgorithm");
    const der::oid o = s.oid("signatureAlgorithm");
    signature_algorithm_id id;
    auto ecdsa = [&](hash_algorithm h, signing_algorithm m, const char* n) {
        if (!s.empty()) s.fail(std::string(n) + ": parameters must be absent (RFC 5758)");
        id.scheme = {key_family::ec, false, h};
        id.model = m;
        id.name = n;
    };
    auto pkcs1 = [&](hash_algorithm h, std::optional<signing_algorithm> m, const char* n) {
        if (!s.empty()) s.null(n);  // RFC 4055: NULL, absent accepted
        id.scheme = {key_family::rsa, false, h};
        id.model = m;
        id.name = n;
    };
    if (o == der::oids::ecdsa_with_sha256) ecdsa(hash_algorithm::sha256, signing_algorithm::sha256_with_ecdsa, "ecdsa-with-SHA256");
    else if (o == der::oids::ecdsa_with_sha384) ecdsa(hash_algorithm::sha384, signing_algorithm::sha384_with_ecdsa, "ecdsa-with-SHA384");
    else if (o == der::oids::ecdsa_with_sha512) ecdsa(hash_algorithm::sha512, signing_algorithm::sha512_with_ecdsa, "ecdsa-with-SHA512");
    else if (o == der::oids::sha256_with_rsa_encryption) pkcs1(hash_algorithm::sha256, signing_algorithm::sha256_with_rsa, "sha256WithRSAEncryption");
    else if (o == der::oids::sha384_with_rsa_encryption) pkcs1(hash_algorithm::sha384, signing_algorithm::sha384_with_rsa, "sha384WithRSAEncryption");
    else if (o == der::oids::sha512_with_rsa_encryption) pkcs1(hash_algorithm::sha512, signing_algorithm::sha512_with_rsa, "sha512WithRSAEncryption");
    else if (o == der::oids::sha1_with_rsa_encryption) pkcs1(hash_algorithm::sha1, std::nullopt, "sha1WithRSAEncryption");
    else if (o == der::oids::rsassa_pss) {
        der::reader p = s.sequence("RSASSA-PSS-params");
        hash_algorithm h = hash_algorithm::sha1, mgf = hash_algorithm::sha1;
        std::int64_t salt = 20;
        if (auto t = p.enter_optional(der::tag::context_constructed(0), "hashAlgorithm")) {
            h = detail::parse_hash_algorithm(*t, "hashAlgorithm");
            t->expect_end("hashAlgorithm");
        }
        if (auto t = p.enter_optional(der::tag::context_constructed(1), "maskGenAlgorithm")) {
            der::reader m = t->sequence("maskGenAlgorithm");
            t->expect_end("maskGenAlgorithm");
            if (m.oid("maskGenAlgorithm") != der::oids::mgf1) m.fail("RSASSA-PSS: only MGF1 is supported");
            mgf = detail::parse_hash_algorithm(m, "MGF1 hash");
            m.expect_end("maskGenAlgorithm");
        }
        if (auto t = p.enter_optional(der::tag::context_constructed(2), "saltLength")) {
            salt = t->integer("saltLength");
            t->expect_end("saltLength");
            if (salt < 0 || salt > 1024) t->fail("RSASSA-PSS: saltLength out of range");
        }
        if (auto t = p.enter_optional(der::tag::context_constructed(3), "trailerField")) {
            if (t->integer("trailerField") != 1) t->fail("RSASSA-PSS: trailerField must be 1");
            t->expect_end("trailerField");
        }
        p.expect_end("RSASSA-PSS-params");
        id.scheme = {key_family::rsa, true, h};
        id.mgf1_hash = mgf;
        id.salt_length = static_cast<std::size_t>(salt);
        id.name = "RSASSA-PSS";
        if (mgf == h && id.salt_length == crypto::digest_size(h)) {
            if (h == hash_algorithm::sha256) id.model = signing_algorithm::sha256_with_rsa_pss;
            if (h == hash_algorithm::sha384) id.model = signing_algorithm::sha384_with_rsa_pss;
            if (h == hash_algorithm::sha512) id.model = signing_algorithm::sha512_with_rsa_pss;
        }
    } else {
        s.fail("unsupported signature algorithm " + o.to_string());
    }
    s.expect_end("signatureAlgorithm");
    return id;
}

/// Verifies `signature` over `message` with `key` as `alg` says. False on a bad signature
/// or a key of the wrong family; never throws for those.
inline bool verify_signature(const crypto::public_key& key, const signature_algorithm_id& alg, byte_view message,
                             byte_view signature) {
    if (key.family() != alg.scheme.family) return false;
    if (alg.scheme.pss) return key.verify_pss(alg.scheme.hash, alg.mgf1_hash, alg.salt_length, message, signature);
    return key.verify(alg.scheme, message, signature);
}

}  // namespace pca::x509
