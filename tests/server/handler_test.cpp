// pca-server's socket-free parts: SigV4 verification against signatures made by botocore's
// signer (known answers), and the JSON 1.1 handler: the 23 operations of the model, results
// with the model's member names and types, and every kind of bad request answered with its
// named error (never a crash, never a 500).
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "../../examples/pca-server/handler.hpp"
#include "pca/policy/issuance.hpp"
#include "support/service_fixture.hpp"

namespace {
using namespace pca;
using server::http_request;
using server::http_response;
using json = nlohmann::json;

// Made with botocore 1.43's SigV4Auth at 2026-11-23T12:34:56Z (get_current_datetime patched):
//   AWSRequest(POST, url, headers, body); SigV4Auth(Credentials(key, secret), "acm-pca", region)
constexpr const char* amz_date = "20261123T123456Z";
const sys_seconds signed_at = to_sys_seconds(civil_time{2026, 11, 23, 12, 34, 56});

server::sigv4::key_table keys() {
    return server::sigv4::key_table::parse(
        "# test keys\n"
        "AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY 111111111111\n"
        "\n"
        "AKID2 secret/with+chars 222222222222\n");
}

http_request botocore_vector_1() {
    http_request r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "ACMPrivateCA.ListCertificateAuthorities"},
                 {"Host", "127.0.0.1:8080"},
                 {"X-Amz-Date", amz_date},
                 {"Authorization",
                  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/acm-pca/aws4_request, "
                  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                  "Signature=5aa190f80c6ab97920bdbbbb62773f80aa254d718e3572d0e6795be41e77d408"}};
    r.body = R"({"MaxResults": 1})";
    return r;
}

// A path with an encoded space (signed encoded twice), a query with repeated names, and a
// header value with runs of spaces; region eu-west-1.
http_request botocore_vector_2() {
    http_request r;
    r.method = "POST";
    r.target = "/a%20b/c~d?b=2&a=1&a=0&x=%2F";
    r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "ACMPrivateCA.GetPolicy"},
                 {"X-Custom", "  two   spaces  here "},
                 {"Host", "127.0.0.1:8080"},
                 {"X-Amz-Date", amz_date},
                 {"Authorization",
                  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/eu-west-1/acm-pca/aws4_request, "
                  "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-custom, "
                  "Signature=758b8188b0b5e14787c2d33c267cb92f54a612f9526144e4a6e9ba0cc9db85bf"}};
    r.body = "{}";
    return r;
}

