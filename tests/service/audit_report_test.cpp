// Audit report bodies (semantics.md 5): exact text for a known entry; JSON read back by
// nlohmann and by Python's json module with the keys in the service's order and absent fields
// omitted; CSV read back by Python's csv module, field for field, for subjects with commas,
// quotes, line breaks and non-ASCII; and the rows of certificates really issued and revoked.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pca/policy/revocation.hpp"
#include "pca/service/audit_report.hpp"
#include "support/oracle.hpp"
#include "support/pki.hpp"

namespace {
using namespace pca;

bytes hex(std::string_view h) {
    bytes b;
    BOOST_REQUIRE(from_hex(h, b));
    return b;
}

sys_seconds at(std::int64_t y, unsigned mo, unsigned d, unsigned h = 0, unsigned mi = 0, unsigned s = 0) {
    return to_sys_seconds(civil_time{y, mo, d, h, mi, s});
}

const std::vector<std::string> key_order = {"awsAccountId", "requestedByServicePrincipal", "certificateArn", "serial",
                                            "subject", "notBefore", "notAfter", "issuedAt", "revokedAt",
                                            "revocationReason", "templateArn"};

const std::string test_ca_arn = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555";

audit_entry basic_entry(const std::string& serial_hex, const std::string& subject) {
    audit_entry e;
    e.aws_account_id = "123456789012";
    e.certificate_arn = test_ca_arn + "/certificate/" + serial_hex;
    e.serial = hex(serial_hex);
    e.subject_rfc2253 = subject;
    e.not_before = at(2018, 2, 26, 18, 28, 25);
    e.not_after = at(2019, 2, 26, 19, 28, 25);
    e.issued_at = at(2018, 2, 26, 19, 28, 25);
    e.template_arn = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";
    return e;
}

/// The fields of an entry as the CSV shows them (absent: empty).
std::vector<std::string> expected_fields(const audit_entry& e, const std::string& subject_as_read) {
    auto ts = [](sys_seconds t) {
        std::string s;
        detail::append_timestamp(s, t);
        return s;
    };
    return {e.aws_account_id,
            e.requested_by_service_principal.value_or(""),
            e.certificate_arn,
            policy::serial_colon_hex(e.serial),
            subject_as_read,
            ts(e.not_before),
            ts(e.not_after),
            ts(e.issued_at),
            e.revoked_at ? ts(*e.revoked_at) : "",
            e.revocation_reason ? std::string(to_string(*e.revocation_reason)) : "",
            e.template_arn};
}

/// Python's csv module on the file: a JSON array of rows (lists of strings).
nlohmann::json python_csv(const std::string& path) {
    const auto r = test::run(test::python() +
                             " -c 'import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline=\"\", "
                             "encoding=\"utf-8\")))))' " +
                             test::sh_quote(path));
    BOOST_TEST_INFO(r.output);
    BOOST_REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.output);
}

/// Python's json module on the file: for each object, its [key, value] pairs in file order.
nlohmann::json python_json(const std::string& path) {
    const auto r = test::run(test::python() +
                             " -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1], encoding=\"utf-8\"), "
                             "object_pairs_hook=lambda p: [list(x) for x in p])))' " +
                             test::sh_quote(path));
    BOOST_TEST_INFO(r.output);
    BOOST_REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.output);
}

/// Checks a parsed JSON report (pairs per object) against the entries.
void check_json_rows(const nlohmann::json& objects, const std::vector<audit_entry>& entries,
                     const std::vector<std::string>& subjects_as_read) {
    BOOST_REQUIRE(objects.size() == entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            const auto want = expected_fields(entries[i], subjects_as_read[i]);
            std::vector<std::string> keys, want_keys;
            for (std::size_t k = 0; k < key_order.size(); ++k)
                if (!want[k].empty()) want_keys.push_back(key_order[k]);  // absent fields omitted
            for (const auto& pair : objects[i]) {
                keys.push_back(pair[0].get<std::string>());
                const auto k = std::find(key_order.begin(), key_order.end(), keys.back()) - key_order.begin();
                BOOST_TEST(pair[1].get<std::string>() == want[static_cast<std::size_t>(k)]);
            }
            BOOST_TEST(keys == want_keys, boost::test_tools::per_element());
        }
    }
}

