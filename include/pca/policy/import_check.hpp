// pca/policy/import_check.hpp - ImportCertificateAuthorityCertificate: may this certificate
// (and chain) become the CA's certificate? (semantics.md 6.2, issue 4, docs/import.md)
//
// The check only validates; it stores nothing. On success it returns the parsed certificate
// and chain so that the service can keep them; on failure it throws the service's error with
// a message that names the input ("Certificate", "CertificateChain block N", N counted from
// 1 in the order given) and the rule:
//
//   [pca.certificate_mismatch] CertificateChain block 1 does not issue Certificate: ...
//
// Rules, in the order they are applied (the first one broken is reported):
//   1. sizes: Certificate 1..32768 bytes, CertificateChain 0..2097152 bytes (the model's
//      CertificateBodyBlob / CertificateChainBlob)                         -> ValidationException
//   2. request shape: ROOT takes no chain, SUBORDINATE needs one           -> InvalidRequestException
//   3. PEM only, one CERTIFICATE block for Certificate, at most four for the chain (five
//      levels with the imported certificate; more -> InvalidRequestException), each block
//      strict DER                                                           -> MalformedCertificateException
//   4. the certificate on its own: CA extensions (BasicConstraints present, critical,
//      cA TRUE; only the allowed extensions critical; KeyUsage with keyCertSign), a usable
//      public key                                                           -> MalformedCertificateException
//      not expired (notAfter <= now)                                        -> InvalidRequestException
//   5. ROOT must be self-signed, SUBORDINATE must not be                   -> InvalidRequestException
//   6. its key equals the CSR's key; on re-import its subject equals the
//      current certificate's                                               -> CertificateMismatchException
//   7. chain: not containing the certificate, no duplicates                -> InvalidRequestException
//      every chain certificate passes rule 4                               -> Malformed / InvalidRequest
//      each block issues the one before it (names byte for byte, signature
//      verified, validity covering the child's), the last is a self-signed
//      root and nothing follows a root, pathLenConstraint allows the depth -> CertificateMismatchException
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/error.hpp"
#include "pca/crypto/key.hpp"
#include "pca/der/error.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/pem.hpp"
#include "pca/der/reader.hpp"
#include "pca/policy/issuance.hpp"
#include "pca/types/enums.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/extensions.hpp"

