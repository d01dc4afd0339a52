// pca/x509/general_name.hpp - GeneralName (RFC 5280 section 4.2.1.6), every choice.
//
//   GeneralName ::= CHOICE {
//        otherName                 [0]  OtherName,            -- SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
//        rfc822Name                [1]  IA5String,
//        dNSName                   [2]  IA5String,
//        x400Address               [3]  ORAddress,
//        directoryName             [4]  Name,                 -- explicit: Name is a CHOICE
//        ediPartyName              [5]  EDIPartyName,         -- SEQUENCE { nameAssigner [0] DirectoryString OPTIONAL,
//                                                             --            partyName    [1] DirectoryString }
//        uniformResourceIdentifier [6]  IA5String,
//        iPAddress                 [7]  OCTET STRING,
//        registeredID              [8]  OBJECT IDENTIFIER }
#pragma once

#include <arpa/inet.h>

#include <optional>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"
#include "pca/x509/name.hpp"

namespace pca::x509 {

/// Limit on names in one GeneralNames list from untrusted input (docs/security.md).
inline constexpr std::size_t max_general_names = 1024;

struct general_name {
    enum class kind : std::uint8_t {
        other_name = 0,
        rfc822_name = 1,
        dns_name = 2,
        x400_address = 3,
        directory_name = 4,
        edi_party_name = 5,
        uniform_resource_identifier = 6,
        ip_address = 7,
        registered_id = 8,
    };

    kind type = kind::dns_name;
    std::string text;               ///< rfc822/dns/uri; EDI partyName
    std::string name_assigner;      ///< EDI nameAssigner (empty: absent)
    der::oid oid;                   ///< otherName type-id; registeredID
    bytes octets;                   ///< iPAddress octets; otherName value TLV; x400Address content
    std::optional<x509::name> directory;  ///< directoryName

    static general_name dns(std::string v) { return with_text(kind::dns_name, std::move(v)); }
    static general_name email(std::string v) { return with_text(kind::rfc822_name, std::move(v)); }
    static general_name uri(std::string v) { return with_text(kind::uniform_resource_identifier, std::move(v)); }
    static general_name ip(bytes address) {
        general_name g;
        g.type = kind::ip_address;
        g.octets = std::move(address);
        return g;
    }
    static general_name directory_name(x509::name n) {
        general_name g;
        g.type = kind::directory_name;
        g.directory = std::move(n);
        return g;
    }
    static general_name registered(der::oid o) {
        general_name g;
        g.type = kind::registered_id;
        g.oid = o;
        return g;
    }
    /// otherName with the value given as a complete DER TLV (the content of [0] EXPLICIT).
    static general_name other(der::oid type_id, bytes value_tlv) {
        general_name g;
        g.type = kind::other_name;
        g.oid = type_id;
        g.octets = std::move(value_tlv);
        return g;
    }
    static general_name edi_party(std::string party_name, std::string assigner = {}) {
        general_name g;
        g.type = kind::edi_party_name;
        g.text = std::move(party_name);
        g.name_assigner = std::move(assigner);
        return g;
    }

    /// Parses an IPv4 dotted quad or an IPv6 address into 4 or 16 octets.
    static std::optional<bytes> parse_ip(const std::string& text_form) {
        unsigned char buf[16];
        if (text_form.find(':') == std::string::npos) {
            if (::inet_pton(AF_INET, text_form.c_str(), buf) == 1) return bytes(buf, buf + 4);
        } else if (::inet_pton(AF_INET6, text_form.c_str(), buf) == 1) {
            return bytes(buf, buf + 16);
        }
        return std::nullopt;
    }

    void encode(der::writer& w) const {
        switch (type) {
            case kind::other_name:
                w.context_implicit_constructed(0, [&](der::writer& s) {
                    s.oid(oid);
                    s.context_explicit(0, [&](der::writer& v) { v.raw(octets); });
                });
                break;
            case kind::rfc822_name:
            case kind::dns_name:
            case kind::uniform_resource_identifier:
                w.context_implicit_primitive(static_cast<unsigned>(type), byte_view(text));
                break;
            case kind::x400_address:
                w.primitive(der::tag::context_constructed(3), octets);
                break;
            case kind::directory_name:
                w.context_explicit(4, [&](der::writer& s) { s.raw(directory ? directory->der() : x509::name().der()); });
                break;
            case kind::edi_party_name:
                w.context_implicit_constructed(5, [&](der::writer& s) {
                    if (!name_assigner.empty())
                        s.context_explicit(0, [&](der::writer& v) { v.utf8_string(name_assigner); });
                    s.context_explicit(1, [&](der::writer& v) { v.utf8_string(text); });
                });
                break;
            case kind::ip_address:
                w.context_implicit_primitive(7, octets);
                break;
            case kind::registered_id:
                w.context_implicit_primitive(8, oid.der_content());
                break;
        }
    }

