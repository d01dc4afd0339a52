// pca/types/validity.hpp - the model's Validity shape and its typed encodings.
//
// On the wire a validity is {Value: PositiveLong (int64 >= 1), Type: ValidityPeriodType}
// (service-2.json `Validity`). What Value means depends on Type (spec/semantics.md section 2):
//   END_DATE  the decimal digits of a UTC date: 12 digits UTCTime YYMMDDHHMMSS (YY >= 50 -> 19YY,
//             else 20YY) or 14 digits GeneralizedTime YYYYMMDDHHMMSS
//   ABSOLUTE  Unix epoch seconds
//   DAYS, MONTHS, YEARS  a span after the moment of issuance, in calendar units
// Each meaning is a distinct C++ type (validity::end_date, validity::absolute,
// validity::relative<validity::days|months|years>) that converts to and from the wire form and
// resolves to a time point. Every failure is InvalidArgsException naming the member.
// The choices the service leaves open are in docs/validity.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "pca/core/error.hpp"
#include "pca/core/time.hpp"
#include "pca/types/enums.hpp"

namespace pca {

/// The earliest and latest instants pca resolves a validity to: 0001-01-01T00:00:00Z and
/// 9999-12-31T23:59:59Z (the last instant X.509 GeneralizedTime can carry).
inline constexpr sys_seconds min_validity_time{std::chrono::seconds{-62135596800}};
inline constexpr sys_seconds max_validity_time{std::chrono::seconds{253402300799}};

/// How long the service backdates NotBefore when ValidityNotBefore is absent (60 minutes).
inline constexpr std::chrono::seconds default_not_before_backdate{3600};

/// Model shape `Validity`: the wire form. Both members are required by the model.
struct validity {
    std::int64_t value = 0;
    validity_period_type type = validity_period_type::end_date;

