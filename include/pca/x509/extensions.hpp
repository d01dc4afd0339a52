// pca/x509/extensions.hpp - certificate and CRL extensions, one type per extension.
//
//   Extension ::= SEQUENCE {
//        extnID      OBJECT IDENTIFIER,
//        critical    BOOLEAN DEFAULT FALSE,
//        extnValue   OCTET STRING }     -- RFC 5280 section 4.1
//
// Each typed extension knows its OID, encodes its extnValue and decodes itself strictly.
// `extension` is the raw form every certificate, CSR and CRL carries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"
#include "pca/x509/general_name.hpp"

namespace pca::x509 {

/// Limit on extensions in one certificate/CSR from untrusted input (docs/security.md).
inline constexpr std::size_t max_extensions = 256;

struct extension {
    der::oid id;
    bool critical = false;
    bytes value;  ///< the DER inside extnValue

    friend bool operator==(const extension& a, const extension& b) {
        return a.id == b.id && a.critical == b.critical && a.value == b.value;
    }
};

/// Writes `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` (the caller adds any [3] tag).
inline void encode_extensions(der::writer& w, const std::vector<extension>& exts) {
    w.sequence([&](der::writer& seq) {
        for (const auto& e : exts) {
            seq.sequence([&](der::writer& s) {
                s.oid(e.id);
                if (e.critical) s.boolean(true);  // DER omits the DEFAULT FALSE
                s.octet_string(e.value);
            });
        }
    });
}

/// Reads an Extensions SEQUENCE; refuses duplicates (RFC 5280 4.2), an explicit FALSE
/// critical flag (not DER), and an empty list.
inline std::vector<extension> decode_extensions(der::reader& parent, const char* what = "Extensions") {
    der::reader seq = parent.sequence(what);
    std::vector<extension> out;
    while (!seq.empty()) {
        der::reader s = seq.sequence("Extension");
        extension e;
        const std::size_t at = s.offset();
        e.id = s.oid("extnID");
        if (s.next_is(der::tag::boolean)) {
            e.critical = s.boolean("critical");
            if (!e.critical) s.fail("Extension " + e.id.to_string() + ": critical FALSE must be omitted in DER");
        }
        e.value = s.octet_string("extnValue").to_bytes();
        s.expect_end("Extension");
        for (const auto& prior : out)
            if (prior.id == e.id) der::reader::fail("duplicate extension " + e.id.to_string(), at);
        if (out.size() == max_extensions)
            der::reader::fail(std::string(what) + ": more than " + std::to_string(max_extensions) + " extensions", at);
        out.push_back(std::move(e));
    }
    if (out.empty()) seq.fail(std::string(what) + ": must not be empty");
    return out;
}

inline const extension* find_extension(const std::vector<extension>& exts, const der::oid& id) noexcept {
    for (const auto& e : exts)
        if (e.id == id) return &e;
    return nullptr;
}

namespace detail {
/// Decodes an extnValue: a single TLV with nothing after it.
inline der::reader value_reader(byte_view value) { return der::reader(value); }
}  // namespace detail

// ---- BasicConstraints (4.2.1.9) --------------------------------------------------------
//   BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
struct basic_constraints {
    static constexpr der::oid id = der::oids::basic_constraints;
    bool ca = false;
    std::optional<std::int64_t> path_len;

    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& s) {
            if (ca) s.boolean(true);
            if (path_len) s.integer(*path_len);
        });
        return w.take();
    }
    extension to_extension(bool critical) const { return {id, critical, encode()}; }

    static basic_constraints decode(byte_view value) {
        der::reader r(value);
        der::reader s = r.sequence("BasicConstraints");
        r.expect_end("BasicConstraints");
        basic_constraints bc;
        if (s.next_is(der::tag::boolean)) {
            bc.ca = s.boolean("cA");
            if (!bc.ca) s.fail("BasicConstraints: cA FALSE must be omitted in DER");
        }
        if (s.next_is(der::tag::integer)) {
            bc.path_len = s.integer("pathLenConstraint");
            if (*bc.path_len < 0) s.fail("BasicConstraints: negative pathLenConstraint");
        }
        s.expect_end("BasicConstraints");
        return bc;
    }
};

