// The model's three waiters (waiters-2.json) against the facade: delays and attempt counts,
// the retry acceptor (RequestInProgressException), the failure acceptors (AccessDenied,
// AuditReportStatus FAILED), and errors that match no acceptor stopping the waiter at once.
// The sleeper advances the manual clock and lets the test change state between attempts,
// the way a slow signature or report would finish on the service.
#include <boost/test/unit_test.hpp>

#include <functional>

#include "pca/service/waiters.hpp"
#include "support/service_fixture.hpp"

using namespace pca;
using namespace std::chrono_literals;

namespace {

struct waiter_fixture : test::service_fixture {
    int sleeps = 0;
    std::chrono::seconds slept{0};
    std::function<void(int)> on_sleep = [](int) {};

    waiter_config config(waiter_config base) {
        base.sleep = [this](std::chrono::seconds d) {
            ++sleeps;
            slept += d;
            clock.advance(d);
            on_sleep(sleeps);
        };
        return base;
    }

    /// A certificate whose record exists but whose signature is not written yet (the state
    /// between reserve_certificate and complete_certificate).
    std::pair<std::string, bytes> pending_certificate(const std::string& ca) {
        const std::string ca_id = ca_arn::parse(ca).ca_id();
        const bytes serial{0x51, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};
        storage::certificate_record rec;
        rec.ca_id = ca_id;
        rec.serial = serial;
        rec.arn = make_certificate_arn(ca_arn::parse(ca), to_hex(serial)).str();
        rec.template_arn = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";
        rec.subject_rfc2253 = "CN=pending";
        rec.issued_at = rec.not_before = now();
        rec.not_after = now() + 24h;
        rec.account = test::owner_account;
        BOOST_TEST_REQUIRE(store.reserve_certificate(rec));
        return {rec.arn, serial};
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(service_waiters)

BOOST_AUTO_TEST_CASE(configs_match_the_model) {
    BOOST_TEST(certificate_issued_config().delay.count() == 1);
    BOOST_TEST(certificate_issued_config().max_attempts == 60);
    BOOST_TEST(audit_report_created_config().delay.count() == 3);
    BOOST_TEST(audit_report_created_config().max_attempts == 60);
    BOOST_TEST(certificate_authority_csr_created_config().delay.count() == 3);
    BOOST_TEST(certificate_authority_csr_created_config().max_attempts == 60);
}

BOOST_FIXTURE_TEST_CASE(certificate_issued_retries_while_in_progress_then_returns_it, waiter_fixture) {
    const std::string ca = make_active_root();
    const auto [arn, serial] = pending_certificate(ca);
    BOOST_TEST((test::error_of([&] { svc.get_certificate({ca, arn}); }) == errc::request_in_progress));
    // The "signature" lands during the third wait.
    const std::string real = issue_end_entity(ca);
    const auto real_der = x509::certificate::parse_pem(svc.get_certificate({ca, real}).certificate).der();
    on_sleep = [&, serial = serial](int n) {
        if (n == 3) store.complete_certificate(ca_arn::parse(ca).ca_id(), serial, real_der);
    };
    const auto got = wait_certificate_issued(svc, {ca, arn}, owner(), config(certificate_issued_config()));
    BOOST_TEST(sleeps == 3);
    BOOST_TEST(slept.count() == 3);  // 1 s apart
    BOOST_TEST((x509::certificate::parse_pem(got.certificate).der() == real_der));
}

BOOST_FIXTURE_TEST_CASE(certificate_issued_gives_up_after_sixty_attempts, waiter_fixture) {
    const std::string ca = make_active_root();
    const auto pending = pending_certificate(ca);
    try {
        wait_certificate_issued(svc, {ca, pending.first}, owner(), config(certificate_issued_config()));
        BOOST_FAIL("the waiter returned for a certificate that never completed");
    } catch (const waiter_error& e) {
        BOOST_TEST(std::string(e.what()).find("max attempts (60)") != std::string::npos);
    }
    BOOST_TEST(sleeps == 59);  // 60 attempts, a delay between each
    BOOST_TEST(slept.count() == 59);
}

BOOST_FIXTURE_TEST_CASE(access_denied_is_the_failure_acceptor, waiter_fixture) {
    const std::string ca = make_active_root();
    const std::string arn = issue_end_entity(ca);
    try {
        wait_certificate_issued(svc, {ca, arn}, other(), config(certificate_issued_config()));
        BOOST_FAIL("another account's waiter succeeded");
    } catch (const waiter_error& e) {
        BOOST_TEST(std::string(e.what()).find("failure acceptor") != std::string::npos);
    }
    BOOST_TEST(sleeps == 0);
}

BOOST_FIXTURE_TEST_CASE(an_error_without_acceptor_stops_the_waiter_unchanged, waiter_fixture) {
    const std::string ca = make_active_root();
    const std::string missing = make_certificate_arn(ca_arn::parse(ca), "0123456789abcdef0123456789abcdef").str();
    BOOST_CHECK_THROW(wait_certificate_issued(svc, {ca, missing}, owner(), config(certificate_issued_config())),
                      resource_not_found_exception);
    BOOST_TEST(sleeps == 0);
}

BOOST_FIXTURE_TEST_CASE(csr_created_waits_for_a_creating_ca, waiter_fixture) {
    const auto arn = svc.create_certificate_authority(ca_request(certificate_authority_type::root, "Waiting Root"))
                         .certificate_authority_arn;
    const std::string id = ca_arn::parse(arn).ca_id();
    auto rec = *store.find_ca(id);
    const auto real_status = rec.status;
    rec.status = certificate_authority_status::creating;  // key generation still running
    store.update_ca(rec);
    BOOST_TEST((test::error_of([&] { svc.get_certificate_authority_csr({arn}); }) == errc::request_in_progress));
    on_sleep = [&](int n) {
        if (n == 2) {
            auto r = *store.find_ca(id);
            r.status = real_status;
            store.update_ca(r);
        }
    };
    const auto got = wait_certificate_authority_csr_created(svc, {arn}, owner(), config(certificate_authority_csr_created_config()));
    BOOST_TEST(sleeps == 2);
    BOOST_TEST(slept.count() == 6);  // 3 s apart
    BOOST_TEST(got.csr.find("BEGIN CERTIFICATE REQUEST") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(audit_report_created_waits_for_success_and_fails_on_failed, waiter_fixture) {
    const std::string ca = make_active_root();
    issue_end_entity(ca);
    const auto made = svc.create_certificate_authority_audit_report({ca, "audit-bucket", audit_report_response_format::json});
    // A finished report: one attempt, no wait.
    auto d = wait_audit_report_created(svc, {ca, made.audit_report_id}, owner(), config(audit_report_created_config()));
    BOOST_TEST((d.audit_report_status == audit_report_status::success));
    BOOST_TEST(sleeps == 0);

    // A report still being written: polled every 3 s until SUCCESS.
    const std::string id = ca_arn::parse(ca).ca_id();
    storage::audit_report_record r = *store.find_audit_report(id, made.audit_report_id);
    r.status = audit_report_status::creating;
    store.put_audit_report(r);
    on_sleep = [&](int n) {
        if (n == 4) {
            r.status = audit_report_status::success;
            store.put_audit_report(r);
        }
    };
    d = wait_audit_report_created(svc, {ca, made.audit_report_id}, owner(), config(audit_report_created_config()));
    BOOST_TEST((d.audit_report_status == audit_report_status::success));
    BOOST_TEST(sleeps == 4);
    BOOST_TEST(slept.count() == 12);

    // FAILED is a failure acceptor.
    r.status = audit_report_status::failed;
    store.put_audit_report(r);
    on_sleep = [](int) {};
    sleeps = 0;
    try {
        wait_audit_report_created(svc, {ca, made.audit_report_id}, owner(), config(audit_report_created_config()));
        BOOST_FAIL("a FAILED report satisfied the waiter");
    } catch (const waiter_error& e) {
        BOOST_TEST(std::string(e.what()).find("FAILED") != std::string::npos);
    }
    BOOST_TEST(sleeps == 0);
}

BOOST_AUTO_TEST_SUITE_END()
