// pca/x509/crl.hpp - X.509 v2 CRLs (RFC 5280 section 5): the pre-encoded revoked-entry list,
// the TBSCertList value and its signer, and an immutable, strictly parsed CRL view.
//
//   CertificateList  ::=  SEQUENCE  {
//        tbsCertList          TBSCertList,
//        signatureAlgorithm   AlgorithmIdentifier,
//        signatureValue       BIT STRING  }
//   TBSCertList  ::=  SEQUENCE  {
//        version                 Version OPTIONAL,      -- if present, MUST be v2
//        signature               AlgorithmIdentifier,
//        issuer                  Name,
//        thisUpdate              Time,
//        nextUpdate              Time OPTIONAL,
//        revokedCertificates     SEQUENCE OF SEQUENCE  {
//             userCertificate         CertificateSerialNumber,
//             revocationDate          Time,
//             crlEntryExtensions      Extensions OPTIONAL  -- if present, version MUST be v2
//                                  }  OPTIONAL,
//        crlExtensions           [0]  EXPLICIT Extensions OPTIONAL }  -- if present, version MUST be v2
//
// Scale (docs/crl.md): the revoked entries live pre-encoded, back to back, in one byte buffer
// (crl_entry_list). Adding a revocation appends one entry; writing a CRL writes the small
// header, copies the list with one memcpy and signs. Nothing is re-encoded or re-sorted, and
// there is no heap allocation per entry. RFC 5280 does not order revokedCertificates; the list
// keeps revocation order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/rng.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/key.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/der/pem.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/time.hpp"
#include "pca/der/writer.hpp"
#include "pca/types/enums.hpp"
#include "pca/x509/algorithm.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/general_name.hpp"
#include "pca/x509/name.hpp"

namespace pca::x509 {

// ---- CRLReason (5.3.1) -----------------------------------------------------------------
//   CRLReason ::= ENUMERATED { unspecified (0), keyCompromise (1), cACompromise (2),
//        affiliationChanged (3), superseded (4), cessationOfOperation (5), certificateHold (6),
//        -- value 7 is not used
//        removeFromCRL (8), privilegeWithdrawn (9), aACompromise (10) }

/// The RFC 5280 reasonCode of the service's RevocationReason (0,1,2,3,4,5,9,10).
constexpr int crl_reason_code(revocation_reason r) noexcept {
    switch (r) {
        case revocation_reason::unspecified: return 0;
        case revocation_reason::key_compromise: return 1;
        case revocation_reason::certificate_authority_compromise: return 2;
        case revocation_reason::affiliation_changed: return 3;
        case revocation_reason::superseded: return 4;
        case revocation_reason::cessation_of_operation: return 5;
        case revocation_reason::privilege_withdrawn: return 9;
        case revocation_reason::a_a_compromise: return 10;
    }
    return 0;
}

/// The RevocationReason for a reasonCode; nullopt for certificateHold (6), removeFromCRL (8)
/// and values RFC 5280 does not define: the service never writes those.
constexpr std::optional<revocation_reason> revocation_reason_from_crl_code(std::int64_t code) noexcept {
    switch (code) {
        case 0: return revocation_reason::unspecified;
        case 1: return revocation_reason::key_compromise;
        case 2: return revocation_reason::certificate_authority_compromise;
        case 3: return revocation_reason::affiliation_changed;
        case 4: return revocation_reason::superseded;
        case 5: return revocation_reason::cessation_of_operation;
        case 9: return revocation_reason::privilege_withdrawn;
        case 10: return revocation_reason::a_a_compromise;
        default: return std::nullopt;
    }
}

/// How an UNSPECIFIED revocation is written. RFC 5280 5.3.1: "the reason code CRL entry
/// extension SHOULD be absent instead of using the unspecified (0) reasonCode value".
/// pca omits it by default (docs/crl.md); reason_code_zero writes reasonCode 0 instead.
enum class unspecified_reason { omit, reason_code_zero };

/// CertificateSerialNumber ::= INTEGER, at most 20 octets (RFC 5280 4.1.2.2).
inline constexpr std::size_t max_serial_octets = 20;

namespace detail {
/// The DER INTEGER content of a positive serial given as an unsigned big-endian magnitude
/// (leading zeros allowed): minimal, with a 0x00 pad when the top bit is set. Writes into
/// `out` (21 bytes is always enough after the checks) and returns the size. Throws
/// std::invalid_argument for zero and for more than 20 content octets.
inline std::size_t serial_integer_content(byte_view magnitude, std::uint8_t (&out)[max_serial_octets + 1]) {
    std::size_t i = 0;
    while (i < magnitude.size() && magnitude[i] == 0) ++i;
    const std::size_t n = magnitude.size() - i;
    if (n == 0) throw std::invalid_argument("pca::x509: a certificate serial number must be positive (not zero)");
    const bool pad = (magnitude[i] & 0x80) != 0;
    if (n + (pad ? 1 : 0) > max_serial_octets)
        throw std::invalid_argument("pca::x509: a certificate serial number must fit in 20 octets (RFC 5280 4.1.2.2)");
    std::size_t k = 0;
    if (pad) out[k++] = 0;
    std::memcpy(out + k, magnitude.data() + i, n);
    return k + n;
}

inline std::uint64_t hash_serial(const std::uint8_t* p, std::size_t n) noexcept {
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a, then a final mix
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 32;
    return h;
}
}  // namespace detail

/// One revoked entry as the list holds it.
struct crl_entry_view {
    byte_view serial;      ///< INTEGER content octets (with the 0x00 pad when the top bit is set)
    sys_seconds not_after; ///< the revoked certificate's notAfter (sys_seconds::max() when unknown)
    byte_view der;         ///< the whole entry SEQUENCE
};

/// revokedCertificates, pre-encoded: the entries' DER back to back in one buffer, the
/// certificates' notAfter in a parallel array, and an open-addressing index from serial to
/// entry (no allocation per entry). Appending is amortised O(1); remove() and
/// remove_expired_before() are one O(n) compaction pass. Not thread-safe; copyable.
class crl_entry_list {
public:
    crl_entry_list() = default;
    explicit crl_entry_list(unspecified_reason unspecified) : m_unspecified(unspecified) {}

