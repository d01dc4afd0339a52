// tests/fuzz/fuzz_serial.cpp - RevokeCertificate's CertificateSerial, and the ARNs that carry
// serials (GetCertificate's CertificateArn).
//
// Oracles beyond "no crash":
//  1. parse_certificate_serial either refuses with InvalidRequestException or returns a
//     magnitude that is non-empty, has no leading zero octet, fits a 20-octet DER INTEGER,
//     and is a fixed point: formatting it as plain hex (lower and upper case), as the audit
//     report's colon hex, and with the 00 sign pad, and parsing that again gives the same
//     magnitude. The magnitude written as a DER INTEGER reads back (strict reader) with the
//     same value.
//  2. certificate/CA/template ARNs: what try_parse accepts prints (str()) as text that parses
//     to the same ARN, and parse() and try_parse() agree.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "pca/core/error.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/types/arn.hpp"

namespace pca::fuzz::serial_target {

bytes parse_again(const std::string& text, const char* form, const bytes& want) {
    bytes got;
    try {
        got = policy::parse_certificate_serial(text);
    } catch (const pca::invalid_request_exception& e) {
        oracle_failed(__FILE__, __LINE__, form, "'" + text + "' refused: " + e.what());
    }
    PCA_FUZZ_CHECK(got == want, std::string(form) + " '" + text + "' parses as " + hex(got) + ", not " + hex(want));
    return got;
}

void check_serial(std::string_view text) {
    bytes m;
    try {
        m = policy::parse_certificate_serial(text);
    } catch (const pca::invalid_request_exception&) {
        return;
    }
    PCA_FUZZ_CHECK(!m.empty() && m[0] != 0, "serial magnitude empty or with a leading zero: " + hex(m));
    PCA_FUZZ_CHECK(m.size() + ((m[0] & 0x80) ? 1 : 0) <= x509::max_serial_octets, "serial longer than 20 DER octets");
    parse_again(to_hex(m), "lower-case hex", m);
    parse_again(to_hex(m, true), "upper-case hex", m);
    parse_again(policy::serial_colon_hex(m), "colon hex", m);
    parse_again("00" + to_hex(m), "hex with sign pad", m);
    if (m.size() > 1 || m[0] > 0x0f) {  // odd digit counts: drop a leading zero nibble when there is one
        const std::string h = to_hex(m);
        if (h[0] == '0') parse_again(h.substr(1), "odd-length hex", m);
    }
    der::writer w;
    w.integer_unsigned(m);
    der::reader r(w.buffer());
    const byte_view content = r.integer_bytes("serialNumber");
    r.expect_end("serialNumber");
    const byte_view magnitude = (content.size() > 1 && content[0] == 0) ? content.subview(1) : content;
    PCA_FUZZ_CHECK(magnitude == byte_view(m), "serial as DER INTEGER reads back as " + hex(magnitude));
}

template <class Arn>
void check_arn(std::string_view text) {
    const auto a = Arn::try_parse(text);
    bool threw = false;
    try {
        (void)Arn::parse(text);
    } catch (const pca::invalid_arn_exception&) {
        threw = true;
    }
    PCA_FUZZ_CHECK(threw == !a.has_value(), "ARN parse() and try_parse() disagree on '" + std::string(text) + "'");
    if (!a) return;
    const auto again = Arn::try_parse(a->str());
    PCA_FUZZ_CHECK(again && *again == *a && again->str() == a->str(),
                   "ARN '" + std::string(text) + "' prints as '" + a->str() + "', which does not parse back");
}

}  // namespace pca::fuzz::serial_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    pca::fuzz::serial_target::check_serial(text);
    pca::fuzz::serial_target::check_arn<pca::certificate_arn>(text);
    pca::fuzz::serial_target::check_arn<pca::ca_arn>(text);
    pca::fuzz::serial_target::check_arn<pca::template_arn>(text);
    if (const auto cert = pca::certificate_arn::try_parse(text)) {
        // An accepted certificate ARN carries 1 to 40 serial characters.
        const std::string& s = cert->serial_hex();
        PCA_FUZZ_CHECK(!s.empty() && s.size() <= 40, "certificate ARN serial '" + s + "' of bad length");
    }
    return 0;
}
