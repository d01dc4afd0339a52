// tests/fuzz/fuzz_pem.cpp - RFC 7468 PEM and strict base64.
//
// Oracles beyond "no crash":
//  1. base64_decode accepts a string only if base64_encode of the result gives it back
//     (strict decoding: one encoding per byte string).
//  2. pem_decode_all: every block has a non-empty label without '-' or control characters
//     and non-empty DER; the blocks never hold more bytes than the text (no amplification);
//     at most default_max_pem_blocks of them; pem_encode of each block decodes back to the
//     same label and bytes, alone and all concatenated.
//  3. pem_decode_one agrees with pem_decode_all on single-block texts.
//  4. Certificate / CSR / CRL parse_pem: what is accepted writes out (pem()) and parses back
//     to the same DER.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "pca/der/base64.hpp"
#include "pca/der/pem.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/crl.hpp"
#include "pca/x509/csr.hpp"

namespace pca::fuzz::pem_target {

void check_base64(std::string_view text) {
    const auto decoded = der::base64_decode(text);
    if (!decoded) return;
    const std::string again = der::base64_encode(*decoded);
    PCA_FUZZ_CHECK(again == text, "base64 '" + std::string(text.substr(0, 80)) + "' accepted but encodes as '" +
                                      again.substr(0, 80) + "'");
}

void check_pem(std::string_view text) {
    std::vector<der::pem_block> blocks;
    try {
        blocks = der::pem_decode_all(text);
    } catch (const der::decode_error&) {
        return;
    }
    PCA_FUZZ_CHECK(blocks.size() <= der::default_max_pem_blocks, "more PEM blocks than the limit");
    std::size_t total = 0;
    std::string all;
    for (const auto& b : blocks) {
        for (char c : b.label) PCA_FUZZ_CHECK(c >= 0x20 && c <= 0x7e && c != '-', "bad character in PEM label");
        PCA_FUZZ_CHECK(!b.der.empty(), "empty PEM block accepted");
        total += b.der.size() + b.label.size();
        const std::string encoded = der::pem_encode(b.label, b.der);
        all += encoded;
        const auto one = der::pem_decode_all(encoded);
        PCA_FUZZ_CHECK(one.size() == 1 && one[0].label == b.label && one[0].der == b.der,
                       "PEM block '" + b.label + "' does not survive pem_encode/pem_decode_all");
        const bytes single = der::pem_decode_one(encoded, b.label);
        PCA_FUZZ_CHECK(single == b.der, "pem_decode_one disagrees with pem_decode_all");
    }
    PCA_FUZZ_CHECK(total <= text.size(), "PEM blocks hold more bytes (" + std::to_string(total) + ") than the text (" +
                                             std::to_string(text.size()) + ")");
    const auto again = der::pem_decode_all(all);
    PCA_FUZZ_CHECK(again.size() == blocks.size(), "re-encoded PEM text has another number of blocks");
    for (std::size_t i = 0; i < blocks.size(); ++i)
        PCA_FUZZ_CHECK(again[i].label == blocks[i].label && again[i].der == blocks[i].der, "re-encoded PEM text differs");
    if (blocks.size() == 1) {
        const bytes single = der::pem_decode_one(text, blocks[0].label);
        PCA_FUZZ_CHECK(single == blocks[0].der, "pem_decode_one disagrees with pem_decode_all on the input");
    }
}

template <class T>
void check_object_pem(std::string_view text) {
    try {
        const T parsed = T::parse_pem(text);
        const T again = T::parse_pem(parsed.pem());
        PCA_FUZZ_CHECK(again.der() == parsed.der(), "PEM object does not survive pem()/parse_pem()");
    } catch (const der::decode_error&) {
    }
}

}  // namespace pca::fuzz::pem_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    pca::fuzz::pem_target::check_base64(text);
    pca::fuzz::pem_target::check_pem(text);
    pca::fuzz::pem_target::check_object_pem<pca::x509::certificate>(text);
    pca::fuzz::pem_target::check_object_pem<pca::x509::csr>(text);
    pca::fuzz::pem_target::check_object_pem<pca::x509::crl>(text);
    return 0;
}