    unspecified_reason unspecified_encoding() const noexcept { return m_unspecified; }

    /// Reserves room for `entries` entries (about 50 bytes each for 16-byte serials).
    void reserve(std::size_t entries) {
        m_der.reserve(entries * 50);
        m_offsets.reserve(entries);
        m_not_after.reserve(entries);
        grow_index_for(entries);
    }

    /// Appends the entry { userCertificate, revocationDate, crlEntryExtensions { CRLReason } }.
    /// `serial` is the unsigned big-endian magnitude; `not_after` is the certificate's notAfter
    /// (used by remove_expired_before). Returns false, changing nothing, when the serial is
    /// already listed. Throws std::invalid_argument for a zero or oversized serial.
    bool add(byte_view serial, sys_seconds revoked_at, revocation_reason reason,
             sys_seconds not_after = sys_seconds::max()) {
        std::uint8_t content[max_serial_octets + 1];
        const std::size_t n = detail::serial_integer_content(serial, content);
        if (find_index(content, n) != npos) return false;
        if (m_der.size() > std::numeric_limits<std::uint32_t>::max() - 64)
            throw std::length_error("pca::x509::crl_entry_list: more than 4 GiB of entries");

        const bool generalized = der::needs_generalized_time(revoked_at);
        const std::string when = generalized ? der::format_generalized_time(revoked_at) : der::format_utc_time(revoked_at);
        const int code = crl_reason_code(reason);
        const bool with_reason = code != 0 || m_unspecified == unspecified_reason::reason_code_zero;
        // Every part is short: the entry's length always fits in one octet (< 128).
        const std::size_t content_len = (2 + n) + (2 + when.size()) + (with_reason ? 14 : 0);

        const std::size_t offset = m_der.size();
        m_der.resize(offset + 2 + content_len);
        std::uint8_t* p = m_der.data() + offset;
        *p++ = der::tag::sequence;
        *p++ = static_cast<std::uint8_t>(content_len);
        *p++ = der::tag::integer;
        *p++ = static_cast<std::uint8_t>(n);
        std::memcpy(p, content, n);
        p += n;
        *p++ = generalized ? der::tag::generalized_time : der::tag::utc_time;
        *p++ = static_cast<std::uint8_t>(when.size());
        std::memcpy(p, when.data(), when.size());
        p += when.size();
        if (with_reason) {
            // Extensions ::= SEQUENCE { Extension ::= SEQUENCE { id-ce-cRLReasons,
            //                           OCTET STRING { ENUMERATED code } } }
            static constexpr std::uint8_t reason_prefix[] = {0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15,
                                                             0x04, 0x03, 0x0a, 0x01};
            std::memcpy(p, reason_prefix, sizeof reason_prefix);
            p += sizeof reason_prefix;
            *p++ = static_cast<std::uint8_t>(code);
        }
        m_offsets.push_back(static_cast<std::uint32_t>(offset));
        m_not_after.push_back(not_after);
        grow_index_for(m_offsets.size());
        insert_index(m_offsets.size() - 1);
        return true;
    }

