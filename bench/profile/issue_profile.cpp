// The issuance path alone, for profilers (docs/performance.md):
//   valgrind --tool=callgrind --instr-atstart=no build-bench/bench/pca_issue_profile memory P256 200
//   callgrind_annotate --inclusive=yes callgrind.out.<pid> | head -60
// Sets up an ACTIVE root CA through the service (not collected), warms up with 10 issuances,
// then issues <n> certificates from one P-256 CSR with collection on, and prints the wall time
// per issuance. Arguments: memory|sqlite, P256|RSA2048, n, and optionally a facade call to
// profile instead of IssueCertificate: describe | get_certificate | list_tags.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#endif

#include "support/throughput.hpp"

int main(int argc, char** argv) {
    using namespace pca;
    using namespace pca::bench;
    if (argc != 4 && argc != 5) {
        std::fprintf(stderr, "usage: %s memory|sqlite P256|RSA2048 n [describe|get_certificate|list_tags]\n", argv[0]);
        return 2;
    }
    const store_kind kind = std::strcmp(argv[1], "sqlite") == 0 ? store_kind::sqlite : store_kind::memory;
    const key_algorithm key = std::strcmp(argv[2], "RSA2048") == 0 ? key_algorithm::rsa_2048 : key_algorithm::ec_prime256v1;
    const int n = std::atoi(argv[3]);
    crypto::ctr_drbg random("pca-issue-profile");
    temp_dir dir;
    service_ca ca(kind, key, dir.path());
    const auto csr = make_csr(key_algorithm::ec_prime256v1, random);
    const auto request = ca.request(csr, service_ca::default_signing(key));
    std::string certificate_arn;
    for (int i = 0; i < 10; ++i) certificate_arn = ca.service().issue_certificate(request).certificate_arn;
    const std::string op = argc == 5 ? argv[4] : "issue";
    tag_certificate_authority_request tags;
    tags.certificate_authority_arn = ca.arn();
    for (int i = 0; i < 10; ++i) tags.tags.push_back({"team-" + std::to_string(i), "value-" + std::to_string(i)});
    ca.service().tag_certificate_authority(tags);
    auto call = [&] {
        if (op == "describe") (void)ca.service().describe_certificate_authority({ca.arn()});
        else if (op == "get_certificate") (void)ca.service().get_certificate({ca.arn(), certificate_arn});
        else if (op == "list_tags") (void)ca.service().list_tags({std::nullopt, std::nullopt, ca.arn()});
        else (void)ca.service().issue_certificate(request);
    };
    for (int i = 0; i < 10; ++i) call();
    CALLGRIND_ZERO_STATS;
    CALLGRIND_START_INSTRUMENTATION;
    const auto t0 = steady::now();
    for (int i = 0; i < n; ++i) call();
    const double s = seconds_between(t0, steady::now());
    CALLGRIND_STOP_INSTRUMENTATION;
    std::printf("%s %s: %d x %s, %.2f us each\n", to_string(kind), argv[2], n, op.c_str(), s / n * 1e6);
    return 0;
}
