// X.509 v2 CRLs: known-answer DER for entries and a whole TBSCertList; CRLs from EC, RSA and
// RSA-PSS CAs accepted by `openssl crl -verify` and read back by Python cryptography (number,
// AKI, entries, reasons, IssuingDistributionPoint); `openssl verify -crl_check` rejecting a
// revoked certificate and accepting an unrevoked one; the incremental entry list; a
// 100,000-entry CRL; and the strict parser refusing non-DER CRLs.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "pca/policy/crl_location.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/x509/crl.hpp"
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

sys_seconds now_s() { return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()); }

constexpr revocation_reason all_reasons[] = {
    revocation_reason::unspecified,         revocation_reason::key_compromise,
    revocation_reason::certificate_authority_compromise, revocation_reason::affiliation_changed,
    revocation_reason::superseded,          revocation_reason::cessation_of_operation,
    revocation_reason::privilege_withdrawn, revocation_reason::a_a_compromise,
};

/// Python cryptography's ReasonFlags name for a reason.
const char* cryptography_reason(revocation_reason r) {
    switch (r) {
        case revocation_reason::unspecified: return "unspecified";
        case revocation_reason::key_compromise: return "key_compromise";
        case revocation_reason::certificate_authority_compromise: return "ca_compromise";
        case revocation_reason::affiliation_changed: return "affiliation_changed";
        case revocation_reason::superseded: return "superseded";
        case revocation_reason::cessation_of_operation: return "cessation_of_operation";
        case revocation_reason::privilege_withdrawn: return "privilege_withdrawn";
        case revocation_reason::a_a_compromise: return "aa_compromise";
    }
    return "?";
}

/// `openssl crl -verify` on a DER CRL; returns the output, checks "verify OK".
void expect_openssl_accepts(const test::temp_dir& dir, const std::string& name, const bytes& crl_der,
                            const test::test_ca& ca) {
    const std::string crl_path = dir.file(name + ".crl");
    const std::string ca_path = dir.file(name + "-ca.pem");
    test::write_file(crl_path, crl_der);
    test::write_file(ca_path, byte_view(ca.certificate->pem()));
    const auto r = test::run("openssl crl -inform DER -in " + test::sh_quote(crl_path) + " -CAfile " +
                             test::sh_quote(ca_path) + " -noout -verify");
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output.find("verify OK") != std::string::npos);
}

x509::crl_fields fields(std::int64_t number, std::optional<std::string> idp = std::nullopt) {
    if (idp) return policy::crl_fields_at(now_s(), 7, number, *idp);
    return policy::crl_fields_at(now_s(), 7, number);
}

std::string ski_hex(const test::test_ca& ca) { return to_hex(ca.certificate->get<x509::subject_key_identifier>()->key_id); }