    struct end_date;  // Type END_DATE
    struct absolute;  // Type ABSOLUTE
    struct days;      // unit tags for relative<>
    struct months;
    struct years;
    template <class Unit>
    struct relative;  // Types DAYS, MONTHS, YEARS
};

inline bool operator==(const validity& a, const validity& b) noexcept {
    return a.value == b.value && a.type == b.type;
}
inline bool operator!=(const validity& a, const validity& b) noexcept { return !(a == b); }

namespace types::detail {

// Throws InvalidArgs with `path` followed by `rest` (which starts with ".Member ..." or " ...").
[[noreturn]] inline void validity_error(std::string_view path, const std::string& rest) {
    throw invalid_args_exception(std::string(path) + rest);
}

inline std::string format_iso(sys_seconds t) {
    const civil_time c = to_civil(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(c.year), c.month, c.day,
                  c.hour, c.minute, c.second);
    return buf;
}

// Value must be a PositiveLong (model: min 1).
inline void check_positive(const validity& v, std::string_view path) {
    if (v.value < 1)
        validity_error(path, ".Value must be at least 1 (PositiveLong), got " + std::to_string(v.value) + " for Type " +
                                 std::string(to_string(v.type)));
}

inline void check_type(const validity& v, validity_period_type expected, std::string_view path) {
    if (v.type != expected)
        validity_error(path, ".Type must be " + std::string(to_string(expected)) + ", got " + std::string(to_string(v.type)));
}

inline void check_in_range(sys_seconds t, std::string_view path, std::string_view what) {
    if (t > max_validity_time)
        validity_error(path, std::string(what) + " is after 9999-12-31T23:59:59Z, the last time X.509 can encode");
    if (t < min_validity_time) validity_error(path, std::string(what) + " is before 0001-01-01T00:00:00Z");
}

// Decodes END_DATE digits. 14 digits: GeneralizedTime YYYYMMDDHHMMSS. Up to 12 digits: UTCTime
// YYMMDDHHMMSS (an int64 drops the leading zeros of YY = 00..09, so 9..11 digits are UTCTime
// with those zeros restored). 13 or more than 14 digits: rejected.
inline sys_seconds decode_end_date(std::int64_t value, std::string_view path) {
    const std::string digits = std::to_string(value);
    if (value < 1) validity_error(path, ".Value must be at least 1 (PositiveLong), got " + digits + " for Type END_DATE");
    civil_time c;
    auto field = [&](std::size_t pos, std::size_t len, const std::string& d) {
        unsigned n = 0;
        for (std::size_t i = pos; i < pos + len; ++i) n = n * 10 + static_cast<unsigned>(d[i] - '0');
        return n;
    };
    std::string d;
    std::size_t off = 0;
    if (digits.size() == 14) {
        d = digits;
        c.year = field(0, 4, d);
        off = 4;
    } else if (digits.size() <= 12) {
        d = std::string(12 - digits.size(), '0') + digits;
        const unsigned yy = field(0, 2, d);
        c.year = yy >= 50 ? 1900 + yy : 2000 + yy;  // RFC 5280 4.1.2.5.1
        off = 2;
    } else {
        validity_error(path, ".Value " + digits + " is not an END_DATE: expected 12 digits (UTCTime YYMMDDHHMMSS) "
                                                  "or 14 digits (GeneralizedTime YYYYMMDDHHMMSS), got " +
                                 std::to_string(digits.size()));
    }
    c.month = field(off, 2, d);
    c.day = field(off + 2, 2, d);
    c.hour = field(off + 4, 2, d);
    c.minute = field(off + 6, 2, d);
    c.second = field(off + 8, 2, d);
    if (!is_valid(c)) {
        std::string why;
        if (c.month < 1 || c.month > 12) why = "month " + std::to_string(c.month) + " does not exist";
        else if (c.day < 1 || c.day > days_in_month(c.year, c.month))
            why = "day " + std::to_string(c.day) + " does not exist in " + std::to_string(c.year) + "-" +
                  (c.month < 10 ? "0" : "") + std::to_string(c.month);
        else if (c.hour > 23) why = "hour " + std::to_string(c.hour) + " is not 00..23";
        else if (c.minute > 59) why = "minute " + std::to_string(c.minute) + " is not 00..59";
        else why = "second " + std::to_string(c.second) + " is not 00..59";
        validity_error(path, ".Value " + digits + " is not a valid END_DATE: " + why);
    }
    return to_sys_seconds(c);
}

}  // namespace types::detail

/// Unit tags for validity::relative<Unit>; each knows its wire Type.
struct validity::days {
    static constexpr validity_period_type type = validity_period_type::days;
};
struct validity::months {
    static constexpr validity_period_type type = validity_period_type::months;
};
struct validity::years {
    static constexpr validity_period_type type = validity_period_type::years;
};

/// END_DATE: NotAfter is an explicit UTC time.
struct validity::end_date {
    sys_seconds at{};

    /// Decodes the wire Value (12-digit UTCTime or 14-digit GeneralizedTime digits).
    static end_date from_value(std::int64_t digits, std::string_view path = "Validity") {
        return end_date{types::detail::decode_end_date(digits, path)};
    }
    /// From the wire form; Type must be END_DATE.
    static end_date from_wire(const validity& v, std::string_view path = "Validity") {
        types::detail::check_type(v, validity_period_type::end_date, path);
        return from_value(v.value, path);
    }
    /// The wire Value: always the 14-digit GeneralizedTime form YYYYMMDDHHMMSS, which covers
    /// 1000..9999 without the UTCTime century window. Throws InvalidArgs for other years.
    std::int64_t value() const {
        const civil_time c = to_civil(at);
        if (c.year < 1000 || c.year > 9999)
            types::detail::validity_error("Validity", " END_DATE year " + std::to_string(c.year) + " cannot be written in 14 digits");
        return ((((c.year * 100 + c.month) * 100 + c.day) * 100 + c.hour) * 100 + c.minute) * 100 + c.second;
    }
    validity to_wire() const { return validity{value(), validity_period_type::end_date}; }
    operator validity() const { return to_wire(); }  // NOLINT(implicit): the typed form is a wire value

