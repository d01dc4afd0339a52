// pca/pca.hpp - the umbrella header: everything pca offers.
#pragma once

#include "pca/core.hpp"
