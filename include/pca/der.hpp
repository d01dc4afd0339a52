// pca/der.hpp - the encoding layer: strict DER reader and writer, OIDs, times, PEM, base64.
#pragma once

#include "pca/der/base64.hpp"
#include "pca/der/error.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/pem.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/tag.hpp"
#include "pca/der/time.hpp"
#include "pca/der/writer.hpp"
