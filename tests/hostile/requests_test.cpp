// Hostile request members through the service facade: ApiPassthrough values, Validity,
// RevokeCertificate serials, resource policies (PutPolicy), and names, tags, ARNs, tokens and
// list parameters. Each case is a row of the "Bad-input table" in docs/security.md; each
// refusal is checked for the exact error the model lists for the operation (type, wire name,
// message naming the member and the defect), and that nothing was changed by it.
#include <boost/test/unit_test.hpp>

#include <string>

#include "hostile/hostile.hpp"

namespace {
using namespace pca;
using namespace pca::test;
using namespace pca::test::hostile;

struct request_fixture : service_fixture {
    std::string ca = make_active_root("Hostile Request Root", crl_config());

    issue_certificate_request request(std::optional<std::string> tmpl = std::nullopt) {
        static const bytes csr = openssl_csr("ee-p256", "/CN=req.example.com", "-addext subjectAltName=DNS:req.example.com");
        issue_certificate_request ir;
        ir.certificate_authority_arn = ca;
        ir.csr = csr;
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.validity = {30, validity_period_type::days};
        ir.template_arn = std::move(tmpl);
        return ir;
    }
    issue_certificate_request passthrough_request(api_passthrough p) {
        auto ir = request(pca::test::template_arn("EndEntityCertificate_APIPassthrough"));
        ir.api_passthrough = std::move(p);
        return ir;
    }
    std::size_t issued() { return store.count_certificates(ca_arn::parse(ca).ca_id()); }
    std::string policy_json(const std::string& statement_extra = "", const std::string& resource = "") {
        return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"210987654321"},)"
               R"("Action":"acm-pca:IssueCertificate","Resource":")" +
               (resource.empty() ? ca : resource) + "\"" + statement_extra + "}]}";
    }
};

api_passthrough with_extensions(extensions e) {
    api_passthrough p;
    p.extensions = std::move(e);
    return p;
}
api_passthrough with_subject_cn(const std::string& cn) {
    api_passthrough p;
    p.subject = asn1_subject{};
    p.subject->common_name = cn;
    return p;
}
}  // namespace

BOOST_FIXTURE_TEST_SUITE(hostile_requests, request_fixture)

// ---- ApiPassthrough ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(passthrough_refuses_oversized_and_empty_names) {
    const std::size_t before = issued();
    extensions e;
    general_name g;
    g.dns_name = std::string(300, 'a');
    e.subject_alternative_names = std::vector<general_name>{g};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_extensions(e))); },
                                           {"ApiPassthrough.Extensions.SubjectAlternativeNames[0].DnsName", "at most 253"});
    e.subject_alternative_names = std::vector<general_name>(151, g);
    e.subject_alternative_names->front().dns_name = "ok.example.com";
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_extensions(e))); },
                                           {"SubjectAlternativeNames", "150"});
    general_name empty;
    e.subject_alternative_names = std::vector<general_name>{empty};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_extensions(e))); },
                                           {"SubjectAlternativeNames[0]", "exactly one"});
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_subject_cn(std::string(65, 'x')))); },
                                           {"ApiPassthrough.Subject.CommonName", "64"});
    api_passthrough country;
    country.subject = asn1_subject{};
    country.subject->country = "USA";
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(country)); },
                                           {"ApiPassthrough.Subject.Country"});
    BOOST_TEST(issued() == before);
}

BOOST_AUTO_TEST_CASE(passthrough_refuses_invalid_utf8) {
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_subject_cn("bad \xc3\x28"))); },
                                           {"ApiPassthrough.Subject.CommonName", "UTF-8"});
    extensions e;
    general_name g;
    g.rfc822_name = "\xff@example.com";
    e.subject_alternative_names = std::vector<general_name>{g};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_extensions(e))); },
                                           {"Rfc822Name", "UTF-8"});
}

