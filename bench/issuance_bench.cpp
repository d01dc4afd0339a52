// Issuance throughput (issue 10): for every CA key algorithm and each of its signing algorithms,
//   issue_builder/<KEY>/<SIG>          accept_csr + prepare_certificate + sign_certificate + PEM
//   issue_service/memory_store/<KEY>/<SIG>   service::issue_certificate on a memory_store
//   issue_service/sqlite_store/<KEY>/<SIG>   the same on a sqlite_store (WAL, synchronous=FULL)
//   issue_service/sqlite_store_process_crash/<KEY>/<SIG>   sqlite_durability::process_crash
//   issue_threads/memory_store/<KEY>/<SIG>   n issuances on 1 thread, then on 2 threads at once
// The CSR is always P-256 / SHA256WITHECDSA with a SubjectAltName (EndEntityCertificate/V1,
// 30 days). Every issuance is paired with one raw mbedTLS CA signature and one raw mbedTLS
// verification of the CSR's signature, timed apart: counters
//   certs_per_s   issued certificates per second (the code under test only)
//   limit_per_s   1 / (t_sign + t_verify_csr) of the same run
//   ratio         certs_per_s / limit_per_s
// issue_threads reports certs_per_s_1t, certs_per_s_2t, speedup, and speedup_raw: the same two
// thread counts on raw mbedTLS signatures + verifications in the same run (run it without taskset).
//
//   build-bench/bench/pca_bench --benchmark_filter='issue_service/memory_store/(EC_prime256v1|RSA_2048)/SHA256WITH(ECDSA|RSA)$'
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "support/fixtures.hpp"

namespace {
using namespace pca;
using namespace pca::bench;

void issue_builder(benchmark::State& state, algorithm_pair p) {
    auto& ca = shared_ca(store_kind::memory, p.key);
    const auto der = ca.private_key_der();
    const auto& csr = issuance_csr();
    backend_probe probe(der, p.signing, csr);
    const builder_ca builder(der, ca.certificate_der());
    run_paired(state, probe, [&] { benchmark::DoNotOptimize(builder.issue(csr.pem, p.signing, crypto::thread_local_drbg())); });
}

void issue_service(benchmark::State& state, store_kind kind, algorithm_pair p) {
    auto& ca = shared_ca(kind, p.key);
    const auto& csr = issuance_csr();
    backend_probe probe(ca.private_key_der(), p.signing, csr);
    const auto request = ca.request(csr, p.signing);
    if (kind != store_kind::sqlite) {
        run_paired(state, probe, [&] { benchmark::DoNotOptimize(ca.service().issue_certificate(request)); });
    } else {
        // A durable store cannot beat one fsync per issuance: after the issuances, as many
        // 4 KiB writes + fsyncs in the database's directory (up to 500) give the disk's latency
        // of the same run (fsync_ms, and ratio_durable = issued/s over 1 / (t_sign + t_verify +
        // t_fsync)). Not interleaved with the issuances: an fsync of another file just before
        // an issuance makes the issuance's own sync wait for the same journal commit.
        run_paired(state, probe, [&] { benchmark::DoNotOptimize(ca.service().issue_certificate(request)); });
        const auto n = static_cast<double>(state.iterations());
        if (n > 0) {
            fsync_probe disk(bench_dir().path());
            const int probes = static_cast<int>(std::min(n, 500.0));
            double fsync = 0;
            for (int i = 0; i < probes; ++i) fsync += disk.once();
            const double t_fsync = fsync / probes;
            state.counters["fsync_ms"] = t_fsync * 1e3;
            const double backend = 1 / state.counters["limit_per_s"].value;
            state.counters["ratio_durable"] = (backend + t_fsync) / (1 / state.counters["certs_per_s"].value);
        }
    }
    state.SetLabel(to_string(kind));
}

/// Seconds for `threads` threads to run `per_thread` units of work each, from a common start.
/// Each thread makes its own worker with `make()` (its DRBG, key contexts, ...) and warms up with
/// one unit before the start.
template <class Make>
double concurrently(int threads, int per_thread, const Make& make) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<steady::time_point> ends(static_cast<std::size_t>(threads));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            auto work = make();
            work();
            ++ready;
            while (!go.load()) std::this_thread::yield();
            for (int i = 0; i < per_thread; ++i) work();
            ends[static_cast<std::size_t>(t)] = steady::now();
        });
    while (ready.load() < threads) std::this_thread::yield();
    const auto start = steady::now();
    go = true;
    for (auto& th : pool) th.join();
    steady::time_point end = start;
    for (const auto& e : ends) end = std::max(end, e);
    return seconds_between(start, end);
}

