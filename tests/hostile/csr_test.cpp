// Hostile CSRs given to IssueCertificate through the service facade. Every request is built
// field by field (tests/hostile/hostile.hpp) and properly signed, so the one broken field is
// the only reason for the refusal; a few come from the openssl CLI (weak keys, other curves).
// Each case is one row of the "Bad-input table" in docs/security.md: the service must answer
// MalformedCSRException (the model's error for the CSR) with a message naming the defect,
// never crash, hang or throw an unnamed exception.
#include <boost/test/unit_test.hpp>

#include <string>

#include "hostile/hostile.hpp"

namespace {
using namespace pca;
using namespace pca::test;
using namespace pca::test::hostile;

struct csr_fixture : service_fixture {
    std::string ca = make_active_root("Hostile CSR Root");

    std::string issue(const bytes& csr, std::optional<std::string> tmpl = std::nullopt) {
        issue_certificate_request ir;
        ir.certificate_authority_arn = ca;
        ir.csr = csr;
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.validity = {30, validity_period_type::days};
        ir.template_arn = std::move(tmpl);
        return svc.issue_certificate(ir).certificate_arn;
    }
    void refused(const bytes& csr, const std::vector<std::string>& fragments) {
        expect_refused<malformed_csr_exception>([&] { issue(csr); }, fragments);
    }
    /// The issued certificate as `openssl x509 -text` prints it.
    std::string openssl_text(const std::string& cert_arn) {
        const auto pem = svc.get_certificate({ca, cert_arn}).certificate;
        temp_dir dir;
        write_file(dir.file("c.pem"), byte_view(pem));
        const auto r = run("openssl x509 -noout -text -in " + sh_quote(dir.file("c.pem")));
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
        return r.output;
    }
};

bytes with_byte(bytes b, std::size_t at, std::uint8_t v) {
    b.at(at) = v;
    return b;
}
}  // namespace

BOOST_FIXTURE_TEST_SUITE(hostile_csr, csr_fixture)

BOOST_AUTO_TEST_CASE(baseline_hand_built_request_is_accepted) {
    // The request every other case breaks in one place is itself fine, PEM and DER.
    csr_spec spec;
    spec.extensions = {san_dns("hostile.example.com")};
    const std::string text = openssl_text(issue(spec.pem()));
    BOOST_TEST(contains(text, "CN = hostile.example.com"));
    BOOST_TEST(contains(text, "DNS:hostile.example.com"));
    BOOST_TEST(!issue(spec.der()).empty());
}

BOOST_AUTO_TEST_CASE(refuses_empty_request) { refused({}, {"CSR is empty"}); }

BOOST_AUTO_TEST_CASE(refuses_oversized_request) {
    // 40 KB: a valid request padded with a huge subject, over the CsrBlob limit of 32768.
    csr_spec spec;
    spec.subject = cn_name(std::string(40000, 'a'));
    refused(spec.der(), {"the limit is 32768"});
    refused(bytes(32769, 'A'), {"32769 bytes", "the limit is 32768"});
}

BOOST_AUTO_TEST_CASE(refuses_truncated_request) {
    const bytes der = csr_spec{}.der();
    for (std::size_t keep : {std::size_t{1}, std::size_t{2}, std::size_t{40}, der.size() / 2, der.size() - 1}) {
        BOOST_TEST_CONTEXT("kept " << keep << " of " << der.size() << " bytes") {
            refused(bytes(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(keep)), {"not a valid PKCS#10 request"});
        }
    }
    // Truncated PEM: the END line is missing.
    std::string pem = der::pem_encode("CERTIFICATE REQUEST", der);
    pem.resize(pem.find("-----END"));
    refused(to_bytes(pem), {"not a valid PKCS#10 request"});
}

BOOST_AUTO_TEST_CASE(refuses_trailing_bytes_after_the_request) {
    bytes der = csr_spec{}.der();
    der.push_back(0x00);
    der.push_back(0x00);
    refused(der, {"unexpected data after CertificationRequest"});
}

BOOST_AUTO_TEST_CASE(refuses_huge_length_fields) {
    const bytes der = csr_spec{}.der();
    // A four-octet length claiming 2 GB, and a five-octet length field.
    bytes huge = {0x30, 0x84, 0x7f, 0xff, 0xff, 0xff};
    huge.insert(huge.end(), der.begin() + 4, der.end());
    refused(huge, {"runs past the end"});
    bytes five = {0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00};
    five.insert(five.end(), der.begin() + 4, der.end());
    refused(five, {"length field too large"});
}

