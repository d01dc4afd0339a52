// examples/pca-server/json_codec.hpp - the acm-pca model's shapes <-> AWS JSON 1.1 bodies.
//
// Every structure is described once, by a `members(visitor, value)` function that names each
// member exactly as service-2.json does; a reading visitor and a writing visitor walk that
// one list, so the request decoder and the result encoder cannot disagree on a name.
//
// Wire rules (AWS JSON 1.1, as botocore speaks it):
//   strings, booleans and integers are JSON values of that type; `long` (Validity.Value) is a
//   JSON integer; blobs (Csr, Certificate, CertificateChain in requests) are base64 strings;
//   timestamps (results only) are epoch seconds as JSON numbers; enums are their wire
//   spelling; absent optional members are absent keys (a JSON null counts as absent).
//   Unknown members are ignored, as the service does.
// Decoding failures:
//   a value of the wrong JSON type, bad base64, an integer out of range -> SerializationException
//   a required member absent                                           -> ValidationException
//   an enum value outside the model's set                              -> ValidationException
// (both names are what the real service returns; they are protocol errors, not pca::errc).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/time.hpp"
#include "pca/der/base64.hpp"
#include "pca/service/requests.hpp"
#include "pca/types/enums.hpp"
#include "pca/types/shapes.hpp"
#include "pca/types/validity.hpp"