BOOST_AUTO_TEST_CASE(passthrough_refuses_bad_custom_extensions) {
    auto custom = [&](custom_extension c) {
        extensions e;
        e.custom_extensions = std::vector<custom_extension>{std::move(c)};
        return passthrough_request(with_extensions(e));
    };
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(custom({"1.3.6.1.4.1.55555.1", "not base64!", true})); },
                                           {"CustomExtensions[0].Value", "base64"});
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(custom({"1.3.6.1.4.1.55555.1", std::string(4100, 'A'), true})); },
                                           {"CustomExtensions[0].Value", "4096"});
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(custom({"not.an.oid", "BQA=", false})); },
                                           {"CustomExtensions[0].ObjectIdentifier"});
    // Duplicate extensions: the same OID twice.
    extensions twice;
    twice.custom_extensions = std::vector<custom_extension>{{"1.3.6.1.4.1.55555.1", "BQA=", false}, {"1.3.6.1.4.1.55555.1", "BQA=", false}};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_extensions(twice))); },
                                           {"repeats extension 1.3.6.1.4.1.55555.1"});
}

BOOST_AUTO_TEST_CASE(passthrough_refuses_bad_oids_and_policies) {
    extensions e;
    policy_information p;
    p.cert_policy_id = "1.2.3.";
    e.certificate_policies = std::vector<policy_information>{p};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_extensions(e))); },
                                           {"ApiPassthrough.Extensions.CertificatePolicies[0].CertPolicyId"});
    extensions eku;
    pca::extended_key_usage k;
    k.extended_key_usage_object_identifier = "1.3.6.1.5.5.7.3." + std::string(200, '9');
    eku.extended_key_usage = std::vector<pca::extended_key_usage>{k};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(passthrough_request(with_extensions(eku))); },
                                           {"ExtendedKeyUsage[0]"});
}

// ---- Validity ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(validity_refuses_values_out_of_range) {
    const std::size_t before = issued();
    auto with = [&](validity v) {
        auto ir = request();
        ir.validity = v;
        return ir;
    };
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(with({0, validity_period_type::days})); }, {"Validity.Value"});
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(with({-5, validity_period_type::days})); }, {"Validity.Value"});
    // Huge relative values: no overflow, a named error.
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(with({INT64_MAX, validity_period_type::days})); },
                                           {"Validity"});
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(with({INT64_MAX, validity_period_type::years})); },
                                           {"Validity"});
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(with({INT64_MAX, validity_period_type::absolute})); },
                                           {"Validity"});
    // END_DATE digits that are no date: month 13, hour 25, wrong digit counts.
    for (std::int64_t v : {std::int64_t{261301000000}, std::int64_t{261201250000}, std::int64_t{2612010000},
                           std::int64_t{202612010000000}, std::int64_t{20260230000000}}) {
        BOOST_TEST_CONTEXT("END_DATE " << v) {
            expect_refused<invalid_args_exception>([&] { svc.issue_certificate(with({v, validity_period_type::end_date})); },
                                                   {"Validity"});
        }
    }
    // In the past, and past the CA's NotAfter (ValidationException, as the service answers).
    expect_refused<invalid_args_exception>(
        [&] { svc.issue_certificate(with({to_unix(now()) - 3600, validity_period_type::absolute})); }, {"not after the issuance time"});
    expect_refused<validation_exception>([&] { svc.issue_certificate(with({100, validity_period_type::years})); },
                                         {"validity period of the CA certificate ends"});
    // ValidityNotBefore: only ABSOLUTE, and before NotAfter.
    auto nb = request();
    nb.validity_not_before = validity{5, validity_period_type::days};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(nb); }, {"ValidityNotBefore"});
    nb.validity_not_before = validity{to_unix(now()) + 3600 * 24 * 60, validity_period_type::absolute};
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(nb); }, {"ValidityNotBefore"});
    BOOST_TEST(issued() == before);
}

