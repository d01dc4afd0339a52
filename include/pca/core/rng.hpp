// pca/core/rng.hpp - the random source interface the library draws from.
#pragma once

#include <cstddef>
#include <cstdint>

#include "pca/core/bytes.hpp"

namespace pca {

/// A source of random bytes. The service takes one by reference; crypto::ctr_drbg is the
/// production implementation (a CSPRNG), tests may inject a deterministic one.
/// Implementations must be safe to call from several threads at once.
class rng {
public:
    virtual ~rng() = default;
    /// Fills [out, out + n) with random bytes; throws on failure, never returns weak output.
    virtual void fill(std::uint8_t* out, std::size_t n) = 0;

    bytes generate(std::size_t n) {
        bytes b(n);
        if (n) fill(b.data(), n);
        return b;
    }
};

}  // namespace pca
