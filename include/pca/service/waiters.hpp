// pca/service/waiters.hpp - the model's waiters (waiters-2.json): poll an operation with a
// fixed delay until an acceptor says success or failure, at most maxAttempts times.
//
//   AuditReportCreated             DescribeCertificateAuthorityAuditReport  delay 3 s, 60 attempts
//   CertificateAuthorityCSRCreated GetCertificateAuthorityCsr               delay 3 s, 60 attempts
//   CertificateIssued              GetCertificate                           delay 1 s, 60 attempts
//
// The delay goes through a `sleeper`, so a test with a manual clock advances the clock
// instead of sleeping.
#pragma once

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "pca/core/error.hpp"
#include "pca/service/requests.hpp"

namespace pca {

/// A waiter reached a failure acceptor or ran out of attempts.
class waiter_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using sleeper = std::function<void(std::chrono::seconds)>;

struct waiter_config {
    std::chrono::seconds delay;
    int max_attempts;
    sleeper sleep = [](std::chrono::seconds d) { std::this_thread::sleep_for(d); };
};

inline waiter_config audit_report_created_config() { return {std::chrono::seconds(3), 60}; }
inline waiter_config certificate_authority_csr_created_config() { return {std::chrono::seconds(3), 60}; }
inline waiter_config certificate_issued_config() { return {std::chrono::seconds(1), 60}; }

namespace detail {
/// Retries `attempt` (which returns true on success, false to retry) per the config.
/// RequestInProgressException is retried when the waiter has that retry acceptor
/// (`retry_in_progress`); AccessDeniedException is the failure acceptor (waiter_error); any
/// other error matches no acceptor and propagates unchanged at once, as botocore's waiters
/// stop on an unexpected error.
template <class F>
void run_waiter(const char* name, const waiter_config& cfg, bool retry_in_progress, F&& attempt) {
    for (int i = 1; i <= cfg.max_attempts; ++i) {
        try {
            if (attempt()) return;
        } catch (const request_in_progress_exception&) {
            if (!retry_in_progress) throw;
        } catch (const access_denied_exception& e) {
            throw waiter_error(std::string(name) + ": failure acceptor matched: " + e.what());
        }
        if (i < cfg.max_attempts) cfg.sleep(cfg.delay);
    }
    throw waiter_error(std::string(name) + ": max attempts (" + std::to_string(cfg.max_attempts) + ") exceeded");
}
}  // namespace detail

template <class Service>
get_certificate_result wait_certificate_issued(Service& svc, const get_certificate_request& req, const caller& who,
                                               const waiter_config& cfg = certificate_issued_config()) {
    get_certificate_result out;
    detail::run_waiter("CertificateIssued", cfg, true, [&] {
        out = svc.get_certificate(req, who);
        return true;
    });
    return out;
}

template <class Service>
get_certificate_authority_csr_result wait_certificate_authority_csr_created(
    Service& svc, const get_certificate_authority_csr_request& req, const caller& who,
    const waiter_config& cfg = certificate_authority_csr_created_config()) {
    get_certificate_authority_csr_result out;
    detail::run_waiter("CertificateAuthorityCSRCreated", cfg, true, [&] {
        out = svc.get_certificate_authority_csr(req, who);
        return true;
    });
    return out;
}

template <class Service>
describe_certificate_authority_audit_report_result wait_audit_report_created(
    Service& svc, const describe_certificate_authority_audit_report_request& req, const caller& who,
    const waiter_config& cfg = audit_report_created_config()) {
    describe_certificate_authority_audit_report_result out;
    detail::run_waiter("AuditReportCreated", cfg, false, [&] {
        out = svc.describe_certificate_authority_audit_report(req, who);
        if (out.audit_report_status == audit_report_status::failed)
            throw waiter_error("AuditReportCreated: failure acceptor matched: AuditReportStatus is FAILED");
        return out.audit_report_status == audit_report_status::success;
    });
    return out;
}

}  // namespace pca
