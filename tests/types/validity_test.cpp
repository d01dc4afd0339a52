// Validity resolves exactly as spec/semantics.md section 2 says: END_DATE digits (UTCTime and
// GeneralizedTime), ABSOLUTE epoch seconds, calendar DAYS/MONTHS/YEARS with month-end clamping;
// bad values are InvalidArgsException naming the member; nothing overflows.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <limits>
#include <string>
#include <variant>

#include "pca/types/validity.hpp"

namespace {

using pca::validity_period_type;

pca::sys_seconds at(std::int64_t y, unsigned mo, unsigned d, unsigned h = 0, unsigned mi = 0, unsigned s = 0) {
    pca::civil_time c;
    c.year = y;
    c.month = mo;
    c.day = d;
    c.hour = h;
    c.minute = mi;
    c.second = s;
    return pca::to_sys_seconds(c);
}

// ISO 8601 text, so that failures print readably.
std::string iso(pca::sys_seconds t) {
    const auto c = pca::to_civil(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02uZ", static_cast<long long>(c.year), c.month, c.day,
                  c.hour, c.minute, c.second);
    return buf;
}

std::string not_after(std::int64_t value, validity_period_type type, pca::sys_seconds issued) {
    return iso(pca::resolve_not_after(pca::validity{value, type}, issued));
}

const pca::sys_seconds issued = at(2020, 10, 12, 12, 34, 54);

template <class F>
void expect_invalid_args(F&& f, const std::string& needle) {
    try {
        f();
        BOOST_ERROR("no exception; expected InvalidArgsException mentioning '" << needle << "'");
    } catch (const pca::invalid_args_exception& e) {
        BOOST_TEST_INFO("message: " << e.what());
        BOOST_TEST(std::string(e.what()).find(needle) != std::string::npos);
    } catch (const pca::error& e) {
        BOOST_ERROR("wrong exception " << e.aws_name() << ": " << e.what());
    }
}

void expect_rejected(std::int64_t value, validity_period_type type, const std::string& needle,
                     pca::sys_seconds when = issued) {
    BOOST_TEST_CONTEXT(pca::to_string(type) << " " << value) {
        expect_invalid_args([&] { (void)pca::resolve_not_after(pca::validity{value, type}, when); }, needle);
    }
}

static_assert(pca::max_validity_time == pca::to_sys_seconds(pca::civil_time{9999, 12, 31, 23, 59, 59}));
static_assert(pca::min_validity_time == pca::to_sys_seconds(pca::civil_time{1, 1, 1, 0, 0, 0}));
static_assert(pca::validity_days::type == validity_period_type::days);
static_assert(pca::validity_years::type == validity_period_type::years);
static_assert(!std::is_same_v<pca::validity_days, pca::validity_months>);
static_assert(!std::is_convertible_v<pca::validity_days, pca::validity_months>);
static_assert(std::is_convertible_v<pca::validity_days, pca::validity>);
static_assert(std::is_convertible_v<pca::validity_end_date, pca::validity>);
static_assert(std::is_aggregate_v<pca::validity>);

}  // namespace

BOOST_AUTO_TEST_SUITE(types_validity)