std::vector<audit_entry> tricky_entries() {
    std::vector<audit_entry> v;
    v.push_back(basic_entry("e8cbd2bedb122329f97706bcfec990f8", "CN=www.example.com,OU=Sales,O=Example Corp,L=Seattle,ST=WA,C=US"));
    auto acm = basic_entry("3d295f5691637e577f3c192acd79d401", "CN=acm.example.com");
    acm.requested_by_service_principal = "acm.amazonaws.com";
    v.push_back(acm);
    auto revoked = basic_entry("0000000001", "CN=revoked");
    revoked.revoked_at = at(2018, 3, 1, 12, 0, 0);
    revoked.revocation_reason = revocation_reason::key_compromise;
    v.push_back(revoked);
    auto nasty = basic_entry("7f", "CN=Acme\\, \"Inc\",O=Quote \"\"twice\"\",OU=multi\nline\r\nx,L=Zürich ☃ 🎉,"
                                   "ST=tab\there\\back,1.2.840.113549.1.9.1=#161173616c6573406578616d706c652e636f6d");
    nasty.revoked_at = at(2049, 12, 31, 23, 59, 59);
    nasty.revocation_reason = revocation_reason::a_a_compromise;
    nasty.template_arn = "arn:aws:acm-pca:::template/EndEntityCertificate_APIPassthrough/V1";
    v.push_back(nasty);
    auto control = basic_entry("0102", std::string("CN=ctl\x01\x1f\x7f,O=bad\xff" "byte,OU=cut\xe2\x98"));
    control.not_after = at(9999, 12, 31, 23, 59, 59);
    v.push_back(control);
    return v;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(service_audit_report)

BOOST_AUTO_TEST_CASE(report_keys_follow_the_bucket_layout) {
    BOOST_TEST(audit_report_key("11111111-2222-3333-4444-555555555555", "aaaabbbb-cccc-dddd-eeee-ffff00001111",
                                         audit_report_response_format::json) ==
               "audit-report/11111111-2222-3333-4444-555555555555/aaaabbbb-cccc-dddd-eeee-ffff00001111.json");
    BOOST_TEST(audit_report_key("ca", "r", audit_report_response_format::csv) == "audit-report/ca/r.csv");
}

BOOST_AUTO_TEST_CASE(one_entry_formats_to_known_text) {
    auto e = basic_entry("e8cbd2bedb122329f97706bcfec990f8", "CN=a\\,b,O=\"q\"");
    const std::string json = format_audit_report({e}, audit_report_response_format::json);
    BOOST_TEST(json ==
               "[\n{\"awsAccountId\":\"123456789012\","
               "\"certificateArn\":\"" + test_ca_arn + "/certificate/e8cbd2bedb122329f97706bcfec990f8\","
               "\"serial\":\"e8:cb:d2:be:db:12:23:29:f9:77:06:bc:fe:c9:90:f8\","
               "\"subject\":\"CN=a\\\\,b,O=\\\"q\\\"\","
               "\"notBefore\":\"2018-02-26T18:28:25+0000\",\"notAfter\":\"2019-02-26T19:28:25+0000\","
               "\"issuedAt\":\"2018-02-26T19:28:25+0000\","
               "\"templateArn\":\"arn:aws:acm-pca:::template/EndEntityCertificate/V1\"}\n]\n");
    e.revoked_at = at(2018, 3, 1);
    e.revocation_reason = revocation_reason::unspecified;
    e.requested_by_service_principal = "acm.amazonaws.com";
    const std::string csv = format_audit_report({e}, audit_report_response_format::csv);
    BOOST_TEST(csv ==
               "awsAccountId,requestedByServicePrincipal,certificateArn,serial,subject,notBefore,notAfter,issuedAt,"
               "revokedAt,revocationReason,templateArn\n"
               "123456789012,acm.amazonaws.com," + test_ca_arn + "/certificate/e8cbd2bedb122329f97706bcfec990f8,"
               "e8:cb:d2:be:db:12:23:29:f9:77:06:bc:fe:c9:90:f8,\"CN=a\\,b,O=\"\"q\"\"\","
               "2018-02-26T18:28:25+0000,2019-02-26T19:28:25+0000,2018-02-26T19:28:25+0000,"
               "2018-03-01T00:00:00+0000,UNSPECIFIED,arn:aws:acm-pca:::template/EndEntityCertificate/V1\n");
    // Empty reports.
    BOOST_TEST(format_audit_report({}, audit_report_response_format::json) == "[\n]\n");
    BOOST_TEST(format_audit_report({}, audit_report_response_format::csv) ==
               std::string(audit_report_csv_header) + "\n");
    BOOST_TEST(nlohmann::json::parse(format_audit_report({}, audit_report_response_format::json)).empty());
}

BOOST_AUTO_TEST_CASE(json_and_csv_parse_with_standard_parsers_and_match_field_for_field) {
    const auto entries = tricky_entries();
    std::vector<std::string> subjects;
    for (const auto& e : entries) subjects.push_back(e.subject_rfc2253);
    // Malformed UTF-8 is written as U+FFFD (one per byte of a broken sequence).
    subjects[4] = "CN=ctl\x01\x1f\x7f,O=bad\xEF\xBF\xBD" "byte,OU=cut\xEF\xBF\xBD\xEF\xBF\xBD";

    test::temp_dir dir;
    const std::string json = format_audit_report(entries, audit_report_response_format::json);
    const std::string csv = format_audit_report(entries, audit_report_response_format::csv);
    test::write_file(dir.file("r.json"), byte_view(json));
    test::write_file(dir.file("r.csv"), byte_view(csv));

    // nlohmann (keeping key order) and Python's json module.
    const auto ordered = nlohmann::ordered_json::parse(json);
    BOOST_REQUIRE(ordered.is_array());
    nlohmann::json pairs = nlohmann::json::array();
    for (const auto& o : ordered) {
        nlohmann::json p = nlohmann::json::array();
        for (auto it = o.begin(); it != o.end(); ++it) p.push_back({it.key(), it.value()});
        pairs.push_back(p);
    }
    check_json_rows(pairs, entries, subjects);
    check_json_rows(python_json(dir.file("r.json")), entries, subjects);
    BOOST_TEST(!ordered[0].contains("requestedByServicePrincipal"));
    BOOST_TEST(!ordered[0].contains("revokedAt"));
    BOOST_TEST(!ordered[0].contains("revocationReason"));
    BOOST_TEST(ordered[1]["requestedByServicePrincipal"] == "acm.amazonaws.com");
    BOOST_TEST(ordered[2]["serial"] == "01");
    BOOST_TEST(ordered[2]["revocationReason"] == "KEY_COMPROMISE");

    // Python's csv module: the header, then every field.
    const auto rows = python_csv(dir.file("r.csv"));
    BOOST_REQUIRE(rows.size() == entries.size() + 1);
    BOOST_TEST(rows[0].get<std::vector<std::string>>() == key_order, boost::test_tools::per_element());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        BOOST_TEST_CONTEXT("row " << i) {
            BOOST_TEST(rows[i + 1].get<std::vector<std::string>>() == expected_fields(entries[i], subjects[i]),
                       boost::test_tools::per_element());
        }
    }
    // The subject with commas is quoted; one without is not.
    BOOST_TEST(csv.find(",\"CN=www.example.com,OU=Sales,O=Example Corp,L=Seattle,ST=WA,C=US\",") != std::string::npos);
    BOOST_TEST(csv.find(",CN=acm.example.com,") != std::string::npos);
    BOOST_TEST(csv.find(",9999-12-31T23:59:59+0000,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rows_match_the_certificates_issued_and_revoked) {
    test::temp_dir dir;
    const auto ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "Audit Root");
    const auto ctx = ca.context();
    const sys_seconds now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::vector<std::string> subjects = {"/CN=plain.example.com", "/CN=Acme, \"Inc\"/O=Widgets, Gadgets & Co",
                                               "/CN=revoked.example.com/OU=a\\+b;c=d"};
    std::vector<audit_entry> entries;
    std::vector<std::string> rfc2253;
    for (std::size_t i = 0; i < subjects.size(); ++i) {
        const auto cert = test::issue(ctx, *ca.key, test::openssl_csr("ee-p256", subjects[i]),
                                      signing_algorithm::sha256_with_ecdsa, "EndEntityCertificate", test::days(30),
                                      std::nullopt, now);
        audit_entry e;
        e.aws_account_id = "123456789012";
        e.certificate_arn = test_ca_arn + "/certificate/" + cert.serial_hex();
        e.serial = policy::parse_certificate_serial(cert.serial_hex());
        e.subject_rfc2253 = cert.subject().to_rfc2253();
        e.not_before = cert.not_before();
        e.not_after = cert.not_after();
        e.issued_at = now;
        e.template_arn = test::template_arn("EndEntityCertificate");
        if (i == 2) {
            e.revoked_at = now + std::chrono::minutes(3);
            e.revocation_reason = revocation_reason::superseded;
        }
        rfc2253.push_back(e.subject_rfc2253);
        entries.push_back(std::move(e));
    }
    BOOST_TEST(rfc2253[1].find(',') != std::string::npos);
    test::write_file(dir.file("r.csv"), byte_view(format_audit_report(entries, audit_report_response_format::csv)));
    test::write_file(dir.file("r.json"), byte_view(format_audit_report(entries, audit_report_response_format::json)));
    const auto rows = python_csv(dir.file("r.csv"));
    BOOST_REQUIRE(rows.size() == 4u);
    for (std::size_t i = 0; i < entries.size(); ++i)
        BOOST_TEST(rows[i + 1].get<std::vector<std::string>>() == expected_fields(entries[i], rfc2253[i]),
                   boost::test_tools::per_element());
    check_json_rows(python_json(dir.file("r.json")), entries, rfc2253);
}

BOOST_AUTO_TEST_CASE(large_reports_stay_well_formed) {
    std::vector<audit_entry> entries(20000, basic_entry("e8cbd2bedb122329f97706bcfec990f8", "CN=x,O=y"));
    for (std::size_t i = 0; i < entries.size(); i += 7) {
        entries[i].revoked_at = at(2018, 3, 1);
        entries[i].revocation_reason = revocation_reason::superseded;
    }
    const std::string json = format_audit_report(entries, audit_report_response_format::json);
    const auto parsed = nlohmann::json::parse(json);
    BOOST_TEST(parsed.size() == entries.size());
    BOOST_TEST(parsed[7]["revocationReason"] == "SUPERSEDED");
    BOOST_TEST(!parsed[8].contains("revokedAt"));
    const std::string csv = format_audit_report(entries, audit_report_response_format::csv);
    BOOST_TEST(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) == entries.size() + 1);
    // Written in chunks, the pieces add up to the same text.
    for (auto [format, whole] : {std::pair{audit_report_response_format::json, &json},
                                 std::pair{audit_report_response_format::csv, &csv}}) {
        std::string joined;
        std::size_t pieces = 0;
        write_audit_report(
            entries, format,
            [&](std::string_view piece) {
                BOOST_TEST(piece.size() <= 4096u + 1024u);
                joined.append(piece);
                ++pieces;
            },
            4096);
        BOOST_TEST(pieces > 100u);
        BOOST_TEST((joined == *whole));
    }
}

BOOST_AUTO_TEST_SUITE_END()
