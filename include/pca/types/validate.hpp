// pca/types/validate.hpp - checks every shape against the acm-pca model's constraints.
//
// One free function per shape: `void validate(const T&, std::string_view path = "<Shape>")`.
// `path` is the member path used in messages; callers that validate a request member pass
// their own ("CreateCertificateAuthorityRequest.RevocationConfiguration"). Messages name the
// member and the reason:
//   [pca.invalid_args] CertificateAuthorityConfiguration.Subject.Country must be 2 letters, got 'USA'
//
// What is checked is what service-2.json states (lengths, patterns, ranges, list sizes,
// required members) plus the rules its documentation states in words (exactly one GeneralName
// choice, CustomAttributes alone, disabled revocation configurations carry only Enabled=false,
// CNAMEs without a protocol prefix, OmitExtension without CustomCname, S3 bucket naming).
// The model's patterns are unanchored in the JSON; they are treated as full matches and are
// implemented with character checks, never std::regex. String lengths are counted in Unicode
// code points (the model's unit), after strict UTF-8 decoding.
//
// Which exception each shape throws is listed in docs/types.md:
//   CA configuration, revocation configuration, ApiPassthrough and everything inside them,
//   Validity                                  -> InvalidArgsException
//   Tag                                       -> InvalidTagException (more than 50 -> TooManyTagsException)
//   Permission, CertificateAuthority (outputs) -> ValidationException; their Arn -> InvalidArnException
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pca/core/error.hpp"
#include "pca/types/arn.hpp"
#include "pca/types/enums.hpp"
#include "pca/types/shapes.hpp"
#include "pca/types/validity.hpp"

namespace pca {

// ---------------------------------------------------------------------------------------------
// Character-level predicates (reusable by other layers)
// ---------------------------------------------------------------------------------------------

namespace types::detail {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
// Calls f(code_point) for each code point until f returns false. Returns false on malformed
// input or when f stopped early.
template <class F>
constexpr bool for_each_code_point(std::string_view s, F&& f) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        std::uint32_t cp = 0;
        std::size_t n = 0;
        if (b0 < 0x80) {
            cp = b0;
            n = 1;
        } else if (b0 >= 0xC2 && b0 <= 0xDF) {
            cp = b0 & 0x1Fu;
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            cp = b0 & 0x0Fu;
            n = 3;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            cp = b0 & 0x07u;
            n = 4;
        } else {
            return false;
        }
        if (s.size() - i < n) return false;
        for (std::size_t k = 1; k < n; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0u) != 0x80u) return false;
            cp = (cp << 6) | (b & 0x3Fu);
        }
        if (n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
        if (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
        if (!f(static_cast<char32_t>(cp))) return false;
        i += n;
    }
    return true;
}

// Number of code points, or nullopt when `s` is not valid UTF-8.
constexpr std::optional<std::size_t> utf8_length(std::string_view s) {
    std::size_t n = 0;
    if (!for_each_code_point(s, [&](char32_t) { return ++n, true; })) return std::nullopt;
    return n;
}

struct code_point_range {
    char32_t lo, hi;
};

