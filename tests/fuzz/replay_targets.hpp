// tests/fuzz/replay_targets.hpp - the table of fuzz targets the replay driver can run
// (defined in replay_all.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pca::fuzz {
struct replay_target {
    const char* name;
    int (*run)(const std::uint8_t* data, std::size_t size);
};
extern const replay_target replay_targets[];
extern const std::size_t replay_target_count;
}  // namespace pca::fuzz
