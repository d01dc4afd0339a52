// pca/storage/memory_store.hpp - the state store in memory, for tests and benchmarks.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <tuple>
#include <string>
#include <utility>
#include <vector>

#include "pca/storage/store.hpp"

namespace pca::storage {

class memory_store final : public store {
public:
    void insert_ca(const ca_record& ca) override {
        std::unique_lock lock(m_mutex);
        if (m_cas.count(ca.id)) throw concurrent_modification_exception("a CA with id " + ca.id + " already exists");
        m_cas.emplace(ca.id, ca_entry{ca, {}, {}});
    }
    void update_ca(ca_record& ca) override {
        std::unique_lock lock(m_mutex);
        auto it = m_cas.find(ca.id);
        if (it == m_cas.end()) throw resource_not_found_exception("CA " + ca.arn + " no longer exists");
        if (it->second.ca.version != ca.version)
            throw concurrent_modification_exception("CA " + ca.arn + " was changed by another request; retry");
        ++ca.version;
        ca.crl_number = std::max(ca.crl_number, it->second.ca.crl_number);  // never lowered by a stale copy
        it->second.ca = ca;
    }
    std::optional<ca_record> find_ca(const std::string& id) const override {
        std::shared_lock lock(m_mutex);
        auto it = m_cas.find(id);
        if (it == m_cas.end()) return std::nullopt;
        return it->second.ca;
    }
    std::vector<ca_record> list_cas() const override {
        std::shared_lock lock(m_mutex);
        std::vector<ca_record> out;
        out.reserve(m_cas.size());
        for (const auto& [id, e] : m_cas) out.push_back(e.ca);
        std::sort(out.begin(), out.end(), [](const ca_record& a, const ca_record& b) {
            return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
        });
        return out;
    }
    void erase_ca(const std::string& id) override {
        std::unique_lock lock(m_mutex);
        m_cas.erase(id);
        for (auto it = m_reports.begin(); it != m_reports.end();) it = it->first.first == id ? m_reports.erase(it) : std::next(it);
    }
    std::int64_t next_crl_number(const std::string& ca_id, std::int64_t at_least = 0) override {
        std::unique_lock lock(m_mutex);
        auto& e = entry(ca_id);
        e.ca.crl_number = std::max(e.ca.crl_number + 1, at_least);
        return e.ca.crl_number;
    }

