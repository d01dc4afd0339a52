// The whole CA lifecycle through the facade, checked with the openssl command line:
// root self-signed, subordinate signed by it and imported with its chain, end-entity from an
// OpenSSL CSR, GetCertificate chains, revocation, the CRL in the bucket, the audit report.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "pca/x509/crl.hpp"
#include "support/oracle.hpp"
#include "support/service_fixture.hpp"

using namespace pca;

namespace {
std::string at(const test::service_fixture& f) { return " -attime " + std::to_string(to_unix(f.now())); }
}  // namespace

BOOST_AUTO_TEST_SUITE(service_lifecycle)

BOOST_AUTO_TEST_CASE(root_then_subordinate_then_end_entity_verifies_with_openssl) {
    test::service_fixture f;
    const std::string root = f.make_active_root("Lifecycle Root");
    BOOST_TEST((f.svc.describe_certificate_authority({root}).certificate_authority.status == certificate_authority_status::active));
    const std::string sub = f.make_active_subordinate(root, "Lifecycle Sub", 0, test::service_fixture::crl_config());
    const auto sub_desc = f.svc.describe_certificate_authority({sub}).certificate_authority;
    BOOST_TEST((sub_desc.status == certificate_authority_status::active));
    BOOST_TEST((sub_desc.type == certificate_authority_type::subordinate));
    BOOST_TEST(sub_desc.serial.has_value());

    const std::string ee = f.issue_end_entity(sub);
    const auto got = f.svc.get_certificate({sub, ee});
    BOOST_TEST_REQUIRE(got.certificate_chain.has_value());
    const auto chain_blocks = der::pem_decode_all(*got.certificate_chain);
    BOOST_TEST(chain_blocks.size() == 2u);  // issuing CA first, then the root

    const auto root_cert = f.svc.get_certificate_authority_certificate({root});
    BOOST_TEST(!root_cert.certificate_chain.has_value());  // a root has no chain
    const auto sub_cert = f.svc.get_certificate_authority_certificate({sub});
    BOOST_TEST_REQUIRE(sub_cert.certificate_chain.has_value());
    BOOST_TEST(*sub_cert.certificate_chain == root_cert.certificate);

    test::temp_dir dir;
    test::write_file(dir.file("root.pem"), byte_view(root_cert.certificate));
    test::write_file(dir.file("sub.pem"), byte_view(sub_cert.certificate));
    test::write_file(dir.file("ee.pem"), byte_view(got.certificate));
    const auto v = test::run("openssl verify -x509_strict" + at(f) + " -CAfile " + test::sh_quote(dir.file("root.pem")) +
                             " -untrusted " + test::sh_quote(dir.file("sub.pem")) + " " + test::sh_quote(dir.file("ee.pem")));
    BOOST_TEST_INFO(v.output);
    BOOST_TEST(v.exit_code == 0);

    // Revoke the end-entity certificate: the CRL in the bucket lists it, openssl rejects it.
    const auto ee_cert = x509::certificate::parse_pem(got.certificate);
    revoke_certificate_request rr{sub, to_hex(ee_cert.serial(), false, ':'), revocation_reason::key_compromise};
    f.svc.revoke_certificate(rr);
    BOOST_TEST((test::error_of([&] { f.svc.revoke_certificate(rr); }) == errc::request_already_processed));

    const std::string sub_id = ca_arn::parse(sub).ca_id();
    const auto crl = f.buckets.get("pca-crls", "crl/" + sub_id + ".crl");
    BOOST_TEST_REQUIRE(crl.has_value());
    test::write_file(dir.file("sub.crl"), *crl);
    const auto c = test::run("openssl crl -inform DER -in " + test::sh_quote(dir.file("sub.crl")) + " -CAfile " +
                             test::sh_quote(dir.file("sub.pem")) + " -noout -verify");
    BOOST_TEST_INFO(c.output);
    BOOST_TEST(c.exit_code == 0);
    test::run("openssl crl -inform DER -in " + test::sh_quote(dir.file("sub.crl")) + " -out " + test::sh_quote(dir.file("sub.crl.pem")));
    const auto revoked = test::run("openssl verify -crl_check" + at(f) + " -CAfile " + test::sh_quote(dir.file("root.pem")) +
                                   " -untrusted " + test::sh_quote(dir.file("sub.pem")) + " -CRLfile " +
                                   test::sh_quote(dir.file("sub.crl.pem")) + " " + test::sh_quote(dir.file("ee.pem")));
    BOOST_TEST(revoked.exit_code != 0);
    BOOST_TEST(revoked.output.find("certificate revoked") != std::string::npos);
    const auto parsed = test::inspect("crl", {dir.file("sub.crl")});
    BOOST_TEST(parsed[0]["revoked"].size() == 1u);
    BOOST_TEST(parsed[0]["revoked"][0]["serial"] == ee_cert.serial_hex());
    BOOST_TEST(parsed[0]["revoked"][0]["reason"] == "key_compromise");

    // An audit report lists the issued and the revoked certificate.
    const auto report = f.svc.create_certificate_authority_audit_report({sub, "pca-audit", audit_report_response_format::json});
    BOOST_TEST(report.s3_key == "audit-report/" + sub_id + "/" + report.audit_report_id + ".json");
    const auto described = f.svc.describe_certificate_authority_audit_report({sub, report.audit_report_id});
    BOOST_TEST((described.audit_report_status == audit_report_status::success));
    const auto body = f.buckets.get("pca-audit", report.s3_key);
    BOOST_TEST_REQUIRE(body.has_value());
    const auto rows = nlohmann::json::parse(body->begin(), body->end());
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST(rows[0]["certificateArn"] == ee);
    BOOST_TEST(rows[0]["revocationReason"] == "KEY_COMPROMISE");
    BOOST_TEST(rows[0]["serial"] == to_hex(ee_cert.serial().front() == 0 ? bytes(ee_cert.serial().begin() + 1, ee_cert.serial().end()) : ee_cert.serial(), false, ':'));
    // At most one report per 30 minutes.
    BOOST_TEST((test::error_of([&] {
                    f.svc.create_certificate_authority_audit_report({sub, "pca-audit", audit_report_response_format::csv});
                }) == errc::request_in_progress));
    f.clock.advance(std::chrono::minutes(31));
    BOOST_CHECK_NO_THROW(f.svc.create_certificate_authority_audit_report({sub, "pca-audit", audit_report_response_format::csv}));
}