// Non-ASCII code points accepted as \p{L} (letters), \p{Z} (separators) or \p{N} (numbers) in
// tag keys and values. A conservative subset: the Latin, Greek, Cyrillic, Armenian, Hebrew,
// Arabic, Devanagari, Thai, Georgian, Hangul, Kana, Bopomofo, Yi and CJK letters, their decimal
// digits, common number forms, and every space/line/paragraph separator. Everything listed is
// in L, N or Z; letters of scripts not listed are refused (docs/types.md).
inline constexpr code_point_range tag_letter_ranges[] = {
    {0x00A0, 0x00A0}, {0x00AA, 0x00AA}, {0x00B2, 0x00B3}, {0x00B5, 0x00B5}, {0x00B9, 0x00BA},
    {0x00BC, 0x00BE}, {0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x02C1}, {0x02C6, 0x02D1},
    {0x02E0, 0x02E4}, {0x02EC, 0x02EC}, {0x02EE, 0x02EE}, {0x0370, 0x0374}, {0x0376, 0x0377},
    {0x037A, 0x037D}, {0x037F, 0x037F}, {0x0386, 0x0386}, {0x0388, 0x038A}, {0x038C, 0x038C},
    {0x038E, 0x03A1}, {0x03A3, 0x03F5}, {0x03F7, 0x0481}, {0x048A, 0x052F}, {0x0531, 0x0556},
    {0x0559, 0x0559}, {0x0560, 0x0588}, {0x05D0, 0x05EA}, {0x05EF, 0x05F2}, {0x0620, 0x064A},
    {0x0660, 0x0669}, {0x066E, 0x066F}, {0x0671, 0x06D3}, {0x06D5, 0x06D5}, {0x06E5, 0x06E6},
    {0x06EE, 0x06FC}, {0x06FF, 0x06FF}, {0x0904, 0x0939}, {0x093D, 0x093D}, {0x0950, 0x0950},
    {0x0958, 0x0961}, {0x0966, 0x096F}, {0x0971, 0x097F}, {0x0E01, 0x0E30}, {0x0E32, 0x0E33},
    {0x0E40, 0x0E46}, {0x0E50, 0x0E59}, {0x10A0, 0x10C5}, {0x10C7, 0x10C7}, {0x10CD, 0x10CD},
    {0x10D0, 0x10FA}, {0x10FC, 0x10FF}, {0x1100, 0x11FF}, {0x1680, 0x1680}, {0x1E00, 0x1F15},
    {0x1F18, 0x1F1D}, {0x1F20, 0x1F45}, {0x1F48, 0x1F4D}, {0x1F50, 0x1F57}, {0x1F59, 0x1F59},
    {0x1F5B, 0x1F5B}, {0x1F5D, 0x1F5D}, {0x1F5F, 0x1F7D}, {0x1F80, 0x1FB4}, {0x1FB6, 0x1FBC},
    {0x1FBE, 0x1FBE}, {0x1FC2, 0x1FC4}, {0x1FC6, 0x1FCC}, {0x1FD0, 0x1FD3}, {0x1FD6, 0x1FDB},
    {0x1FE0, 0x1FEC}, {0x1FF2, 0x1FF4}, {0x1FF6, 0x1FFC}, {0x2000, 0x200A}, {0x2028, 0x2029},
    {0x202F, 0x202F}, {0x205F, 0x205F}, {0x2070, 0x2071}, {0x2074, 0x2079}, {0x207F, 0x2089},
    {0x2090, 0x209C}, {0x2150, 0x2189}, {0x2460, 0x249B}, {0x24EA, 0x24FF}, {0x2776, 0x2793},
    {0x3000, 0x3000}, {0x3005, 0x3007}, {0x3021, 0x3029}, {0x3031, 0x3035}, {0x3038, 0x303C},
    {0x3041, 0x3096}, {0x309D, 0x309F}, {0x30A1, 0x30FA}, {0x30FC, 0x30FF}, {0x3105, 0x312F},
    {0x3131, 0x318E}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA48C}, {0xAC00, 0xD7A3},
    {0xF900, 0xFA6D}, {0xFA70, 0xFAD9}, {0xFF10, 0xFF19}, {0xFF21, 0xFF3A}, {0xFF41, 0xFF5A},
    {0xFF66, 0xFFBE}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B739}, {0x2B740, 0x2B81D}, {0x2B820, 0x2CEA1},
    {0x2CEB0, 0x2EBE0}, {0x30000, 0x3134A},
};

constexpr bool is_cname_char(char c) noexcept {
    // CnameString: [-a-zA-Z0-9;/?:@&=+$,%_.!~*()']
    if (is_ascii_alpha(c) || is_ascii_digit(c)) return true;
    for (char s : std::string_view("-;/?:@&=+$,%_.!~*()'"))
        if (c == s) return true;
    return false;
}

}  // namespace types::detail

/// One code point of the TagKey/TagValue pattern [\p{L}\p{Z}\p{N}_.:/=+\-@] (approximated for
/// non-ASCII code points, see types::detail::tag_letter_ranges).
constexpr bool is_tag_char(char32_t c) noexcept {
    if (c < 0x80) {
        const char a = static_cast<char>(c);
        if (types::detail::is_ascii_alpha(a) || types::detail::is_ascii_digit(a) || a == ' ') return true;
        for (char s : std::string_view("_.:/=+-@"))
            if (a == s) return true;
        return false;
    }
    for (const auto& r : types::detail::tag_letter_ranges)
        if (c >= r.lo && c <= r.hi) return true;
    return false;
}

/// Valid UTF-8 made only of tag characters (lengths are checked separately).
constexpr bool is_valid_tag_text(std::string_view s) {
    return types::detail::for_each_code_point(s, [](char32_t c) { return is_tag_char(c); });
}

/// X.680 PrintableString characters: A-Z a-z 0-9 space ' ( ) + , - . / : = ?
/// (the model's ASN1PrintableString64 pattern [a-zA-Z0-9'()+-.?:/= ]*, where +-. is a range
/// that includes the comma).
constexpr bool is_printable_string_char(char c) noexcept {
    if (types::detail::is_ascii_alpha(c) || types::detail::is_ascii_digit(c)) return true;
    for (char s : std::string_view(" '()+,-./:=?"))
        if (c == s) return true;
    return false;
}
constexpr bool is_printable_string(std::string_view s) noexcept {
    for (char c : s)
        if (!is_printable_string_char(c)) return false;
    return true;
}

/// A dotted-decimal OID: at least two arcs, at most 128; digits only, no leading zeros; first arc
/// 0..2; second arc 0..39 when the first is 0 or 1 (X.660). Arcs are not limited in size.
constexpr bool is_valid_oid_string(std::string_view s) noexcept {
    std::size_t i = 0, arcs = 0;
    unsigned first = 0;
    for (;;) {
        const std::size_t start = i;
        while (i < s.size() && types::detail::is_ascii_digit(s[i])) ++i;
        const std::size_t len = i - start;
        if (len == 0 || (len > 1 && s[start] == '0')) return false;
        if (++arcs > 128) return false;
        if (arcs == 1) {
            if (len != 1 || s[start] > '2') return false;
            first = static_cast<unsigned>(s[start] - '0');
        } else if (arcs == 2 && first < 2) {
            if (len > 2) return false;
            if (len == 2 && (s[start] - '0') * 10 + (s[start + 1] - '0') > 39) return false;
        }
        if (i == s.size()) break;
        if (s[i] != '.') return false;
        ++i;
    }
    return arcs >= 2;
}