BOOST_AUTO_TEST_CASE(end_date_utc_time_uses_the_1950_2049_window) {
    BOOST_TEST(not_after(491231235959, validity_period_type::end_date, issued) == "2049-12-31T23:59:59Z");
    BOOST_TEST(not_after(500101000000, validity_period_type::end_date, issued) == "1950-01-01T00:00:00Z");
    BOOST_TEST(not_after(991231235959, validity_period_type::end_date, issued) == "1999-12-31T23:59:59Z");
    BOOST_TEST(not_after(301231120000, validity_period_type::end_date, issued) == "2030-12-31T12:00:00Z");
    // An int64 drops the leading zero of YY 00..09: 050101000000 arrives as 50101000000.
    BOOST_TEST(not_after(50101000000, validity_period_type::end_date, issued) == "2005-01-01T00:00:00Z");
    BOOST_TEST(not_after(101000000, validity_period_type::end_date, issued) == "2000-01-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(end_date_generalized_time) {
    BOOST_TEST(not_after(20500101000000, validity_period_type::end_date, issued) == "2050-01-01T00:00:00Z");
    BOOST_TEST(not_after(20491231235959, validity_period_type::end_date, issued) == "2049-12-31T23:59:59Z");
    BOOST_TEST(not_after(20240229120000, validity_period_type::end_date, issued) == "2024-02-29T12:00:00Z");
    BOOST_TEST(not_after(99991231235959, validity_period_type::end_date, issued) == "9999-12-31T23:59:59Z");
    BOOST_TEST(not_after(10000101000000, validity_period_type::end_date, issued) == "1000-01-01T00:00:00Z");
    // issued_at does not matter for END_DATE.
    BOOST_TEST(not_after(20300101000000, validity_period_type::end_date, at(2000, 1, 1)) == "2030-01-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(end_date_rejects_impossible_dates_and_bad_lengths) {
    const auto t = validity_period_type::end_date;
    expect_rejected(0, t, "Validity.Value must be at least 1");
    expect_rejected(-20500101000000, t, "Validity.Value must be at least 1");
    expect_rejected(2050010100000, t, "expected 12 digits (UTCTime YYMMDDHHMMSS) or 14 digits");  // 13 digits
    expect_rejected(205001010000000, t, "got 15");
    expect_rejected(std::numeric_limits<std::int64_t>::max(), t, "got 19");
    expect_rejected(20230230000000, t, "Validity.Value 20230230000000 is not a valid END_DATE: day 30 does not exist in 2023-02");
    expect_rejected(20230229000000, t, "day 29 does not exist in 2023-02");
    expect_rejected(21000229000000, t, "day 29 does not exist in 2100-02");  // 2100 is not a leap year
    expect_rejected(20231301000000, t, "month 13 does not exist");
    expect_rejected(20230001000000, t, "month 0 does not exist");
    expect_rejected(20230100000000, t, "day 0 does not exist");
    expect_rejected(20230101240000, t, "hour 24");
    expect_rejected(20230101006000, t, "minute 60");
    expect_rejected(20230101000060, t, "second 60");  // no leap seconds in X.509
    expect_rejected(231301000000, t, "month 13 does not exist");
    expect_rejected(230230000000, t, "day 30 does not exist in 2023-02");
    expect_rejected(1, t, "month 0 does not exist");  // 000000000001
    BOOST_TEST(not_after(20000229000000, t, issued) == "2000-02-29T00:00:00Z");  // 2000 is a leap year
}

BOOST_AUTO_TEST_CASE(absolute_is_epoch_seconds) {
    BOOST_TEST(not_after(2524608000, validity_period_type::absolute, issued) == "2050-01-01T00:00:00Z");
    BOOST_TEST(not_after(1, validity_period_type::absolute, issued) == "1970-01-01T00:00:01Z");
    BOOST_TEST(not_after(253402300799, validity_period_type::absolute, issued) == "9999-12-31T23:59:59Z");
    expect_rejected(0, validity_period_type::absolute, "Validity.Value must be at least 1");
    expect_rejected(-1, validity_period_type::absolute, "Validity.Value must be at least 1");
    expect_rejected(253402300800, validity_period_type::absolute, "after 9999-12-31T23:59:59Z");
    expect_rejected(std::numeric_limits<std::int64_t>::max(), validity_period_type::absolute, "after 9999-12-31T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(days_are_exact_days_from_issuance) {
    // The API reference's example (with its year typo fixed): 2020-10-12 12:34:54 + 90 DAYS.
    BOOST_TEST(not_after(90, validity_period_type::days, issued) == "2021-01-10T12:34:54Z");
    BOOST_TEST(not_after(1, validity_period_type::days, at(2024, 2, 28)) == "2024-02-29T00:00:00Z");
    BOOST_TEST(not_after(1, validity_period_type::days, at(2023, 2, 28)) == "2023-03-01T00:00:00Z");
    BOOST_TEST(not_after(366, validity_period_type::days, at(2020, 2, 26, 19, 39, 57)) == "2021-02-26T19:39:57Z");
    BOOST_TEST(not_after(1, validity_period_type::days, at(2023, 12, 31, 23, 59, 59)) == "2024-01-01T23:59:59Z");
}

BOOST_AUTO_TEST_CASE(months_clamp_to_the_end_of_the_month) {
    const auto m = validity_period_type::months;
    BOOST_TEST(not_after(1, m, at(2023, 1, 31, 10, 0, 0)) == "2023-02-28T10:00:00Z");
    BOOST_TEST(not_after(1, m, at(2024, 1, 31, 10, 0, 0)) == "2024-02-29T10:00:00Z");
    BOOST_TEST(not_after(1, m, at(2023, 3, 31)) == "2023-04-30T00:00:00Z");
    BOOST_TEST(not_after(2, m, at(2023, 12, 31)) == "2024-02-29T00:00:00Z");
    BOOST_TEST(not_after(1, m, at(2023, 12, 15, 8, 30, 0)) == "2024-01-15T08:30:00Z");
    BOOST_TEST(not_after(12, m, at(2024, 2, 29)) == "2025-02-28T00:00:00Z");
    BOOST_TEST(not_after(13, m, at(2024, 1, 31)) == "2025-02-28T00:00:00Z");
    BOOST_TEST(not_after(48, m, at(2024, 2, 29)) == "2028-02-29T00:00:00Z");
    BOOST_TEST(not_after(1, m, at(2023, 1, 30)) == "2023-02-28T00:00:00Z");
    BOOST_TEST(not_after(1, m, at(2023, 1, 28)) == "2023-02-28T00:00:00Z");
    BOOST_TEST(not_after(11, m, at(2023, 1, 31)) == "2023-12-31T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(years_clamp_february_29) {
    const auto y = validity_period_type::years;
    BOOST_TEST(not_after(1, y, at(2024, 2, 29, 23, 59, 59)) == "2025-02-28T23:59:59Z");
    BOOST_TEST(not_after(4, y, at(2024, 2, 29)) == "2028-02-29T00:00:00Z");
    BOOST_TEST(not_after(76, y, at(2024, 2, 29)) == "2100-02-28T00:00:00Z");
    BOOST_TEST(not_after(1, y, at(2020, 2, 26, 19, 39, 57)) == "2021-02-26T19:39:57Z");
    BOOST_TEST(not_after(10, y, issued) == "2030-10-12T12:34:54Z");
}

BOOST_AUTO_TEST_CASE(relative_values_must_be_positive) {
    for (auto t : {validity_period_type::days, validity_period_type::months, validity_period_type::years}) {
        expect_rejected(0, t, "Validity.Value must be at least 1 (PositiveLong), got 0");
        expect_rejected(-5, t, "Validity.Value must be at least 1 (PositiveLong), got -5");
        expect_rejected(std::numeric_limits<std::int64_t>::min(), t, "Validity.Value must be at least 1");
    }
}

BOOST_AUTO_TEST_CASE(huge_relative_values_do_not_overflow) {
    const auto max = std::numeric_limits<std::int64_t>::max();
    expect_rejected(9000000000000000000, validity_period_type::years, "after 9999-12-31T23:59:59Z");
    expect_rejected(max, validity_period_type::years, "after 9999-12-31T23:59:59Z");
    expect_rejected(max, validity_period_type::months, "after 9999-12-31T23:59:59Z");
    expect_rejected(max, validity_period_type::days, "after 9999-12-31T23:59:59Z");
    expect_rejected(max / 86400 + 1, validity_period_type::days, "after 9999-12-31T23:59:59Z");
    // The last representable year is reachable, one more is not.
    BOOST_TEST(not_after(7975, validity_period_type::years, at(2024, 6, 1)) == "9999-06-01T00:00:00Z");
    expect_rejected(7976, validity_period_type::years, "Validity.Value 7976 YEARS after 2024-06-01T00:00:00Z", at(2024, 6, 1));
    BOOST_TEST(not_after(7, validity_period_type::months, at(9999, 5, 31)) == "9999-12-31T00:00:00Z");
    expect_rejected(8, validity_period_type::months, "after 9999-12-31T23:59:59Z", at(9999, 5, 31));
    BOOST_TEST(not_after(1, validity_period_type::days, at(9999, 12, 30, 23, 59, 59)) == "9999-12-31T23:59:59Z");
    expect_rejected(1, validity_period_type::days, "after 9999-12-31T23:59:59Z", at(9999, 12, 31));
    // An out-of-range issuance time is refused rather than overflowing.
    expect_rejected(1, validity_period_type::days, "issuance time",
                    pca::sys_seconds{std::chrono::seconds{std::numeric_limits<std::int64_t>::min()}});
}

BOOST_AUTO_TEST_CASE(typed_forms_convert_to_and_from_the_wire) {
    const pca::validity v = pca::validity_days{90};
    BOOST_TEST((v == pca::validity{90, validity_period_type::days}));
    BOOST_TEST((pca::validity(pca::validity_months{6}) == pca::validity{6, validity_period_type::months}));
    BOOST_TEST((pca::validity(pca::validity_years{2}) == pca::validity{2, validity_period_type::years}));
    BOOST_TEST((pca::validity(pca::validity_absolute{pca::from_unix(2524608000)}) ==
                pca::validity{2524608000, validity_period_type::absolute}));
    // END_DATE is always written as 14-digit GeneralizedTime.
    BOOST_TEST(pca::validity_end_date{at(2049, 12, 31, 23, 59, 59)}.value() == 20491231235959);
    const pca::validity from_utc{491231235959, validity_period_type::end_date};
    BOOST_TEST(pca::validity_end_date::from_wire(from_utc).to_wire().value == 20491231235959);
    BOOST_TEST((pca::validity_end_date::from_wire(from_utc) == pca::validity_end_date{at(2049, 12, 31, 23, 59, 59)}));

    const auto typed = pca::to_typed(pca::validity{3, validity_period_type::months});
    BOOST_TEST(std::holds_alternative<pca::validity_months>(typed));
    BOOST_TEST(std::get<pca::validity_months>(typed).count == 3);
    BOOST_TEST((pca::to_wire(typed) == pca::validity{3, validity_period_type::months}));
    BOOST_TEST(std::holds_alternative<pca::validity_end_date>(pca::to_typed({20500101000000, validity_period_type::end_date})));
    BOOST_TEST(std::holds_alternative<pca::validity_absolute>(pca::to_typed({1, validity_period_type::absolute})));

    // Typed forms resolve like the wire form.
    BOOST_TEST(iso(pca::validity_months{1}.resolve(at(2023, 1, 31))) == "2023-02-28T00:00:00Z");
    BOOST_TEST(iso(pca::validity::relative<pca::validity::years>{1}.resolve(at(2024, 2, 29))) == "2025-02-28T00:00:00Z");

    // from_wire checks the Type.
    expect_invalid_args([] { (void)pca::validity_days::from_wire({5, validity_period_type::months}); },
                        "Validity.Type must be DAYS, got MONTHS");
    expect_invalid_args([] { (void)pca::validity_end_date::from_wire({5, validity_period_type::absolute}); },
                        "Validity.Type must be END_DATE, got ABSOLUTE");
    expect_invalid_args([] { (void)pca::validity_end_date{at(999, 1, 1)}.value(); }, "cannot be written in 14 digits");
    expect_invalid_args([] { (void)pca::validity_days{0}.resolve(issued); }, "Validity.Value must be at least 1");
}

BOOST_AUTO_TEST_CASE(validate_checks_what_does_not_depend_on_issuance) {
    BOOST_CHECK_NO_THROW(pca::validate(pca::validity{20500101000000, validity_period_type::end_date}));
    BOOST_CHECK_NO_THROW(pca::validate(pca::validity{9000000000000000000, validity_period_type::years}));
    expect_invalid_args([] { pca::validate(pca::validity{0, validity_period_type::days}); }, "Validity.Value");
    expect_invalid_args([] { pca::validate(pca::validity{20230230000000, validity_period_type::end_date}); },
                        "day 30 does not exist");
    expect_invalid_args(
        [] { pca::validate(pca::validity{0, validity_period_type::days}, "IssueCertificateRequest.Validity"); },
        "IssueCertificateRequest.Validity.Value must be at least 1");
    expect_invalid_args([] { pca::validate(pca::validity{1, static_cast<validity_period_type>(42)}); },
                        "Validity.Type has an unknown value 42");
}

BOOST_AUTO_TEST_CASE(not_before_accepts_absolute_only) {
    BOOST_TEST(iso(pca::resolve_not_before({2524608000, validity_period_type::absolute}, issued)) == "2050-01-01T00:00:00Z");
    BOOST_TEST(iso(pca::resolve_not_before({1, validity_period_type::absolute}, issued)) == "1970-01-01T00:00:01Z");
    for (auto t : {validity_period_type::end_date, validity_period_type::days, validity_period_type::months,
                   validity_period_type::years}) {
        BOOST_TEST_CONTEXT(pca::to_string(t)) {
            expect_invalid_args([&] { (void)pca::resolve_not_before({20500101000000, t}, issued); },
                                "ValidityNotBefore.Type must be ABSOLUTE");
        }
    }
    expect_invalid_args([] { (void)pca::resolve_not_before({0, validity_period_type::absolute}, issued); },
                        "ValidityNotBefore.Value must be at least 1");
    expect_invalid_args([] { (void)pca::resolve_not_before({253402300800, validity_period_type::absolute}, issued); },
                        "ValidityNotBefore.Value 253402300800 (ABSOLUTE) is after 9999-12-31T23:59:59Z");
    // Absent: the service backdates NotBefore by 60 minutes.
    BOOST_TEST(iso(pca::resolve_not_before_or_default(std::nullopt, issued)) == "2020-10-12T11:34:54Z");
    BOOST_TEST(iso(pca::resolve_not_before_or_default(pca::validity{1700000000, validity_period_type::absolute}, issued)) ==
               iso(pca::from_unix(1700000000)));
}

BOOST_AUTO_TEST_SUITE_END()
