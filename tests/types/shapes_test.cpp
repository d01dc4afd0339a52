// validate() enforces the model's limits and documented rules on every shape, throws the
// exception the service uses for that shape, and names the offending member in the message.
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "pca/types.hpp"

namespace {

// Runs f, which must throw exactly E; the message must contain `needle` (usually the member path).
template <class E, class F>
void expect_error(F&& f, std::string_view needle) {
    try {
        f();
        BOOST_ERROR("no exception; expected " << pca::aws_exception_name(E::value) << " mentioning '" << needle << "'");
    } catch (const E& e) {
        BOOST_TEST_INFO("message: " << e.what());
        BOOST_TEST(std::string(e.what()).find(needle) != std::string::npos);
    } catch (const pca::error& e) {
        BOOST_ERROR("wrong exception " << e.aws_name() << ": " << e.what() << "; expected "
                                       << pca::aws_exception_name(E::value));
    }
}

template <class T>
void expect_invalid_args(const T& value, std::string_view needle) {
    expect_error<pca::invalid_args_exception>([&] { pca::validate(value); }, needle);
}

template <class T>
void expect_valid(const T& value) {
    try {
        pca::validate(value);
    } catch (const pca::error& e) {
        BOOST_ERROR("unexpected " << e.aws_name() << ": " << e.what());
    }
}

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

pca::general_name dns(std::string name) {
    pca::general_name g;
    g.dns_name = std::move(name);
    return g;
}

pca::asn1_subject full_subject() {
    pca::asn1_subject s;
    s.country = "US";
    s.organization = "Example Corp";
    s.organizational_unit = "PKI";
    s.distinguished_name_qualifier = "qualifier-1";
    s.state = "Washington";
    s.common_name = "Example Root CA";
    s.serial_number = "SN(42), v1.0/x=y?";
    s.locality = "Seattle";
    s.title = "CA";
    s.surname = "Doe";
    s.given_name = "Jane";
    s.initials = "JD";
    s.pseudonym = "jd";
    s.generation_qualifier = "III";
    return s;
}

pca::certificate_authority_configuration ca_config() {
    pca::certificate_authority_configuration c;
    c.key_algorithm = pca::key_algorithm::ec_prime256v1;
    c.signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
    c.subject = full_subject();
    pca::access_description sia;
    sia.access_method.access_method_type = pca::access_method_type::ca_repository;
    sia.access_location.uniform_resource_identifier = "http://repo.example.com/ca";
    c.csr_extensions = pca::csr_extensions{pca::key_usage{true, false, false, false, false, true, true, false, false},
                                           std::vector<pca::access_description>{sia}};
    return c;
}

pca::api_passthrough passthrough() {
    pca::api_passthrough a;
    pca::extensions x;
    pca::policy_information pol;
    pol.cert_policy_id = "2.5.29.32.0";
    pol.policy_qualifiers = std::vector<pca::policy_qualifier_info>{
        {pca::policy_qualifier_id::cps, pca::qualifier{"https://example.com/cps"}}};
    x.certificate_policies = std::vector<pca::policy_information>{pol};
    x.extended_key_usage = std::vector<pca::extended_key_usage>{
        {pca::extended_key_usage_type::server_auth, std::nullopt}, {std::nullopt, "1.3.6.1.5.5.7.3.2"}};
    x.key_usage = pca::key_usage{};
    x.key_usage->digital_signature = true;
    x.subject_alternative_names = std::vector<pca::general_name>{dns("www.example.com"), dns("example.com")};
    x.custom_extensions = std::vector<pca::custom_extension>{{"1.3.6.1.4.1.99999.1", "BQA=", true}};
    a.extensions = x;
    a.subject = pca::asn1_subject{};
    a.subject->common_name = "www.example.com";
    return a;
}

pca::crl_configuration crl_enabled() {
    pca::crl_configuration c;
    c.enabled = true;
    c.expiration_in_days = 7;
    c.s3_bucket_name = "my-crl-bucket";
    c.s3_object_acl = pca::s3_object_acl::bucket_owner_full_control;
    c.crl_type = pca::crl_type::complete;
    c.custom_path = "crls/v1";
    return c;
}

pca::revocation_configuration in_revocation(const pca::crl_configuration& c) {
    return pca::revocation_configuration{c, std::nullopt};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(types_shapes)

BOOST_AUTO_TEST_CASE(fully_populated_valid_shapes_pass) {
    expect_valid(full_subject());
    expect_valid(ca_config());
    expect_valid(passthrough());
    expect_valid(crl_enabled());
    expect_valid(pca::revocation_configuration{crl_enabled(), pca::ocsp_configuration{true, "ocsp.example.com"}});
    expect_valid(pca::revocation_configuration{});
    expect_valid(pca::tag{"Environment", "prod"});
    expect_valid(pca::key_usage{});
    expect_valid(pca::crl_distribution_point_extension_configuration{true});
}

BOOST_AUTO_TEST_CASE(message_names_the_member_path) {
    auto c = ca_config();
    c.subject.country = "USA";
    try {
        pca::validate(c);
        BOOST_FAIL("no throw");
    } catch (const pca::invalid_args_exception& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "[pca.invalid_args] CertificateAuthorityConfiguration.Subject.Country must be 2 letters, got 'USA'");
    }
    // A caller validating a request member passes its own path.
    expect_error<pca::invalid_args_exception>(
        [&] { pca::validate(c, "CreateCertificateAuthorityRequest.CertificateAuthorityConfiguration"); },
        "CreateCertificateAuthorityRequest.CertificateAuthorityConfiguration.Subject.Country");
}

BOOST_AUTO_TEST_CASE(subject_country_is_exactly_two_letters) {
    for (const char* ok : {"US", "de", "Fr"}) {
        pca::asn1_subject s;
        s.country = ok;
        expect_valid(s);
    }
    for (const char* bad : {"USA", "U", "", "U1", "1U", "U ", "\xc3\xa9x"}) {
        pca::asn1_subject s;
        s.country = bad;
        expect_invalid_args(s, "ASN1Subject.Country must be 2 letters");
    }
}

BOOST_AUTO_TEST_CASE(subject_attribute_lengths_follow_the_model) {
    struct row {
        std::optional<std::string> pca::asn1_subject::*member;
        const char* name;
        std::size_t max;
    };
    const row rows[] = {
        {&pca::asn1_subject::organization, "Organization", 64},
        {&pca::asn1_subject::organizational_unit, "OrganizationalUnit", 64},
        {&pca::asn1_subject::state, "State", 128},
        {&pca::asn1_subject::common_name, "CommonName", 64},
        {&pca::asn1_subject::locality, "Locality", 128},
        {&pca::asn1_subject::title, "Title", 64},
        {&pca::asn1_subject::surname, "Surname", 40},
        {&pca::asn1_subject::given_name, "GivenName", 16},
        {&pca::asn1_subject::initials, "Initials", 5},
        {&pca::asn1_subject::pseudonym, "Pseudonym", 128},
        {&pca::asn1_subject::generation_qualifier, "GenerationQualifier", 3},
        {&pca::asn1_subject::serial_number, "SerialNumber", 64},
        {&pca::asn1_subject::distinguished_name_qualifier, "DistinguishedNameQualifier", 64},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.name) {
            pca::asn1_subject s;
            s.*r.member = std::string(r.max, 'a');
            expect_valid(s);
            s.*r.member = "";  // every one has min 0
            expect_valid(s);
            s.*r.member = std::string(r.max + 1, 'a');
            expect_invalid_args(s, std::string("ASN1Subject.") + r.name + " must be at most " + std::to_string(r.max));
        }
    }
}