    /// NotAfter: the date itself (issued_at does not matter).
    sys_seconds resolve(sys_seconds /*issued_at*/, std::string_view path = "Validity") const {
        types::detail::check_in_range(at, path, " END_DATE " + types::detail::format_iso(at));
        return at;
    }

    friend bool operator==(const end_date& a, const end_date& b) noexcept { return a.at == b.at; }
    friend bool operator!=(const end_date& a, const end_date& b) noexcept { return a.at != b.at; }
};

/// ABSOLUTE: Value is Unix epoch seconds.
struct validity::absolute {
    sys_seconds at{};

    static absolute from_value(std::int64_t epoch_seconds, std::string_view path = "Validity") {
        if (epoch_seconds < 1)
            types::detail::validity_error(path, ".Value must be at least 1 (PositiveLong), got " + std::to_string(epoch_seconds) +
                                             " for Type ABSOLUTE");
        const absolute a{from_unix(epoch_seconds)};
        types::detail::check_in_range(a.at, path, ".Value " + std::to_string(epoch_seconds) + " (ABSOLUTE)");
        return a;
    }
    static absolute from_wire(const validity& v, std::string_view path = "Validity") {
        types::detail::check_type(v, validity_period_type::absolute, path);
        return from_value(v.value, path);
    }
    std::int64_t value() const noexcept { return to_unix(at); }
    validity to_wire() const noexcept { return validity{value(), validity_period_type::absolute}; }
    operator validity() const noexcept { return to_wire(); }  // NOLINT(implicit)

    sys_seconds resolve(sys_seconds /*issued_at*/, std::string_view path = "Validity") const {
        if (to_unix(at) < 1)
            types::detail::validity_error(path, " ABSOLUTE time must be at least 1 second after the epoch, got " +
                                             std::to_string(to_unix(at)));
        types::detail::check_in_range(at, path, " ABSOLUTE " + std::to_string(to_unix(at)));
        return at;
    }

    friend bool operator==(const absolute& a, const absolute& b) noexcept { return a.at == b.at; }
    friend bool operator!=(const absolute& a, const absolute& b) noexcept { return a.at != b.at; }
};

/// DAYS / MONTHS / YEARS: `count` calendar units after issuance. Months and years keep the time
/// of day and clamp the day to the end of the target month (Jan 31 + 1 MONTH -> Feb 28 or 29,
/// Feb 29 + 1 YEAR -> Feb 28). Days are exact 86400-second days (UTC has no leap seconds here).
template <class Unit>
struct validity::relative {
    static_assert(std::is_same_v<Unit, validity::days> || std::is_same_v<Unit, validity::months> ||
                      std::is_same_v<Unit, validity::years>,
                  "validity::relative<Unit>: Unit is validity::days, validity::months or validity::years");
    static constexpr validity_period_type type = Unit::type;

    std::int64_t count = 0;

    static relative from_wire(const validity& v, std::string_view path = "Validity") {
        types::detail::check_type(v, type, path);
        types::detail::check_positive(v, path);
        return relative{v.value};
    }
    validity to_wire() const noexcept { return validity{count, type}; }
    operator validity() const noexcept { return to_wire(); }  // NOLINT(implicit)

    /// NotAfter = issued_at + count units. InvalidArgs when count < 1 or the result would be
    /// after 9999-12-31T23:59:59Z (this also rules out any arithmetic overflow).
    sys_seconds resolve(sys_seconds issued_at, std::string_view path = "Validity") const {
        types::detail::check_positive(to_wire(), path);
        types::detail::check_in_range(issued_at, path, " issuance time " + std::to_string(to_unix(issued_at)));
        const auto too_late = [&] {
            types::detail::validity_error(path, ".Value " + std::to_string(count) + " " + std::string(to_string(type)) +
                                             " after " + types::detail::format_iso(issued_at) +
                                             " is after 9999-12-31T23:59:59Z, the last time X.509 can encode");
        };
        const std::int64_t start = to_unix(issued_at);
        if constexpr (std::is_same_v<Unit, validity::days>) {
            // Both bounds are within +-2.6e11, so the subtraction cannot overflow.
            if (count > (to_unix(max_validity_time) - start) / 86400) too_late();
            return from_unix(start + count * 86400);
        } else {
            civil_time c = to_civil(issued_at);
            // Months since year 0; years are at most 9999 here, so these stay far from overflow.
            const std::int64_t now_months = c.year * 12 + (c.month - 1);
            const std::int64_t max_months = std::int64_t{9999} * 12 + 11;
            const std::int64_t per_unit = std::is_same_v<Unit, validity::years> ? 12 : 1;
            if (count > (max_months - now_months) / per_unit) too_late();
            const std::int64_t target = now_months + count * per_unit;
            c.year = target / 12;
            c.month = static_cast<unsigned>(target % 12) + 1;
            const unsigned last = days_in_month(c.year, c.month);
            if (c.day > last) c.day = last;
            return to_sys_seconds(c);
        }
    }

