// Issuance throughput (issue 10): for every CA key algorithm and each of its signing algorithms,
//   issue_builder/<KEY>/<SIG>          accept_csr + prepare_certificate + sign_certificate + PEM
//   issue_service/memory_store/<KEY>/<SIG>   service::issue_certificate on a memory_store
//   issue_service/sqlite_store/<KEY>/<SIG>   the same on a sqlite_store (WAL, synchronous=FULL)
//   issue_threads/memory_store/<KEY>/<SIG>   n issuances on 1 thread, then on 2 threads at once
// The CSR is always P-256 / SHA256WITHECDSA with a SubjectAltName (EndEntityCertificate/V1,
// 30 days). Every issuance is paired with one raw mbedTLS CA signature and one raw mbedTLS
// verification of the CSR's signature, timed apart: counters
//   certs_per_s   issued certificates per second (the code under test only)
//   limit_per_s   1 / (t_sign + t_verify_csr) of the same run
//   ratio         certs_per_s / limit_per_s
// issue_threads reports certs_per_s_1t, certs_per_s_2t and speedup (run it without taskset).
//
//   build-bench/bench/pca_bench --benchmark_filter='issue_service/memory_store/(EC_prime256v1|RSA_2048)/SHA256WITH(ECDSA|RSA)$'
#include <benchmark/benchmark.h>

#include <atomic>
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
    if (kind == store_kind::memory) {
        run_paired(state, probe, [&] { benchmark::DoNotOptimize(ca.service().issue_certificate(request)); });
    } else {
        // A durable store cannot beat one fsync per issuance: every issuance is also paired
        // with one 4 KiB write + fsync in the database's directory (fsync_ms, and ratio_durable
        // = issued/s over 1 / (t_sign + t_verify + t_fsync)).
        fsync_probe disk(bench_dir().path());
        double fsync = 0;
        run_paired(state, probe, [&] { benchmark::DoNotOptimize(ca.service().issue_certificate(request)); },
                   [&] { fsync += disk.once(); });
        const double n = static_cast<double>(state.iterations());
        if (n > 0) {
            state.counters["fsync_ms"] = fsync / n * 1e3;
            const double backend = n / state.counters["limit_per_s"].value;
            state.counters["ratio_durable"] = (backend + fsync) / (n / state.counters["certs_per_s"].value);
        }
    }
    state.SetLabel(to_string(kind));
}

/// Seconds for `threads` threads to issue `per_thread` certificates each, from a common start
/// (each thread warms up with one issuance first: its DRBG and key context are made then).
double issue_concurrently(service_ca& ca, const issue_certificate_request& request, int threads, int per_thread) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<steady::time_point> ends(static_cast<std::size_t>(threads));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            (void)ca.service().issue_certificate(request);
            ++ready;
            while (!go.load()) std::this_thread::yield();
            for (int i = 0; i < per_thread; ++i) benchmark::DoNotOptimize(ca.service().issue_certificate(request));
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

void issue_threads(benchmark::State& state, algorithm_pair p) {
    auto& ca = shared_ca(store_kind::memory, p.key);
    const auto& csr = issuance_csr();
    const auto request = ca.request(csr, p.signing);
    // About half a second of single-threaded work per measurement.
    const auto t0 = steady::now();
    int calibration = 0;
    while (seconds_between(t0, steady::now()) < 0.1 || calibration < 4) {
        (void)ca.service().issue_certificate(request);
        ++calibration;
    }
    const int n = std::max(8, 2 * static_cast<int>(calibration * 0.5 / seconds_between(t0, steady::now()) / 2));
    double one = 0, two = 0;
    for (auto _ : state) {
        const double s1 = issue_concurrently(ca, request, 1, n);
        const double s2 = issue_concurrently(ca, request, 2, n / 2);
        state.SetIterationTime(s2);
        one += s1;
        two += s2;
    }
    const double it = static_cast<double>(state.iterations());
    state.counters["certs_per_s_1t"] = it * n / one;
    state.counters["certs_per_s_2t"] = it * n / two;
    state.counters["speedup"] = one / two;
    state.counters["n"] = n;
}

const int registered = [] {
    const auto pairs = supported_pairs();
    for (const auto& p : pairs)
        benchmark::RegisterBenchmark(("issue_builder/" + pair_name(p)).c_str(), issue_builder, p)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond);
    for (auto kind : {store_kind::memory, store_kind::sqlite})
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