BOOST_AUTO_TEST_CASE(lengths_count_code_points_and_require_utf8) {
    pca::asn1_subject s;
    s.common_name = repeat("\xc3\xa9", 64);  // 64 x U+00E9 = 128 bytes
    expect_valid(s);
    s.common_name = repeat("\xe6\x97\xa5", 65);  // 65 x U+65E5
    expect_invalid_args(s, "ASN1Subject.CommonName must be at most 64 characters, got 65");
    for (const char* bad : {"\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x80"}) {
        s.common_name = bad;
        expect_invalid_args(s, "ASN1Subject.CommonName is not valid UTF-8");
    }
}

BOOST_AUTO_TEST_CASE(serial_number_and_dn_qualifier_are_printable_strings) {
    pca::asn1_subject s;
    s.serial_number = "AZaz09 '()+,-./:=?";
    s.distinguished_name_qualifier = "AZaz09 '()+,-./:=?";
    expect_valid(s);
    for (const char* bad : {"a_b", "a*b", "a@b", "a;b", "caf\xc3\xa9", "a\tb", "a!b"}) {
        pca::asn1_subject t;
        t.serial_number = bad;
        expect_invalid_args(t, "ASN1Subject.SerialNumber must be a PrintableString");
        pca::asn1_subject u;
        u.distinguished_name_qualifier = bad;
        expect_invalid_args(u, "ASN1Subject.DistinguishedNameQualifier must be a PrintableString");
    }
}

