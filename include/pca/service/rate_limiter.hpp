// pca/service/rate_limiter.hpp - the service's per-operation request rates (semantics.md 7),
// as an opt-in token bucket per (account, operation) driven by the injected clock.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "pca/core/error.hpp"
#include "pca/core/time.hpp"

namespace pca {

/// Default requests per second per account, by operation (AWS Private CA quotas).
inline double default_rate_limit(std::string_view op) {
    static const std::map<std::string_view, double> table = {
        {"IssueCertificate", 25},
        {"GetCertificate", 75},
        {"CreateCertificateAuthority", 1},
        {"CreateCertificateAuthorityAuditReport", 1},
        {"CreatePermission", 1},
        {"DeletePermission", 1},
        {"DeleteCertificateAuthority", 10},
        {"DescribeCertificateAuthority", 20},
        {"DescribeCertificateAuthorityAuditReport", 20},
        {"GetCertificateAuthorityCertificate", 20},
        {"GetCertificateAuthorityCsr", 10},
        {"ImportCertificateAuthorityCertificate", 10},
        {"ListCertificateAuthorities", 20},
        {"ListPermissions", 5},
        {"ListTags", 20},
        {"GetPolicy", 5},
        {"PutPolicy", 5},
        {"DeletePolicy", 5},
        {"RestoreCertificateAuthority", 20},
        {"RevokeCertificate", 20},
        {"TagCertificateAuthority", 10},
        {"UntagCertificateAuthority", 10},
        {"UpdateCertificateAuthority", 10},
    };
    auto it = table.find(op);
    return it == table.end() ? 10 : it->second;
}

class rate_limiter {
public:
    /// `overrides` replaces the default rate of the operations it names (requests/second).
    explicit rate_limiter(std::map<std::string, double> overrides = {}) : m_overrides(std::move(overrides)) {}

    /// Takes one token for (account, op) or throws ThrottlingException. Bursts up to one
    /// second's worth of requests are allowed.
    void acquire(const std::string& account, std::string_view op, std::chrono::system_clock::time_point now) {
        const double rate = rate_for(op);
        std::lock_guard<std::mutex> lock(m_mutex);
        auto& b = m_buckets[{account, std::string(op)}];
        if (!b.initialised) {
            b.tokens = rate;
            b.last = now;
            b.initialised = true;
        }
        const double elapsed = std::chrono::duration<double>(now - b.last).count();
        if (elapsed > 0) {
            b.tokens = std::min(rate, b.tokens + elapsed * rate);
            b.last = now;
        }
        if (b.tokens < 1.0) throw throttling_exception("Rate exceeded for " + std::string(op) + " (" + format_rate(rate) + " requests per second)");
        b.tokens -= 1.0;
    }

    double rate_for(std::string_view op) const {
        auto it = m_overrides.find(std::string(op));
        return it == m_overrides.end() ? default_rate_limit(op) : it->second;
    }

private:
    static std::string format_rate(double r) {
        std::string s = std::to_string(r);
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    }
    struct bucket {
        double tokens = 0;
        std::chrono::system_clock::time_point last{};
        bool initialised = false;
    };
    std::map<std::string, double> m_overrides;
    std::mutex m_mutex;
    std::map<std::pair<std::string, std::string>, bucket> m_buckets;
};

}  // namespace pca