// ---- KeyUsage (4.2.1.3) ----------------------------------------------------------------
//   KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1), keyEncipherment (2),
//        dataEncipherment (3), keyAgreement (4), keyCertSign (5), cRLSign (6),
//        encipherOnly (7), decipherOnly (8) }
struct key_usage {
    static constexpr der::oid id = der::oids::key_usage;
    enum bit : std::uint16_t {
        digital_signature = 1u << 0,
        non_repudiation = 1u << 1,
        key_encipherment = 1u << 2,
        data_encipherment = 1u << 3,
        key_agreement = 1u << 4,
        key_cert_sign = 1u << 5,
        crl_sign = 1u << 6,
        encipher_only = 1u << 7,
        decipher_only = 1u << 8,
    };
    std::uint16_t bits = 0;

    bool has(bit b) const noexcept { return (bits & b) != 0; }
    bytes encode() const {
        der::writer w;
        w.named_bits(bits, 9);
        return w.take();
    }
    extension to_extension(bool critical) const { return {id, critical, encode()}; }

    static key_usage decode(byte_view value) {
        der::reader r(value);
        const auto bs = r.bit_string("KeyUsage");
        r.expect_end("KeyUsage");
        if (bs.bytes.size() > 2) r.fail("KeyUsage: more than 9 bits");
        key_usage ku;
        for (std::size_t i = 0; i < bs.bytes.size(); ++i)
            for (unsigned b = 0; b < 8; ++b)
                if (bs.bytes[i] & (0x80u >> b)) {
                    const unsigned bitno = static_cast<unsigned>(i * 8 + b);
                    if (bitno > 8) r.fail("KeyUsage: unknown bit " + std::to_string(bitno));
                    ku.bits = static_cast<std::uint16_t>(ku.bits | (1u << bitno));
                }
        // DER: a named bit list has no trailing zero bits.
        if (!bs.bytes.empty()) {
            const std::uint8_t last = bs.bytes[bs.bytes.size() - 1];
            if (last == 0 || !(last & (1u << bs.unused_bits))) r.fail("KeyUsage: trailing zero bits are not DER");
        }
        return ku;
    }
};

// ---- ExtendedKeyUsage (4.2.1.12) -------------------------------------------------------
//   ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
struct extended_key_usage {
    static constexpr der::oid id = der::oids::extended_key_usage;
    std::vector<der::oid> purposes;

    bool has(const der::oid& p) const noexcept {
        for (const auto& x : purposes)
            if (x == p) return true;
        return false;
    }
    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& s) {
            for (const auto& p : purposes) s.oid(p);
        });
        return w.take();
    }
    extension to_extension(bool critical) const { return {id, critical, encode()}; }

    static extended_key_usage decode(byte_view value) {
        der::reader r(value);
        der::reader s = r.sequence("ExtKeyUsageSyntax");
        r.expect_end("ExtKeyUsageSyntax");
        extended_key_usage eku;
        while (!s.empty()) {
            if (eku.purposes.size() == max_extensions) s.fail("ExtKeyUsageSyntax: too many purposes");
            eku.purposes.push_back(s.oid("KeyPurposeId"));
        }
        if (eku.purposes.empty()) s.fail("ExtKeyUsageSyntax must not be empty");
        return eku;
    }
};

// ---- SubjectKeyIdentifier (4.2.1.2) ----------------------------------------------------
//   SubjectKeyIdentifier ::= KeyIdentifier ::= OCTET STRING
struct subject_key_identifier {
    static constexpr der::oid id = der::oids::subject_key_identifier;
    bytes key_id;

