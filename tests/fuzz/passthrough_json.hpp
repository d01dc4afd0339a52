// tests/fuzz/passthrough_json.hpp - the ApiPassthrough shape in its wire JSON (acm-pca
// service-2.json member names), for the passthrough fuzz target. pca itself takes the
// shape as a C++ aggregate (pca/types/shapes.hpp); this is the JSON a server would read.
// from_json returns nullopt for JSON that is not the shape (unknown member, wrong type);
// to_json writes only the members that are set.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "pca/types/enums.hpp"
#include "pca/types/shapes.hpp"

namespace pca::fuzz::passthrough_json {

using json = nlohmann::json;

struct not_the_shape {};

inline const json& object(const json& j) {
    if (!j.is_object()) throw not_the_shape{};
    return j;
}
inline std::string str(const json& j) {
    if (!j.is_string()) throw not_the_shape{};
    return j.get<std::string>();
}
inline bool boolean(const json& j) {
    if (!j.is_boolean()) throw not_the_shape{};
    return j.get<bool>();
}
template <class E>
E enumeration(const json& j) {
    auto v = try_parse_enum<E>(str(j));
    if (!v) throw not_the_shape{};
    return *v;
}
template <class T, class F>
std::vector<T> list(const json& j, F&& each) {
    if (!j.is_array()) throw not_the_shape{};
    std::vector<T> out;
    for (const auto& x : j) out.push_back(each(x));
    return out;
}

/// Calls on(key, value) for every member; unknown keys are not the shape.
template <class F>
void members(const json& j, std::initializer_list<const char*> known, F&& on) {
    for (const auto& [k, v] : object(j).items()) {
        bool ok = false;
        for (const char* n : known) ok = ok || k == n;
        if (!ok) throw not_the_shape{};
        on(k, v);
    }
}

inline asn1_subject subject_from(const json& j) {
    asn1_subject s;
    members(j, {"Country", "Organization", "OrganizationalUnit", "DistinguishedNameQualifier", "State", "CommonName",
                "SerialNumber", "Locality", "Title", "Surname", "GivenName", "Initials", "Pseudonym",
                "GenerationQualifier", "CustomAttributes"},
            [&](const std::string& k, const json& v) {
                if (k == "Country") s.country = str(v);
                else if (k == "Organization") s.organization = str(v);
                else if (k == "OrganizationalUnit") s.organizational_unit = str(v);
                else if (k == "DistinguishedNameQualifier") s.distinguished_name_qualifier = str(v);
                else if (k == "State") s.state = str(v);
                else if (k == "CommonName") s.common_name = str(v);
                else if (k == "SerialNumber") s.serial_number = str(v);
                else if (k == "Locality") s.locality = str(v);
                else if (k == "Title") s.title = str(v);
                else if (k == "Surname") s.surname = str(v);
                else if (k == "GivenName") s.given_name = str(v);
                else if (k == "Initials") s.initials = str(v);
                else if (k == "Pseudonym") s.pseudonym = str(v);
                else if (k == "GenerationQualifier") s.generation_qualifier = str(v);
                else s.custom_attributes = list<custom_attribute>(v, [](const json& a) {
                    custom_attribute c;
                    members(a, {"ObjectIdentifier", "Value"}, [&](const std::string& ak, const json& av) {
                        (ak == "ObjectIdentifier" ? c.object_identifier : c.value) = str(av);
                    });
                    return c;
                });
            });
    return s;
}

inline pca::general_name general_name_from(const json& j) {
    pca::general_name g;
    members(j, {"OtherName", "Rfc822Name", "DnsName", "DirectoryName", "EdiPartyName", "UniformResourceIdentifier",
                "IpAddress", "RegisteredId"},
            [&](const std::string& k, const json& v) {
                if (k == "OtherName") {
                    pca::other_name o;
                    members(v, {"TypeId", "Value"}, [&](const std::string& ok, const json& ov) { (ok == "TypeId" ? o.type_id : o.value) = str(ov); });
                    g.other_name = o;
                } else if (k == "Rfc822Name") g.rfc822_name = str(v);
                else if (k == "DnsName") g.dns_name = str(v);
                else if (k == "DirectoryName") g.directory_name = subject_from(v);
                else if (k == "EdiPartyName") {
                    pca::edi_party_name e;
                    members(v, {"PartyName", "NameAssigner"}, [&](const std::string& ek, const json& ev) {
                        if (ek == "PartyName") e.party_name = str(ev); else e.name_assigner = str(ev);
                    });
                    g.edi_party_name = e;
                } else if (k == "UniformResourceIdentifier") g.uniform_resource_identifier = str(v);
                else if (k == "IpAddress") g.ip_address = str(v);
                else g.registered_id = str(v);
            });
    return g;
}

inline pca::extensions extensions_from(const json& j) {
    pca::extensions x;
    members(j, {"CertificatePolicies", "ExtendedKeyUsage", "KeyUsage", "SubjectAlternativeNames", "CustomExtensions"},
            [&](const std::string& k, const json& v) {
                if (k == "CertificatePolicies") {
                    x.certificate_policies = list<policy_information>(v, [](const json& p) {
                        policy_information pi;
                        members(p, {"CertPolicyId", "PolicyQualifiers"}, [&](const std::string& pk, const json& pv) {
                            if (pk == "CertPolicyId") {
                                pi.cert_policy_id = str(pv);
                                return;
                            }
                            pi.policy_qualifiers = list<policy_qualifier_info>(pv, [](const json& q) {
                                policy_qualifier_info qi;
                                members(q, {"PolicyQualifierId", "Qualifier"}, [&](const std::string& qk, const json& qv) {
                                    if (qk == "PolicyQualifierId") qi.policy_qualifier_id = enumeration<policy_qualifier_id>(qv);
                                    else members(qv, {"CpsUri"}, [&](const std::string&, const json& u) { qi.qualifier.cps_uri = str(u); });
                                });
                                return qi;
                            });
                        });
                        return pi;
                    });
                } else if (k == "ExtendedKeyUsage") {
                    x.extended_key_usage = list<pca::extended_key_usage>(v, [](const json& e) {
                        pca::extended_key_usage u;
                        members(e, {"ExtendedKeyUsageType", "ExtendedKeyUsageObjectIdentifier"}, [&](const std::string& ek, const json& ev) {
                            if (ek == "ExtendedKeyUsageType") u.extended_key_usage_type = enumeration<extended_key_usage_type>(ev);
                            else u.extended_key_usage_object_identifier = str(ev);
                        });
                        return u;
                    });
                } else if (k == "KeyUsage") {
                    pca::key_usage u;
                    members(v, {"DigitalSignature", "NonRepudiation", "KeyEncipherment", "DataEncipherment", "KeyAgreement",
                                "KeyCertSign", "CRLSign", "EncipherOnly", "DecipherOnly"},
                            [&](const std::string& uk, const json& uv) {
                                bool& b = uk == "DigitalSignature" ? u.digital_signature
                                          : uk == "NonRepudiation" ? u.non_repudiation
                                          : uk == "KeyEncipherment" ? u.key_encipherment
                                          : uk == "DataEncipherment" ? u.data_encipherment
                                          : uk == "KeyAgreement" ? u.key_agreement
                                          : uk == "KeyCertSign" ? u.key_cert_sign
                                          : uk == "CRLSign" ? u.crl_sign
                                          : uk == "EncipherOnly" ? u.encipher_only
                                                                 : u.decipher_only;
                                b = boolean(uv);
                            });
                    x.key_usage = u;
                } else if (k == "SubjectAlternativeNames") {
                    x.subject_alternative_names = list<pca::general_name>(v, general_name_from);
                } else {
                    x.custom_extensions = list<custom_extension>(v, [](const json& c) {
                        custom_extension e;
                        members(c, {"ObjectIdentifier", "Value", "Critical"}, [&](const std::string& ck, const json& cv) {
                            if (ck == "ObjectIdentifier") e.object_identifier = str(cv);
                            else if (ck == "Value") e.value = str(cv);
                            else e.critical = boolean(cv);
                        });
                        return e;
                    });
                }
            });
    return x;
}

/// The ApiPassthrough in `j`, or nullopt when `j` is not that shape.
inline std::optional<api_passthrough> from_json(const json& j) {
    try {
        api_passthrough a;
        members(j, {"Extensions", "Subject"}, [&](const std::string& k, const json& v) {
            if (k == "Extensions") a.extensions = extensions_from(v);
            else a.subject = subject_from(v);
        });
        return a;
    } catch (const not_the_shape&) {
        return std::nullopt;
    }
}

// ---- writing --------------------------------------------------------------------------

template <class T>
void put(json& j, const char* k, const std::optional<T>& v) {
    if (v) j[k] = *v;
}

inline json to_json(const asn1_subject& s) {
    json j = json::object();
    put(j, "Country", s.country);
    put(j, "Organization", s.organization);
    put(j, "OrganizationalUnit", s.organizational_unit);
    put(j, "DistinguishedNameQualifier", s.distinguished_name_qualifier);
    put(j, "State", s.state);
    put(j, "CommonName", s.common_name);
    put(j, "SerialNumber", s.serial_number);
    put(j, "Locality", s.locality);
    put(j, "Title", s.title);
    put(j, "Surname", s.surname);
    put(j, "GivenName", s.given_name);
    put(j, "Initials", s.initials);
    put(j, "Pseudonym", s.pseudonym);
    put(j, "GenerationQualifier", s.generation_qualifier);
    if (s.custom_attributes) {
        json a = json::array();
        for (const auto& c : *s.custom_attributes) a.push_back({{"ObjectIdentifier", c.object_identifier}, {"Value", c.value}});
        j["CustomAttributes"] = a;
    }
    return j;
}

inline json to_json(const pca::general_name& g) {
    json j = json::object();
    if (g.other_name) j["OtherName"] = {{"TypeId", g.other_name->type_id}, {"Value", g.other_name->value}};
    put(j, "Rfc822Name", g.rfc822_name);
    put(j, "DnsName", g.dns_name);
    if (g.directory_name) j["DirectoryName"] = to_json(*g.directory_name);
    if (g.edi_party_name) {
        json e = {{"PartyName", g.edi_party_name->party_name}};
        put(e, "NameAssigner", g.edi_party_name->name_assigner);
        j["EdiPartyName"] = e;
    }
    put(j, "UniformResourceIdentifier", g.uniform_resource_identifier);
    put(j, "IpAddress", g.ip_address);
    put(j, "RegisteredId", g.registered_id);
    return j;
}

inline json to_json(const api_passthrough& a) {
    json j = json::object();
    if (a.subject) j["Subject"] = to_json(*a.subject);
    if (!a.extensions) return j;
    const pca::extensions& x = *a.extensions;
    json e = json::object();
    if (x.certificate_policies) {
        json l = json::array();
        for (const auto& p : *x.certificate_policies) {
            json pj = {{"CertPolicyId", p.cert_policy_id}};
            if (p.policy_qualifiers) {
                json ql = json::array();
                for (const auto& q : *p.policy_qualifiers)
                    ql.push_back({{"PolicyQualifierId", std::string(to_string(q.policy_qualifier_id))},
                                  {"Qualifier", {{"CpsUri", q.qualifier.cps_uri}}}});
                pj["PolicyQualifiers"] = ql;
            }
            l.push_back(pj);
        }
        e["CertificatePolicies"] = l;
    }
    if (x.extended_key_usage) {
        json l = json::array();
        for (const auto& u : *x.extended_key_usage) {
            json uj = json::object();
            if (u.extended_key_usage_type) uj["ExtendedKeyUsageType"] = std::string(to_string(*u.extended_key_usage_type));
            put(uj, "ExtendedKeyUsageObjectIdentifier", u.extended_key_usage_object_identifier);
            l.push_back(uj);
        }
        e["ExtendedKeyUsage"] = l;
    }
    if (x.key_usage) {
        const auto& u = *x.key_usage;
        e["KeyUsage"] = {{"DigitalSignature", u.digital_signature}, {"NonRepudiation", u.non_repudiation},
                         {"KeyEncipherment", u.key_encipherment},   {"DataEncipherment", u.data_encipherment},
                         {"KeyAgreement", u.key_agreement},         {"KeyCertSign", u.key_cert_sign},
                         {"CRLSign", u.crl_sign},                   {"EncipherOnly", u.encipher_only},
                         {"DecipherOnly", u.decipher_only}};
    }
    if (x.subject_alternative_names) {
        json l = json::array();
        for (const auto& g : *x.subject_alternative_names) l.push_back(to_json(g));
        e["SubjectAlternativeNames"] = l;
    }
    if (x.custom_extensions) {
        json l = json::array();
        for (const auto& c : *x.custom_extensions) {
            json cj = {{"ObjectIdentifier", c.object_identifier}, {"Value", c.value}};
            put(cj, "Critical", c.critical);
            l.push_back(cj);
        }
        e["CustomExtensions"] = l;
    }
    j["Extensions"] = e;
    return j;
}

}  // namespace pca::fuzz::passthrough_json
