// PARTITIONED CRLs through the facade: consecutive certificates fill one partition after
// another, each certificate's CDP names its partition's CRL, each partition CRL carries a
// critical IssuingDistributionPoint equal to that CDP and lists only its own revocations.
// Checked with openssl (crl -verify, verify -crl_check, including the scope check that refuses
// another partition's CRL) and Python cryptography.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>

#include "pca/policy/crl_location.hpp"
#include "support/oracle.hpp"
#include "support/service_fixture.hpp"

using namespace pca;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t partition_size = 3;

struct partition_fixture {
    storage::memory_store store;
    storage::memory_object_store buckets;
    manual_clock clock{from_unix(1767225600)};  // 2026-01-01T00:00:00Z
    service svc{store, buckets, clock, options()};
    test::temp_dir dir;

    static service_options options() {
        service_options o;
        o.crl_partition_size = partition_size;
        return o;
    }
    static revocation_configuration partitioned_config() {
        revocation_configuration rc = test::service_fixture::crl_config();
        rc.crl_configuration->crl_type = crl_type::partitioned;
        return rc;
    }

    std::string make_root(std::optional<revocation_configuration> rc) {
        auto req = test::service_fixture::ca_request(certificate_authority_type::root, "Partitioned Root");
        req.revocation_configuration = std::move(rc);
        const std::string arn = svc.create_certificate_authority(req).certificate_authority_arn;
        const auto csr = svc.get_certificate_authority_csr({arn}).csr;
        issue_certificate_request ir;
        ir.certificate_authority_arn = arn;
        ir.csr = bytes(csr.begin(), csr.end());
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.template_arn = test::template_arn("RootCACertificate");
        ir.validity = {10, validity_period_type::years};
        const auto cert = svc.get_certificate({arn, svc.issue_certificate(ir).certificate_arn}).certificate;
        import_certificate_authority_certificate_request imp;
        imp.certificate_authority_arn = arn;
        imp.certificate = bytes(cert.begin(), cert.end());
        svc.import_certificate_authority_certificate(imp);
        test::write_file(dir.file("ca.pem"), byte_view(cert));
        return arn;
    }

    std::string issue(const std::string& ca) {
        static const bytes csr = test::openssl_csr("ee-p256", "/CN=part.example.com", "-addext subjectAltName=DNS:part.example.com");
        issue_certificate_request ir;
        ir.certificate_authority_arn = ca;
        ir.csr = csr;
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.validity = {30, validity_period_type::days};
        return svc.issue_certificate(ir).certificate_arn;
    }

    x509::certificate certificate(const std::string& ca, const std::string& arn) {
        return x509::certificate::parse_pem(svc.get_certificate({ca, arn}).certificate);
    }

    static std::string cdp_of(const x509::certificate& c) {
        const auto cdp = c.get<x509::crl_distribution_points>();
        BOOST_TEST_REQUIRE(cdp.has_value());
        BOOST_TEST_REQUIRE(cdp->points.size() == 1u);
        BOOST_TEST_REQUIRE(cdp->points[0].full_name.size() == 1u);
        return cdp->points[0].full_name[0].text;
    }

