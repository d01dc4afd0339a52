// pca/policy/templates.hpp - the service's certificate templates, as data in one place.
//
// Source: shared/spec/semantics.md section 1.4 (AWS "Template definitions"). 61 templates:
//   5 end-entity families x {base, CSR, API, APICSR}          = 20
//   RootCACertificate {base, API}                             =  2
//   SubordinateCACertificate_PathLen0..3 x 4 varieties        = 16
//   BlankEndEntityCertificate {API, CSR, APICSR}               =  3
//   BlankEndEntityCertificate_CriticalBasicConstraints x 3    =  3
//   BlankSubordinateCACertificate_PathLen0..3 x 3 varieties   = 12
//   BlankRootCACertificate[_PathLen0..3]_APIPassthrough       =  5
// docs/templates.md is the readable table of the same data.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pca/core/error.hpp"
#include "pca/der/oid.hpp"
#include "pca/x509/extensions.hpp"

namespace pca::policy {

/// Which passthrough sources a template consumes (semantics.md 1.2).
enum class variety : std::uint8_t { base, csr_passthrough, api_passthrough, api_csr_passthrough };

constexpr bool uses_api(variety v) noexcept { return v == variety::api_passthrough || v == variety::api_csr_passthrough; }
constexpr bool uses_csr(variety v) noexcept { return v == variety::csr_passthrough || v == variety::api_csr_passthrough; }

/// What a template fixes. Fields left "from passthrough" are empty optionals.
struct certificate_template {
    std::string name;        ///< e.g. "EndEntityCertificate_APIPassthrough"
    variety kind = variety::base;
    bool ca = false;                    ///< BasicConstraints cA
    bool basic_constraints_critical = false;
    std::optional<int> path_len;        ///< pathLenConstraint of the issued CA certificate
    std::optional<std::uint16_t> key_usage;  ///< fixed KeyUsage bits (always critical); nullopt: blank
    std::vector<der::oid> extended_key_usage;  ///< fixed EKU; empty: none (or from passthrough if blank)
    bool extended_key_usage_critical = false;
    bool blank = false;          ///< KU/EKU only from passthrough
    bool root = false;           ///< self-signed CA certificate templates
    bool authority_key_id = true;
    bool crl_distribution_point = true;  ///< CDP from the CA's CRL configuration