// ---- RevokeCertificate serials ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(revoke_refuses_bad_serials) {
    auto revoke = [&](const std::string& serial) {
        revoke_certificate_request r;
        r.certificate_authority_arn = ca;
        r.certificate_serial = serial;
        r.revocation_reason = revocation_reason::key_compromise;
        svc.revoke_certificate(r);
    };
    const std::pair<std::string, std::string> bad[] = {
        {"", "it is empty"},
        {"-01", ""},
        {"00", ""},
        {"00:00:00", ""},
        {"0x1234", ""},
        {"zz", ""},
        {"12 34", ""},
        {"12:3", "two hex digits"},
        {std::string(129, '1'), "longer than 128"},
        {std::string(42, '7'), ""},  // 21 octets
        {"\xc3\x28", ""},
    };
    for (const auto& [serial, says] : bad) {
        BOOST_TEST_CONTEXT("serial '" << serial << "'") {
            std::vector<std::string> fragments{"CertificateSerial", "is not a valid serial number"};
            if (!says.empty()) fragments.push_back(says);
            expect_refused<invalid_request_exception>([&] { revoke(serial); }, fragments);
        }
    }
    // Well-formed but unknown, and twice.
    expect_refused<resource_not_found_exception>([&] { revoke("0123456789abcdef"); }, {"was not issued by this CA"});
    const std::string arn = issue_end_entity(ca);
    const std::string serial = certificate_arn::parse(arn).serial_hex();
    revoke(serial);
    expect_refused<request_already_processed_exception>([&] { revoke(serial); }, {"already revoked"});
    // Spelled with colons and upper case, it is the same certificate.
    std::string colons;
    for (std::size_t i = 0; i < serial.size(); i += 2) colons += (i ? ":" : "") + serial.substr(i, 2);
    for (auto& c : colons) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    expect_refused<request_already_processed_exception>([&] { revoke(colons); }, {"already revoked"});
}

// ---- Resource policies ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(put_policy_refuses_malformed_documents) {
    auto put = [&](const std::string& text) { svc.put_policy({ca, text}); };
    svc.put_policy({ca, policy_json()});  // the baseline is accepted
    const std::pair<std::string, std::string> bad[] = {
        {"", "1 to 20480"},
        {std::string(20481, ' '), "1 to 20480"},
        {"{", "not valid JSON"},
        {"[]", "must be a JSON object"},
        {std::string(5000, '[') + std::string(5000, ']'), "deeper than"},
        {R"({"Version":"2012-10-17","Statement":)" + std::string(3000, '[') + std::string(3000, ']') + "}", "deeper than"},
        {"{\"Version\":\"2012-10-17\",\"Statement\":\"\xc3\x28\"}", "not valid JSON"},
        {R"({"Version":"2099-01-01","Statement":[]})", "Version"},
        {R"({"Statement":[]})", "Version is required"},
        {R"({"Version":"2012-10-17"})", "Statement is required"},
        {R"({"Version":"2012-10-17","Statement":[]})", "must not be empty"},
        {R"({"Version":"2012-10-17","Statement":{},"Extra":1})", "unknown top-level element 'Extra'"},
        {policy_json(R"(,"NotAction":"x")"), "NotAction"},
        {policy_json("", "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-0000-0000-000000000000"),
         "does not name this CA"},
        {policy_json(R"(,"Condition":{"NumericEquals":{"a":"1"}})"), "unsupported operator"},
        {policy_json(R"(,"Condition":"x")"), "Condition must be an object"},
        {R"({"Version":"2012-10-17","Version":"2012-10-17","Statement":[]})", "key \"Version\" twice"},
        {policy_json(R"(,"Effect":"Deny")"), "key \"Effect\" twice"},
    };
    for (const auto& [text, says] : bad) {
        BOOST_TEST_CONTEXT("policy " << text.substr(0, 60)) {
            expect_refused<invalid_policy_exception>([&] { put(text); }, {says});
        }
    }
    std::string wrong_action = policy_json();
    wrong_action.replace(wrong_action.find("acm-pca:IssueCertificate"), 24, "s3:GetObject");
    expect_refused<invalid_policy_exception>([&] { put(wrong_action); }, {"matches no action"});
    // The accepted policy is still the one in force.
    BOOST_TEST(*svc.get_policy({ca}).policy == policy_json());
}

