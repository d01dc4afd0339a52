// pca/x509.hpp - names, extensions, certificates, CSRs, builders.
#pragma once

#include "pca/x509/algorithm.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/csr.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/general_name.hpp"
#include "pca/x509/name.hpp"
