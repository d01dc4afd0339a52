// pca/pca.hpp - the umbrella header: everything pca offers.
#pragma once

#include "pca/core.hpp"
#include "pca/crypto.hpp"
#include "pca/der.hpp"
#include "pca/policy.hpp"
#include "pca/service/service.hpp"
#include "pca/service/waiters.hpp"
#include "pca/storage/memory_store.hpp"
#include "pca/storage/object_store.hpp"
#include "pca/storage/sqlite_store.hpp"
#include "pca/types.hpp"
#include "pca/x509.hpp"
#include "pca/x509/crl.hpp"
