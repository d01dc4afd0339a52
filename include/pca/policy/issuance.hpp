// pca/policy/issuance.hpp - from a checked CSR and a request to the TBSCertificate the CA
// signs: template, then ApiPassthrough, then CSR passthrough (semantics.md 1.3), validity,
// parent bounds, path length, the CA's CRL and OCSP configuration.
//
// The untrusted CSR values stay apart until the template decides what passes through.
// Nothing here signs or stores: the result is a value a test can inspect.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/policy/crl_location.hpp"
#include "pca/policy/templates.hpp"
#include "pca/types/shapes.hpp"
#include "pca/types/validity.hpp"
#include "pca/x509/api_shapes.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/csr.hpp"

namespace pca::policy {

/// Longest validity a SHORT_LIVED_CERTIFICATE CA issues, measured from issuance.
inline constexpr std::chrono::seconds short_lived_max_validity{7 * 24 * 3600};
/// "AWS Private CA limits the certification path to five levels."
inline constexpr std::size_t max_path_levels = 5;

/// What the policy needs to know about the issuing CA.
struct issuer_context {
    pca::certificate_authority_type type = pca::certificate_authority_type::root;
    pca::certificate_authority_usage_mode usage_mode = pca::certificate_authority_usage_mode::general_purpose;
    pca::key_algorithm key_algorithm = pca::key_algorithm::ec_prime256v1;
    bytes public_key_info_der;                       ///< the CA key's SubjectPublicKeyInfo
    bytes subject_der;                               ///< the CA's subject (from its configuration)
    const x509::certificate* certificate = nullptr;  ///< the CA certificate; null while pending
    std::size_t chain_length = 0;                    ///< CA certificate + its chain (1 for a root)
    std::optional<revocation_configuration> revocation;
    std::string ca_id;   ///< the CA UUID, for the CRL distribution point
    std::string region;  ///< for the S3 and OCSP host names
};

/// One IssueCertificate call, after the CSR passed accept_csr().
struct issuance_request {
    const x509::csr* csr = nullptr;
    pca::signing_algorithm signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
    const certificate_template* tmpl = nullptr;  ///< default_template() when absent
    pca::validity validity{};
    std::optional<pca::validity> validity_not_before;
    std::optional<api_passthrough> passthrough;
    sys_seconds issued_at{};
};

/// 16 random bytes from the CSPRNG whose first octet is not zero: a positive 128-bit serial
/// (the DER INTEGER gains a 0x00 pad when the top bit is set, 17 octets at most) that is
/// already the minimal magnitude the stores and ARN lookups use (a leading zero octet made
/// 1 certificate in 256 unreachable by GetCertificate, which strips zeros from the ARN).
inline bytes new_serial(rng& random) {
    for (;;) {
        bytes s = random.generate(16);
        if (s[0] != 0) return s;
    }
}

/// The TBSCertificate for `req`, or the service's error for a request the CA must refuse.
inline x509::tbs_certificate prepare_certificate(const issuer_context& ca, const issuance_request& req, bytes serial) {
    const certificate_template& t = req.tmpl ? *req.tmpl : default_template();
    const x509::csr& csr = *req.csr;

    // ---- algorithm pairing ----------------------------------------------------------------
    (void)crypto::scheme_for(req.signing_algorithm);  // SM2/ML-DSA: InvalidArgs "not supported by this build"
    if (!crypto::compatible(ca.key_algorithm, req.signing_algorithm))
        throw invalid_args_exception("SigningAlgorithm " + std::string(to_string(req.signing_algorithm)) +
                                     " cannot be used with the CA's " + std::string(to_string(ca.key_algorithm)) +
                                     " key: the signing algorithm family must match the key family");

    // ---- who signs: self-signed root templates vs. the CA certificate -----------------------
    const bool self_signed = t.root;
    if (self_signed) {
        if (ca.type != certificate_authority_type::root)
            throw invalid_args_exception("template " + t.arn_name() + " issues a self-signed root certificate; this CA is SUBORDINATE");
        if (csr.public_key_info().der != ca.public_key_info_der)
            throw invalid_args_exception("template " + t.arn_name() + " signs the CA's own CSR only; this CSR carries another key");
    } else if (!ca.certificate) {
        throw invalid_state_exception("the CA has no certificate yet; import one before issuing with " + t.arn_name());
    }

    // ---- validity -------------------------------------------------------------------------
    x509::tbs_certificate tbs;
    tbs.serial = std::move(serial);
    tbs.algorithm = req.signing_algorithm;
    tbs.not_after = resolve_not_after(req.validity, req.issued_at, "Validity");
    tbs.not_before = resolve_not_before_or_default(req.validity_not_before, req.issued_at, "ValidityNotBefore");
    if (tbs.not_after <= req.issued_at)
        throw invalid_args_exception("Validity ends at " + to_iso8601(tbs.not_after) + ", which is not after the issuance time " +
                                     to_iso8601(req.issued_at));
    if (tbs.not_before >= tbs.not_after)
        throw invalid_args_exception("ValidityNotBefore " + to_iso8601(tbs.not_before) + " is not before the NotAfter " +
                                     to_iso8601(tbs.not_after));
    if (ca.usage_mode == certificate_authority_usage_mode::short_lived_certificate &&
        tbs.not_after - req.issued_at > short_lived_max_validity)
        throw invalid_args_exception("a SHORT_LIVED_CERTIFICATE CA issues certificates valid for at most 7 days; requested until " +
                                     to_iso8601(tbs.not_after));
    if (!self_signed) {
        const sys_seconds ca_end = ca.certificate->not_after();
        if (t.ca ? tbs.not_after >= ca_end : tbs.not_after > ca_end)
            throw validation_exception("the validity period of the CA certificate ends (" + to_iso8601(ca_end) +
                                       ") before the validity period of the requested certificate (" +
                                       to_iso8601(tbs.not_after) + ")" + (t.ca ? "; a CA certificate must end strictly before its issuer" : ""));
    }

    // ---- path length ------------------------------------------------------------------------
    if (t.ca && !self_signed) {
        const auto bc = ca.certificate->get<x509::basic_constraints>();
        if (bc && bc->path_len) {
            if (*bc->path_len == 0)
                throw validation_exception("issuing a certificate would violate a path length constraint: the CA's pathLenConstraint is 0, so it cannot issue CA certificates");
            if (t.path_len && *t.path_len > *bc->path_len - 1)
                throw validation_exception("issuing a certificate would violate a path length constraint: template " + t.arn_name() +
                                           " sets pathLenConstraint " + std::to_string(*t.path_len) +
                                           " but the CA allows at most " + std::to_string(*bc->path_len - 1));
        }
        if (ca.chain_length + 1 > max_path_levels)
            throw validation_exception("issuing a CA certificate here would make a certification path longer than five levels");
    }

    // ---- subject and issuer ---------------------------------------------------------------
    const bool api = uses_api(t.kind) && req.passthrough.has_value();
    const pca::extensions* api_ext = api && req.passthrough->extensions ? &*req.passthrough->extensions : nullptr;
    if (api && req.passthrough->subject)
        tbs.subject_der = x509::to_name(*req.passthrough->subject, "ApiPassthrough.Subject").der();
    else
        tbs.subject_der = csr.subject().der();
    tbs.issuer_der = self_signed ? tbs.subject_der : ca.certificate->subject().der();
    tbs.public_key_info_der = csr.public_key_info().der;
    const bool subject_empty = tbs.subject_der.size() == 2;

    // ---- extensions: template first, then API, then CSR -------------------------------------
    std::vector<x509::extension>& out = tbs.extensions;
    auto present = [&](const der::oid& id) { return x509::find_extension(out, id) != nullptr; };

    out.push_back(x509::basic_constraints{t.ca, t.path_len}.to_extension(t.basic_constraints_critical));
    if (t.authority_key_id) {
        x509::authority_key_identifier aki;
        const auto ski = ca.certificate->get<x509::subject_key_identifier>();
        aki.key_id = ski ? ski->key_id : ca.certificate->public_key_info().key_identifier();
        out.push_back(aki.to_extension());
    }
    out.push_back(x509::subject_key_identifier{csr.public_key_info().key_identifier()}.to_extension());
    if (t.key_usage) out.push_back(x509::key_usage{*t.key_usage}.to_extension(true));
    if (!t.extended_key_usage.empty())
        out.push_back(x509::extended_key_usage{t.extended_key_usage}.to_extension(t.extended_key_usage_critical));

    // SubjectAltName: from the API (API varieties), otherwise from the CSR for every template.
    if (api_ext && api_ext->subject_alternative_names) {
        const auto names = x509::to_general_names(*api_ext->subject_alternative_names,
                                                  "ApiPassthrough.Extensions.SubjectAlternativeNames");
        out.push_back(x509::subject_alt_name{names}.to_extension(subject_empty));
    } else if (const x509::extension* san = csr.find_extension(x509::subject_alt_name::id)) {
        out.push_back({san->id, san->critical || subject_empty, san->value});
    }
    if (subject_empty && !present(x509::subject_alt_name::id))
        throw malformed_csr_exception("the certificate would have neither a subject name nor a SubjectAltName");

    if (api_ext) {
        if (api_ext->key_usage && !present(x509::key_usage::id))
            out.push_back(x509::to_key_usage(*api_ext->key_usage).to_extension(true));
        if (api_ext->extended_key_usage && !present(x509::extended_key_usage::id))
            out.push_back(x509::to_extended_key_usage(*api_ext->extended_key_usage, "ApiPassthrough.Extensions.ExtendedKeyUsage")
                              .to_extension(false));
        if (api_ext->certificate_policies && !present(x509::certificate_policies::id))
            out.push_back(x509::to_certificate_policies(*api_ext->certificate_policies, "ApiPassthrough.Extensions.CertificatePolicies")
                              .to_extension(false));
    }

    // CA configuration: CRL distribution point and OCSP access.
    if (t.crl_distribution_point)
        if (auto uri = crl_distribution_uri(ca.revocation, ca.ca_id, ca.region))
            out.push_back(x509::crl_distribution_points::from_uri(*uri).to_extension());
    if (!self_signed)
        if (auto uri = ocsp_uri(ca.revocation, ca.region))
            out.push_back(x509::authority_info_access{{{der::oids::ad_ocsp, x509::general_name::uri(*uri)}}}.to_extension());

    if (api_ext && api_ext->custom_extensions) {
        std::vector<der::oid> seen;
        for (std::size_t i = 0; i < api_ext->custom_extensions->size(); ++i) {
            const std::string member = "ApiPassthrough.Extensions.CustomExtensions[" + std::to_string(i) + "]";
            x509::extension e = x509::to_extension((*api_ext->custom_extensions)[i], member);
            for (const auto& s : seen)
                if (s == e.id) throw invalid_args_exception(member + " repeats extension " + e.id.to_string());
            seen.push_back(e.id);
            if (!present(e.id)) out.push_back(std::move(e));
        }
    }

    // CSR passthrough: every requested extension the template and the API did not define.
    if (uses_csr(t.kind))
        for (const auto& e : csr.requested_extensions())
            if (!present(e.id) && e.id != x509::authority_key_identifier::id) out.push_back(e);
    return tbs;
}

}  // namespace pca::policy
