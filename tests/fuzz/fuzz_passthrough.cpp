// tests/fuzz/fuzz_passthrough.cpp - IssueCertificate's ApiPassthrough: Subject and Extensions
// from the caller, in their wire JSON (passthrough_json.hpp), through validate(), the
// conversions of pca/x509/api_shapes.hpp and template application.
//
// Oracles beyond "no crash":
//  1. JSON that is the shape re-serialises and re-parses to an equal value.
//  2. validate() refuses with the service's named error or accepts; for accepted values:
//     Subject -> Name DER that pca's strict Name parser reads back byte for byte;
//     SubjectAlternativeNames, KeyUsage, ExtendedKeyUsage, CertificatePolicies -> extension
//     values that decode and encode to the same bytes; CustomExtensions -> values that are
//     exactly one DER TLV. A conversion may still refuse with a named error
//     (InvalidArgs for a value the DER cannot carry).
//  3. Issuing with an APIPassthrough template (one of them, picked from the input's hash)
//     and a fixed CSR: what pca signs passes the checks of issuing_ca.hpp (pca's strict
//     parser, mbedTLS, CA signature, issuer bytes, serial, decodable extensions).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "issuing_ca.hpp"
#include "passthrough_json.hpp"
#include "pca/der/reader.hpp"
#include "pca/types/validate.hpp"
#include "pca/x509/api_shapes.hpp"
#include "pca/x509/extensions.hpp"

namespace pca::fuzz::passthrough_target {

using passthrough_json::json;

const x509::csr& fixed_csr() {
    static const x509::csr request = [] {
        x509::csr_request r;
        r.subject_der = x509::to_name(test::subject_cn("csr.example.com")).der();
        return x509::csr::parse(r.sign(the_fixture().ee_key, test::test_rng()));
    }();
    return request;
}

const std::vector<const policy::certificate_template*>& api_templates() {
    static const auto list = [] {
        std::vector<const policy::certificate_template*> out;
        for (const auto& t : policy::template_catalogue())
            if (policy::uses_api(t.kind)) out.push_back(&t);
        return out;
    }();
    return list;
}

template <class Ext>
void round_trip(const Ext& e, const char* what) {
    const bytes value = e.encode();
    Ext back;
    try {
        back = Ext::decode(value);
    } catch (const der::decode_error& err) {
        oracle_failed(__FILE__, __LINE__, what, std::string("pca encodes a value its decoder refuses: ") + err.what() + " " + hex(value));
    }
    PCA_FUZZ_CHECK(back.encode() == value, std::string(what) + " does not round-trip: " + hex(value));
}

/// Runs a conversion; the service's named refusals are fine.
template <class F>
void converted(F&& f) {
    try {
        f();
    } catch (const pca::error&) {
    }
}

void check_conversions(const api_passthrough& a) {
    if (a.subject)
        converted([&] {
            const x509::name n = x509::to_name(*a.subject, "ApiPassthrough.Subject");
            try {
                const x509::name back = x509::name::parse(n.der());
                PCA_FUZZ_CHECK(back.der() == n.der(), "Subject Name re-parses to other bytes");
            } catch (const der::decode_error& e) {
                oracle_failed(__FILE__, __LINE__, "Name::parse", std::string("Subject written by pca is refused by its parser: ") +
                                                                     e.what() + " " + hex(n.der()));
            }
        });
    if (!a.extensions) return;
    const pca::extensions& x = *a.extensions;
    if (x.subject_alternative_names)
        converted([&] { round_trip(x509::subject_alt_name{x509::to_general_names(*x.subject_alternative_names, "SANs")}, "SubjectAltName"); });
    if (x.key_usage) converted([&] { round_trip(x509::to_key_usage(*x.key_usage), "KeyUsage"); });
    if (x.extended_key_usage)
        converted([&] { round_trip(x509::to_extended_key_usage(*x.extended_key_usage, "ExtendedKeyUsage"), "ExtendedKeyUsage"); });
    if (x.certificate_policies)
        converted([&] { round_trip(x509::to_certificate_policies(*x.certificate_policies, "CertificatePolicies"), "CertificatePolicies"); });
    if (x.custom_extensions)
        for (const auto& c : *x.custom_extensions)
            converted([&] {
                const x509::extension e = x509::to_extension(c, "CustomExtensions[]");
                try {
                    (void)der::read_single(e.value, "CustomExtension value");
                } catch (const der::decode_error& err) {
                    oracle_failed(__FILE__, __LINE__, "read_single", std::string("CustomExtension value is not one DER TLV: ") + err.what());
                }
            });
}

void run(std::string_view text) {
    const json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded()) return;
    const auto a = passthrough_json::from_json(doc);
    if (!a) return;
    const std::string again = passthrough_json::to_json(*a).dump();
    const auto back = passthrough_json::from_json(json::parse(again));
    PCA_FUZZ_CHECK(back && *back == *a, "ApiPassthrough does not survive to_json/from_json: " + again.substr(0, 400));
    try {
        validate(*a, "ApiPassthrough");
    } catch (const pca::error&) {
        return;
    }
    check_conversions(*a);
    const auto& templates = api_templates();
    const std::size_t pick = std::hash<std::string_view>{}(text);
    issue_and_check(fixed_csr(), *templates[pick % templates.size()], *a);
}

}  // namespace pca::fuzz::passthrough_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pca::fuzz::passthrough_target::run(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