BOOST_AUTO_TEST_CASE(custom_attributes_rules) {
    pca::asn1_subject s;
    s.custom_attributes = std::vector<pca::custom_attribute>{{"2.5.4.3", "CN via OID"}, {"1.2.840.113549.1.9.1", "x"}};
    expect_valid(s);

    auto mixed = s;
    mixed.common_name = "also standard";
    expect_invalid_args(mixed, "ASN1Subject.CustomAttributes cannot be combined with standard attributes, but CommonName");
    mixed = s;
    mixed.country = "US";
    expect_invalid_args(mixed, "but Country is also set");

    auto empty = s;
    empty.custom_attributes->clear();
    expect_invalid_args(empty, "ASN1Subject.CustomAttributes must have 1 to 150 entries, got 0");
    auto many = s;
    many.custom_attributes = std::vector<pca::custom_attribute>(150, {"2.5.4.3", "x"});
    expect_valid(many);
    many.custom_attributes->push_back({"2.5.4.3", "x"});
    expect_invalid_args(many, "ASN1Subject.CustomAttributes must have 1 to 150 entries, got 151");

    auto bad = s;
    (*bad.custom_attributes)[1].object_identifier = "2.5.4.03";
    expect_invalid_args(bad, "ASN1Subject.CustomAttributes[1].ObjectIdentifier must be a dotted-decimal OID");
    bad = s;
    (*bad.custom_attributes)[0].value = "";
    expect_invalid_args(bad, "ASN1Subject.CustomAttributes[0].Value must be at least 1 character, got 0");
    (*bad.custom_attributes)[0].value = std::string(257, 'v');
    expect_invalid_args(bad, "ASN1Subject.CustomAttributes[0].Value must be at most 256");
    (*bad.custom_attributes)[0].value = std::string(256, 'v');
    expect_valid(bad);
}

BOOST_AUTO_TEST_CASE(oid_strings) {
    for (const char* ok : {"0.0", "1.39", "2.5", "2.999.1", "1.3.6.1.4.1.311.20.2.2", "2.5.29.32.0",
                           "1.2.18446744073709551616999"})
        BOOST_TEST(pca::is_valid_oid_string(ok), ok);
    for (const char* bad : {"", "1", "3.1", "1.40", "0.40", "1.2.", ".1.2", "1..2", "1.02", "01.2", "1.2.a", "1.2 ",
                            "-1.2", "1.2.+3", "10.1"})
        BOOST_TEST(!pca::is_valid_oid_string(bad), bad);
    // At most 128 arcs.
    std::string oid = "1.2";
    for (int i = 0; i < 126; ++i) oid += ".1";
    BOOST_TEST(pca::is_valid_oid_string(oid));
    BOOST_TEST(!pca::is_valid_oid_string(oid + ".1"));

    // CustomObjectIdentifier: the model pattern's second arc is at most 39 for every root, max 64 chars.
    BOOST_TEST(pca::is_valid_custom_object_identifier("2.39.1"));
    BOOST_TEST(!pca::is_valid_custom_object_identifier("2.40.1"));
    BOOST_TEST(!pca::is_valid_custom_object_identifier("2.100"));
    BOOST_TEST(!pca::is_valid_custom_object_identifier("1.05"));  // pattern allows it, DER cannot tell it from 1.5
    const std::string max64 = "1.2." + std::string(60, '1');
    BOOST_TEST(max64.size() == 64u);
    BOOST_TEST(pca::is_valid_custom_object_identifier(max64));
    BOOST_TEST(!pca::is_valid_custom_object_identifier(max64 + "1"));

    pca::custom_extension e{std::string(65, '1'), "AA==", std::nullopt};
    e.object_identifier = "1.2." + std::string(61, '1');
    expect_invalid_args(e, "CustomExtension.ObjectIdentifier must be at most 64 characters, got 65");
}

BOOST_AUTO_TEST_CASE(general_name_has_exactly_one_choice) {
    std::vector<pca::general_name> singles(8);
    singles[0].other_name = pca::other_name{"1.3.6.1.4.1.311.20.2.3", "upn@example.com"};
    singles[1].rfc822_name = "a@example.com";
    singles[2].dns_name = "example.com";
    singles[3].directory_name = full_subject();
    singles[4].edi_party_name = pca::edi_party_name{"party", "assigner"};
    singles[5].uniform_resource_identifier = "https://example.com/";
    singles[6].ip_address = "2001:0db8:85a3:0000:0000:8a2e:0370:7334";
    singles[7].registered_id = "1.2.3.4";
    for (const auto& g : singles) expect_valid(g);

    expect_invalid_args(pca::general_name{}, "GeneralName must set exactly one of");
    expect_invalid_args(pca::general_name{}, "got none");
    auto two = singles[1];
    two.dns_name = "example.com";
    expect_invalid_args(two, "got Rfc822Name and DnsName");
}

