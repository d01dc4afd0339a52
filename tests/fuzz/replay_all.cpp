// tests/fuzz/replay_all.cpp - every fuzz target in one translation unit for the replay
// driver (replay_main.cpp): each target's LLVMFuzzerTestOneInput is renamed while its source
// is included, so that the test build compiles pca's headers once for all targets, not once
// per target. The libFuzzer build (PCA_FUZZ=ON) compiles each fuzz_<name>.cpp on its own.
#include <cstddef>
#include <cstdint>

#include "replay_targets.hpp"

#define LLVMFuzzerTestOneInput pca_fuzz_replay_der
#include "fuzz_der.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput pca_fuzz_replay_pem
#include "fuzz_pem.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput pca_fuzz_replay_csr
#include "fuzz_csr.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput pca_fuzz_replay_import
#include "fuzz_import.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput pca_fuzz_replay_passthrough
#include "fuzz_passthrough.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput pca_fuzz_replay_policy
#include "fuzz_policy.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput pca_fuzz_replay_serial
#include "fuzz_serial.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput pca_fuzz_replay_server
#include "fuzz_server.cpp"
#undef LLVMFuzzerTestOneInput

namespace pca::fuzz {
const replay_target replay_targets[] = {
    {"der", &pca_fuzz_replay_der},
    {"pem", &pca_fuzz_replay_pem},
    {"csr", &pca_fuzz_replay_csr},
    {"import", &pca_fuzz_replay_import},
    {"passthrough", &pca_fuzz_replay_passthrough},
    {"policy", &pca_fuzz_replay_policy},
    {"serial", &pca_fuzz_replay_serial},
    {"server", &pca_fuzz_replay_server},
};
const std::size_t replay_target_count = sizeof replay_targets / sizeof replay_targets[0];
}  // namespace pca::fuzz