namespace pca::policy {

/// CertificateBodyBlob max: "The maximum allowed size of a certificate is 32 KB."
inline constexpr std::size_t max_import_certificate_size = 32768;
/// CertificateChainBlob max: "The maximum allowed size of a certificate chain is 2 MB."
inline constexpr std::size_t max_import_chain_size = 2097152;
/// With the imported certificate, a chain of four makes the five levels AWS Private CA allows.
inline constexpr std::size_t max_import_chain_certificates = max_path_levels - 1;

/// What the check needs to know about the CA the certificate is imported for.
struct import_context {
    certificate_authority_type type = certificate_authority_type::root;
    bytes csr_public_key_info_der;               ///< SubjectPublicKeyInfo of the CA's key (from its CSR)
    sys_seconds now{};                           ///< the service clock at the time of the call
    const x509::certificate* current = nullptr;  ///< the CA's current certificate on re-import, if any
};

/// An accepted import: the certificate and the chain as given (issuer of `certificate`
/// first, root last); `chain` is empty for a root.
struct import_result {
    x509::certificate certificate;
    std::vector<x509::certificate> chain;
};

namespace detail {

/// How AWS Private CA treats an extension that is marked critical in an imported CA
/// certificate or chain (ImportCertificateAuthorityCertificate documentation, 2025 model).
enum class import_critical_rule { allowed, refused, unknown };

struct import_extension_info {
    const char* name;
    import_critical_rule rule;
};

inline import_extension_info import_extension(const der::oid& id) noexcept {
    using r = import_critical_rule;
    namespace o = der::oids;
    if (id == o::authority_key_identifier) return {"AuthorityKeyIdentifier", r::allowed};
    if (id == o::basic_constraints) return {"BasicConstraints", r::allowed};
    if (id == o::certificate_policies) return {"CertificatePolicies", r::allowed};
    if (id == o::extended_key_usage) return {"ExtendedKeyUsage", r::allowed};
    if (id == o::inhibit_any_policy) return {"InhibitAnyPolicy", r::allowed};
    if (id == o::issuer_alt_name) return {"IssuerAltName", r::allowed};
    if (id == o::key_usage) return {"KeyUsage", r::allowed};
    if (id == o::name_constraints) return {"NameConstraints", r::allowed};
    if (id == o::policy_mappings) return {"PolicyMappings", r::allowed};
    if (id == o::subject_alt_name) return {"SubjectAltName", r::allowed};
    if (id == o::subject_directory_attributes) return {"SubjectDirectoryAttributes", r::allowed};
    if (id == o::subject_key_identifier) return {"SubjectKeyIdentifier", r::allowed};
    if (id == o::subject_info_access) return {"SubjectInfoAccess", r::allowed};
    if (id == o::authority_info_access) return {"AuthorityInfoAccess", r::refused};
    if (id == o::crl_distribution_points) return {"CRLDistributionPoints", r::refused};
    if (id == o::freshest_crl) return {"FreshestCRL", r::refused};
    if (id == o::policy_constraints) return {"PolicyConstraints", r::refused};
    return {nullptr, r::unknown};
}

[[noreturn]] inline void import_malformed(const std::string& where, const std::string& what) {
    throw malformed_certificate_exception(where + ": " + what);
}

/// "CertificateChain block 2" for chain index 1.
inline std::string import_chain_position(std::size_t index) {
    return "CertificateChain block " + std::to_string(index + 1);
}

/// Runs `f`, turning what lower layers throw for bad input (der::decode_error,
/// crypto::crypto_error, a pca::error of another kind) into MalformedCertificateException
/// naming `where`. std::bad_alloc passes through.
template <class F>
auto import_guarded(const std::string& where, const char* doing, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const der::decode_error& e) {
        import_malformed(where, std::string(doing) + ": " + e.what());
    } catch (const crypto::crypto_error& e) {
        import_malformed(where, std::string(doing) + ": " + e.what());
    } catch (const error& e) {
        import_malformed(where, std::string(doing) + ": " + e.message());
    } catch (const std::exception& e) {
        import_malformed(where, std::string(doing) + ": " + e.what());
    }
}

inline std::size_t count_pem_begin_lines(std::string_view text) {
    static constexpr std::string_view begin_marker = "-----BEGIN ";
    std::size_t n = 0;
    for (std::size_t pos = text.find(begin_marker); pos != std::string_view::npos;
         pos = text.find(begin_marker, pos + begin_marker.size()))
        ++n;
    return n;
}

/// The text of each PEM block: from one BEGIN line to the next (or to the end).
inline std::vector<std::string_view> split_pem_blocks(std::string_view text) {
    static constexpr std::string_view begin_marker = "-----BEGIN ";
    std::vector<std::string_view> out;
    std::size_t pos = text.find(begin_marker);
    while (pos != std::string_view::npos) {
        const std::size_t next = text.find(begin_marker, pos + begin_marker.size());
        out.push_back(text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
        pos = next;
    }
    return out;
}

/// A certificate in PEM: one CERTIFICATE block, strict DER inside.
inline x509::certificate decode_import_block(std::string_view block_text, const std::string& where) {
    der::pem_block block;
    try {
        auto blocks = der::pem_decode_all(block_text, 1);
        block = std::move(blocks.at(0));
    } catch (const der::decode_error& e) {
        // pem_decode_all counts within the text it was given ("PEM block 1"); say which block it is.
        std::string what = e.what();
        static constexpr std::string_view own_prefix = "PEM block 1";
        if (what.compare(0, own_prefix.size(), own_prefix) == 0)
            what.erase(0, own_prefix.size());  // " (CERTIFICATE): invalid base64"
        else
            what = ": " + what;
        import_malformed(where, "not a valid PEM block" + what);
    }
    if (block.label != "CERTIFICATE")
        import_malformed(where, "PEM label is '" + block.label + "'; expected 'CERTIFICATE'");
    return import_guarded(where, "not a valid DER X.509 certificate", [&] { return x509::certificate::parse(block.der); });
}

[[noreturn]] inline void refuse_non_pem(std::string_view text, const std::string& field) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
    if (i < text.size() && static_cast<unsigned char>(text[i]) == 0x30)
        import_malformed(field, "looks like binary DER, not PEM; it must be PEM-encoded "
                                "('-----BEGIN CERTIFICATE-----' ... '-----END CERTIFICATE-----')");
    import_malformed(field, "no PEM block found; it must be PEM-encoded "
                            "('-----BEGIN CERTIFICATE-----' ... '-----END CERTIFICATE-----')");
}

inline x509::certificate decode_import_certificate(byte_view pem) {
    const std::string_view text = pem.as_string_view();
    const std::size_t blocks = count_pem_begin_lines(text);
    if (blocks == 0) refuse_non_pem(text, "Certificate");
    if (blocks > 1)
        import_malformed("Certificate", "holds " + std::to_string(blocks) +
                                            " PEM blocks; exactly one certificate is expected (the chain goes in CertificateChain)");
    return decode_import_block(split_pem_blocks(text).front(), "Certificate");
}

inline std::vector<x509::certificate> decode_import_chain(byte_view pem) {
    const std::string_view text = pem.as_string_view();
    const std::size_t blocks = count_pem_begin_lines(text);
    if (blocks == 0) refuse_non_pem(text, "CertificateChain");
    if (blocks > max_import_chain_certificates)
        throw invalid_request_exception(
            "CertificateChain holds " + std::to_string(blocks) + " PEM blocks: with the imported certificate that is " +
            std::to_string(blocks + 1) + " levels, and a CA hierarchy has at most " + std::to_string(max_path_levels) +
            " (so at most " + std::to_string(max_import_chain_certificates) + " chain certificates)");
    std::vector<x509::certificate> chain;
    const auto texts = split_pem_blocks(text);
    chain.reserve(texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) chain.push_back(decode_import_block(texts[i], import_chain_position(i)));
    return chain;
}

/// The extension rules every certificate of the import obeys (issue 4 item 4).
inline void check_import_ca_extensions(const x509::certificate& cert, const std::string& where) {
    // Fields pca shows or copies into what it issues (RFC 5280 4.1.2.2, 4.1.2.5, appendix A).
    if (!cert.serial_is_positive())
        import_malformed(where, "serialNumber 0x" + to_hex(cert.serial()) + " is not a positive integer (RFC 5280 4.1.2.2)");
    if (cert.serial().size() > 20)
        import_malformed(where, "serialNumber is " + std::to_string(cert.serial().size()) +
                                    " octets; RFC 5280 4.1.2.2 allows at most 20");
    if (cert.not_before() > cert.not_after())
        import_malformed(where, "notBefore " + to_iso8601(cert.not_before()) + " is after notAfter " + to_iso8601(cert.not_after()));
    if (const std::string why = x509::name_value_problem(cert.subject()); !why.empty()) import_malformed(where, "subject " + why);
    for (const auto& e : cert.extensions()) {
        // The standard extensions pca can decode must decode.
        const auto decodes = [&](const char* name, auto decode) {
            import_guarded(where, (std::string(name) + " (" + e.id.to_string() + ") is malformed").c_str(), [&] { (void)decode(e.value); });
        };
        if (e.id == x509::subject_alt_name::id) decodes("SubjectAltName", &x509::subject_alt_name::decode);
        else if (e.id == x509::extended_key_usage::id) decodes("ExtendedKeyUsage", &x509::extended_key_usage::decode);
        else if (e.id == x509::certificate_policies::id) decodes("CertificatePolicies", &x509::certificate_policies::decode);
        else if (e.id == x509::crl_distribution_points::id) decodes("CRLDistributionPoints", &x509::crl_distribution_points::decode);
        else if (e.id == x509::authority_info_access::id) decodes("AuthorityInfoAccess", &x509::authority_info_access::decode);
        // extnValue must hold exactly one DER value (the inner syntax of extensions pca does
        // not interpret is not checked further).
        import_guarded(where, ("extension " + e.id.to_string() + " does not hold a single DER value").c_str(), [&] {
            der::reader r(e.value);
            r.read_any("extnValue");
            r.expect_end("extnValue");
        });
        if (!e.critical) continue;
        const auto info = import_extension(e.id);
        if (info.rule == import_critical_rule::refused)
            import_malformed(where, std::string(info.name) + " (" + e.id.to_string() +
                                        ") is marked critical; AWS Private CA refuses it as a critical extension");
        if (info.rule == import_critical_rule::unknown)
            import_malformed(where, "unknown extension " + e.id.to_string() +
                                        " is marked critical; only AKI, BasicConstraints, CertificatePolicies, "
                                        "ExtendedKeyUsage, InhibitAnyPolicy, IssuerAltName, KeyUsage, NameConstraints, "
                                        "PolicyMappings, SubjectAltName, SubjectDirectoryAttributes, SKI and "
                                        "SubjectInfoAccess may be critical");
    }
    const x509::extension* bc_ext = cert.find_extension(der::oids::basic_constraints);
    if (!bc_ext)
        import_malformed(where, "BasicConstraints is missing; a CA certificate needs BasicConstraints marked critical with cA TRUE");
    const auto bc = import_guarded(where, "BasicConstraints is not valid DER",
                                   [&] { return x509::basic_constraints::decode(bc_ext->value); });
    if (!bc_ext->critical) import_malformed(where, "BasicConstraints is not marked critical; a CA certificate needs it critical");
    if (!bc.ca) import_malformed(where, "BasicConstraints cA is FALSE: not a CA certificate");
    if (cert.find_extension(der::oids::key_usage)) {
        const auto ku = import_guarded(where, "KeyUsage is not valid DER", [&] { return *cert.get<x509::key_usage>(); });
        if (!ku.has(x509::key_usage::key_cert_sign))
            import_malformed(where, "KeyUsage does not include keyCertSign; a CA certificate must be allowed to sign certificates");
    }
    // pca reads these from the CA certificate when it issues, so they must decode.
    if (cert.find_extension(der::oids::subject_key_identifier))
        import_guarded(where, "SubjectKeyIdentifier is not valid DER", [&] { (void)cert.get<x509::subject_key_identifier>(); });
    if (cert.find_extension(der::oids::authority_key_identifier))
        import_guarded(where, "AuthorityKeyIdentifier is not valid DER", [&] { (void)cert.get<x509::authority_key_identifier>(); });
}

inline const crypto::public_key& import_key(const x509::certificate& cert, const std::string& where) {
    return import_guarded(where, "unusable public key", [&]() -> const crypto::public_key& { return cert.key(); });
}

/// True when `cert`'s signature verifies with `key`; a key or algorithm the crypto layer
/// cannot use counts as "does not verify".
inline bool import_verifies(const x509::certificate& cert, const crypto::public_key& key) {
    try {
        return cert.verify_signature(key);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception&) {
        return false;
    }
}

inline void check_import_not_expired(const x509::certificate& cert, const std::string& where, sys_seconds now) {
    if (cert.not_after() <= now)
        throw invalid_request_exception(where + ": expired at " + to_iso8601(cert.not_after()) + " (now is " +
                                        to_iso8601(now) + "); an expired certificate cannot be imported");
}

/// Same key: identical SubjectPublicKeyInfo bytes, or the same key in another valid encoding.
inline bool same_public_key(byte_view a, byte_view b) {
    if (a == b) return true;
    try {
        return crypto::public_key::from_spki_der(a).spki_der() == crypto::public_key::from_spki_der(b).spki_der();
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception&) {
        return false;
    }
}

inline std::string validity_text(const x509::certificate& c) {
    return to_iso8601(c.not_before()) + " .. " + to_iso8601(c.not_after());
}

inline void check_import_chain(const x509::certificate& cert, const std::vector<x509::certificate>& chain, sys_seconds now) {
    const std::size_t n = chain.size();
    // The chain holds other certificates, each once.
    for (std::size_t i = 0; i < n; ++i) {
        if (chain[i] == cert)
            throw invalid_request_exception(import_chain_position(i) +
                                            " is the certificate being imported; the chain must not include it");
        for (std::size_t j = 0; j < i; ++j)
            if (chain[i] == chain[j])
                throw invalid_request_exception(import_chain_position(i) + " duplicates block " + std::to_string(j + 1) +
                                                "; each certificate may appear in the chain once");
    }
    // Each chain certificate is a CA certificate in its own right.
    std::vector<const crypto::public_key*> keys;
    keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string where = import_chain_position(i);
        check_import_ca_extensions(chain[i], where);
        keys.push_back(&import_key(chain[i], where));
        check_import_not_expired(chain[i], where, now);
    }
    // Block 1 issues the certificate, each next block issues the one before, the root is last.
    const x509::certificate* child = &cert;
    std::string child_where = "Certificate";
    for (std::size_t i = 0; i < n; ++i) {
        const x509::certificate& parent = chain[i];
        const std::string where = import_chain_position(i);
        if (!(parent.subject() == child->issuer())) {
            std::string msg = where + " does not issue " + child_where + ": the issuer of " + child_where + " is '" +
                              child->issuer().to_string() + "' but the subject of " + where + " is '" +
                              parent.subject().to_string() + "'";
            std::size_t found = n;
            for (std::size_t j = 0; j < n && found == n; ++j)
                if (j != i && chain[j].subject() == child->issuer()) found = j;
            if (found < n)
                msg += "; " + import_chain_position(found) +
                       " has that subject, so the chain is out of order (the issuer of the certificate comes first, "
                       "each next certificate signs the one before it, the root comes last)";
            else
                msg += "; no certificate in the chain has that subject: a link of the chain is missing";
            throw certificate_mismatch_exception(msg);
        }
        if (!import_verifies(*child, *keys[i]))
            throw certificate_mismatch_exception(child_where + ": its signature does not verify with the public key of " +
                                                 where + " (whose subject matches its issuer)");
        if (parent.not_before() > child->not_before() || child->not_after() > parent.not_after())
            throw certificate_mismatch_exception(where + ": its validity (" + validity_text(parent) +
                                                 ") does not cover the validity of " + child_where + " (" +
                                                 validity_text(*child) + ")");
        if (parent.is_self_issued() && import_verifies(parent, *keys[i]) && i + 1 < n)
            throw certificate_mismatch_exception(where + " is a self-signed root, but " + std::to_string(n - 1 - i) +
                                                 " more certificate(s) follow it; the root must be the last certificate "
                                                 "of the chain");
        child = &parent;
        child_where = where;
    }
    const x509::certificate& last = chain[n - 1];
    if (!(last.is_self_issued() && import_verifies(last, *keys[n - 1])))
        throw certificate_mismatch_exception(import_chain_position(n - 1) +
                                             " is the last certificate of the chain but not a self-signed root (its issuer is '" +
                                             last.issuer().to_string() + "'); the chain must end with the root CA certificate");
    // pathLenConstraint: the non-self-issued CA certificates below a chain certificate
    // (the imported one included, it will issue) may not outnumber it (RFC 5280 6.1.4 (l, m)).
    for (std::size_t i = 0; i < n; ++i) {
        const auto bc = chain[i].get<x509::basic_constraints>();
        if (!bc || !bc->path_len) continue;
        std::size_t below = cert.is_self_issued() ? 0 : 1;
        for (std::size_t j = 0; j < i; ++j)
            if (!chain[j].is_self_issued()) ++below;
        if (static_cast<std::size_t>(*bc->path_len) < below)
            throw certificate_mismatch_exception(
                import_chain_position(i) + " has pathLenConstraint " + std::to_string(*bc->path_len) + ", but " +
                std::to_string(below) + " CA certificate(s) follow it down to and including the imported certificate");
    }
}

}  // namespace detail