/// The model's CustomObjectIdentifier: at most 64 characters matching
/// ([0-2])\.([0-9]|([0-3][0-9]))((\.([0-9]+)){0,126}) - so the second arc is at most 39 even
/// under root 2 - and, additionally, canonical (no leading zeros: "1.2.03" and "1.2.3" would
/// encode to the same DER, so only the canonical spelling is accepted).
constexpr bool is_valid_custom_object_identifier(std::string_view s) noexcept {
    if (s.size() > 64 || !is_valid_oid_string(s)) return false;
    // Second arc: [0-9] or [0-3][0-9], i.e. at most two digits and <= 39.
    const std::size_t dot1 = s.find('.');
    const std::size_t dot2 = s.find('.', dot1 + 1);
    const std::string_view second = s.substr(dot1 + 1, dot2 == std::string_view::npos ? std::string_view::npos : dot2 - dot1 - 1);
    return second.size() == 1 || (second.size() == 2 && second[0] <= '3');
}

/// The model's base64 pattern (?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?
/// (padding required; the empty string matches, length limits are checked separately).
constexpr bool is_valid_base64(std::string_view s) noexcept {
    auto b64 = [](char c) { return types::detail::is_ascii_alpha(c) || types::detail::is_ascii_digit(c) || c == '+' || c == '/'; };
    if (s.size() % 4 != 0) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool last_group = i + 4 >= s.size();
        if (b64(s[i])) {
            // No data after padding.
            if (last_group && i > 0 && s[i - 1] == '=') return false;
            continue;
        }
        if (s[i] != '=' || !last_group) return false;
        const std::size_t pos_in_group = i % 4;
        if (pos_in_group < 2) return false;                        // "x===" and "===="
        if (pos_in_group == 2 && s[i + 1] != '=') return false;  // "xx=y"
    }
    return true;
}

/// The model's CnameString (at most 253 of [-a-zA-Z0-9;/?:@&=+$,%_.!~*()']) without a protocol
/// prefix: the documentation forbids "http://" and "https://" (compared case-insensitively).
inline bool is_valid_cname(std::string_view s) {
    if (s.size() > 253) return false;
    for (char c : s)
        if (!types::detail::is_cname_char(c)) return false;
    const std::string lower = types::detail::lowercase(s.substr(0, 8));
    return lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0;
}

/// The model's CrlPathString: at most 253 characters, either "/" alone or segments of
/// [-a-zA-Z0-9;?:@&=+$,%_.!~*()'] joined by single slashes (no leading or trailing slash).
constexpr bool is_valid_crl_path(std::string_view s) noexcept {
    if (s.size() > 253 || s.empty()) return false;
    if (s == "/") return true;
    if (s.front() == '/' || s.back() == '/') return false;
    char prev = '\0';
    for (char c : s) {
        if (c == '/' && prev == '/') return false;
        if (c != '/' && !types::detail::is_cname_char(c)) return false;
        prev = c;
    }
    return true;
}

/// The S3 general-purpose bucket naming rules: 3..63 characters of lowercase letters, digits,
/// dots and hyphens; begins and ends with a letter or digit; no two adjacent periods; not an
/// IPv4 address; none of the reserved prefixes (xn--, sthree-, amzn-s3-demo-) or suffixes
/// (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3). On failure `why` (when given) says which.
inline bool is_valid_s3_bucket_name(std::string_view n, std::string* why = nullptr) {
    auto fail = [&](std::string reason) {
        if (why) *why = std::move(reason);
        return false;
    };
    if (n.size() < 3 || n.size() > 63) return fail("must be 3 to 63 characters long, got " + std::to_string(n.size()));
    for (char c : n)
        if (!types::detail::is_ascii_lower(c) && !types::detail::is_ascii_digit(c) && c != '.' && c != '-')
            return fail("may contain only lowercase letters, digits, dots and hyphens");
    auto alnum = [](char c) { return types::detail::is_ascii_lower(c) || types::detail::is_ascii_digit(c); };
    if (!alnum(n.front()) || !alnum(n.back())) return fail("must begin and end with a lowercase letter or digit");
    if (n.find("..") != std::string_view::npos) return fail("must not contain two adjacent periods");
    {
        int groups = 1, digits = 0;
        bool ip = true;
        for (char c : n) {
            if (c == '.') {
                ip = ip && digits > 0 && digits <= 3;
                ++groups;
                digits = 0;
            } else if (types::detail::is_ascii_digit(c)) {
                ++digits;
            } else {
                ip = false;
            }
        }
        if (ip && groups == 4 && digits > 0 && digits <= 3) return fail("must not be formatted as an IP address");
    }
    for (std::string_view p : {"xn--", "sthree-", "amzn-s3-demo-"})
        if (n.substr(0, p.size()) == p) return fail("must not start with the reserved prefix '" + std::string(p) + "'");
    for (std::string_view s : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"})
        if (n.size() >= s.size() && n.substr(n.size() - s.size()) == s)
            return fail("must not end with the reserved suffix '" + std::string(s) + "'");
    return true;
}

// ---------------------------------------------------------------------------------------------
// Message helpers
// ---------------------------------------------------------------------------------------------

namespace types::detail {

inline std::string member(std::string_view path, std::string_view name) {
    std::string s(path);
    s += '.';
    s += name;
    return s;
}

inline std::string element(std::string_view path, std::size_t i) {
    return std::string(path) + "[" + std::to_string(i) + "]";
}

// 'value' for messages: at most 64 code points, control characters and invalid UTF-8 as \xNN.
inline std::string quote(std::string_view s) {
    const bool utf8 = utf8_length(s).has_value();
    std::string out = "'";
    std::size_t shown = 0, i = 0;
    for (; i < s.size() && shown < 64; ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x20 || b == 0x7f || (b >= 0x80 && !utf8)) {
            static constexpr char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[b >> 4];
            out += hex[b & 0x0f];
        } else {
            out += s[i];
        }
        // Count code points: a byte that is not a continuation byte starts one.
        if (!utf8 || i + 1 >= s.size() || (static_cast<unsigned char>(s[i + 1]) & 0xC0u) != 0x80u) ++shown;
    }
    out += "'";
    if (i < s.size()) out += " (" + std::to_string(s.size()) + " bytes, truncated)";
    return out;
}

inline std::string code_point_name(char32_t c) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string s = "U+";
    const int digits = c > 0xFFFF ? 6 : 4;
    for (int k = digits - 1; k >= 0; --k) s += hex[(c >> (4 * k)) & 0xF];
    return s;
}

