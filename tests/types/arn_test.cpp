// ARNs parse, print and classify for every partition and kind; malformed ARNs are refused with
// InvalidArnException saying why; the kinds are distinct types.
#include <boost/test/unit_test.hpp>

#include <map>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_set>

#include "pca/types/arn.hpp"

namespace {

// The kinds are distinct, unrelated types: a certificate ARN cannot stand in for a CA ARN.
static_assert(!std::is_convertible_v<pca::certificate_arn, pca::ca_arn>);
static_assert(!std::is_convertible_v<pca::ca_arn, pca::certificate_arn>);
static_assert(!std::is_convertible_v<pca::template_arn, pca::ca_arn>);
static_assert(!std::is_constructible_v<pca::ca_arn, pca::certificate_arn>);
static_assert(!std::is_constructible_v<pca::ca_arn, std::string>);  // only parse() makes one
static_assert(!std::is_default_constructible_v<pca::ca_arn>);
static_assert(std::is_copy_constructible_v<pca::ca_arn> && std::is_nothrow_move_constructible_v<pca::ca_arn>);

// constexpr checks run at compile time.
static_assert(pca::partition_for_region("cn-north-1") == "aws-cn");
static_assert(pca::matches_arn_pattern("arn:aws:acm-pca:::template/EndEntityCertificate/V1"));
static_assert(pca::is_valid_uuid("12345678-1234-1234-1234-123456789012"));

constexpr const char* uuid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

template <pca::arn_kind K>
void expect_invalid(const std::string& text, const std::string& reason) {
    BOOST_TEST_CONTEXT("ARN '" << text << "'") {
        try {
            (void)pca::arn<K>::parse(text);
            BOOST_ERROR("parsed; expected InvalidArnException: " << reason);
        } catch (const pca::invalid_arn_exception& e) {
            BOOST_TEST_INFO("message: " << e.what());
            BOOST_TEST(std::string(e.what()).find(reason) != std::string::npos);
        }
        BOOST_TEST(!pca::arn<K>::try_parse(text).has_value());
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(types_arn)

BOOST_AUTO_TEST_CASE(ca_arns_round_trip_in_every_partition) {
    struct row {
        const char* partition;
        const char* region;
    };
    for (const row r : {row{"aws", "us-east-1"}, row{"aws", "eu-central-2"}, row{"aws-cn", "cn-north-1"},
                        row{"aws-cn", "cn-northwest-1"}, row{"aws-us-gov", "us-gov-west-1"}}) {
        const std::string text = std::string("arn:") + r.partition + ":acm-pca:" + r.region +
                                 ":123456789012:certificate-authority/" + uuid;
        BOOST_TEST_CONTEXT(text) {
            const auto a = pca::ca_arn::parse(text);
            BOOST_TEST(a.str() == text);
            BOOST_TEST(a.partition() == r.partition);
            BOOST_TEST(a.region() == r.region);
            BOOST_TEST(a.account() == "123456789012");
            BOOST_TEST(a.ca_id() == uuid);
            BOOST_TEST(pca::ca_arn::parse(a.str()) == a);
            BOOST_TEST((pca::classify_arn(text) == pca::arn_kind::certificate_authority));
            BOOST_TEST(pca::matches_arn_pattern(text));
            // The factory builds the same ARN, with or without an explicit partition.
            BOOST_TEST(pca::make_ca_arn(r.partition, r.region, "123456789012", uuid) == a);
            BOOST_TEST(pca::make_ca_arn(r.region, "123456789012", uuid) == a);
        }
    }
}

BOOST_AUTO_TEST_CASE(certificate_arns_round_trip_in_every_partition) {
    for (const auto& [partition, region] : std::map<std::string, std::string>{
             {"aws", "ap-southeast-2"}, {"aws-cn", "cn-north-1"}, {"aws-us-gov", "us-gov-east-1"}}) {
        const auto ca = pca::make_ca_arn(region, "210987654321", uuid);
        const std::string text = ca.str() + "/certificate/6707447683a9b7f4055627ffd55cebcc";
        BOOST_TEST_CONTEXT(text) {
            const auto c = pca::certificate_arn::parse(text);
            BOOST_TEST(c.str() == text);
            BOOST_TEST(c.partition() == partition);
            BOOST_TEST(c.region() == region);
            BOOST_TEST(c.account() == "210987654321");
            BOOST_TEST(c.ca_id() == uuid);
            BOOST_TEST(c.serial_hex() == "6707447683a9b7f4055627ffd55cebcc");
            BOOST_TEST(c.certificate_authority_arn() == ca);
            BOOST_TEST(pca::make_certificate_arn(ca, "6707447683a9b7f4055627ffd55cebcc") == c);
            BOOST_TEST((pca::classify_arn(text) == pca::arn_kind::certificate));
        }
    }
}

BOOST_AUTO_TEST_CASE(template_arns_round_trip_in_every_partition) {
    for (const char* partition : {"aws", "aws-cn", "aws-us-gov"}) {
        for (const char* name : {"EndEntityCertificate", "SubordinateCACertificate_PathLen0_APICSRPassthrough",
                                 "BlankEndEntityCertificate_CriticalBasicConstraints_CSRPassthrough"}) {
            const std::string text = std::string("arn:") + partition + ":acm-pca:::template/" + name + "/V1";
            BOOST_TEST_CONTEXT(text) {
                const auto t = pca::template_arn::parse(text);
                BOOST_TEST(t.str() == text);
                BOOST_TEST(t.partition() == partition);
                BOOST_TEST(t.region().empty());
                BOOST_TEST(t.account().empty());
                BOOST_TEST(t.template_name() == name);
                BOOST_TEST(pca::make_template_arn(name, partition) == t);
                BOOST_TEST((pca::classify_arn(text) == pca::arn_kind::certificate_template));
            }
        }
    }
    BOOST_TEST(pca::make_template_arn("RootCACertificate").str() == "arn:aws:acm-pca:::template/RootCACertificate/V1");
}

BOOST_AUTO_TEST_CASE(uuid_and_serial_are_normalised_to_lowercase) {
    const auto c = pca::certificate_arn::parse(
        "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0/certificate/ABCDEF01");
    BOOST_TEST(c.ca_id() == uuid);
    BOOST_TEST(c.serial_hex() == "abcdef01");
    BOOST_TEST(c.str() == std::string("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/") + uuid +
                              "/certificate/abcdef01");
    BOOST_TEST(pca::make_certificate_arn(c.certificate_authority_arn(), "ABCDEF01") == c);
}

BOOST_AUTO_TEST_CASE(serials_are_1_to_40_hex_digits) {
    const auto ca = pca::make_ca_arn("us-east-1", "123456789012", uuid);
    BOOST_TEST(pca::make_certificate_arn(ca, "1").serial_hex() == "1");
    BOOST_TEST(pca::make_certificate_arn(ca, std::string(40, 'f')).serial_hex() == std::string(40, 'f'));
    // Leading zeros are kept as given: the ARN carries the service's spelling.
    BOOST_TEST(pca::make_certificate_arn(ca, "00ff").serial_hex() == "00ff");
    // The model's documentation example uses a decimal serial; its digits are read as hex (docs/types.md).
    const auto doc = pca::certificate_arn::parse(
        "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012/certificate/"
        "286535153982981100925020015808220737245");
    BOOST_TEST(doc.serial_hex() == "286535153982981100925020015808220737245");

    BOOST_CHECK_THROW(pca::make_certificate_arn(ca, ""), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_certificate_arn(ca, std::string(41, 'f')), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_certificate_arn(ca, "67:07:44"), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_certificate_arn(ca, "0x12"), pca::invalid_arn_exception);
}

BOOST_AUTO_TEST_CASE(partition_for_region_table) {
    BOOST_TEST(pca::partition_for_region("us-east-1") == "aws");
    BOOST_TEST(pca::partition_for_region("eu-west-3") == "aws");
    BOOST_TEST(pca::partition_for_region("cn-north-1") == "aws-cn");
    BOOST_TEST(pca::partition_for_region("cn-northwest-1") == "aws-cn");
    BOOST_TEST(pca::partition_for_region("us-gov-west-1") == "aws-us-gov");
    BOOST_TEST(pca::partition_for_region("us-gov-east-1") == "aws-us-gov");
    BOOST_TEST(pca::partition_for_region("usgov-west-1") == "aws");
}

BOOST_AUTO_TEST_CASE(malformed_ca_arns_are_refused) {
    const std::string good = std::string("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/") + uuid;
    BOOST_REQUIRE_NO_THROW(pca::ca_arn::parse(good));
    const std::pair<std::string, std::string> rows[] = {
        {"", "5 to 200 characters"},
        {"arn:", "5 to 200 characters"},
        {good + "/" + std::string(200, 'x'), "5 to 200 characters"},
        {"ARN:aws:acm-pca:us-east-1:123456789012:certificate-authority/" + std::string(uuid), "starts with 'arn:'"},
        {"urn:aws:acm-pca:us-east-1:123456789012:certificate-authority/" + std::string(uuid), "starts with 'arn:'"},
        {"arn:aws:acm-pca:us-east-1:123456789012", "six ':'-separated fields"},
        {"arn:aws-iso:acm-pca:us-iso-east-1:123456789012:certificate-authority/" + std::string(uuid), "unknown partition"},
        {"arn::acm-pca:us-east-1:123456789012:certificate-authority/" + std::string(uuid), "unknown partition"},
        {"arn:aws:acm:us-east-1:123456789012:certificate-authority/" + std::string(uuid), "service must be 'acm-pca'"},
        {"arn:aws:ACM-PCA:us-east-1:123456789012:certificate-authority/" + std::string(uuid), "service must be 'acm-pca'"},
        {"arn:aws:acm-pca::123456789012:certificate-authority/" + std::string(uuid), "region is empty"},
        {"arn:aws:acm-pca:US-EAST-1:123456789012:certificate-authority/" + std::string(uuid), "bad region"},
        {"arn:aws:acm-pca:us-east:123456789012:certificate-authority/" + std::string(uuid), "bad region"},
        {"arn:aws:acm-pca:useast-1:123456789012:certificate-authority/" + std::string(uuid), "bad region"},
        {"arn:aws:acm-pca:us-east-123:123456789012:certificate-authority/" + std::string(uuid), "bad region"},
        {"arn:aws:acm-pca:cn-north-1:123456789012:certificate-authority/" + std::string(uuid), "belongs to partition 'aws-cn'"},
        {"arn:aws-cn:acm-pca:us-east-1:123456789012:certificate-authority/" + std::string(uuid), "belongs to partition 'aws'"},
        {"arn:aws:acm-pca:us-gov-west-1:123456789012:certificate-authority/" + std::string(uuid), "belongs to partition 'aws-us-gov'"},
        {"arn:aws:acm-pca:us-east-1:12345678901:certificate-authority/" + std::string(uuid), "account must be 12 digits"},
        {"arn:aws:acm-pca:us-east-1:1234567890123:certificate-authority/" + std::string(uuid), "account must be 12 digits"},
        {"arn:aws:acm-pca:us-east-1::certificate-authority/" + std::string(uuid), "account must be 12 digits"},
        {"arn:aws:acm-pca:us-east-1:12345678901a:certificate-authority/" + std::string(uuid), "account must be 12 digits"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authorities/" + std::string(uuid), "resource must be 'certificate-authority/<uuid>'"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority", "resource must be"},
        {"arn:aws:acm-pca:us-east-1:123456789012:template/EndEntityCertificate/V1", "resource must be"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/", "must be a UUID"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-12345678901", "must be a UUID"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-1234567890123", "must be a UUID"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678_1234-1234-1234-123456789012", "must be a UUID"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/g2345678-1234-1234-1234-123456789012", "must be a UUID"},
        {good + "/certificate/abcd", "names something under a certificate authority"},
        {good + "/", "names something under a certificate authority"},
        {good + ":extra", "must be a UUID"},
        {good + " ", "must be a UUID"},
        {good + std::string("\n"), "must be a UUID"},
    };
    for (const auto& [text, reason] : rows) expect_invalid<pca::arn_kind::certificate_authority>(text, reason);
}

BOOST_AUTO_TEST_CASE(malformed_certificate_arns_are_refused) {
    const std::string ca = std::string("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/") + uuid;
    const std::pair<std::string, std::string> rows[] = {
        {ca, "resource must be 'certificate-authority/<uuid>/certificate/<serial>'"},
        {ca + "/certificate", "resource must be"},
        {ca + "/certificates/abcd", "resource must be"},
        {ca + "/certificate/", "serial must be 1 to 40 hex digits"},
        {ca + "/certificate/" + std::string(41, 'a'), "serial must be 1 to 40 hex digits"},
        {ca + "/certificate/xyz", "serial must be 1 to 40 hex digits"},
        {ca + "/certificate/ab/cd", "serial must be 1 to 40 hex digits"},
        {ca + "/certificate/67:07:44", "serial must be 1 to 40 hex digits"},
        {"arn:aws:acm-pca:::template/EndEntityCertificate/V1", "region is empty"},
        {"arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/not-a-uuid/certificate/ab", "must be a UUID"},
    };
    for (const auto& [text, reason] : rows) expect_invalid<pca::arn_kind::certificate>(text, reason);
}

BOOST_AUTO_TEST_CASE(malformed_template_arns_are_refused) {
    const std::pair<std::string, std::string> rows[] = {
        {"arn:aws:acm-pca:us-west-2::template/EndEntityCertificate/V1", "empty region"},
        {"arn:aws:acm-pca::123456789012:template/EndEntityCertificate/V1", "empty account"},
        {"arn:aws:acm-pca:::template/EndEntityCertificate", "resource must be 'template/<Name>/V1'"},
        {"arn:aws:acm-pca:::template/EndEntityCertificate/V2", "template version must be 'V1'"},
        {"arn:aws:acm-pca:::template/EndEntityCertificate/v1", "template version must be 'V1'"},
        {"arn:aws:acm-pca:::template/EndEntityCertificate/V1/extra", "template version must be 'V1'"},
        {"arn:aws:acm-pca:::template//V1", "template name must be"},
        {"arn:aws:acm-pca:::template/End Entity/V1", "template name must be"},
        {"arn:aws:acm-pca:::templates/EndEntityCertificate/V1", "resource must be"},
        {"arn:aws:acm-pca:::certificate-authority/" + std::string(uuid), "resource must be"},
        {"arn:aws-iso:acm-pca:::template/EndEntityCertificate/V1", "unknown partition"},
        {"arn:aws:acm:::template/EndEntityCertificate/V1", "service must be 'acm-pca'"},
    };
    for (const auto& [text, reason] : rows) expect_invalid<pca::arn_kind::certificate_template>(text, reason);
    BOOST_CHECK_THROW(pca::make_template_arn("Bad Name"), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_template_arn("EndEntityCertificate", "aws-iso"), pca::invalid_arn_exception);
}

BOOST_AUTO_TEST_CASE(factories_refuse_bad_parts) {
    BOOST_CHECK_THROW(pca::make_ca_arn("aws", "cn-north-1", "123456789012", uuid), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_ca_arn("us-east-1", "1234", uuid), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_ca_arn("us-east-1", "123456789012", "nope"), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_ca_arn("us-east-1", "123456789012", std::string(uuid) + "/certificate/aa"),
                      pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::make_ca_arn("", "123456789012", uuid), pca::invalid_arn_exception);
}

BOOST_AUTO_TEST_CASE(parse_checks_the_kind_at_run_time) {
    const std::string ca = std::string("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/") + uuid;
    const std::string cert = ca + "/certificate/01";
    BOOST_CHECK_THROW(pca::ca_arn::parse(cert), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::certificate_arn::parse(ca), pca::invalid_arn_exception);
    BOOST_CHECK_THROW(pca::template_arn::parse(ca), pca::invalid_arn_exception);
    try {
        pca::ca_arn::parse(cert);
    } catch (const pca::invalid_arn_exception& e) {
        BOOST_TEST(std::string(e.what()).find("is not a valid certificate authority ARN") != std::string::npos);
        BOOST_TEST(e.aws_name() == "InvalidArnException");
    }
}

BOOST_AUTO_TEST_CASE(classify_arn_table) {
    const std::string ca = std::string("arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/") + uuid;
    BOOST_TEST((pca::classify_arn(ca) == pca::arn_kind::certificate_authority));
    BOOST_TEST((pca::classify_arn(ca + "/certificate/ff") == pca::arn_kind::certificate));
    BOOST_TEST((pca::classify_arn("arn:aws:acm-pca:::template/RootCACertificate/V1") ==
                pca::arn_kind::certificate_template));
    for (const std::string& bad : {std::string(""), std::string("arn:aws:s3:::bucket"), ca + "/", ca + "/certificate/",
                                  std::string("arn:aws:acm-pca:us-east-1::template/X/V1"), std::string("hello")})
        BOOST_TEST(!pca::classify_arn(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(model_arn_pattern) {
    // Matches: the model's pattern is wider than the three acm-pca forms.
    for (const char* ok : {"arn:a:acm-pca:::b", "arn:aws:acm-pca:us-east-1:123:x/y/z", "arn:a_b+=/,.@-:acm-pca:r/=:0:a+=,.@-_/b",
                           "arn:aws:acm-pca:::template/EndEntityCertificate/V1"})
        BOOST_TEST(pca::matches_arn_pattern(ok), ok);
    for (const char* bad : {"arn:aws:acm-pca:::", "arn::acm-pca:::x", "arn:aws:acm:::x", "arn:aws:acm-pca::12a:x",
                            "arn:aws:acm-pca:::/x", "arn:aws:acm-pca:::x/", "arn:aws:acm-pca:::x//y", "arn:aws:acm-pca:::x y",
                            "arn:aws:acm-pca:::x:y", "arn:aw s:acm-pca:::x", "xarn:aws:acm-pca:::x", "arn:aws:acm-pca:::x\n"})
        BOOST_TEST(!pca::matches_arn_pattern(bad), bad);
    BOOST_TEST(!pca::matches_arn_pattern("arn:aws:acm-pca:::" + std::string(183, 'x')));  // 201 characters
    BOOST_TEST(pca::matches_arn_pattern("arn:aws:acm-pca:::" + std::string(182, 'x')));   // 200 characters
}

BOOST_AUTO_TEST_CASE(arns_are_values_usable_as_keys) {
    const auto a = pca::make_ca_arn("us-east-1", "123456789012", uuid);
    const auto b = pca::make_ca_arn("us-east-2", "123456789012", uuid);
    std::map<pca::ca_arn, int> ordered{{a, 1}, {b, 2}};
    std::unordered_set<pca::ca_arn> hashed{a, b, a};
    BOOST_TEST(ordered.size() == 2u);
    BOOST_TEST(hashed.size() == 2u);
    BOOST_TEST((a != b));
    std::ostringstream os;
    os << a;
    BOOST_TEST(os.str() == a.str());
}

BOOST_AUTO_TEST_SUITE_END()
