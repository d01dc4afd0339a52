// pca/policy/ca_csr.hpp - the CA's own CSR (GetCertificateAuthorityCsr): the configured
// subject, BasicConstraints critical CA:TRUE, the configuration's CsrExtensions (KeyUsage,
// SubjectInformationAccess), signed with the configuration's SigningAlgorithm.
#pragma once

#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/crypto/key.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/types/shapes.hpp"
#include "pca/x509/api_shapes.hpp"
#include "pca/x509/builder.hpp"

namespace pca::policy {

/// The requested extensions of the CA's CSR, in the order they are written.
inline std::vector<x509::extension> ca_csr_extensions(const certificate_authority_configuration& config) {
    std::vector<x509::extension> exts;
    exts.push_back(x509::basic_constraints{true, std::nullopt}.to_extension(true));
    if (config.csr_extensions) {
        const auto& ce = *config.csr_extensions;
        if (ce.key_usage) exts.push_back(x509::to_key_usage(*ce.key_usage).to_extension(true));
        if (ce.subject_information_access && !ce.subject_information_access->empty()) {
            x509::subject_info_access sia;
            for (std::size_t i = 0; i < ce.subject_information_access->size(); ++i)
                sia.descriptions.push_back(x509::to_access_description(
                    (*ce.subject_information_access)[i],
                    "CertificateAuthorityConfiguration.CsrExtensions.SubjectInformationAccess[" + std::to_string(i) + "]"));
            exts.push_back(sia.to_extension());
        }
    }
    return exts;
}

/// The CA's CSR in DER, signed by `key`. InvalidArgsException when the configuration's
/// signing algorithm does not suit the key.
inline bytes make_ca_csr(const certificate_authority_configuration& config, const crypto::private_key& key, rng& random) {
    if (!crypto::compatible(key.algorithm(), config.signing_algorithm))
        throw invalid_args_exception("CertificateAuthorityConfiguration.SigningAlgorithm " +
                                     std::string(to_string(config.signing_algorithm)) + " cannot be used with a " +
                                     std::string(to_string(key.algorithm())) + " key");
    x509::csr_request req;
    req.subject_der = x509::to_name(config.subject, "CertificateAuthorityConfiguration.Subject").der();
    req.extensions = ca_csr_extensions(config);
    req.algorithm = config.signing_algorithm;
    return req.sign(key, random);
}

}  // namespace pca::policy