BOOST_AUTO_TEST_CASE(general_name_member_limits) {
    pca::general_name g;
    g.dns_name = std::string(253, 'd');
    expect_valid(g);
    g.dns_name = std::string(254, 'd');
    expect_invalid_args(g, "GeneralName.DnsName must be at most 253");

    g = {};
    g.rfc822_name = std::string(257, 'r');
    expect_invalid_args(g, "GeneralName.Rfc822Name must be at most 256");
    g = {};
    g.uniform_resource_identifier = std::string(254, 'u');
    expect_invalid_args(g, "GeneralName.UniformResourceIdentifier must be at most 253");
    g = {};
    g.ip_address = std::string(40, '1');
    expect_invalid_args(g, "GeneralName.IpAddress must be at most 39");
    g = {};
    g.registered_id = "4.1";
    expect_invalid_args(g, "GeneralName.RegisteredId must be a dotted-decimal OID");
    g = {};
    g.other_name = pca::other_name{"not-an-oid", "v"};
    expect_invalid_args(g, "GeneralName.OtherName.TypeId");
    g.other_name = pca::other_name{"1.2.3", std::string(257, 'v')};
    expect_invalid_args(g, "GeneralName.OtherName.Value must be at most 256");
    g = {};
    g.edi_party_name = pca::edi_party_name{std::string(257, 'p'), std::nullopt};
    expect_invalid_args(g, "GeneralName.EdiPartyName.PartyName must be at most 256");
    g.edi_party_name = pca::edi_party_name{"p", std::string(257, 'n')};
    expect_invalid_args(g, "GeneralName.EdiPartyName.NameAssigner must be at most 256");
    g = {};
    g.directory_name = pca::asn1_subject{};
    g.directory_name->country = "XYZ";
    expect_invalid_args(g, "GeneralName.DirectoryName.Country must be 2 letters");
}

BOOST_AUTO_TEST_CASE(extended_key_usage_has_exactly_one_member) {
    expect_valid(pca::extended_key_usage{pca::extended_key_usage_type::code_signing, std::nullopt});
    expect_valid(pca::extended_key_usage{std::nullopt, "1.3.6.1.5.5.7.3.36"});
    expect_invalid_args(pca::extended_key_usage{}, "ExtendedKeyUsage must set exactly one of");
    expect_invalid_args(pca::extended_key_usage{pca::extended_key_usage_type::server_auth, "1.2.3"}, "got both");
    expect_invalid_args(pca::extended_key_usage{std::nullopt, "1.2.3."},
                        "ExtendedKeyUsage.ExtendedKeyUsageObjectIdentifier must be a dotted-decimal OID");
}

BOOST_AUTO_TEST_CASE(policy_information_rules) {
    pca::policy_information p{"2.23.140.1.2.1", std::nullopt};
    expect_valid(p);
    p.cert_policy_id = "2.23.140.1.2.1 ";
    expect_invalid_args(p, "PolicyInformation.CertPolicyId must be a dotted-decimal OID");
    p.cert_policy_id = "2.23.140.1.2.1";
    p.policy_qualifiers = std::vector<pca::policy_qualifier_info>{};
    expect_invalid_args(p, "PolicyInformation.PolicyQualifiers must have 1 to 20 entries, got 0");
    p.policy_qualifiers = std::vector<pca::policy_qualifier_info>(20, {pca::policy_qualifier_id::cps, {"https://x/"}});
    expect_valid(p);
    p.policy_qualifiers->push_back({pca::policy_qualifier_id::cps, {"https://x/"}});
    expect_invalid_args(p, "PolicyInformation.PolicyQualifiers must have 1 to 20 entries, got 21");
    p.policy_qualifiers->resize(2);
    (*p.policy_qualifiers)[1].qualifier.cps_uri = std::string(257, 'c');
    expect_invalid_args(p, "PolicyInformation.PolicyQualifiers[1].Qualifier.CpsUri must be at most 256");
}

BOOST_AUTO_TEST_CASE(custom_extension_value_is_base64_1_to_4096) {
    for (const char* ok : {"AA==", "AAA=", "AAAA", "MAMCAQA=", "ab+/ZZ09"}) BOOST_TEST(pca::is_valid_base64(ok), ok);
    for (const char* bad : {"A", "AA=", "A===", "====", "AA=A", "AAA", "AA==AAAA", "A A=", "AA-_", "AAA=\n"})
        BOOST_TEST(!pca::is_valid_base64(bad), bad);

    pca::custom_extension e{"1.3.6.1.4.1.99999.7", "BQA=", std::nullopt};
    expect_valid(e);
    e.value = std::string(4096, 'A');
    expect_valid(e);
    e.value = std::string(4100, 'A');
    expect_invalid_args(e, "CustomExtension.Value must be at most 4096 characters, got 4100");
    e.value = "";
    expect_invalid_args(e, "CustomExtension.Value must be at least 1 character, got 0");
    e.value = "not base64!";
    expect_invalid_args(e, "CustomExtension.Value must be padded base64");
    e.value = "BQA=";
    e.object_identifier = "";
    expect_invalid_args(e, "CustomExtension.ObjectIdentifier must be a dotted-decimal OID");
}

