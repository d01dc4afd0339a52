// pca/service/crl_publisher.hpp - builds a CA's CRL from the store, keeping the revoked
// entries pre-encoded between generations so that a CRL after one more revocation appends
// one entry instead of re-encoding the list (x509::crl_entry_list).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pca/core/rng.hpp"
#include "pca/crypto/key.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/storage/store.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/crl.hpp"

namespace pca {

class crl_publisher {
public:
    /// The CRL DER of `ca` for a generation at `now`. Reserves the CRL number in the store
    /// (the generation time in milliseconds, or the previous number + 1 if that is larger).
    /// `partition` selects the certificates: nullopt, those bound to the CA's complete CRL;
    /// an index, those of that partition of a PARTITIONED CRL, whose critical
    /// IssuingDistributionPoint then names `partition_uri` (their CDP).
    bytes build(const storage::ca_record& ca, const x509::certificate& ca_certificate, const crypto::private_key& key,
                storage::store& store, std::chrono::system_clock::time_point now, rng& random,
                std::optional<std::uint32_t> partition = std::nullopt, std::optional<std::string> partition_uri = std::nullopt) {
        const auto& cfg = *ca.revocation->crl_configuration;
        const auto generated_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
        std::shared_ptr<state> st = state_for(ca.id, partition);
        std::lock_guard<std::mutex> lock(st->mutex);  // one generation per CA at a time
        const std::size_t total = store.count_revoked(ca.id);
        if (!st->valid || st->consumed != total) {
            // First generation in this process, or another process revoked meanwhile:
            // rebuild the list from the store.
            st->entries = x509::crl_entry_list(x509::unspecified_reason::omit);
            const auto cutoff = ca.last_crl_at.value_or(sys_seconds::min());
            auto revoked = store.list_revoked(ca.id, cutoff);
            st->entries.reserve(revoked.size());
            for (const auto& r : revoked)
                if (r.crl_partition == partition) st->entries.add(r.serial, *r.revoked_at, *r.reason, r.not_after);
            st->consumed = total;
            st->valid = true;
        }
        policy::drop_expired_entries(st->entries, ca.last_crl_at);
        const std::int64_t at_least =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
        const std::int64_t number = store.next_crl_number(ca.id, at_least);
        auto fields = policy::crl_fields_at(generated_at, cfg.expiration_in_days.value_or(7), number);
        fields.issuing_distribution_point_uri = std::move(partition_uri);
        const auto issuer = x509::crl_issuer::from_certificate(ca_certificate, ca.configuration.signing_algorithm);
        return x509::make_crl(issuer, st->entries, fields, key, random);
    }

    /// Tells the publisher about a revocation made by this process (cheap append to the
    /// list of the certificate's CRL; the CA's other lists only count it).
    void note_revoked(const std::string& ca_id, const storage::certificate_record& rec, sys_seconds at, revocation_reason reason,
                      std::size_t store_total_after) {
        for (const auto& [partition, st] : states_of(ca_id)) {
            std::lock_guard<std::mutex> lock(st->mutex);
            if (!st->valid || st->consumed + 1 != store_total_after) {
                st->valid = false;  // out of step: rebuild at the next generation
                continue;
            }
            if (partition == rec.crl_partition) st->entries.add(rec.serial, at, reason, rec.not_after);
            st->consumed = store_total_after;
        }
    }

    void forget(const std::string& ca_id) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_states.erase(m_states.lower_bound({ca_id, std::nullopt}), m_states.lower_bound({ca_id + '\x01', std::nullopt}));
    }

private:
    struct state {
        std::mutex mutex;
        x509::crl_entry_list entries;
        std::size_t consumed = 0;  ///< revocations of the store reflected in `entries`
        bool valid = false;
    };
    /// (CA id, partition): nullopt sorts before every index, so a CA's lists are adjacent.
    using state_key = std::pair<std::string, std::optional<std::uint32_t>>;
    std::shared_ptr<state> state_for(const std::string& ca_id, std::optional<std::uint32_t> partition) {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto& s = m_states[state_key{ca_id, partition}];
        if (!s) s = std::make_shared<state>();
        return s;
    }
    std::vector<std::pair<std::optional<std::uint32_t>, std::shared_ptr<state>>> states_of(const std::string& ca_id) {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::vector<std::pair<std::optional<std::uint32_t>, std::shared_ptr<state>>> out;
        for (auto it = m_states.lower_bound({ca_id, std::nullopt}); it != m_states.end() && it->first.first == ca_id; ++it)
            out.emplace_back(it->first.second, it->second);
        return out;
    }
    std::mutex m_mutex;
    std::map<state_key, std::shared_ptr<state>> m_states;
};

}  // namespace pca
