// Civil-time arithmetic against known dates.
#include <boost/test/unit_test.hpp>

#include "pca/core/time.hpp"

BOOST_AUTO_TEST_SUITE(core_time)

BOOST_AUTO_TEST_CASE(known_epochs_round_trip) {
    struct row {
        std::int64_t unix;
        pca::civil_time civil;
    };
    const row rows[] = {
        {0, {1970, 1, 1, 0, 0, 0}},
        {951782400, {2000, 2, 29, 0, 0, 0}},
        {2524607999, {2049, 12, 31, 23, 59, 59}},
        {2524608000, {2050, 1, 1, 0, 0, 0}},
        {-1, {1969, 12, 31, 23, 59, 59}},
        {253402300799, {9999, 12, 31, 23, 59, 59}},
    };
    for (const auto& r : rows) {
        BOOST_TEST(pca::to_unix(pca::to_sys_seconds(r.civil)) == r.unix);
        BOOST_TEST((pca::to_civil(pca::from_unix(r.unix)) == r.civil));
    }
}

BOOST_AUTO_TEST_CASE(validates_calendar_fields) {
    BOOST_TEST(pca::is_valid(pca::civil_time{2024, 2, 29, 0, 0, 0}));
    BOOST_TEST(!pca::is_valid(pca::civil_time{2023, 2, 29, 0, 0, 0}));
    BOOST_TEST(!pca::is_valid(pca::civil_time{1900, 2, 29, 0, 0, 0}));
    BOOST_TEST(pca::is_valid(pca::civil_time{2000, 2, 29, 0, 0, 0}));
    BOOST_TEST(!pca::is_valid(pca::civil_time{2024, 13, 1, 0, 0, 0}));
    BOOST_TEST(!pca::is_valid(pca::civil_time{2024, 4, 31, 0, 0, 0}));
    BOOST_TEST(!pca::is_valid(pca::civil_time{2024, 4, 30, 24, 0, 0}));
    BOOST_TEST(!pca::is_valid(pca::civil_time{2024, 4, 30, 23, 60, 0}));
    BOOST_TEST(!pca::is_valid(pca::civil_time{2024, 4, 30, 23, 59, 60}));
}

BOOST_AUTO_TEST_CASE(manual_clock_moves_only_when_told) {
    pca::manual_clock c(pca::from_unix(1700000000));
    BOOST_TEST(pca::to_unix(c.now_seconds()) == 1700000000);
    c.advance(std::chrono::minutes(5));
    BOOST_TEST(pca::to_unix(c.now_seconds()) == 1700000300);
}

BOOST_AUTO_TEST_SUITE_END()