    bytes encode() const {
        der::writer w;
        w.octet_string(key_id);
        return w.take();
    }
    extension to_extension() const { return {id, false, encode()}; }  // MUST be non-critical
    static subject_key_identifier decode(byte_view value) {
        der::reader r(value);
        subject_key_identifier ski{r.octet_string("SubjectKeyIdentifier").to_bytes()};
        r.expect_end("SubjectKeyIdentifier");
        return ski;
    }
};

// ---- AuthorityKeyIdentifier (4.2.1.1) --------------------------------------------------
//   AuthorityKeyIdentifier ::= SEQUENCE {
//        keyIdentifier             [0] KeyIdentifier           OPTIONAL,
//        authorityCertIssuer       [1] GeneralNames            OPTIONAL,
//        authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
struct authority_key_identifier {
    static constexpr der::oid id = der::oids::authority_key_identifier;
    bytes key_id;
    std::vector<general_name> issuer;
    bytes serial;  ///< INTEGER content octets, empty when absent

    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& s) {
            if (!key_id.empty()) s.context_implicit_primitive(0, key_id);
            if (!issuer.empty())
                s.context_implicit_constructed(1, [&](der::writer& g) { encode_general_names(g, issuer); });
            if (!serial.empty()) s.context_implicit_primitive(2, serial);
        });
        return w.take();
    }
    extension to_extension() const { return {id, false, encode()}; }  // MUST be non-critical

    static authority_key_identifier decode(byte_view value) {
        der::reader r(value);
        der::reader s = r.sequence("AuthorityKeyIdentifier");
        r.expect_end("AuthorityKeyIdentifier");
        authority_key_identifier aki;
        if (auto k = s.read_optional(der::tag::context_primitive(0), "keyIdentifier")) aki.key_id = k->content.to_bytes();
        if (auto g = s.enter_optional(der::tag::context_constructed(1), "authorityCertIssuer"))
            aki.issuer = decode_general_names(*g, "authorityCertIssuer");
        if (auto n = s.read_optional(der::tag::context_primitive(2), "authorityCertSerialNumber")) {
            der::reader::check_integer(*n, "authorityCertSerialNumber");
            aki.serial = n->content.to_bytes();
        }
        s.expect_end("AuthorityKeyIdentifier");
        return aki;
    }
};

// ---- SubjectAltName / IssuerAltName (4.2.1.6, 4.2.1.7) ---------------------------------
//   SubjectAltName ::= GeneralNames
struct subject_alt_name {
    static constexpr der::oid id = der::oids::subject_alt_name;
    std::vector<general_name> names;

    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& s) { encode_general_names(s, names); });
        return w.take();
    }
    /// RFC 5280: critical when the subject name is empty.
    extension to_extension(bool critical) const { return {id, critical, encode()}; }
    static subject_alt_name decode(byte_view value) {
        der::reader r(value);
        der::reader s = r.sequence("SubjectAltName");
        r.expect_end("SubjectAltName");
        return {decode_general_names(s, "SubjectAltName")};
    }
};

