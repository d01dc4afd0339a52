// pca/x509/name.hpp - X.501 distinguished names (RFC 5280 section 4.1.2.4).
//
//   Name ::= CHOICE { rdnSequence RDNSequence }
//   RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
//   RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
//   AttributeTypeAndValue ::= SEQUENCE { type AttributeType, value AttributeValue }
//
// A name keeps its exact DER, so an issuer name is copied byte for byte from the CA
// certificate and names compare by their encodings (the RFC 5280 7.1 rule pca applies).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"

namespace pca::x509 {

/// Limits for names from untrusted input (documented in docs/security.md).
inline constexpr std::size_t max_name_attributes = 256;

struct name_attribute {
    der::oid type;
    std::uint8_t value_tag = der::tag::utf8_string;  ///< the AttributeValue's tag
    bytes value;                                     ///< the AttributeValue's content octets

    std::string_view text() const { return byte_view(value).as_string_view(); }
    bool is_string() const noexcept {
        switch (value_tag) {
            case der::tag::utf8_string:
            case der::tag::printable_string:
            case der::tag::ia5_string:
            case der::tag::t61_string:
            case der::tag::visible_string:
            case der::tag::bmp_string:
            case der::tag::universal_string: return true;
            default: return false;
        }
    }
};

using relative_distinguished_name = std::vector<name_attribute>;

class name {
public:
    name() { m_der = {der::tag::sequence, 0x00}; }  // the empty RDNSequence

    /// A name of one attribute per RDN, in the order given.
    static name from_attributes(const std::vector<name_attribute>& attributes) {
        name n;
        der::writer w;
        w.sequence([&](der::writer& seq) {
            for (const auto& a : attributes) {
                seq.set([&](der::writer& set) {
                    set.sequence([&](der::writer& atv) {
                        atv.oid(a.type);
                        atv.primitive(a.value_tag, a.value);
                    });
                });
                n.m_rdns.push_back({a});
            }
        });
        n.m_der = w.take();
        return n;
    }

    /// Parses a Name from DER (the whole input must be the Name). Strict: SETs of several
    /// attributes must be in DER order, strings must be valid for their type.
    static name parse(byte_view input) {
        der::reader top(input);
        const der::tlv whole = top.read(der::tag::sequence, "Name");
        top.expect_end("Name");
        return parse_tlv(whole, top);
    }

    /// Parses the Name TLV `whole`, which a caller has already read with `parent`.
    static name parse_tlv(const der::tlv& whole, const der::reader& parent) {
        name n;
        n.m_der = whole.encoded.to_bytes();
        der::reader seq = parent.child(whole, "Name");
        std::size_t count = 0;
        while (!seq.empty()) {
            const der::tlv set_tlv = seq.read(der::tag::set, "RelativeDistinguishedName");
            der::reader set = seq.child(set_tlv, "RelativeDistinguishedName");
            if (set.empty()) der::reader::fail("RelativeDistinguishedName is empty", set_tlv.offset);
            relative_distinguished_name rdn;
            byte_view previous;
            while (!set.empty()) {
                const der::tlv atv_tlv = set.read(der::tag::sequence, "AttributeTypeAndValue");
                if (!previous.empty() && atv_tlv.encoded < previous)
                    der::reader::fail("RelativeDistinguishedName SET is not in DER order", atv_tlv.offset);
                previous = atv_tlv.encoded;
                der::reader atv = set.child(atv_tlv, "AttributeTypeAndValue");
                name_attribute a;
                a.type = atv.oid("AttributeType");
                const der::tlv value = atv.read_any("AttributeValue");
                atv.expect_end("AttributeTypeAndValue");
                a.value_tag = value.tag;
                a.value = value.content.to_bytes();
                atv.check_tree(value, "AttributeValue");
                if (++count > max_name_attributes)
                    der::reader::fail("Name has more than " + std::to_string(max_name_attributes) + " attributes",
                                      value.offset);
                rdn.push_back(std::move(a));
            }
            n.m_rdns.push_back(std::move(rdn));
        }
        return n;
    }

    const bytes& der() const noexcept { return m_der; }
    const std::vector<relative_distinguished_name>& rdns() const noexcept { return m_rdns; }
    bool empty() const noexcept { return m_rdns.empty(); }

    /// The first attribute of the given type, if any.
    const name_attribute* find(const der::oid& type) const noexcept {
        for (const auto& rdn : m_rdns)
            for (const auto& a : rdn)
                if (a.type == type) return &a;
        return nullptr;
    }

    /// Byte-for-byte comparison of the encodings.
    friend bool operator==(const name& a, const name& b) noexcept { return a.m_der == b.m_der; }
    friend bool operator!=(const name& a, const name& b) noexcept { return !(a == b); }

