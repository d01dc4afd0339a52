// pca/crypto.hpp - the crypto layer: the only part of pca that includes mbedTLS.
#pragma once

#include "pca/crypto/compat.hpp"
#include "pca/crypto/digest.hpp"
#include "pca/crypto/drbg.hpp"
#include "pca/crypto/error.hpp"
#include "pca/crypto/aead.hpp"
#include "pca/crypto/hmac.hpp"
#include "pca/crypto/kdf.hpp"
#include "pca/crypto/key.hpp"
#include "pca/crypto/signature.hpp"