    std::string partition_uri(const std::string& ca, std::uint32_t p) const {
        return "http://pca-crls.s3.us-east-1.amazonaws.com/crl/" + policy::crl_partition_id(ca_arn::parse(ca).ca_id(), p) + ".crl";
    }
    std::optional<bytes> partition_crl(const std::string& ca, std::uint32_t p) const {
        return buckets.get("pca-crls", "crl/" + policy::crl_partition_id(ca_arn::parse(ca).ca_id(), p) + ".crl");
    }
    std::string at() const { return " -attime " + std::to_string(to_unix(clock.now_seconds())); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(service_crl_partition)

BOOST_AUTO_TEST_CASE(partition_ids_are_stable_uuids_distinct_per_ca_and_index) {
    const std::string a0 = policy::crl_partition_id("11111111-2222-4333-8444-555555555555", 0);
    BOOST_TEST(a0 == policy::crl_partition_id("11111111-2222-4333-8444-555555555555", 0));
    BOOST_TEST(a0 != policy::crl_partition_id("11111111-2222-4333-8444-555555555555", 1));
    BOOST_TEST(a0 != policy::crl_partition_id("11111111-2222-4333-8444-555555555556", 0));
    BOOST_TEST_REQUIRE(a0.size() == 36u);
    BOOST_TEST(a0[14] == '4');  // version 4 form
    BOOST_TEST(std::string("89ab").find(a0[19]) != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(certificates_fill_partitions_and_name_them_in_their_cdp, partition_fixture) {
    const std::string ca = make_root(partitioned_config());
    // The root's own certificate is the CA's first; end-entity n (1-based) is certificate n + 1.
    std::vector<std::string> arns;
    for (int i = 0; i < 7; ++i) arns.push_back(issue(ca));
    const std::vector<std::uint32_t> expected = {0, 0, 1, 1, 1, 2, 2};
    for (std::size_t i = 0; i < arns.size(); ++i) {
        const auto c = certificate(ca, arns[i]);
        BOOST_TEST(cdp_of(c) == partition_uri(ca, expected[i]), "certificate " << i);
    }
    // Each partition's CRL was deposited when its first certificate was issued; no revocation yet.
    for (std::uint32_t p = 0; p < 3; ++p) {
        const auto crl = partition_crl(ca, p);
        BOOST_TEST_REQUIRE(crl.has_value(), "partition " << p);
        test::write_file(dir.file("p" + std::to_string(p) + ".crl"), *crl);
    }
    BOOST_TEST(!partition_crl(ca, 3).has_value());
    const auto described = test::inspect("crl", {dir.file("p0.crl"), dir.file("p1.crl"), dir.file("p2.crl")});
    for (std::uint32_t p = 0; p < 3; ++p) {
        const auto idp = test::find_ext(described[p], "2.5.29.28");
        BOOST_TEST_REQUIRE(!idp.is_null());
        BOOST_TEST(idp.at("critical").get<bool>());
        BOOST_TEST(idp.at("uris").size() == 1u);
        BOOST_TEST(idp.at("uris")[0].get<std::string>() == "URI:" + partition_uri(ca, p));
        BOOST_TEST(described[p].at("revoked").empty());
        const auto v = test::run("openssl crl -noout -inform DER -in " + test::sh_quote(dir.file("p" + std::to_string(p) + ".crl")) +
                                 " -CAfile " + test::sh_quote(dir.file("ca.pem")) + " 2>&1");
        BOOST_TEST_INFO(v.output);
        BOOST_TEST(v.output.find("verify OK") != std::string::npos);
    }
    // The certificates point at their partitions, so Python cryptography agrees on the CDP.
    test::write_file(dir.file("ee4.pem"), byte_view(svc.get_certificate({ca, arns[4]}).certificate));
    const auto ee = test::inspect("cert", {dir.file("ee4.pem")});
    BOOST_TEST(test::find_ext(ee[0], "2.5.29.31").at("uris")[0].get<std::string>() == "URI:" + partition_uri(ca, 1));
}

BOOST_FIXTURE_TEST_CASE(a_revocation_lands_in_its_partition_only_and_openssl_checks_scope, partition_fixture) {
    const std::string ca = make_root(partitioned_config());
    std::vector<std::string> arns;
    for (int i = 0; i < 5; ++i) arns.push_back(issue(ca));  // partitions 0,0,1,1,1
    const auto victim = certificate(ca, arns[3]);         // partition 1
    clock.advance(1h);
    svc.revoke_certificate({ca, to_hex(victim.serial(), false, ':'), revocation_reason::key_compromise});

    const auto p0 = partition_crl(ca, 0);
    const auto p1 = partition_crl(ca, 1);
    BOOST_TEST_REQUIRE((p0 && p1));
    test::write_file(dir.file("p0.crl"), *p0);
    test::write_file(dir.file("p1.crl"), *p1);
    const auto described = test::inspect("crl", {dir.file("p0.crl"), dir.file("p1.crl")});
    BOOST_TEST(described[0].at("revoked").empty());
    BOOST_TEST_REQUIRE(described[1].at("revoked").size() == 1u);
    // cryptography prints the magnitude: no leading zero digits (a serial starting 0x0N too,
    // which made this check fail once in ~16 runs before).
    std::string magnitude = to_hex(victim.serial());
    magnitude.erase(0, std::min(magnitude.find_first_not_of('0'), magnitude.size() - 1));
    BOOST_TEST(described[1].at("revoked")[0].at("serial").get<std::string>() == magnitude);
    BOOST_TEST(described[1].at("revoked")[0].at("reason").get<std::string>() == "key_compromise");
    // The complete CRL (for certificates bound to none) does not list it.
    const auto complete = buckets.get("pca-crls", "crl/" + ca_arn::parse(ca).ca_id() + ".crl");
    if (complete) BOOST_TEST(x509::crl::parse(*complete).entries().size() == 0u);

    const auto pem = [&](const std::string& arn, const std::string& name) {
        test::write_file(dir.file(name), byte_view(svc.get_certificate({ca, arn}).certificate));
        return dir.file(name);
    };
    const std::string revoked = pem(arns[3], "revoked.pem");
    const std::string same_partition = pem(arns[2], "same.pem");
    const std::string other_partition = pem(arns[0], "other.pem");
    const auto verify = [&](const std::string& crl_file, const std::string& cert) {
        // openssl wants the CRL in PEM for -CRLfile.
        const auto conv = test::run("openssl crl -inform DER -in " + test::sh_quote(crl_file) + " -out " + test::sh_quote(crl_file + ".pem"));
        BOOST_TEST_REQUIRE(conv.exit_code == 0);
        return test::run("openssl verify -crl_check" + at() + " -CAfile " + test::sh_quote(dir.file("ca.pem")) + " -CRLfile " +
                         test::sh_quote(crl_file + ".pem") + " " + test::sh_quote(cert) + " 2>&1");
    };
    auto r = verify(dir.file("p1.crl"), revoked);
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code != 0);
    BOOST_TEST(r.output.find("certificate revoked") != std::string::npos);
    r = verify(dir.file("p1.crl"), same_partition);
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 0);
    r = verify(dir.file("p0.crl"), other_partition);
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 0);
    // Partition 1's CRL is not in scope for a certificate of partition 0 (IDP != its CDP).
    r = verify(dir.file("p1.crl"), other_partition);
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code != 0);
    BOOST_TEST((r.output.find("different CRL scope") != std::string::npos ||
                r.output.find("unable to get certificate CRL") != std::string::npos));
}