/// Validates an ImportCertificateAuthorityCertificate request for the CA described by `ctx`.
/// Returns the parsed certificate and chain; throws ValidationException,
/// MalformedCertificateException, InvalidRequestException or CertificateMismatchException
/// (docs/import.md lists which rule gives which). A re-import for the same key (renewal) is
/// checked the same way; replacing the stored certificate is the caller's job.
inline import_result check_ca_certificate_import(byte_view certificate_pem, std::optional<byte_view> chain_pem,
                                                 const import_context& ctx) {
    using namespace detail;
    const bool is_root = ctx.type == certificate_authority_type::root;

    // 1. sizes (the model's blob constraints)
    if (certificate_pem.empty())
        throw validation_exception("Certificate is empty; it must hold 1 to " + std::to_string(max_import_certificate_size) +
                                   " bytes of PEM");
    if (certificate_pem.size() > max_import_certificate_size)
        throw validation_exception("Certificate is " + std::to_string(certificate_pem.size()) + " bytes, more than the " +
                                   std::to_string(max_import_certificate_size) + " (32 KB) allowed");
    if (chain_pem && chain_pem->size() > max_import_chain_size)
        throw validation_exception("CertificateChain is " + std::to_string(chain_pem->size()) + " bytes, more than the " +
                                   std::to_string(max_import_chain_size) + " (2 MB) allowed");
    const bool has_chain = chain_pem && !chain_pem->empty();

    // 2. request shape
    if (is_root && has_chain)
        throw invalid_request_exception("CertificateChain must be absent when importing a ROOT CA certificate: a root has no chain");
    if (!is_root && !has_chain)
        throw invalid_request_exception("CertificateChain is required when importing a SUBORDINATE CA certificate");

    // 3. PEM and DER
    x509::certificate cert = decode_import_certificate(certificate_pem);
    std::vector<x509::certificate> chain;
    if (has_chain) chain = decode_import_chain(*chain_pem);

    // 4. the certificate on its own
    check_import_ca_extensions(cert, "Certificate");
    const crypto::public_key& key = import_key(cert, "Certificate");
    check_import_not_expired(cert, "Certificate", ctx.now);

    // 5. ROOT self-signed, SUBORDINATE not
    const bool self_issued = cert.is_self_issued();
    const bool self_signed = self_issued && import_verifies(cert, key);
    if (is_root && !self_issued)
        throw invalid_request_exception("Certificate is not self-signed (its issuer '" + cert.issuer().to_string() +
                                        "' differs from its subject '" + cert.subject().to_string() +
                                        "'); only a self-signed certificate can be imported as a ROOT CA");
    if (is_root && !self_signed)
        throw invalid_request_exception("Certificate is not self-signed (its issuer equals its subject, but its signature "
                                        "does not verify with its own public key); only a self-signed certificate can be "
                                        "imported as a ROOT CA");
    if (!is_root && self_signed)
        throw invalid_request_exception("Certificate is self-signed; a self-signed certificate cannot be imported as a "
                                        "SUBORDINATE CA");

    // 6. the CA's key, and on re-import its subject
    if (!same_public_key(cert.public_key_info().der, ctx.csr_public_key_info_der))
        throw certificate_mismatch_exception("Certificate: its public key does not match the public key of the CA's CSR; "
                                             "the certificate was issued for another key");
    if (ctx.current && !(ctx.current->subject() == cert.subject()))
        throw certificate_mismatch_exception("Certificate: its subject '" + cert.subject().to_string() +
                                             "' differs from the subject of the CA's current certificate '" +
                                             ctx.current->subject().to_string() +
                                             "'; a re-imported certificate keeps subject and key so that the "
                                             "certificates the CA issued stay valid");

    // 7. the chain
    if (!is_root) check_import_chain(cert, chain, ctx.now);
    return {std::move(cert), std::move(chain)};
}

}  // namespace pca::policy
