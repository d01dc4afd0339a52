// Each operation's rules and errors: validation, ARNs, state machine, idempotency,
// pagination, tags, permissions, resource policies, delete/restore, quotas.
#include <boost/test/unit_test.hpp>

#include <set>

#include "support/service_fixture.hpp"

using namespace pca;
using test::error_of;

BOOST_AUTO_TEST_SUITE(service_operations)

BOOST_AUTO_TEST_CASE(malformed_arns_and_unknown_cas_get_distinct_errors) {
    test::service_fixture f;
    BOOST_TEST((error_of([&] { f.svc.describe_certificate_authority({"not-an-arn"}); }) == errc::invalid_arn));
    BOOST_TEST((error_of([&] {
                    f.svc.describe_certificate_authority(
                        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012"});
                }) == errc::resource_not_found));
    BOOST_TEST((error_of([&] {
                    f.svc.describe_certificate_authority(
                        {"arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012"});
                }) == errc::resource_not_found));
    // A certificate ARN that belongs to another CA is refused.
    const std::string a = f.make_active_root("A");
    const std::string b = f.make_active_root("B");
    const std::string ee = f.issue_end_entity(a);
    BOOST_TEST((error_of([&] { f.svc.get_certificate({b, ee}); }) == errc::invalid_arn));
    BOOST_TEST((error_of([&] { f.svc.get_certificate({a, a + "/certificate/00ff"}); }) == errc::resource_not_found));
    // GetCertificate's fast path (the CA's canonical ARN + /certificate/ + hex) and the full
    // parser agree: upper-case spellings still find the certificate; malformed serials and
    // other resources are InvalidArn.
    const std::string pem = f.svc.get_certificate({a, ee}).certificate;
    const auto upper = [](std::string t) {
        for (char& c : t) c = (c >= 'a' && c <= 'f') ? static_cast<char>(c - 'a' + 'A') : c;
        return t;
    };
    const std::string prefix = a.substr(0, a.rfind('/') + 1), uuid = a.substr(a.rfind('/') + 1);
    const std::string serial = ee.substr(ee.rfind('/') + 1);
    BOOST_TEST(f.svc.get_certificate({a, prefix + upper(uuid) + "/certificate/" + upper(serial)}).certificate == pem);
    BOOST_TEST(f.svc.get_certificate({a, a + "/certificate/" + upper(serial)}).certificate == pem);
    BOOST_TEST(f.svc.get_certificate({a, a + "/certificate/000" + serial}).certificate == pem);  // leading zeros, odd length
    for (const std::string& bad : {a + "/certificate/" + std::string(41, '1'), a + "/certificate/", a + "/certificate/0x12",
                                   a + "/certificat/01", a + "/certificate/01/x"})
        BOOST_TEST((error_of([&] { f.svc.get_certificate({a, bad}); }) == errc::invalid_arn), bad);
}

BOOST_AUTO_TEST_CASE(create_validates_configuration_and_algorithms) {
    test::service_fixture f;
    auto r = test::service_fixture::ca_request(certificate_authority_type::root, "x", key_algorithm::ec_prime256v1,
                                               signing_algorithm::sha256_with_rsa);
    BOOST_TEST((error_of([&] { f.svc.create_certificate_authority(r); }) == errc::invalid_args));
    r = test::service_fixture::ca_request(certificate_authority_type::root, "x", key_algorithm::sm2, signing_algorithm::sm3_with_sm2);
    try {
        f.svc.create_certificate_authority(r);
        BOOST_FAIL("SM2 accepted");
    } catch (const invalid_args_exception& e) {
        BOOST_TEST(e.message().find("SM2") != std::string::npos);
    }
    r = test::service_fixture::ca_request(certificate_authority_type::root, "x", key_algorithm::ml_dsa_44, signing_algorithm::ml_dsa_44);
    BOOST_TEST((error_of([&] { f.svc.create_certificate_authority(r); }) == errc::invalid_args));
    r = test::service_fixture::ca_request(certificate_authority_type::root, "x");
    r.certificate_authority_configuration.subject.country = "USA";
    BOOST_TEST((error_of([&] { f.svc.create_certificate_authority(r); }) == errc::invalid_args));
    r = test::service_fixture::ca_request(certificate_authority_type::root, "x");
    crl_configuration disabled;
    disabled.enabled = false;
    disabled.expiration_in_days = 7;  // a disabling configuration must hold only Enabled=false
    r.revocation_configuration = revocation_configuration{disabled, std::nullopt};
    BOOST_TEST((error_of([&] { f.svc.create_certificate_authority(r); }) == errc::invalid_args));
}

BOOST_AUTO_TEST_CASE(state_machine_allows_and_refuses_operations_by_state) {
    test::service_fixture f;
    // PENDING_CERTIFICATE: CSR yes, CA certificate no, issue (end-entity) no, revoke no, audit no.
    const std::string pending =
        f.svc.create_certificate_authority(test::service_fixture::ca_request(certificate_authority_type::root, "P")).certificate_authority_arn;
    BOOST_TEST((f.svc.describe_certificate_authority({pending}).certificate_authority.status ==
                certificate_authority_status::pending_certificate));
    BOOST_CHECK_NO_THROW(f.svc.get_certificate_authority_csr({pending}));
    BOOST_TEST((error_of([&] { f.svc.get_certificate_authority_certificate({pending}); }) == errc::invalid_state));
    BOOST_TEST((error_of([&] { f.issue_end_entity(pending); }) == errc::invalid_state));
    BOOST_TEST((error_of([&] { f.svc.revoke_certificate({pending, "01", revocation_reason::unspecified}); }) == errc::invalid_state));
    BOOST_TEST((error_of([&] {
                    f.svc.create_certificate_authority_audit_report({pending, "bucket-a", audit_report_response_format::json});
                }) == errc::invalid_state));
    BOOST_TEST((error_of([&] { f.svc.update_certificate_authority({pending, std::nullopt, certificate_authority_status::active}); }) ==
                errc::invalid_state));

    // ACTIVE: delete refused until disabled; DISABLED: issue refused, revoke allowed, import refused.
    const std::string root = f.make_active_root("S");
    const std::string ee = f.issue_end_entity(root);
    BOOST_TEST((error_of([&] { f.svc.delete_certificate_authority({root, std::nullopt}); }) == errc::invalid_state));
    f.svc.update_certificate_authority({root, std::nullopt, certificate_authority_status::disabled});
    BOOST_TEST((f.svc.describe_certificate_authority({root}).certificate_authority.status == certificate_authority_status::disabled));
    BOOST_TEST((error_of([&] { f.issue_end_entity(root); }) == errc::invalid_state));
    const auto cert = x509::certificate::parse_pem(f.svc.get_certificate({root, ee}).certificate);
    BOOST_CHECK_NO_THROW(f.svc.revoke_certificate({root, cert.serial_hex(), revocation_reason::superseded}));
    const auto ca_pem = f.svc.get_certificate_authority_certificate({root}).certificate;
    BOOST_TEST((error_of([&] {
                    f.svc.import_certificate_authority_certificate({root, bytes(ca_pem.begin(), ca_pem.end()), std::nullopt});
                }) == errc::invalid_state));
    BOOST_TEST((error_of([&] { f.svc.update_certificate_authority({root, std::nullopt, certificate_authority_status::deleted}); }) ==
                errc::invalid_args));
    f.svc.update_certificate_authority({root, std::nullopt, certificate_authority_status::active});
    BOOST_CHECK_NO_THROW(f.issue_end_entity(root));
}

BOOST_AUTO_TEST_CASE(delete_restore_and_permanent_deletion_follow_the_window) {
    test::service_fixture f;
    const std::string root = f.make_active_root("D");
    f.svc.update_certificate_authority({root, std::nullopt, certificate_authority_status::disabled});
    BOOST_TEST((error_of([&] { f.svc.delete_certificate_authority({root, 6}); }) == errc::validation));
    BOOST_TEST((error_of([&] { f.svc.delete_certificate_authority({root, 31}); }) == errc::validation));
    f.svc.delete_certificate_authority({root, 7});
    auto d = f.svc.describe_certificate_authority({root}).certificate_authority;
    BOOST_TEST((d.status == certificate_authority_status::deleted));
    BOOST_TEST_REQUIRE(d.restorable_until.has_value());
    BOOST_TEST(to_unix(*d.restorable_until) == to_unix(f.now()) + 7 * 86400);
    BOOST_TEST((error_of([&] { f.svc.list_tags({std::nullopt, std::nullopt, root}); }) == errc::invalid_state));
    f.svc.restore_certificate_authority({root});
    BOOST_TEST((f.svc.describe_certificate_authority({root}).certificate_authority.status == certificate_authority_status::disabled));
    BOOST_TEST((error_of([&] { f.svc.restore_certificate_authority({root}); }) == errc::invalid_state));
    f.svc.delete_certificate_authority({root, std::nullopt});  // default 30 days
    f.clock.advance(std::chrono::hours(24 * 30) + std::chrono::seconds(1));
    BOOST_TEST((error_of([&] { f.svc.describe_certificate_authority({root}); }) == errc::resource_not_found));
    BOOST_TEST((error_of([&] { f.svc.restore_certificate_authority({root}); }) == errc::resource_not_found));
}

BOOST_AUTO_TEST_CASE(idempotency_tokens_return_the_same_arn_for_five_minutes) {
    test::service_fixture f;
    auto req = test::service_fixture::ca_request(certificate_authority_type::root, "I");
    req.idempotency_token = "token-1";
    const auto a = f.svc.create_certificate_authority(req).certificate_authority_arn;
    const auto b = f.svc.create_certificate_authority(req).certificate_authority_arn;
    BOOST_TEST(a == b);
    BOOST_TEST(f.store.list_cas().size() == 1u);
    f.clock.advance(std::chrono::minutes(6));
    const auto c = f.svc.create_certificate_authority(req).certificate_authority_arn;
    BOOST_TEST(c != a);

    const std::string root = f.make_active_root("I2");
    const std::string root_id = ca_arn::parse(root).ca_id();
    const auto e1 = f.issue_end_entity(root, "x", "issue-token");
    const auto after_first = f.store.count_certificates(root_id);
    const auto e2 = f.issue_end_entity(root, "x", "issue-token");
    BOOST_TEST(e1 == e2);
    // The retry reserved a serial of its own before it met the token, and dropped it again.
    const auto before = f.store.count_certificates(root_id);
    BOOST_TEST(before == after_first);
    for (const auto& rec : f.store.list_certificates(root_id)) BOOST_TEST(!rec.certificate.empty());
    f.clock.advance(std::chrono::minutes(5) + std::chrono::seconds(1));
    const auto e3 = f.issue_end_entity(root, "x", "issue-token");
    BOOST_TEST(e3 != e1);
    BOOST_TEST(f.store.count_certificates(root_id) == before + 1);
}

BOOST_AUTO_TEST_CASE(list_certificate_authorities_paginates_with_opaque_tokens) {
    test::service_fixture f;
    std::set<std::string> created;
    for (int i = 0; i < 5; ++i) {
        created.insert(f.svc.create_certificate_authority(
                                test::service_fixture::ca_request(certificate_authority_type::root, "L" + std::to_string(i)))
                           .certificate_authority_arn);
        f.clock.advance(std::chrono::seconds(1));
    }
    std::set<std::string> seen;
    list_certificate_authorities_request req;
    req.max_results = 2;
    int pages = 0;
    for (;;) {
        auto page = f.svc.list_certificate_authorities(req);
        ++pages;
        BOOST_TEST(page.certificate_authorities.size() <= 2u);
        for (const auto& ca : page.certificate_authorities) BOOST_TEST(seen.insert(*ca.arn).second);
        if (!page.next_token) break;
        // a concurrent insert does not disturb the walk
        if (pages == 1) f.svc.create_certificate_authority(test::service_fixture::ca_request(certificate_authority_type::root, "late"));
        req.next_token = page.next_token;
    }
    for (const auto& a : created) BOOST_TEST(seen.count(a) == 1u);
    BOOST_TEST(pages >= 3);
    req.next_token = "Zm9yZ2Vk";
    BOOST_TEST((error_of([&] { f.svc.list_certificate_authorities(req); }) == errc::invalid_next_token));
    req.max_results = 0;
    req.next_token.reset();
    BOOST_TEST((error_of([&] { f.svc.list_certificate_authorities(req); }) == errc::validation));
    // A token from another account's listing is refused.
    list_certificate_authorities_request first;
    first.max_results = 1;
    const auto token = f.svc.list_certificate_authorities(first).next_token;
    BOOST_TEST_REQUIRE(token.has_value());
    first.next_token = token;
    BOOST_TEST((error_of([&] { f.svc.list_certificate_authorities(first, f.other()); }) == errc::invalid_next_token));
}

BOOST_AUTO_TEST_CASE(tags_limits_patterns_and_untag_rules) {
    test::service_fixture f;
    const std::string root = f.make_active_root("T");
    std::vector<tag> tags;
    for (int i = 0; i < 50; ++i) tags.push_back({"k" + std::to_string(i), std::string("v")});
    f.svc.tag_certificate_authority({root, tags});
    BOOST_TEST((error_of([&] { f.svc.tag_certificate_authority({root, {{"one-more", std::nullopt}}}); }) == errc::too_many_tags));
    BOOST_TEST((error_of([&] { f.svc.tag_certificate_authority({root, {{"aws:reserved", std::nullopt}}}); }) == errc::invalid_tag));
    BOOST_TEST((error_of([&] { f.svc.tag_certificate_authority({root, {{"bad*key", std::nullopt}}}); }) == errc::invalid_tag));
    f.svc.untag_certificate_authority({root, {{"k1", std::nullopt}, {"k2", std::string("other")}, {"k3", std::string("v")}}});
    list_tags_request lr{std::nullopt, std::nullopt, root};
    const auto listed = f.svc.list_tags(lr).tags;
    BOOST_TEST(listed.size() == 48u);  // k1 (by key) and k3 (key+value) gone, k2 kept (value differs)
    lr.max_results = 20;
    std::size_t total = 0;
    for (;;) {
        auto page = f.svc.list_tags(lr);
        total += page.tags.size();
        if (!page.next_token) break;
        lr.next_token = page.next_token;
    }
    BOOST_TEST(total == 48u);
}

BOOST_AUTO_TEST_CASE(permissions_for_acm_and_their_errors) {
    test::service_fixture f;
    const std::string root = f.make_active_root("P");
    f.svc.create_permission({root, "acm.amazonaws.com", std::nullopt,
                             {action_type::issue_certificate, action_type::get_certificate, action_type::list_permissions}});
    BOOST_TEST((error_of([&] {
                    f.svc.create_permission({root, "acm.amazonaws.com", std::nullopt, {action_type::get_certificate}});
                }) == errc::permission_already_exists));
    BOOST_TEST((error_of([&] {
                    f.svc.create_permission({root, "ec2.amazonaws.com", std::nullopt, {action_type::get_certificate}});
                }) == errc::validation));
    // The model lists no InvalidRequestException for DeletePermission: another principal has
    // no permission to delete.
    BOOST_TEST((error_of([&] { f.svc.delete_permission({root, "ec2.amazonaws.com", std::nullopt}); }) == errc::resource_not_found));
    const auto perms = f.svc.list_permissions({std::nullopt, std::nullopt, root}).permissions;
    BOOST_TEST_REQUIRE(perms.size() == 1u);
    BOOST_TEST(perms[0].actions->size() == 3u);
    BOOST_TEST(perms[0].policy->find("acm-pca:IssueCertificate") != std::string::npos);
    // ACM (as the owner's account) may now issue; without the permission it may not.
    caller acm{test::owner_account, std::string("acm.amazonaws.com")};
    issue_certificate_request ir;
    ir.certificate_authority_arn = root;
    ir.csr = test::openssl_csr("ee-p256", "/CN=acm.example.com");
    ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
    ir.validity = {13, validity_period_type::months};
    const auto arn = f.svc.issue_certificate(ir, acm).certificate_arn;
    f.svc.delete_permission({root, "acm.amazonaws.com", std::nullopt});
    BOOST_TEST((error_of([&] { f.svc.issue_certificate(ir, acm); }) == errc::access_denied));
    BOOST_TEST((error_of([&] { f.svc.delete_permission({root, "acm.amazonaws.com", std::nullopt}); }) == errc::resource_not_found));
    // The audit report names the service principal for ACM's certificate.
    f.svc.create_certificate_authority_audit_report({root, "audit-bucket", audit_report_response_format::csv});
    (void)arn;
}

BOOST_AUTO_TEST_CASE(resource_policies_share_a_ca_with_another_account) {
    test::service_fixture f;
    const std::string root = f.make_active_root("Shared");
    BOOST_TEST((error_of([&] { f.svc.describe_certificate_authority({root}, f.other()); }) == errc::access_denied));
    BOOST_TEST((error_of([&] { f.svc.get_policy({root}); }) == errc::resource_not_found));
    BOOST_TEST((error_of([&] { f.svc.put_policy({root, "{not json"}); }) == errc::invalid_policy));
    BOOST_TEST((error_of([&] { f.svc.put_policy({root, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"acm-pca:DeleteCertificateAuthority","Resource":"*"}]})"}); }) ==
                errc::invalid_policy));
    // IAM semantics: a condition on a key the request does not carry fails, so the template
    // condition sits in its own statement for IssueCertificate only.
    const std::string principal = std::string(R"("Principal":{"AWS":"arn:aws:iam::)") + test::other_account + R"(:root"},)";
    const std::string policy = std::string(R"({"Version":"2012-10-17","Statement":[{"Sid":"read","Effect":"Allow",)") + principal +
                               R"("Action":["acm-pca:DescribeCertificateAuthority","acm-pca:GetCertificate",)" +
                               R"("acm-pca:GetCertificateAuthorityCertificate"],"Resource":")" + root + R"("},)" +
                               R"({"Sid":"issue","Effect":"Allow",)" + principal + R"("Action":"acm-pca:IssueCertificate","Resource":")" +
                               root + R"(",)" +
                               R"("Condition":{"StringEquals":{"acm-pca:TemplateArn":"arn:aws:acm-pca:::template/EndEntityCertificate/V1"}}}]})";
    f.svc.put_policy({root, policy});
    BOOST_TEST(*f.svc.get_policy({root}).policy == policy);
    BOOST_CHECK_NO_THROW(f.svc.describe_certificate_authority({root}, f.other()));
    issue_certificate_request ir;
    ir.certificate_authority_arn = root;
    ir.csr = test::openssl_csr("ee-p256", "/CN=shared.example.com");
    ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
    ir.validity = {10, validity_period_type::days};
    const auto arn = f.svc.issue_certificate(ir, f.other()).certificate_arn;
    BOOST_CHECK_NO_THROW(f.svc.get_certificate({root, arn}, f.other()));
    ir.template_arn = test::template_arn("EndEntityClientAuthCertificate");  // the condition allows only EndEntityCertificate
    BOOST_TEST((error_of([&] { f.svc.issue_certificate(ir, f.other()); }) == errc::access_denied));
    BOOST_TEST((error_of([&] { f.svc.list_tags({std::nullopt, std::nullopt, root}, f.other()); }) == errc::access_denied));
    list_certificate_authorities_request lr;
    lr.resource_owner = resource_owner::other_accounts;
    const auto shared = f.svc.list_certificate_authorities(lr, f.other()).certificate_authorities;
    BOOST_TEST_REQUIRE(shared.size() == 1u);
    BOOST_TEST(*shared[0].arn == root);
    BOOST_TEST(f.svc.list_certificate_authorities({}, f.other()).certificate_authorities.empty());
    f.svc.delete_policy({root});
    BOOST_TEST((error_of([&] { f.svc.describe_certificate_authority({root}, f.other()); }) == errc::access_denied));
}

BOOST_AUTO_TEST_CASE(quotas_and_rate_limits) {
    storage::memory_store store;
    storage::memory_object_store buckets;
    manual_clock clock{from_unix(1767225600)};
    service_options opts;
    opts.max_certificate_authorities = 2;
    opts.rate_limits = true;
    service svc(store, buckets, clock, opts);
    svc.create_certificate_authority(test::service_fixture::ca_request(certificate_authority_type::root, "Q1"));
    // CreateCertificateAuthority is limited to 1 request per second.
    BOOST_TEST((error_of([&] { svc.create_certificate_authority(test::service_fixture::ca_request(certificate_authority_type::root, "Q2")); }) ==
                errc::throttling));
    clock.advance(std::chrono::seconds(1));
    svc.create_certificate_authority(test::service_fixture::ca_request(certificate_authority_type::root, "Q2"));
    clock.advance(std::chrono::seconds(1));
    BOOST_TEST((error_of([&] { svc.create_certificate_authority(test::service_fixture::ca_request(certificate_authority_type::root, "Q3")); }) ==
                errc::limit_exceeded));
}

BOOST_AUTO_TEST_SUITE_END()