// ---- names, tags, ARNs, tokens, list parameters -----------------------------------------------

BOOST_AUTO_TEST_CASE(malformed_arns_get_invalid_arn) {
    const std::string bad[] = {
        "",
        "arn",
        std::string(100000, 'a'),
        "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/",
        "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/not-a-uuid",
        "arn:aws:acm-pca:us-east-1:12345678901:certificate-authority/00000000-0000-0000-0000-000000000000",
        "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-0000-0000-000000000000/certificate/zz",
        "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/\xc3\x28",
        std::string("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/\0", 62),
    };
    for (const auto& arn : bad) {
        BOOST_TEST_CONTEXT("arn '" << arn.substr(0, 80) << "'") {
            expect_refused<invalid_arn_exception>([&] { svc.describe_certificate_authority({arn}); }, {});
        }
    }
    // Well-formed ARNs of nothing, and of another region.
    expect_refused<resource_not_found_exception>(
        [&] { svc.describe_certificate_authority({"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-0000-0000-000000000000"}); },
        {"does not exist"});
    std::string other_region = ca;
    other_region.replace(other_region.find("us-east-1"), 9, "eu-west-1");
    expect_refused<resource_not_found_exception>([&] { svc.describe_certificate_authority({other_region}); }, {"does not exist"});
    // A certificate ARN under another CA, and a bad template ARN.
    expect_refused<invalid_arn_exception>([&] { svc.get_certificate({ca, "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/00000000-0000-0000-0000-000000000000/certificate/01"}); },
                                          {"was not issued by"});
    expect_refused<invalid_args_exception>([&] { svc.issue_certificate(request("arn:aws:acm-pca:::template/NoSuchTemplate/V1")); },
                                           {"TemplateArn", "names no template"});
}

BOOST_AUTO_TEST_CASE(hostile_tags_get_invalid_tag_or_too_many_tags) {
    auto tag_with = [&](std::vector<tag> tags) { svc.tag_certificate_authority({ca, std::move(tags)}); };
    expect_refused<invalid_tag_exception>([&] { tag_with({}); }, {"Tags"});
    expect_refused<invalid_tag_exception>([&] { tag_with({{"", "v"}}); }, {"Key"});
    expect_refused<invalid_tag_exception>([&] { tag_with({{std::string(129, 'k'), "v"}}); }, {"Key", "128"});
    expect_refused<invalid_tag_exception>([&] { tag_with({{"k", std::string(257, 'v')}}); }, {"Value", "256"});
    expect_refused<invalid_tag_exception>([&] { tag_with({{"bad\x01key", "v"}}); }, {"Key"});
    expect_refused<invalid_tag_exception>([&] { tag_with({{"k\xc3\x28", "v"}}); }, {"Key", "UTF-8"});
    expect_refused<invalid_tag_exception>([&] { tag_with({{"aws:reserved", "v"}}); }, {"aws:"});
    std::vector<tag> many;
    for (int i = 0; i < 51; ++i) many.push_back({"k" + std::to_string(i), "v"});
    expect_refused<too_many_tags_exception>([&] { tag_with(many); }, {"50"});
    many.resize(30);
    tag_with(many);
    std::vector<tag> more;
    for (int i = 0; i < 21; ++i) more.push_back({"m" + std::to_string(i), "v"});
    expect_refused<too_many_tags_exception>([&] { tag_with(more); }, {"at most 50 tags"});
    BOOST_TEST(svc.list_tags({std::nullopt, std::nullopt, ca}).tags.size() == 30u);
}