// ---- CertificatePolicies (4.2.1.4) -----------------------------------------------------
//   PolicyInformation ::= SEQUENCE { policyIdentifier CertPolicyId,
//        policyQualifiers SEQUENCE SIZE (1..MAX) OF PolicyQualifierInfo OPTIONAL }
//   PolicyQualifierInfo ::= SEQUENCE { policyQualifierId OID, qualifier ANY }  -- CPS: IA5String
struct policy_qualifier {
    der::oid qualifier_id;  ///< id-qt-cps for a CPS URI
    std::string cps_uri;    ///< when qualifier_id is id-qt-cps
    bytes other_tlv;        ///< the raw qualifier otherwise (e.g. a UserNotice)
};
struct policy_information {
    der::oid policy_id;
    std::vector<policy_qualifier> qualifiers;
};
struct certificate_policies {
    static constexpr der::oid id = der::oids::certificate_policies;
    std::vector<policy_information> policies;

    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& seq) {
            for (const auto& p : policies) {
                seq.sequence([&](der::writer& pi) {
                    pi.oid(p.policy_id);
                    if (!p.qualifiers.empty()) {
                        pi.sequence([&](der::writer& qs) {
                            for (const auto& q : p.qualifiers) {
                                qs.sequence([&](der::writer& qi) {
                                    qi.oid(q.qualifier_id);
                                    if (q.qualifier_id == der::oids::cps_qualifier)
                                        qi.ia5_string(q.cps_uri);
                                    else
                                        qi.raw(q.other_tlv);
                                });
                            }
                        });
                    }
                });
            }
        });
        return w.take();
    }
    extension to_extension(bool critical) const { return {id, critical, encode()}; }

    static certificate_policies decode(byte_view value) {
        der::reader r(value);
        der::reader seq = r.sequence("CertificatePolicies");
        r.expect_end("CertificatePolicies");
        certificate_policies cp;
        while (!seq.empty()) {
            der::reader pi = seq.sequence("PolicyInformation");
            policy_information p;
            p.policy_id = pi.oid("policyIdentifier");
            for (const auto& prior : cp.policies)
                if (prior.policy_id == p.policy_id) pi.fail("CertificatePolicies: duplicate policy " + p.policy_id.to_string());
            if (auto qs = pi.enter_optional(der::tag::sequence, "policyQualifiers")) {
                while (!qs->empty()) {
                    der::reader qi = qs->sequence("PolicyQualifierInfo");
                    policy_qualifier q;
                    q.qualifier_id = qi.oid("policyQualifierId");
                    if (q.qualifier_id == der::oids::cps_qualifier)
                        q.cps_uri = std::string(qi.ia5_string("cPSuri"));
                    else
                        q.other_tlv = qi.read_any("qualifier").encoded.to_bytes();
                    qi.expect_end("PolicyQualifierInfo");
                    p.qualifiers.push_back(std::move(q));
                }
                if (p.qualifiers.empty()) pi.fail("policyQualifiers must not be empty");
            }
            pi.expect_end("PolicyInformation");
            if (cp.policies.size() == max_extensions) pi.fail("CertificatePolicies: too many policies");
            cp.policies.push_back(std::move(p));
        }
        if (cp.policies.empty()) seq.fail("CertificatePolicies must not be empty");
        return cp;
    }
};

// ---- CRLDistributionPoints (4.2.1.13) --------------------------------------------------
//   DistributionPoint ::= SEQUENCE { distributionPoint [0] DistributionPointName OPTIONAL,
//        reasons [1] ReasonFlags OPTIONAL, cRLIssuer [2] GeneralNames OPTIONAL }
//   DistributionPointName ::= CHOICE { fullName [0] GeneralNames,
//        nameRelativeToCRLIssuer [1] RelativeDistinguishedName }
struct distribution_point {
    std::vector<general_name> full_name;  ///< empty when absent or given relative to the issuer
    bytes relative_name_der;              ///< nameRelativeToCRLIssuer content, raw
    bytes reasons_der;                    ///< ReasonFlags TLV, raw
    std::vector<general_name> crl_issuer;
};

namespace detail {
inline void encode_dp_name(der::writer& w, const distribution_point& dp) {
    if (!dp.full_name.empty())
        w.context_explicit(0, [&](der::writer& c) {
            c.context_implicit_constructed(0, [&](der::writer& g) { encode_general_names(g, dp.full_name); });
        });
    else if (!dp.relative_name_der.empty())
        w.context_explicit(0, [&](der::writer& c) {
            c.constructed(der::tag::context_constructed(1), [&](der::writer& r) { r.raw(dp.relative_name_der); });
        });
}
inline void decode_dp_name(der::reader& dpn, distribution_point& dp) {
    const der::tlv choice = dpn.read_any("DistributionPointName");
    if (choice.tag == der::tag::context_constructed(0)) {
        der::reader g = dpn.child(choice, "fullName");
        dp.full_name = decode_general_names(g, "fullName");
    } else if (choice.tag == der::tag::context_constructed(1)) {
        if (choice.content.empty()) der::reader::fail("nameRelativeToCRLIssuer is empty", choice.offset);
        dp.relative_name_der = choice.content.to_bytes();
    } else {
        der::reader::fail("DistributionPointName: unexpected " + der::tag_name(choice.tag), choice.offset);
    }
    dpn.expect_end("distributionPoint");
}
}  // namespace detail

