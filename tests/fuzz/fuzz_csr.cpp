// tests/fuzz/fuzz_csr.cpp - IssueCertificate's CSR intake and template application.
//
// The input is a CSR blob as a caller sends it (DER, or PEM text). Two paths:
//  1. policy::accept_csr on the input as it is (size, strict DER, algorithms, proof of
//     possession, extensionRequest values). It either refuses with MalformedCSRException or
//     accepts; an accepted CSR is issued (2).
//  2. Random mutations almost never keep a valid signature, so whenever the strict parser
//     accepts the request, its subject and requested extensions are signed again with a
//     fixture key (tests/data/keys/ee-p256.pem) and that CSR goes through accept_csr too:
//     the fuzzer reaches template application with hostile subjects and extensions.
// Issuing: a root CA made with pca's own policy layer (P-256, CRL and OCSP configured)
// applies one of the 61 templates (picked from the input's hash) through
// policy::prepare_certificate and signs. prepare_certificate may refuse with the service's
// error; what it signs must
//   - parse with pca's strict x509::certificate parser and with mbedTLS's
//     (mbedtls_x509_crt_parse_der_with_ext_cb, extensions mbedTLS does not know accepted),
//   - verify with the CA key, name the CA's subject byte for byte as issuer, carry the CSR's
//     public key, a positive serial of at most 20 octets, and every extension pca decodes
//     must decode;
//   - in the replay build with PCA_FUZZ_OPENSSL set (ctest does), also parse with
//     `openssl x509`.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "fuzz_common.hpp"
#include "pca/core/error.hpp"
#include "pca/crypto/error.hpp"
#include "pca/policy/csr_intake.hpp"
#include "pca/policy/issuance.hpp"
#include "pca/policy/templates.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/crl.hpp"
#include "pca/x509/csr.hpp"
#include "issuing_ca.hpp"

namespace pca::fuzz::csr_target {

void issue(const x509::csr& request, std::size_t pick) {
    const auto& catalogue = policy::template_catalogue();
    issue_and_check(request, catalogue[pick % catalogue.size()]);
}

void run(byte_view input) {
    const std::size_t pick = std::hash<std::string_view>{}(input.as_string_view());
    // 1. The blob as sent.
    try {
        const x509::csr request = policy::accept_csr(input);
        issue(request, pick);
    } catch (const pca::malformed_csr_exception&) {
    }
    // 2. What parses, signed again with a fixture key.
    std::optional<x509::csr> parsed;
    try {
        parsed = (!input.empty() && input[0] == 0x30) ? x509::csr::parse(input) : x509::csr::parse_pem(input.as_string_view());
    } catch (const der::decode_error&) {
        return;
    }
    x509::csr_request again;
    again.subject_der = parsed->subject().der();
    again.extensions = parsed->requested_extensions();
    again.algorithm = signing_algorithm::sha256_with_ecdsa;
    bytes resigned;
    try {
        resigned = again.sign(the_fixture().ee_key, test::test_rng());
    } catch (const pca::error&) {
        return;
    }
    try {
        const x509::csr request = policy::accept_csr(resigned);
        PCA_FUZZ_CHECK(request.subject().der() == parsed->subject().der() &&
                           request.requested_extensions() == parsed->requested_extensions(),
                       "a CSR written by pca from parsed values parses to other values");
        issue(request, pick / 61);
    } catch (const pca::malformed_csr_exception&) {
    }
}

}  // namespace pca::fuzz::csr_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pca::fuzz::csr_target::run(pca::byte_view(data, size));
    return 0;
}
