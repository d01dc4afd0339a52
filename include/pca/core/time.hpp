// pca/core/time.hpp - UTC civil-time arithmetic and the injectable clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace pca {

/// Seconds since the Unix epoch, UTC. Every time value in pca is one of these.
using sys_seconds = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

/// A broken-down UTC time. Fields are not validated until is_valid().
struct civil_time {
    std::int64_t year = 1970;
    unsigned month = 1;  // 1..12
    unsigned day = 1;    // 1..31
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;

    friend bool operator==(const civil_time& a, const civil_time& b) noexcept {
        return a.year == b.year && a.month == b.month && a.day == b.day && a.hour == b.hour &&
               a.minute == b.minute && a.second == b.second;
    }
};

constexpr bool is_leap_year(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
    constexpr unsigned table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap_year(y)) ? 29u : (m >= 1 && m <= 12 ? table[m - 1] : 0u);
}

/// True when every field is in range (seconds 0..59: X.509 times have no leap second).
constexpr bool is_valid(const civil_time& t) noexcept {
    return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= days_in_month(t.year, t.month) &&
           t.hour <= 23 && t.minute <= 59 && t.second <= 59;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

constexpr civil_time civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    civil_time t;
    t.year = yoe + era * 400 + (m <= 2);
    t.month = m;
    t.day = d;
    return t;
}

constexpr sys_seconds to_sys_seconds(const civil_time& t) noexcept {
    return sys_seconds{std::chrono::seconds{days_from_civil(t.year, t.month, t.day) * 86400 +
                                            std::int64_t{t.hour} * 3600 + std::int64_t{t.minute} * 60 +
                                            std::int64_t{t.second}}};
}

constexpr civil_time to_civil(sys_seconds s) noexcept {
    const std::int64_t secs = s.time_since_epoch().count();
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    civil_time t = civil_from_days(days);
    t.hour = static_cast<unsigned>(rem / 3600);
    t.minute = static_cast<unsigned>(rem % 3600 / 60);
    t.second = static_cast<unsigned>(rem % 60);
    return t;
}

constexpr sys_seconds from_unix(std::int64_t seconds) noexcept { return sys_seconds{std::chrono::seconds{seconds}}; }
constexpr std::int64_t to_unix(sys_seconds t) noexcept { return t.time_since_epoch().count(); }

/// "2024-02-29T12:00:00Z" (for messages and docs; audit reports use their own form).
inline std::string to_iso8601(sys_seconds t) {
    const civil_time c = to_civil(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(c.year), c.month, c.day,
                  c.hour, c.minute, c.second);
    return buf;
}

/// The clock the service reads. Injected so that tests control time without sleeping.
class clock {
public:
    virtual ~clock() = default;
    /// Current UTC time with sub-second precision (CRL numbers use milliseconds).
    virtual std::chrono::system_clock::time_point now() const = 0;
    sys_seconds now_seconds() const { return std::chrono::time_point_cast<std::chrono::seconds>(now()); }
};

/// The real wall clock.
class system_clock final : public clock {
public:
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that only moves when told to; thread-safe.
class manual_clock final : public clock {
public:
    explicit manual_clock(std::chrono::system_clock::time_point start) : m_ns(start.time_since_epoch().count()) {}
    explicit manual_clock(sys_seconds start)
        : manual_clock(std::chrono::time_point_cast<std::chrono::system_clock::duration>(start)) {}

    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::time_point{std::chrono::system_clock::duration{m_ns.load()}};
    }
    void advance(std::chrono::system_clock::duration d) { m_ns += d.count(); }
    void set(std::chrono::system_clock::time_point t) { m_ns = t.time_since_epoch().count(); }

private:
    std::atomic<std::chrono::system_clock::duration::rep> m_ns;
};

}  // namespace pca