BOOST_AUTO_TEST_CASE(extensions_list_sizes) {
    auto a = passthrough();
    auto& x = *a.extensions;
    x.subject_alternative_names = std::vector<pca::general_name>(150, dns("a.example"));
    expect_valid(a);
    x.subject_alternative_names->push_back(dns("b.example"));
    expect_invalid_args(a, "ApiPassthrough.Extensions.SubjectAlternativeNames must have 1 to 150 entries, got 151");
    x.subject_alternative_names->clear();
    expect_invalid_args(a, "ApiPassthrough.Extensions.SubjectAlternativeNames must have 1 to 150 entries, got 0");

    a = passthrough();
    a.extensions->certificate_policies = std::vector<pca::policy_information>(21, {"1.2.3", std::nullopt});
    expect_invalid_args(a, "ApiPassthrough.Extensions.CertificatePolicies must have 1 to 20 entries, got 21");
    a.extensions->certificate_policies->clear();
    expect_invalid_args(a, "ApiPassthrough.Extensions.CertificatePolicies must have 1 to 20 entries, got 0");

    a = passthrough();
    a.extensions->extended_key_usage =
        std::vector<pca::extended_key_usage>(21, {pca::extended_key_usage_type::server_auth, std::nullopt});
    expect_invalid_args(a, "ApiPassthrough.Extensions.ExtendedKeyUsage must have 1 to 20 entries, got 21");
    a.extensions->extended_key_usage->clear();
    expect_invalid_args(a, "ApiPassthrough.Extensions.ExtendedKeyUsage must have 1 to 20 entries, got 0");

    a = passthrough();
    a.extensions->custom_extensions = std::vector<pca::custom_extension>(151, {"1.2.3", "AA==", std::nullopt});
    expect_invalid_args(a, "ApiPassthrough.Extensions.CustomExtensions must have 1 to 150 entries, got 151");
    a.extensions->custom_extensions->clear();
    expect_invalid_args(a, "ApiPassthrough.Extensions.CustomExtensions must have 1 to 150 entries, got 0");
}

BOOST_AUTO_TEST_CASE(api_passthrough_nested_paths) {
    auto a = passthrough();
    (*a.extensions->subject_alternative_names)[1].dns_name = std::string(300, 'x');
    expect_invalid_args(a, "ApiPassthrough.Extensions.SubjectAlternativeNames[1].DnsName must be at most 253");
    a = passthrough();
    (*a.extensions->custom_extensions)[0].value = "B";
    expect_invalid_args(a, "ApiPassthrough.Extensions.CustomExtensions[0].Value");
    a = passthrough();
    (*a.extensions->extended_key_usage)[1] = {};
    expect_invalid_args(a, "ApiPassthrough.Extensions.ExtendedKeyUsage[1] must set exactly one");
    a = passthrough();
    a.subject->given_name = std::string(17, 'g');
    expect_invalid_args(a, "ApiPassthrough.Subject.GivenName must be at most 16");
}

BOOST_AUTO_TEST_CASE(access_method_has_exactly_one_member) {
    expect_valid(pca::access_method{"1.3.6.1.5.5.7.48.5", std::nullopt});
    expect_valid(pca::access_method{std::nullopt, pca::access_method_type::resource_pki_notify});
    expect_invalid_args(pca::access_method{}, "AccessMethod must set exactly one of CustomObjectIdentifier or AccessMethodType; got none");
    expect_invalid_args(pca::access_method{"1.2.3", pca::access_method_type::ca_repository}, "got both");
    expect_invalid_args(pca::access_method{"1.2.3.x", std::nullopt}, "AccessMethod.CustomObjectIdentifier");

    auto c = ca_config();
    (*c.csr_extensions->subject_information_access)[0].access_method.custom_object_identifier = "1.2.3";
    expect_invalid_args(c, "CertificateAuthorityConfiguration.CsrExtensions.SubjectInformationAccess[0].AccessMethod "
                           "must set exactly one");
    c = ca_config();
    (*c.csr_extensions->subject_information_access)[0].access_location = {};
    expect_invalid_args(c, "CertificateAuthorityConfiguration.CsrExtensions.SubjectInformationAccess[0].AccessLocation "
                           "must set exactly one");
}

BOOST_AUTO_TEST_CASE(disabled_crl_configuration_contains_only_enabled_false) {
    expect_valid(pca::crl_configuration{});
    struct row {
        void (*set)(pca::crl_configuration&);
        const char* member;
    };
    const row rows[] = {
        {[](pca::crl_configuration& c) { c.expiration_in_days = 7; }, "ExpirationInDays"},
        {[](pca::crl_configuration& c) { c.custom_cname = "crl.example.com"; }, "CustomCname"},
        {[](pca::crl_configuration& c) { c.s3_bucket_name = "bucket"; }, "S3BucketName"},
        {[](pca::crl_configuration& c) { c.s3_object_acl = pca::s3_object_acl::public_read; }, "S3ObjectAcl"},
        {[](pca::crl_configuration& c) {
             c.crl_distribution_point_extension_configuration = pca::crl_distribution_point_extension_configuration{false};
         },
         "CrlDistributionPointExtensionConfiguration"},
        {[](pca::crl_configuration& c) { c.crl_type = pca::crl_type::partitioned; }, "CrlType"},
        {[](pca::crl_configuration& c) { c.custom_path = "x"; }, "CustomPath"},
    };
    for (const auto& r : rows) {
        pca::crl_configuration c;
        r.set(c);
        expect_error<pca::invalid_args_exception>(
            [&] { pca::validate(in_revocation(c)); },
            std::string("RevocationConfiguration.CrlConfiguration.") + r.member + " must not be set when Enabled is false");
    }
}

