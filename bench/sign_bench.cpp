// Raw signatures (issue 10): for every key algorithm and each of its signing algorithms,
//   raw_sign/<KEY>/<SIG>     mbedTLS directly: hash + sign with a parsed context (the baseline)
//   raw_verify/<KEY>/<SIG>   mbedTLS directly: hash + verify of a signature made by that key
//   pca_sign/<KEY>/<SIG>     crypto::private_key::sign (pca's wrapper: pooled context, thread
//                            DRBG); `ratio` = raw signatures/s of the same run / pca's
//   csr_intake/<KEY>         policy::accept_csr on a PEM CSR (parse + checks + signature
//                            verification); `ratio` = its rate / raw verifications/s of the run
// The keys are the CA keys of the issuance benchmarks (generated once per process).
//
//   build-bench/bench/pca_bench --benchmark_filter='raw_|pca_sign|csr_intake'
#include <benchmark/benchmark.h>

#include "support/fixtures.hpp"

namespace {
using namespace pca;
using namespace pca::bench;

void raw_sign(benchmark::State& state, algorithm_pair p) {
    auto& ca = shared_ca(store_kind::memory, p.key);
    backend_probe probe(ca.private_key_der(), p.signing, issuance_csr());
    double total = 0;
    for (auto _ : state) {
        const double s = probe.sign_once();
        state.SetIterationTime(s);
        total += s;
    }
    state.counters["sign_per_s"] = static_cast<double>(state.iterations()) / total;
}

void raw_verify(benchmark::State& state, algorithm_pair p) {
    auto& ca = shared_ca(store_kind::memory, p.key);
    backend_probe probe(ca.private_key_der(), p.signing, issuance_csr());
    double total = 0;
    for (auto _ : state) {
        const double s = probe.verify_own_once();
        state.SetIterationTime(s);
        total += s;
    }
    state.counters["verify_per_s"] = static_cast<double>(state.iterations()) / total;
}

void pca_sign(benchmark::State& state, algorithm_pair p) {
    auto& ca = shared_ca(store_kind::memory, p.key);
    const auto der = ca.private_key_der();
    backend_probe probe(der, p.signing, issuance_csr());
    const auto key = crypto::private_key::from_pkcs8_der(der);
    const bytes message(560, 0x5a);
    double total = 0, raw = 0;
    for (auto _ : state) {
        raw += probe.sign_once();
        const auto t0 = steady::now();
        benchmark::DoNotOptimize(key.sign(p.signing, message, crypto::thread_local_drbg()));
        const double s = seconds_between(t0, steady::now());
        state.SetIterationTime(s);
        total += s;
    }
    const double n = static_cast<double>(state.iterations());
    state.counters["sign_per_s"] = n / total;
    state.counters["raw_sign_per_s"] = n / raw;
    state.counters["ratio"] = raw / total;
}

void csr_intake(benchmark::State& state, key_algorithm k) {
    const auto& csr = shared_csr(k);
    auto verifier = raw_key::public_key(csr.spki);
    double total = 0, raw = 0;
    for (auto _ : state) {
        const auto r0 = steady::now();
        if (!verifier->verify(csr.algorithm, csr.info, csr.signature)) state.SkipWithError("raw verify failed");
        raw += seconds_between(r0, steady::now());
        const auto t0 = steady::now();
        const auto parsed = policy::accept_csr(csr.pem);
        benchmark::DoNotOptimize(&parsed);
        const double s = seconds_between(t0, steady::now());
        state.SetIterationTime(s);
        total += s;
    }
    const double n = static_cast<double>(state.iterations());
    state.counters["csr_per_s"] = n / total;
    state.counters["raw_verify_per_s"] = n / raw;
    state.counters["ratio"] = raw / total;
}

const int registered = [] {
    const auto pairs = supported_pairs();
    for (const auto& p : pairs)
        benchmark::RegisterBenchmark(("raw_sign/" + pair_name(p)).c_str(), raw_sign, p)->UseManualTime()->Unit(benchmark::kMicrosecond);
    for (const auto& p : pairs)
        benchmark::RegisterBenchmark(("raw_verify/" + pair_name(p)).c_str(), raw_verify, p)->UseManualTime()->Unit(benchmark::kMicrosecond);
    for (const auto& p : pairs)
        benchmark::RegisterBenchmark(("pca_sign/" + pair_name(p)).c_str(), pca_sign, p)->UseManualTime()->Unit(benchmark::kMicrosecond);
    for (auto k : {key_algorithm::ec_prime256v1, key_algorithm::ec_secp384r1, key_algorithm::ec_secp521r1,
                   key_algorithm::rsa_2048, key_algorithm::rsa_3072, key_algorithm::rsa_4096})
        benchmark::RegisterBenchmark(("csr_intake/" + std::string(to_string(k))).c_str(), csr_intake, k)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond);
    return 0;
}();
}  // namespace