    /// Decodes one GeneralName TLV already read by `parent`.
    static general_name decode(const der::tlv& v, const der::reader& parent) {
        general_name g;
        const unsigned n = v.tag & 0x1f;
        const bool constructed = (v.tag & der::tag::constructed_bit) != 0;
        if ((v.tag & 0xc0) != der::tag::context_class || n > 8)
            der::reader::fail("GeneralName: unexpected " + der::tag_name(v.tag), v.offset);
        g.type = static_cast<kind>(n);
        const bool must_construct = n == 0 || n == 3 || n == 4 || n == 5;
        if (constructed != must_construct) der::reader::fail("GeneralName: wrong constructed bit for choice [" + std::to_string(n) + "]", v.offset);
        switch (g.type) {
            case kind::other_name: {
                der::reader s = parent.child(v, "otherName");
                g.oid = s.oid("otherName type-id");
                const der::tlv value = s.read(der::tag::context_constructed(0), "otherName value");
                s.expect_end("otherName");
                der::reader inner = s.child(value, "otherName value");
                const der::tlv any = inner.read_any("otherName value");
                inner.expect_end("otherName value");
                inner.check_tree(any, "otherName value");
                if (g.oid == der::oid::constant("1.3.6.1.5.5.7.8.4")) {
                    // HardwareModuleName ::= SEQUENCE { hwType OBJECT IDENTIFIER, hwSerialNum OCTET STRING } (RFC 4108)
                    der::reader hw = inner.child(any, "hardwareModuleName");
                    if (any.tag != der::tag::sequence) hw.fail("hardwareModuleName must be a SEQUENCE");
                    hw.oid("hwType");
                    hw.octet_string("hwSerialNum");
                    hw.expect_end("hardwareModuleName");
                }
                g.octets = any.encoded.to_bytes();
                break;
            }
            case kind::rfc822_name:
            case kind::dns_name:
            case kind::uniform_resource_identifier:
                if (!der::is_ia5_string(v.content.as_string_view()))
                    der::reader::fail("GeneralName: non-ASCII byte in IA5String", v.offset);
                g.text = std::string(v.content.as_string_view());
                break;
            case kind::x400_address:
                g.octets = v.content.to_bytes();
                break;
            case kind::directory_name: {
                der::reader s = parent.child(v, "directoryName");
                const der::tlv nm = s.read(der::tag::sequence, "directoryName");
                s.expect_end("directoryName");
                g.directory = x509::name::parse_tlv(nm, s);
                break;
            }
            case kind::edi_party_name: {
                der::reader s = parent.child(v, "ediPartyName");
                if (auto a = s.enter_optional(der::tag::context_constructed(0), "nameAssigner")) {
                    const der::tlv str = a->read_any("nameAssigner");
                    der::reader::check_string(str, "nameAssigner");
                    a->expect_end("nameAssigner");
                    g.name_assigner = std::string(str.content.as_string_view());
                }
                der::reader p = s.enter(der::tag::context_constructed(1), "partyName");
                const der::tlv str = p.read_any("partyName");
                der::reader::check_string(str, "partyName");
                p.expect_end("partyName");
                s.expect_end("ediPartyName");
                g.text = std::string(str.content.as_string_view());
                break;
            }
            case kind::ip_address:
                if (v.content.size() != 4 && v.content.size() != 16 && v.content.size() != 8 && v.content.size() != 32)
                    der::reader::fail("GeneralName: iPAddress must be 4 or 16 octets (8 or 32 in name constraints)", v.offset);
                g.octets = v.content.to_bytes();
                break;
            case kind::registered_id: {
                auto o = der::oid::from_der_content(v.content);
                if (!o) der::reader::fail("GeneralName: malformed registeredID", v.offset);
                g.oid = *o;
                break;
            }
        }
        return g;
    }

    /// "DNS:example.com", "IP:10.0.0.1", "URI:...", "email:...", "DirName:...", ...
    std::string to_string() const {
        switch (type) {
            case kind::other_name: return "othername:" + oid.to_string();
            case kind::rfc822_name: return "email:" + text;
            case kind::dns_name: return "DNS:" + text;
            case kind::x400_address: return "X400Name";
            case kind::directory_name: return "DirName:" + (directory ? directory->to_string() : std::string());
            case kind::edi_party_name: return "EdiPartyName:" + text;
            case kind::uniform_resource_identifier: return "URI:" + text;
            case kind::ip_address: {
                char buf[INET6_ADDRSTRLEN] = {};
                if (octets.size() == 4) ::inet_ntop(AF_INET, octets.data(), buf, sizeof buf);
                else if (octets.size() == 16) ::inet_ntop(AF_INET6, octets.data(), buf, sizeof buf);
                else return "IP:#" + to_hex(octets);
                return std::string("IP:") + buf;
            }
            case kind::registered_id: return "RID:" + oid.to_string();
        }
        return {};
    }

private:
    static general_name with_text(kind k, std::string v) {
        general_name g;
        g.type = k;
        g.text = std::move(v);
        return g;
    }
};

/// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName - writes the elements only.
inline void encode_general_names(der::writer& w, const std::vector<general_name>& names) {
    for (const auto& g : names) g.encode(w);
}

/// Reads GeneralName elements until `r` is empty (the caller entered the SEQUENCE).
inline std::vector<general_name> decode_general_names(der::reader& r, const char* what) {
    std::vector<general_name> out;
    while (!r.empty()) {
        const der::tlv v = r.read_any(what);
        if (out.size() == max_general_names)
            der::reader::fail(std::string(what) + ": more than " + std::to_string(max_general_names) + " names", v.offset);
        out.push_back(general_name::decode(v, r));
    }
    if (out.empty()) r.fail(std::string(what) + ": GeneralNames must not be empty");
    return out;
}

}  // namespace pca::x509
