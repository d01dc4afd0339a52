// pca/types/arn.hpp - acm-pca ARNs, typed by what they name.
//
// Three forms exist (spec/api-model.md section 2, spec/semantics.md sections 1.1 and 3):
//   arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>
//   arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<uuid>/certificate/<serial-hex>
//   arn:<partition>:acm-pca:::template/<Name>/V1
// Every one also satisfies the model's `Arn` shape: length 5..200 and the pattern
//   arn:[\w+=/,.@-]+:acm-pca:[\w+=/,.@-]*:[0-9]*:[\w+=,.@-]+(/[\w+=,.@-]+)*
// (full match; \w is [A-Za-z0-9_] as in Java's regex dialect).
//
// `arn<arn_kind::certificate>` and `arn<arn_kind::certificate_authority>` are unrelated types,
// so passing one where the other belongs does not compile; parse() checks the kind at run time
// and throws InvalidArnException saying why the text is not an ARN of that kind.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>

#include "pca/core/error.hpp"

namespace pca {

/// What an acm-pca ARN names.
enum class arn_kind { certificate_authority, certificate, certificate_template };

/// Human-readable name of an ARN kind, used in messages ("certificate authority ARN").
constexpr std::string_view to_string(arn_kind k) noexcept {
    switch (k) {
        case arn_kind::certificate_authority: return "certificate authority";
        case arn_kind::certificate: return "certificate";
        case arn_kind::certificate_template: return "certificate template";
    }
    return "unknown";
}

/// The partitions pca accepts in ARNs. The ISO partitions (aws-iso*) are not supported.
inline constexpr std::string_view known_partitions[] = {"aws", "aws-cn", "aws-us-gov"};

constexpr bool is_known_partition(std::string_view p) noexcept {
    for (std::string_view k : known_partitions)
        if (k == p) return true;
    return false;
}

/// The partition a region belongs to: cn-* -> aws-cn, us-gov-* -> aws-us-gov, otherwise aws.
constexpr std::string_view partition_for_region(std::string_view region) noexcept {
    if (region.substr(0, 3) == "cn-") return "aws-cn";
    if (region.substr(0, 7) == "us-gov-") return "aws-us-gov";
    return "aws";
}

namespace types::detail {

constexpr bool is_ascii_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_ascii_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_ascii_alpha(char c) noexcept { return is_ascii_lower(c) || (c >= 'A' && c <= 'Z'); }
constexpr bool is_hex_digit(char c) noexcept {
    return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr char to_ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool all_of(std::string_view s, bool (*pred)(char) noexcept) noexcept {
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

// Java's \w: [A-Za-z0-9_].
constexpr bool is_word_char(char c) noexcept { return is_ascii_alpha(c) || is_ascii_digit(c) || c == '_'; }
// The model's Arn character classes: [\w+=/,.@-] (partition, region) and [\w+=,.@-] (resource segments).
constexpr bool is_arn_field_char(char c) noexcept {
    return is_word_char(c) || c == '+' || c == '=' || c == '/' || c == ',' || c == '.' || c == '@' || c == '-';
}
constexpr bool is_arn_segment_char(char c) noexcept { return c != '/' && is_arn_field_char(c); }

inline std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_ascii_lower(c);
    return out;
}

// Splits at the first `sep`; returns false when there is none.
constexpr bool split_once(std::string_view s, char sep, std::string_view& head, std::string_view& tail) noexcept {
    const std::size_t i = s.find(sep);
    if (i == std::string_view::npos) return false;
    head = s.substr(0, i);
    tail = s.substr(i + 1);
    return true;
}

}  // namespace types::detail

/// True when `arn` satisfies the model's `Arn` shape: length 5..200 and the (full-match) pattern
/// arn:[\w+=/,.@-]+:acm-pca:[\w+=/,.@-]*:[0-9]*:[\w+=,.@-]+(/[\w+=,.@-]+)*
/// None of the character classes contains ':', so the fields split deterministically.
constexpr bool matches_arn_pattern(std::string_view arn) noexcept {
    if (arn.size() < 5 || arn.size() > 200) return false;
    std::string_view f[6] = {};
    std::string_view rest = arn;
    for (int i = 0; i < 5; ++i)
        if (!types::detail::split_once(rest, ':', f[i], rest)) return false;
    f[5] = rest;
    if (f[0] != "arn" || f[2] != "acm-pca") return false;
    if (f[1].empty() || !types::detail::all_of(f[1], types::detail::is_arn_field_char)) return false;
    if (!types::detail::all_of(f[3], types::detail::is_arn_field_char)) return false;
    if (!types::detail::all_of(f[4], types::detail::is_ascii_digit)) return false;
    // [\w+=,.@-]+(/[\w+=,.@-]+)* : non-empty segments separated by single slashes.
    if (f[5].empty() || f[5].front() == '/' || f[5].back() == '/') return false;
    char prev = '\0';
    for (char c : f[5]) {
        if (c == '/' && prev == '/') return false;
        if (c != '/' && !types::detail::is_arn_segment_char(c)) return false;
        prev = c;
    }
    return true;
}

/// A commercial-style region name: two lowercase letters, one or more lowercase words, and a
/// 1-2 digit number, joined by hyphens ("us-east-1", "us-gov-west-1", "cn-northwest-1").
constexpr bool is_valid_region(std::string_view r) noexcept {
    std::string_view part{}, rest = r;
    if (!types::detail::split_once(rest, '-', part, rest)) return false;
    if (part.size() != 2 || !types::detail::all_of(part, types::detail::is_ascii_lower)) return false;
    int words = 0;
    while (types::detail::split_once(rest, '-', part, rest)) {
        if (part.empty() || !types::detail::all_of(part, types::detail::is_ascii_lower)) return false;
        ++words;
    }
    // `rest` is now the number.
    return words >= 1 && !rest.empty() && rest.size() <= 2 && types::detail::all_of(rest, types::detail::is_ascii_digit);
}

/// The model's AccountId shape: exactly 12 digits.
constexpr bool is_valid_account_id(std::string_view a) noexcept {
    return a.size() == 12 && types::detail::all_of(a, types::detail::is_ascii_digit);
}

/// 8-4-4-4-12 hex digits, either case (pca emits lowercase).
constexpr bool is_valid_uuid(std::string_view u) noexcept {
    if (u.size() != 36) return false;
    for (std::size_t i = 0; i < u.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? u[i] != '-' : !types::detail::is_hex_digit(u[i])) return false;
    }
    return true;
}

/// A certificate serial as it appears in a certificate ARN: 1..40 hex digits (at most 20 octets,
/// RFC 5280 4.1.2.2), either case, no separators.
constexpr bool is_valid_arn_serial(std::string_view s) noexcept {
    return !s.empty() && s.size() <= 40 && types::detail::all_of(s, types::detail::is_hex_digit);
}

/// A template name in a template ARN: one resource segment of the Arn pattern, [\w+=,.@-]+.
constexpr bool is_valid_template_name(std::string_view n) noexcept {
    return !n.empty() && types::detail::all_of(n, types::detail::is_arn_segment_char);
}

namespace types::detail {

struct arn_parts {
    std::string partition, region, account, ca_id, serial, name;
};

inline std::string quote_arn(std::string_view s) {
    // ARNs in messages are cut at 220 bytes and stripped of control characters.
    std::string out = "'";
    for (std::size_t i = 0; i < s.size() && i < 220; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        out.push_back(c < 0x20 || c == 0x7f ? '?' : s[i]);
    }
    if (s.size() > 220) out += "...";
    return out + "'";
}

// Parses `text` as an ARN of kind `kind`. On failure returns false and, when `why` is given,
// stores the reason.
inline bool parse_arn(std::string_view text, arn_kind kind, arn_parts& out, std::string* why) {
    auto fail = [&](std::string reason) {
        if (why) *why = std::move(reason);
        return false;
    };
    if (text.size() < 5 || text.size() > 200)
        return fail("an ARN must be 5 to 200 characters long, got " + std::to_string(text.size()));

    std::string_view f[6] = {};
    std::string_view rest = text;
    for (int i = 0; i < 5; ++i)
        if (!split_once(rest, ':', f[i], rest))
            return fail("an ARN has six ':'-separated fields (arn:partition:service:region:account:resource)");
    f[5] = rest;

    if (f[0] != "arn") return fail("an ARN starts with 'arn:'");
    if (!is_known_partition(f[1]))
        return fail("unknown partition '" + std::string(f[1].substr(0, 32)) + "' (expected aws, aws-cn or aws-us-gov)");
    if (f[2] != "acm-pca") return fail("service must be 'acm-pca', got '" + std::string(f[2].substr(0, 32)) + "'");

    arn_parts p;
    p.partition = std::string(f[1]);
    const std::string_view region = f[3], account = f[4], resource = f[5];

    if (kind == arn_kind::certificate_template) {
        // arn:<partition>:acm-pca:::template/<Name>/V1 - region and account are empty.
        if (!region.empty()) return fail("a template ARN has an empty region, got '" + std::string(region.substr(0, 32)) + "'");
        if (!account.empty()) return fail("a template ARN has an empty account, got '" + std::string(account.substr(0, 32)) + "'");
        std::string_view type, name, version;
        if (!split_once(resource, '/', type, rest) || type != "template" || !split_once(rest, '/', name, version))
            return fail("resource must be 'template/<Name>/V1'");
        if (!is_valid_template_name(name))
            return fail("template name must be one or more of [A-Za-z0-9_+=,.@-], got '" + std::string(name.substr(0, 64)) + "'");
        if (version != "V1") return fail("template version must be 'V1', got '" + std::string(version.substr(0, 32)) + "'");
        p.name = std::string(name);
    } else {
        if (region.empty()) return fail("region is empty");
        if (!is_valid_region(region)) return fail("bad region '" + std::string(region.substr(0, 32)) + "'");
        if (partition_for_region(region) != f[1])
            return fail("region '" + std::string(region) + "' belongs to partition '" +
                        std::string(partition_for_region(region)) + "', not '" + std::string(f[1]) + "'");
        if (!is_valid_account_id(account)) return fail("account must be 12 digits, got '" + std::string(account.substr(0, 32)) + "'");
        p.region = std::string(region);
        p.account = std::string(account);

        std::string_view type, id;
        const char* expected = kind == arn_kind::certificate_authority
                                   ? "resource must be 'certificate-authority/<uuid>'"
                                   : "resource must be 'certificate-authority/<uuid>/certificate/<serial>'";
        if (!split_once(resource, '/', type, rest) || type != "certificate-authority") return fail(expected);
        std::string_view tail;
        const bool has_tail = split_once(rest, '/', id, tail);
        if (!has_tail) id = rest;
        if (!is_valid_uuid(id)) return fail("certificate authority id must be a UUID, got '" + std::string(id.substr(0, 40)) + "'");
        p.ca_id = lowercase(id);
        if (kind == arn_kind::certificate_authority) {
            if (has_tail) return fail(std::string(expected) + "; this names something under a certificate authority");
        } else {
            std::string_view word, serial;
            if (!has_tail || !split_once(tail, '/', word, serial) || word != "certificate") return fail(expected);
            if (!is_valid_arn_serial(serial))
                return fail("certificate serial must be 1 to 40 hex digits, got '" + std::string(serial.substr(0, 48)) + "'");
            p.serial = lowercase(serial);
        }
    }
    // Every rule above is narrower than the model's pattern; this is a backstop.
    if (!matches_arn_pattern(text)) return fail("does not match the model's Arn pattern");
    out = std::move(p);
    return true;
}

inline std::string format_arn(const arn_parts& p, arn_kind kind) {
    std::string s;  // one allocation (every facade call formats one or two ARNs)
    s.reserve(64 + p.partition.size() + p.region.size() + p.account.size() + p.ca_id.size() + p.serial.size() + p.name.size());
    s.append("arn:").append(p.partition).append(":acm-pca:");
    if (kind == arn_kind::certificate_template) return s.append("::template/").append(p.name).append("/V1");
    s.append(p.region).append(":").append(p.account).append(":certificate-authority/").append(p.ca_id);
    if (kind == arn_kind::certificate) s.append("/certificate/").append(p.serial);
    return s;
}

}  // namespace types::detail

/// An acm-pca ARN of kind K. Always valid: the only ways to get one are parse() and the make_*
/// factories. The text is kept in canonical form (UUID and serial in lowercase).
template <arn_kind K>
class arn {
public:
    static constexpr arn_kind kind = K;

