// IssueCertificate's validity rules through the facade (docs/validity.md): the default
// NotBefore is backdated one hour, ValidityNotBefore sets NotBefore without moving NotAfter,
// NotBefore never precedes the issuing CA's NotBefore (default clamped, explicit refused), and
// NotAfter never passes the CA's NotAfter. Dates are read back with `openssl x509` too.
#include <boost/test/unit_test.hpp>

#include "support/service_fixture.hpp"

using namespace pca;
using namespace std::chrono_literals;

namespace {

/// notBefore/notAfter of a PEM certificate as openssl prints them with -dateopt iso_8601.
std::string openssl_dates(const std::string& pem) {
    test::temp_dir dir;
    test::write_file(dir.file("c.pem"), byte_view(pem));
    const auto r = test::run("openssl x509 -noout -startdate -enddate -dateopt iso_8601 -in " + test::sh_quote(dir.file("c.pem")));
    BOOST_TEST_REQUIRE(r.exit_code == 0);
    return r.output;
}

std::string openssl_iso(sys_seconds t) {
    // openssl's iso_8601 form: "2026-01-01 00:00:00Z"
    std::string s = to_iso8601(t);  // 2026-01-01T00:00:00Z
    s[10] = ' ';
    return s;
}

struct validity_fixture : test::service_fixture {
    const bytes ee_csr = test::openssl_csr("ee-p256", "/CN=validity.example.com", "-addext subjectAltName=DNS:validity.example.com");

    issue_certificate_request ee_request(const std::string& ca) const {
        issue_certificate_request ir;
        ir.certificate_authority_arn = ca;
        ir.csr = ee_csr;
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.validity = {30, validity_period_type::days};
        return ir;
    }
    x509::certificate issue_and_get(const std::string& ca, const issue_certificate_request& ir) {
        const auto arn = svc.issue_certificate(ir).certificate_arn;
        return x509::certificate::parse_pem(svc.get_certificate({ca, arn}).certificate);
    }