// Empty body, a secret with '/' and '+'.
http_request botocore_vector_3() {
    http_request r;
    r.method = "POST";
    r.target = "/";
    r.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", "ACMPrivateCA.ListTags"},
                 {"Host", "127.0.0.1:8080"},
                 {"X-Amz-Date", amz_date},
                 {"Authorization",
                  "AWS4-HMAC-SHA256 Credential=AKID2/20261123/us-east-1/acm-pca/aws4_request, "
                  "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                  "Signature=b934b4a35986151750ec548feac8632a3a8c75aa2ba98fefb79583859d0b0c9a"}};
    return r;
}

std::optional<server::sigv4::identity> verify(const http_request& r, std::string_view region, sys_seconds now,
                                              server::sigv4::failure& why) {
    static const auto table = keys();
    const auto q = r.target.find('?');
    server::sigv4::request_view v{r.method, std::string_view(r.target).substr(0, q),
                                  q == std::string::npos ? std::string_view() : std::string_view(r.target).substr(q + 1),
                                  &r.headers, r.body};
    return server::sigv4::verify(v, table, region, "acm-pca", now, why);
}

void set_header(http_request& r, const std::string& name, const std::string& value) {
    for (auto& [k, v] : r.headers)
        if (k == name) v = value;
}

struct handler_fixture : test::service_fixture {
    server::handler h{svc, server::handler_options{}, clock};

    http_response call(const std::string& op, const std::string& body) {
        http_request r;
        r.method = "POST";
        r.target = "/";
        r.headers = {{"X-Amz-Target", "ACMPrivateCA." + op}, {"Content-Type", "application/x-amz-json-1.1"}};
        r.body = body;
        return h.handle(r);
    }
    json ok(const std::string& op, const json& body) {
        const auto res = call(op, body.dump());
        BOOST_TEST_INFO(op << " -> " << res.body);
        BOOST_REQUIRE_EQUAL(res.status, 200);
        return json::parse(res.body);
    }
    void expect_error(const http_response& res, int status, const std::string& type) {
        BOOST_TEST_INFO("response: " << res.status << " " << res.body);
        BOOST_CHECK_EQUAL(res.status, status);
        const auto j = json::parse(res.body);
        BOOST_CHECK_EQUAL(j.at("__type").get<std::string>(), type);
        BOOST_CHECK(!j.at("message").get<std::string>().empty());
        BOOST_CHECK_EQUAL(res.header("x-amzn-ErrorType"), type);
    }
};

json ca_body(const std::string& cn) {
    return {{"CertificateAuthorityType", "ROOT"},
            {"CertificateAuthorityConfiguration",
             {{"KeyAlgorithm", "EC_prime256v1"}, {"SigningAlgorithm", "SHA256WITHECDSA"}, {"Subject", {{"CommonName", cn}}}}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_handler)

BOOST_AUTO_TEST_CASE(accepts_signatures_made_by_botocore) {
    server::sigv4::failure why{};
    auto id = verify(botocore_vector_1(), "us-east-1", signed_at, why);
    BOOST_TEST_INFO(why.type << ": " << why.message);
    BOOST_REQUIRE(id);
    BOOST_CHECK_EQUAL(id->account_id, "111111111111");
    id = verify(botocore_vector_2(), "eu-west-1", signed_at + std::chrono::minutes(14), why);
    BOOST_TEST_INFO(why.type << ": " << why.message);
    BOOST_REQUIRE(id);
    id = verify(botocore_vector_3(), "us-east-1", signed_at - std::chrono::minutes(14), why);
    BOOST_TEST_INFO(why.type << ": " << why.message);
    BOOST_REQUIRE(id);
    BOOST_CHECK_EQUAL(id->account_id, "222222222222");
}

BOOST_AUTO_TEST_CASE(refuses_altered_or_misdirected_signatures) {
    server::sigv4::failure why{};
    auto check = [&](const http_request& r, std::string_view region, sys_seconds now, const std::string& type,
                     const std::string& text) {
        BOOST_TEST_CONTEXT(type << " / " << text) {
            BOOST_CHECK(!verify(r, region, now, why));
            BOOST_CHECK_EQUAL(why.type, type);
            BOOST_CHECK_EQUAL(why.status, 400);
            BOOST_CHECK_MESSAGE(why.message.find(text) != std::string::npos, why.message);
        }
    };
    const std::string mismatch = "does not match the signature you provided";
    auto r = botocore_vector_1();
    r.body = R"({"MaxResults": 2})";
    check(r, "us-east-1", signed_at, "InvalidSignatureException", mismatch);
    r = botocore_vector_1();
    set_header(r, "X-Amz-Target", "ACMPrivateCA.DeleteCertificateAuthority");
    check(r, "us-east-1", signed_at, "InvalidSignatureException", mismatch);
    r = botocore_vector_1();
    set_header(r, "Host", "127.0.0.1:8081");
    check(r, "us-east-1", signed_at, "InvalidSignatureException", mismatch);
    r = botocore_vector_2();
    r.target = "/a%20b/c~d?b=2&a=1&a=9&x=%2F";
    check(r, "eu-west-1", signed_at, "InvalidSignatureException", mismatch);
    // The scope names another region; the clock is off by more than 15 minutes.
    check(botocore_vector_1(), "eu-west-1", signed_at, "InvalidSignatureException", "scoped to a valid region");
    check(botocore_vector_1(), "us-east-1", signed_at + std::chrono::minutes(16), "InvalidSignatureException", "Signature expired");
    check(botocore_vector_1(), "us-east-1", signed_at - std::chrono::minutes(16), "InvalidSignatureException", "not yet current");
    // An unknown key; no Authorization at all; something that is not SigV4.
    r = botocore_vector_1();
    set_header(r, "Authorization", r.headers.back().second.replace(r.headers.back().second.find("AKIDEXAMPLE"), 11, "AKIDUNKNOWN"));
    check(r, "us-east-1", signed_at, "UnrecognizedClientException", "security token");
    r = botocore_vector_1();
    r.headers.pop_back();
    check(r, "us-east-1", signed_at, "MissingAuthenticationTokenException", "Authentication Token");
    r = botocore_vector_1();
    set_header(r, "Authorization", "Basic dXNlcjpwYXNz");
    check(r, "us-east-1", signed_at, "IncompleteSignatureException", "AWS4-HMAC-SHA256");
    // A signed header missing from the request; host not signed.
    r = botocore_vector_1();
    r.headers.erase(r.headers.begin());
    check(r, "us-east-1", signed_at, "InvalidSignatureException", "content-type");
}

BOOST_AUTO_TEST_CASE(credentials_file_lines_are_checked) {
    BOOST_CHECK_EQUAL(keys().size(), 2u);
    BOOST_CHECK_THROW(server::sigv4::key_table::parse("AKID secret\n"), std::invalid_argument);
    BOOST_CHECK_THROW(server::sigv4::key_table::parse("AKID secret 12345\n"), std::invalid_argument);
    BOOST_CHECK_THROW(server::sigv4::key_table::parse("A s 111111111111\nA t 222222222222\n"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(serves_exactly_the_models_operations) {
    std::ifstream in(std::string(PCA_SPEC_DIR) + "/acm-pca/service-2.json");
    BOOST_REQUIRE(in);
    const json model = json::parse(in);
    std::set<std::string> expected, served;
    for (const auto& [name, op] : model.at("operations").items()) expected.insert(name);
    for (auto name : server::operation_names()) served.insert(std::string(name));
    BOOST_CHECK(expected == served);
    BOOST_CHECK_EQUAL(served.size(), 23u);
    BOOST_CHECK_EQUAL(model.at("metadata").at("targetPrefix").get<std::string>(), "ACMPrivateCA");
}

BOOST_FIXTURE_TEST_CASE(every_operation_answers_an_empty_body_with_a_named_error, handler_fixture) {
    for (auto op : server::operation_names()) {
        const auto res = call(std::string(op), "{}");
        BOOST_TEST_CONTEXT(op << " -> " << res.status << " " << res.body) {
            if (op == "ListCertificateAuthorities") {
                BOOST_CHECK_EQUAL(res.status, 200);
                continue;
            }
            BOOST_CHECK_EQUAL(res.status, 400);
            BOOST_CHECK_EQUAL(json::parse(res.body).at("__type").get<std::string>(), "ValidationException");
        }
    }
}

BOOST_FIXTURE_TEST_CASE(results_use_the_models_names_and_wire_types, handler_fixture) {
    const auto arn = ok("CreateCertificateAuthority", ca_body("handler root")).at("CertificateAuthorityArn").get<std::string>();
    const auto ca = ok("DescribeCertificateAuthority", {{"CertificateAuthorityArn", arn}}).at("CertificateAuthority");
    BOOST_CHECK_EQUAL(ca.at("Arn").get<std::string>(), arn);
    BOOST_CHECK_EQUAL(ca.at("Status").get<std::string>(), "PENDING_CERTIFICATE");
    BOOST_CHECK(ca.at("CreatedAt").is_number_integer());
    BOOST_CHECK_EQUAL(ca.at("CreatedAt").get<std::int64_t>(), to_unix(now()));
    BOOST_CHECK_EQUAL(ca.at("CertificateAuthorityConfiguration").at("Subject").at("CommonName").get<std::string>(), "handler root");
    const auto csr = ok("GetCertificateAuthorityCsr", {{"CertificateAuthorityArn", arn}}).at("Csr").get<std::string>();
    BOOST_CHECK(csr.rfind("-----BEGIN CERTIFICATE REQUEST-----", 0) == 0);

    // Blobs arrive base64-encoded; the result certificate is PEM text.
    json issue = {{"CertificateAuthorityArn", arn},
                  {"Csr", der::base64_encode(byte_view(csr))},
                  {"SigningAlgorithm", "SHA256WITHECDSA"},
                  {"TemplateArn", "arn:aws:acm-pca:::template/RootCACertificate/V1"},
                  {"Validity", {{"Value", 3}, {"Type", "YEARS"}}}};
    const auto cert_arn = ok("IssueCertificate", issue).at("CertificateArn").get<std::string>();
    const auto cert = ok("GetCertificate", {{"CertificateAuthorityArn", arn}, {"CertificateArn", cert_arn}});
    BOOST_CHECK(cert.at("Certificate").get<std::string>().rfind("-----BEGIN CERTIFICATE-----", 0) == 0);
    BOOST_CHECK(!cert.contains("CertificateChain"));
    const auto pem = cert.at("Certificate").get<std::string>();
    BOOST_CHECK(ok("ImportCertificateAuthorityCertificate", {{"CertificateAuthorityArn", arn}, {"Certificate", der::base64_encode(byte_view(pem))}}) ==
                json::object());
    const auto listed = ok("ListCertificateAuthorities", {{"MaxResults", 10}});
    BOOST_REQUIRE_EQUAL(listed.at("CertificateAuthorities").size(), 1u);
    BOOST_CHECK_EQUAL(listed.at("CertificateAuthorities")[0].at("Status").get<std::string>(), "ACTIVE");
    BOOST_CHECK(listed.at("CertificateAuthorities")[0].at("NotAfter").is_number_integer());

    // Model errors keep their names.
    expect_error(call("IssueCertificate", json{{"CertificateAuthorityArn", arn}, {"Csr", der::base64_encode(byte_view(std::string("junk")))},
                                               {"SigningAlgorithm", "SHA256WITHECDSA"}, {"Validity", {{"Value", 3}, {"Type", "DAYS"}}}}
                                              .dump()),
                 400, "MalformedCSRException");
    expect_error(call("DescribeCertificateAuthority", json{{"CertificateAuthorityArn", "arn:aws:acm-pca:us-east-1:123456789012:x"}}.dump()),
                 400, "InvalidArnException");
}

BOOST_FIXTURE_TEST_CASE(bad_requests_get_protocol_errors, handler_fixture) {
    expect_error(call("NoSuchOperation", "{}"), 400, "UnknownOperationException");
    expect_error(call("ListTags", "{\"CertificateAuthorityArn\": "), 400, "SerializationException");
    expect_error(call("ListTags", "[1, 2]"), 400, "SerializationException");
    expect_error(call("ListTags", "\xff\xfe{}"), 400, "SerializationException");
    expect_error(call("ListCertificateAuthorities", R"({"MaxResults": "ten"})"), 400, "SerializationException");
    expect_error(call("ListCertificateAuthorities", R"({"MaxResults": 1.5})"), 400, "SerializationException");
    expect_error(call("ListCertificateAuthorities", R"({"MaxResults": 99999999999})"), 400, "SerializationException");
    expect_error(call("ListCertificateAuthorities", R"({"ResourceOwner": "NOBODY"})"), 400, "ValidationException");
    expect_error(call("CreateCertificateAuthority", R"({"CertificateAuthorityType": "ROOT", "CertificateAuthorityConfiguration": []})"),
                 400, "SerializationException");
    expect_error(call("IssueCertificate", R"({"CertificateAuthorityArn": "a", "Csr": "not base64!", "SigningAlgorithm": "SHA256WITHECDSA",
                                             "Validity": {"Value": 1, "Type": "DAYS"}})"),
                 400, "SerializationException");
    expect_error(call("ListTags", std::string(100, '[') + std::string(100, ']')), 400, "SerializationException");
    expect_error(call("ListTags", std::string(5 * 1024 * 1024, ' ')), 413, "RequestEntityTooLargeException");

    http_request r;
    r.method = "GET";
    r.target = "/";
    expect_error(h.handle(r), 405, "UnknownOperationException");
    r.method = "POST";
    r.target = "/other";
    expect_error(h.handle(r), 404, "UnknownOperationException");
    r.target = "/";
    expect_error(h.handle(r), 400, "UnknownOperationException");  // no X-Amz-Target
    // The handler still works afterwards.
    BOOST_CHECK(ok("ListCertificateAuthorities", json::object()).at("CertificateAuthorities").empty());
}

BOOST_FIXTURE_TEST_CASE(with_keys_requests_act_as_the_signing_account, handler_fixture) {
    clock.set(std::chrono::time_point_cast<std::chrono::system_clock::duration>(signed_at));
    server::handler_options opts;
    opts.keys = keys();
    server::handler signed_handler(svc, std::move(opts), clock);
    svc.create_certificate_authority(ca_request(certificate_authority_type::root, "account one"), {"111111111111", std::nullopt});
    svc.create_certificate_authority(ca_request(certificate_authority_type::root, "account two"), {"222222222222", std::nullopt});
    auto res = signed_handler.handle(botocore_vector_1());  // account 111111111111, MaxResults 1
    BOOST_REQUIRE_EQUAL(res.status, 200);
    const auto listed = json::parse(res.body).at("CertificateAuthorities");
    BOOST_REQUIRE_EQUAL(listed.size(), 1u);
    BOOST_CHECK_EQUAL(listed[0].at("OwnerAccount").get<std::string>(), "111111111111");
    auto unsigned_request = botocore_vector_1();
    unsigned_request.headers.pop_back();
    expect_error(signed_handler.handle(unsigned_request), 400, "MissingAuthenticationTokenException");
}

// Found by the boto3 test: a serial drawn with a leading zero octet made its certificate
// unreachable by its own ARN (ResourceNotFoundException from GetCertificate).
BOOST_AUTO_TEST_CASE(serials_never_start_with_a_zero_octet) {
    struct zero_first final : rng {
        int calls = 0;
        void fill(std::uint8_t* out, std::size_t n) override {
            for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i == 0 && calls == 0 ? 0 : 0x11 + i);
            ++calls;
        }
    } r;
    const bytes s = policy::new_serial(r);
    BOOST_CHECK_EQUAL(s.size(), 16u);
    BOOST_CHECK_NE(s[0], 0);
    BOOST_CHECK_EQUAL(r.calls, 2);
}

BOOST_AUTO_TEST_SUITE_END()
