// pca/types.hpp - the value-types layer: enums, shapes and their validation, ARNs, validity.
#pragma once

#include "pca/types/arn.hpp"
#include "pca/types/enums.hpp"
#include "pca/types/shapes.hpp"
#include "pca/types/validate.hpp"
#include "pca/types/validity.hpp"