namespace pca::server {

using json = nlohmann::json;

/// An error of the wire protocol itself (not one of the service's modelled errors): its
/// `__type`, the HTTP status, and the message.
class protocol_error : public std::runtime_error {
public:
    protocol_error(int status, std::string type, const std::string& message)
        : std::runtime_error(message), m_status(status), m_type(std::move(type)) {}
    int status() const noexcept { return m_status; }
    const std::string& type() const noexcept { return m_type; }

private:
    int m_status;
    std::string m_type;
};

namespace codec {

[[noreturn]] inline void wrong_type(const std::string& path, const char* expected, const json& got) {
    throw protocol_error(400, "SerializationException",
                         "member " + path + " must be " + expected + ", got a JSON " + std::string(got.type_name()));
}

// ---- the shapes' member lists -------------------------------------------------------------
// v(name, member) for members the model marks required (plain values), v(name, optional) for
// the others; v.unboxed(name, bool) for KeyUsage's unboxed booleans (absent means false).

template <class V> void members(V& v, custom_attribute& x) {
    v("ObjectIdentifier", x.object_identifier);
    v("Value", x.value);
}
template <class V> void members(V& v, asn1_subject& x) {
    v("Country", x.country);
    v("Organization", x.organization);
    v("OrganizationalUnit", x.organizational_unit);
    v("DistinguishedNameQualifier", x.distinguished_name_qualifier);
    v("State", x.state);
    v("CommonName", x.common_name);
    v("SerialNumber", x.serial_number);
    v("Locality", x.locality);
    v("Title", x.title);
    v("Surname", x.surname);
    v("GivenName", x.given_name);
    v("Initials", x.initials);
    v("Pseudonym", x.pseudonym);
    v("GenerationQualifier", x.generation_qualifier);
    v("CustomAttributes", x.custom_attributes);
}
template <class V> void members(V& v, other_name& x) {
    v("TypeId", x.type_id);
    v("Value", x.value);
}
template <class V> void members(V& v, edi_party_name& x) {
    v("PartyName", x.party_name);
    v("NameAssigner", x.name_assigner);
}
template <class V> void members(V& v, general_name& x) {
    v("OtherName", x.other_name);
    v("Rfc822Name", x.rfc822_name);
    v("DnsName", x.dns_name);
    v("DirectoryName", x.directory_name);
    v("EdiPartyName", x.edi_party_name);
    v("UniformResourceIdentifier", x.uniform_resource_identifier);
    v("IpAddress", x.ip_address);
    v("RegisteredId", x.registered_id);
}
template <class V> void members(V& v, key_usage& x) {
    v.unboxed("DigitalSignature", x.digital_signature);
    v.unboxed("NonRepudiation", x.non_repudiation);
    v.unboxed("KeyEncipherment", x.key_encipherment);
    v.unboxed("DataEncipherment", x.data_encipherment);
    v.unboxed("KeyAgreement", x.key_agreement);
    v.unboxed("KeyCertSign", x.key_cert_sign);
    v.unboxed("CRLSign", x.crl_sign);
    v.unboxed("EncipherOnly", x.encipher_only);
    v.unboxed("DecipherOnly", x.decipher_only);
}
template <class V> void members(V& v, extended_key_usage& x) {
    v("ExtendedKeyUsageType", x.extended_key_usage_type);
    v("ExtendedKeyUsageObjectIdentifier", x.extended_key_usage_object_identifier);
}
template <class V> void members(V& v, qualifier& x) { v("CpsUri", x.cps_uri); }
template <class V> void members(V& v, policy_qualifier_info& x) {
    v("PolicyQualifierId", x.policy_qualifier_id);
    v("Qualifier", x.qualifier);
}
template <class V> void members(V& v, policy_information& x) {
    v("CertPolicyId", x.cert_policy_id);
    v("PolicyQualifiers", x.policy_qualifiers);
}
template <class V> void members(V& v, custom_extension& x) {
    v("ObjectIdentifier", x.object_identifier);
    v("Value", x.value);
    v("Critical", x.critical);
}
template <class V> void members(V& v, extensions& x) {
    v("CertificatePolicies", x.certificate_policies);
    v("ExtendedKeyUsage", x.extended_key_usage);
    v("KeyUsage", x.key_usage);
    v("SubjectAlternativeNames", x.subject_alternative_names);
    v("CustomExtensions", x.custom_extensions);
}
template <class V> void members(V& v, api_passthrough& x) {
    v("Extensions", x.extensions);
    v("Subject", x.subject);
}
template <class V> void members(V& v, access_method& x) {
    v("CustomObjectIdentifier", x.custom_object_identifier);
    v("AccessMethodType", x.access_method_type);
}
template <class V> void members(V& v, access_description& x) {
    v("AccessMethod", x.access_method);
    v("AccessLocation", x.access_location);
}
template <class V> void members(V& v, csr_extensions& x) {
    v("KeyUsage", x.key_usage);
    v("SubjectInformationAccess", x.subject_information_access);
}
template <class V> void members(V& v, certificate_authority_configuration& x) {
    v("KeyAlgorithm", x.key_algorithm);
    v("SigningAlgorithm", x.signing_algorithm);
    v("Subject", x.subject);
    v("CsrExtensions", x.csr_extensions);
}
template <class V> void members(V& v, crl_distribution_point_extension_configuration& x) {
    v("OmitExtension", x.omit_extension);
}
template <class V> void members(V& v, crl_configuration& x) {
    v("Enabled", x.enabled);
    v("ExpirationInDays", x.expiration_in_days);
    v("CustomCname", x.custom_cname);
    v("S3BucketName", x.s3_bucket_name);
    v("S3ObjectAcl", x.s3_object_acl);
    v("CrlDistributionPointExtensionConfiguration", x.crl_distribution_point_extension_configuration);
    v("CrlType", x.crl_type);
    v("CustomPath", x.custom_path);
}
template <class V> void members(V& v, ocsp_configuration& x) {
    v("Enabled", x.enabled);
    v("OcspCustomCname", x.ocsp_custom_cname);
}
template <class V> void members(V& v, revocation_configuration& x) {
    v("CrlConfiguration", x.crl_configuration);
    v("OcspConfiguration", x.ocsp_configuration);
}
template <class V> void members(V& v, tag& x) {
    v("Key", x.key);
    v("Value", x.value);
}
template <class V> void members(V& v, validity& x) {
    v("Value", x.value);
    v("Type", x.type);
}
template <class V> void members(V& v, permission& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("CreatedAt", x.created_at);
    v("Principal", x.principal);
    v("SourceAccount", x.source_account);
    v("Actions", x.actions);
    v("Policy", x.policy);
}
template <class V> void members(V& v, certificate_authority& x) {
    v("Arn", x.arn);
    v("OwnerAccount", x.owner_account);
    v("CreatedAt", x.created_at);
    v("LastStateChangeAt", x.last_state_change_at);
    v("Type", x.type);
    v("Serial", x.serial);
    v("Status", x.status);
    v("NotBefore", x.not_before);
    v("NotAfter", x.not_after);
    v("FailureReason", x.failure_reason);
    v("CertificateAuthorityConfiguration", x.certificate_authority_configuration);
    v("RevocationConfiguration", x.revocation_configuration);
    v("RestorableUntil", x.restorable_until);
    v("KeyStorageSecurityStandard", x.key_storage_security_standard);
    v("UsageMode", x.usage_mode);
}

// ---- requests and results -------------------------------------------------------------------
template <class V> void members(V& v, create_certificate_authority_request& x) {
    v("CertificateAuthorityConfiguration", x.certificate_authority_configuration);
    v("RevocationConfiguration", x.revocation_configuration);
    v("CertificateAuthorityType", x.certificate_authority_type);
    v("IdempotencyToken", x.idempotency_token);
    v("KeyStorageSecurityStandard", x.key_storage_security_standard);
    v("Tags", x.tags);
    v("UsageMode", x.usage_mode);
}
template <class V> void members(V& v, create_certificate_authority_result& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
}
template <class V> void members(V& v, create_certificate_authority_audit_report_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("S3BucketName", x.s3_bucket_name);
    v("AuditReportResponseFormat", x.audit_report_response_format);
}
template <class V> void members(V& v, create_certificate_authority_audit_report_result& x) {
    v("AuditReportId", x.audit_report_id);
    v("S3Key", x.s3_key);
}
template <class V> void members(V& v, create_permission_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("Principal", x.principal);
    v("SourceAccount", x.source_account);
    v("Actions", x.actions);
}
template <class V> void members(V& v, delete_certificate_authority_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("PermanentDeletionTimeInDays", x.permanent_deletion_time_in_days);
}
template <class V> void members(V& v, delete_permission_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("Principal", x.principal);
    v("SourceAccount", x.source_account);
}
template <class V> void members(V& v, delete_policy_request& x) { v("ResourceArn", x.resource_arn); }
template <class V> void members(V& v, describe_certificate_authority_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
}
template <class V> void members(V& v, describe_certificate_authority_result& x) {
    v("CertificateAuthority", x.certificate_authority);
}
template <class V> void members(V& v, describe_certificate_authority_audit_report_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("AuditReportId", x.audit_report_id);
}
template <class V> void members(V& v, describe_certificate_authority_audit_report_result& x) {
    v("AuditReportStatus", x.audit_report_status);
    v("S3BucketName", x.s3_bucket_name);
    v("S3Key", x.s3_key);
    v("CreatedAt", x.created_at);
}
template <class V> void members(V& v, get_certificate_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("CertificateArn", x.certificate_arn);
}
template <class V> void members(V& v, get_certificate_result& x) {
    v("Certificate", x.certificate);
    v("CertificateChain", x.certificate_chain);
}
template <class V> void members(V& v, get_certificate_authority_certificate_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
}
template <class V> void members(V& v, get_certificate_authority_certificate_result& x) {
    v("Certificate", x.certificate);
    v("CertificateChain", x.certificate_chain);
}
template <class V> void members(V& v, get_certificate_authority_csr_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
}
template <class V> void members(V& v, get_certificate_authority_csr_result& x) { v("Csr", x.csr); }
template <class V> void members(V& v, get_policy_request& x) { v("ResourceArn", x.resource_arn); }
template <class V> void members(V& v, get_policy_result& x) { v("Policy", x.policy); }
template <class V> void members(V& v, import_certificate_authority_certificate_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("Certificate", x.certificate);
    v("CertificateChain", x.certificate_chain);
}
template <class V> void members(V& v, issue_certificate_request& x) {
    v("ApiPassthrough", x.api_passthrough);
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("Csr", x.csr);
    v("SigningAlgorithm", x.signing_algorithm);
    v("TemplateArn", x.template_arn);
    v("Validity", x.validity);
    v("ValidityNotBefore", x.validity_not_before);
    v("IdempotencyToken", x.idempotency_token);
}
template <class V> void members(V& v, issue_certificate_result& x) { v("CertificateArn", x.certificate_arn); }
template <class V> void members(V& v, list_certificate_authorities_request& x) {
    v("MaxResults", x.max_results);
    v("NextToken", x.next_token);
    v("ResourceOwner", x.resource_owner);
}
template <class V> void members(V& v, list_certificate_authorities_result& x) {
    v("NextToken", x.next_token);
    v("CertificateAuthorities", x.certificate_authorities);
}
template <class V> void members(V& v, list_permissions_request& x) {
    v("MaxResults", x.max_results);
    v("NextToken", x.next_token);
    v("CertificateAuthorityArn", x.certificate_authority_arn);
}
template <class V> void members(V& v, list_permissions_result& x) {
    v("NextToken", x.next_token);
    v("Permissions", x.permissions);
}
template <class V> void members(V& v, list_tags_request& x) {
    v("MaxResults", x.max_results);
    v("NextToken", x.next_token);
    v("CertificateAuthorityArn", x.certificate_authority_arn);
}
template <class V> void members(V& v, list_tags_result& x) {
    v("NextToken", x.next_token);
    v("Tags", x.tags);
}
template <class V> void members(V& v, put_policy_request& x) {
    v("ResourceArn", x.resource_arn);
    v("Policy", x.policy);
}
template <class V> void members(V& v, restore_certificate_authority_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
}
template <class V> void members(V& v, revoke_certificate_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("CertificateSerial", x.certificate_serial);
    v("RevocationReason", x.revocation_reason);
}
template <class V> void members(V& v, tag_certificate_authority_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("Tags", x.tags);
}
template <class V> void members(V& v, untag_certificate_authority_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("Tags", x.tags);
}
template <class V> void members(V& v, update_certificate_authority_request& x) {
    v("CertificateAuthorityArn", x.certificate_authority_arn);
    v("RevocationConfiguration", x.revocation_configuration);
    v("Status", x.status);
}

// ---- reading --------------------------------------------------------------------------------
template <class T, class = void>
struct has_members : std::false_type {};
struct probe_visitor {
    template <class M> void operator()(const char*, M&) {}
    void unboxed(const char*, bool&) {}
};
template <class T>
struct has_members<T, std::void_t<decltype(members(std::declval<probe_visitor&>(), std::declval<T&>()))>> : std::true_type {};

// Every overload is declared before the visitors that call it (unqualified calls in a
// template see only what is declared before the template, plus ADL, which cannot find these).
template <class T> void read(const json& j, const std::string& path, T& out);
template <class T> void read(const json& j, const std::string& path, std::vector<T>& out);
inline void read(const json& j, const std::string& path, bytes& out);

/// Decodes JSON objects member by member, keeping the path for messages.
class object_reader {
public:
    object_reader(const json& object, const std::string& path) : m_object(object), m_path(path) {}

