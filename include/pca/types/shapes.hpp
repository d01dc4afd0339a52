// pca/types/shapes.hpp - the acm-pca model's structures as plain aggregates.
//
// Names are mechanical: shape `CrlDistributionPointExtensionConfiguration` is
// `crl_distribution_point_extension_configuration`, member `S3BucketName` is `s3_bucket_name`.
// Members the model marks required are plain values; all others are std::optional. Lists are
// std::vector, timestamps (TStamp) pca::sys_seconds. KeyUsage's booleans are unboxed in the
// model and are plain `bool` (default false); the boxed booleans follow the required flags.
// Where a member's name equals its shape's name the type is written `pca::<shape>`.
//
// The aggregates hold what arrives on the wire, unchecked; validate() (pca/types/validate.hpp)
// checks them against the model's limits and the documented rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "pca/core/time.hpp"
#include "pca/types/enums.hpp"
#include "pca/types/validity.hpp"

namespace pca {

/// Model shape `CustomAttribute`: one RDN attribute given by OID.
struct custom_attribute {
    std::string object_identifier;  // CustomObjectIdentifier, required
    std::string value;              // String1To256, required
};

/// Model shape `ASN1Subject`: an X.500 distinguished name.
struct asn1_subject {
    std::optional<std::string> country;                       // CountryCodeString, 2 letters
    std::optional<std::string> organization;                  // String64
    std::optional<std::string> organizational_unit;           // String64
    std::optional<std::string> distinguished_name_qualifier;  // ASN1PrintableString64
    std::optional<std::string> state;                         // String128
    std::optional<std::string> common_name;                   // String64
    std::optional<std::string> serial_number;                 // ASN1PrintableString64
    std::optional<std::string> locality;                      // String128
    std::optional<std::string> title;                         // String64
    std::optional<std::string> surname;                       // String40
    std::optional<std::string> given_name;                    // String16
    std::optional<std::string> initials;                      // String5
    std::optional<std::string> pseudonym;                     // String128
    std::optional<std::string> generation_qualifier;          // String3
    std::optional<std::vector<custom_attribute>> custom_attributes;  // CustomAttributeList 1..150
};

/// Model shape `OtherName`.
struct other_name {
    std::string type_id;  // CustomObjectIdentifier, required
    std::string value;    // String256, required
};

/// Model shape `EdiPartyName`.
struct edi_party_name {
    std::string party_name;                    // String256, required
    std::optional<std::string> name_assigner;  // String256
};

/// Model shape `GeneralName`: exactly one member is set.
struct general_name {
    std::optional<pca::other_name> other_name;
    std::optional<std::string> rfc822_name;                  // String256
    std::optional<std::string> dns_name;                     // String253
    std::optional<asn1_subject> directory_name;
    std::optional<pca::edi_party_name> edi_party_name;
    std::optional<std::string> uniform_resource_identifier;  // String253
    std::optional<std::string> ip_address;                   // String39
    std::optional<std::string> registered_id;                // CustomObjectIdentifier
};

/// Model shape `KeyUsage` (unboxed booleans).
struct key_usage {
    bool digital_signature = false;
    bool non_repudiation = false;
    bool key_encipherment = false;
    bool data_encipherment = false;
    bool key_agreement = false;
    bool key_cert_sign = false;
    bool crl_sign = false;
    bool encipher_only = false;
    bool decipher_only = false;
};

/// Model shape `ExtendedKeyUsage`: a named purpose or a custom OID.
struct extended_key_usage {
    std::optional<pca::extended_key_usage_type> extended_key_usage_type;
    std::optional<std::string> extended_key_usage_object_identifier;  // CustomObjectIdentifier
};

/// Model shape `Qualifier`.
struct qualifier {
    std::string cps_uri;  // String256, required
};

/// Model shape `PolicyQualifierInfo`.
struct policy_qualifier_info {
    pca::policy_qualifier_id policy_qualifier_id = pca::policy_qualifier_id::cps;  // required
    pca::qualifier qualifier;                                                      // required
};

/// Model shape `PolicyInformation`.
struct policy_information {
    std::string cert_policy_id;  // CustomObjectIdentifier, required
    std::optional<std::vector<policy_qualifier_info>> policy_qualifiers;  // PolicyQualifierInfoList 1..20
};

/// Model shape `CustomExtension`.
struct custom_extension {
    std::string object_identifier;  // CustomObjectIdentifier, required
    std::string value;              // Base64String1To4096, required
    std::optional<bool> critical;   // boxed, optional
};

/// Model shape `Extensions` (ApiPassthrough).
struct extensions {
    std::optional<std::vector<policy_information>> certificate_policies;    // CertificatePolicyList 1..20
    std::optional<std::vector<pca::extended_key_usage>> extended_key_usage;  // ExtendedKeyUsageList 1..20
    std::optional<pca::key_usage> key_usage;
    std::optional<std::vector<general_name>> subject_alternative_names;  // GeneralNameList 1..150
    std::optional<std::vector<custom_extension>> custom_extensions;      // CustomExtensionList 1..150
};

/// Model shape `ApiPassthrough`.
struct api_passthrough {
    std::optional<pca::extensions> extensions;
    std::optional<asn1_subject> subject;
};

/// Model shape `AccessMethod`: exactly one member is set.
struct access_method {
    std::optional<std::string> custom_object_identifier;  // CustomObjectIdentifier
    std::optional<pca::access_method_type> access_method_type;
};

/// Model shape `AccessDescription`.
struct access_description {
    pca::access_method access_method;  // required
    general_name access_location;      // required
};

/// Model shape `CsrExtensions`.
struct csr_extensions {
    std::optional<pca::key_usage> key_usage;
    std::optional<std::vector<access_description>> subject_information_access;  // AccessDescriptionList (no limits)
};

/// Model shape `CertificateAuthorityConfiguration`.
struct certificate_authority_configuration {
    pca::key_algorithm key_algorithm = pca::key_algorithm::rsa_2048;                  // required
    pca::signing_algorithm signing_algorithm = pca::signing_algorithm::sha256_with_rsa;  // required
    asn1_subject subject;                                                              // required
    std::optional<pca::csr_extensions> csr_extensions;
};

/// Model shape `CrlDistributionPointExtensionConfiguration`.
struct crl_distribution_point_extension_configuration {
    bool omit_extension = false;  // boxed, required
};

/// Model shape `CrlConfiguration`.
struct crl_configuration {
    bool enabled = false;                           // boxed, required
    std::optional<std::int32_t> expiration_in_days;  // Integer1To5000
    std::optional<std::string> custom_cname;        // CnameString
    std::optional<std::string> s3_bucket_name;      // S3BucketName3To255
    std::optional<pca::s3_object_acl> s3_object_acl;
    std::optional<pca::crl_distribution_point_extension_configuration> crl_distribution_point_extension_configuration;
    std::optional<pca::crl_type> crl_type;
    std::optional<std::string> custom_path;  // CrlPathString
};

/// Model shape `OcspConfiguration`.
struct ocsp_configuration {
    bool enabled = false;                          // boxed, required
    std::optional<std::string> ocsp_custom_cname;  // CnameString
};

/// Model shape `RevocationConfiguration`.
struct revocation_configuration {
    std::optional<pca::crl_configuration> crl_configuration;
    std::optional<pca::ocsp_configuration> ocsp_configuration;
};

/// Model shape `Tag`.
struct tag {
    std::string key;                   // TagKey 1..128, required
    std::optional<std::string> value;  // TagValue 0..256
};

/// Model shape `Permission` (an output shape: nothing is required).
struct permission {
    std::optional<std::string> certificate_authority_arn;  // Arn
    std::optional<sys_seconds> created_at;
    std::optional<std::string> principal;       // Principal
    std::optional<std::string> source_account;  // AccountId
    std::optional<std::vector<action_type>> actions;  // ActionList 1..3
    std::optional<std::string> policy;          // AWSPolicy
};

/// Model shape `CertificateAuthority` (an output shape: nothing is required).
struct certificate_authority {
    std::optional<std::string> arn;            // Arn
    std::optional<std::string> owner_account;  // AccountId
    std::optional<sys_seconds> created_at;
    std::optional<sys_seconds> last_state_change_at;
    std::optional<certificate_authority_type> type;
    std::optional<std::string> serial;
    std::optional<certificate_authority_status> status;
    std::optional<sys_seconds> not_before;
    std::optional<sys_seconds> not_after;
    std::optional<pca::failure_reason> failure_reason;
    std::optional<pca::certificate_authority_configuration> certificate_authority_configuration;
    std::optional<pca::revocation_configuration> revocation_configuration;
    std::optional<sys_seconds> restorable_until;
    std::optional<pca::key_storage_security_standard> key_storage_security_standard;
    std::optional<certificate_authority_usage_mode> usage_mode;
};

// Member-wise equality for every aggregate (used by idempotency checks and tests).
namespace types::detail {
inline auto members(const custom_attribute& x) { return std::tie(x.object_identifier, x.value); }
inline auto members(const asn1_subject& x) {
    return std::tie(x.country, x.organization, x.organizational_unit, x.distinguished_name_qualifier, x.state,
                    x.common_name, x.serial_number, x.locality, x.title, x.surname, x.given_name, x.initials,
                    x.pseudonym, x.generation_qualifier, x.custom_attributes);
}
inline auto members(const other_name& x) { return std::tie(x.type_id, x.value); }
inline auto members(const edi_party_name& x) { return std::tie(x.party_name, x.name_assigner); }
inline auto members(const general_name& x) {
    return std::tie(x.other_name, x.rfc822_name, x.dns_name, x.directory_name, x.edi_party_name,
                    x.uniform_resource_identifier, x.ip_address, x.registered_id);
}
inline auto members(const key_usage& x) {
    return std::tie(x.digital_signature, x.non_repudiation, x.key_encipherment, x.data_encipherment, x.key_agreement,
                    x.key_cert_sign, x.crl_sign, x.encipher_only, x.decipher_only);
}
inline auto members(const extended_key_usage& x) {
    return std::tie(x.extended_key_usage_type, x.extended_key_usage_object_identifier);
}
inline auto members(const qualifier& x) { return std::tie(x.cps_uri); }
inline auto members(const policy_qualifier_info& x) { return std::tie(x.policy_qualifier_id, x.qualifier); }
inline auto members(const policy_information& x) { return std::tie(x.cert_policy_id, x.policy_qualifiers); }
inline auto members(const custom_extension& x) { return std::tie(x.object_identifier, x.value, x.critical); }
inline auto members(const extensions& x) {
    return std::tie(x.certificate_policies, x.extended_key_usage, x.key_usage, x.subject_alternative_names,
                    x.custom_extensions);
}
inline auto members(const api_passthrough& x) { return std::tie(x.extensions, x.subject); }
inline auto members(const access_method& x) { return std::tie(x.custom_object_identifier, x.access_method_type); }
inline auto members(const access_description& x) { return std::tie(x.access_method, x.access_location); }
inline auto members(const csr_extensions& x) { return std::tie(x.key_usage, x.subject_information_access); }
inline auto members(const certificate_authority_configuration& x) {
    return std::tie(x.key_algorithm, x.signing_algorithm, x.subject, x.csr_extensions);
}
inline auto members(const crl_distribution_point_extension_configuration& x) { return std::tie(x.omit_extension); }
inline auto members(const crl_configuration& x) {
    return std::tie(x.enabled, x.expiration_in_days, x.custom_cname, x.s3_bucket_name, x.s3_object_acl,
                    x.crl_distribution_point_extension_configuration, x.crl_type, x.custom_path);
}
inline auto members(const ocsp_configuration& x) { return std::tie(x.enabled, x.ocsp_custom_cname); }
inline auto members(const revocation_configuration& x) { return std::tie(x.crl_configuration, x.ocsp_configuration); }
inline auto members(const tag& x) { return std::tie(x.key, x.value); }
inline auto members(const permission& x) {
    return std::tie(x.certificate_authority_arn, x.created_at, x.principal, x.source_account, x.actions, x.policy);
}
inline auto members(const certificate_authority& x) {
    return std::tie(x.arn, x.owner_account, x.created_at, x.last_state_change_at, x.type, x.serial, x.status,
                    x.not_before, x.not_after, x.failure_reason, x.certificate_authority_configuration,
                    x.revocation_configuration, x.restorable_until, x.key_storage_security_standard, x.usage_mode);
}
}  // namespace types::detail

#define PCA_DETAIL_AGGREGATE_EQ(T)                                                                 \
    inline bool operator==(const T& a, const T& b) { return types::detail::members(a) == types::detail::members(b); } \
    inline bool operator!=(const T& a, const T& b) { return !(a == b); }
PCA_DETAIL_AGGREGATE_EQ(custom_attribute)
PCA_DETAIL_AGGREGATE_EQ(asn1_subject)
PCA_DETAIL_AGGREGATE_EQ(other_name)
PCA_DETAIL_AGGREGATE_EQ(edi_party_name)
PCA_DETAIL_AGGREGATE_EQ(general_name)
PCA_DETAIL_AGGREGATE_EQ(key_usage)
PCA_DETAIL_AGGREGATE_EQ(extended_key_usage)
PCA_DETAIL_AGGREGATE_EQ(qualifier)
PCA_DETAIL_AGGREGATE_EQ(policy_qualifier_info)
PCA_DETAIL_AGGREGATE_EQ(policy_information)
PCA_DETAIL_AGGREGATE_EQ(custom_extension)
PCA_DETAIL_AGGREGATE_EQ(extensions)
PCA_DETAIL_AGGREGATE_EQ(api_passthrough)
PCA_DETAIL_AGGREGATE_EQ(access_method)
PCA_DETAIL_AGGREGATE_EQ(access_description)
PCA_DETAIL_AGGREGATE_EQ(csr_extensions)
PCA_DETAIL_AGGREGATE_EQ(certificate_authority_configuration)
PCA_DETAIL_AGGREGATE_EQ(crl_distribution_point_extension_configuration)
PCA_DETAIL_AGGREGATE_EQ(crl_configuration)
PCA_DETAIL_AGGREGATE_EQ(ocsp_configuration)
PCA_DETAIL_AGGREGATE_EQ(revocation_configuration)
PCA_DETAIL_AGGREGATE_EQ(tag)
PCA_DETAIL_AGGREGATE_EQ(permission)
PCA_DETAIL_AGGREGATE_EQ(certificate_authority)
#undef PCA_DETAIL_AGGREGATE_EQ

}  // namespace pca
