// pca/policy/crl_location.hpp - where a CA's CRL lives (object key) and the URL that issued
// certificates carry in their CRL distribution point (semantics.md 4.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pca/core/bytes.hpp"
#include "pca/crypto/digest.hpp"
#include "pca/types/shapes.hpp"

namespace pca::policy {

/// The folder of the CRL object: CustomPath when set, else "crl" (docs/crl.md).
inline std::string crl_folder(const crl_configuration& c) {
    if (c.custom_path && !c.custom_path->empty()) return *c.custom_path;
    return "crl";
}

/// Object key of a CRL in the bucket: "crl/<ca-id>.crl" for a COMPLETE CRL, and
/// "crl/<partition-id>.crl" for one partition of a PARTITIONED CRL (CustomPath replaces "crl").
inline std::string crl_object_key(const crl_configuration& c, const std::string& ca_or_partition_id) {
    return crl_folder(c) + "/" + ca_or_partition_id + ".crl";
}

/// True when the CA publishes partitioned CRLs (CrlType PARTITIONED, CRLs enabled).
inline bool crl_partitioned(const std::optional<revocation_configuration>& rc) {
    return rc && rc->crl_configuration && rc->crl_configuration->enabled &&
           rc->crl_configuration->crl_type == pca::crl_type::partitioned;
}

/// The GUID naming partition `index` of a CA's PARTITIONED CRL ("Partitioned CRLs have a
/// random GUID appended"). pca derives it from the CA id and the index (SHA-256, formatted as
/// an RFC 4122 version 4 UUID) so that every process of a CA names a partition alike without
/// storing it; it reveals nothing that the CA id does not (docs/crl.md).
inline std::string crl_partition_id(const std::string& ca_id, std::uint32_t index) {
    std::string input = "pca crl partition\n" + ca_id + "\n" + std::to_string(index);
    bytes h = crypto::digest(crypto::hash_algorithm::sha256, byte_view(input));
    h.resize(16);
    h[6] = static_cast<std::uint8_t>((h[6] & 0x0f) | 0x40);
    h[8] = static_cast<std::uint8_t>((h[8] & 0x3f) | 0x80);
    const std::string x = to_hex(h);
    return x.substr(0, 8) + "-" + x.substr(8, 4) + "-" + x.substr(12, 4) + "-" + x.substr(16, 4) + "-" + x.substr(20);
}

/// The host the CDP names: CustomCname, or the bucket's virtual-hosted S3 name.
inline std::string crl_host(const crl_configuration& c, const std::string& region) {
    if (c.custom_cname && !c.custom_cname->empty()) return *c.custom_cname;
    return c.s3_bucket_name.value_or("") + ".s3." + region + ".amazonaws.com";
}

/// The CDP URI for certificates of this CA (or of one CRL partition, given its id), or
/// nullopt when no CDP is written (CRLs disabled, or OmitExtension set).
inline std::optional<std::string> crl_distribution_uri(const std::optional<revocation_configuration>& rc,
                                                       const std::string& ca_or_partition_id, const std::string& region) {
    if (!rc || !rc->crl_configuration || !rc->crl_configuration->enabled) return std::nullopt;
    const auto& c = *rc->crl_configuration;
    if (c.crl_distribution_point_extension_configuration && c.crl_distribution_point_extension_configuration->omit_extension)
        return std::nullopt;
    return "http://" + crl_host(c, region) + "/" + crl_object_key(c, ca_or_partition_id);
}

/// The OCSP responder URI for the AIA extension, or nullopt when OCSP is disabled.
inline std::optional<std::string> ocsp_uri(const std::optional<revocation_configuration>& rc, const std::string& region) {
    if (!rc || !rc->ocsp_configuration || !rc->ocsp_configuration->enabled) return std::nullopt;
    const auto& o = *rc->ocsp_configuration;
    if (o.ocsp_custom_cname && !o.ocsp_custom_cname->empty()) return "http://" + *o.ocsp_custom_cname;
    return "http://ocsp.acm-pca." + region + ".amazonaws.com";
}

}  // namespace pca::policy