    /// Parses `text`; throws InvalidArnException naming the reason when it is not an ARN of kind K.
    static arn parse(std::string_view text) {
        types::detail::arn_parts p;
        std::string why;
        if (!types::detail::parse_arn(text, K, p, &why))
            throw invalid_arn_exception(types::detail::quote_arn(text) + " is not a valid " + std::string(to_string(K)) +
                                        " ARN: " + why);
        return arn(std::move(p));
    }

    /// Like parse(), but returns nullopt instead of throwing.
    static std::optional<arn> try_parse(std::string_view text) {
        types::detail::arn_parts p;
        if (!types::detail::parse_arn(text, K, p, nullptr)) return std::nullopt;
        return arn(std::move(p));
    }

    const std::string& str() const noexcept { return m_str; }
    const std::string& partition() const noexcept { return m_parts.partition; }
    /// Empty for template ARNs.
    const std::string& region() const noexcept { return m_parts.region; }
    /// Empty for template ARNs.
    const std::string& account() const noexcept { return m_parts.account; }

    /// The CA's UUID, lowercase.
    const std::string& ca_id() const noexcept {
        static_assert(K != arn_kind::certificate_template, "a template ARN names no certificate authority");
        return m_parts.ca_id;
    }
    /// The serial number in lowercase hex without separators, as it appears in the ARN.
    const std::string& serial_hex() const noexcept {
        static_assert(K == arn_kind::certificate, "only certificate ARNs carry a serial");
        return m_parts.serial;
    }
    /// The template's name without the version ("EndEntityCertificate").
    const std::string& template_name() const noexcept {
        static_assert(K == arn_kind::certificate_template, "only template ARNs carry a template name");
        return m_parts.name;
    }
    /// The ARN of the CA that issued this certificate.
    arn<arn_kind::certificate_authority> certificate_authority_arn() const {
        static_assert(K == arn_kind::certificate, "only certificate ARNs name an issuing CA");
        types::detail::arn_parts p = m_parts;
        p.serial.clear();
        return arn<arn_kind::certificate_authority>(std::move(p));
    }

