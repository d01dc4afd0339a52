// Fixtures shared by the benchmark files: CAs (one key per algorithm, generated once per
// process), CSRs, and the paired measurement that gives every issuance benchmark its ratio to
// the backend limit of the same run.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "support/throughput.hpp"

namespace pca::bench {

inline crypto::ctr_drbg& bench_rng() {
    static crypto::ctr_drbg rng("pca-bench");
    return rng;
}

inline temp_dir& bench_dir() {
    static temp_dir dir;
    return dir;
}

inline service_ca& shared_ca(store_kind kind, key_algorithm k);

/// One end-entity CSR per key algorithm, made once: P-256 with a fresh key, the others with
/// the key of that algorithm's CA (RSA key generation is slow in mbedTLS; the cost of a
/// verification does not depend on whose key it is).
inline const csr_fixture& shared_csr(key_algorithm k) {
    static std::map<key_algorithm, std::unique_ptr<csr_fixture>> cache;
    auto& slot = cache[k];
    if (!slot) {
        if (k == key_algorithm::ec_prime256v1)
            slot = std::make_unique<csr_fixture>(make_csr(k, bench_rng()));
        else
            slot = std::make_unique<csr_fixture>(make_csr(
                crypto::private_key::from_pkcs8_der(shared_ca(store_kind::memory, k).private_key_der()), bench_rng()));
    }
    return *slot;
}

/// One ACTIVE root CA per (store, key algorithm); the sqlite CA is a copy of the memory one
/// (same key), so each key is generated once.
inline service_ca& shared_ca(store_kind kind, key_algorithm k) {
    static std::map<std::pair<store_kind, key_algorithm>, std::unique_ptr<service_ca>> cache;
    auto& slot = cache[{kind, k}];
    if (!slot) {
        if (kind == store_kind::memory)
            slot = std::make_unique<service_ca>(kind, k, bench_dir().path());
        else
            slot = std::make_unique<service_ca>(kind, shared_ca(store_kind::memory, k), bench_dir().path());
    }
    return *slot;
}

/// The CSR the issuance benchmarks use: P-256 with SHA256WITHECDSA, for every CA (as issue 10
/// specifies), so the backend limit is 1 / (t_sign(CA) + t_verify(P-256)).
inline const csr_fixture& issuance_csr() { return shared_csr(key_algorithm::ec_prime256v1); }

/// Accumulates the two sides of the paired measurement and writes the counters.
struct paired_totals {
    double issue = 0;   ///< seconds in the code under test
    double sign = 0;    ///< seconds in raw mbedTLS CA signatures
    double verify = 0;  ///< seconds in raw mbedTLS CSR verifications

    void report(benchmark::State& state) const {
        const double n = static_cast<double>(state.iterations());
        if (n == 0 || issue <= 0) return;
        state.counters["certs_per_s"] = n / issue;
        state.counters["raw_sign_per_s"] = n / sign;
        state.counters["raw_verify_per_s"] = n / verify;
        state.counters["limit_per_s"] = n / (sign + verify);
        state.counters["ratio"] = (sign + verify) / issue;
    }
};

/// Runs `issue` once per iteration, each paired with one raw CA signature and one raw CSR
/// verification timed apart (manual time = the issuance only).
template <class Issue>
void run_paired(benchmark::State& state, backend_probe& probe, Issue&& issue) {
    paired_totals t;
    for (auto _ : state) {
        t.sign += probe.sign_once();
        t.verify += probe.verify_once();
        const auto t0 = steady::now();
        issue();
        const double s = seconds_between(t0, steady::now());
        state.SetIterationTime(s);
        t.issue += s;
    }
    t.report(state);
}

}  // namespace pca::bench