    bool reserve_certificate(const certificate_record& rec) override {
        std::unique_lock lock(m_mutex);
        auto& e = entry(rec.ca_id);
        if (e.index.count(rec.serial)) return false;
        e.index.emplace(rec.serial, e.certificates.size());
        e.certificates.push_back(rec);
        return true;
    }
    void complete_certificate(const std::string& ca_id, const bytes& serial, const bytes& der) override {
        std::unique_lock lock(m_mutex);
        certificate(ca_id, serial).certificate = der;
    }
    void abandon_certificate(const std::string& ca_id, const bytes& serial) override {
        std::unique_lock lock(m_mutex);
        auto it = m_cas.find(ca_id);
        if (it == m_cas.end()) return;
        auto& e = it->second;
        const auto c = e.index.find(serial);
        if (c == e.index.end()) return;
        const std::size_t at = c->second;
        if (!e.certificates[at].certificate.empty() || e.certificates[at].revoked_at) return;
        // Issuance order is kept: later records move down one place (the abandoned one is
        // almost always the last).
        e.certificates.erase(e.certificates.begin() + static_cast<std::ptrdiff_t>(at));
        e.index.erase(c);
        for (std::size_t i = at; i < e.certificates.size(); ++i) e.index[e.certificates[i].serial] = i;
    }
    std::optional<certificate_record> find_certificate(const std::string& ca_id, const bytes& serial) const override {
        std::shared_lock lock(m_mutex);
        auto it = m_cas.find(ca_id);
        if (it == m_cas.end()) return std::nullopt;
        auto c = it->second.index.find(serial);
        if (c == it->second.index.end()) return std::nullopt;
        return it->second.certificates[c->second];
    }
    bool revoke_certificate(const std::string& ca_id, const bytes& serial, sys_seconds at, revocation_reason reason) override {
        std::unique_lock lock(m_mutex);
        auto& c = certificate(ca_id, serial);
        if (c.revoked_at) return false;
        c.revoked_at = at;
        c.reason = reason;
        ++entry(ca_id).revoked;
        return true;
    }
    std::vector<certificate_record> list_certificates(const std::string& ca_id) const override {
        std::shared_lock lock(m_mutex);
        auto it = m_cas.find(ca_id);
        if (it == m_cas.end()) return {};
        return it->second.certificates;
    }
    void for_each_certificate(const std::string& ca_id, const std::function<void(const certificate_record&)>& visit,
                              bool with_der = true) const override {
        (void)with_der;  // the records are in memory already: nothing to skip
        std::shared_lock lock(m_mutex);
        auto it = m_cas.find(ca_id);
        if (it == m_cas.end()) return;
        for (const auto& c : it->second.certificates) visit(c);
    }
    std::vector<certificate_record> list_revoked(const std::string& ca_id, sys_seconds not_after_from) const override {
        std::shared_lock lock(m_mutex);
        std::vector<certificate_record> out;
        auto it = m_cas.find(ca_id);
        if (it == m_cas.end()) return out;
        for (const auto& c : it->second.certificates)
            if (c.revoked_at && c.not_after >= not_after_from) out.push_back(c);
        return out;
    }
    std::size_t count_certificates(const std::string& ca_id) const override {
        std::shared_lock lock(m_mutex);
        auto it = m_cas.find(ca_id);
        return it == m_cas.end() ? 0 : it->second.certificates.size();
    }
    std::size_t count_revoked(const std::string& ca_id) const override {
        std::shared_lock lock(m_mutex);
        auto it = m_cas.find(ca_id);
        return it == m_cas.end() ? 0 : it->second.revoked;
    }

    void put_audit_report(const audit_report_record& r) override {
        std::unique_lock lock(m_mutex);
        m_reports[{r.ca_id, r.id}] = r;
    }
    std::optional<audit_report_record> find_audit_report(const std::string& ca_id, const std::string& id) const override {
        std::shared_lock lock(m_mutex);
        auto it = m_reports.find({ca_id, id});
        if (it == m_reports.end()) return std::nullopt;
        return it->second;
    }

    idempotency_record claim_token(const idempotency_record& r, sys_seconds now) override {
        std::unique_lock lock(m_mutex);
        auto key = std::make_pair(r.scope, r.token);
        auto it = m_tokens.find(key);
        if (it != m_tokens.end() && it->second.expires_at > now) return it->second;
        m_tokens[key] = r;
        return r;
    }
    void release_token(const std::string& scope, const std::string& token) override {
        std::unique_lock lock(m_mutex);
        m_tokens.erase({scope, token});
    }

private:
    struct ca_entry {
        ca_record ca;
        std::vector<certificate_record> certificates;
        std::map<bytes, std::size_t> index;
        std::size_t revoked = 0;
    };
    ca_entry& entry(const std::string& ca_id) {
        auto it = m_cas.find(ca_id);
        if (it == m_cas.end()) throw resource_not_found_exception("CA " + ca_id + " no longer exists");
        return it->second;
    }
    certificate_record& certificate(const std::string& ca_id, const bytes& serial) {
        auto& e = entry(ca_id);
        auto c = e.index.find(serial);
        if (c == e.index.end()) throw resource_not_found_exception("no certificate with that serial");
        return e.certificates[c->second];
    }

    mutable std::shared_mutex m_mutex;
    std::map<std::string, ca_entry> m_cas;
    std::map<std::pair<std::string, std::string>, audit_report_record> m_reports;
    std::map<std::pair<std::string, std::string>, idempotency_record> m_tokens;
};

}  // namespace pca::storage