struct crl_distribution_points {
    static constexpr der::oid id = der::oids::crl_distribution_points;
    std::vector<distribution_point> points;

    /// One distribution point with one URI, as the service writes it.
    static crl_distribution_points from_uri(std::string uri) {
        distribution_point dp;
        dp.full_name.push_back(general_name::uri(std::move(uri)));
        return {{std::move(dp)}};
    }
    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& seq) {
            for (const auto& dp : points) {
                seq.sequence([&](der::writer& s) {
                    detail::encode_dp_name(s, dp);
                    if (!dp.reasons_der.empty()) s.raw(dp.reasons_der);
                    if (!dp.crl_issuer.empty())
                        s.context_implicit_constructed(2, [&](der::writer& g) { encode_general_names(g, dp.crl_issuer); });
                });
            }
        });
        return w.take();
    }
    extension to_extension() const { return {id, false, encode()}; }

    static crl_distribution_points decode(byte_view value) {
        der::reader r(value);
        der::reader seq = r.sequence("CRLDistributionPoints");
        r.expect_end("CRLDistributionPoints");
        crl_distribution_points c;
        while (!seq.empty()) {
            der::reader s = seq.sequence("DistributionPoint");
            distribution_point dp;
            if (auto dpn = s.enter_optional(der::tag::context_constructed(0), "distributionPoint"))
                detail::decode_dp_name(*dpn, dp);
            if (auto reasons = s.read_optional(der::tag::context_primitive(1), "reasons")) {
                der::tlv as_bits = *reasons;
                der::reader::check_bit_string(as_bits, "reasons");
                dp.reasons_der = reasons->encoded.to_bytes();
            }
            if (auto g = s.enter_optional(der::tag::context_constructed(2), "cRLIssuer"))
                dp.crl_issuer = decode_general_names(*g, "cRLIssuer");
            s.expect_end("DistributionPoint");
            if (c.points.size() == max_extensions) s.fail("CRLDistributionPoints: too many points");
            c.points.push_back(std::move(dp));
        }
        if (c.points.empty()) seq.fail("CRLDistributionPoints must not be empty");
        return c;
    }
};

// ---- AuthorityInfoAccess / SubjectInfoAccess (4.2.2.1, 4.2.2.2) ------------------------
//   AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
struct access_description {
    der::oid method;
    general_name location;
};

template <const der::oid& Id>
struct basic_info_access {
    static constexpr der::oid id = Id;
    std::vector<access_description> descriptions;

    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& seq) {
            for (const auto& d : descriptions) {
                seq.sequence([&](der::writer& s) {
                    s.oid(d.method);
                    d.location.encode(s);
                });
            }
        });
        return w.take();
    }
    extension to_extension() const { return {id, false, encode()}; }  // MUST be non-critical

    static basic_info_access decode(byte_view value) {
        der::reader r(value);
        der::reader seq = r.sequence("AccessDescriptions");
        r.expect_end("AccessDescriptions");
        basic_info_access a;
        while (!seq.empty()) {
            der::reader s = seq.sequence("AccessDescription");
            access_description d;
            d.method = s.oid("accessMethod");
            const der::tlv loc = s.read_any("accessLocation");
            d.location = general_name::decode(loc, s);
            s.expect_end("AccessDescription");
            if (a.descriptions.size() == max_general_names) s.fail("AccessDescriptions: too many entries");
            a.descriptions.push_back(std::move(d));
        }
        if (a.descriptions.empty()) seq.fail("AccessDescriptions must not be empty");
        return a;
    }
};
using authority_info_access = basic_info_access<der::oids::authority_info_access>;
using subject_info_access = basic_info_access<der::oids::subject_info_access>;