BOOST_FIXTURE_TEST_CASE(generate_crl_publishes_every_partition_with_increasing_numbers, partition_fixture) {
    const std::string ca = make_root(partitioned_config());
    for (int i = 0; i < 4; ++i) issue(ca);  // partitions 0,0,1,1
    std::map<std::uint32_t, std::int64_t> before;
    for (std::uint32_t p = 0; p < 2; ++p) before[p] = x509::crl::parse(*partition_crl(ca, p)).number().value_or(-1);
    clock.advance(2h);
    svc.generate_crl(ca);
    for (std::uint32_t p = 0; p < 2; ++p) {
        const auto crl = x509::crl::parse(*partition_crl(ca, p));
        BOOST_TEST(crl.number().value_or(-1) > before[p]);
        BOOST_TEST(to_unix(crl.this_update()) == to_unix(clock.now_seconds() - 1h));
    }
}

BOOST_FIXTURE_TEST_CASE(partitioned_back_to_complete_is_refused_once_certificates_exist, partition_fixture) {
    const std::string ca = make_root(partitioned_config());
    update_certificate_authority_request up;
    up.certificate_authority_arn = ca;
    up.revocation_configuration = test::service_fixture::crl_config();  // COMPLETE
    svc.update_certificate_authority(up);  // only the root's own certificate so far: allowed
    up.revocation_configuration = partitioned_config();
    svc.update_certificate_authority(up);
    issue(ca);
    up.revocation_configuration = test::service_fixture::crl_config();
    try {
        svc.update_certificate_authority(up);
        BOOST_FAIL("switching to COMPLETE was accepted");
    } catch (const invalid_request_exception& e) {
        BOOST_TEST(std::string(e.what()).find("PARTITIONED") != std::string::npos);
    }
}

BOOST_FIXTURE_TEST_CASE(complete_crl_cas_keep_one_crl_named_after_the_ca, partition_fixture) {
    const std::string ca = make_root(test::service_fixture::crl_config());
    for (int i = 0; i < 4; ++i) issue(ca);
    const auto c = certificate(ca, issue(ca));
    BOOST_TEST(cdp_of(c) == "http://pca-crls.s3.us-east-1.amazonaws.com/crl/" + ca_arn::parse(ca).ca_id() + ".crl");
    BOOST_TEST(buckets.list("pca-crls", "crl/").size() == 1u);
    BOOST_TEST(!x509::crl::parse(*buckets.get("pca-crls", "crl/" + ca_arn::parse(ca).ca_id() + ".crl"))
                    .get<x509::issuing_distribution_point>()
                    .has_value());
}

BOOST_AUTO_TEST_SUITE_END()