    /// True when the serial (magnitude) is listed.
    bool contains(byte_view serial) const {
        std::uint8_t content[max_serial_octets + 1];
        std::size_t n;
        try {
            n = detail::serial_integer_content(serial, content);
        } catch (const std::invalid_argument&) {
            return false;
        }
        return find_index(content, n) != npos;
    }

    /// Removes the entry for `serial`; false when it is not listed. O(n).
    bool remove(byte_view serial) {
        std::uint8_t content[max_serial_octets + 1];
        std::size_t n;
        try {
            n = detail::serial_integer_content(serial, content);
        } catch (const std::invalid_argument&) {
            return false;
        }
        const std::size_t i = find_index(content, n);
        if (i == npos) return false;
        remove_if([&, k = std::size_t{0}](const crl_entry_view&) mutable { return k++ == i; });
        return true;
    }

    /// Removes every entry for which pred(const crl_entry_view&) is true, in one pass; returns
    /// how many were removed.
    template <class Pred>
    std::size_t remove_if(Pred&& pred) {
        const std::size_t count = m_offsets.size();
        std::size_t out_entry = 0, out_byte = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const std::size_t off = m_offsets[i];
            const std::size_t len = entry_size(i);
            if (pred(view_at(i))) continue;
            if (out_byte != off) std::memmove(m_der.data() + out_byte, m_der.data() + off, len);
            m_offsets[out_entry] = static_cast<std::uint32_t>(out_byte);
            m_not_after[out_entry] = m_not_after[i];
            ++out_entry;
            out_byte += len;
        }
        const std::size_t removed = count - out_entry;
        if (removed) {
            m_der.resize(out_byte);
            m_offsets.resize(out_entry);
            m_not_after.resize(out_entry);
            rebuild_index();
        }
        return removed;
    }

    /// Removes the entries whose certificate's notAfter is before `cutoff` (the mechanism of
    /// the "one more CRL after expiry" rule: see policy::drop_expired_entries).
    std::size_t remove_expired_before(sys_seconds cutoff) {
        return remove_if([&](const crl_entry_view& e) { return e.not_after < cutoff; });
    }

    void clear() noexcept {
        m_der.clear();
        m_offsets.clear();
        m_not_after.clear();
        std::fill(m_index.begin(), m_index.end(), 0u);
    }

    std::size_t size() const noexcept { return m_offsets.size(); }
    bool empty() const noexcept { return m_offsets.empty(); }
    /// Bytes of all entries together: the content of the revokedCertificates SEQUENCE.
    std::size_t encoded_size() const noexcept { return m_der.size(); }
    /// The entries' DER, back to back.
    byte_view encoded() const noexcept { return m_der; }
    /// Bytes held, buffers and index included (for the memory budget in docs/crl.md).
    std::size_t memory_used() const noexcept {
        return m_der.capacity() + m_offsets.capacity() * sizeof(std::uint32_t) +
               m_not_after.capacity() * sizeof(sys_seconds) + m_index.capacity() * sizeof(std::uint32_t);
    }

    crl_entry_view operator[](std::size_t i) const { return view_at(i); }

    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < m_offsets.size(); ++i) f(view_at(i));
    }

