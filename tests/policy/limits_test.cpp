// Resource limits on untrusted input (docs/security.md, "Resource limits"): at each limit the
// input is accepted, one past it is refused with the API's named error and a message naming
// the limit, and hostile sizes are refused before any large allocation.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "pca/core/error.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/pem.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"
#include "pca/policy/csr_intake.hpp"
#include "pca/policy/import_check.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/service/resource_policy.hpp"
#include "pca/x509/csr.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/general_name.hpp"
#include "pca/x509/name.hpp"
#include "support/tools.hpp"

namespace {
using namespace pca;

/// `depth` SEQUENCEs, each holding the next; the innermost holds NULL.
bytes nested_sequences(std::size_t depth) {
    bytes inner = {der::tag::null, 0};
    for (std::size_t i = 0; i < depth; ++i) {
        der::writer w;
        w.sequence([&](der::writer& s) { s.raw(inner); });
        inner = w.take();
    }
    return inner;
}

void walk(der::reader& r) {
    while (!r.empty()) {
        const der::tlv v = r.read_any("value");
        if (v.tag & der::tag::constructed_bit) {
            der::reader c = r.child(v, "value");
            walk(c);
        }
    }
}

der::oid numbered_oid(std::size_t i) { return *der::oid::from_string("1.3.6.1.4.1.99999." + std::to_string(i)); }

template <class E, class F>
std::string refusal(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    BOOST_FAIL("expected a refusal");
    return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

const std::string the_ca_arn = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555";
}  // namespace

BOOST_AUTO_TEST_SUITE(policy_limits)

BOOST_AUTO_TEST_CASE(der_nesting_depth_is_24) {
    const bytes ok = nested_sequences(der::default_max_depth);
    der::reader r(ok);
    walk(r);
    const bytes deep = nested_sequences(der::default_max_depth + 1);
    const std::string why = refusal<der::decode_error>([&] {
        der::reader r2(deep);
        walk(r2);
    });
    BOOST_TEST(contains(why, "nesting deeper than 24"), why);
    // 5000 levels (10 kB): refused at level 25, without recursing further.
    const bytes hostile = nested_sequences(5000);
    BOOST_CHECK_THROW(([&] { der::reader r3(hostile); walk(r3); })(), der::decode_error);
}

BOOST_AUTO_TEST_CASE(oid_is_at_most_64_content_octets) {
    bytes content(der::oid::max_encoded_size, 0x01);
    content[0] = 0x2b;
    BOOST_TEST(der::oid::from_der_content(content).has_value());
    content.push_back(0x01);
    BOOST_TEST(!der::oid::from_der_content(content).has_value());
}

BOOST_AUTO_TEST_CASE(pem_text_holds_at_most_64_blocks) {
    std::string text;
    const bytes body = {0x05, 0x00};
    for (std::size_t i = 0; i < der::default_max_pem_blocks; ++i) text += der::pem_encode("CERTIFICATE", body);
    BOOST_TEST(der::pem_decode_all(text).size() == der::default_max_pem_blocks);
    text += der::pem_encode("CERTIFICATE", body);
    const std::string why = refusal<der::decode_error>([&] { der::pem_decode_all(text); });
    BOOST_TEST(contains(why, "more than 64 PEM blocks"), why);
}

BOOST_AUTO_TEST_CASE(at_most_256_extensions) {
    auto encoded = [](std::size_t n) {
        std::vector<x509::extension> exts;
        for (std::size_t i = 0; i < n; ++i) exts.push_back({numbered_oid(i), false, {0x05, 0x00}});
        der::writer w;
        x509::encode_extensions(w, exts);
        return w.take();
    };
    const bytes ok = encoded(x509::max_extensions);
    der::reader r(ok);
    BOOST_TEST(x509::decode_extensions(r).size() == x509::max_extensions);
    const bytes too_many = encoded(x509::max_extensions + 1);
    const std::string why = refusal<der::decode_error>([&] {
        der::reader r2(too_many);
        x509::decode_extensions(r2);
    });
    BOOST_TEST(contains(why, "more than 256 extensions"), why);
}

BOOST_AUTO_TEST_CASE(at_most_1024_names_per_subject_alt_name) {
    auto san = [](std::size_t n) {
        x509::subject_alt_name s;
        for (std::size_t i = 0; i < n; ++i) s.names.push_back(x509::general_name::dns("h" + std::to_string(i) + ".example.com"));
        return s.encode();
    };
    BOOST_TEST(x509::subject_alt_name::decode(san(x509::max_general_names)).names.size() == x509::max_general_names);
    const std::string why = refusal<der::decode_error>([&] { x509::subject_alt_name::decode(san(x509::max_general_names + 1)); });
    BOOST_TEST(contains(why, "more than 1024 names"), why);
}

BOOST_AUTO_TEST_CASE(at_most_256_name_attributes) {
    auto name_of = [](std::size_t n) {
        std::vector<x509::name_attribute> attrs(n);
        for (auto& a : attrs) {
            a.type = der::oids::organizational_unit_name;
            a.value = {'x'};
        }
        return x509::name::from_attributes(attrs).der();
    };
    BOOST_TEST(x509::name::parse(name_of(x509::max_name_attributes)).rdns().size() == x509::max_name_attributes);
    const std::string why = refusal<der::decode_error>([&] { x509::name::parse(name_of(x509::max_name_attributes + 1)); });
    BOOST_TEST(contains(why, "more than 256 attributes"), why);
}

BOOST_AUTO_TEST_CASE(at_most_64_csr_attributes) {
    // A CertificationRequest with n distinct attributes (the signature is not checked by parse).
    auto request = [](std::size_t n) {
        der::writer w;
        w.sequence([&](der::writer& req) {
            req.sequence([&](der::writer& info) {
                info.integer(0);
                info.sequence([](der::writer&) {});
                info.sequence([](der::writer& spki) {
                    spki.sequence([](der::writer& alg) { alg.oid(der::oids::id_ec_public_key); });
                    spki.bit_string(bytes{0x04});
                });
                info.constructed(der::tag::context_constructed(0), [&](der::writer& attrs) {
                    std::vector<bytes> encoded;
                    for (std::size_t i = 0; i < n; ++i) {
                        der::writer a;
                        a.sequence([&](der::writer& attr) {
                            attr.oid(numbered_oid(i));
                            attr.set([](der::writer& values) { values.null(); });
                        });
                        encoded.push_back(a.take());
                    }
                    std::sort(encoded.begin(), encoded.end(), [](const bytes& x, const bytes& y) { return byte_view(x) < byte_view(y); });
                    for (const auto& e : encoded) attrs.raw(e);
                });
            });
            req.sequence([](der::writer& alg) { alg.oid(*der::oid::from_string("1.2.840.10045.4.3.2")); });
            req.bit_string(bytes{0x00});
        });
        return w.take();
    };
    BOOST_TEST(x509::csr::parse(request(x509::max_csr_attributes)).attributes().size() == x509::max_csr_attributes);
    const std::string why = refusal<der::decode_error>([&] { x509::csr::parse(request(x509::max_csr_attributes + 1)); });
    BOOST_TEST(contains(why, "too many CSR attributes"), why);
}

BOOST_AUTO_TEST_CASE(csr_blob_is_at_most_32768_bytes) {
    const bytes big(policy::max_csr_size + 1, 0x30);
    const std::string why = refusal<malformed_csr_exception>([&] { policy::accept_csr(big); });
    BOOST_TEST(contains(why, "the limit is 32768"), why);
}

BOOST_AUTO_TEST_CASE(import_sizes_and_chain_length) {
    policy::import_context ctx;
    ctx.type = certificate_authority_type::subordinate;
    const std::string big(policy::max_import_certificate_size + 1, 'A');
    BOOST_TEST(contains(refusal<validation_exception>([&] { policy::check_ca_certificate_import(byte_view(big), byte_view(big), ctx); }),
                        "32 KB"));
    const std::string huge_chain(policy::max_import_chain_size + 1, 'A');
    const std::string cert = test::read_text(PCA_SOURCE_DIR "/tests/fuzz/seeds/import/root.pem");
    BOOST_TEST(contains(refusal<validation_exception>([&] { policy::check_ca_certificate_import(byte_view(cert), byte_view(huge_chain), ctx); }),
                        "2 MB"));
    // Five chain certificates make six levels: refused by counting, before any is parsed.
    std::string chain;
    for (int i = 0; i < 5; ++i) chain += cert;
    const std::string why = refusal<invalid_request_exception>([&] { policy::check_ca_certificate_import(byte_view(cert), byte_view(chain), ctx); });
    BOOST_TEST(contains(why, "at most 4 chain certificates"), why);
}

BOOST_AUTO_TEST_CASE(policy_size_and_nesting) {
    const std::string big(max_policy_size + 1, ' ');
    BOOST_TEST(contains(refusal<invalid_policy_exception>([&] { resource_policy::parse(big, the_ca_arn); }), "20480"));
    // 10240 nested arrays fill the size limit: refused for depth before the JSON parser runs.
    const std::string deep = std::string(max_policy_size / 2, '[') + std::string(max_policy_size / 2, ']');
    const std::string why = refusal<invalid_policy_exception>([&] { resource_policy::parse(deep, the_ca_arn); });
    BOOST_TEST(contains(why, "deeper than 32 levels"), why);
    // Brackets inside strings do not count; 32 levels are parsed (and refused for their content).
    const std::string in_string = "{\"Version\":\"2012-10-17\",\"Id\":\"" + std::string(100, '[') + "\",\"Statement\":" +
                                  std::string(31, '[') + std::string(31, ']') + "}";
    const std::string why2 = refusal<invalid_policy_exception>([&] { resource_policy::parse(in_string, the_ca_arn); });
    BOOST_TEST(!contains(why2, "deeper"), why2);
    const std::string too_deep = "{\"Statement\":" + std::string(32, '[') + std::string(32, ']') + "}";
    BOOST_TEST(contains(refusal<invalid_policy_exception>([&] { resource_policy::parse(too_deep, the_ca_arn); }), "deeper than 32"));
}

BOOST_AUTO_TEST_CASE(certificate_serial_text_is_at_most_128_characters) {
    const std::string long_text(policy::max_certificate_serial_text + 1, '1');
    const std::string why = refusal<invalid_request_exception>([&] { policy::parse_certificate_serial(long_text); });
    BOOST_TEST(contains(why, "longer than 128 characters"), why);
}

BOOST_AUTO_TEST_SUITE_END()