BOOST_AUTO_TEST_CASE(refuses_non_minimal_der) {
    csr_spec spec;
    // Version INTEGER 0 written in two octets.
    spec.version = {0x02, 0x02, 0x00, 0x00};
    refused(spec.der(), {"not a valid PKCS#10 request", "INTEGER"});
    // The subject's length in long form although it is < 128.
    csr_spec long_form;
    const bytes name = cn_name("x");
    long_form.subject = {0x30, 0x81, name[1]};
    long_form.subject.insert(long_form.subject.end(), name.begin() + 2, name.end());
    refused(long_form.der(), {"non-minimal length encoding"});
    // Indefinite length (BER, not DER) for the outer SEQUENCE.
    bytes der = csr_spec{}.der();
    bytes indefinite = {0x30, 0x80};
    indefinite.insert(indefinite.end(), der.begin() + 4, der.end());
    indefinite.push_back(0);
    indefinite.push_back(0);
    refused(indefinite, {"indefinite length is not DER"});
}

BOOST_AUTO_TEST_CASE(refuses_versions_other_than_v1) {
    csr_spec spec;
    spec.version = {0x02, 0x01, 0x01};
    refused(spec.der(), {"CSR version must be v1 (0)"});
    spec.version = {0x02, 0x01, 0xff};  // -1
    refused(spec.der(), {"CSR version must be v1 (0)"});
}

BOOST_AUTO_TEST_CASE(refuses_deep_nesting) {
    // 5000 nested SEQUENCEs as the SubjectAltName value, and as a name attribute's value.
    csr_spec spec;
    spec.extensions = {extension_der(der::oids::subject_alt_name, false, nest(5000, {0x05, 0x00}))};
    refused(spec.der(), {"CSR extension request is malformed"});
    csr_spec deep_name;
    der::writer w;
    w.sequence([&](der::writer& n) {
        n.set([&](der::writer& s) {
            s.sequence([&](der::writer& atv) {
                atv.oid(der::oids::common_name);
                atv.raw(nest(5000, {0x05, 0x00}));
            });
        });
    });
    deep_name.subject = w.take();
    refused(deep_name.der(), {"AttributeValue: nesting deeper than 24"});
    // The whole request nested in 3000 SEQUENCEs.
    refused(nest(3000, csr_spec{}.der()), {"not a valid PKCS#10 request"});
}

BOOST_AUTO_TEST_CASE(refuses_signature_over_different_bytes) {
    csr_spec spec;
    spec.sign_other_bytes = true;
    refused(spec.der(), {"CSR signature does not verify"});
    // A valid signature of another key.
    csr_spec other;
    other.spki = ee_key("ee-rsa2048").spki_der();
    refused(other.der(), {"does not match its key type"});
    csr_spec other_ec;
    other_ec.spki = fixture_key(key_algorithm::ec_prime256v1).spki_der();
    refused(other_ec.der(), {"CSR signature does not verify"});
}

BOOST_AUTO_TEST_CASE(refuses_mismatched_signature_algorithm) {
    // An RSA AlgorithmIdentifier on an ECDSA-signed request with an EC key.
    csr_spec rsa_on_ec;
    rsa_on_ec.algorithm_identifier = crypto::algorithm_identifier_der(signing_algorithm::sha256_with_rsa);
    refused(rsa_on_ec.der(), {"sha256WithRSAEncryption", "does not match its key type"});
    // ecdsa-with-SHA384 claimed, SHA-256 used.
    csr_spec other_hash;
    other_hash.algorithm_identifier = crypto::algorithm_identifier_der(signing_algorithm::sha384_with_ecdsa);
    refused(other_hash.der(), {"CSR signature does not verify"});
    // An unknown signature algorithm OID.
    csr_spec unknown;
    der::writer w;
    w.sequence([](der::writer& a) { a.oid(der::oid::constant("1.2.3.4.5")); });
    unknown.algorithm_identifier = w.take();
    refused(unknown.der(), {"unsupported signature algorithm 1.2.3.4.5"});
    // SHA-1 with RSA.
    csr_spec sha1;
    sha1.key = &ee_key("ee-rsa2048");
    sha1.sign_with = signing_algorithm::sha256_with_rsa;
    sha1.algorithm_identifier = wrap(der::tag::sequence, cat({tlv(der::tag::oid, der::oids::sha1_with_rsa_encryption.der_content()),
                                                              bytes{0x05, 0x00}}));
    refused(sha1.der(), {"SHA-1"});
}

BOOST_AUTO_TEST_CASE(refuses_no_subject_and_no_san) {
    csr_spec spec;
    spec.subject = {0x30, 0x00};
    refused(spec.der(), {"neither a subject name nor a SubjectAltName"});
    // An empty subject with a SAN is fine.
    spec.extensions = {san_dns("only-san.example.com")};
    BOOST_TEST(contains(openssl_text(issue(spec.der())), "DNS:only-san.example.com"));
}

