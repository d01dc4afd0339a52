// pca/service/requests.hpp - one request and one result aggregate per operation, members
// named mechanically from service-2.json (CertificateAuthorityArn -> certificate_authority_arn).
// Required members are plain values; optional ones std::optional; blobs are pca::bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/time.hpp"
#include "pca/types/enums.hpp"
#include "pca/types/shapes.hpp"
#include "pca/types/validity.hpp"

namespace pca {

// CreateCertificateAuthority
struct create_certificate_authority_request {
    pca::certificate_authority_configuration certificate_authority_configuration;
    std::optional<pca::revocation_configuration> revocation_configuration;
    pca::certificate_authority_type certificate_authority_type = pca::certificate_authority_type::root;
    std::optional<std::string> idempotency_token;
    std::optional<pca::key_storage_security_standard> key_storage_security_standard;
    std::optional<std::vector<tag>> tags;
    std::optional<certificate_authority_usage_mode> usage_mode;
};
struct create_certificate_authority_result {
    std::string certificate_authority_arn;
};

// CreateCertificateAuthorityAuditReport
struct create_certificate_authority_audit_report_request {
    std::string certificate_authority_arn;
    std::string s3_bucket_name;
    pca::audit_report_response_format audit_report_response_format = pca::audit_report_response_format::json;
};
struct create_certificate_authority_audit_report_result {
    std::string audit_report_id;
    std::string s3_key;
};

// CreatePermission
struct create_permission_request {
    std::string certificate_authority_arn;
    std::string principal;
    std::optional<std::string> source_account;
    std::vector<action_type> actions;
};

// DeleteCertificateAuthority
struct delete_certificate_authority_request {
    std::string certificate_authority_arn;
    std::optional<std::int32_t> permanent_deletion_time_in_days;
};

// DeletePermission
struct delete_permission_request {
    std::string certificate_authority_arn;
    std::string principal;
    std::optional<std::string> source_account;
};

// DeletePolicy
struct delete_policy_request {
    std::string resource_arn;
};

// DescribeCertificateAuthority
struct describe_certificate_authority_request {
    std::string certificate_authority_arn;
};
struct describe_certificate_authority_result {
    pca::certificate_authority certificate_authority;
};

// DescribeCertificateAuthorityAuditReport
struct describe_certificate_authority_audit_report_request {
    std::string certificate_authority_arn;
    std::string audit_report_id;
};
struct describe_certificate_authority_audit_report_result {
    std::optional<pca::audit_report_status> audit_report_status;
    std::optional<std::string> s3_bucket_name;
    std::optional<std::string> s3_key;
    std::optional<sys_seconds> created_at;
};

// GetCertificate
struct get_certificate_request {
    std::string certificate_authority_arn;
    std::string certificate_arn;
};
struct get_certificate_result {
    std::string certificate;                       ///< PEM
    std::optional<std::string> certificate_chain;  ///< PEM blocks, issuing CA first, root last
};

// GetCertificateAuthorityCertificate
struct get_certificate_authority_certificate_request {
    std::string certificate_authority_arn;
};
struct get_certificate_authority_certificate_result {
    std::string certificate;                       ///< PEM
    std::optional<std::string> certificate_chain;  ///< PEM; absent for a root CA
};

// GetCertificateAuthorityCsr
struct get_certificate_authority_csr_request {
    std::string certificate_authority_arn;
};
struct get_certificate_authority_csr_result {
    std::string csr;  ///< PEM
};

// GetPolicy
struct get_policy_request {
    std::string resource_arn;
};
struct get_policy_result {
    std::optional<std::string> policy;
};

// ImportCertificateAuthorityCertificate
struct import_certificate_authority_certificate_request {
    std::string certificate_authority_arn;
    bytes certificate;                       ///< PEM bytes
    std::optional<bytes> certificate_chain;  ///< PEM bytes
};

// IssueCertificate
struct issue_certificate_request {
    std::optional<pca::api_passthrough> api_passthrough;
    std::string certificate_authority_arn;
    bytes csr;  ///< PEM bytes
    pca::signing_algorithm signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
    std::optional<std::string> template_arn;
    pca::validity validity{};
    std::optional<pca::validity> validity_not_before;
    std::optional<std::string> idempotency_token;
};
struct issue_certificate_result {
    std::string certificate_arn;
};

// ListCertificateAuthorities
struct list_certificate_authorities_request {
    std::optional<std::int32_t> max_results;
    std::optional<std::string> next_token;
    std::optional<pca::resource_owner> resource_owner;
};
struct list_certificate_authorities_result {
    std::optional<std::string> next_token;
    std::vector<pca::certificate_authority> certificate_authorities;
};

// ListPermissions
struct list_permissions_request {
    std::optional<std::int32_t> max_results;
    std::optional<std::string> next_token;
    std::string certificate_authority_arn;
};
struct list_permissions_result {
    std::optional<std::string> next_token;
    std::vector<pca::permission> permissions;
};

// ListTags
struct list_tags_request {
    std::optional<std::int32_t> max_results;
    std::optional<std::string> next_token;
    std::string certificate_authority_arn;
};
struct list_tags_result {
    std::optional<std::string> next_token;
    std::vector<pca::tag> tags;
};

// PutPolicy
struct put_policy_request {
    std::string resource_arn;
    std::string policy;
};

// RestoreCertificateAuthority
struct restore_certificate_authority_request {
    std::string certificate_authority_arn;
};

// RevokeCertificate
struct revoke_certificate_request {
    std::string certificate_authority_arn;
    std::string certificate_serial;
    pca::revocation_reason revocation_reason = pca::revocation_reason::unspecified;
};

// TagCertificateAuthority
struct tag_certificate_authority_request {
    std::string certificate_authority_arn;
    std::vector<tag> tags;
};

// UntagCertificateAuthority
struct untag_certificate_authority_request {
    std::string certificate_authority_arn;
    std::vector<tag> tags;
};

// UpdateCertificateAuthority
struct update_certificate_authority_request {
    std::string certificate_authority_arn;
    std::optional<pca::revocation_configuration> revocation_configuration;
    std::optional<certificate_authority_status> status;
};

/// Who is calling: every operation acts as an account (and, for ACM, a service principal).
struct caller {
    std::string account_id;
    std::optional<std::string> service_principal;  ///< "acm.amazonaws.com" when ACM calls
};

}  // namespace pca
