// pca/x509/api_shapes.hpp - the API's X.509 shapes (ASN1Subject, GeneralName, KeyUsage,
// ExtendedKeyUsage, PolicyInformation, CustomExtension, AccessDescription) as DER values.
//
// Values are assumed to have passed the types layer's validate(); what only encoding can
// find (an IP address that does not parse, base64 that does not decode) is reported here
// as InvalidArgsException naming the member.
#pragma once

#include <string>
#include <vector>

#include "pca/core/error.hpp"
#include "pca/der/base64.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"
#include "pca/types/shapes.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/general_name.hpp"
#include "pca/x509/name.hpp"

namespace pca::x509 {

inline der::oid parse_api_oid(const std::string& s, const std::string& member) {
    auto o = der::oid::from_string(s);
    if (!o) throw invalid_args_exception(member + " is not a valid object identifier: '" + s + "'");
    return *o;
}

namespace detail {
/// The string type an attribute value gets: PrintableString where RFC 5280 asks for it,
/// IA5String for emailAddress and domainComponent, UTF8String otherwise (RFC 5280 4.1.2.4).
inline std::uint8_t string_tag_for(const der::oid& type, const std::string& value) {
    if (type == der::oids::country_name || type == der::oids::serial_number || type == der::oids::dn_qualifier)
        return der::is_printable_string(value) ? der::tag::printable_string : der::tag::utf8_string;
    if (type == der::oids::email_address || type == der::oids::domain_component)
        return der::is_ia5_string(value) ? der::tag::ia5_string : der::tag::utf8_string;
    return der::tag::utf8_string;
}
}  // namespace detail

/// ASN1Subject -> Name. Standard attributes are written one per RDN in the model's member
/// order (Country, Organization, OrganizationalUnit, DistinguishedNameQualifier, State,
/// CommonName, SerialNumber, Locality, Title, Surname, GivenName, Initials, Pseudonym,
/// GenerationQualifier); CustomAttributes, which exclude the standard ones, in the order given.
inline name to_name(const asn1_subject& s, const std::string& member = "Subject") {
    std::vector<name_attribute> attrs;
    auto add = [&](const der::oid& type, const std::optional<std::string>& v) {
        // The model allows "" (String64 has min 0); X.520 DirectoryString does not, so an
        // empty member is left out of the Name as if it were absent.
        if (!v || v->empty()) return;
        const std::uint8_t t = detail::string_tag_for(type, *v);
        if (t == der::tag::utf8_string && !der::is_valid_utf8(byte_view(*v)))
            throw invalid_args_exception(member + ": attribute " + type.to_string() + " is not valid UTF-8");
        attrs.push_back({type, t, bytes(v->begin(), v->end())});
    };
    add(der::oids::country_name, s.country);
    add(der::oids::organization_name, s.organization);
    add(der::oids::organizational_unit_name, s.organizational_unit);
    add(der::oids::dn_qualifier, s.distinguished_name_qualifier);
    add(der::oids::state_or_province_name, s.state);
    add(der::oids::common_name, s.common_name);
    add(der::oids::serial_number, s.serial_number);
    add(der::oids::locality_name, s.locality);
    add(der::oids::title, s.title);
    add(der::oids::surname, s.surname);
    add(der::oids::given_name, s.given_name);
    add(der::oids::initials, s.initials);
    add(der::oids::pseudonym, s.pseudonym);
    add(der::oids::generation_qualifier, s.generation_qualifier);
    if (s.custom_attributes) {
        if (!attrs.empty())
            throw invalid_args_exception(member + ": CustomAttributes cannot be combined with standard attributes");
        std::size_t i = 0;
        for (const auto& c : *s.custom_attributes) {
            const std::string m = member + ".CustomAttributes[" + std::to_string(i++) + "]";
            add(parse_api_oid(c.object_identifier, m + ".ObjectIdentifier"), c.value);
        }
    }
    return name::from_attributes(attrs);
}

/// GeneralName -> x509::general_name. OtherName values are encoded as UTF8String.
inline general_name to_general_name(const pca::general_name& g, const std::string& member) {
    int set = 0;
    general_name out;
    if (g.other_name) {
        ++set;
        der::writer v;
        v.utf8_string(g.other_name->value);
        out = general_name::other(parse_api_oid(g.other_name->type_id, member + ".OtherName.TypeId"), v.take());
    }
    if (g.rfc822_name) ++set, out = general_name::email(*g.rfc822_name);
    if (g.dns_name) ++set, out = general_name::dns(*g.dns_name);
    if (g.directory_name) ++set, out = general_name::directory_name(to_name(*g.directory_name, member + ".DirectoryName"));
    if (g.edi_party_name) {
        ++set;
        out = general_name::edi_party(g.edi_party_name->party_name, g.edi_party_name->name_assigner.value_or(""));
    }
    if (g.uniform_resource_identifier) ++set, out = general_name::uri(*g.uniform_resource_identifier);
    if (g.ip_address) {
        ++set;
        auto ip = general_name::parse_ip(*g.ip_address);
        if (!ip) throw invalid_args_exception(member + ".IpAddress is not an IPv4 or IPv6 address: '" + *g.ip_address + "'");
        out = general_name::ip(std::move(*ip));
    }
    if (g.registered_id) ++set, out = general_name::registered(parse_api_oid(*g.registered_id, member + ".RegisteredId"));
    if (set != 1) throw invalid_args_exception(member + " must set exactly one name type, found " + std::to_string(set));
    for (char c : out.text)
        if (static_cast<unsigned char>(c) > 0x7f && out.type != general_name::kind::edi_party_name)
            throw invalid_args_exception(member + " must be ASCII (IA5String)");
    return out;
}

inline std::vector<general_name> to_general_names(const std::vector<pca::general_name>& names, const std::string& member) {
    std::vector<general_name> out;
    out.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        out.push_back(to_general_name(names[i], member + "[" + std::to_string(i) + "]"));
    return out;
}

inline x509::key_usage to_key_usage(const pca::key_usage& k) {
    x509::key_usage ku;
    auto set = [&](bool on, x509::key_usage::bit b) {
        if (on) ku.bits = static_cast<std::uint16_t>(ku.bits | b);
    };
    set(k.digital_signature, x509::key_usage::digital_signature);
    set(k.non_repudiation, x509::key_usage::non_repudiation);
    set(k.key_encipherment, x509::key_usage::key_encipherment);
    set(k.data_encipherment, x509::key_usage::data_encipherment);
    set(k.key_agreement, x509::key_usage::key_agreement);
    set(k.key_cert_sign, x509::key_usage::key_cert_sign);
    set(k.crl_sign, x509::key_usage::crl_sign);
    set(k.encipher_only, x509::key_usage::encipher_only);
    set(k.decipher_only, x509::key_usage::decipher_only);
    return ku;
}

/// The OID of an ExtendedKeyUsageType (docs/templates.md lists the sources).
constexpr der::oid purpose_oid(extended_key_usage_type t) {
    switch (t) {
        case extended_key_usage_type::server_auth: return der::oids::kp_server_auth;
        case extended_key_usage_type::client_auth: return der::oids::kp_client_auth;
        case extended_key_usage_type::code_signing: return der::oids::kp_code_signing;
        case extended_key_usage_type::email_protection: return der::oids::kp_email_protection;
        case extended_key_usage_type::time_stamping: return der::oids::kp_time_stamping;
        case extended_key_usage_type::ocsp_signing: return der::oids::kp_ocsp_signing;
        case extended_key_usage_type::smart_card_login: return der::oids::ms_smart_card_logon;
        case extended_key_usage_type::document_signing: return der::oids::kp_document_signing;
        case extended_key_usage_type::certificate_transparency: return der::oids::ct_precert_signing;
    }
    return der::oids::kp_server_auth;
}

inline x509::extended_key_usage to_extended_key_usage(const std::vector<pca::extended_key_usage>& list,
                                                      const std::string& member) {
    x509::extended_key_usage eku;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string m = member + "[" + std::to_string(i) + "]";
        const auto& e = list[i];
        if (e.extended_key_usage_type.has_value() == e.extended_key_usage_object_identifier.has_value())
            throw invalid_args_exception(m + " must set exactly one of ExtendedKeyUsageType and ExtendedKeyUsageObjectIdentifier");
        const der::oid o = e.extended_key_usage_type ? purpose_oid(*e.extended_key_usage_type)
                                                      : parse_api_oid(*e.extended_key_usage_object_identifier, m);
        if (eku.has(o)) throw invalid_args_exception(m + " repeats purpose " + o.to_string());
        eku.purposes.push_back(o);
    }
    return eku;
}