// Validation bound to the exception a shape throws.
struct checker {
    errc code;

    [[noreturn]] void fail(const std::string& path, const std::string& why) const { throw_error(code, path + " " + why); }

    // Length in code points; fails when `s` is not UTF-8.
    std::size_t length(const std::string& path, std::string_view s) const {
        const auto n = utf8_length(s);
        if (!n) fail(path, "is not valid UTF-8: " + quote(s));
        return *n;
    }

    void text(const std::string& path, std::string_view s, std::size_t min, std::size_t max) const {
        const std::size_t n = length(path, s);
        if (n < min)
            fail(path, "must be at least " + std::to_string(min) + (min == 1 ? " character" : " characters") +
                           ", got " + std::to_string(n));
        if (n > max) fail(path, "must be at most " + std::to_string(max) + " characters, got " + std::to_string(n));
    }
    void optional_text(const std::string& path, const std::optional<std::string>& s, std::size_t min,
                       std::size_t max) const {
        if (s) text(path, *s, min, max);
    }

    template <class T>
    void list(const std::string& path, const std::vector<T>& v, std::size_t min, std::size_t max) const {
        if (v.size() < min || v.size() > max)
            fail(path, "must have " + std::to_string(min) + " to " + std::to_string(max) + " entries, got " +
                           std::to_string(v.size()));
    }

    // CustomObjectIdentifier.
    void oid(const std::string& path, std::string_view s) const {
        if (s.size() > 64) fail(path, "must be at most 64 characters, got " + std::to_string(s.size()));
        if (!is_valid_custom_object_identifier(s))
            fail(path, "must be a dotted-decimal OID such as 1.3.6.1.4.1.99999.1 (first arc 0-2, second arc 0-39, "
                       "no leading zeros, at most 128 arcs), got " +
                           quote(s));
    }

    // ASN1PrintableString64.
    void printable(const std::string& path, const std::optional<std::string>& s) const {
        if (!s) return;
        for (char c : *s)
            if (!is_printable_string_char(c))
                fail(path, "must be a PrintableString (A-Z a-z 0-9 space ' ( ) + , - . / : = ?), got " + quote(*s));
        text(path, *s, 0, 64);
    }

    // CnameString without protocol prefix.
    void cname(const std::string& path, const std::optional<std::string>& s) const {
        if (!s) return;
        text(path, *s, 0, 253);
        for (char c : *s)
            if (!is_cname_char(c))
                fail(path, "may contain only letters, digits and -;/?:@&=+$,%_.!~*()' (RFC 2396), got " + quote(*s));
        if (!is_valid_cname(*s)) fail(path, "must not include a protocol prefix such as http:// or https://, got " + quote(*s));
    }
};

inline constexpr checker invalid_args_check{errc::invalid_args};
inline constexpr checker invalid_tag_check{errc::invalid_tag};
inline constexpr checker validation_check{errc::validation};

}  // namespace types::detail

// ---------------------------------------------------------------------------------------------
// validate(): CA configuration, ApiPassthrough and their parts -> InvalidArgsException
// ---------------------------------------------------------------------------------------------

/// CustomAttribute: ObjectIdentifier (required) is a CustomObjectIdentifier, Value 1..256.
inline void validate(const custom_attribute& a, std::string_view path = "CustomAttribute") {
    const auto& c = types::detail::invalid_args_check;
    c.oid(types::detail::member(path, "ObjectIdentifier"), a.object_identifier);
    c.text(types::detail::member(path, "Value"), a.value, 1, 256);
}

