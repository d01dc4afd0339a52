// pca-bench: how fast can pca issue certificates on this machine, and how close is that to
// what the crypto backend (mbedTLS) allows?
//
// For every CA key algorithm and each of its signing algorithms it
//   1. creates a root CA through the service (CreateCertificateAuthority, self-signed
//      RootCACertificate/V1, ImportCertificateAuthorityCertificate);
//   2. issues certificates from one P-256 CSR (EndEntityCertificate/V1, 30 days) through
//      service::issue_certificate, and pairs every issuance with one raw mbedTLS signature with
//      the CA key and one raw mbedTLS verification of the CSR's signature, timed apart;
//   3. prints raw signatures/s, raw CSR verifications/s, the backend limit
//      1 / (t_sign + t_verify_csr), issued certificates/s, and their ratio.
//
//   pca-bench                         every pair, 1 s of issuance each, memory_store, a table
//   pca-bench --keys EC_prime256v1,RSA_2048 --seconds 3
//   pca-bench --store sqlite --json   SQLite store (WAL, synchronous=FULL) in a temp dir, JSON
//   pca-bench --threads 2             also issue from 2 threads at once and report the speed-up
//
// A progress line is written to stderr while it runs (RSA_4096 key generation takes a while).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/throughput.hpp"

namespace {
using namespace pca;
using namespace pca::bench;

struct options {
    bool json = false;
    double seconds = 1.0;
    long iterations = 0;  ///< fixed count per pair (overrides seconds)
    std::vector<key_algorithm> keys;
    store_kind store = store_kind::memory;
    int threads = 1;
};

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "pca-bench: %s\n"
                 "usage: pca-bench [--json] [--seconds S] [--iterations N] [--keys K1,K2,...]\n"
                 "                 [--store memory|sqlite|sqlite-process-crash] [--threads N]\n"
                 "  keys: EC_prime256v1 EC_secp384r1 EC_secp521r1 RSA_2048 RSA_3072 RSA_4096\n",
                 why);
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(("missing value after " + a).c_str());
            return argv[++i];
        };
        if (a == "--json") {
            o.json = true;
        } else if (a == "--seconds") {
            o.seconds = std::atof(value().c_str());
            if (!(o.seconds > 0)) usage("--seconds must be positive");
        } else if (a == "--iterations") {
            o.iterations = std::atol(value().c_str());
            if (o.iterations < 1) usage("--iterations must be at least 1");
        } else if (a == "--keys") {
            std::stringstream list(value());
            std::string name;
            while (std::getline(list, name, ',')) {
                const auto k = try_parse_enum<key_algorithm>(name);
                if (!k || !crypto::is_supported(*k)) usage(("unknown or unsupported key algorithm " + name).c_str());
                o.keys.push_back(*k);
            }
        } else if (a == "--store") {
            const std::string s = value();
            if (s == "memory") o.store = store_kind::memory;
            else if (s == "sqlite") o.store = store_kind::sqlite;
            else if (s == "sqlite-process-crash") o.store = store_kind::sqlite_process_crash;
            else usage("--store is memory, sqlite or sqlite-process-crash");
        } else if (a == "--threads") {
            o.threads = std::atoi(value().c_str());
            if (o.threads < 1 || o.threads > 64) usage("--threads must be 1 to 64");
        } else if (a == "--help" || a == "-h") {
            usage("measures signing and issuance throughput");
        } else {
            usage(("unknown argument " + a).c_str());
        }
    }
    return o;
}

/// The progress line on stderr: rewritten in place on a terminal, one line per step otherwise.
class progress {
public:
    progress() : m_tty(::isatty(STDERR_FILENO) != 0) {}
    ~progress() { done(); }
    void show(const std::string& text) {
        if (m_tty) {
            std::fprintf(stderr, "\r\033[K%s", text.c_str());
        } else {
            std::fprintf(stderr, "%s\n", text.c_str());
        }
        std::fflush(stderr);
        m_shown = true;
    }
    void done() {
        if (m_tty && m_shown) std::fprintf(stderr, "\r\033[K");
        m_shown = false;
    }

private:
    bool m_tty;
    bool m_shown = false;
};

