// pca/x509/csr.hpp - an immutable, strictly parsed PKCS#10 certification request.
//
//   CertificationRequest ::= SEQUENCE {                               -- RFC 2986 section 4
//        certificationRequestInfo CertificationRequestInfo,
//        signatureAlgorithm       AlgorithmIdentifier,
//        signature                BIT STRING }
//   CertificationRequestInfo ::= SEQUENCE {
//        version       INTEGER { v1(0) },
//        subject       Name,
//        subjectPKInfo SubjectPublicKeyInfo,
//        attributes    [0] IMPLICIT SET OF Attribute }
//   Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET SIZE(1..MAX) OF ANY }
//   extensionRequest (PKCS#9): values = SET { Extensions }
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/crypto/key.hpp"
#include "pca/der/pem.hpp"
#include "pca/der/reader.hpp"
#include "pca/x509/algorithm.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/name.hpp"

namespace pca::x509 {

/// Limit on CSR attributes from untrusted input (docs/security.md).
inline constexpr std::size_t max_csr_attributes = 64;

struct csr_attribute {
    der::oid type;
    bytes values_der;  ///< the SET OF values, raw
};

class csr {
public:
    /// Parses DER strictly; throws der::decode_error saying what is wrong and where.
    /// The signature is not checked here: call verify_signature().
    static csr parse(byte_view input) {
        auto d = std::make_shared<data>();
        d->der = input.to_bytes();
        der::reader top(d->der);
        const der::tlv req_tlv = top.read(der::tag::sequence, "CertificationRequest");
        top.expect_end("CertificationRequest");
        der::reader req = top.child(req_tlv, "CertificationRequest");
        const der::tlv info_tlv = req.read(der::tag::sequence, "certificationRequestInfo");
        d->info = {info_tlv.offset, info_tlv.encoded.size()};
        d->signature_algorithm = parse_signature_algorithm(req.read(der::tag::sequence, "signatureAlgorithm"), req);
        const der::tlv sig = req.read(der::tag::bit_string, "signature");
        const auto sig_bits = der::reader::check_bit_string(sig, "signature");
        if (sig_bits.unused_bits) der::reader::fail("signature: unused bits must be 0", sig.offset);
        d->signature = sig_bits.bytes.to_bytes();
        req.expect_end("CertificationRequest");

        der::reader info = req.child(info_tlv, "certificationRequestInfo");
        if (info.integer("version") != 0) info.fail("CSR version must be v1 (0)");
        d->subject = name::parse_tlv(info.read(der::tag::sequence, "subject"), info);
        d->public_key = subject_public_key_info::parse_tlv(info.read(der::tag::sequence, "subjectPKInfo"), info);
        // attributes [0] IMPLICIT SET OF Attribute: required by RFC 2986 (may be empty).
        der::reader attrs = info.enter(der::tag::context_constructed(0), "attributes");
        info.expect_end("certificationRequestInfo");
        byte_view previous;
        while (!attrs.empty()) {
            const der::tlv attr_tlv = attrs.read(der::tag::sequence, "Attribute");
            if (!previous.empty() && attr_tlv.encoded < previous)
                der::reader::fail("attributes SET OF is not in DER order", attr_tlv.offset);
            previous = attr_tlv.encoded;
            der::reader attr = attrs.child(attr_tlv, "Attribute");
            csr_attribute a;
            a.type = attr.oid("Attribute type");
            const der::tlv values = attr.read(der::tag::set, "Attribute values");
            attr.expect_end("Attribute");
            a.values_der = values.encoded.to_bytes();
            for (const auto& prior : d->attributes)
                if (prior.type == a.type) der::reader::fail("duplicate CSR attribute " + a.type.to_string(), attr_tlv.offset);
            if (d->attributes.size() == max_csr_attributes) der::reader::fail("too many CSR attributes", attr_tlv.offset);
            der::reader vals = attr.child(values, "Attribute values");
            if (vals.empty()) der::reader::fail("CSR attribute " + a.type.to_string() + " has no values", values.offset);
            if (a.type == der::oids::pkcs9_extension_request) {
                d->requested_extensions = decode_extensions(vals, "extensionRequest");
                vals.expect_end("extensionRequest (one Extensions value)");
                d->has_extension_request = true;
            }
            d->attributes.push_back(std::move(a));
        }
        return csr(std::move(d));
    }

    /// Parses a PEM "CERTIFICATE REQUEST" (or legacy "NEW CERTIFICATE REQUEST") block.
    static csr parse_pem(std::string_view pem) {
        auto blocks = der::pem_decode_all(pem, 2);
        if (blocks.size() != 1) throw der::decode_error(blocks.empty() ? "no PEM block found" : "more than one PEM block");
        if (blocks[0].label != "CERTIFICATE REQUEST" && blocks[0].label != "NEW CERTIFICATE REQUEST")
            throw der::decode_error("expected PEM label 'CERTIFICATE REQUEST', found '" + blocks[0].label + "'");
        return parse(blocks[0].der);
    }

    const bytes& der() const noexcept { return m_d->der; }
    std::string pem() const { return der::pem_encode("CERTIFICATE REQUEST", m_d->der); }
    byte_view info_der() const { return byte_view(m_d->der).subview(m_d->info.first, m_d->info.second); }
    const name& subject() const noexcept { return m_d->subject; }
    const subject_public_key_info& public_key_info() const noexcept { return m_d->public_key; }
    const signature_algorithm_id& signature_algorithm() const noexcept { return m_d->signature_algorithm; }
    const bytes& signature() const noexcept { return m_d->signature; }
    const std::vector<csr_attribute>& attributes() const noexcept { return m_d->attributes; }
    /// Extensions from the PKCS#9 extensionRequest attribute (empty when none).
    const std::vector<extension>& requested_extensions() const noexcept { return m_d->requested_extensions; }
    bool has_extension_request() const noexcept { return m_d->has_extension_request; }
    const extension* find_extension(const der::oid& id) const noexcept {
        return x509::find_extension(m_d->requested_extensions, id);
    }
    template <class Ext>
    std::optional<Ext> get() const {
        if (const extension* e = find_extension(Ext::id)) return Ext::decode(e->value);
        return std::nullopt;
    }

    const crypto::public_key& key() const {
        std::call_once(m_d->key_once, [&] { m_d->key = crypto::public_key::from_spki_der(m_d->public_key.der); });
        return *m_d->key;
    }
    /// Proof of possession: the request is signed by the key it carries.
    bool verify_signature() const {
        return x509::verify_signature(key(), m_d->signature_algorithm, info_der(), m_d->signature);
    }

private:
    struct data {
        bytes der;
        std::pair<std::size_t, std::size_t> info;
        name subject;
        x509::subject_public_key_info public_key;
        signature_algorithm_id signature_algorithm;
        bytes signature;
        std::vector<csr_attribute> attributes;
        std::vector<extension> requested_extensions;
        bool has_extension_request = false;
        std::once_flag key_once;
        std::optional<crypto::public_key> key;
    };
    explicit csr(std::shared_ptr<data> d) : m_d(std::move(d)) {}
    std::shared_ptr<data> m_d;
};

}  // namespace pca::x509