    friend bool operator==(const arn& a, const arn& b) noexcept { return a.m_str == b.m_str; }
    friend bool operator!=(const arn& a, const arn& b) noexcept { return a.m_str != b.m_str; }
    friend bool operator<(const arn& a, const arn& b) noexcept { return a.m_str < b.m_str; }
    friend std::ostream& operator<<(std::ostream& os, const arn& a) { return os << a.m_str; }

private:
    template <arn_kind>
    friend class arn;

    explicit arn(types::detail::arn_parts p) : m_parts(std::move(p)), m_str(types::detail::format_arn(m_parts, K)) {}

    types::detail::arn_parts m_parts;
    std::string m_str;
};

using ca_arn = arn<arn_kind::certificate_authority>;
using certificate_arn = arn<arn_kind::certificate>;
using template_arn = arn<arn_kind::certificate_template>;

/// The ARN of a CA: arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<ca_id>.
/// Throws InvalidArnException when a part is malformed or the region is not in the partition.
inline ca_arn make_ca_arn(std::string_view partition, std::string_view region, std::string_view account,
                          std::string_view ca_id) {
    return ca_arn::parse("arn:" + std::string(partition) + ":acm-pca:" + std::string(region) + ":" +
                         std::string(account) + ":certificate-authority/" + std::string(ca_id));
}

/// As above, with the partition derived from the region (partition_for_region).
inline ca_arn make_ca_arn(std::string_view region, std::string_view account, std::string_view ca_id) {
    return make_ca_arn(partition_for_region(region), region, account, ca_id);
}

/// The ARN of a certificate issued by `ca`; `serial_hex` is 1..40 hex digits without separators.
inline certificate_arn make_certificate_arn(const ca_arn& ca, std::string_view serial_hex) {
    return certificate_arn::parse(ca.str() + "/certificate/" + std::string(serial_hex));
}

/// arn:<partition>:acm-pca:::template/<name>/V1.
inline template_arn make_template_arn(std::string_view name, std::string_view partition = "aws") {
    return template_arn::parse("arn:" + std::string(partition) + ":acm-pca:::template/" + std::string(name) + "/V1");
}

/// Which kind of acm-pca ARN `text` is, or nullopt when it is none of them.
inline std::optional<arn_kind> classify_arn(std::string_view text) {
    types::detail::arn_parts p;
    for (arn_kind k : {arn_kind::certificate_authority, arn_kind::certificate, arn_kind::certificate_template})
        if (types::detail::parse_arn(text, k, p, nullptr)) return k;
    return std::nullopt;
}

}  // namespace pca

namespace std {
template <pca::arn_kind K>
struct hash<pca::arn<K>> {
    std::size_t operator()(const pca::arn<K>& a) const noexcept { return std::hash<std::string>{}(a.str()); }
};
}  // namespace std