struct result {
    algorithm_pair pair;
    long issued = 0;
    double sign_per_s = 0, verify_per_s = 0, limit_per_s = 0, issued_per_s = 0, ratio = 0;
    double issued_per_s_threads = 0, speedup = 0;
};

/// Seconds for `threads` threads to issue `per_thread` certificates each from a common start
/// (each warms up with one issuance: its DRBG and key context are made then).
double issue_concurrently(service_ca& ca, const issue_certificate_request& request, int threads, long per_thread) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<steady::time_point> ends(static_cast<std::size_t>(threads));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            (void)ca.service().issue_certificate(request);
            ++ready;
            while (!go.load()) std::this_thread::yield();
            for (long i = 0; i < per_thread; ++i) (void)ca.service().issue_certificate(request);
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

result measure(service_ca& ca, const csr_fixture& csr, algorithm_pair p, const options& o, progress& bar,
               const std::string& prefix) {
    result r;
    r.pair = p;
    const auto request = ca.request(csr, p.signing);
    backend_probe probe(ca.private_key_der(), p.signing, csr);
    (void)ca.service().issue_certificate(request);  // warm-up: parsed key and certificate cached
    (void)probe.once();
    double issue = 0, sign = 0, verify = 0;
    const auto started = steady::now();
    auto last_update = started;
    long n = 0;
    for (;;) {
        if (o.iterations ? n >= o.iterations : issue >= o.seconds) break;
        sign += probe.sign_once();
        verify += probe.verify_once();
        const auto t0 = steady::now();
        const auto arn = ca.service().issue_certificate(request).certificate_arn;
        const auto t1 = steady::now();
        if (arn.empty()) throw std::runtime_error("IssueCertificate returned no ARN");
        issue += seconds_between(t0, t1);
        ++n;
        if (seconds_between(last_update, t1) > 0.25) {
            last_update = t1;
            char line[160];
            std::snprintf(line, sizeof line, "%s issuing: %ld certificates, %.0f/s", prefix.c_str(), n,
                          static_cast<double>(n) / issue);
            bar.show(line);
        }
    }
    const double count = static_cast<double>(n);
    r.issued = n;
    r.sign_per_s = count / sign;
    r.verify_per_s = count / verify;
    r.limit_per_s = count / (sign + verify);
    r.issued_per_s = count / issue;
    r.ratio = (sign + verify) / issue;
    if (o.threads > 1) {
        bar.show(prefix + " issuing from 1 thread, then " + std::to_string(o.threads) + " threads");
        const long per_thread = o.iterations ? std::max<long>(2, o.iterations)
                                             : std::max<long>(2, static_cast<long>(r.issued_per_s * std::min(o.seconds, 2.0) / o.threads));
        const double one = issue_concurrently(ca, request, 1, per_thread * o.threads);
        const double many = issue_concurrently(ca, request, o.threads, per_thread);
        r.issued_per_s_threads = static_cast<double>(per_thread * o.threads) / many;
        r.speedup = one / many;
    }
    return r;
}

