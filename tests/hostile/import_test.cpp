// Hostile CA certificates and chains given to ImportCertificateAuthorityCertificate through the
// service facade. A SUBORDINATE CA is created in the service; its certificate is built field
// by field (tests/hostile/hostile.hpp) for the CA's own key and signed by a test root (the
// P-256 fixture key), so the one broken field is the only reason for a refusal. Each case is
// a row of the "Bad-input table" in docs/security.md; the errors are those the model lists for
// the operation: MalformedCertificateException, CertificateMismatchException,
// InvalidRequestException (and ValidationException for the blobs' length constraints).
#include <boost/test/unit_test.hpp>

#include <string>

#include "hostile/hostile.hpp"

namespace {
using namespace pca;
using namespace pca::test;
using namespace pca::test::hostile;

struct import_fixture : service_fixture {
    test_ca root = make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "Hostile Import Root");
    std::string sub =
        svc.create_certificate_authority(ca_request(certificate_authority_type::subordinate, "Hostile Sub")).certificate_authority_arn;
    bytes sub_spki = x509::csr::parse_pem(svc.get_certificate_authority_csr({sub}).csr).public_key_info().der;

    /// A certificate for the subordinate's key that imports cleanly.
    cert_spec good() const {
        cert_spec c;
        c.issuer = root.certificate->subject().der();
        c.validity = validity_der(root.certificate->not_before(), root.certificate->not_before() + std::chrono::hours(24 * 365 * 5));
        c.spki = sub_spki;
        c.extensions = {ca_basic_constraints(), ca_key_usage()};
        c.issuer_key = root.key;
        return c;
    }
    bytes root_pem() const { return to_bytes(root.certificate->pem()); }

    void import(const bytes& cert, std::optional<bytes> chain) {
        import_certificate_authority_certificate_request r;
        r.certificate_authority_arn = sub;
        r.certificate = cert;
        r.certificate_chain = std::move(chain);
        svc.import_certificate_authority_certificate(r);
    }
    template <class E = malformed_certificate_exception>
    void refused(const bytes& cert, const std::vector<std::string>& fragments) {
        expect_refused<E>([&] { import(cert, root_pem()); }, fragments);
    }
    template <class E = malformed_certificate_exception>
    void refused_spec(const cert_spec& c, const std::vector<std::string>& fragments) {
        refused<E>(c.pem(), fragments);
    }
    certificate_authority_status status() {
        return *svc.describe_certificate_authority({sub}).certificate_authority.status;
    }
};

bytes pem_of_raw(const bytes& der) { return to_bytes(der::pem_encode("CERTIFICATE", der)); }
}  // namespace

BOOST_FIXTURE_TEST_SUITE(hostile_import, import_fixture)

BOOST_AUTO_TEST_CASE(baseline_hand_built_certificate_is_accepted) {
    import(good().pem(), root_pem());
    BOOST_TEST(to_string(status()) == "ACTIVE");
    // openssl agrees that the hand-built certificate chains to the root.
    temp_dir dir;
    write_file(dir.file("root.pem"), root_pem());
    write_file(dir.file("sub.pem"), byte_view(svc.get_certificate_authority_certificate({sub}).certificate));
    const auto r = run("openssl verify -attime " + std::to_string(to_unix(root.certificate->not_before()) + 60) + " -CAfile " +
                       sh_quote(dir.file("root.pem")) + " " + sh_quote(dir.file("sub.pem")));
    BOOST_TEST(r.exit_code == 0, r.output);
}

BOOST_AUTO_TEST_CASE(refuses_empty_and_oversized_blobs) {
    refused<validation_exception>({}, {"Certificate"});
    bytes big = good().pem();
    big.resize(40000, '\n');
    refused<validation_exception>(big, {"32768"});
    expect_refused<validation_exception>([&] { import(good().pem(), bytes(2097153, 'A')); }, {"2097152"});
}

BOOST_AUTO_TEST_CASE(refuses_der_and_non_certificate_pem) {
    refused(good().der(), {"PEM"});
    refused(to_bytes(der::pem_encode("X509 CRL", good().der())), {"CERTIFICATE"});
    refused(to_bytes("-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n"), {"Certificate"});
    refused(to_bytes("no PEM here"), {"Certificate"});
}

BOOST_AUTO_TEST_CASE(refuses_truncated_certificate) {
    const bytes der = good().der();
    for (std::size_t keep : {std::size_t{3}, der.size() / 2, der.size() - 1}) {
        BOOST_TEST_CONTEXT("kept " << keep << " of " << der.size()) {
            refused(pem_of_raw(bytes(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(keep))), {"Certificate"});
        }
    }
}

