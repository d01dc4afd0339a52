// pca/der/time.hpp - UTCTime and GeneralizedTime in the profile of RFC 5280 section 4.1.2.5.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pca/core/time.hpp"

namespace pca::der {

/// RFC 5280: dates through 2049 are encoded as UTCTime, dates from 2050 as GeneralizedTime.
constexpr bool needs_generalized_time(sys_seconds t) noexcept {
    const auto y = to_civil(t).year;
    return y < 1950 || y >= 2050;
}

namespace detail {
inline void append_digits(std::string& out, std::int64_t v, int width) {
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}
constexpr bool parse_digits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) noexcept {
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    out = v;
    return true;
}
}  // namespace detail

/// "YYMMDDHHMMSSZ"; only for years 1950..2049.
inline std::string format_utc_time(sys_seconds t) {
    const civil_time c = to_civil(t);
    std::string s;
    s.reserve(13);
    detail::append_digits(s, c.year % 100, 2);
    detail::append_digits(s, c.month, 2);
    detail::append_digits(s, c.day, 2);
    detail::append_digits(s, c.hour, 2);
    detail::append_digits(s, c.minute, 2);
    detail::append_digits(s, c.second, 2);
    s += 'Z';
    return s;
}

/// "YYYYMMDDHHMMSSZ"; years 0..9999.
inline std::string format_generalized_time(sys_seconds t) {
    const civil_time c = to_civil(t);
    std::string s;
    s.reserve(15);
    detail::append_digits(s, c.year, 4);
    detail::append_digits(s, c.month, 2);
    detail::append_digits(s, c.day, 2);
    detail::append_digits(s, c.hour, 2);
    detail::append_digits(s, c.minute, 2);
    detail::append_digits(s, c.second, 2);
    s += 'Z';
    return s;
}

/// Strict DER UTCTime: exactly YYMMDDHHMMSSZ, valid calendar fields; YY >= 50 is 19YY.
inline std::optional<sys_seconds> parse_utc_time(std::string_view s) {
    if (s.size() != 13 || s[12] != 'Z') return std::nullopt;
    unsigned yy, mo, d, h, mi, se;
    if (!detail::parse_digits(s, 0, 2, yy) || !detail::parse_digits(s, 2, 2, mo) ||
        !detail::parse_digits(s, 4, 2, d) || !detail::parse_digits(s, 6, 2, h) ||
        !detail::parse_digits(s, 8, 2, mi) || !detail::parse_digits(s, 10, 2, se))
        return std::nullopt;
    civil_time c{yy >= 50 ? 1900 + std::int64_t{yy} : 2000 + std::int64_t{yy}, mo, d, h, mi, se};
    if (!is_valid(c)) return std::nullopt;
    return to_sys_seconds(c);
}

/// Strict DER GeneralizedTime: exactly YYYYMMDDHHMMSSZ (no fraction, as RFC 5280 requires).
inline std::optional<sys_seconds> parse_generalized_time(std::string_view s) {
    if (s.size() != 15 || s[14] != 'Z') return std::nullopt;
    unsigned y, mo, d, h, mi, se;
    if (!detail::parse_digits(s, 0, 4, y) || !detail::parse_digits(s, 4, 2, mo) ||
        !detail::parse_digits(s, 6, 2, d) || !detail::parse_digits(s, 8, 2, h) ||
        !detail::parse_digits(s, 10, 2, mi) || !detail::parse_digits(s, 12, 2, se))
        return std::nullopt;
    civil_time c{std::int64_t{y}, mo, d, h, mi, se};
    if (!is_valid(c)) return std::nullopt;
    return to_sys_seconds(c);
}

}  // namespace pca::der
