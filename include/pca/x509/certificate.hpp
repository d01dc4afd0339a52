// pca/x509/certificate.hpp - an immutable, strictly parsed X.509 v3 certificate.
//
//   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier,
//                              signatureValue BIT STRING }                    -- RFC 5280 4.1
//   TBSCertificate ::= SEQUENCE {
//        version         [0] EXPLICIT Version DEFAULT v1,
//        serialNumber         CertificateSerialNumber,
//        signature            AlgorithmIdentifier,
//        issuer               Name,
//        validity             Validity,            -- SEQUENCE { notBefore Time, notAfter Time }
//        subject              Name,
//        subjectPublicKeyInfo SubjectPublicKeyInfo,
//        issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
//        subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
//        extensions      [3]  EXPLICIT Extensions OPTIONAL }
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/digest.hpp"
#include "pca/crypto/key.hpp"
#include "pca/der/pem.hpp"
#include "pca/der/reader.hpp"
#include "pca/x509/algorithm.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/name.hpp"

namespace pca::x509 {

/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
struct subject_public_key_info {
    bytes der;                 ///< the whole SubjectPublicKeyInfo
    der::oid algorithm;        ///< rsaEncryption, id-ecPublicKey, ...
    std::size_t key_bits_offset = 0, key_bits_size = 0;  ///< subjectPublicKey bits within der

    byte_view key_bits() const { return byte_view(der).subview(key_bits_offset, key_bits_size); }

    static subject_public_key_info parse_tlv(const der::tlv& v, const der::reader& parent) {
        subject_public_key_info k;
        k.der = v.encoded.to_bytes();
        der::reader s = parent.child(v, "SubjectPublicKeyInfo");
        der::reader alg = s.sequence("SubjectPublicKeyInfo algorithm");
        k.algorithm = alg.oid("SubjectPublicKeyInfo algorithm");
        if (!alg.empty()) alg.read_any("algorithm parameters");
        alg.expect_end("SubjectPublicKeyInfo algorithm");
        const der::tlv bits = s.read(der::tag::bit_string, "subjectPublicKey");
        const auto bv = der::reader::check_bit_string(bits, "subjectPublicKey");
        if (bv.unused_bits != 0) der::reader::fail("subjectPublicKey: unused bits must be 0", bits.offset);
        s.expect_end("SubjectPublicKeyInfo");
        k.key_bits_offset = bits.offset - v.offset + (bits.encoded.size() - bits.content.size()) + 1;
        k.key_bits_size = bv.bytes.size();
        return k;
    }

    /// RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value.
    bytes key_identifier() const { return crypto::digest(crypto::hash_algorithm::sha1, key_bits()); }
};

class certificate {
public:
    /// Parses DER strictly; throws der::decode_error saying what is wrong and where.
    static certificate parse(byte_view input) {
        auto d = std::make_shared<data>();
        d->der = input.to_bytes();
        der::reader top(d->der);
        const der::tlv cert_tlv = top.read(der::tag::sequence, "Certificate");
        top.expect_end("Certificate");
        der::reader cert = top.child(cert_tlv, "Certificate");
        const der::tlv tbs_tlv = cert.read(der::tag::sequence, "tbsCertificate");
        d->tbs = {tbs_tlv.offset, tbs_tlv.encoded.size()};
        const der::tlv outer_alg = cert.read(der::tag::sequence, "signatureAlgorithm");
        const der::tlv sig = cert.read(der::tag::bit_string, "signatureValue");
        const auto sig_bits = der::reader::check_bit_string(sig, "signatureValue");
        if (sig_bits.unused_bits) der::reader::fail("signatureValue: unused bits must be 0", sig.offset);
        d->signature = sig_bits.bytes.to_bytes();
        cert.expect_end("Certificate");

        der::reader tbs = cert.child(tbs_tlv, "tbsCertificate");
        if (auto v = tbs.enter_optional(der::tag::context_constructed(0), "version")) {
            d->version = v->integer("version") + 1;
            v->expect_end("version");
            if (d->version == 1) v->fail("version v1 must be omitted in DER (DEFAULT v1)");
            if (d->version != 2 && d->version != 3) v->fail("unknown certificate version " + std::to_string(d->version));
        }
        const der::tlv serial = tbs.read(der::tag::integer, "serialNumber");
        der::reader::check_integer(serial, "serialNumber");
        d->serial = serial.content.to_bytes();
        const der::tlv inner_alg = tbs.read(der::tag::sequence, "signature");
        if (inner_alg.encoded != outer_alg.encoded)
            der::reader::fail("tbsCertificate.signature does not match signatureAlgorithm", inner_alg.offset);
        d->signature_algorithm = parse_signature_algorithm(inner_alg, tbs);
        d->issuer = name::parse_tlv(tbs.read(der::tag::sequence, "issuer"), tbs);
        der::reader validity = tbs.sequence("validity");
        // RFC 5280 4.1.2.5: validity dates through 2049 MUST be UTCTime.
        auto validity_time = [&](const char* what) {
            const bool generalized = validity.next_is(der::tag::generalized_time);
            const std::size_t at = validity.offset();
            const sys_seconds t = validity.time(what);
            if (generalized && !der::needs_generalized_time(t))
                der::reader::fail(std::string(what) + ": a date before 2050 must be UTCTime, not GeneralizedTime", at);
            return t;
        };
        d->not_before = validity_time("notBefore");
        d->not_after = validity_time("notAfter");
        validity.expect_end("validity");
        d->subject = name::parse_tlv(tbs.read(der::tag::sequence, "subject"), tbs);
        d->public_key = subject_public_key_info::parse_tlv(tbs.read(der::tag::sequence, "subjectPublicKeyInfo"), tbs);
        if (auto u = tbs.read_optional(der::tag::context_primitive(1), "issuerUniqueID")) {
            if (d->version < 2) der::reader::fail("issuerUniqueID needs version v2 or v3", u->offset);
            der::reader::check_bit_string(*u, "issuerUniqueID");
        }
        if (auto u = tbs.read_optional(der::tag::context_primitive(2), "subjectUniqueID")) {
            if (d->version < 2) der::reader::fail("subjectUniqueID needs version v2 or v3", u->offset);
            der::reader::check_bit_string(*u, "subjectUniqueID");
        }
        if (auto e = tbs.enter_optional(der::tag::context_constructed(3), "extensions")) {
            if (d->version != 3) e->fail("extensions need version v3");
            d->extensions = decode_extensions(*e, "extensions");
            e->expect_end("extensions");
        }
        tbs.expect_end("tbsCertificate");
        return certificate(std::move(d));
    }