private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::size_t entry_size(std::size_t i) const noexcept { return std::size_t{2} + m_der[m_offsets[i] + 1]; }
    const std::uint8_t* serial_ptr(std::size_t i) const noexcept { return m_der.data() + m_offsets[i] + 4; }
    std::size_t serial_size(std::size_t i) const noexcept { return m_der[m_offsets[i] + 3]; }
    crl_entry_view view_at(std::size_t i) const {
        return {byte_view(serial_ptr(i), serial_size(i)), m_not_after[i], byte_view(m_der.data() + m_offsets[i], entry_size(i))};
    }

    // Open addressing with linear probing; a slot holds entry index + 1, 0 is empty. The
    // table is a power of two and at most half full.
    void grow_index_for(std::size_t entries) {
        std::size_t want = 16;
        while (want < entries * 2) want <<= 1;
        if (want <= m_index.size()) return;
        m_index.assign(want, 0u);
        for (std::size_t i = 0; i < m_offsets.size(); ++i) insert_index(i);
    }
    void rebuild_index() {
        std::fill(m_index.begin(), m_index.end(), 0u);
        for (std::size_t i = 0; i < m_offsets.size(); ++i) insert_index(i);
    }
    void insert_index(std::size_t i) {
        const std::size_t mask = m_index.size() - 1;
        std::size_t slot = static_cast<std::size_t>(detail::hash_serial(serial_ptr(i), serial_size(i))) & mask;
        while (m_index[slot] != 0) slot = (slot + 1) & mask;
        m_index[slot] = static_cast<std::uint32_t>(i + 1);
    }
    std::size_t find_index(const std::uint8_t* content, std::size_t n) const noexcept {
        if (m_index.empty()) return npos;
        const std::size_t mask = m_index.size() - 1;
        std::size_t slot = static_cast<std::size_t>(detail::hash_serial(content, n)) & mask;
        while (m_index[slot] != 0) {
            const std::size_t i = m_index[slot] - 1u;
            if (serial_size(i) == n && std::memcmp(serial_ptr(i), content, n) == 0) return i;
            slot = (slot + 1) & mask;
        }
        return npos;
    }

    unspecified_reason m_unspecified = unspecified_reason::omit;
    bytes m_der;
    std::vector<std::uint32_t> m_offsets;
    std::vector<sys_seconds> m_not_after;
    std::vector<std::uint32_t> m_index;
};

/// What a CRL says about its issuer: the CA's subject (byte for byte), the key identifier for
/// AuthorityKeyIdentifier (the CA certificate's SubjectKeyIdentifier), and the CA's
/// configured signing algorithm.
struct crl_issuer {
    bytes subject_der;
    bytes key_identifier;
    signing_algorithm algorithm = signing_algorithm::sha256_with_ecdsa;

    /// From the CA certificate: its subject, its SubjectKeyIdentifier (or, when absent, the
    /// RFC 5280 method-1 SHA-1 of its key), and `algorithm` (the CA's SigningAlgorithm, which
    /// for a subordinate differs from the algorithm its own certificate was signed with).
    static crl_issuer from_certificate(const certificate& ca, signing_algorithm algorithm) {
        crl_issuer i;
        i.subject_der = ca.subject().der();
        if (auto ski = ca.get<subject_key_identifier>())
            i.key_identifier = std::move(ski->key_id);
        else
            i.key_identifier = ca.public_key_info().key_identifier();
        i.algorithm = algorithm;
        return i;
    }
};

/// The per-generation fields of a CRL. policy::crl_fields_at() computes the service's values
/// (thisUpdate = generation - 1 h, nextUpdate = generation + ExpirationInDays).
struct crl_fields {
    sys_seconds this_update{};
    std::optional<sys_seconds> next_update;
    std::int64_t number = 0;  ///< CRLNumber, >= 0
    /// For a partition of a PARTITIONED CRL: the URI of IssuingDistributionPoint.fullName,
    /// equal to the CRL distribution point of the certificates in the partition.
    std::optional<std::string> issuing_distribution_point_uri;
};

/// Everything a v2 CRL says, ready to encode. `revoked` is borrowed, not copied.
struct tbs_cert_list {
    signing_algorithm algorithm = signing_algorithm::sha256_with_ecdsa;
    bytes issuer_der;
    sys_seconds this_update{};
    std::optional<sys_seconds> next_update;
    const crl_entry_list* revoked = nullptr;  ///< null or empty: revokedCertificates is omitted
    std::vector<extension> extensions;        ///< crlExtensions, in this order

    /// The exact size of the TBSCertList DER.
    std::size_t encoded_size() const {
        const parts p = prepare();
        return 1 + der::length_size(p.content_size) + p.content_size;
    }

