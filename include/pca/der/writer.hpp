// pca/der/writer.hpp - a DER writer whose nesting reads like the ASN.1 it produces.
//
//   der::writer w;
//   w.sequence([&](der::writer& s) {       // TBSCertificate ::= SEQUENCE {
//       s.context_explicit(0, [&](der::writer& v) { v.integer(2); });  // version [0] v3
//       s.integer_unsigned(serial);        //   serialNumber
//   });
//
// Constructed values are written in place: the content goes straight into the buffer after
// a one-byte length placeholder, which is widened once the content size is known.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/time.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/tag.hpp"
#include "pca/der/time.hpp"

namespace pca::der {

/// Appends a DER length (X.690 8.1.3, definite form, minimal).
inline void append_length(bytes& out, std::size_t len) {
    if (len < 0x80) {
        out.push_back(static_cast<std::uint8_t>(len));
        return;
    }
    std::uint8_t tmp[sizeof(std::size_t)];
    std::size_t n = 0;
    while (len) {
        tmp[n++] = static_cast<std::uint8_t>(len & 0xff);
        len >>= 8;
    }
    out.push_back(static_cast<std::uint8_t>(0x80 | n));
    while (n) out.push_back(tmp[--n]);
}

/// Number of bytes append_length() writes for `len`.
constexpr std::size_t length_size(std::size_t len) noexcept {
    if (len < 0x80) return 1;
    std::size_t n = 1;
    while (len) {
        ++n;
        len >>= 8;
    }
    return n;
}

class writer {
public:
    writer() = default;
    explicit writer(bytes initial) : m_out(std::move(initial)) {}

    const bytes& buffer() const noexcept { return m_out; }
    bytes take() { return std::move(m_out); }
    std::size_t size() const noexcept { return m_out.size(); }
    void reserve(std::size_t n) { m_out.reserve(n); }

    // ---- constructed ---------------------------------------------------------------------

    /// Any constructed TLV whose content `f(writer&)` writes.
    template <class F>
    void constructed(std::uint8_t tag_byte, F&& f) {
        m_out.push_back(tag_byte);
        const std::size_t len_pos = m_out.size();
        m_out.push_back(0);
        f(*this);
        close(len_pos);
    }
    template <class F>
    void sequence(F&& f) { constructed(tag::sequence, std::forward<F>(f)); }
    /// SET with a single element (as in a RelativeDistinguishedName of one attribute).
    template <class F>
    void set(F&& f) { constructed(tag::set, std::forward<F>(f)); }

    /// SET OF: DER requires the encodings of the elements in ascending order (X.690 11.6).
    template <class F>
    void set_of(F&& f) {
        m_out.push_back(tag::set);
        const std::size_t len_pos = m_out.size();
        m_out.push_back(0);
        f(*this);
        sort_elements(len_pos + 1);
        close(len_pos);
    }

    /// [n] EXPLICIT: a constructed context tag around whatever f writes.
    template <class F>
    void context_explicit(unsigned n, F&& f) { constructed(tag::context_constructed(n), std::forward<F>(f)); }
    /// [n] IMPLICIT on a constructed type (e.g. directoryName is [4] EXPLICIT in fact: use
    /// context_explicit for that; this is for SEQUENCE-typed IMPLICIT fields).
    template <class F>
    void context_implicit_constructed(unsigned n, F&& f) {
        constructed(tag::context_constructed(n), std::forward<F>(f));
    }
    /// [n] IMPLICIT on a primitive type: the content octets with a context tag.
    void context_implicit_primitive(unsigned n, byte_view content) { primitive(tag::context_primitive(n), content); }

    /// OCTET STRING whose content is DER written by f (extnValue, for instance).
    template <class F>
    void octet_string_wrapping(F&& f) { constructed_as(tag::octet_string, std::forward<F>(f)); }
    /// BIT STRING with 0 unused bits whose content is DER written by f.
    template <class F>
    void bit_string_wrapping(F&& f) {
        m_out.push_back(tag::bit_string);
        const std::size_t len_pos = m_out.size();
        m_out.push_back(0);
        m_out.push_back(0);  // unused bits
        f(*this);
        close(len_pos);
    }

    // ---- primitive -----------------------------------------------------------------------

    void primitive(std::uint8_t tag_byte, byte_view content) {
        m_out.push_back(tag_byte);
        append_length(m_out, content.size());
        m_out.insert(m_out.end(), content.begin(), content.end());
    }
    /// A complete, already encoded TLV (trusted to be DER).
    void raw(byte_view tlv) { m_out.insert(m_out.end(), tlv.begin(), tlv.end()); }

    void boolean(bool v) {
        const std::uint8_t b = v ? 0xff : 0x00;  // DER: TRUE is 0xFF (X.690 11.1)
        primitive(tag::boolean, {&b, 1});
    }
    void null() { primitive(tag::null, {}); }

    /// INTEGER from a signed 64-bit value, minimal two's complement.
    void integer(std::int64_t v) { integer_as(tag::integer, v); }
    void enumerated(std::int64_t v) { integer_as(tag::enumerated, v); }

    /// INTEGER from an unsigned big-endian magnitude: leading zeros dropped, a 0x00 added
    /// when the top bit is set, so the value stays positive (serial numbers, RSA moduli).
    void integer_unsigned(byte_view magnitude, std::uint8_t tag_byte = tag::integer) {
        if (magnitude.empty()) {
            const std::uint8_t zero = 0;
            primitive(tag_byte, {&zero, 1});
            return;
        }
        std::size_t i = 0;
        while (i + 1 < magnitude.size() && magnitude[i] == 0) ++i;
        const byte_view digits = magnitude.subview(i);
        const bool pad = (digits[0] & 0x80) != 0;
        m_out.push_back(tag_byte);
        append_length(m_out, digits.size() + (pad ? 1 : 0));
        if (pad) m_out.push_back(0);
        m_out.insert(m_out.end(), digits.begin(), digits.end());
    }