BOOST_AUTO_TEST_CASE(refuses_trailing_bytes_in_the_block) {
    cert_spec c = good();
    c.trailing = {0x00, 0x00};
    refused_spec(c, {"Certificate", "unexpected data after"});
}

BOOST_AUTO_TEST_CASE(refuses_huge_length_fields) {
    const bytes der = good().der();
    bytes huge = {0x30, 0x84, 0x7f, 0xff, 0xff, 0xff};
    huge.insert(huge.end(), der.begin() + 4, der.end());
    refused(pem_of_raw(huge), {"runs past the end"});
}

BOOST_AUTO_TEST_CASE(refuses_non_minimal_der) {
    cert_spec serial = good();
    serial.serial = {0x02, 0x03, 0x00, 0x12, 0x34};  // a leading 00 that is not a sign pad
    refused_spec(serial, {"INTEGER"});
    cert_spec length = good();
    const bytes name = cn_name("Hostile Subordinate");
    length.subject = {0x30, 0x81, name[1]};
    length.subject.insert(length.subject.end(), name.begin() + 2, name.end());
    refused_spec(length, {"non-minimal length encoding"});
    cert_spec version = good();
    version.version = {0xa0, 0x03, 0x02, 0x01, 0x00};  // v1 written out although DEFAULT
    refused_spec(version, {"version"});
}

BOOST_AUTO_TEST_CASE(refuses_deep_nesting) {
    cert_spec c = good();
    c.extensions.push_back(extension_der(der::oids::subject_alt_name, false, nest(5000, {0x05, 0x00})));
    refused_spec(c, {"SubjectAltName (2.5.29.17) is malformed"});
    cert_spec deep_name = good();
    deep_name.subject = wrap(der::tag::sequence, wrap(der::tag::set, wrap(der::tag::sequence,
        cat({tlv(der::tag::oid, der::oids::common_name.der_content()), nest(5000, {0x05, 0x00})}))));
    refused_spec(deep_name, {"AttributeValue: nesting deeper than 24"});
    refused(pem_of_raw(nest(3000, good().der())), {"Certificate"});
}

BOOST_AUTO_TEST_CASE(refuses_negative_zero_and_overlong_serials) {
    cert_spec negative = good();
    negative.serial = {0x02, 0x02, 0xff, 0x01};
    refused_spec(negative, {"serialNumber 0xff01 is not a positive integer"});
    cert_spec zero = good();
    zero.serial = {0x02, 0x01, 0x00};
    refused_spec(zero, {"serialNumber 0x00 is not a positive integer"});
    cert_spec long_serial = good();
    long_serial.serial = {0x02, 0x15, 0x01};
    long_serial.serial.resize(2 + 21, 0x42);
    refused_spec(long_serial, {"serialNumber is 21 octets"});
}

BOOST_AUTO_TEST_CASE(refuses_duplicate_and_unknown_critical_extensions) {
    cert_spec dup = good();
    dup.extensions.push_back(ca_key_usage());
    refused_spec(dup, {"duplicate extension 2.5.29.15"});
    cert_spec unknown = good();
    unknown.extensions.push_back(extension_der(der::oid::constant("1.3.6.1.4.1.55555.1"), true, bytes{0x05, 0x00}));
    refused_spec(unknown, {"1.3.6.1.4.1.55555.1", "critical"});
    cert_spec empty_list = good();
    empty_list.raw_extensions_field = bytes{0xa3, 0x02, 0x30, 0x00};
    refused_spec(empty_list, {"must not be empty"});
}

BOOST_AUTO_TEST_CASE(refuses_invalid_utf8_wrong_string_types_and_empty_names) {
    cert_spec utf8 = good();
    utf8.subject = cn_name("Sub \xc3\x28");
    refused_spec(utf8, {"invalid UTF-8"});
    cert_spec printable = good();
    printable.subject = name_der({{der::oids::country_name, der::tag::printable_string, "U@"}});
    refused_spec(printable, {"PrintableString"});
    cert_spec integer = good();
    integer.subject = name_der({{der::oids::common_name, der::tag::integer, std::string("\x01", 1)}});
    refused_spec(integer, {"subject attribute 2.5.4.3 is INTEGER, not a string type"});
    cert_spec empty = good();
    empty.subject = cn_name("");
    refused_spec(empty, {"subject attribute 2.5.4.3 is empty"});
}