    /// TBSCertList DER (RFC 5280 5.1.2), version v2, appended to `w`. The entry list is copied
    /// in with one memcpy; the headers are written with their final lengths (no memmove).
    void encode(der::writer& w) const {
        const parts p = prepare();
        bytes header{der::tag::sequence};
        der::append_length(header, p.content_size);
        header.insert(header.end(), p.prefix.begin(), p.prefix.end());
        if (p.list_size) {
            header.push_back(der::tag::sequence);
            der::append_length(header, p.list_size);
        }
        w.raw(header);
        if (p.list_size) w.raw(revoked->encoded());
        w.raw(p.suffix);
    }
    bytes encode() const {
        der::writer w;
        w.reserve(encoded_size());
        encode(w);
        return w.take();
    }

private:
    struct parts {
        bytes prefix;  ///< version .. nextUpdate
        bytes suffix;  ///< [0] crlExtensions
        std::size_t list_size = 0;
        std::size_t content_size = 0;
    };
    parts prepare() const {
        if (next_update && *next_update < this_update)
            throw std::invalid_argument("pca::x509::tbs_cert_list: nextUpdate is before thisUpdate");
        parts p;
        der::writer pre;
        pre.integer(1);  // version v2
        pre.raw(crypto::algorithm_identifier_view(algorithm));
        pre.raw(issuer_der);
        pre.time(this_update);
        if (next_update) pre.time(*next_update);
        p.prefix = pre.take();
        if (!extensions.empty()) {
            der::writer suf;
            suf.context_explicit(0, [&](der::writer& e) { encode_extensions(e, extensions); });
            p.suffix = suf.take();
        }
        p.list_size = revoked ? revoked->encoded_size() : 0;
        const std::size_t list_tlv = p.list_size ? 1 + der::length_size(p.list_size) + p.list_size : 0;
        p.content_size = p.prefix.size() + list_tlv + p.suffix.size();
        return p;
    }
};

/// The crlExtensions the service writes: AuthorityKeyIdentifier (keyIdentifier only),
/// CRLNumber, and for a partition a critical IssuingDistributionPoint with one URI.
inline std::vector<extension> service_crl_extensions(const crl_issuer& issuer, const crl_fields& f) {
    if (f.number < 0) throw std::invalid_argument("pca::x509: CRLNumber must not be negative");
    std::vector<extension> exts;
    authority_key_identifier aki;
    aki.key_id = issuer.key_identifier;
    exts.push_back(aki.to_extension());
    exts.push_back(crl_number{f.number}.to_extension());
    if (f.issuing_distribution_point_uri) {
        issuing_distribution_point idp;
        idp.full_name.push_back(general_name::uri(*f.issuing_distribution_point_uri));
        exts.push_back(idp.to_extension());
    }
    return exts;
}

/// The TBSCertList the service would sign for this issuer, generation and list.
inline tbs_cert_list make_tbs_cert_list(const crl_issuer& issuer, const crl_entry_list& revoked, const crl_fields& f) {
    tbs_cert_list t;
    t.algorithm = issuer.algorithm;
    t.issuer_der = issuer.subject_der;
    t.this_update = f.this_update;
    t.next_update = f.next_update;
    t.revoked = &revoked;
    t.extensions = service_crl_extensions(issuer, f);
    return t;
}

/// Signs `tbs` with the CA key: CertificateList DER. The buffer is sized once, so the peak
/// memory is the entry list plus the output.
inline bytes sign_crl(const tbs_cert_list& tbs, const crypto::private_key& key, rng& random) {
    const std::size_t tbs_size = tbs.encoded_size();
    const std::size_t hint = tbs_size + crypto::algorithm_identifier_view(tbs.algorithm).size() + 1024;
    return detail::sign_structure([&](der::writer& w) { tbs.encode(w); }, tbs.algorithm, key, random, hint);
}

/// One call: the service's CRL for `revoked` (DER).
inline bytes make_crl(const crl_issuer& issuer, const crl_entry_list& revoked, const crl_fields& f,
                      const crypto::private_key& key, rng& random) {
    return sign_crl(make_tbs_cert_list(issuer, revoked, f), key, random);
}

/// A CA's CRL in the making: its issuer fields and its entry list, kept between generations
/// so that the next CRL after one more revocation only appends that entry.
class crl_builder {
public:
    explicit crl_builder(crl_issuer issuer, unspecified_reason unspecified = unspecified_reason::omit)
        : m_issuer(std::move(issuer)), m_entries(unspecified) {}

    /// See crl_entry_list::add.
    bool add_revoked(byte_view serial, sys_seconds revoked_at, revocation_reason reason,
                     sys_seconds not_after = sys_seconds::max()) {
        return m_entries.add(serial, revoked_at, reason, not_after);
    }
    crl_entry_list& entries() noexcept { return m_entries; }
    const crl_entry_list& entries() const noexcept { return m_entries; }
    const crl_issuer& issuer() const noexcept { return m_issuer; }

