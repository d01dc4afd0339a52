// tests/fuzz/fuzz_common.hpp - what every fuzz target shares: the oracle check that stops the
// run with a message, and the rule for exceptions.
//
// A target returns normally when the library refused the input with its named error
// (pca::der::decode_error, pca::error and its subclasses, pca::crypto::crypto_error). Any
// other exception (std::out_of_range, std::length_error, std::bad_alloc, ...) escapes and
// libFuzzer (or the replay driver) reports it: bad input must get the API's named error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pca/core/bytes.hpp"

namespace pca::fuzz {

[[noreturn]] inline void oracle_failed(const char* file, int line, const char* cond, const std::string& detail) {
    std::fprintf(stderr, "%s:%d: fuzz oracle failed: %s\n  %s\n", file, line, cond, detail.c_str());
    std::fflush(stderr);
    std::abort();
}

inline std::string hex(byte_view b, std::size_t max = 64) {
    std::string s = to_hex(b.size() > max ? b.subview(0, max) : b);
    if (b.size() > max) s += "...";
    return s + " (" + std::to_string(b.size()) + " bytes)";
}

}  // namespace pca::fuzz

/// Checks an oracle: aborts with the condition and `detail` (a std::string expression) when it
/// does not hold, so that libFuzzer saves the input as a crash.
#define PCA_FUZZ_CHECK(cond, detail)                                                    \
    do {                                                                                \
        if (!(cond)) ::pca::fuzz::oracle_failed(__FILE__, __LINE__, #cond, (detail));   \
    } while (0)