/// CertificateList around arbitrary TBS bytes (the signature is not checked by parse()).
bytes wrap_tbs(const bytes& tbs, signing_algorithm alg) {
    der::writer w;
    w.sequence([&](der::writer& s) {
        s.raw(tbs);
        s.raw(crypto::algorithm_identifier_der(alg));
        s.bit_string(hex("00"));
    });
    return w.take();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(x509_crl)

BOOST_AUTO_TEST_CASE(entries_encode_to_known_answers) {
    // serial 1, 2018-02-26 19:28:25 UTC, keyCompromise:
    //   SEQUENCE { INTEGER 1, UTCTime "180226192825Z", SEQUENCE { SEQUENCE { id-ce-cRLReasons,
    //              OCTET STRING { ENUMERATED 1 } } } }
    x509::crl_entry_list list;
    BOOST_TEST(list.add(hex("01"), at(2018, 2, 26, 19, 28, 25), revocation_reason::key_compromise));
    BOOST_TEST(to_hex(list.encoded()) ==
               "3020" "020101" "170d3138303232363139323832355a" "300c300a0603551d150403" "0a0101");
    // A serial with its top bit set gains a 0x00 pad; UNSPECIFIED has no reason extension by
    // default (RFC 5280 5.3.1 SHOULD); a date in 2050 is a GeneralizedTime.
    x509::crl_entry_list b;
    b.add(hex("e8cbd2bedb122329f97706bcfec990f8"), at(2050, 1, 1), revocation_reason::unspecified);
    BOOST_TEST(to_hex(b.encoded()) ==
               "3024" "021100e8cbd2bedb122329f97706bcfec990f8" "180f32303530303130313030303030305a");
    // ... and reasonCode 0 when asked for.
    x509::crl_entry_list z(x509::unspecified_reason::reason_code_zero);
    z.add(hex("0000e8cbd2bedb122329f97706bcfec990f8"), at(2018, 2, 26, 19, 28, 25), revocation_reason::unspecified);
    BOOST_TEST(to_hex(z.encoded()) == "3030" "021100e8cbd2bedb122329f97706bcfec990f8"
                                      "170d3138303232363139323832355a" "300c300a0603551d150403" "0a0100");
    // Reason codes of the other reasons.
    std::map<revocation_reason, std::string> last_octet;
    for (auto r : all_reasons) {
        x509::crl_entry_list l(x509::unspecified_reason::reason_code_zero);
        l.add(hex("01"), at(2018, 2, 26), r);
        last_octet[r] = to_hex(l.encoded().subview(l.encoded_size() - 1));
    }
    BOOST_TEST(last_octet[revocation_reason::privilege_withdrawn] == "09");
    BOOST_TEST(last_octet[revocation_reason::a_a_compromise] == "0a");
    BOOST_TEST(last_octet[revocation_reason::cessation_of_operation] == "05");
}

BOOST_AUTO_TEST_CASE(tbs_cert_list_encodes_to_a_known_answer) {
    x509::crl_entry_list list;
    list.add(hex("01"), at(2018, 2, 26, 19, 28, 25), revocation_reason::key_compromise);
    x509::crl_issuer issuer;
    issuer.subject_der = hex("300d310b30090603550403" "0c024341");  // CN=CA (UTF8String)
    issuer.key_identifier = hex("0102");
    issuer.algorithm = signing_algorithm::sha256_with_ecdsa;
    x509::crl_fields f;
    f.this_update = at(2018, 2, 26, 19, 28, 25);
    f.next_update = at(2019, 2, 26, 20, 28, 25);
    f.number = 5;
    const bytes tbs = x509::make_tbs_cert_list(issuer, list, f).encode();
    const std::string expected =
        "307f"                                              // TBSCertList, 127 octets
        "020101"                                            // version v2
        "300a06082a8648ce3d040302"                          // ecdsa-with-SHA256, no parameters
        "300d310b30090603550403" "0c024341"                 // issuer CN=CA, byte for byte
        "170d3138303232363139323832355a"                    // thisUpdate
        "170d3139303232363230323832355a"                    // nextUpdate
        "3022" "3020020101170d3138303232363139323832355a300c300a0603551d1504030a0101"  // revokedCertificates
        "a01d301b"                                          // [0] crlExtensions
        "300d0603551d23" "0406" "30048002" "0102"           //   AKI { [0] keyIdentifier 0102 }
        "300a0603551d14" "0403" "020105";                   //   CRLNumber 5
    BOOST_TEST(to_hex(tbs) == expected);
    BOOST_TEST(x509::make_tbs_cert_list(issuer, list, f).encoded_size() == tbs.size());
}

BOOST_AUTO_TEST_CASE(empty_crl_omits_revoked_certificates) {
    test::temp_dir dir;
    const auto ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "CRL Empty Root");
    const auto issuer = x509::crl_issuer::from_certificate(*ca.certificate, signing_algorithm::sha256_with_ecdsa);
    const x509::crl_entry_list none;
    const bytes der = x509::make_crl(issuer, none, fields(1), *ca.key, test::test_rng());

    // Walk the TBSCertList: after nextUpdate comes [0] crlExtensions, no SEQUENCE.
    der::reader top(der);
    der::reader list = top.sequence("CertificateList");
    der::reader tbs = list.sequence("tbsCertList");
    BOOST_TEST(tbs.integer() == 1);
    tbs.read(der::tag::sequence, "signature");
    tbs.read(der::tag::sequence, "issuer");
    tbs.time();
    tbs.time();
    BOOST_TEST(tbs.next_is(der::tag::context_constructed(0)));
    // openssl asn1parse agrees: no SEQUENCE between the two times and cont [ 0 ].
    test::write_file(dir.file("empty.crl"), der);
    const auto a = test::run("openssl asn1parse -inform DER -in " + test::sh_quote(dir.file("empty.crl")));
    BOOST_TEST_INFO(a.output);
    BOOST_TEST(a.exit_code == 0);
    const auto second_time = a.output.find("UTCTIME", a.output.find("UTCTIME") + 1);
    BOOST_TEST(a.output.substr(second_time).find("cont [ 0 ]") < a.output.substr(second_time).find("SEQUENCE"));

    const auto parsed = x509::crl::parse(der);
    BOOST_TEST(parsed.entries().empty());
    BOOST_TEST(parsed.verify_signature(ca.certificate->key()));
    expect_openssl_accepts(dir, "empty", der, ca);
    const auto described = test::inspect("crl", {dir.file("empty.crl")})[0];
    BOOST_TEST(described.at("revoked").empty());
}