    /// A root CA whose certificate starts exactly at `start` (explicit ValidityNotBefore).
    std::string root_starting_at(sys_seconds start) {
        auto req = ca_request(certificate_authority_type::root, "Late Root");
        const std::string arn = svc.create_certificate_authority(req).certificate_authority_arn;
        const auto csr = svc.get_certificate_authority_csr({arn}).csr;
        issue_certificate_request ir;
        ir.certificate_authority_arn = arn;
        ir.csr = bytes(csr.begin(), csr.end());
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.template_arn = test::template_arn("RootCACertificate");
        ir.validity = {2, validity_period_type::years};
        ir.validity_not_before = validity{to_unix(start), validity_period_type::absolute};
        const auto cert = svc.get_certificate({arn, svc.issue_certificate(ir).certificate_arn}).certificate;
        import_certificate_authority_certificate_request imp;
        imp.certificate_authority_arn = arn;
        imp.certificate = bytes(cert.begin(), cert.end());
        svc.import_certificate_authority_certificate(imp);
        return arn;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(service_validity)

BOOST_FIXTURE_TEST_CASE(default_not_before_is_one_hour_before_issuance, validity_fixture) {
    const std::string ca = make_active_root();
    clock.advance(3h);
    const auto cert = issue_and_get(ca, ee_request(ca));
    BOOST_TEST(to_iso8601(cert.not_before()) == to_iso8601(now() - 1h));
    BOOST_TEST(to_iso8601(cert.not_after()) == to_iso8601(now() + 24h * 30));
    const std::string dates = openssl_dates(der::pem_encode("CERTIFICATE", cert.der()));
    BOOST_TEST_INFO(dates);
    BOOST_TEST(dates.find("notBefore=" + openssl_iso(now() - 1h)) != std::string::npos);
    BOOST_TEST(dates.find("notAfter=" + openssl_iso(now() + 24h * 30)) != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(validity_not_before_sets_not_before_and_leaves_not_after, validity_fixture) {
    const std::string ca = make_active_root();
    clock.advance(48h);
    auto ir = ee_request(ca);
    const sys_seconds start = now() + 24h * 5;  // future-dated: allowed
    ir.validity_not_before = validity{to_unix(start), validity_period_type::absolute};
    const auto cert = issue_and_get(ca, ir);
    BOOST_TEST(to_iso8601(cert.not_before()) == to_iso8601(start));
    BOOST_TEST(to_iso8601(cert.not_after()) == to_iso8601(now() + 24h * 30));  // from issuance, not from NotBefore
    const std::string dates = openssl_dates(der::pem_encode("CERTIFICATE", cert.der()));
    BOOST_TEST_INFO(dates);
    BOOST_TEST(dates.find("notBefore=" + openssl_iso(start)) != std::string::npos);

    ir.validity_not_before = validity{to_unix(now() - 24h), validity_period_type::absolute};  // backdated, after the CA start
    BOOST_TEST(to_iso8601(issue_and_get(ca, ir).not_before()) == to_iso8601(now() - 24h));
}

BOOST_FIXTURE_TEST_CASE(validity_not_before_must_be_absolute_and_before_not_after, validity_fixture) {
    const std::string ca = make_active_root();
    auto ir = ee_request(ca);
    ir.validity_not_before = validity{3, validity_period_type::days};
    BOOST_TEST((test::error_of([&] { svc.issue_certificate(ir); }) == errc::invalid_args));
    ir.validity_not_before = validity{to_unix(now() + 24h * 31), validity_period_type::absolute};
    try {
        svc.issue_certificate(ir);
        BOOST_FAIL("a NotBefore after NotAfter was accepted");
    } catch (const invalid_args_exception& e) {
        BOOST_TEST(std::string(e.what()).find("is not before the NotAfter") != std::string::npos);
    }
}

BOOST_FIXTURE_TEST_CASE(default_not_before_is_clamped_to_the_ca_not_before, validity_fixture) {
    const sys_seconds ca_start = now();  // the root's certificate starts now, not an hour ago
    const std::string ca = root_starting_at(ca_start);
    clock.advance(10min);
    const auto cert = issue_and_get(ca, ee_request(ca));
    BOOST_TEST(to_iso8601(cert.not_before()) == to_iso8601(ca_start));  // not now - 1 h
    // openssl agrees the chain is valid at issuance time.
    test::temp_dir dir;
    test::write_file(dir.file("ca.pem"), byte_view(svc.get_certificate_authority_certificate({ca}).certificate));
    test::write_file(dir.file("ee.pem"), byte_view(der::pem_encode("CERTIFICATE", cert.der())));
    const auto v = test::run("openssl verify -attime " + std::to_string(to_unix(now())) + " -CAfile " + test::sh_quote(dir.file("ca.pem")) +
                             " " + test::sh_quote(dir.file("ee.pem")));
    BOOST_TEST_INFO(v.output);
    BOOST_TEST(v.exit_code == 0);
}

BOOST_FIXTURE_TEST_CASE(explicit_not_before_earlier_than_the_ca_is_refused, validity_fixture) {
    const sys_seconds ca_start = now();
    const std::string ca = root_starting_at(ca_start);
    clock.advance(1h);
    auto ir = ee_request(ca);
    ir.validity_not_before = validity{to_unix(ca_start - 1s), validity_period_type::absolute};
    try {
        svc.issue_certificate(ir);
        BOOST_FAIL("a NotBefore before the CA's NotBefore was accepted");
    } catch (const invalid_args_exception& e) {
        BOOST_TEST(e.aws_name() == "InvalidArgsException");
        BOOST_TEST(std::string(e.what()).find("precedes the CA certificate's NotBefore") != std::string::npos);
    }
    ir.validity_not_before = validity{to_unix(ca_start), validity_period_type::absolute};  // the boundary is allowed
    BOOST_TEST(to_iso8601(issue_and_get(ca, ir).not_before()) == to_iso8601(ca_start));
}

BOOST_FIXTURE_TEST_CASE(not_after_past_the_ca_is_a_validation_exception, validity_fixture) {
    const sys_seconds ca_start = now();
    const std::string ca = root_starting_at(ca_start);  // 2 years
    auto ir = ee_request(ca);
    ir.validity = {3, validity_period_type::years};
    try {
        svc.issue_certificate(ir);
        BOOST_FAIL("a certificate outliving its CA was issued");
    } catch (const validation_exception& e) {
        BOOST_TEST(std::string(e.what()).find("ends") != std::string::npos);
    }
    // Exactly the CA's NotAfter is allowed for an end-entity certificate.
    const sys_seconds ca_end = x509::certificate::parse_pem(svc.get_certificate_authority_certificate({ca}).certificate).not_after();
    ir.validity = {to_unix(ca_end), validity_period_type::absolute};
    BOOST_TEST(to_iso8601(issue_and_get(ca, ir).not_after()) == to_iso8601(ca_end));
}

BOOST_AUTO_TEST_SUITE_END()