// ---- CRL extensions (5.2) --------------------------------------------------------------
//   CRLNumber ::= INTEGER (0..MAX)
struct crl_number {
    static constexpr der::oid id = der::oids::crl_number;
    std::int64_t value = 0;
    bytes encode() const {
        der::writer w;
        w.integer(value);
        return w.take();
    }
    extension to_extension() const { return {id, false, encode()}; }  // MUST be non-critical
    static crl_number decode(byte_view v) {
        der::reader r(v);
        crl_number n{r.integer("CRLNumber")};
        r.expect_end("CRLNumber");
        if (n.value < 0) r.fail("CRLNumber must not be negative");
        return n;
    }
};

//   IssuingDistributionPoint ::= SEQUENCE {
//        distributionPoint          [0] DistributionPointName OPTIONAL,
//        onlyContainsUserCerts      [1] BOOLEAN DEFAULT FALSE,
//        onlyContainsCACerts        [2] BOOLEAN DEFAULT FALSE,
//        onlySomeReasons            [3] ReasonFlags OPTIONAL,
//        indirectCRL                [4] BOOLEAN DEFAULT FALSE,
//        onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
struct issuing_distribution_point {
    static constexpr der::oid id = der::oids::issuing_distribution_point;
    std::vector<general_name> full_name;
    bytes relative_name_der;  ///< nameRelativeToCRLIssuer content, raw
    bool only_user_certs = false;
    bool only_ca_certs = false;
    bytes only_some_reasons_der;  ///< onlySomeReasons TLV, raw
    bool indirect_crl = false;
    bool only_attribute_certs = false;

    bytes encode() const {
        der::writer w;
        w.sequence([&](der::writer& s) {
            distribution_point dp;
            dp.full_name = full_name;
            dp.relative_name_der = relative_name_der;
            detail::encode_dp_name(s, dp);
            const std::uint8_t t = 0xff;
            if (only_user_certs) s.primitive(der::tag::context_primitive(1), {&t, 1});
            if (only_ca_certs) s.primitive(der::tag::context_primitive(2), {&t, 1});
            if (!only_some_reasons_der.empty()) s.raw(only_some_reasons_der);
            if (indirect_crl) s.primitive(der::tag::context_primitive(4), {&t, 1});
            if (only_attribute_certs) s.primitive(der::tag::context_primitive(5), {&t, 1});
        });
        return w.take();
    }
    extension to_extension() const { return {id, true, encode()}; }  // critical (RFC 5280 5.2.5)
    static issuing_distribution_point decode(byte_view v) {
        der::reader r(v);
        der::reader s = r.sequence("IssuingDistributionPoint");
        r.expect_end("IssuingDistributionPoint");
        issuing_distribution_point idp;
        if (auto dpn = s.enter_optional(der::tag::context_constructed(0), "distributionPoint")) {
            distribution_point dp;
            detail::decode_dp_name(*dpn, dp);
            idp.full_name = std::move(dp.full_name);
            idp.relative_name_der = std::move(dp.relative_name_der);
        }
        auto flag = [&](unsigned n, const char* what) {
            if (auto f = s.read_optional(der::tag::context_primitive(n), what)) {
                if (f->content.size() != 1 || f->content[0] != 0xff) der::reader::fail(std::string(what) + ": must be TRUE when present", f->offset);
                return true;
            }
            return false;
        };
        idp.only_user_certs = flag(1, "onlyContainsUserCerts");
        idp.only_ca_certs = flag(2, "onlyContainsCACerts");
        if (auto reasons = s.read_optional(der::tag::context_primitive(3), "onlySomeReasons")) {
            der::reader::check_bit_string(*reasons, "onlySomeReasons");
            idp.only_some_reasons_der = reasons->encoded.to_bytes();
        }
        idp.indirect_crl = flag(4, "indirectCRL");
        idp.only_attribute_certs = flag(5, "onlyContainsAttributeCerts");
        s.expect_end("IssuingDistributionPoint");
        return idp;
    }
};

}  // namespace pca::x509