/// ASN1Subject: per-attribute limits; Country 2 letters; SerialNumber and
/// DistinguishedNameQualifier PrintableString; CustomAttributes 1..150 and never together with
/// a standard attribute.
inline void validate(const asn1_subject& s, std::string_view path = "ASN1Subject") {
    const auto& c = types::detail::invalid_args_check;
    if (s.country) {
        const std::string& v = *s.country;
        if (v.size() != 2 || !types::detail::is_ascii_alpha(v[0]) || !types::detail::is_ascii_alpha(v[1]))
            c.fail(types::detail::member(path, "Country"), "must be 2 letters, got " + types::detail::quote(v));
    }
    c.optional_text(types::detail::member(path, "Organization"), s.organization, 0, 64);
    c.optional_text(types::detail::member(path, "OrganizationalUnit"), s.organizational_unit, 0, 64);
    c.printable(types::detail::member(path, "DistinguishedNameQualifier"), s.distinguished_name_qualifier);
    c.optional_text(types::detail::member(path, "State"), s.state, 0, 128);
    c.optional_text(types::detail::member(path, "CommonName"), s.common_name, 0, 64);
    c.printable(types::detail::member(path, "SerialNumber"), s.serial_number);
    c.optional_text(types::detail::member(path, "Locality"), s.locality, 0, 128);
    c.optional_text(types::detail::member(path, "Title"), s.title, 0, 64);
    c.optional_text(types::detail::member(path, "Surname"), s.surname, 0, 40);
    c.optional_text(types::detail::member(path, "GivenName"), s.given_name, 0, 16);
    c.optional_text(types::detail::member(path, "Initials"), s.initials, 0, 5);
    c.optional_text(types::detail::member(path, "Pseudonym"), s.pseudonym, 0, 128);
    c.optional_text(types::detail::member(path, "GenerationQualifier"), s.generation_qualifier, 0, 3);
    if (s.custom_attributes) {
        const std::string p = types::detail::member(path, "CustomAttributes");
        // "Custom attributes cannot be used in combination with standard attributes."
        const std::pair<const std::optional<std::string>*, const char*> standard[] = {
            {&s.country, "Country"},
            {&s.organization, "Organization"},
            {&s.organizational_unit, "OrganizationalUnit"},
            {&s.distinguished_name_qualifier, "DistinguishedNameQualifier"},
            {&s.state, "State"},
            {&s.common_name, "CommonName"},
            {&s.serial_number, "SerialNumber"},
            {&s.locality, "Locality"},
            {&s.title, "Title"},
            {&s.surname, "Surname"},
            {&s.given_name, "GivenName"},
            {&s.initials, "Initials"},
            {&s.pseudonym, "Pseudonym"},
            {&s.generation_qualifier, "GenerationQualifier"},
        };
        for (const auto& [member, name] : standard)
            if (member->has_value())
                c.fail(p, std::string("cannot be combined with standard attributes, but ") + name + " is also set");
        c.list(p, *s.custom_attributes, 1, 150);
        for (std::size_t i = 0; i < s.custom_attributes->size(); ++i)
            validate((*s.custom_attributes)[i], types::detail::element(p, i));
    }
}

/// OtherName: TypeId is a CustomObjectIdentifier, Value at most 256.
inline void validate(const other_name& o, std::string_view path = "OtherName") {
    const auto& c = types::detail::invalid_args_check;
    c.oid(types::detail::member(path, "TypeId"), o.type_id);
    c.text(types::detail::member(path, "Value"), o.value, 0, 256);
}

/// EdiPartyName: PartyName and NameAssigner at most 256.
inline void validate(const edi_party_name& e, std::string_view path = "EdiPartyName") {
    const auto& c = types::detail::invalid_args_check;
    c.text(types::detail::member(path, "PartyName"), e.party_name, 0, 256);
    c.optional_text(types::detail::member(path, "NameAssigner"), e.name_assigner, 0, 256);
}

/// GeneralName: exactly one choice ("Providing more than one option results in an
/// InvalidArgsException"; none is not a GeneralName either), each within its limits.
inline void validate(const general_name& g, std::string_view path = "GeneralName") {
    const auto& c = types::detail::invalid_args_check;
    std::string set;
    int count = 0;
    auto note = [&](bool present, const char* name) {
        if (!present) return;
        if (count++) set += " and ";
        set += name;
    };
    note(g.other_name.has_value(), "OtherName");
    note(g.rfc822_name.has_value(), "Rfc822Name");
    note(g.dns_name.has_value(), "DnsName");
    note(g.directory_name.has_value(), "DirectoryName");
    note(g.edi_party_name.has_value(), "EdiPartyName");
    note(g.uniform_resource_identifier.has_value(), "UniformResourceIdentifier");
    note(g.ip_address.has_value(), "IpAddress");
    note(g.registered_id.has_value(), "RegisteredId");
    if (count != 1)
        c.fail(std::string(path), "must set exactly one of OtherName, Rfc822Name, DnsName, DirectoryName, EdiPartyName, "
                                  "UniformResourceIdentifier, IpAddress, RegisteredId; got " +
                                      (count ? set : std::string("none")));
    if (g.other_name) validate(*g.other_name, types::detail::member(path, "OtherName"));
    c.optional_text(types::detail::member(path, "Rfc822Name"), g.rfc822_name, 0, 256);
    c.optional_text(types::detail::member(path, "DnsName"), g.dns_name, 0, 253);
    if (g.directory_name) validate(*g.directory_name, types::detail::member(path, "DirectoryName"));
    if (g.edi_party_name) validate(*g.edi_party_name, types::detail::member(path, "EdiPartyName"));
    c.optional_text(types::detail::member(path, "UniformResourceIdentifier"), g.uniform_resource_identifier, 0, 253);
    c.optional_text(types::detail::member(path, "IpAddress"), g.ip_address, 0, 39);
    if (g.registered_id) c.oid(types::detail::member(path, "RegisteredId"), *g.registered_id);
}

