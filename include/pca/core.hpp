// pca/core.hpp - the core layer: bytes, errors, time, rng.
#pragma once

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/core/time.hpp"