    tbs_cert_list tbs(const crl_fields& f) const { return make_tbs_cert_list(m_issuer, m_entries, f); }
    bytes build(const crl_fields& f, const crypto::private_key& key, rng& random) const {
        return sign_crl(tbs(f), key, random);
    }

private:
    crl_issuer m_issuer;
    crl_entry_list m_entries;
};

// ---- the parsed view ---------------------------------------------------------------------

/// One revokedCertificates entry as read from a CRL.
struct crl_entry {
    bytes serial;  ///< the serial's magnitude (no sign pad)
    sys_seconds revocation_date{};
    std::optional<std::int64_t> reason_code;       ///< CRLReason, when the extension is present
    std::optional<revocation_reason> reason;       ///< the service's name for reason_code
    std::vector<extension> extensions;             ///< all crlEntryExtensions
};

/// An immutable, strictly parsed CertificateList; cheap to copy.
class crl {
public:
    /// Parses DER strictly; throws der::decode_error. Refuses an empty revokedCertificates
    /// (RFC 5280 5.1.2.6: "MUST be absent"), a signature algorithm that differs from the
    /// outer one, entry or CRL extensions without version v2, an unknown critical CRL or
    /// entry extension, and a non-positive or oversized serial.
    static crl parse(byte_view input) {
        auto d = std::make_shared<data>();
        d->der = input.to_bytes();
        der::reader top(d->der);
        const der::tlv list_tlv = top.read(der::tag::sequence, "CertificateList");
        top.expect_end("CertificateList");
        der::reader list = top.child(list_tlv, "CertificateList");
        const der::tlv tbs_tlv = list.read(der::tag::sequence, "tbsCertList");
        d->tbs = {tbs_tlv.offset, tbs_tlv.encoded.size()};
        const der::tlv outer_alg = list.read(der::tag::sequence, "signatureAlgorithm");
        const der::tlv sig = list.read(der::tag::bit_string, "signatureValue");
        const auto sig_bits = der::reader::check_bit_string(sig, "signatureValue");
        if (sig_bits.unused_bits) der::reader::fail("signatureValue: unused bits must be 0", sig.offset);
        d->signature = sig_bits.bytes.to_bytes();
        list.expect_end("CertificateList");

        der::reader tbs = list.child(tbs_tlv, "tbsCertList");
        if (tbs.next_is(der::tag::integer)) {
            const der::tlv v = tbs.read(der::tag::integer, "version");
            der::reader::check_integer(v, "version");
            if (v.content.size() != 1 || v.content[0] != 1) der::reader::fail("TBSCertList version must be v2", v.offset);
            d->version = 2;
        }
        const der::tlv inner_alg = tbs.read(der::tag::sequence, "signature");
        if (inner_alg.encoded != outer_alg.encoded)
            der::reader::fail("tbsCertList.signature does not match signatureAlgorithm", inner_alg.offset);
        d->signature_algorithm = parse_signature_algorithm(inner_alg, tbs);
        d->issuer = name::parse_tlv(tbs.read(der::tag::sequence, "issuer"), tbs);
        d->this_update = tbs.time("thisUpdate");
        if (tbs.next_is(der::tag::utc_time) || tbs.next_is(der::tag::generalized_time))
            d->next_update = tbs.time("nextUpdate");
        if (auto revoked = tbs.enter_optional(der::tag::sequence, "revokedCertificates")) {
            if (revoked->empty()) revoked->fail("revokedCertificates must be absent when empty (RFC 5280 5.1.2.6)");
            while (!revoked->empty()) d->entries.push_back(parse_entry(*revoked, d->version));
        }
        if (auto e = tbs.enter_optional(der::tag::context_constructed(0), "crlExtensions")) {
            if (d->version != 2) e->fail("crlExtensions need version v2");
            d->extensions = decode_extensions(*e, "crlExtensions");
            e->expect_end("crlExtensions");
            for (const auto& x : d->extensions)
                if (x.critical && x.id != der::oids::issuing_distribution_point && x.id != der::oids::crl_number &&
                    x.id != der::oids::authority_key_identifier)
                    e->fail("unknown critical CRL extension " + x.id.to_string());
        }
        tbs.expect_end("tbsCertList");
        return crl(std::move(d));
    }