/// KeyUsage: nine booleans, every combination is allowed by the model.
inline void validate(const key_usage&, std::string_view = "KeyUsage") {}

/// ExtendedKeyUsage: exactly one of ExtendedKeyUsageType or ExtendedKeyUsageObjectIdentifier
/// (one entry is one KeyPurposeId; docs/types.md), the OID a CustomObjectIdentifier.
inline void validate(const extended_key_usage& e, std::string_view path = "ExtendedKeyUsage") {
    const auto& c = types::detail::invalid_args_check;
    if (e.extended_key_usage_type.has_value() == e.extended_key_usage_object_identifier.has_value())
        c.fail(std::string(path), std::string("must set exactly one of ExtendedKeyUsageType or "
                                              "ExtendedKeyUsageObjectIdentifier; got ") +
                                      (e.extended_key_usage_type ? "both" : "none"));
    if (e.extended_key_usage_object_identifier)
        c.oid(types::detail::member(path, "ExtendedKeyUsageObjectIdentifier"), *e.extended_key_usage_object_identifier);
}

/// Qualifier: CpsUri at most 256.
inline void validate(const qualifier& q, std::string_view path = "Qualifier") {
    types::detail::invalid_args_check.text(types::detail::member(path, "CpsUri"), q.cps_uri, 0, 256);
}

/// PolicyQualifierInfo: the qualifier (PolicyQualifierId is an enum and always valid).
inline void validate(const policy_qualifier_info& p, std::string_view path = "PolicyQualifierInfo") {
    validate(p.qualifier, types::detail::member(path, "Qualifier"));
}

/// PolicyInformation: CertPolicyId is a CustomObjectIdentifier; PolicyQualifiers 1..20.
inline void validate(const policy_information& p, std::string_view path = "PolicyInformation") {
    const auto& c = types::detail::invalid_args_check;
    c.oid(types::detail::member(path, "CertPolicyId"), p.cert_policy_id);
    if (p.policy_qualifiers) {
        const std::string q = types::detail::member(path, "PolicyQualifiers");
        c.list(q, *p.policy_qualifiers, 1, 20);
        for (std::size_t i = 0; i < p.policy_qualifiers->size(); ++i)
            validate((*p.policy_qualifiers)[i], types::detail::element(q, i));
    }
}

/// CustomExtension: ObjectIdentifier is a CustomObjectIdentifier; Value is base64, 1..4096.
inline void validate(const custom_extension& e, std::string_view path = "CustomExtension") {
    const auto& c = types::detail::invalid_args_check;
    c.oid(types::detail::member(path, "ObjectIdentifier"), e.object_identifier);
    const std::string v = types::detail::member(path, "Value");
    c.text(v, e.value, 1, 4096);
    if (!is_valid_base64(e.value)) c.fail(v, "must be padded base64 (A-Z a-z 0-9 + /, '=' padding), got " + types::detail::quote(e.value));
}

/// Extensions: CertificatePolicies 1..20, ExtendedKeyUsage 1..20, SubjectAlternativeNames 1..150,
/// CustomExtensions 1..150, and every entry.
inline void validate(const extensions& x, std::string_view path = "Extensions") {
    const auto& c = types::detail::invalid_args_check;
    auto each = [&](const auto& list, const char* name, std::size_t min, std::size_t max) {
        if (!list) return;
        const std::string p = types::detail::member(path, name);
        c.list(p, *list, min, max);
        for (std::size_t i = 0; i < list->size(); ++i) validate((*list)[i], types::detail::element(p, i));
    };
    each(x.certificate_policies, "CertificatePolicies", 1, 20);
    each(x.extended_key_usage, "ExtendedKeyUsage", 1, 20);
    if (x.key_usage) validate(*x.key_usage, types::detail::member(path, "KeyUsage"));
    each(x.subject_alternative_names, "SubjectAlternativeNames", 1, 150);
    each(x.custom_extensions, "CustomExtensions", 1, 150);
}

/// ApiPassthrough: Extensions and Subject.
inline void validate(const api_passthrough& a, std::string_view path = "ApiPassthrough") {
    if (a.extensions) validate(*a.extensions, types::detail::member(path, "Extensions"));
    if (a.subject) validate(*a.subject, types::detail::member(path, "Subject"));
}

/// AccessMethod: exactly one of CustomObjectIdentifier or AccessMethodType ("Providing both
/// results in InvalidArgsException"; none names no method).
inline void validate(const access_method& m, std::string_view path = "AccessMethod") {
    const auto& c = types::detail::invalid_args_check;
    if (m.custom_object_identifier.has_value() == m.access_method_type.has_value())
        c.fail(std::string(path), std::string("must set exactly one of CustomObjectIdentifier or AccessMethodType; got ") +
                                      (m.access_method_type ? "both" : "none"));
    if (m.custom_object_identifier) c.oid(types::detail::member(path, "CustomObjectIdentifier"), *m.custom_object_identifier);
}

