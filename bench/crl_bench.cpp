// CRL and audit report benchmarks (issue 5 and issue 10 targets):
//   raw_sign                     one signature with the CA key: the baseline of this run
//   crl_build_sign/<key>/<n>     n revocation records -> entry list -> signed CRL DER
//   crl_incremental_1m/<key>     one more revocation on a 1,000,000-entry list, then a new CRL
//   audit_report/<format>/<n>    an audit report body for n certificates
// Each CRL benchmark reports entries/s (items_per_second), `x_signature` (its time divided by
// the raw signature time measured in the same run) and `mem_x_der` (entry list + output
// divided by the CRL's DER size). Keys and inputs are made outside the timed loops.
//
//   build-bench/bench/pca_bench --benchmark_filter='crl|audit|raw_sign'
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "pca/crypto/drbg.hpp"
#include "pca/crypto/key.hpp"
#include "pca/der/pem.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/service/audit_report.hpp"
#include "pca/x509/crl.hpp"
#include "pca/x509/name.hpp"

namespace {
using namespace pca;
using bench_clock = std::chrono::steady_clock;

struct ca_kind {
    const char* name;
    const char* fixture;
    signing_algorithm algorithm;
};
const ca_kind kinds[] = {
    {"P256", "p256", signing_algorithm::sha256_with_ecdsa},
    {"RSA2048", "rsa2048", signing_algorithm::sha256_with_rsa},
};

crypto::ctr_drbg& bench_rng() {
    static crypto::ctr_drbg rng("pca-bench");
    return rng;
}

const crypto::private_key& ca_key(int kind) {
    static std::map<int, crypto::private_key> keys;
    auto it = keys.find(kind);
    if (it == keys.end()) {
        std::ifstream in(std::string(PCA_SOURCE_DIR "/tests/data/keys/") + kinds[kind].fixture + ".pem");
        const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        it = keys.emplace(kind, crypto::private_key::from_pkcs8_der(der::pem_decode_one(pem, "PRIVATE KEY"))).first;
    }
    return it->second;
}

x509::crl_issuer issuer(int kind) {
    x509::name_attribute cn;
    cn.type = der::oids::common_name;
    cn.value_tag = der::tag::utf8_string;
    const std::string text = "pca bench CA";
    cn.value = bytes(text.begin(), text.end());
    x509::crl_issuer i;
    i.subject_der = x509::name::from_attributes({cn}).der();
    i.key_identifier = bytes(20, 0x5a);
    i.algorithm = kinds[kind].algorithm;
    return i;
}

/// Seconds per raw signature with the CA key, measured once per process (the raw_sign
/// benchmark reports the same quantity).
double sign_seconds(int kind) {
    static std::map<int, double> cache;
    auto it = cache.find(kind);
    if (it != cache.end()) return it->second;
    const bytes message(64, 0x42);
    const auto& key = ca_key(kind);
    (void)key.sign(kinds[kind].algorithm, message, bench_rng());  // warm up
    const int n = 200;
    const auto start = bench_clock::now();
    for (int i = 0; i < n; ++i) benchmark::DoNotOptimize(key.sign(kinds[kind].algorithm, message, bench_rng()));
    const double s = std::chrono::duration<double>(bench_clock::now() - start).count() / n;
    cache.emplace(kind, s);
    return s;
}

/// A 16-byte random serial, as the CA draws them.
bytes random_serial() {
    bytes s = bench_rng().generate(16);
    s[15] |= 1;
    return s;
}

struct revocation_record {
    bytes serial;
    sys_seconds revoked_at;
    revocation_reason reason;
    sys_seconds not_after;
};

const std::vector<revocation_record>& records(std::size_t n) {
    static std::map<std::size_t, std::vector<revocation_record>> cache;
    auto it = cache.find(n);
    if (it != cache.end()) return it->second;
    std::vector<revocation_record> v;
    v.reserve(n);
    const sys_seconds base = to_sys_seconds(civil_time{2025, 1, 1, 0, 0, 0});
    for (std::size_t i = 0; i < n; ++i)
        v.push_back({random_serial(), base + std::chrono::seconds(i),
                     enum_traits<revocation_reason>::values[i % 8], base + std::chrono::hours(24 * 400)});
    return cache.emplace(n, std::move(v)).first->second;
}

const sys_seconds generated_at = to_sys_seconds(civil_time{2025, 6, 1, 12, 0, 0});

void raw_sign(benchmark::State& state) {
    const int kind = static_cast<int>(state.range(0));
    const auto& key = ca_key(kind);
    const bytes message(64, 0x42);
    for (auto _ : state) benchmark::DoNotOptimize(key.sign(kinds[kind].algorithm, message, bench_rng()));
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(kinds[kind].name);
}

void crl_build_sign(benchmark::State& state) {
    const int kind = static_cast<int>(state.range(0));
    const std::size_t n = static_cast<std::size_t>(state.range(1));
    const auto& input = records(n);
    const auto& key = ca_key(kind);
    const auto who = issuer(kind);
    const double t_sign = sign_seconds(kind);
    const auto fields = policy::crl_fields_at(generated_at, 7, 1748779200000);
    double total = 0, mem_ratio = 0;
    std::size_t der_size = 0;
    for (auto _ : state) {
        const auto start = bench_clock::now();
        x509::crl_entry_list list;
        list.reserve(n);
        for (const auto& r : input) list.add(r.serial, r.revoked_at, r.reason, r.not_after);
        const bytes der = x509::make_crl(who, list, fields, key, bench_rng());
        const double s = std::chrono::duration<double>(bench_clock::now() - start).count();
        state.SetIterationTime(s);
        total += s;
        der_size = der.size();
        mem_ratio = static_cast<double>(list.memory_used() + der.size()) / static_cast<double>(der.size());
        benchmark::DoNotOptimize(der.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
    state.counters["x_signature"] = total / static_cast<double>(state.iterations()) / t_sign;
    state.counters["der_MB"] = static_cast<double>(der_size) / 1e6;
    state.counters["mem_x_der"] = mem_ratio;
    state.SetLabel(kinds[kind].name);
}

void crl_incremental_1m(benchmark::State& state) {
    const int kind = static_cast<int>(state.range(0));
    const std::size_t n = 1000000;
    const auto& input = records(n);
    const auto& key = ca_key(kind);
    const auto who = issuer(kind);
    const double t_sign = sign_seconds(kind);
    x509::crl_entry_list list;
    list.reserve(n + 64);
    for (const auto& r : input) list.add(r.serial, r.revoked_at, r.reason, r.not_after);
    std::int64_t number = 1748779200000;
    double total = 0;
    std::size_t der_size = 0;
    for (auto _ : state) {
        const bytes serial = random_serial();  // the new revocation arrives
        const auto start = bench_clock::now();
        list.add(serial, generated_at, revocation_reason::key_compromise, generated_at + std::chrono::hours(24));
        const bytes der = x509::make_crl(who, list, policy::crl_fields_at(generated_at, 7, ++number), key, bench_rng());
        const double s = std::chrono::duration<double>(bench_clock::now() - start).count();
        state.SetIterationTime(s);
        total += s;
        der_size = der.size();
        benchmark::DoNotOptimize(der.data());
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["x_signature"] = total / static_cast<double>(state.iterations()) / t_sign;
    state.counters["over_signature_ms"] = (total / static_cast<double>(state.iterations()) - t_sign) * 1e3;
    state.counters["der_MB"] = static_cast<double>(der_size) / 1e6;
    state.SetLabel(kinds[kind].name);
}

const std::vector<audit_entry>& audit_entries(std::size_t n) {
    static std::map<std::size_t, std::vector<audit_entry>> cache;
    auto it = cache.find(n);
    if (it != cache.end()) return it->second;
    const auto& recs = records(n);
    std::vector<audit_entry> v;
    v.reserve(n);
    const std::string ca_arn =
        "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";
    for (std::size_t i = 0; i < n; ++i) {
        audit_entry e;
        e.aws_account_id = "123456789012";
        e.certificate_arn = ca_arn + "/certificate/" + to_hex(recs[i].serial);
        e.serial = recs[i].serial;
        e.subject_rfc2253 = "CN=host" + std::to_string(i) + ".example.com,OU=Engineering,O=Example\\, Inc.,L=Seattle,ST=WA,C=US";
        e.not_before = recs[i].revoked_at - std::chrono::hours(1);
        e.not_after = recs[i].not_after;
        e.issued_at = recs[i].revoked_at - std::chrono::minutes(59);
        if (i % 10 == 0) {
            e.revoked_at = recs[i].revoked_at;
            e.revocation_reason = recs[i].reason;
        }
        e.template_arn = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";
        v.push_back(std::move(e));
    }
    return cache.emplace(n, std::move(v)).first->second;
}

void audit_report(benchmark::State& state) {
    const auto format = state.range(0) == 0 ? audit_report_response_format::json : audit_report_response_format::csv;
    const std::size_t n = static_cast<std::size_t>(state.range(1));
    const auto& entries = audit_entries(n);
    std::size_t size = 0;
    for (auto _ : state) {
        const std::string report = format_audit_report(entries, format);
        size = report.size();
        benchmark::DoNotOptimize(report.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
    state.SetLabel(format == audit_report_response_format::json ? "JSON" : "CSV");
}

/// The same report written in 1 MiB chunks to a sink that discards them (memory stays flat).
void audit_report_stream(benchmark::State& state) {
    const auto format = state.range(0) == 0 ? audit_report_response_format::json : audit_report_response_format::csv;
    const std::size_t n = static_cast<std::size_t>(state.range(1));
    const auto& entries = audit_entries(n);
    std::size_t size = 0;
    for (auto _ : state) {
        size = 0;
        write_audit_report(entries, format, [&](std::string_view piece) {
            size += piece.size();
            benchmark::DoNotOptimize(piece.data());
        });
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
    state.SetLabel(format == audit_report_response_format::json ? "JSON" : "CSV");
}
}  // namespace

BENCHMARK(raw_sign)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(crl_build_sign)
    ->Args({0, 10000})
    ->Args({1, 10000})
    ->Args({0, 100000})
    ->Args({1, 100000})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(crl_build_sign)->Args({0, 1000000})->Args({1, 1000000})->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(crl_incremental_1m)->Arg(0)->Arg(1)->Iterations(5)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(audit_report)->Args({0, 100000})->Args({1, 100000})->Unit(benchmark::kMillisecond);
BENCHMARK(audit_report)->Args({0, 1000000})->Args({1, 1000000})->Iterations(2)->Unit(benchmark::kMillisecond);
BENCHMARK(audit_report_stream)->Args({0, 1000000})->Args({1, 1000000})->Iterations(2)->Unit(benchmark::kMillisecond);