    /// Parses a PEM "CERTIFICATE" block.
    static certificate parse_pem(std::string_view pem) { return parse(der::pem_decode_one(pem, "CERTIFICATE")); }

    const bytes& der() const noexcept { return m_d->der; }
    std::string pem() const { return der::pem_encode("CERTIFICATE", m_d->der); }
    byte_view tbs_der() const { return byte_view(m_d->der).subview(m_d->tbs.first, m_d->tbs.second); }
    int version() const noexcept { return static_cast<int>(m_d->version); }
    /// serialNumber INTEGER content octets (two's complement, minimal).
    const bytes& serial() const noexcept { return m_d->serial; }
    /// The serial as lowercase hex of its magnitude without a sign pad ("e8cbd2...").
    std::string serial_hex() const {
        byte_view s = m_d->serial;
        if (s.size() > 1 && s[0] == 0) s = s.subview(1);
        return to_hex(s);
    }
    bool serial_is_positive() const noexcept {
        const auto& s = m_d->serial;
        if (s[0] & 0x80) return false;
        for (auto b : s)
            if (b) return true;
        return false;
    }
    const signature_algorithm_id& signature_algorithm() const noexcept { return m_d->signature_algorithm; }
    const bytes& signature() const noexcept { return m_d->signature; }
    const name& issuer() const noexcept { return m_d->issuer; }
    const name& subject() const noexcept { return m_d->subject; }
    sys_seconds not_before() const noexcept { return m_d->not_before; }
    sys_seconds not_after() const noexcept { return m_d->not_after; }
    const subject_public_key_info& public_key_info() const noexcept { return m_d->public_key; }
    const std::vector<extension>& extensions() const noexcept { return m_d->extensions; }
    const extension* find_extension(const der::oid& id) const noexcept { return x509::find_extension(m_d->extensions, id); }

    /// The typed extension, decoded on demand; nullopt when absent.
    template <class Ext>
    std::optional<Ext> get() const {
        if (const extension* e = find_extension(Ext::id)) return Ext::decode(e->value);
        return std::nullopt;
    }

    /// The public key, parsed by the crypto layer once and cached.
    const crypto::public_key& key() const {
        std::call_once(m_d->key_once, [&] { m_d->key = crypto::public_key::from_spki_der(m_d->public_key.der); });
        return *m_d->key;
    }

    /// True when the signature verifies with `issuer_key`.
    bool verify_signature(const crypto::public_key& issuer_key) const {
        return x509::verify_signature(issuer_key, m_d->signature_algorithm, tbs_der(), m_d->signature);
    }
    /// Issuer name equals subject name byte for byte.
    bool is_self_issued() const noexcept { return m_d->issuer == m_d->subject; }
    /// Self-issued and the signature verifies with its own key.
    bool is_self_signed() const {
        if (!is_self_issued()) return false;
        try {
            return verify_signature(key());
        } catch (const std::exception&) {
            return false;
        }
    }

    friend bool operator==(const certificate& a, const certificate& b) noexcept { return a.m_d->der == b.m_d->der; }
    friend bool operator!=(const certificate& a, const certificate& b) noexcept { return !(a == b); }

private:
    struct data {
        bytes der;
        std::pair<std::size_t, std::size_t> tbs;
        std::int64_t version = 1;
        bytes serial;
        signature_algorithm_id signature_algorithm;
        name issuer, subject;
        sys_seconds not_before{}, not_after{};
        x509::subject_public_key_info public_key;
        std::vector<extension> extensions;
        bytes signature;
        std::once_flag key_once;
        std::optional<crypto::public_key> key;
    };
    explicit certificate(std::shared_ptr<data> d) : m_d(std::move(d)) {}
    std::shared_ptr<data> m_d;
};

}  // namespace pca::x509