    /// RFC 2253 string, last RDN first: "CN=x,OU=y,O=z,L=a,ST=b,C=US". Only CN, OU, O, L,
    /// ST, C get keywords (as in the service's audit reports); everything else, and any
    /// value that is not a plain string, is written as <dotted-oid>=#<hex of the value DER>.
    std::string to_rfc2253() const {
        std::string out;
        for (auto it = m_rdns.rbegin(); it != m_rdns.rend(); ++it) {
            if (!out.empty()) out += ',';
            bool first = true;
            for (const auto& a : *it) {
                if (!first) out += '+';
                first = false;
                const char* keyword = rfc2253_keyword(a.type);
                const bool textual = keyword && (a.value_tag == der::tag::utf8_string ||
                                                 a.value_tag == der::tag::printable_string ||
                                                 a.value_tag == der::tag::ia5_string);
                if (textual) {
                    out += keyword;
                    out += '=';
                    append_rfc2253_escaped(out, a.text());
                } else {
                    out += a.type.to_string();
                    out += "=#";
                    der::writer w;
                    w.primitive(a.value_tag, a.value);
                    out += to_hex(w.buffer());
                }
            }
        }
        return out;
    }

    /// A readable one-line form for messages: "C=US, O=Example, CN=x" (encoding order).
    std::string to_string() const {
        std::string out;
        for (const auto& rdn : m_rdns) {
            for (const auto& a : rdn) {
                if (!out.empty()) out += ", ";
                const char* keyword = short_name(a.type);
                out += keyword ? std::string(keyword) : a.type.to_string();
                out += '=';
                if (a.is_string() && a.value_tag != der::tag::bmp_string && a.value_tag != der::tag::universal_string)
                    out += std::string(a.text());
                else
                    out += "#" + to_hex(a.value);
            }
        }
        return out;
    }

private:
    static const char* rfc2253_keyword(const der::oid& t) noexcept {
        if (t == der::oids::common_name) return "CN";
        if (t == der::oids::organizational_unit_name) return "OU";
        if (t == der::oids::organization_name) return "O";
        if (t == der::oids::locality_name) return "L";
        if (t == der::oids::state_or_province_name) return "ST";
        if (t == der::oids::country_name) return "C";
        return nullptr;
    }
    static const char* short_name(const der::oid& t) noexcept {
        if (const char* k = rfc2253_keyword(t)) return k;
        if (t == der::oids::serial_number) return "serialNumber";
        if (t == der::oids::dn_qualifier) return "dnQualifier";
        if (t == der::oids::title) return "title";
        if (t == der::oids::surname) return "SN";
        if (t == der::oids::given_name) return "GN";
        if (t == der::oids::initials) return "initials";
        if (t == der::oids::pseudonym) return "pseudonym";
        if (t == der::oids::generation_qualifier) return "generationQualifier";
        if (t == der::oids::email_address) return "emailAddress";
        if (t == der::oids::domain_component) return "DC";
        return nullptr;
    }
    /// RFC 2253 section 2.4 escaping.
    static void append_rfc2253_escaped(std::string& out, std::string_view v) {
        for (std::size_t i = 0; i < v.size(); ++i) {
            const char c = v[i];
            const bool special = c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';';
            if (special || (i == 0 && (c == ' ' || c == '#')) || (i + 1 == v.size() && c == ' ')) {
                out += '\\';
                out += c;
            } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                static constexpr char hex[] = "0123456789ABCDEF";
                out += '\\';
                out += hex[static_cast<unsigned char>(c) >> 4];
                out += hex[c & 0xf];
            } else {
                out += c;
            }
        }
    }

    std::vector<relative_distinguished_name> m_rdns;
    bytes m_der;
};

/// True for the attribute types whose syntax is a string (RFC 5280 appendix A:
/// DirectoryString, PrintableString or IA5String).
inline bool is_string_attribute_type(const der::oid& t) noexcept {
    namespace o = der::oids;
    for (const der::oid& s : {o::common_name, o::surname, o::serial_number, o::country_name, o::locality_name,
                              o::state_or_province_name, o::street_address, o::organization_name, o::organizational_unit_name,
                              o::title, o::given_name, o::initials, o::generation_qualifier, o::dn_qualifier, o::pseudonym,
                              o::email_address, o::domain_component})
        if (s == t) return true;
    return false;
}

/// Empty when every value of `n` fits its attribute type; otherwise what is wrong with the
/// first one that does not: a string-typed attribute (CommonName, ...) whose value is not a
/// string, or an empty value (DirectoryString is SIZE (1..MAX)).
inline std::string name_value_problem(const name& n) {
    for (const auto& rdn : n.rdns())
        for (const auto& a : rdn) {
            if (is_string_attribute_type(a.type) && !a.is_string())
                return "attribute " + a.type.to_string() + " is " + der::tag_name(a.value_tag) + ", not a string type";
            if (a.value.empty()) return "attribute " + a.type.to_string() + " is empty";
        }
    return {};
}

}  // namespace pca::x509