    friend bool operator==(const relative& a, const relative& b) noexcept { return a.count == b.count; }
    friend bool operator!=(const relative& a, const relative& b) noexcept { return a.count != b.count; }
};

using validity_end_date = validity::end_date;
using validity_absolute = validity::absolute;
using validity_days = validity::relative<validity::days>;
using validity_months = validity::relative<validity::months>;
using validity_years = validity::relative<validity::years>;

/// Any one of the typed encodings, e.g. for std::visit.
using any_validity = std::variant<validity_end_date, validity_absolute, validity_days, validity_months, validity_years>;

/// The typed form of a wire validity; InvalidArgs (naming `path`) when Value does not fit Type.
inline any_validity to_typed(const validity& v, std::string_view path = "Validity") {
    switch (v.type) {
        case validity_period_type::end_date: return validity_end_date::from_wire(v, path);
        case validity_period_type::absolute: return validity_absolute::from_wire(v, path);
        case validity_period_type::days: return validity_days::from_wire(v, path);
        case validity_period_type::months: return validity_months::from_wire(v, path);
        case validity_period_type::years: return validity_years::from_wire(v, path);
    }
    types::detail::validity_error(path, ".Type has an unknown value " + std::to_string(static_cast<int>(v.type)));
}

/// The wire form of a typed validity.
inline validity to_wire(const any_validity& v) {
    return std::visit([](const auto& x) { return x.to_wire(); }, v);
}

/// Checks everything about `v` that does not depend on the issuance time: Value >= 1, END_DATE
/// digits form a real date, ABSOLUTE is not past 9999. InvalidArgsException otherwise.
inline void validate(const validity& v, std::string_view path = "Validity") { (void)to_typed(v, path); }

/// NotAfter for IssueCertificate's `Validity`, issued at `issued_at` (semantics.md section 2).
/// Does not compare with issued_at or the CA's own NotAfter: that is the policy layer's job.
inline sys_seconds resolve_not_after(const validity& v, sys_seconds issued_at, std::string_view path = "Validity") {
    return std::visit([&](const auto& x) { return x.resolve(issued_at, path); }, to_typed(v, path));
}

/// NotBefore for IssueCertificate's `ValidityNotBefore`. The service documents only Type ABSOLUTE
/// for this member; every other Type is refused with InvalidArgsException (docs/validity.md).
inline sys_seconds resolve_not_before(const validity& v, sys_seconds issued_at,
                                      std::string_view path = "ValidityNotBefore") {
    if (v.type != validity_period_type::absolute)
        types::detail::validity_error(path, ".Type must be ABSOLUTE (the only type the service documents for ValidityNotBefore), got " +
                                         std::string(to_string(v.type)));
    return validity_absolute::from_wire(v, path).resolve(issued_at, path);
}

/// NotBefore when ValidityNotBefore may be absent: the service's default is issuance minus 60 minutes.
inline sys_seconds resolve_not_before_or_default(const std::optional<validity>& v, sys_seconds issued_at,
                                                 std::string_view path = "ValidityNotBefore") {
    if (v) return resolve_not_before(*v, issued_at, path);
    return issued_at - default_not_before_backdate;
}

}  // namespace pca