BOOST_AUTO_TEST_CASE(enabled_crl_configuration_rules) {
    auto c = crl_enabled();
    c.s3_bucket_name.reset();
    expect_invalid_args(c, "CrlConfiguration.S3BucketName is required when Enabled is true");

    for (int ok : {1, 5000}) {
        c = crl_enabled();
        c.expiration_in_days = ok;
        expect_valid(c);
    }
    for (int bad : {0, -1, 5001}) {
        c = crl_enabled();
        c.expiration_in_days = bad;
        expect_invalid_args(c, "CrlConfiguration.ExpirationInDays must be 1 to 5000");
    }

    c = crl_enabled();
    c.custom_cname = "crl.example.com";
    expect_valid(c);
    for (const char* bad : {"http://crl.example.com", "https://crl.example.com", "HTTPS://crl.example.com"}) {
        c.custom_cname = bad;
        expect_invalid_args(c, "CrlConfiguration.CustomCname must not include a protocol prefix");
    }
    for (const char* bad : {"crl example.com", "crl.example.com#x", "cr\xc3\xa9.example", "a\"b"}) {
        c.custom_cname = bad;
        expect_invalid_args(c, "CrlConfiguration.CustomCname may contain only");
    }
    c.custom_cname = std::string(254, 'c');
    expect_invalid_args(c, "CrlConfiguration.CustomCname must be at most 253");

    // OmitExtension=true "cannot be enabled with a custom CNAME set".
    c = crl_enabled();
    c.crl_distribution_point_extension_configuration = pca::crl_distribution_point_extension_configuration{true};
    expect_valid(c);
    c.custom_cname = "crl.example.com";
    expect_invalid_args(c, "CrlConfiguration.CrlDistributionPointExtensionConfiguration.OmitExtension cannot be true "
                           "when CustomCname is set");
    c.crl_distribution_point_extension_configuration->omit_extension = false;
    expect_valid(c);
}

BOOST_AUTO_TEST_CASE(crl_custom_path_pattern) {
    for (const char* ok : {"/", "a", "crl/v1", "a;b/c:d@e&f=g+h$i,j%k_l.m!n~o*p(q)r's"}) {
        BOOST_TEST(pca::is_valid_crl_path(ok), ok);
        auto c = crl_enabled();
        c.custom_path = ok;
        expect_valid(c);
    }
    for (const char* bad : {"", "//", "/a", "a/", "a//b", "a b", "a#b", "a?b/c d"}) {
        BOOST_TEST(!pca::is_valid_crl_path(bad), bad);
        auto c = crl_enabled();
        c.custom_path = bad;
        expect_invalid_args(c, "CrlConfiguration.CustomPath must be '/' or segments");
    }
    auto c = crl_enabled();
    c.custom_path = std::string(254, 'p');
    expect_invalid_args(c, "CrlConfiguration.CustomPath must be at most 253");
}

BOOST_AUTO_TEST_CASE(crl_bucket_follows_s3_naming_rules) {
    for (const std::string& ok : {std::string("abc"), std::string("my-bucket.example"), std::string("a1.b2-c3"),
                                  std::string("123"), std::string("1.2.3"), std::string(63, 'b')}) {
        BOOST_TEST_CONTEXT(ok) {
            BOOST_TEST(pca::is_valid_s3_bucket_name(ok));
            auto c = crl_enabled();
            c.s3_bucket_name = ok;
            expect_valid(c);
        }
    }
    const std::pair<std::string, const char*> bad[] = {
        {"ab", "3 to 63"},
        {std::string(64, 'b'), "3 to 63"},
        {"My-Bucket", "only lowercase letters"},
        {"my_bucket", "only lowercase letters"},
        {"my/bucket", "only lowercase letters"},
        {"-bucket", "begin and end"},
        {"bucket.", "begin and end"},
        {"my..bucket", "adjacent periods"},
        {"192.168.5.4", "IP address"},
        {"xn--bucket", "reserved prefix"},
        {"sthree-bucket", "reserved prefix"},
        {"bucket-s3alias", "reserved suffix"},
        {"bucket--ol-s3", "reserved suffix"},
    };
    for (const auto& [name, why] : bad) {
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(!pca::is_valid_s3_bucket_name(name));
            auto c = crl_enabled();
            c.s3_bucket_name = name;
            expect_invalid_args(c, "CrlConfiguration.S3BucketName must follow the S3 bucket naming rules");
            expect_invalid_args(c, why);
        }
    }
}