/// 1 thread against 2 on the service, and the same for the backend alone in the same run:
/// raw mbedTLS CA signature + CSR verification, each thread with its own contexts and DRBG
/// (speedup_raw). Debian's mbedTLS 2.28 is built with MBEDTLS_SELF_TEST, which makes ecp.c
/// count every field multiplication in a global variable: EC threads write one cache line,
/// so EC keys cannot scale linearly in one process whatever the caller does; RSA can.
/// speedup_vs_raw = speedup / speedup_raw is pca's share. mbedtls_self_test = 1 says the
/// benchmark was built against such an mbedTLS (scripts/build-mbedtls builds one without).
void issue_threads(benchmark::State& state, algorithm_pair p) {
    auto& ca = shared_ca(store_kind::memory, p.key);
    const auto& csr = issuance_csr();
    const auto request = ca.request(csr, p.signing);
    const auto key_der = ca.private_key_der();
    // About half a second of single-threaded work per measurement.
    const auto t0 = steady::now();
    int calibration = 0;
    while (seconds_between(t0, steady::now()) < 0.1 || calibration < 4) {
        (void)ca.service().issue_certificate(request);
        ++calibration;
    }
    const int n = std::max(8, 2 * static_cast<int>(calibration * 0.5 / seconds_between(t0, steady::now()) / 2));
    const auto issue = [&] { return [&] { benchmark::DoNotOptimize(ca.service().issue_certificate(request)); }; };
    const auto raw = [&] {
        return [probe = std::make_shared<backend_probe>(key_der, p.signing, csr)] { benchmark::DoNotOptimize(probe->once()); };
    };
    double one = 0, two = 0, raw_one = 0, raw_two = 0;
    for (auto _ : state) {
        const double s1 = concurrently(1, n, issue);
        const double s2 = concurrently(2, n / 2, issue);
        raw_one += concurrently(1, n, raw);
        raw_two += concurrently(2, n / 2, raw);
        state.SetIterationTime(s2);
        one += s1;
        two += s2;
    }
    const double it = static_cast<double>(state.iterations());
    state.counters["certs_per_s_1t"] = it * n / one;
    state.counters["certs_per_s_2t"] = it * n / two;
    state.counters["speedup"] = one / two;
    state.counters["speedup_raw"] = raw_one / raw_two;
    state.counters["speedup_vs_raw"] = (one / two) / (raw_one / raw_two);
    state.counters["n"] = n;
    state.counters["mbedtls_self_test"] = crypto::compat::mbedtls_shared_ec_counters ? 1 : 0;
}

const int registered = [] {
    const auto pairs = supported_pairs();
    for (const auto& p : pairs)
        benchmark::RegisterBenchmark(("issue_builder/" + pair_name(p)).c_str(), issue_builder, p)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond);
    for (auto kind : {store_kind::memory, store_kind::sqlite, store_kind::sqlite_process_crash})
        for (const auto& p : pairs)
            benchmark::RegisterBenchmark(("issue_service/" + std::string(to_string(kind)) + "/" + pair_name(p)).c_str(),
                                         issue_service, kind, p)
                ->UseManualTime()
                ->Unit(benchmark::kMicrosecond);
    for (const auto& p : pairs)
        benchmark::RegisterBenchmark(("issue_threads/memory_store/" + pair_name(p)).c_str(), issue_threads, p)
            ->UseManualTime()
            ->Iterations(1)
            ->Unit(benchmark::kMillisecond);
    return 0;
}();
}  // namespace