BOOST_AUTO_TEST_CASE(refuses_invalid_utf8_in_names) {
    const std::pair<const char*, std::string> bad[] = {
        {"truncated sequence", "abc\xc3"},
        {"bad continuation", "\xc3\x28"},
        {"overlong slash", "\xc0\xaf"},
        {"surrogate", "\xed\xa0\x80"},
        {"past U+10FFFF", "\xf4\x90\x80\x80"},
    };
    for (const auto& [what, value] : bad) {
        BOOST_TEST_CONTEXT(what) {
            csr_spec spec;
            spec.subject = cn_name(value);
            refused(spec.der(), {"invalid UTF-8"});
        }
    }
    // In a SAN dNSName (an IA5String): bytes above 0x7f.
    csr_spec san;
    san.extensions = {san_dns("caf\xc3\xa9.example.com")};
    refused(san.der(), {"CSR extension request is malformed"});
}

BOOST_AUTO_TEST_CASE(refuses_wrong_string_types) {
    // PrintableString with characters outside its alphabet; IA5String with 8-bit bytes;
    // BMPString of odd length; a CommonName that is an INTEGER.
    csr_spec printable;
    printable.subject = name_der({{der::oids::common_name, der::tag::printable_string, "a@b_c"}});
    refused(printable.der(), {"character not allowed in PrintableString"});
    csr_spec ia5;
    ia5.subject = name_der({{der::oids::common_name, der::tag::ia5_string, "caf\xe9"}});
    refused(ia5.der(), {"IA5String"});
    csr_spec bmp;
    bmp.subject = name_der({{der::oids::common_name, der::tag::bmp_string, std::string("\x00" "a" "\x00", 3)}});
    refused(bmp.der(), {"BMPString"});
    csr_spec integer;
    integer.subject = name_der({{der::oids::common_name, der::tag::integer, std::string("\x01", 1)}});
    refused(integer.der(), {"subject attribute 2.5.4.3 is INTEGER, not a string type"});
}

BOOST_AUTO_TEST_CASE(refuses_zero_length_names) {
    csr_spec spec;
    spec.subject = cn_name("");
    refused(spec.der(), {"subject attribute 2.5.4.3 is empty"});
    csr_spec empty_rdn;
    empty_rdn.subject = {0x30, 0x02, 0x31, 0x00};
    refused(empty_rdn.der(), {"RelativeDistinguishedName is empty"});
    csr_spec empty_dns;
    empty_dns.subject = {0x30, 0x00};
    empty_dns.extensions = {san_dns("")};
    refused(empty_dns.der(), {"SubjectAltName has an empty name"});
}

BOOST_AUTO_TEST_CASE(refuses_duplicate_extensions_and_attributes) {
    csr_spec spec;
    spec.extensions = {san_dns("a.example.com"), san_dns("b.example.com")};
    refused(spec.der(), {"duplicate extension 2.5.29.17"});
    // Two extensionRequest attributes.
    csr_spec twice;
    twice.extensions = {san_dns("a.example.com")};
    const bytes info = twice.info();
    der::reader r(info);
    der::reader i = r.sequence("info");
    (void)i.read_any();
    (void)i.read_any();
    (void)i.read_any();
    der::reader attrs = i.enter(der::tag::context_constructed(0), "attributes");
    const bytes attr = attrs.read_any().encoded.to_bytes();
    twice.extra_attributes = {attr};
    refused(twice.der(), {"duplicate CSR attribute 1.2.840.113549.1.9.14"});
}

BOOST_AUTO_TEST_CASE(refuses_explicit_default_and_non_der_booleans) {
    // critical FALSE written out (DER omits defaults) and BOOLEAN 0x01 instead of 0xFF.
    csr_spec spec;
    der::writer w;
    w.sequence([](der::writer& e) {
        e.oid(der::oids::subject_alt_name);
        e.boolean(false);
        e.octet_string(bytes{0x30, 0x03, 0x82, 0x01, 0x61});
    });
    spec.extensions = {w.take()};
    refused(spec.der(), {"critical FALSE must be omitted"});
    csr_spec one;
    bytes ext = extension_der(der::oids::subject_alt_name, true, bytes{0x30, 0x03, 0x82, 0x01, 0x61});
    const bytes true_tlv = {0x01, 0x01, 0xff};
    const auto at = static_cast<std::size_t>(std::search(ext.begin(), ext.end(), true_tlv.begin(), true_tlv.end()) - ext.begin());
    one.extensions = {with_byte(ext, at + 2, 0x01)};
    refused(one.der(), {"BOOLEAN must be 00 or FF"});
}