BOOST_AUTO_TEST_CASE(ocsp_configuration_rules) {
    expect_valid(pca::ocsp_configuration{false, std::nullopt});
    expect_valid(pca::ocsp_configuration{true, std::nullopt});
    expect_valid(pca::ocsp_configuration{true, "ocsp.example.com"});
    expect_invalid_args(pca::revocation_configuration{std::nullopt, pca::ocsp_configuration{false, "ocsp.example.com"}},
                        "RevocationConfiguration.OcspConfiguration.OcspCustomCname must not be set when Enabled is false");
    expect_invalid_args(pca::ocsp_configuration{true, "https://ocsp.example.com"},
                        "OcspConfiguration.OcspCustomCname must not include a protocol prefix");
    expect_invalid_args(pca::ocsp_configuration{true, "ocsp example"}, "OcspConfiguration.OcspCustomCname may contain only");
    expect_invalid_args(pca::ocsp_configuration{true, std::string(254, 'o')},
                        "OcspConfiguration.OcspCustomCname must be at most 253");
}

BOOST_AUTO_TEST_CASE(tag_key_and_value_rules) {
    auto expect_tag_error = [](const pca::tag& t, std::string_view needle) {
        expect_error<pca::invalid_tag_exception>([&] { pca::validate(t); }, needle);
    };
    expect_valid(pca::tag{"k", std::nullopt});
    expect_valid(pca::tag{"a-Z_0.9:/=+@ key", "v a-Z_0.9:/=+-@"});
    expect_valid(pca::tag{std::string(128, 'k'), std::string(256, 'v')});
    expect_valid(pca::tag{"k", ""});
    expect_tag_error(pca::tag{"", "v"}, "Tag.Key must be at least 1 character, got 0");
    expect_tag_error(pca::tag{std::string(129, 'k'), std::nullopt}, "Tag.Key must be at most 128");
    expect_tag_error(pca::tag{"k", std::string(257, 'v')}, "Tag.Value must be at most 256");

    // Unicode letters, numbers and separators are accepted (approximately; docs/types.md).
    for (const char* ok : {"caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac", "\xd9\xa3", "a\xc2\xa0" "b", "\xd0\x96\xd0\xb8",
                           "\xe2\x85\xa2", "\xea\xb0\x80", "\xf0\xa0\x80\x80", "\xce\xa9"}) {
        BOOST_TEST_CONTEXT(ok) {
            BOOST_TEST(pca::is_valid_tag_text(ok));
            expect_valid(pca::tag{ok, ok});
        }
    }
    // Punctuation, symbols, controls, emoji and invalid UTF-8 are not.
    for (const char* bad : {"a*b", "a#b", "a\tb", "a,b", "a!b", "\xe2\x82\xac", "\xe2\x84\xa2", "\xf0\x9f\x98\x80",
                            "\xe3\x80\x82", "\xcc\x81", "\x7f"}) {
        BOOST_TEST_CONTEXT(bad) {
            BOOST_TEST(!pca::is_valid_tag_text(bad));
            expect_tag_error(pca::tag{bad, std::nullopt}, "Tag.Key may contain only letters, numbers");
            expect_tag_error(pca::tag{"k", std::string(bad)}, "Tag.Value may contain only letters, numbers");
        }
    }
    expect_tag_error(pca::tag{"\xff", std::nullopt}, "Tag.Key is not valid UTF-8");
    expect_tag_error(pca::tag{"k", std::string("\xe2\x82")}, "Tag.Value is not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(tag_list_sizes) {
    std::vector<pca::tag> tags(50, pca::tag{"k", "v"});
    BOOST_CHECK_NO_THROW(pca::validate_tags(tags));
    tags.push_back({"k", "v"});
    expect_error<pca::too_many_tags_exception>([&] { pca::validate_tags(tags); }, "Tags has 51 tags");
    expect_error<pca::invalid_tag_exception>([] { pca::validate_tags({}); }, "Tags must have 1 to 50 tags, got 0");
    std::vector<pca::tag> bad{{"ok", std::nullopt}, {"bad*", std::nullopt}};
    expect_error<pca::invalid_tag_exception>([&] { pca::validate_tags(bad, "CreateCertificateAuthorityRequest.Tags"); },
                                             "CreateCertificateAuthorityRequest.Tags[1].Key");
}

BOOST_AUTO_TEST_CASE(permission_output_shape) {
    pca::permission p;
    p.certificate_authority_arn = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012";
    p.created_at = pca::from_unix(1700000000);
    p.principal = "acm.amazonaws.com";
    p.source_account = "123456789012";
    p.actions = std::vector<pca::action_type>{pca::action_type::issue_certificate, pca::action_type::get_certificate,
                                              pca::action_type::list_permissions};
    p.policy = "{\"Version\":\"2012-10-17\"}\n\t\xc3\xbf";  // U+00FF is the last allowed code point
    expect_valid(p);

    auto q = p;
    q.certificate_authority_arn = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/not-a-uuid";
    expect_error<pca::invalid_arn_exception>([&] { pca::validate(q); }, "Permission.CertificateAuthorityArn");
    q = p;
    q.principal = "*";
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.Principal must not contain '*'");
    q.principal = "";
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.Principal must be at least 1");
    q.principal = std::string(129, 'p');
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.Principal must be at most 128");
    q = p;
    q.source_account = "12345678901";
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.SourceAccount must be 12 digits");
    q = p;
    q.actions->clear();
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.Actions must have 1 to 3 entries, got 0");
    q.actions = std::vector<pca::action_type>(4, pca::action_type::get_certificate);
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.Actions must have 1 to 3 entries, got 4");
    q = p;
    q.policy = "";
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.Policy must be at least 1");
    q.policy = "x\xc4\x80";  // U+0100
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "Permission.Policy may contain only");
    q.policy = std::string("x\x01", 2);
    expect_error<pca::validation_exception>([&] { pca::validate(q); }, "U+0001");
}