    template <class M>
    void operator()(const char* name, M& member) {
        const json* j = find(name);
        if (!j)
            throw validation_exception("1 validation error detected: Value null at '" + child(name) +
                                       "' failed to satisfy constraint: Member must not be null");
        read(*j, child(name), member);
    }
    template <class M>
    void operator()(const char* name, std::optional<M>& member) {
        const json* j = find(name);
        if (!j) {
            member.reset();
            return;
        }
        M value{};
        read(*j, child(name), value);
        member = std::move(value);
    }
    void unboxed(const char* name, bool& member) {
        if (const json* j = find(name)) read(*j, child(name), member);
    }

private:
    const json* find(const char* name) const {
        auto it = m_object.find(name);
        if (it == m_object.end() || it->is_null()) return nullptr;
        return &*it;
    }
    std::string child(const char* name) const { return m_path.empty() ? std::string(name) : m_path + "." + name; }

    const json& m_object;
    std::string m_path;
};

inline void read_value(const json& j, const std::string& path, std::string& out) {
    if (!j.is_string()) wrong_type(path, "a string", j);
    out = j.get<std::string>();
}
inline void read_value(const json& j, const std::string& path, bool& out) {
    if (!j.is_boolean()) wrong_type(path, "a boolean", j);
    out = j.get<bool>();
}
inline void read_value(const json& j, const std::string& path, std::int32_t& out) {
    if (!j.is_number_integer()) wrong_type(path, "an integer", j);
    if (j.is_number_unsigned() ? j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT32_MAX)
                               : (j.get<std::int64_t>() < INT32_MIN || j.get<std::int64_t>() > INT32_MAX))
        throw protocol_error(400, "SerializationException", "member " + path + " is out of range for an integer");
    out = static_cast<std::int32_t>(j.get<std::int64_t>());
}
inline void read_value(const json& j, const std::string& path, std::int64_t& out) {
    if (!j.is_number_integer()) wrong_type(path, "an integer", j);
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        throw protocol_error(400, "SerializationException", "member " + path + " is out of range for a long");
    out = j.get<std::int64_t>();
}
/// Blobs: base64 text (botocore encodes with the standard alphabet and padding).
inline void read_value(const json& j, const std::string& path, bytes& out) {
    if (!j.is_string()) wrong_type(path, "a base64 string", j);
    auto decoded = der::base64_decode(j.get_ref<const std::string&>());
    if (!decoded) throw protocol_error(400, "SerializationException", "member " + path + " is not valid base64");
    out = std::move(*decoded);
}

template <class T>
void read(const json& j, const std::string& path, T& out) {
    if constexpr (std::is_enum_v<T>) {
        if (!j.is_string()) wrong_type(path, "a string", j);
        const auto& s = j.get_ref<const std::string&>();
        if (auto v = try_parse_enum<T>(s)) {
            out = *v;
        } else {
            std::string allowed;
            for (auto name : enum_traits<T>::names) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
            throw validation_exception("1 validation error detected: Value '" + s + "' at '" + path +
                                       "' failed to satisfy constraint: Member must satisfy enum value set: [" + allowed + "]");
        }
    } else if constexpr (has_members<T>::value) {
        if (!j.is_object()) wrong_type(path, "an object", j);
        object_reader r(j, path);
        members(r, out);
    } else {
        read_value(j, path, out);
    }
}
template <class T>
void read(const json& j, const std::string& path, std::vector<T>& out) {
    if (!j.is_array()) wrong_type(path, "a list", j);
    out.clear();
    out.reserve(j.size());
    std::size_t i = 0;
    for (const auto& x : j) {
        T value{};
        read(x, path + "[" + std::to_string(i++) + "]", value);
        out.push_back(std::move(value));
    }
}
inline void read(const json& j, const std::string& path, bytes& out) { read_value(j, path, out); }

/// Decodes a request body (already parsed) into the operation's request aggregate.
template <class Request>
Request decode(const json& body) {
    Request out{};
    if (!body.is_object()) wrong_type("(request)", "an object", body);
    object_reader r(body, std::string());
    members(r, out);
    return out;
}

// ---- writing --------------------------------------------------------------------------------
template <class T> json write(const T& value);
template <class T> json write(const std::vector<T>& values);
inline json write(const bytes& value) { return der::base64_encode(value); }

class object_writer {
public:
    explicit object_writer(json& out) : m_out(out) {}
    template <class M>
    void operator()(const char* name, const M& member) {
        m_out[name] = write(member);
    }
    template <class M>
    void operator()(const char* name, const std::optional<M>& member) {
        if (member) m_out[name] = write(*member);
    }
    void unboxed(const char* name, const bool& member) { m_out[name] = member; }

private:
    json& m_out;
};

template <class T>
json write(const T& value) {
    if constexpr (std::is_enum_v<T>) {
        return std::string(to_string(value));
    } else if constexpr (std::is_same_v<T, sys_seconds>) {
        return to_unix(value);  // epoch seconds
    } else if constexpr (has_members<T>::value) {
        json o = json::object();
        object_writer w(o);
        // The member lists take non-const references so one list serves reading and
        // writing; the writer only reads through them.
        members(w, const_cast<T&>(value));
        return o;
    } else {
        return json(value);
    }
}
template <class T>
json write(const std::vector<T>& values) {
    json a = json::array();
    for (const auto& x : values) a.push_back(write(x));
    return a;
}

/// Encodes a result aggregate as the response body.
template <class Result>
json encode(const Result& result) {
    return write(result);
}

}  // namespace codec
}  // namespace pca::server