    void oid(const der::oid& o) { primitive(tag::oid, o.der_content()); }
    void octet_string(byte_view v) { primitive(tag::octet_string, v); }

    /// BIT STRING; `unused_bits` (0..7) trailing bits of the last byte must be zero.
    void bit_string(byte_view v, unsigned unused_bits = 0) {
        if (unused_bits > 7 || (v.empty() && unused_bits) ||
            (unused_bits && (v[v.size() - 1] & ((1u << unused_bits) - 1))))
            throw std::invalid_argument("pca::der::writer::bit_string: bad unused bits");
        m_out.push_back(tag::bit_string);
        append_length(m_out, v.size() + 1);
        m_out.push_back(static_cast<std::uint8_t>(unused_bits));
        m_out.insert(m_out.end(), v.begin(), v.end());
    }

    /// A NamedBitList BIT STRING (KeyUsage): bit 0 is the MSB of the first byte; DER drops
    /// trailing zero bits (X.690 11.2.2), and all-zero is an empty BIT STRING.
    void named_bits(std::uint32_t bits_msb_first, unsigned bit_count) {
        std::uint8_t buf[4] = {};
        int highest = -1;
        for (unsigned b = 0; b < bit_count && b < 32; ++b) {
            if (bits_msb_first & (1u << b)) {
                buf[b / 8] = static_cast<std::uint8_t>(buf[b / 8] | (0x80u >> (b % 8)));
                highest = static_cast<int>(b);
            }
        }
        if (highest < 0) {
            bit_string({});
            return;
        }
        const std::size_t nbytes = static_cast<std::size_t>(highest) / 8 + 1;
        const unsigned unused = 7u - static_cast<unsigned>(highest) % 8u;
        bit_string({buf, nbytes}, unused);
    }

    void utf8_string(std::string_view s) { primitive(tag::utf8_string, byte_view(s)); }
    void printable_string(std::string_view s) { primitive(tag::printable_string, byte_view(s)); }
    void ia5_string(std::string_view s) { primitive(tag::ia5_string, byte_view(s)); }
    void string(std::uint8_t string_tag, std::string_view s) { primitive(string_tag, byte_view(s)); }

    void utc_time(sys_seconds t) { primitive(tag::utc_time, byte_view(format_utc_time(t))); }
    void generalized_time(sys_seconds t) {
        primitive(tag::generalized_time, byte_view(format_generalized_time(t)));
    }
    /// Time ::= CHOICE { utcTime, generalTime } as RFC 5280 4.1.2.5 requires.
    void time(sys_seconds t) {
        if (needs_generalized_time(t))
            generalized_time(t);
        else
            utc_time(t);
    }

private:
    template <class F>
    void constructed_as(std::uint8_t tag_byte, F&& f) {
        m_out.push_back(tag_byte);
        const std::size_t len_pos = m_out.size();
        m_out.push_back(0);
        f(*this);
        close(len_pos);
    }

    void integer_as(std::uint8_t tag_byte, std::int64_t v) {
        std::uint8_t buf[8];
        for (int i = 7; i >= 0; --i) {
            buf[i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) & 0xff);
            v = v >> 8;  // arithmetic shift keeps the sign
        }
        std::size_t start = 0;
        while (start < 7 && ((buf[start] == 0x00 && !(buf[start + 1] & 0x80)) ||
                             (buf[start] == 0xff && (buf[start + 1] & 0x80))))
            ++start;
        primitive(tag_byte, {buf + start, 8 - start});
    }

    /// Fixes the length at len_pos (a one-byte placeholder) for the content written after it.
    void close(std::size_t len_pos) {
        const std::size_t len = m_out.size() - len_pos - 1;
        if (len < 0x80) {
            m_out[len_pos] = static_cast<std::uint8_t>(len);
            return;
        }
        bytes hdr;
        append_length(hdr, len);
        m_out[len_pos] = hdr[0];
        m_out.insert(m_out.begin() + static_cast<std::ptrdiff_t>(len_pos + 1), hdr.begin() + 1, hdr.end());
    }

    /// Sorts the TLVs written from `start` to the end by their encodings.
    void sort_elements(std::size_t start) {
        std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, size
        std::size_t pos = start;
        while (pos < m_out.size()) {
            std::size_t p = pos + 1;
            std::size_t len = m_out[p++];
            if (len & 0x80) {
                const std::size_t n = len & 0x7f;
                len = 0;
                for (std::size_t k = 0; k < n; ++k) len = (len << 8) | m_out[p++];
            }
            spans.emplace_back(pos, p + len - pos);
            pos = p + len;
        }
        if (spans.size() < 2) return;
        const bytes content(m_out.begin() + static_cast<std::ptrdiff_t>(start), m_out.end());
        for (auto& s : spans) s.first -= start;
        std::sort(spans.begin(), spans.end(), [&](const auto& a, const auto& b) {
            return byte_view(content.data() + a.first, a.second) < byte_view(content.data() + b.first, b.second);
        });
        std::size_t out = start;
        for (const auto& s : spans) {
            std::copy_n(content.begin() + static_cast<std::ptrdiff_t>(s.first), s.second,
                        m_out.begin() + static_cast<std::ptrdiff_t>(out));
            out += s.second;
        }
    }

    bytes m_out;
};

}  // namespace pca::der
