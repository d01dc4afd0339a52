// pca/policy/csr_intake.hpp - IssueCertificate's CSR checks. Every refusal is
// MalformedCSRException with a message naming the reason.
#pragma once

#include <string>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/crypto/key.hpp"
#include "pca/der/error.hpp"
#include "pca/der/pem.hpp"
#include "pca/x509/csr.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/name.hpp"

namespace pca::policy {

/// The model's CsrBlob limit.
inline constexpr std::size_t max_csr_size = 32768;


/// When accept_csr checks the request's own signature (its proof of possession).
enum class csr_signature_check {
    now,       ///< before accept_csr returns
    deferred,  ///< the caller calls verify_csr_signature() before it signs anything
};

/// MalformedCSRException unless the CSR's signature verifies with its own public key.
inline void verify_csr_signature(const x509::csr& request) {
    if (!request.verify_signature()) throw malformed_csr_exception("CSR signature does not verify");
}

/// Parses and checks a CSR blob (PEM, or DER): size, strict DER, supported signature and
/// key algorithms, the request's own signature (unless deferred), the extensionRequest
/// values, and that it names a subject or carries a SubjectAltName.
inline x509::csr accept_csr(byte_view blob, csr_signature_check signature = csr_signature_check::now) {
    if (blob.empty()) throw malformed_csr_exception("CSR is empty");
    if (blob.size() > max_csr_size)
        throw malformed_csr_exception("CSR is " + std::to_string(blob.size()) + " bytes; the limit is 32768");
    x509::csr request = [&] {
        try {
            if (blob[0] == 0x30) return x509::csr::parse(blob);
            return x509::csr::parse_pem(blob.as_string_view());
        } catch (const der::decode_error& e) {
            throw malformed_csr_exception(std::string("CSR is not a valid PKCS#10 request: ") + e.what());
        }
    }();
    const auto& alg = request.signature_algorithm();
    if (alg.scheme.hash == crypto::hash_algorithm::sha1 || (alg.scheme.pss && alg.mgf1_hash == crypto::hash_algorithm::sha1))
        throw malformed_csr_exception("CSR is signed with " + alg.name + " over SHA-1; use SHA-256 or stronger");
    const crypto::public_key* key = nullptr;
    try {
        key = &request.key();
    } catch (const std::exception& e) {
        throw malformed_csr_exception(std::string("CSR public key is not usable: ") + e.what());
    }
    if (key->family() == crypto::key_family::rsa) {
        if (key->bits() < 2048 || key->bits() > 8192)
            throw malformed_csr_exception("CSR RSA key is " + std::to_string(key->bits()) + " bits; 2048 to 8192 are accepted");
    } else if (!key->algorithm()) {
        throw malformed_csr_exception("CSR EC key is not on P-256, P-384 or P-521");
    }
    if (key->family() != alg.scheme.family)
        throw malformed_csr_exception("CSR signature algorithm " + alg.name + " does not match its key type");
    if (signature == csr_signature_check::now) verify_csr_signature(request);

    // The requested extensions that pca interprets must decode.
    try {
        for (const auto& e : request.requested_extensions()) {
            if (e.id == x509::subject_alt_name::id) x509::subject_alt_name::decode(e.value);
            else if (e.id == x509::basic_constraints::id) x509::basic_constraints::decode(e.value);
            else if (e.id == x509::key_usage::id) x509::key_usage::decode(e.value);
            else if (e.id == x509::extended_key_usage::id) x509::extended_key_usage::decode(e.value);
            else if (e.id == x509::certificate_policies::id) x509::certificate_policies::decode(e.value);
            else if (e.id == x509::crl_distribution_points::id) x509::crl_distribution_points::decode(e.value);
            else if (e.id == x509::authority_info_access::id) x509::authority_info_access::decode(e.value);
        }
    } catch (const der::decode_error& e) {
        throw malformed_csr_exception(std::string("CSR extension request is malformed: ") + e.what());
    }
    // Names: string attributes must be strings (a subject copied into a certificate must not
    // carry a CommonName that is an INTEGER or a nested SEQUENCE), and no value may be empty
    // (DirectoryString is SIZE (1..MAX); RFC 5280 4.2.1.6 forbids empty SAN names).
    if (const std::string why = x509::name_value_problem(request.subject()); !why.empty())
        throw malformed_csr_exception("CSR subject " + why);
    if (const auto san = request.get<x509::subject_alt_name>())
        for (const auto& g : san->names)
            if ((g.type == x509::general_name::kind::dns_name || g.type == x509::general_name::kind::rfc822_name ||
                 g.type == x509::general_name::kind::uniform_resource_identifier) &&
                g.text.empty())
                throw malformed_csr_exception("CSR SubjectAltName has an empty name");

    if (request.subject().empty() && !request.find_extension(x509::subject_alt_name::id))
        throw malformed_csr_exception("CSR has neither a subject name nor a SubjectAltName");
    return request;
}

}  // namespace pca::policy