    std::string arn_name() const { return name + "/V1"; }
};

namespace detail {
inline std::string variety_suffix(variety v) {
    switch (v) {
        case variety::base: return "";
        case variety::csr_passthrough: return "_CSRPassthrough";
        case variety::api_passthrough: return "_APIPassthrough";
        case variety::api_csr_passthrough: return "_APICSRPassthrough";
    }
    return "";
}

inline std::vector<certificate_template> build_catalogue() {
    using ku = x509::key_usage;
    const std::uint16_t ds_ke = ku::digital_signature | ku::key_encipherment;
    const std::uint16_t ds = ku::digital_signature;
    const std::uint16_t ca_ku = ku::digital_signature | ku::key_cert_sign | ku::crl_sign;
    const variety all4[] = {variety::base, variety::csr_passthrough, variety::api_passthrough, variety::api_csr_passthrough};
    const variety blank3[] = {variety::api_passthrough, variety::csr_passthrough, variety::api_csr_passthrough};

    std::vector<certificate_template> out;
    struct ee_family {
        const char* name;
        std::uint16_t key_usage;
        std::vector<der::oid> eku;
        bool eku_critical;
    };
    const ee_family families[] = {
        {"EndEntityCertificate", ds_ke, {der::oids::kp_server_auth, der::oids::kp_client_auth}, false},
        {"EndEntityClientAuthCertificate", ds_ke, {der::oids::kp_client_auth}, false},
        {"EndEntityServerAuthCertificate", ds_ke, {der::oids::kp_server_auth}, false},
        {"CodeSigningCertificate", ds, {der::oids::kp_code_signing}, true},
        {"OCSPSigningCertificate", ds, {der::oids::kp_ocsp_signing}, true},
    };
    for (const auto& f : families)
        for (variety v : all4) {
            certificate_template t;
            t.name = f.name + variety_suffix(v);
            t.kind = v;
            t.key_usage = f.key_usage;
            t.extended_key_usage = f.eku;
            t.extended_key_usage_critical = f.eku_critical;
            out.push_back(std::move(t));
        }
    for (variety v : {variety::base, variety::api_passthrough}) {
        certificate_template t;
        t.name = "RootCACertificate" + variety_suffix(v);
        t.kind = v;
        t.ca = true;
        t.basic_constraints_critical = true;
        t.key_usage = ca_ku;
        t.root = true;
        t.authority_key_id = false;
        t.crl_distribution_point = false;
        out.push_back(std::move(t));
    }
    for (int n = 0; n <= 3; ++n)
        for (variety v : all4) {
            certificate_template t;
            t.name = "SubordinateCACertificate_PathLen" + std::to_string(n) + variety_suffix(v);
            t.kind = v;
            t.ca = true;
            t.basic_constraints_critical = true;
            t.path_len = n;
            t.key_usage = ca_ku;
            out.push_back(std::move(t));
        }
    for (bool critical_bc : {false, true})
        for (variety v : blank3) {
            certificate_template t;
            t.name = std::string("BlankEndEntityCertificate") + (critical_bc ? "_CriticalBasicConstraints" : "") +
                     variety_suffix(v);
            t.kind = v;
            t.basic_constraints_critical = critical_bc;
            t.blank = true;
            out.push_back(std::move(t));
        }
    for (int n = 0; n <= 3; ++n)
        for (variety v : blank3) {
            certificate_template t;
            t.name = "BlankSubordinateCACertificate_PathLen" + std::to_string(n) + variety_suffix(v);
            t.kind = v;
            t.ca = true;
            t.basic_constraints_critical = true;
            t.path_len = n;
            t.blank = true;
            out.push_back(std::move(t));
        }
    for (int n = -1; n <= 3; ++n) {
        certificate_template t;
        t.name = "BlankRootCACertificate" + (n < 0 ? std::string() : "_PathLen" + std::to_string(n)) + "_APIPassthrough";
        t.kind = variety::api_passthrough;
        t.ca = true;
        t.basic_constraints_critical = true;
        if (n >= 0) t.path_len = n;
        t.blank = true;
        t.root = true;
        t.authority_key_id = false;
        t.crl_distribution_point = false;
        out.push_back(std::move(t));
    }
    return out;
}
}  // namespace detail

/// Every template the service offers, in the order of docs/templates.md.
inline const std::vector<certificate_template>& template_catalogue() {
    static const std::vector<certificate_template> catalogue = detail::build_catalogue();
    return catalogue;
}

/// The template a TemplateArn names: `arn:<partition>:acm-pca:::template/<Name>/V1`.
/// InvalidArgsException for anything else (an unknown name, a region or account, not V1).
inline const certificate_template& find_template(std::string_view arn) {
    auto bad = [&](const std::string& why) -> const certificate_template& {
        throw invalid_args_exception("TemplateArn '" + std::string(arn) + "' " + why);
    };
    if (arn.substr(0, 4) != "arn:") return bad("is not an ARN");
    const std::size_t partition_end = arn.find(':', 4);
    if (partition_end == std::string_view::npos) return bad("is not an ARN");
    const std::string_view partition = arn.substr(4, partition_end - 4);
    if (partition != "aws" && partition != "aws-cn" && partition != "aws-us-gov")
        return bad("has an unknown partition '" + std::string(partition) + "'");
    const std::string_view rest = arn.substr(partition_end + 1);
    constexpr std::string_view prefix = "acm-pca:::template/";
    if (rest.substr(0, prefix.size()) != prefix)
        return bad("is not a template ARN of the form arn:aws:acm-pca:::template/<Name>/V1 (no region or account)");
    std::string_view path = rest.substr(prefix.size());
    constexpr std::string_view version = "/V1";
    if (path.size() <= version.size() || path.substr(path.size() - version.size()) != version)
        return bad("does not name version V1");
    path.remove_suffix(version.size());
    for (const auto& t : template_catalogue())
        if (t.name == path) return t;
    return bad("names no template this CA offers");
}

/// The default template: EndEntityCertificate/V1.
inline const certificate_template& default_template() { return template_catalogue().front(); }

}  // namespace pca::policy