BOOST_AUTO_TEST_CASE(refuses_times_out_of_range) {
    const auto nb = root.certificate->not_before();
    auto raw_validity = [](const std::string& a, const std::string& b) {
        return wrap(der::tag::sequence, cat({tlv(der::tag::utc_time, byte_view(a)), tlv(der::tag::utc_time, byte_view(b))}));
    };
    cert_spec month13 = good();
    month13.validity = raw_validity("261301000000Z", "301201000000Z");
    refused_spec(month13, {"malformed UTCTime"});
    cert_spec no_zulu = good();
    no_zulu.validity = raw_validity("261201000000+0100", "301201000000Z");
    refused_spec(no_zulu, {"malformed UTCTime"});
    cert_spec generalized_early = good();  // RFC 5280: dates before 2050 are UTCTime
    generalized_early.validity =
        wrap(der::tag::sequence, cat({tlv(der::tag::generalized_time, byte_view(std::string("20261201000000Z"))),
                                      tlv(der::tag::utc_time, byte_view(std::string("301201000000Z")))}));
    refused_spec(generalized_early, {"a date before 2050 must be UTCTime"});
    cert_spec reversed = good();
    reversed.validity = validity_der(nb + std::chrono::hours(24 * 100), nb + std::chrono::hours(24));
    refused_spec(reversed, {"is after notAfter"});
    cert_spec expired = good();
    expired.validity = validity_der(now() - std::chrono::hours(24 * 10), now() - std::chrono::hours(24));
    refused_spec<invalid_request_exception>(expired, {"expired"});
    cert_spec outlives_parent = good();
    outlives_parent.validity = validity_der(nb, nb + std::chrono::hours(24 * 365 * 20));
    refused_spec<certificate_mismatch_exception>(outlives_parent, {"validity"});
}

BOOST_AUTO_TEST_CASE(refuses_mismatched_algorithm_identifiers) {
    cert_spec c = good();
    c.inner_algorithm = crypto::algorithm_identifier_der(signing_algorithm::sha384_with_ecdsa);
    refused_spec(c, {"signature"});
    cert_spec rsa_outer = good();
    rsa_outer.outer_algorithm = crypto::algorithm_identifier_der(signing_algorithm::sha256_with_rsa);
    rsa_outer.inner_algorithm = rsa_outer.outer_algorithm;
    refused_spec<certificate_mismatch_exception>(rsa_outer, {"signature does not verify with the public key of CertificateChain block 1"});
}

BOOST_AUTO_TEST_CASE(refuses_signature_over_different_bytes) {
    cert_spec c = good();
    c.sign_other_bytes = true;
    refused_spec<certificate_mismatch_exception>(c, {"signature does not verify with the public key of CertificateChain block 1"});
}

BOOST_AUTO_TEST_CASE(refuses_a_certificate_for_another_key) {
    cert_spec c = good();
    c.spki = ee_key().spki_der();
    refused_spec<certificate_mismatch_exception>(c, {"key"});
}

BOOST_AUTO_TEST_CASE(refuses_hostile_chains) {
    const bytes cert = good().pem();
    expect_refused<invalid_request_exception>([&] { import(cert, std::nullopt); }, {"CertificateChain"});
    expect_refused<malformed_certificate_exception>([&] { import(cert, to_bytes("garbage")); }, {"CertificateChain"});
    expect_refused<malformed_certificate_exception>([&] { import(cert, cert_spec{good()}.der()); }, {"CertificateChain"});
    bytes six;
    const bytes one = root_pem();
    for (int i = 0; i < 5; ++i) six.insert(six.end(), one.begin(), one.end());
    expect_refused<invalid_request_exception>([&] { import(cert, six); }, {"CertificateChain"});
    bytes truncated = root_pem();
    truncated.resize(truncated.size() / 2);
    expect_refused<malformed_certificate_exception>([&] { import(cert, truncated); }, {"CertificateChain"});
    // The chain's root replaced by a certificate with the same name but another key.
    const test_ca impostor = make_root(key_algorithm::ec_secp384r1, signing_algorithm::sha384_with_ecdsa, "Hostile Import Root");
    expect_refused<certificate_mismatch_exception>([&] { import(cert, to_bytes(impostor.certificate->pem())); },
                                                   {"signature does not verify with the public key of CertificateChain block 1"});
}

BOOST_AUTO_TEST_CASE(refuses_non_ca_certificates) {
    cert_spec not_ca = good();
    not_ca.extensions = {extension_der(der::oids::basic_constraints, true, bytes{0x30, 0x00}), ca_key_usage()};
    refused_spec(not_ca, {"BasicConstraints"});
    cert_spec no_bc = good();
    no_bc.extensions = {ca_key_usage()};
    refused_spec(no_bc, {"BasicConstraints"});
    cert_spec no_extensions = good();
    no_extensions.extensions.clear();
    refused_spec(no_extensions, {"BasicConstraints"});
}

BOOST_AUTO_TEST_SUITE_END()
