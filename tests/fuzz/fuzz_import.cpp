// tests/fuzz/fuzz_import.cpp - ImportCertificateAuthorityCertificate's check
// (policy::check_ca_certificate_import): a CA certificate and its chain, both PEM.
//
// The input is PEM text. Everything up to and including the first "-----END CERTIFICATE-----"
// is the Certificate; the rest, when it holds a "-----BEGIN", is the CertificateChain and
// the import is for a SUBORDINATE CA, otherwise for a ROOT. The CA's key (the CSR's key in
// the service) is the certificate's own key when the certificate parses, so that the check
// goes past the key comparison. The clock is fixed (2026-08-01).
//
// Oracles beyond "no crash":
//  1. Refusals are the service's named errors (pca::error); nothing else escapes.
//  2. The check is deterministic: a second run gives the same outcome (same error name and
//     message, or the same accepted certificates).
//  3. An accepted import: the certificate and every chain certificate re-parse to the same
//     DER with pca's strict parser and parse with mbedTLS; at most four chain certificates;
//     BasicConstraints present, critical, cA; a ROOT is self-signed; a SUBORDINATE's chain
//     links: each certificate is issued (name bytes and signature) by the next, the last
//     is self-signed.
#include <mbedtls/x509_crt.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "pca/core/error.hpp"
#include "pca/policy/import_check.hpp"
#include "pca/x509/certificate.hpp"

namespace pca::fuzz::import_target {

struct outcome {
    bool accepted = false;
    std::string error;  // "<errc>: <message>"
    std::optional<policy::import_result> result;
};

outcome attempt(byte_view cert, std::optional<byte_view> chain, const policy::import_context& ctx) {
    outcome o;
    try {
        o.result = policy::check_ca_certificate_import(cert, chain, ctx);
        o.accepted = true;
    } catch (const pca::error& e) {
        o.error = std::string(aws_exception_name(e.code())) + ": " + e.what();
    }
    return o;
}

int accept_unknown_extension(void*, const mbedtls_x509_crt*, const mbedtls_x509_buf*, int, const unsigned char*,
                             const unsigned char*) {
    return 0;
}

void check_reparse(const x509::certificate& c, const char* what) {
    const x509::certificate again = x509::certificate::parse(c.der());
    PCA_FUZZ_CHECK(again == c, std::string(what) + " does not re-parse to the same DER");
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    const int rc = mbedtls_x509_crt_parse_der_with_ext_cb(&crt, c.der().data(), c.der().size(), 1, &accept_unknown_extension, nullptr);
    mbedtls_x509_crt_free(&crt);
    PCA_FUZZ_CHECK(rc == 0, std::string(what) + " accepted by the import check is refused by mbedTLS: " + std::to_string(rc) + " " +
                                hex(c.der(), 4096));
    const auto bc = c.get<x509::basic_constraints>();
    const x509::extension* bce = c.find_extension(x509::basic_constraints::id);
    PCA_FUZZ_CHECK(bc && bc->ca && bce && bce->critical, std::string(what) + " is not a CA certificate with critical BasicConstraints");
}

void run(std::string_view text) {
    static constexpr std::string_view end_marker = "-----END CERTIFICATE-----";
    const std::size_t end = text.find(end_marker);
    const std::size_t split = end == std::string_view::npos ? text.size() : end + end_marker.size();
    const std::string_view cert_text = text.substr(0, split);
    const std::string_view chain_text = text.substr(split);
    const bool subordinate = chain_text.find("-----BEGIN") != std::string_view::npos;

    policy::import_context ctx;
    ctx.type = subordinate ? certificate_authority_type::subordinate : certificate_authority_type::root;
    ctx.now = sys_seconds{} + std::chrono::seconds(1785542400);  // 2026-08-01T00:00:00Z
    try {
        ctx.csr_public_key_info_der = x509::certificate::parse(der::pem_decode_one(cert_text, "CERTIFICATE")).public_key_info().der;
    } catch (const der::decode_error&) {
    }
    const std::optional<byte_view> chain = subordinate ? std::optional<byte_view>(byte_view(chain_text)) : std::nullopt;

    const outcome first = attempt(byte_view(cert_text), chain, ctx);
    const outcome second = attempt(byte_view(cert_text), chain, ctx);
    PCA_FUZZ_CHECK(first.accepted == second.accepted && first.error == second.error,
                   "import check is not deterministic: '" + first.error + "' then '" + second.error + "'");
    if (std::getenv("PCA_FUZZ_VERBOSE"))
        std::printf("  %s %s\n", subordinate ? "SUBORDINATE" : "ROOT", first.accepted ? "accepted" : first.error.c_str());
    if (!first.accepted) return;
    const auto& r = *first.result;
    PCA_FUZZ_CHECK(r.certificate == second.result->certificate && r.chain.size() == second.result->chain.size(),
                   "import check accepts different certificates on a second run");
    check_reparse(r.certificate, "Certificate");
    PCA_FUZZ_CHECK(r.chain.size() <= policy::max_import_chain_certificates, "chain longer than the limit accepted");
    if (!subordinate) {
        PCA_FUZZ_CHECK(r.chain.empty() && r.certificate.is_self_signed(), "ROOT import accepted a certificate that is not self-signed");
        return;
    }
    PCA_FUZZ_CHECK(!r.chain.empty(), "SUBORDINATE import accepted without a chain");
    const x509::certificate* child = &r.certificate;
    for (std::size_t i = 0; i < r.chain.size(); ++i) {
        const x509::certificate& parent = r.chain[i];
        check_reparse(parent, "chain certificate");
        PCA_FUZZ_CHECK(child->issuer().der() == parent.subject().der(), "chain link " + std::to_string(i) + ": names differ");
        PCA_FUZZ_CHECK(child->verify_signature(parent.key()), "chain link " + std::to_string(i) + ": signature does not verify");
        child = &parent;
    }
    PCA_FUZZ_CHECK(r.chain.back().is_self_signed(), "chain does not end with a self-signed root");
}

}  // namespace pca::fuzz::import_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pca::fuzz::import_target::run(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
