// tests/fuzz/replay_main.cpp - runs a fuzz target's LLVMFuzzerTestOneInput on files, without
// libFuzzer (as Mbed TLS's fuzz_onefile.c does), so that ctest replays the regression inputs
// and the committed seeds in every build, including the ASan+UBSan pass.
//
//   pca_fuzz_replay der tests/fuzz/regressions/der tests/fuzz/seeds/der some-file.der
//
// The first argument names the target (replay_all.cpp holds them all);
// each further argument is a file or a directory (its regular files, sorted by name). Prints one line
// per input and a count; an oracle failure or a sanitizer report aborts with the input's name
// already printed. An escaping exception is reported (and fails the run) the way libFuzzer
// reports it: as a crash of the input.
//
// Allocation bound (docs/security.md, "Resource limits"): operator new is counted, and the
// peak of live bytes allocated through it while one input runs must stay within
// alloc_factor * input size + alloc_slack. Each input runs twice and only the second run is
// measured, so that one-time set-up (the fuzz CA, caches) is not charged to the input.
// PCA_FUZZ_ALLOC_REPORT=1 prints each input's peak.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <cstring>

#include "replay_targets.hpp"

namespace {

std::atomic<std::size_t> live{0}, peak{0};

void* counted_alloc(std::size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    const std::size_t now = live.fetch_add(malloc_usable_size(p)) + malloc_usable_size(p);
    std::size_t old = peak.load();
    while (now > old && !peak.compare_exchange_weak(old, now)) {
    }
    return p;
}
void counted_free(void* p) noexcept {
    if (!p) return;
    live.fetch_sub(malloc_usable_size(p));
    std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace {

/// Peak bytes an input may hold through operator new: a fixed multiple of its size plus a
/// constant for the fixed work of a run (a certificate issued from a CSR, JSON documents).
constexpr std::size_t alloc_factor = 32;
constexpr std::size_t alloc_slack = 256u << 10;

int (*target)(const std::uint8_t*, std::size_t) = nullptr;

bool run_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", p.string().c_str());
        return false;
    }
    const std::vector<char> buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::printf("replay %s (%zu bytes)\n", p.string().c_str(), buf.size());
    std::fflush(stdout);
    // A copy of exactly the input's size, so that ASan sees reads past its end.
    std::vector<std::uint8_t> data(buf.begin(), buf.end());
    try {
        target(data.empty() ? nullptr : data.data(), data.size());
        const std::size_t base = live.load();
        peak.store(base);
        target(data.empty() ? nullptr : data.data(), data.size());
        const std::size_t used = peak.load() - base;
        if (std::getenv("PCA_FUZZ_ALLOC_REPORT"))
            std::printf("  peak %zu bytes (%.1f x input)\n", used, data.empty() ? 0.0 : double(used) / double(data.size()));
        if (used > alloc_factor * data.size() + alloc_slack) {
            std::fprintf(stderr, "FAILED %s: peak allocation %zu bytes exceeds %zu x %zu + %zu\n", p.string().c_str(), used,
                         alloc_factor, data.size(), alloc_slack);
            return false;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "FAILED %s: uncaught exception: %s\n", p.string().c_str(), e.what());
        return false;
    } catch (...) {
        std::fprintf(stderr, "FAILED %s: uncaught non-standard exception\n", p.string().c_str());
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    for (std::size_t k = 0; argc > 1 && k < pca::fuzz::replay_target_count; ++k)
        if (std::strcmp(argv[1], pca::fuzz::replay_targets[k].name) == 0) target = pca::fuzz::replay_targets[k].run;
    if (!target) {
        std::fprintf(stderr, "usage: %s <target> <file or directory>...; targets:", argv[0]);
        for (std::size_t k = 0; k < pca::fuzz::replay_target_count; ++k) std::fprintf(stderr, " %s", pca::fuzz::replay_targets[k].name);
        std::fprintf(stderr, "\n");
        return 2;
    }
    std::size_t count = 0, failed = 0;
    for (int i = 2; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(arg)) {
            for (const auto& e : std::filesystem::directory_iterator(arg))
                if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
            std::sort(files.begin(), files.end());
        } else if (std::filesystem::exists(arg)) {
            files.push_back(arg);
        } else {
            std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
            return 2;
        }
        for (const auto& f : files) {
            ++count;
            if (!run_file(f)) ++failed;
        }
    }
    std::printf("%zu inputs replayed, %zu failed\n", count, failed);
    if (count == 0) {
        std::fprintf(stderr, "no inputs\n");
        return 2;
    }
    return failed ? 1 : 0;
}