    /// Parses a PEM "X509 CRL" block.
    static crl parse_pem(std::string_view pem) { return parse(der::pem_decode_one(pem, "X509 CRL")); }

    const bytes& der() const noexcept { return m_d->der; }
    std::string pem() const { return der::pem_encode("X509 CRL", m_d->der); }
    byte_view tbs_der() const { return byte_view(m_d->der).subview(m_d->tbs.first, m_d->tbs.second); }
    int version() const noexcept { return m_d->version; }
    const signature_algorithm_id& signature_algorithm() const noexcept { return m_d->signature_algorithm; }
    const bytes& signature() const noexcept { return m_d->signature; }
    const name& issuer() const noexcept { return m_d->issuer; }
    sys_seconds this_update() const noexcept { return m_d->this_update; }
    const std::optional<sys_seconds>& next_update() const noexcept { return m_d->next_update; }
    const std::vector<crl_entry>& entries() const noexcept { return m_d->entries; }
    const std::vector<extension>& extensions() const noexcept { return m_d->extensions; }
    const extension* find_extension(const der::oid& id) const noexcept { return x509::find_extension(m_d->extensions, id); }

    /// The typed CRL extension, decoded on demand; nullopt when absent.
    template <class Ext>
    std::optional<Ext> get() const {
        if (const extension* e = find_extension(Ext::id)) return Ext::decode(e->value);
        return std::nullopt;
    }
    std::optional<std::int64_t> number() const {
        if (auto n = get<crl_number>()) return n->value;
        return std::nullopt;
    }

    /// The entry for a serial (magnitude, leading zeros ignored), or null.
    const crl_entry* find(byte_view serial) const {
        std::size_t i = 0;
        while (i < serial.size() && serial[i] == 0) ++i;
        const byte_view m = serial.subview(i);
        for (const auto& e : m_d->entries)
            if (byte_view(e.serial) == m) return &e;
        return nullptr;
    }

    bool verify_signature(const crypto::public_key& issuer_key) const {
        return x509::verify_signature(issuer_key, m_d->signature_algorithm, tbs_der(), m_d->signature);
    }

private:
    struct data {
        bytes der;
        std::pair<std::size_t, std::size_t> tbs;
        int version = 1;
        signature_algorithm_id signature_algorithm;
        name issuer;
        sys_seconds this_update{};
        std::optional<sys_seconds> next_update;
        std::vector<crl_entry> entries;
        std::vector<extension> extensions;
        bytes signature;
    };
    explicit crl(std::shared_ptr<data> d) : m_d(std::move(d)) {}

    static crl_entry parse_entry(der::reader& revoked, int version) {
        der::reader s = revoked.sequence("revokedCertificate");
        crl_entry e;
        const der::tlv serial = s.read(der::tag::integer, "userCertificate");
        der::reader::check_integer(serial, "userCertificate");
        if (serial.content[0] & 0x80) der::reader::fail("userCertificate: negative serial number", serial.offset);
        if (serial.content.size() > max_serial_octets)
            der::reader::fail("userCertificate: serial number longer than 20 octets", serial.offset);
        byte_view m = serial.content;
        if (m.size() > 1 && m[0] == 0) m = m.subview(1);
        if (m.size() == 1 && m[0] == 0) der::reader::fail("userCertificate: serial number zero", serial.offset);
        e.serial = m.to_bytes();
        e.revocation_date = s.time("revocationDate");
        if (s.next_is(der::tag::sequence)) {
            if (version != 2) s.fail("crlEntryExtensions need version v2");
            e.extensions = decode_extensions(s, "crlEntryExtensions");
            for (const auto& x : e.extensions) {
                if (x.id == der::oids::crl_reason) {
                    der::reader r(x.value);
                    const std::int64_t code = r.enumerated("CRLReason");
                    r.expect_end("CRLReason");
                    if (code < 0 || code > 10 || code == 7) r.fail("CRLReason: unknown reason code " + std::to_string(code));
                    e.reason_code = code;
                    e.reason = revocation_reason_from_crl_code(code);
                } else if (x.critical) {
                    s.fail("unknown critical CRL entry extension " + x.id.to_string());
                }
            }
        }
        s.expect_end("revokedCertificate");
        return e;
    }

    std::shared_ptr<data> m_d;
};

}  // namespace pca::x509