/// AccessDescription: AccessMethod and AccessLocation (a GeneralName).
inline void validate(const access_description& a, std::string_view path = "AccessDescription") {
    validate(a.access_method, types::detail::member(path, "AccessMethod"));
    validate(a.access_location, types::detail::member(path, "AccessLocation"));
}

/// CsrExtensions: KeyUsage and every SubjectInformationAccess entry (the list has no limits).
inline void validate(const csr_extensions& x, std::string_view path = "CsrExtensions") {
    if (x.key_usage) validate(*x.key_usage, types::detail::member(path, "KeyUsage"));
    if (x.subject_information_access) {
        const std::string p = types::detail::member(path, "SubjectInformationAccess");
        for (std::size_t i = 0; i < x.subject_information_access->size(); ++i)
            validate((*x.subject_information_access)[i], types::detail::element(p, i));
    }
}

/// CertificateAuthorityConfiguration: Subject and CsrExtensions. KeyAlgorithm/SigningAlgorithm
/// pairing and algorithm support are the policy layer's (DESIGN.md "Layers").
inline void validate(const certificate_authority_configuration& c,
                     std::string_view path = "CertificateAuthorityConfiguration") {
    validate(c.subject, types::detail::member(path, "Subject"));
    if (c.csr_extensions) validate(*c.csr_extensions, types::detail::member(path, "CsrExtensions"));
}

/// CrlDistributionPointExtensionConfiguration: OmitExtension is a required boolean; nothing
/// more on its own (OmitExtension vs CustomCname is checked by CrlConfiguration).
inline void validate(const crl_distribution_point_extension_configuration&,
                     std::string_view = "CrlDistributionPointExtensionConfiguration") {}

/// CrlConfiguration. Disabled: only Enabled=false may be present. Enabled: S3BucketName is
/// required and follows the S3 bucket naming rules; ExpirationInDays 1..5000; CustomCname a
/// CnameString without protocol prefix; OmitExtension=true not with CustomCname; CustomPath a
/// CrlPathString.
inline void validate(const crl_configuration& x, std::string_view path = "CrlConfiguration") {
    const auto& c = types::detail::invalid_args_check;
    if (!x.enabled) {
        // "A configuration disabling CRLs must contain only the Enabled=False parameter."
        auto only_enabled = [&](bool present, const char* name) {
            if (present)
                c.fail(types::detail::member(path, name),
                       "must not be set when Enabled is false (a disabled CrlConfiguration contains only Enabled=false)");
        };
        only_enabled(x.expiration_in_days.has_value(), "ExpirationInDays");
        only_enabled(x.custom_cname.has_value(), "CustomCname");
        only_enabled(x.s3_bucket_name.has_value(), "S3BucketName");
        only_enabled(x.s3_object_acl.has_value(), "S3ObjectAcl");
        only_enabled(x.crl_distribution_point_extension_configuration.has_value(),
                     "CrlDistributionPointExtensionConfiguration");
        only_enabled(x.crl_type.has_value(), "CrlType");
        only_enabled(x.custom_path.has_value(), "CustomPath");
        return;
    }
    if (x.expiration_in_days && (*x.expiration_in_days < 1 || *x.expiration_in_days > 5000))
        c.fail(types::detail::member(path, "ExpirationInDays"),
               "must be 1 to 5000 (Integer1To5000), got " + std::to_string(*x.expiration_in_days));
    c.cname(types::detail::member(path, "CustomCname"), x.custom_cname);
    const std::string bucket = types::detail::member(path, "S3BucketName");
    if (!x.s3_bucket_name) c.fail(bucket, "is required when Enabled is true");
    std::string why;
    if (!is_valid_s3_bucket_name(*x.s3_bucket_name, &why))
        c.fail(bucket, "must follow the S3 bucket naming rules: " + why + "; got " + types::detail::quote(*x.s3_bucket_name));
    if (x.crl_distribution_point_extension_configuration) {
        const std::string p = types::detail::member(path, "CrlDistributionPointExtensionConfiguration");
        validate(*x.crl_distribution_point_extension_configuration, p);
        // "This configuration cannot be enabled with a custom CNAME set."
        if (x.crl_distribution_point_extension_configuration->omit_extension && x.custom_cname)
            c.fail(types::detail::member(p, "OmitExtension"), "cannot be true when CustomCname is set");
    }
    if (x.custom_path) {
        const std::string p = types::detail::member(path, "CustomPath");
        c.text(p, *x.custom_path, 0, 253);
        if (!is_valid_crl_path(*x.custom_path))
            c.fail(p, "must be '/' or segments of letters, digits and -;?:@&=+$,%_.!~*()' joined by single slashes, got " +
                          types::detail::quote(*x.custom_path));
    }
}

/// OcspConfiguration. Disabled: only Enabled=false. OcspCustomCname a CnameString without
/// protocol prefix.
inline void validate(const ocsp_configuration& x, std::string_view path = "OcspConfiguration") {
    const auto& c = types::detail::invalid_args_check;
    if (!x.enabled && x.ocsp_custom_cname)
        c.fail(types::detail::member(path, "OcspCustomCname"),
               "must not be set when Enabled is false (a disabled OcspConfiguration contains only Enabled=false)");
    c.cname(types::detail::member(path, "OcspCustomCname"), x.ocsp_custom_cname);
}