BOOST_AUTO_TEST_CASE(hostile_tokens_names_and_list_parameters) {
    auto ir = request();
    for (const std::string& token : {std::string(), std::string(37, 't'), std::string("tok\x01")}) {
        ir.idempotency_token = token;
        expect_refused<validation_exception>([&] { svc.issue_certificate(ir); }, {"IdempotencyToken"});
    }
    // A CA name of 0 characters (the model allows "": it is left out of the Name, which
    // must not hold an empty DirectoryString), of 65, invalid UTF-8; a bad bucket name.
    auto create = ca_request(certificate_authority_type::root, "");
    create.certificate_authority_configuration.subject = asn1_subject{};
    create.certificate_authority_configuration.subject.organization = "Hostile Org";
    create.certificate_authority_configuration.subject.common_name = "";
    const auto empty_cn = svc.create_certificate_authority(create).certificate_authority_arn;
    const auto csr = x509::csr::parse_pem(svc.get_certificate_authority_csr({empty_cn}).csr);
    BOOST_TEST(csr.subject().to_string() == "O=Hostile Org");
    BOOST_TEST(csr.subject().find(der::oids::common_name) == nullptr);
    create.certificate_authority_configuration.subject.common_name = std::string(65, 'c');
    expect_refused<invalid_args_exception>([&] { svc.create_certificate_authority(create); }, {"CommonName"});
    create.certificate_authority_configuration.subject.common_name = "\xed\xa0\x80";
    expect_refused<invalid_args_exception>([&] { svc.create_certificate_authority(create); }, {"UTF-8"});
    expect_refused<invalid_args_exception>([&] { svc.create_certificate_authority_audit_report({ca, "Bad_Bucket..", audit_report_response_format::json}); },
                                           {"S3BucketName"});
    expect_refused<invalid_args_exception>([&] { svc.describe_certificate_authority_audit_report({ca, "../../etc/passwd"}); },
                                           {"AuditReportId"});
    // Page sizes and forged tokens.
    for (std::int32_t n : {0, -1, 1001}) {
        expect_refused<validation_exception>([&] { svc.list_certificate_authorities({n, std::nullopt, std::nullopt}); }, {"MaxResults"});
    }
    for (const std::string& token : {std::string("garbage"), std::string(5000, 'A'), std::string("\xc3\x28")}) {
        expect_refused<invalid_next_token_exception>([&] { svc.list_certificate_authorities({std::nullopt, token, std::nullopt}); }, {});
    }
    expect_refused<validation_exception>([&] { svc.delete_certificate_authority({ca, 6}); }, {"PermanentDeletionTimeInDays"});
}

BOOST_AUTO_TEST_CASE(certificates_stay_reachable_when_the_rng_draws_a_leading_zero_octet) {
    // Found by service_concurrency: a serial drawn as 00 xx .. put "00xx.." in the ARN while
    // GetCertificate and RevokeCertificate look up the magnitude "xx..": ResourceNotFound for
    // one certificate in 256. An rng whose every other 16-byte draw starts with 00.
    struct leading_zero_rng final : pca::rng {
        int draws = 0;
        void fill(std::uint8_t* out, std::size_t n) override {
            test_rng().fill(out, n);
            if (n == 16 && draws++ % 2 == 0) out[0] = 0;
        }
    } zeros;
    service zsvc{store, buckets, clock, service_options{}, &zeros};
    auto ir = request();
    for (int i = 0; i < 8; ++i) {
        const std::string arn = zsvc.issue_certificate(ir).certificate_arn;
        BOOST_TEST(certificate_arn::parse(arn).serial_hex().substr(0, 2) != "00");
        BOOST_TEST(!zsvc.get_certificate({ca, arn}).certificate.empty());
        zsvc.revoke_certificate({ca, certificate_arn::parse(arn).serial_hex(), revocation_reason::superseded});
    }
}

BOOST_AUTO_TEST_SUITE_END()