BOOST_AUTO_TEST_CASE(revoked_certificates_can_still_be_fetched_and_root_self_signed_cannot_be_revoked) {
    test::service_fixture f;
    const std::string root = f.make_active_root();
    const std::string ee = f.issue_end_entity(root);
    const auto cert = x509::certificate::parse_pem(f.svc.get_certificate({root, ee}).certificate);
    f.svc.revoke_certificate({root, cert.serial_hex(), revocation_reason::superseded});
    BOOST_CHECK_NO_THROW(f.svc.get_certificate({root, ee}));
    const auto root_cert = x509::certificate::parse_pem(f.svc.get_certificate_authority_certificate({root}).certificate);
    BOOST_TEST((test::error_of([&] {
                    f.svc.revoke_certificate({root, root_cert.serial_hex(), revocation_reason::unspecified});
                }) == errc::invalid_request));
    BOOST_TEST((test::error_of([&] {
                    f.svc.revoke_certificate({root, "0123456789abcdef", revocation_reason::unspecified});
                }) == errc::resource_not_found));
}

BOOST_AUTO_TEST_CASE(expired_ca_is_reported_expired_and_refuses_to_issue) {
    test::service_fixture f;
    const std::string root = f.make_active_root();
    f.clock.advance(std::chrono::hours(24 * 366 * 11));
    BOOST_TEST((f.svc.describe_certificate_authority({root}).certificate_authority.status == certificate_authority_status::expired));
    BOOST_TEST((test::error_of([&] { f.issue_end_entity(root); }) == errc::invalid_state));
}

BOOST_AUTO_TEST_SUITE_END()