BOOST_AUTO_TEST_CASE(crls_of_ec_rsa_and_rsa_pss_cas_verify_and_read_back) {
    struct ca_kind {
        key_algorithm key;
        signing_algorithm sig;
        const char* oid;
    };
    const ca_kind kinds[] = {
        {key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "1.2.840.10045.4.3.2"},
        {key_algorithm::ec_secp384r1, signing_algorithm::sha384_with_ecdsa, "1.2.840.10045.4.3.3"},
        {key_algorithm::ec_secp521r1, signing_algorithm::sha512_with_ecdsa, "1.2.840.10045.4.3.4"},
        {key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa, "1.2.840.113549.1.1.11"},
        {key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa_pss, "1.2.840.113549.1.1.10"},
        {key_algorithm::rsa_3072, signing_algorithm::sha512_with_rsa_pss, "1.2.840.113549.1.1.10"},
    };
    test::temp_dir dir;
    int n = 0;
    for (const auto& k : kinds) {
        const std::string tag = std::string(to_string(k.key)) + "-" + std::string(to_string(k.sig));
        BOOST_TEST_CONTEXT(tag) {
            const auto ca = test::make_root(k.key, k.sig, "CRL Root " + tag);
            x509::crl_builder builder(x509::crl_issuer::from_certificate(*ca.certificate, k.sig));
            std::vector<bytes> serials;
            const sys_seconds revoked_at = now_s() - std::chrono::hours(2);
            for (auto r : all_reasons) {
                serials.push_back(policy::new_serial(test::test_rng()));
                BOOST_TEST(builder.add_revoked(serials.back(), revoked_at, r));
            }
            const std::int64_t number = 1519676905984 + n;
            const bytes der = builder.build(fields(number), *ca.key, test::test_rng());
            const std::string name = "kind" + std::to_string(n++);
            expect_openssl_accepts(dir, name, der, ca);

            const auto parsed = x509::crl::parse(der);
            BOOST_TEST(parsed.verify_signature(ca.certificate->key()));
            BOOST_TEST((parsed.signature_algorithm().model == k.sig));
            BOOST_TEST((parsed.issuer().der() == ca.certificate->subject().der()));
            BOOST_TEST(parsed.version() == 2);
            BOOST_TEST(*parsed.number() == number);
            BOOST_TEST(parsed.entries().size() == serials.size());

            const auto d = test::inspect("crl", {dir.file(name + ".crl")})[0];
            BOOST_TEST(d.at("signature_algorithm").get<std::string>() == k.oid);
            BOOST_TEST(d.at("issuer").get<std::string>() == parsed.issuer().to_rfc2253());
            BOOST_TEST(d.at("next_update").get<std::int64_t>() - d.at("this_update").get<std::int64_t>() ==
                       7 * 86400 + 3600);
            const auto crl_number = test::find_ext(d, "2.5.29.20");
            BOOST_TEST(crl_number.at("crl_number").get<std::int64_t>() == number);
            BOOST_TEST(crl_number.at("critical").get<bool>() == false);
            const auto aki = test::find_ext(d, "2.5.29.35");
            BOOST_TEST(aki.at("key_id").get<std::string>() == ski_hex(ca));
            BOOST_TEST(test::find_ext(d, "2.5.29.28").is_null());  // COMPLETE CRL: no IDP
            const auto& revoked = d.at("revoked");
            BOOST_REQUIRE(revoked.size() == serials.size());
            for (std::size_t i = 0; i < serials.size(); ++i) {
                bytes magnitude = serials[i];
                while (magnitude.size() > 1 && magnitude[0] == 0) magnitude.erase(magnitude.begin());
                std::string want = to_hex(magnitude);
                while (want.size() > 1 && want[0] == '0') want.erase(0, 1);  // Python's format(n, "x")
                BOOST_TEST(revoked[i].at("serial").get<std::string>() == want);
                BOOST_TEST(revoked[i].at("date").get<std::int64_t>() == to_unix(revoked_at));
                if (all_reasons[i] == revocation_reason::unspecified)
                    BOOST_TEST(revoked[i].at("reason").is_null());  // RFC 5280: absent, not unspecified(0)
                else
                    BOOST_TEST(revoked[i].at("reason").get<std::string>() == cryptography_reason(all_reasons[i]));
                BOOST_TEST((parsed.entries()[i].serial == magnitude));
                BOOST_TEST((parsed.entries()[i].reason ==
                            (all_reasons[i] == revocation_reason::unspecified ? std::nullopt
                                                                               : std::optional<revocation_reason>(all_reasons[i]))));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(unspecified_can_be_written_as_reason_code_zero) {
    test::temp_dir dir;
    const auto ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "CRL Zero Root");
    x509::crl_builder builder(x509::crl_issuer::from_certificate(*ca.certificate, signing_algorithm::sha256_with_ecdsa),
                              x509::unspecified_reason::reason_code_zero);
    builder.add_revoked(hex("0102"), now_s(), revocation_reason::unspecified);
    const bytes der = builder.build(fields(2), *ca.key, test::test_rng());
    expect_openssl_accepts(dir, "zero", der, ca);
    BOOST_TEST(test::inspect("crl", {dir.file("zero.crl")})[0].at("revoked")[0].at("reason").get<std::string>() ==
               "unspecified");
    BOOST_TEST(*x509::crl::parse(der).entries()[0].reason_code == 0);
}

BOOST_AUTO_TEST_CASE(openssl_crl_check_rejects_the_revoked_certificate_and_accepts_the_other) {
    test::temp_dir dir;
    const bytes csr_a = test::openssl_csr("ee-p256", "/CN=revoked.example.com");
    const bytes csr_b = test::openssl_csr("ee-rsa2048", "/CN=good.example.com");
    int n = 0;
    for (auto [k, s] : {std::pair{key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa},
                        std::pair{key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa},
                        std::pair{key_algorithm::rsa_2048, signing_algorithm::sha384_with_rsa_pss}}) {
        BOOST_TEST_CONTEXT(to_string(s)) {
            const auto ca = test::make_root(k, s, "CRL Check Root " + std::to_string(n));
            const auto ctx = ca.context();
            const auto revoked = test::issue(ctx, *ca.key, csr_a, s, "EndEntityCertificate", test::days(30));
            const auto good = test::issue(ctx, *ca.key, csr_b, s, "EndEntityCertificate", test::days(30));

            x509::crl_builder builder(x509::crl_issuer::from_certificate(*ca.certificate, s));
            // The revoked certificate's serial as RevokeCertificate receives it: colon hex.
            const bytes serial = policy::parse_certificate_serial(policy::serial_colon_hex(
                byte_view(revoked.serial()).subview(revoked.serial()[0] == 0 ? 1 : 0)));
            builder.add_revoked(serial, now_s() - std::chrono::minutes(5), revocation_reason::key_compromise,
                                revoked.not_after());
            const bytes der = builder.build(fields(1700000000000 + n), *ca.key, test::test_rng());

            const std::string p = dir.file("check" + std::to_string(n++));
            test::write_file(p + "-ca.pem", byte_view(ca.certificate->pem()));
            test::write_file(p + "-crl.pem", byte_view(x509::crl::parse(der).pem()));
            test::write_file(p + "-revoked.pem", byte_view(revoked.pem()));
            test::write_file(p + "-good.pem", byte_view(good.pem()));
            const std::string verify = "openssl verify -crl_check -CAfile " + test::sh_quote(p + "-ca.pem") +
                                       " -CRLfile " + test::sh_quote(p + "-crl.pem") + " ";
            const auto bad = test::run(verify + test::sh_quote(p + "-revoked.pem"));
            BOOST_TEST_INFO(bad.output);
            BOOST_TEST(bad.exit_code != 0);
            BOOST_TEST(bad.output.find("certificate revoked") != std::string::npos);
            const auto ok = test::run(verify + test::sh_quote(p + "-good.pem"));
            BOOST_TEST_INFO(ok.output);
            BOOST_TEST(ok.exit_code == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(partition_crl_carries_a_critical_idp_equal_to_the_certificates_cdp) {
    test::temp_dir dir;
    const auto ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "CRL Partition Root");
    auto ctx = ca.context();
    revocation_configuration rc;
    rc.crl_configuration.emplace();
    rc.crl_configuration->enabled = true;
    rc.crl_configuration->s3_bucket_name = "pca-crl-bucket";
    rc.crl_configuration->expiration_in_days = 7;
    ctx.revocation = rc;
    const auto cert = test::issue(ctx, *ca.key, test::openssl_csr("ee-p256", "/CN=part.example.com"),
                                  signing_algorithm::sha256_with_ecdsa, "EndEntityCertificate", test::days(30));
    const auto cdp = cert.get<x509::crl_distribution_points>();
    BOOST_REQUIRE(cdp);
    const std::string uri = cdp->points.at(0).full_name.at(0).text;
    BOOST_TEST(uri == *policy::crl_distribution_uri(rc, ctx.ca_id, ctx.region));

    const auto issuer = x509::crl_issuer::from_certificate(*ca.certificate, signing_algorithm::sha256_with_ecdsa);
    x509::crl_entry_list list;
    list.add(byte_view(cert.serial()), now_s() - std::chrono::minutes(1), revocation_reason::superseded, cert.not_after());
    const bytes der = x509::make_crl(issuer, list, fields(7, uri), *ca.key, test::test_rng());
    expect_openssl_accepts(dir, "part", der, ca);

    const auto d = test::inspect("crl", {dir.file("part.crl")})[0];
    const auto idp = test::find_ext(d, "2.5.29.28");
    BOOST_REQUIRE(!idp.is_null());
    BOOST_TEST(idp.at("critical").get<bool>());
    BOOST_TEST(idp.at("uris").size() == 1u);
    BOOST_TEST(idp.at("uris")[0].get<std::string>() == "URI:" + uri);
    const auto parsed = x509::crl::parse(der);
    BOOST_TEST(parsed.find_extension(der::oids::issuing_distribution_point)->critical);
    BOOST_TEST(parsed.get<x509::issuing_distribution_point>()->full_name.at(0).text == uri);

    // openssl uses the partition for a certificate whose CDP matches; a partition with another
    // URI is out of scope for it ("different CRL scope").
    const auto other = x509::make_crl(issuer, list, fields(8, "http://elsewhere.example/crl/x.crl"), *ca.key, test::test_rng());
    test::write_file(dir.file("ca.pem"), byte_view(ca.certificate->pem()));
    test::write_file(dir.file("cert.pem"), byte_view(cert.pem()));
    test::write_file(dir.file("part.pem"), byte_view(parsed.pem()));
    test::write_file(dir.file("other.pem"), byte_view(x509::crl::parse(other).pem()));
    const std::string verify = "openssl verify -crl_check -CAfile " + test::sh_quote(dir.file("ca.pem")) + " -CRLfile ";
    const auto matched = test::run(verify + test::sh_quote(dir.file("part.pem")) + " " + test::sh_quote(dir.file("cert.pem")));
    BOOST_TEST_INFO(matched.output);
    BOOST_TEST(matched.output.find("certificate revoked") != std::string::npos);
    const auto unmatched = test::run(verify + test::sh_quote(dir.file("other.pem")) + " " + test::sh_quote(dir.file("cert.pem")));
    BOOST_TEST_INFO(unmatched.output);
    BOOST_TEST(unmatched.exit_code != 0);
    BOOST_TEST(unmatched.output.find("different CRL scope") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(crl_numbers_appear_exactly) {
    test::temp_dir dir;
    const auto ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "CRL Number Root");
    const auto issuer = x509::crl_issuer::from_certificate(*ca.certificate, signing_algorithm::sha256_with_ecdsa);
    x509::crl_entry_list list;
    list.add(hex("2a"), now_s(), revocation_reason::superseded);
    const std::int64_t numbers[] = {0, 1, 127, 128, 255, 256, 2147483648LL, 1519676905984LL, 1515616127629LL,
                                    std::numeric_limits<std::int64_t>::max()};
    std::vector<std::string> files;
    for (std::int64_t number : numbers) {
        const bytes der = x509::make_crl(issuer, list, fields(number), *ca.key, test::test_rng());
        BOOST_TEST(*x509::crl::parse(der).number() == number);
        files.push_back(dir.file("n" + std::to_string(number) + ".crl"));
        test::write_file(files.back(), der);
    }
    const auto d = test::inspect("crl", files);
    for (std::size_t i = 0; i < files.size(); ++i)
        BOOST_TEST(test::find_ext(d[i], "2.5.29.20").at("crl_number").get<std::int64_t>() == numbers[i]);
    BOOST_CHECK_THROW(x509::make_crl(issuer, list, fields(-1), *ca.key, test::test_rng()), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(incremental_rebuild_appends_one_entry_and_equals_a_fresh_build) {
    x509::crl_issuer issuer;
    issuer.subject_der = hex("300d310b30090603550403" "0c024341");
    issuer.key_identifier = hex("0102");
    const auto f = policy::crl_fields_at(at(2024, 5, 1), 30, 9);
    std::vector<bytes> serials;
    x509::crl_entry_list list;
    for (int i = 0; i < 1000; ++i) {
        serials.push_back(policy::new_serial(test::test_rng()));
        BOOST_TEST_REQUIRE(list.add(serials.back(), at(2024, 4, 1) + std::chrono::seconds(i), all_reasons[i % 8]));
    }
    const bytes before = list.encoded().to_bytes();
    const bytes tbs_before = x509::make_tbs_cert_list(issuer, list, f).encode();

    serials.push_back(policy::new_serial(test::test_rng()));
    list.add(serials.back(), at(2024, 4, 2), revocation_reason::key_compromise);
    // The list grew by exactly one entry at its end: nothing before it was touched.
    BOOST_TEST(list.size() == 1001u);
    BOOST_TEST((list.encoded().subview(0, before.size()) == byte_view(before)));
    BOOST_TEST((list[1000].der == list.encoded().subview(before.size())));
    const bytes tbs_after = x509::make_tbs_cert_list(issuer, list, f).encode();
    BOOST_TEST(tbs_after.size() > tbs_before.size());

    // A list built from scratch in the same order encodes the same TBSCertList.
    x509::crl_entry_list fresh;
    fresh.reserve(serials.size());
    for (std::size_t i = 0; i < serials.size(); ++i)
        fresh.add(serials[i], i < 1000 ? at(2024, 4, 1) + std::chrono::seconds(i) : at(2024, 4, 2),
                  i < 1000 ? all_reasons[i % 8] : revocation_reason::key_compromise);
    BOOST_TEST((x509::make_tbs_cert_list(issuer, fresh, f).encode() == tbs_after));

    // Duplicates are refused without a change; lookups ignore leading zeros.
    BOOST_TEST(!list.add(serials[5], at(2024, 4, 3), revocation_reason::superseded));
    bytes padded = serials[5];
    padded.insert(padded.begin(), {0, 0});
    BOOST_TEST(list.contains(padded));
    BOOST_TEST(!list.add(padded, at(2024, 4, 3), revocation_reason::superseded));
    BOOST_TEST(list.size() == 1001u);

    // Removing an entry leaves the others as they were, in order.
    BOOST_TEST(list.remove(serials[500]));
    BOOST_TEST(!list.remove(serials[500]));
    BOOST_TEST(!list.contains(serials[500]));
    BOOST_TEST(list.size() == 1000u);
    x509::crl_entry_list without;
    for (std::size_t i = 0; i < serials.size(); ++i)
        if (i != 500)
            without.add(serials[i], i < 1000 ? at(2024, 4, 1) + std::chrono::seconds(i) : at(2024, 4, 2),
                        i < 1000 ? all_reasons[i % 8] : revocation_reason::key_compromise);
    BOOST_TEST((list.encoded() == without.encoded()));
    for (std::size_t i = 0; i < serials.size(); ++i) BOOST_TEST(list.contains(serials[i]) == (i != 500));

    // Bad serials.
    BOOST_CHECK_THROW(list.add(hex("00"), at(2024, 1, 1), revocation_reason::superseded), std::invalid_argument);
    BOOST_CHECK_THROW(list.add({}, at(2024, 1, 1), revocation_reason::superseded), std::invalid_argument);
    BOOST_CHECK_THROW(list.add(bytes(20, 0xff), at(2024, 1, 1), revocation_reason::superseded), std::invalid_argument);
    BOOST_CHECK_NO_THROW(list.add(bytes(20, 0x7f), at(2024, 1, 1), revocation_reason::superseded));
    list.clear();
    BOOST_TEST(list.empty());
    BOOST_TEST(!list.contains(serials[0]));
    BOOST_TEST(list.add(serials[0], at(2024, 1, 1), revocation_reason::superseded));
}

BOOST_AUTO_TEST_CASE(hundred_thousand_entries_build_and_verify_with_openssl) {
    test::temp_dir dir;
    const auto ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "CRL Big Root");
    const auto issuer = x509::crl_issuer::from_certificate(*ca.certificate, signing_algorithm::sha256_with_ecdsa);
    constexpr std::size_t count = 100000;
    const bytes random = test::test_rng().generate(count * 16);
    x509::crl_entry_list list;
    list.reserve(count);
    const sys_seconds revoked_at = now_s() - std::chrono::hours(1);
    for (std::size_t i = 0; i < count; ++i) {
        bytes serial(random.begin() + static_cast<std::ptrdiff_t>(i * 16), random.begin() + static_cast<std::ptrdiff_t>(i * 16 + 16));
        serial[0] |= 0x01;  // never zero
        BOOST_TEST_REQUIRE(list.add(serial, revoked_at, all_reasons[i % 8]));
    }
    const bytes der = x509::make_crl(issuer, list, fields(424242), *ca.key, test::test_rng());
    BOOST_TEST_MESSAGE("100k-entry CRL: " << der.size() << " bytes; entry list holds " << list.memory_used() << " bytes");
    // The list (with its index) and the output together stay within 3x the CRL's size.
    BOOST_TEST(list.memory_used() + der.size() <= 3 * der.size());
    expect_openssl_accepts(dir, "big", der, ca);
    const auto parsed = x509::crl::parse(der);
    BOOST_TEST(parsed.entries().size() == count);
    BOOST_TEST(parsed.verify_signature(ca.certificate->key()));
    const auto text = test::run("openssl crl -inform DER -in " + test::sh_quote(dir.file("big.crl")) +
                                " -noout -text | grep -c 'Serial Number:'");
    BOOST_TEST(text.output == std::to_string(count) + "\n");
}

BOOST_AUTO_TEST_CASE(parser_refuses_crls_that_are_not_strict_der) {
    x509::crl_issuer issuer;
    issuer.subject_der = hex("300d310b30090603550403" "0c024341");
    issuer.key_identifier = hex("0102");
    const auto f = policy::crl_fields_at(at(2024, 5, 1), 30, 9);
    x509::crl_entry_list none;
    const bytes good_tbs = x509::make_tbs_cert_list(issuer, none, f).encode();
    BOOST_CHECK_NO_THROW(x509::crl::parse(wrap_tbs(good_tbs, signing_algorithm::sha256_with_ecdsa)));

    // An empty revokedCertificates SEQUENCE (RFC 5280: MUST be absent).
    bytes empty_list = good_tbs;
    {
        der::reader r(good_tbs);
        der::reader t = r.sequence("tbs");
        t.integer();
        t.read_any();
        t.read_any();
        t.time();
        t.time();
        const std::size_t at_ext = t.offset();
        empty_list.insert(empty_list.begin() + static_cast<std::ptrdiff_t>(at_ext), {0x30, 0x00});
        empty_list[1] = static_cast<std::uint8_t>(empty_list[1] + 2);
    }
    BOOST_CHECK_THROW(x509::crl::parse(wrap_tbs(empty_list, signing_algorithm::sha256_with_ecdsa)), der::decode_error);
    // Trailing bytes after the CertificateList.
    bytes trailing = wrap_tbs(good_tbs, signing_algorithm::sha256_with_ecdsa);
    trailing.push_back(0);
    BOOST_CHECK_THROW(x509::crl::parse(trailing), der::decode_error);
    // Outer signature algorithm differing from the inner one.
    BOOST_CHECK_THROW(x509::crl::parse(wrap_tbs(good_tbs, signing_algorithm::sha384_with_ecdsa)), der::decode_error);
    // Version v1 (INTEGER 0) written out.
    bytes v1 = good_tbs;
    v1[4] = 0x00;
    BOOST_CHECK_THROW(x509::crl::parse(wrap_tbs(v1, signing_algorithm::sha256_with_ecdsa)), der::decode_error);
    // A serial number of zero in an entry.
    x509::crl_entry_list one;
    one.add(hex("01"), at(2024, 1, 1), revocation_reason::superseded);
    bytes zero_serial = x509::make_tbs_cert_list(issuer, one, f).encode();
    const std::string h = to_hex(zero_serial);
    const auto pos = h.find("3020020101");
    BOOST_REQUIRE(pos != std::string::npos);
    zero_serial[pos / 2 + 4] = 0x00;
    BOOST_CHECK_THROW(x509::crl::parse(wrap_tbs(zero_serial, signing_algorithm::sha256_with_ecdsa)), der::decode_error);
}

BOOST_AUTO_TEST_CASE(dates_from_2050_are_generalized_time_and_accepted) {
    test::temp_dir dir;
    const auto ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "CRL 2050 Root");
    const auto issuer = x509::crl_issuer::from_certificate(*ca.certificate, signing_algorithm::sha256_with_ecdsa);
    x509::crl_entry_list list;
    list.add(hex("77"), at(2051, 3, 4, 5, 6, 7), revocation_reason::superseded);
    const sys_seconds now = now_s();
    const bytes der = x509::make_crl(issuer, list, policy::crl_fields_at(now, 5000, 3), *ca.key, test::test_rng());
    expect_openssl_accepts(dir, "far", der, ca);
    const auto parsed = x509::crl::parse(der);
    BOOST_TEST(to_iso8601(parsed.entries()[0].revocation_date) == "2051-03-04T05:06:07Z");
    BOOST_TEST(to_iso8601(*parsed.next_update()) == to_iso8601(now + std::chrono::hours(24 * 5000)));
}

BOOST_AUTO_TEST_SUITE_END()
