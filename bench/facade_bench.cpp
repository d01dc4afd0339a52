// Facade calls without cryptography (issue 10 target: >= 500,000 calls/s), on a memory_store
// with one ACTIVE P-256 root CA carrying 10 tags and 1,000 issued certificates:
//   facade/describe_certificate_authority
//   facade/list_tags
//   facade/get_certificate                   (PEM of the certificate and of its chain)
//   facade/get_certificate_authority_certificate
// Baseline of the same run: facade/baseline_store_find_ca, the store lookup alone.
//
//   build-bench/bench/pca_bench --benchmark_filter='facade'
#include <benchmark/benchmark.h>

#include "support/fixtures.hpp"

namespace {
using namespace pca;
using namespace pca::bench;

struct facade_fixture {
    service_ca ca{store_kind::memory, key_algorithm::ec_prime256v1, bench_dir().path()};
    std::string certificate_arn;
    std::string ca_id;

    facade_fixture() {
        tag_certificate_authority_request tags;
        tags.certificate_authority_arn = ca.arn();
        for (int i = 0; i < 10; ++i) tags.tags.push_back({"team-" + std::to_string(i), "value-" + std::to_string(i)});
        ca.service().tag_certificate_authority(tags);
        const auto request = ca.request(issuance_csr(), signing_algorithm::sha256_with_ecdsa);
        for (int i = 0; i < 1000; ++i) certificate_arn = ca.service().issue_certificate(request).certificate_arn;
        ca_id = ca_arn::parse(ca.arn()).ca_id();
    }
};

facade_fixture& fixture() {
    static facade_fixture f;
    return f;
}

void count(benchmark::State& state) {
    state.SetItemsProcessed(state.iterations());
}

void baseline_store_find_ca(benchmark::State& state) {
    auto& f = fixture();
    for (auto _ : state) benchmark::DoNotOptimize(f.ca.store().find_ca(f.ca_id));
    count(state);
}

void describe_certificate_authority(benchmark::State& state) {
    auto& f = fixture();
    const describe_certificate_authority_request req{f.ca.arn()};
    for (auto _ : state) benchmark::DoNotOptimize(f.ca.service().describe_certificate_authority(req));
    count(state);
}

void list_tags(benchmark::State& state) {
    auto& f = fixture();
    list_tags_request req;
    req.certificate_authority_arn = f.ca.arn();
    for (auto _ : state) benchmark::DoNotOptimize(f.ca.service().list_tags(req));
    count(state);
}

void get_certificate(benchmark::State& state) {
    auto& f = fixture();
    const get_certificate_request req{f.ca.arn(), f.certificate_arn};
    for (auto _ : state) benchmark::DoNotOptimize(f.ca.service().get_certificate(req));
    count(state);
}

void get_certificate_authority_certificate(benchmark::State& state) {
    auto& f = fixture();
    const get_certificate_authority_certificate_request req{f.ca.arn()};
    for (auto _ : state) benchmark::DoNotOptimize(f.ca.service().get_certificate_authority_certificate(req));
    count(state);
}
}  // namespace

BENCHMARK(baseline_store_find_ca)->Name("facade/baseline_store_find_ca");
BENCHMARK(describe_certificate_authority)->Name("facade/describe_certificate_authority");
BENCHMARK(list_tags)->Name("facade/list_tags");
BENCHMARK(get_certificate)->Name("facade/get_certificate");
BENCHMARK(get_certificate_authority_certificate)->Name("facade/get_certificate_authority_certificate");