BOOST_AUTO_TEST_CASE(refuses_malformed_known_extensions) {
    csr_spec spec;
    spec.extensions = {extension_der(der::oids::basic_constraints, true, bytes{0x30, 0x03, 0x01, 0x01})};
    refused(spec.der(), {"CSR extension request is malformed"});
    csr_spec ku;
    ku.extensions = {extension_der(der::oids::key_usage, true, bytes{0x03, 0x02, 0x09, 0x80})};
    refused(ku.der(), {"CSR extension request is malformed"});
}

BOOST_AUTO_TEST_CASE(unknown_critical_extension_is_never_copied_blindly) {
    // A critical extension pca does not know: a CSRPassthrough template would pass it on to
    // relying parties that must then reject the certificate, so the request is refused
    // (MalformedCSR); a template that takes no CSR extensions leaves it out of the certificate.
    const auto unknown = der::oid::constant("1.3.6.1.4.1.55555.1");
    csr_spec spec;
    spec.extensions = {san_dns("x.example.com"), extension_der(unknown, true, bytes{0x05, 0x00})};
    const std::string passthrough = pca::test::template_arn("BlankEndEntityCertificate_CSRPassthrough");
    expect_refused<malformed_csr_exception>([&] { issue(spec.der(), passthrough); },
                                            {"extension 1.3.6.1.4.1.55555.1 marked critical", "will not copy"});
    BOOST_TEST(!contains(openssl_text(issue(spec.der())), "1.3.6.1.4.1.55555.1"));
    // Non-critical unknown extensions pass through a CSRPassthrough template.
    csr_spec ok;
    ok.extensions = {san_dns("x.example.com"), extension_der(unknown, false, bytes{0x05, 0x00})};
    BOOST_TEST(contains(openssl_text(issue(ok.der(), passthrough)), "1.3.6.1.4.1.55555.1"));
}

BOOST_AUTO_TEST_CASE(refuses_unusable_and_weak_keys) {
    // An EC point that is not on the curve.
    csr_spec junk;
    bytes spki = ee_key().spki_der();
    spki[spki.size() - 1] ^= 0x55;
    spki[spki.size() - 2] ^= 0x55;
    junk.spki = spki;
    refused(junk.der(), {"CSR public key is not usable"});
    // RSA-1024 and secp256k1 requests made by openssl.
    if (!have_tool("openssl")) return;
    temp_dir dir;
    const auto r1 = run("openssl req -new -newkey rsa:1024 -nodes -keyout " + sh_quote(dir.file("k1")) +
                        " -subj /CN=weak -outform DER -out " + sh_quote(dir.file("r1.der")));
    BOOST_REQUIRE_MESSAGE(r1.exit_code == 0, r1.output);
    refused(read_file(dir.file("r1.der")), {"1024 bits"});
    const auto r2 = run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:secp256k1 -nodes -keyout " +
                        sh_quote(dir.file("k2")) + " -subj /CN=k1 -outform DER -out " + sh_quote(dir.file("r2.der")));
    BOOST_REQUIRE_MESSAGE(r2.exit_code == 0, r2.output);
    refused(read_file(dir.file("r2.der")), {"not on P-256, P-384 or P-521"});
}

BOOST_AUTO_TEST_CASE(refuses_bad_pem_wrapping) {
    const std::string pem = der::pem_encode("CERTIFICATE REQUEST", csr_spec{}.der());
    std::string wrong_label = pem;
    for (auto pos = wrong_label.find("CERTIFICATE REQUEST"); pos != std::string::npos;
         pos = wrong_label.find("CERTIFICATE REQUEST", pos + 1))
        wrong_label.replace(pos, 19, "X509 CRL           ");
    refused(to_bytes(wrong_label), {"not a valid PKCS#10 request"});
    refused(to_bytes(pem + pem), {"more than one PEM block"});
    std::string bad_base64 = pem;
    bad_base64[pem.find('\n') + 5] = '*';
    refused(to_bytes(bad_base64), {"not a valid PKCS#10 request"});
    refused(to_bytes("hello, I am not a CSR"), {"no PEM block found"});
}

BOOST_AUTO_TEST_CASE(refuses_too_many_attributes_and_name_parts) {
    csr_spec attrs;
    for (int i = 0; i < 65; ++i) {
        der::writer w;
        w.sequence([&](der::writer& a) {
            a.oid(der::oid::constant("1.3.6.1.4.1.55555.2." + std::to_string(i)));
            a.set([](der::writer& s) { s.null(); });
        });
        attrs.extra_attributes.push_back(w.take());
    }
    refused(attrs.der(), {"too many CSR attributes"});
    csr_spec names;
    std::vector<name_part> parts(257, name_part{der::oids::organizational_unit_name, der::tag::utf8_string, "ou"});
    names.subject = name_der(parts);
    refused(names.der(), {"more than 256 attributes"});
}

BOOST_AUTO_TEST_SUITE_END()
