// pca/storage/records.hpp - what the state store keeps: CAs, issued certificates,
// audit reports, idempotency tokens. Plain values; the store decides how they persist.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/time.hpp"
#include "pca/types/enums.hpp"
#include "pca/types/shapes.hpp"

namespace pca::storage {

struct permission_record {
    std::string principal;                   ///< acm.amazonaws.com
    std::optional<std::string> source_account;
    std::vector<action_type> actions;
    sys_seconds created_at{};
};

/// One certificate authority. `private_key` is PKCS#8 DER in clear in memory only: a
/// durable store encrypts it before it touches disk (docs/storage.md).
struct ca_record {
    std::string id;             ///< lowercase UUID
    std::string arn;
    std::string owner_account;  ///< 12 digits
    std::string region;
    certificate_authority_type type = certificate_authority_type::root;
    certificate_authority_status status = certificate_authority_status::creating;  ///< stored, not computed
    std::optional<certificate_authority_status> status_before_deletion;
    std::optional<failure_reason> failure;
    certificate_authority_configuration configuration;
    std::optional<revocation_configuration> revocation;
    key_storage_security_standard key_storage = key_storage_security_standard::fips_140_2_level_3_or_higher;
    certificate_authority_usage_mode usage_mode = certificate_authority_usage_mode::general_purpose;
    sys_seconds created_at{};
    sys_seconds last_state_change_at{};
    std::optional<sys_seconds> restorable_until;  ///< set while DELETED with a restore window

    secure_bytes private_key;      ///< PKCS#8 DER (clear in memory; encrypted at rest)
    bytes csr;                     ///< the CA's CSR, DER
    bytes certificate;             ///< the imported CA certificate, DER (empty while pending)
    std::vector<bytes> chain;      ///< its chain, DER, issuer first, root last (empty for a root)

    std::vector<tag> tags;
    std::optional<std::string> policy;  ///< resource policy JSON
    std::vector<permission_record> permissions;

    std::int64_t crl_number = 0;              ///< last CRL number used (never reused, never decreases)
    std::optional<sys_seconds> last_crl_at;   ///< generation time of the last CRL
    std::optional<sys_seconds> last_audit_report_at;
    std::uint64_t version = 0;                ///< bumped by the store on every update
};

/// One issued certificate. Recorded (without `certificate`) before signing, completed after.
struct certificate_record {
    std::string ca_id;
    bytes serial;                  ///< unsigned magnitude, no leading zeros
    std::string arn;
    bytes certificate;             ///< DER; empty while the signature is pending (crash between)
    std::string template_arn;
    std::string subject_rfc2253;
    sys_seconds issued_at{}, not_before{}, not_after{};
    std::string account;           ///< the caller who issued it
    std::optional<std::string> service_principal;
    std::optional<sys_seconds> revoked_at;
    std::optional<revocation_reason> reason;
    /// The CRL partition whose IssuingDistributionPoint names the certificate's CDP (CAs with
    /// CrlType PARTITIONED); nullopt: the CA's complete CRL.
    std::optional<std::uint32_t> crl_partition;
};

struct audit_report_record {
    std::string ca_id;
    std::string id;
    audit_report_status status = audit_report_status::creating;
    std::string s3_bucket_name;
    std::string s3_key;
    sys_seconds created_at{};
};

/// An idempotency token bound to its first result for a while (5 minutes on the service).
struct idempotency_record {
    std::string scope;   ///< operation + caller + target, e.g. "IssueCertificate|<account>|<ca arn>"
    std::string token;
    std::string result;  ///< the ARN the first call returned
    std::string request_fingerprint;
    sys_seconds expires_at{};
};

}  // namespace pca::storage