/// RevocationConfiguration: CrlConfiguration and OcspConfiguration.
inline void validate(const revocation_configuration& r, std::string_view path = "RevocationConfiguration") {
    if (r.crl_configuration) validate(*r.crl_configuration, types::detail::member(path, "CrlConfiguration"));
    if (r.ocsp_configuration) validate(*r.ocsp_configuration, types::detail::member(path, "OcspConfiguration"));
}

// ---------------------------------------------------------------------------------------------
// Tags -> InvalidTagException / TooManyTagsException
// ---------------------------------------------------------------------------------------------

/// Tag: Key 1..128 and Value 0..256, both of [\p{L}\p{Z}\p{N}_.:/=+\-@].
inline void validate(const tag& t, std::string_view path = "Tag") {
    const auto& c = types::detail::invalid_tag_check;
    auto chars = [&](const std::string& p, std::string_view s) {
        types::detail::for_each_code_point(s, [&](char32_t cp) {
            if (!is_tag_char(cp))
                c.fail(p, "may contain only letters, numbers, spaces and _ . : / = + - @; " + types::detail::code_point_name(cp) +
                              " is not allowed in " + types::detail::quote(s));
            return true;
        });
    };
    const std::string k = types::detail::member(path, "Key");
    c.text(k, t.key, 1, 128);
    chars(k, t.key);
    if (t.value) {
        const std::string v = types::detail::member(path, "Value");
        c.text(v, *t.value, 0, 256);
        chars(v, *t.value);
    }
}

/// A TagList: 1..50 tags (more than 50 -> TooManyTagsException, none -> InvalidTagException),
/// each valid. Whether a CA ends up with more than 50 tags is the service layer's check.
inline void validate_tags(const std::vector<tag>& tags, std::string_view path = "Tags") {
    if (tags.size() > 50)
        throw too_many_tags_exception(std::string(path) + " has " + std::to_string(tags.size()) +
                                      " tags; a CA can have at most 50");
    if (tags.empty()) types::detail::invalid_tag_check.fail(std::string(path), "must have 1 to 50 tags, got 0");
    for (std::size_t i = 0; i < tags.size(); ++i) validate(tags[i], types::detail::element(path, i));
}

// ---------------------------------------------------------------------------------------------
// Output shapes -> ValidationException (their Arn -> InvalidArnException)
// ---------------------------------------------------------------------------------------------

namespace types::detail {
template <arn_kind K>
void check_arn(const std::string& path, std::string_view s) {
    try {
        (void)arn<K>::parse(s);
    } catch (const invalid_arn_exception& e) {
        throw invalid_arn_exception(path + " " + e.message());
    }
}
inline void check_account(const std::string& path, const std::optional<std::string>& a) {
    if (a && !is_valid_account_id(*a)) validation_check.fail(path, "must be 12 digits (AccountId), got " + quote(*a));
}
}  // namespace types::detail

/// Permission: CertificateAuthorityArn a CA ARN; Principal 1..128 without '*'; SourceAccount 12
/// digits; Actions 1..3; Policy 1..81920 of U+0009, U+000A, U+000D, U+0020..U+00FF.
inline void validate(const permission& p, std::string_view path = "Permission") {
    const auto& c = types::detail::validation_check;
    if (p.certificate_authority_arn)
        types::detail::check_arn<arn_kind::certificate_authority>(types::detail::member(path, "CertificateAuthorityArn"),
                                                           *p.certificate_authority_arn);
    if (p.principal) {
        const std::string pp = types::detail::member(path, "Principal");
        c.text(pp, *p.principal, 1, 128);  // pattern [^*]+ needs at least one character
        if (p.principal->find('*') != std::string::npos) c.fail(pp, "must not contain '*', got " + types::detail::quote(*p.principal));
    }
    types::detail::check_account(types::detail::member(path, "SourceAccount"), p.source_account);
    if (p.actions) c.list(types::detail::member(path, "Actions"), *p.actions, 1, 3);
    if (p.policy) {
        const std::string pp = types::detail::member(path, "Policy");
        c.text(pp, *p.policy, 1, 81920);
        types::detail::for_each_code_point(*p.policy, [&](char32_t cp) {
            if (!(cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0xFF)))
                c.fail(pp, "may contain only tab, newline, carriage return and U+0020..U+00FF; found " +
                               types::detail::code_point_name(cp));
            return true;
        });
    }
}

/// CertificateAuthority: Arn a CA ARN; OwnerAccount 12 digits; the nested configurations.
inline void validate(const certificate_authority& ca, std::string_view path = "CertificateAuthority") {
    if (ca.arn) types::detail::check_arn<arn_kind::certificate_authority>(types::detail::member(path, "Arn"), *ca.arn);
    types::detail::check_account(types::detail::member(path, "OwnerAccount"), ca.owner_account);
    if (ca.certificate_authority_configuration)
        validate(*ca.certificate_authority_configuration, types::detail::member(path, "CertificateAuthorityConfiguration"));
    if (ca.revocation_configuration)
        validate(*ca.revocation_configuration, types::detail::member(path, "RevocationConfiguration"));
}

}  // namespace pca
