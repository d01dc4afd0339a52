// The store contract (pca/storage/store.hpp), checked the same way against every store:
// memory_store (the reference) and sqlite_store. A store that passes behaves like the other
// for every method, including the error and "nothing changed" cases.
#include <boost/mpl/list.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "storage/store_fixtures.hpp"

namespace ts = pca::test::storage;
using pca::bytes;
using pca::from_unix;

namespace {
using store_kinds = boost::mpl::list<ts::memory_store_kind, ts::sqlite_store_kind>;

bytes serial_of(unsigned n) {
    return bytes{0x4a, static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                 static_cast<std::uint8_t>(n)};
}

pca::storage::idempotency_record token(const std::string& result, std::int64_t expires) {
    pca::storage::idempotency_record r;
    r.scope = "IssueCertificate|111122223333|arn:ca";
    r.token = "tok-1";
    r.result = result;
    r.request_fingerprint = "fp-" + result;
    r.expires_at = from_unix(expires);
    return r;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(storage_store_conformance)

BOOST_AUTO_TEST_CASE_TEMPLATE(inserted_ca_reads_back_member_for_member, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    const auto full = ts::full_ca("11111111-0000-0000-0000-000000000001");
    const auto minimal = ts::minimal_ca("11111111-0000-0000-0000-000000000002");
    s.insert_ca(full);
    s.insert_ca(minimal);
    auto a = s.find_ca(full.id);
    auto b = s.find_ca(minimal.id);
    BOOST_REQUIRE(a);
    BOOST_REQUIRE(b);
    ts::expect_same(*a, full);
    ts::expect_same(*b, minimal);
    BOOST_TEST(!s.find_ca("no-such-id"));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(inserting_an_existing_id_is_a_concurrent_modification, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    auto ca = ts::minimal_ca("dup");
    s.insert_ca(ca);
    auto other = ts::full_ca("dup");
    BOOST_CHECK_THROW(s.insert_ca(other), pca::concurrent_modification_exception);
    ts::expect_same(*s.find_ca("dup"), ca);  // the first one stays
}

BOOST_AUTO_TEST_CASE_TEMPLATE(update_bumps_version_and_refuses_a_stale_copy, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    auto first = *s.find_ca("ca");
    auto second = *s.find_ca("ca");
    first.status = pca::certificate_authority_status::active;
    s.update_ca(first);
    BOOST_TEST(first.version == 1u);
    ts::expect_same(*s.find_ca("ca"), first);

    second.status = pca::certificate_authority_status::disabled;
    BOOST_CHECK_THROW(s.update_ca(second), pca::concurrent_modification_exception);
    BOOST_TEST(second.version == 0u);  // unchanged on failure
    BOOST_TEST((s.find_ca("ca")->status == pca::certificate_authority_status::active));

    second = *s.find_ca("ca");
    second.tags = {pca::tag{"k", std::string("v")}};
    s.update_ca(second);
    BOOST_TEST(second.version == 2u);
    ts::expect_same(*s.find_ca("ca"), second);

    auto ghost = ts::minimal_ca("ghost");
    BOOST_CHECK_THROW(s.update_ca(ghost), pca::resource_not_found_exception);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(update_replaces_every_member, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    auto full = ts::full_ca("ca");
    s.update_ca(full);  // minimal -> full: every optional appears
    ts::expect_same(*s.find_ca("ca"), full);
    auto minimal = ts::minimal_ca("ca");
    minimal.version = full.version;
    minimal.crl_number = full.crl_number;  // (crl numbers never go back; see sqlite_store_test)
    s.update_ca(minimal);  // full -> minimal: every optional disappears
    ts::expect_same(*s.find_ca("ca"), minimal);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(list_cas_is_ordered_by_creation_time_then_id, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("c", 300));
    s.insert_ca(ts::minimal_ca("b", 100));
    s.insert_ca(ts::minimal_ca("a", 300));
    s.insert_ca(ts::minimal_ca("d", 200));
    std::vector<std::string> ids;
    for (const auto& ca : s.list_cas()) ids.push_back(ca.id);
    BOOST_TEST(ids == (std::vector<std::string>{"b", "d", "a", "c"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(erase_removes_the_ca_its_certificates_and_reports, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("gone"));
    s.insert_ca(ts::minimal_ca("kept"));
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("gone", serial_of(1))));
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("kept", serial_of(1))));
    pca::storage::audit_report_record r;
    r.ca_id = "gone";
    r.id = "r1";
    s.put_audit_report(r);
    r.ca_id = "kept";
    s.put_audit_report(r);

    s.erase_ca("gone");
    BOOST_TEST(!s.find_ca("gone"));
    BOOST_TEST(s.list_certificates("gone").empty());
    BOOST_TEST(s.count_certificates("gone") == 0u);
    BOOST_TEST(!s.find_certificate("gone", serial_of(1)));
    BOOST_TEST(!s.find_audit_report("gone", "r1"));
    BOOST_TEST(s.find_ca("kept").has_value());
    BOOST_TEST(s.count_certificates("kept") == 1u);
    BOOST_TEST(s.find_audit_report("kept", "r1").has_value());
    s.erase_ca("never-existed");  // not an error

    // The id can be used again and starts empty.
    s.insert_ca(ts::minimal_ca("gone"));
    BOOST_TEST(s.count_certificates("gone") == 0u);
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("gone", serial_of(1))));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(crl_numbers_strictly_increase_from_the_stored_number, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    auto ca = ts::minimal_ca("ca");
    ca.crl_number = 10;
    s.insert_ca(ca);
    std::int64_t last = 10;
    for (int i = 0; i < 20; ++i) {
        const auto n = s.next_crl_number("ca");
        BOOST_TEST(n == last + 1);
        last = n;
    }
    BOOST_TEST(s.find_ca("ca")->crl_number == last);
    BOOST_TEST(s.find_ca("ca")->version == 0u);  // not a CA update: no version bump
    BOOST_CHECK_THROW(s.next_crl_number("missing"), pca::resource_not_found_exception);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(crl_number_jumps_to_at_least_but_never_back, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    BOOST_TEST(s.next_crl_number("ca", 1'700'000'000'000) == 1'700'000'000'000);  // e.g. time in ms
    BOOST_TEST(s.next_crl_number("ca", 1'700'000'000'000) == 1'700'000'000'001);  // same ms: still +1
    BOOST_TEST(s.next_crl_number("ca", 5) == 1'700'000'000'002);                  // a clock going back
    BOOST_TEST(s.next_crl_number("ca") == 1'700'000'000'003);
    BOOST_TEST(s.find_ca("ca")->crl_number == 1'700'000'000'003);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(count_revoked_counts_each_revocation_once, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    s.insert_ca(ts::minimal_ca("other"));
    for (unsigned n = 0; n < 5; ++n) BOOST_TEST(s.reserve_certificate(ts::make_certificate("ca", serial_of(n), 100 + n)));
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("other", serial_of(0))));
    BOOST_TEST(s.count_revoked("ca") == 0u);
    BOOST_TEST(s.revoke_certificate("ca", serial_of(1), from_unix(50), pca::revocation_reason::superseded));
    BOOST_TEST(s.revoke_certificate("ca", serial_of(3), from_unix(50), pca::revocation_reason::superseded));
    BOOST_TEST(!s.revoke_certificate("ca", serial_of(3), from_unix(60), pca::revocation_reason::superseded));
    BOOST_TEST(s.revoke_certificate("other", serial_of(0), from_unix(50), pca::revocation_reason::superseded));
    BOOST_TEST(s.count_revoked("ca") == 2u);
    // Expired revoked certificates still count (list_revoked filters them, the count does not).
    BOOST_TEST(s.list_revoked("ca", from_unix(200)).empty());
    BOOST_TEST(s.count_revoked("ca") == 2u);
    BOOST_TEST(s.count_revoked("other") == 1u);
    BOOST_TEST(s.count_revoked("missing") == 0u);
    s.erase_ca("ca");
    BOOST_TEST(s.count_revoked("ca") == 0u);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(reserve_refuses_a_duplicate_serial_per_ca, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca1"));
    s.insert_ca(ts::minimal_ca("ca2"));
    auto first = ts::make_certificate("ca1", serial_of(7));
    BOOST_TEST(s.reserve_certificate(first));
    auto dup = ts::make_certificate("ca1", serial_of(7));
    dup.arn = "another arn";
    dup.subject_rfc2253 = "CN=someone else";
    BOOST_TEST(!s.reserve_certificate(dup));
    ts::expect_same(*s.find_certificate("ca1", serial_of(7)), first);  // nothing changed
    BOOST_TEST(s.count_certificates("ca1") == 1u);
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("ca2", serial_of(7))));  // per CA
    // Serials compare as bytes: a leading 0x00 makes a different serial value here.
    auto padded = serial_of(7);
    padded.insert(padded.begin(), 0x00);
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("ca1", padded)));
    BOOST_CHECK_THROW(s.reserve_certificate(ts::make_certificate("missing", serial_of(1))),
                      pca::resource_not_found_exception);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(pending_then_completed_certificate_round_trips, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    auto c = ts::make_certificate("ca", serial_of(1));
    c.service_principal = "acm.amazonaws.com";
    BOOST_TEST(s.reserve_certificate(c));
    auto pending = s.find_certificate("ca", serial_of(1));
    BOOST_REQUIRE(pending);
    BOOST_TEST(pending->certificate.empty());
    ts::expect_same(*pending, c);

    const bytes der = {0x30, 0x82, 0x01, 0x00, 0xaa};
    s.complete_certificate("ca", serial_of(1), der);
    c.certificate = der;
    ts::expect_same(*s.find_certificate("ca", serial_of(1)), c);
    BOOST_CHECK_THROW(s.complete_certificate("ca", serial_of(2), der), pca::resource_not_found_exception);
    BOOST_CHECK_THROW(s.complete_certificate("missing", serial_of(1), der), pca::resource_not_found_exception);
    BOOST_TEST(!s.find_certificate("ca", serial_of(2)));
    BOOST_TEST(!s.find_certificate("missing", serial_of(1)));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(abandon_drops_only_a_pending_unrevoked_reservation, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    for (unsigned n = 1; n <= 4; ++n) BOOST_TEST(s.reserve_certificate(ts::make_certificate("ca", serial_of(n))));
    const bytes der = {0x30, 0x03, 0x02, 0x01, 0x07};
    s.complete_certificate("ca", serial_of(1), der);
    BOOST_TEST(s.revoke_certificate("ca", serial_of(3), from_unix(1'700'100'000), pca::revocation_reason::superseded));
    BOOST_TEST(s.count_certificates("ca") == 4u);

    s.abandon_certificate("ca", serial_of(2));  // pending: dropped
    BOOST_TEST(!s.find_certificate("ca", serial_of(2)));
    BOOST_TEST(s.count_certificates("ca") == 3u);
    s.abandon_certificate("ca", serial_of(1));  // holds a certificate: kept
    BOOST_TEST(s.find_certificate("ca", serial_of(1))->certificate == der);
    s.abandon_certificate("ca", serial_of(3));  // revoked: kept
    BOOST_TEST(s.find_certificate("ca", serial_of(3)).has_value());
    s.abandon_certificate("ca", serial_of(9));       // unknown serial: nothing
    s.abandon_certificate("missing", serial_of(1));  // unknown CA: nothing
    BOOST_TEST(s.count_certificates("ca") == 3u);

    // Issuance order of the rest is kept, and every remaining serial is still found.
    std::vector<bytes> order;
    for (const auto& c : s.list_certificates("ca")) order.push_back(c.serial);
    BOOST_TEST((order == std::vector<bytes>{serial_of(1), serial_of(3), serial_of(4)}));
    for (unsigned n : {1u, 3u, 4u}) BOOST_TEST(s.find_certificate("ca", serial_of(n)).has_value());
    s.complete_certificate("ca", serial_of(4), der);  // a later reservation completes normally
    BOOST_TEST(s.find_certificate("ca", serial_of(4))->certificate == der);
    // The serial is free again.
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("ca", serial_of(2))));
    BOOST_TEST(s.count_certificates("ca") == 4u);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(revoking_twice_returns_false_and_keeps_the_first, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("ca", serial_of(1))));
    BOOST_TEST(s.revoke_certificate("ca", serial_of(1), from_unix(1'700'100'000),
                                    pca::revocation_reason::key_compromise));
    BOOST_TEST(!s.revoke_certificate("ca", serial_of(1), from_unix(1'700'200'000),
                                     pca::revocation_reason::superseded));
    const auto c = s.find_certificate("ca", serial_of(1));
    BOOST_TEST((c->revoked_at == from_unix(1'700'100'000)));
    BOOST_TEST((c->reason == pca::revocation_reason::key_compromise));
    BOOST_CHECK_THROW(s.revoke_certificate("ca", serial_of(9), from_unix(1), pca::revocation_reason::unspecified),
                      pca::resource_not_found_exception);
    BOOST_CHECK_THROW(
        s.revoke_certificate("missing", serial_of(1), from_unix(1), pca::revocation_reason::unspecified),
        pca::resource_not_found_exception);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(listings_keep_issuance_order_and_filter_revoked_by_not_after, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    s.insert_ca(ts::minimal_ca("other"));
    // Serials deliberately out of byte order, so issuance order is observable.
    const unsigned order[] = {5, 1, 9, 3, 7};
    for (unsigned i = 0; i < 5; ++i)
        BOOST_TEST(s.reserve_certificate(ts::make_certificate("ca", serial_of(order[i]), 1'800'000'000 + i * 100)));
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("other", serial_of(1))));
    s.complete_certificate("ca", serial_of(9), bytes{1, 2, 3});
    std::vector<bytes> got;
    for (const auto& c : s.list_certificates("ca")) got.push_back(c.serial);
    std::vector<bytes> want;
    for (unsigned n : order) want.push_back(serial_of(n));
    BOOST_TEST((got == want));
    BOOST_TEST(s.count_certificates("ca") == 5u);
    BOOST_TEST(s.list_certificates("missing").empty());

    // Revoke 9 (not_after +200), 3 (+300) and 5 (+0).
    for (unsigned n : {9u, 3u, 5u})
        BOOST_TEST(s.revoke_certificate("ca", serial_of(n), from_unix(1'700'000'100), pca::revocation_reason::superseded));
    auto revoked = [&](std::int64_t from) {
        std::vector<bytes> r;
        for (const auto& c : s.list_revoked("ca", from_unix(from))) r.push_back(c.serial);
        return r;
    };
    BOOST_TEST((revoked(0) == std::vector<bytes>{serial_of(5), serial_of(9), serial_of(3)}));
    BOOST_TEST((revoked(1'800'000'200) == std::vector<bytes>{serial_of(9), serial_of(3)}));  // at or after
    BOOST_TEST((revoked(1'800'000'201) == std::vector<bytes>{serial_of(3)}));
    BOOST_TEST(revoked(1'900'000'000).empty());
    BOOST_TEST(s.list_revoked("missing", from_unix(0)).empty());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(for_each_certificate_visits_in_issuance_order, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    s.insert_ca(ts::minimal_ca("other"));
    const unsigned order[] = {4, 2, 8, 6};
    for (unsigned n : order) {
        auto c = ts::make_certificate("ca", serial_of(n));
        if (n == 8) c.crl_partition = 3;
        BOOST_TEST(s.reserve_certificate(c));
        s.complete_certificate("ca", serial_of(n), bytes{0x30, 0x03, 0x02, 0x01, static_cast<std::uint8_t>(n)});
    }
    BOOST_TEST(s.reserve_certificate(ts::make_certificate("other", serial_of(1))));
    BOOST_TEST(s.revoke_certificate("ca", serial_of(2), from_unix(1'700'000'100), pca::revocation_reason::key_compromise));
    const auto listed = s.list_certificates("ca");
    for (bool with_der : {true, false}) {
        std::vector<pca::storage::certificate_record> seen;
        s.for_each_certificate("ca", [&](const pca::storage::certificate_record& c) { seen.push_back(c); }, with_der);
        BOOST_TEST_REQUIRE(seen.size() == listed.size());
        for (std::size_t i = 0; i < seen.size(); ++i) {
            BOOST_TEST((seen[i].serial == listed[i].serial));
            BOOST_TEST((seen[i].revoked_at == listed[i].revoked_at));
            BOOST_TEST((seen[i].reason == listed[i].reason));
            BOOST_TEST((seen[i].crl_partition == listed[i].crl_partition));
            BOOST_TEST(seen[i].subject_rfc2253 == listed[i].subject_rfc2253);
            if (with_der) BOOST_TEST((seen[i].certificate == listed[i].certificate));
        }
    }
    std::size_t n = 0;
    s.for_each_certificate("missing", [&](const pca::storage::certificate_record&) { ++n; });
    BOOST_TEST(n == 0u);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(audit_reports_are_stored_and_replaced_by_key, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    pca::storage::audit_report_record r;
    r.ca_id = "ca";
    r.id = "report-1";
    r.status = pca::audit_report_status::creating;
    r.s3_bucket_name = "bucket";
    r.s3_key = "audit-report/ca/report-1.json";
    r.created_at = from_unix(1'700'000'000);
    s.put_audit_report(r);
    auto got = s.find_audit_report("ca", "report-1");
    BOOST_REQUIRE(got);
    BOOST_TEST((got->status == pca::audit_report_status::creating));
    BOOST_TEST(got->s3_key == r.s3_key);
    BOOST_TEST(got->s3_bucket_name == r.s3_bucket_name);
    BOOST_TEST((got->created_at == r.created_at));
    r.status = pca::audit_report_status::success;
    s.put_audit_report(r);
    BOOST_TEST((s.find_audit_report("ca", "report-1")->status == pca::audit_report_status::success));
    BOOST_TEST(!s.find_audit_report("ca", "report-2"));
    BOOST_TEST(!s.find_audit_report("other", "report-1"));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(claim_token_keeps_a_live_binding_and_replaces_an_expired_one, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    const auto first = token("arn-1", 1000);
    auto got = s.claim_token(first, from_unix(700));
    BOOST_TEST(got.result == "arn-1");

    // Live (expires_at > now): the earlier binding wins, the new one is not stored.
    got = s.claim_token(token("arn-2", 2000), from_unix(999));
    BOOST_TEST(got.result == "arn-1");
    BOOST_TEST(got.request_fingerprint == "fp-arn-1");
    BOOST_TEST((got.expires_at == from_unix(1000)));
    BOOST_TEST(got.scope == first.scope);
    BOOST_TEST(got.token == first.token);

    // Expired (expires_at <= now): the new binding replaces it.
    got = s.claim_token(token("arn-3", 3000), from_unix(1000));
    BOOST_TEST(got.result == "arn-3");
    got = s.claim_token(token("arn-4", 4000), from_unix(1500));
    BOOST_TEST(got.result == "arn-3");

    // Another token or scope is independent.
    auto other = token("arn-5", 5000);
    other.token = "tok-2";
    BOOST_TEST(s.claim_token(other, from_unix(1500)).result == "arn-5");

    // Released: the next claim binds afresh even while the old one would be live.
    s.release_token(first.scope, first.token);
    BOOST_TEST(s.claim_token(token("arn-6", 6000), from_unix(1500)).result == "arn-6");
    s.release_token("no", "such");  // not an error
}

BOOST_AUTO_TEST_CASE_TEMPLATE(concurrent_reservations_accept_each_serial_exactly_once, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    constexpr unsigned threads = 4, per_thread = 60;
    std::atomic<unsigned> accepted{0};
    std::vector<std::thread> pool;
    std::vector<std::vector<unsigned>> won(threads);
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (unsigned i = 0; i < per_thread; ++i) {
                // Every thread tries the same shared serials, in a different order.
                const unsigned n = (i * (t + 1) * 7) % per_thread;
                if (s.reserve_certificate(ts::make_certificate("ca", serial_of(n)))) {
                    won[t].push_back(n);
                    ++accepted;
                }
                (void)s.find_certificate("ca", serial_of(n));
            }
        });
    }
    for (auto& th : pool) th.join();
    BOOST_TEST(accepted.load() == per_thread);
    std::multiset<unsigned> all;
    for (const auto& w : won) all.insert(w.begin(), w.end());
    for (unsigned n = 0; n < per_thread; ++n) BOOST_TEST(all.count(n) == 1u);
    BOOST_TEST(s.count_certificates("ca") == per_thread);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(concurrent_updates_of_one_version_let_exactly_one_win, Kind, store_kinds) {
    Kind k;
    auto& s = k.get();
    s.insert_ca(ts::minimal_ca("ca"));
    constexpr unsigned threads = 4;
    std::atomic<unsigned> wins{0}, conflicts{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            auto copy = ts::minimal_ca("ca");  // version 0, like every other thread's
            copy.tags = {pca::tag{"writer", std::to_string(t)}};
            try {
                s.update_ca(copy);
                ++wins;
            } catch (const pca::concurrent_modification_exception&) {
                ++conflicts;
            }
        });
    }
    for (auto& th : pool) th.join();
    BOOST_TEST(wins.load() == 1u);
    BOOST_TEST(conflicts.load() == threads - 1);
    BOOST_TEST(s.find_ca("ca")->version == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
