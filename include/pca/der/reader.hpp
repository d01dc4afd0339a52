// pca/der/reader.hpp - a strict DER reader for untrusted input.
//
// Refuses everything that is BER but not DER, and everything malformed: indefinite lengths,
// non-minimal lengths, lengths past the end, high-tag-number form, trailing bytes (where the
// caller asks with expect_end()), non-minimal INTEGERs, BOOLEANs other than 00/FF, BIT STRINGs
// with bad unused bits, malformed OIDs and times, and nesting deeper than a fixed limit.
// Every failure is a pca::der::decode_error naming what was expected and the byte offset.
//
//   der::reader r(input);
//   auto cert = r.sequence("Certificate");   // Certificate ::= SEQUENCE {
//   auto tbs = cert.read(der::tag::sequence, "tbsCertificate");
//   ...
//   r.expect_end("Certificate");              // no trailing bytes
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pca/core/bytes.hpp"
#include "pca/core/time.hpp"
#include "pca/der/error.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/tag.hpp"
#include "pca/der/time.hpp"

namespace pca::der {

/// One decoded TLV: its tag, content octets, and the whole encoding (tag + length + content).
struct tlv {
    std::uint8_t tag = 0;
    byte_view content;
    byte_view encoded;
    std::size_t offset = 0;  ///< offset of the tag byte within the outermost input
};

/// A BIT STRING's content: the bytes after the unused-bits octet.
struct bit_string_view {
    byte_view bytes;
    unsigned unused_bits = 0;
};

/// Default limits for untrusted input (documented in docs/security.md).
inline constexpr std::size_t default_max_depth = 24;

inline std::string tag_name(std::uint8_t t) {
    switch (t) {
        case tag::boolean: return "BOOLEAN";
        case tag::integer: return "INTEGER";
        case tag::bit_string: return "BIT STRING";
        case tag::octet_string: return "OCTET STRING";
        case tag::null: return "NULL";
        case tag::oid: return "OBJECT IDENTIFIER";
        case tag::enumerated: return "ENUMERATED";
        case tag::utf8_string: return "UTF8String";
        case tag::printable_string: return "PrintableString";
        case tag::t61_string: return "TeletexString";
        case tag::ia5_string: return "IA5String";
        case tag::utc_time: return "UTCTime";
        case tag::generalized_time: return "GeneralizedTime";
        case tag::visible_string: return "VisibleString";
        case tag::universal_string: return "UniversalString";
        case tag::bmp_string: return "BMPString";
        case tag::sequence: return "SEQUENCE";
        case tag::set: return "SET";
        default: break;
    }
    const char* hex = "0123456789abcdef";
    std::string s = "tag 0x";
    s += hex[t >> 4];
    s += hex[t & 15];
    if ((t & 0xc0) == tag::context_class) s += " ([" + std::to_string(t & 0x1f) + "])";
    return s;
}

/// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
inline bool is_valid_utf8(byte_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const std::uint8_t c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t n;  // continuation bytes
        std::uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1fu;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0fu;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (s.size() - i <= n) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            if ((s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

/// PrintableString alphabet (X.680 41.4): A-Z a-z 0-9 space ' ( ) + , - . / : = ?
constexpr bool is_printable_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '\'' ||
           c == '(' || c == ')' || c == '+' || c == ',' || c == '-' || c == '.' || c == '/' || c == ':' ||
           c == '=' || c == '?';
}
inline bool is_printable_string(std::string_view s) noexcept {
    for (char c : s)
        if (!is_printable_char(c)) return false;
    return true;
}
inline bool is_ia5_string(std::string_view s) noexcept {
    for (char c : s)
        if (static_cast<unsigned char>(c) > 0x7f) return false;
    return true;
}

class reader {
public:
    explicit reader(byte_view input, std::size_t max_depth = default_max_depth)
        : m_in(input), m_base(input.data()), m_max_depth(max_depth) {}

    bool empty() const noexcept { return m_pos >= m_in.size(); }
    std::size_t remaining() const noexcept { return m_in.size() - m_pos; }
    /// Offset of the next byte within the outermost input.
    std::size_t offset() const noexcept { return static_cast<std::size_t>(m_in.data() - m_base) + m_pos; }
    std::size_t depth() const noexcept { return m_depth; }

    /// The next tag, or nullopt at the end.
    std::optional<std::uint8_t> peek_tag() const noexcept {
        if (empty()) return std::nullopt;
        return m_in[m_pos];
    }
    bool next_is(std::uint8_t t) const noexcept { return !empty() && m_in[m_pos] == t; }

    /// Reads any TLV.
    tlv read_any(const char* what = "value") {
        const std::size_t start = m_pos;
        if (empty()) fail(std::string("expected ") + what + ", found end of data");
        const std::uint8_t t = m_in[m_pos++];
        if ((t & 0x1f) == 0x1f) fail(std::string(what) + ": high-tag-number form is not supported", start);
        if (empty()) fail(std::string(what) + ": missing length", start);
        std::size_t len = m_in[m_pos++];
        if (len == 0x80) fail(std::string(what) + ": indefinite length is not DER", start);
        if (len & 0x80) {
            const std::size_t n = len & 0x7f;
            if (n > 4) fail(std::string(what) + ": length field too large", start);
            if (remaining() < n) fail(std::string(what) + ": truncated length", start);
            if (m_in[m_pos] == 0) fail(std::string(what) + ": non-minimal length encoding", start);
            len = 0;
            for (std::size_t k = 0; k < n; ++k) len = (len << 8) | m_in[m_pos++];
            if (len < 0x80) fail(std::string(what) + ": non-minimal length encoding", start);
        }
        if (len > remaining()) fail(std::string(what) + ": length " + std::to_string(len) + " runs past the end", start);
        tlv r;
        r.tag = t;
        r.content = m_in.subview(m_pos, len);
        r.encoded = m_in.subview(start, m_pos + len - start);
        r.offset = static_cast<std::size_t>(m_in.data() - m_base) + start;
        m_pos += len;
        return r;
    }

    /// Reads a TLV that must carry tag `t`.
    tlv read(std::uint8_t t, const char* what) {
        if (empty()) fail(std::string("expected ") + what + " (" + tag_name(t) + "), found end of data");
        if (m_in[m_pos] != t)
            fail(std::string("expected ") + what + " (" + tag_name(t) + "), found " + tag_name(m_in[m_pos]));
        return read_any(what);
    }
    std::optional<tlv> read_optional(std::uint8_t t, const char* what) {
        if (!next_is(t)) return std::nullopt;
        return read_any(what);
    }

    /// A reader over the content of the next TLV (which must be constructed with tag `t`).
    reader enter(std::uint8_t t, const char* what) {
        const tlv v = read(t, what);
        return child(v, what);
    }
    reader sequence(const char* what) { return enter(tag::sequence, what); }
    reader set(const char* what) { return enter(tag::set, what); }
    std::optional<reader> enter_optional(std::uint8_t t, const char* what) {
        if (!next_is(t)) return std::nullopt;
        return enter(t, what);
    }
    /// A reader over an already read TLV's content (OCTET STRING-wrapped DER, for example).
    reader child(const tlv& v, const char* what) const {
        if (m_depth + 1 > m_max_depth) fail(std::string(what) + ": nesting deeper than " + std::to_string(m_max_depth), v.offset);
        reader r(v.content, m_max_depth);
        r.m_base = m_base;
        r.m_depth = m_depth + 1;
        return r;
    }

    /// Refuses trailing bytes.
    void expect_end(const char* what) const {
        if (!empty()) fail(std::string("unexpected data after ") + what, offset());
    }

    // ---- primitives ---------------------------------------------------------------------

    bool boolean(const char* what = "BOOLEAN") {
        const tlv v = read(tag::boolean, what);
        if (v.content.size() != 1) fail(std::string(what) + ": BOOLEAN must have one octet", v.offset);
        if (v.content[0] != 0x00 && v.content[0] != 0xff) fail(std::string(what) + ": BOOLEAN must be 00 or FF in DER", v.offset);
        return v.content[0] == 0xff;
    }

    void null(const char* what = "NULL") {
        const tlv v = read(tag::null, what);
        if (!v.content.empty()) fail(std::string(what) + ": NULL must be empty", v.offset);
    }

    /// The content octets of a minimally encoded INTEGER (two's complement, big-endian).
    byte_view integer_bytes(const char* what = "INTEGER", std::uint8_t t = tag::integer) {
        const tlv v = read(t, what);
        check_integer(v, what);
        return v.content;
    }
    /// An INTEGER that must fit in int64.
    std::int64_t integer(const char* what = "INTEGER", std::uint8_t t = tag::integer) {
        const tlv v = read(t, what);
        check_integer(v, what);
        if (v.content.size() > 8) fail(std::string(what) + ": INTEGER too large", v.offset);
        std::uint64_t u = (v.content[0] & 0x80) ? ~std::uint64_t{0} : 0;
        for (auto b : v.content) u = (u << 8) | b;
        return static_cast<std::int64_t>(u);
    }
    std::int64_t enumerated(const char* what = "ENUMERATED") { return integer(what, tag::enumerated); }

    der::oid oid(const char* what = "OBJECT IDENTIFIER") {
        const tlv v = read(tag::oid, what);
        auto o = der::oid::from_der_content(v.content);
        if (!o) fail(std::string(what) + ": malformed or oversized OBJECT IDENTIFIER", v.offset);
        return *o;
    }

    byte_view octet_string(const char* what = "OCTET STRING") { return read(tag::octet_string, what).content; }

    bit_string_view bit_string(const char* what = "BIT STRING") {
        const tlv v = read(tag::bit_string, what);
        return check_bit_string(v, what);
    }

    /// A string of the given universal type, with its alphabet checked.
    std::string_view string(std::uint8_t t, const char* what) {
        const tlv v = read(t, what);
        check_string(v, what);
        return v.content.as_string_view();
    }
    std::string_view utf8_string(const char* what = "UTF8String") { return string(tag::utf8_string, what); }
    std::string_view printable_string(const char* what = "PrintableString") { return string(tag::printable_string, what); }
    std::string_view ia5_string(const char* what = "IA5String") { return string(tag::ia5_string, what); }

    /// Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime } in RFC 5280's DER profile.
    sys_seconds time(const char* what = "Time") {
        if (next_is(tag::utc_time)) {
            const tlv v = read_any(what);
            auto t = parse_utc_time(v.content.as_string_view());
            if (!t) fail(std::string(what) + ": malformed UTCTime (DER needs YYMMDDHHMMSSZ)", v.offset);
            return *t;
        }
        if (next_is(tag::generalized_time)) {
            const tlv v = read_any(what);
            auto t = parse_generalized_time(v.content.as_string_view());
            if (!t) fail(std::string(what) + ": malformed GeneralizedTime (DER needs YYYYMMDDHHMMSSZ)", v.offset);
            return *t;
        }
        if (empty()) fail(std::string("expected ") + what + " (UTCTime or GeneralizedTime), found end of data");
        fail(std::string("expected ") + what + " (UTCTime or GeneralizedTime), found " + tag_name(m_in[m_pos]));
    }

    // ---- checks usable on TLVs read with read_any() -------------------------------------

    static void check_integer(const tlv& v, const char* what) {
        if (v.content.empty()) fail(std::string(what) + ": INTEGER has no content octets", v.offset);
        if (v.content.size() > 1 && ((v.content[0] == 0x00 && !(v.content[1] & 0x80)) ||
                                     (v.content[0] == 0xff && (v.content[1] & 0x80))))
            fail(std::string(what) + ": INTEGER is not minimally encoded", v.offset);
    }
    static bit_string_view check_bit_string(const tlv& v, const char* what) {
        if (v.content.empty()) fail(std::string(what) + ": BIT STRING has no unused-bits octet", v.offset);
        const unsigned unused = v.content[0];
        if (unused > 7) fail(std::string(what) + ": BIT STRING unused-bits octet > 7", v.offset);
        if (v.content.size() == 1 && unused != 0) fail(std::string(what) + ": empty BIT STRING with unused bits", v.offset);
        if (unused && (v.content[v.content.size() - 1] & ((1u << unused) - 1)))
            fail(std::string(what) + ": BIT STRING unused bits are not zero", v.offset);
        return {v.content.subview(1), unused};
    }
    static void check_string(const tlv& v, const char* what) {
        const std::string_view s = v.content.as_string_view();
        switch (v.tag) {
            case tag::utf8_string:
                if (!is_valid_utf8(v.content)) fail(std::string(what) + ": invalid UTF-8", v.offset);
                break;
            case tag::printable_string:
                if (!is_printable_string(s)) fail(std::string(what) + ": character not allowed in PrintableString", v.offset);
                break;
            case tag::ia5_string:
            case tag::visible_string:
                if (!is_ia5_string(s)) fail(std::string(what) + ": non-ASCII byte in IA5String", v.offset);
                break;
            case tag::bmp_string:
                if (v.content.size() % 2) fail(std::string(what) + ": BMPString of odd length", v.offset);
                break;
            case tag::universal_string:
                if (v.content.size() % 4) fail(std::string(what) + ": UniversalString length not a multiple of 4", v.offset);
                break;
            case tag::t61_string:
                break;
            default:
                fail(std::string(what) + ": " + tag_name(v.tag) + " is not a string type", v.offset);
        }
    }

    /// Checks a value of ASN.1 type ANY: a primitive of a universal type must be valid DER for
    /// that type (BOOLEAN of one octet 00/FF, minimal INTEGER, BIT STRING, empty NULL, OID,
    /// times, strings in their alphabet). Other values (constructed, context tags) pass.
    static void check_any(const tlv& v, const char* what) {
        switch (v.tag) {
            case tag::boolean:
                if (v.content.size() != 1 || (v.content[0] != 0x00 && v.content[0] != 0xff))
                    fail(std::string(what) + ": BOOLEAN must be one octet, 00 or FF", v.offset);
                break;
            case tag::integer:
            case tag::enumerated: check_integer(v, what); break;
            case tag::bit_string: check_bit_string(v, what); break;
            case tag::null:
                if (!v.content.empty()) fail(std::string(what) + ": NULL must be empty", v.offset);
                break;
            case tag::oid:
                if (!der::oid::from_der_content(v.content)) fail(std::string(what) + ": malformed OBJECT IDENTIFIER", v.offset);
                break;
            case tag::utc_time:
                if (!parse_utc_time(v.content.as_string_view())) fail(std::string(what) + ": malformed UTCTime", v.offset);
                break;
            case tag::generalized_time:
                if (!parse_generalized_time(v.content.as_string_view())) fail(std::string(what) + ": malformed GeneralizedTime", v.offset);
                break;
            case tag::utf8_string:
            case tag::printable_string:
            case tag::t61_string:
            case tag::ia5_string:
            case tag::visible_string:
            case tag::bmp_string:
            case tag::universal_string: check_string(v, what); break;
            default: break;
        }
    }

    /// Checks that `v` (read by this reader) is DER all the way down, for values of type ANY:
    /// a constructed value's content is a run of TLVs (within the depth limit), only SEQUENCE,
    /// SET and non-universal tags are constructed, and primitives pass check_any.
    void check_tree(const tlv& v, const char* what) const {
        if (!(v.tag & tag::constructed_bit)) {
            check_any(v, what);
            return;
        }
        if ((v.tag & 0xc0) == 0 && v.tag != tag::sequence && v.tag != tag::set)
            fail(std::string(what) + ": constructed " + tag_name(static_cast<std::uint8_t>(v.tag & ~tag::constructed_bit)) +
                     " is not DER",
                 v.offset);
        reader c = child(v, what);
        while (!c.empty()) c.check_tree(c.read_any(what), what);
    }

    [[noreturn]] static void fail(const std::string& msg, std::size_t offset) { throw decode_error(msg, offset); }
    [[noreturn]] void fail(const std::string& msg) const { throw decode_error(msg, offset()); }

private:
    byte_view m_in;
    const std::uint8_t* m_base;
    std::size_t m_pos = 0;
    std::size_t m_depth = 0;
    std::size_t m_max_depth;
};

/// Parses exactly one TLV spanning all of `input` (no trailing bytes).
inline tlv read_single(byte_view input, const char* what) {
    reader r(input);
    tlv v = r.read_any(what);
    r.expect_end(what);
    return v;
}

}  // namespace pca::der
