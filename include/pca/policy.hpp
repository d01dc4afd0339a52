// pca/policy.hpp - the service's rules: templates, CSR intake, issuance, CA CSR, CRL location.
#pragma once

#include "pca/policy/ca_csr.hpp"
#include "pca/policy/crl_location.hpp"
#include "pca/policy/csr_intake.hpp"
#include "pca/policy/import_check.hpp"
#include "pca/policy/issuance.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/policy/templates.hpp"
