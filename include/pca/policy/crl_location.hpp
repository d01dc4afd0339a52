// pca/policy/crl_location.hpp - where a CA's CRL lives (object key) and the URL that issued
// certificates carry in their CRL distribution point (semantics.md 4.2).
#pragma once

#include <optional>
#include <string>

#include "pca/types/shapes.hpp"

namespace pca::policy {

/// The folder of the CRL object: CustomPath when set, else "crl" (docs/crl.md).
inline std::string crl_folder(const crl_configuration& c) {
    if (c.custom_path && !c.custom_path->empty()) return *c.custom_path;
    return "crl";
}

/// Object key of a COMPLETE CRL in the bucket: "crl/<ca-id>.crl".
inline std::string crl_object_key(const crl_configuration& c, const std::string& ca_id) {
    return crl_folder(c) + "/" + ca_id + ".crl";
}

/// The host the CDP names: CustomCname, or the bucket's virtual-hosted S3 name.
inline std::string crl_host(const crl_configuration& c, const std::string& region) {
    if (c.custom_cname && !c.custom_cname->empty()) return *c.custom_cname;
    return c.s3_bucket_name.value_or("") + ".s3." + region + ".amazonaws.com";
}

/// The CDP URI for certificates of this CA, or nullopt when no CDP is written (CRLs
/// disabled, or OmitExtension set).
inline std::optional<std::string> crl_distribution_uri(const std::optional<revocation_configuration>& rc,
                                                       const std::string& ca_id, const std::string& region) {
    if (!rc || !rc->crl_configuration || !rc->crl_configuration->enabled) return std::nullopt;
    const auto& c = *rc->crl_configuration;
    if (c.crl_distribution_point_extension_configuration && c.crl_distribution_point_extension_configuration->omit_extension)
        return std::nullopt;
    return "http://" + crl_host(c, region) + "/" + crl_object_key(c, ca_id);
}

/// The OCSP responder URI for the AIA extension, or nullopt when OCSP is disabled.
inline std::optional<std::string> ocsp_uri(const std::optional<revocation_configuration>& rc, const std::string& region) {
    if (!rc || !rc->ocsp_configuration || !rc->ocsp_configuration->enabled) return std::nullopt;
    const auto& o = *rc->ocsp_configuration;
    if (o.ocsp_custom_cname && !o.ocsp_custom_cname->empty()) return "http://" + *o.ocsp_custom_cname;
    return "http://ocsp.acm-pca." + region + ".amazonaws.com";
}

}  // namespace pca::policy