BOOST_AUTO_TEST_CASE(certificate_authority_output_shape) {
    pca::certificate_authority ca;
    ca.arn = "arn:aws-cn:acm-pca:cn-north-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012";
    ca.owner_account = "123456789012";
    ca.type = pca::certificate_authority_type::root;
    ca.status = pca::certificate_authority_status::active;
    ca.not_before = pca::from_unix(1700000000);
    ca.not_after = pca::from_unix(2000000000);
    ca.certificate_authority_configuration = ca_config();
    ca.revocation_configuration = in_revocation(crl_enabled());
    expect_valid(ca);

    auto bad = ca;
    bad.arn = "arn:aws:acm-pca:cn-north-1:123456789012:certificate-authority/12345678-1234-1234-1234-123456789012";
    expect_error<pca::invalid_arn_exception>([&] { pca::validate(bad); }, "CertificateAuthority.Arn");
    bad = ca;
    bad.owner_account = "abc";
    expect_error<pca::validation_exception>([&] { pca::validate(bad); }, "CertificateAuthority.OwnerAccount");
    bad = ca;
    bad.certificate_authority_configuration->subject.country = "1";
    expect_invalid_args(bad, "CertificateAuthority.CertificateAuthorityConfiguration.Subject.Country");
    bad = ca;
    bad.revocation_configuration->crl_configuration->expiration_in_days = 0;
    expect_invalid_args(bad, "CertificateAuthority.RevocationConfiguration.CrlConfiguration.ExpirationInDays");
}

BOOST_AUTO_TEST_CASE(huge_inputs_are_rejected_without_regex_cost) {
    const std::string huge(1 << 20, 'a');
    auto c = crl_enabled();
    c.custom_cname = huge;
    expect_invalid_args(c, "must be at most 253");
    c = crl_enabled();
    c.custom_path = huge;
    expect_invalid_args(c, "must be at most 253");
    expect_error<pca::invalid_tag_exception>([&] { pca::validate(pca::tag{huge, std::nullopt}); }, "at most 128");
    pca::custom_extension ext{"1.2.3", std::string(1 << 20, 'A'), std::nullopt};
    expect_invalid_args(ext, "at most 4096");
    BOOST_TEST(!pca::is_valid_oid_string(std::string(1 << 20, '.')));
    // Messages quote at most 64 code points of a value.
    pca::asn1_subject s;
    s.country = huge;
    try {
        pca::validate(s);
        BOOST_ERROR("no throw");
    } catch (const pca::invalid_args_exception& e) {
        BOOST_TEST(std::string(e.what()).size() < 200u);
        BOOST_TEST(std::string(e.what()).find("truncated") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(aggregates_compare_member_wise) {
    BOOST_TEST((ca_config() == ca_config()));
    auto c = ca_config();
    c.subject.title = "other";
    BOOST_TEST((c != ca_config()));
    BOOST_TEST((passthrough() == passthrough()));
    auto a = passthrough();
    (*a.extensions->custom_extensions)[0].critical = false;
    BOOST_TEST((a != passthrough()));
    BOOST_TEST((pca::tag{"k", std::nullopt} != pca::tag{"k", ""}));
    // Required members are plain values, optional ones std::optional.
    static_assert(std::is_same_v<decltype(pca::crl_configuration::enabled), bool>);
    static_assert(std::is_same_v<decltype(pca::custom_extension::critical), std::optional<bool>>);
    static_assert(std::is_same_v<decltype(pca::crl_configuration::expiration_in_days), std::optional<std::int32_t>>);
    static_assert(std::is_same_v<decltype(pca::certificate_authority::created_at), std::optional<pca::sys_seconds>>);
    static_assert(std::is_aggregate_v<pca::certificate_authority_configuration>);
    static_assert(std::is_aggregate_v<pca::general_name>);
}

BOOST_AUTO_TEST_SUITE_END()