inline x509::certificate_policies to_certificate_policies(const std::vector<pca::policy_information>& list,
                                                          const std::string& member) {
    x509::certificate_policies cp;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string m = member + "[" + std::to_string(i) + "]";
        x509::policy_information p;
        p.policy_id = parse_api_oid(list[i].cert_policy_id, m + ".CertPolicyId");
        for (const auto& prior : cp.policies)
            if (prior.policy_id == p.policy_id) throw invalid_args_exception(m + " repeats policy " + p.policy_id.to_string());
        if (list[i].policy_qualifiers)
            for (const auto& q : *list[i].policy_qualifiers)
                p.qualifiers.push_back({der::oids::cps_qualifier, q.qualifier.cps_uri, {}});
        cp.policies.push_back(std::move(p));
    }
    return cp;
}

/// CustomExtension -> extension. The base64 Value must decode to one complete DER value.
inline extension to_extension(const custom_extension& c, const std::string& member) {
    extension e;
    e.id = parse_api_oid(c.object_identifier, member + ".ObjectIdentifier");
    e.critical = c.critical.value_or(false);
    auto value = der::base64_decode(c.value);
    if (!value) throw invalid_args_exception(member + ".Value is not valid base64");
    try {
        der::read_single(*value, "CustomExtension value");
    } catch (const der::decode_error& err) {
        throw invalid_args_exception(member + ".Value is not one DER value: " + std::string(err.what()));
    }
    e.value = std::move(*value);
    return e;
}

inline access_description to_access_description(const pca::access_description& d, const std::string& member) {
    access_description out;
    const auto& m = d.access_method;
    if (m.custom_object_identifier.has_value() == m.access_method_type.has_value())
        throw invalid_args_exception(member + ".AccessMethod must set exactly one of CustomObjectIdentifier and AccessMethodType");
    if (m.access_method_type) {
        switch (*m.access_method_type) {
            case access_method_type::ca_repository: out.method = der::oids::ad_ca_repository; break;
            case access_method_type::resource_pki_manifest: out.method = der::oids::ad_rpki_manifest; break;
            case access_method_type::resource_pki_notify: out.method = der::oids::ad_rpki_notify; break;
        }
    } else {
        out.method = parse_api_oid(*m.custom_object_identifier, member + ".AccessMethod.CustomObjectIdentifier");
    }
    out.location = to_general_name(d.access_location, member + ".AccessLocation");
    return out;
}

}  // namespace pca::x509