std::string machine_description() {
    std::string cpu;
    if (FILE* f = std::fopen("/proc/cpuinfo", "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, f))
            if (std::strncmp(line, "model name", 10) == 0) {
                const char* colon = std::strchr(line, ':');
                cpu = colon ? colon + 2 : line;
                if (!cpu.empty() && cpu.back() == '\n') cpu.pop_back();
                break;
            }
        std::fclose(f);
    }
    return cpu.empty() ? "unknown CPU" : cpu;
}

void print_table(const std::vector<result>& results, const options& o) {
    std::printf("pca-bench: %s, %u hardware threads, mbedTLS %s, %s, CSR EC_prime256v1/SHA256WITHECDSA\n\n",
                machine_description().c_str(), std::thread::hardware_concurrency(), crypto::compat::mbedtls_version,
                to_string(o.store));
    std::printf("%-14s %-20s %10s %12s %10s %10s %7s", "key", "signing", "sign/s", "verify_csr/s", "limit/s",
                "issued/s", "ratio");
    if (o.threads > 1) std::printf(" %12s %8s", ("issued/s@" + std::to_string(o.threads) + "t").c_str(), "speedup");
    std::printf("\n");
    for (const auto& r : results) {
        std::printf("%-14s %-20s %10.1f %12.1f %10.1f %10.1f %7.3f", std::string(to_string(r.pair.key)).c_str(),
                    std::string(to_string(r.pair.signing)).c_str(), r.sign_per_s, r.verify_per_s, r.limit_per_s,
                    r.issued_per_s, r.ratio);
        if (o.threads > 1) std::printf(" %12.1f %8.2f", r.issued_per_s_threads, r.speedup);
        std::printf("\n");
    }
    std::printf("\nsign/s and verify_csr/s: mbedTLS called directly; limit/s = 1 / (t_sign + t_verify_csr);\n"
                "issued/s: service::issue_certificate; ratio = issued/s / limit/s, measured in the same run.\n");
    if (o.threads > 1 && crypto::compat::mbedtls_shared_ec_counters)
        std::printf("\nnote: this mbedTLS is built with MBEDTLS_SELF_TEST: its EC code counts every field multiplication\n"
                    "in a process-wide variable, so EC keys gain little from more threads in one process (RSA does).\n"
                    "scripts/build-mbedtls builds the same mbedTLS without it; see docs/performance.md, \"Threads\".\n");
}

void print_json(const std::vector<result>& results, const options& o) {
    nlohmann::json out;
    out["machine"] = {{"cpu", machine_description()}, {"hardware_threads", std::thread::hardware_concurrency()}};
    out["mbedtls"] = crypto::compat::mbedtls_version;
    out["mbedtls_self_test"] = crypto::compat::mbedtls_shared_ec_counters;
    out["store"] = to_string(o.store);
    out["csr"] = "EC_prime256v1/SHA256WITHECDSA";
    out["threads"] = o.threads;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : results) {
        nlohmann::json row = {{"key_algorithm", to_string(r.pair.key)},
                              {"signing_algorithm", to_string(r.pair.signing)},
                              {"iterations", r.issued},
                              {"raw_sign_per_s", r.sign_per_s},
                              {"raw_verify_csr_per_s", r.verify_per_s},
                              {"limit_per_s", r.limit_per_s},
                              {"issued_per_s", r.issued_per_s},
                              {"ratio", r.ratio}};
        if (o.threads > 1) {
            row["issued_per_s_threads"] = r.issued_per_s_threads;
            row["speedup"] = r.speedup;
        }
        rows.push_back(std::move(row));
    }
    out["results"] = std::move(rows);
    std::cout << out.dump(2) << "\n";
}
}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    try {
        crypto::ctr_drbg random("pca-bench");
        temp_dir dir;
        progress bar;
        bar.show("making the P-256 CSR");
        const csr_fixture csr = make_csr(key_algorithm::ec_prime256v1, random);
        auto pairs = supported_pairs();
        if (!o.keys.empty())
            pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                                       [&](const algorithm_pair& p) {
                                           return std::find(o.keys.begin(), o.keys.end(), p.key) == o.keys.end();
                                       }),
                        pairs.end());
        std::vector<result> results;
        std::unique_ptr<service_ca> ca;
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const auto& p = pairs[i];
            const std::string prefix = "[" + std::to_string(i + 1) + "/" + std::to_string(pairs.size()) + "] " + pair_name(p);
            if (!ca || i == 0 || pairs[i - 1].key != p.key) {
                ca.reset();
                bar.show(prefix + ": creating the CA (key generation, self-signed certificate, import)");
                ca = std::make_unique<service_ca>(o.store, p.key, dir.path());
            }
            bar.show(prefix);
            results.push_back(measure(*ca, csr, p, o, bar, prefix));
        }
        bar.done();
        if (o.json) print_json(results, o);
        else print_table(results, o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "\npca-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
