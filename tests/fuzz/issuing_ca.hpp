// tests/fuzz/issuing_ca.hpp - the CA the issuing fuzz targets (csr, passthrough) sign with, and
// the checks every certificate it signs must pass.
#pragma once

#include <mbedtls/x509_crt.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_common.hpp"
#include "pca/core/error.hpp"
#include "pca/policy/issuance.hpp"
#include "pca/policy/templates.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/crl.hpp"
#include "pca/x509/csr.hpp"
#include "support/pki.hpp"

namespace pca::fuzz {

struct fixture {
    test::test_ca ca = test::make_root(key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "pca fuzz root");
    policy::issuer_context context;
    crypto::private_key ee_key = crypto::private_key::from_pkcs8_der(
        der::pem_decode_one(test::read_text(test::key_fixture_path("ee-p256")), "PRIVATE KEY"));
    sys_seconds now{};  ///< the issuance time: a day after the CA certificate's notBefore

    fixture() {
        now = ca.certificate->not_before() + std::chrono::hours(24);
        context = ca.context();
        revocation_configuration rc;
        crl_configuration crl;
        crl.enabled = true;
        crl.s3_bucket_name = "pca-fuzz-crl";
        rc.crl_configuration = crl;
        ocsp_configuration ocsp;
        ocsp.enabled = true;
        rc.ocsp_configuration = ocsp;
        context.revocation = rc;
    }
};

inline const fixture& the_fixture() {
    static const fixture f;
    return f;
}

inline int accept_unknown_extension(void*, const mbedtls_x509_crt*, const mbedtls_x509_buf*, int, const unsigned char*,
                             const unsigned char*) {
    return 0;  // extensions mbedTLS 2.28 does not parse (NameConstraints, custom OIDs, ...)
}

inline int mbedtls_parse(const bytes& der) {
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    const int rc = mbedtls_x509_crt_parse_der_with_ext_cb(&crt, der.data(), der.size(), 1, &accept_unknown_extension, nullptr);
    mbedtls_x509_crt_free(&crt);
    return rc;
}

/// mbedTLS 2.28 reads AttributeValues of these tags only (x509.c, x509_get_attr_type_value).
inline bool mbedtls_reads_name(const x509::name& n) {
    for (const auto& rdn : n.rdns())
        for (const auto& a : rdn)
            switch (a.value_tag) {
                case der::tag::bmp_string:
                case der::tag::utf8_string:
                case der::tag::t61_string:
                case der::tag::printable_string:
                case der::tag::ia5_string:
                case der::tag::universal_string:
                case der::tag::bit_string: break;
                default: return false;
            }
    return true;
}

/// Extensions pca writes or interprets; anything else in an issued certificate was copied
/// verbatim from the CSR (CSR passthrough) or from ApiPassthrough CustomExtensions.
inline bool pca_interprets(const der::oid& id) {
    namespace x = x509;
    return id == x::basic_constraints::id || id == x::key_usage::id || id == x::extended_key_usage::id ||
           id == x::subject_key_identifier::id || id == x::authority_key_identifier::id || id == x::subject_alt_name::id ||
           id == x::certificate_policies::id || id == x::crl_distribution_points::id || id == x::authority_info_access::id;
}

/// mbedTLS must read what pca issues, with two documented exceptions that are mbedTLS 2.28's
/// limits or the requester's content, not pca's: a subject with AttributeValues of a type
/// mbedTLS does not read (INVALID_NAME), and extensions copied verbatim that mbedTLS knows
/// and judges (Netscape cert type, ...). For the latter, the same certificate without the
/// copied extensions must parse.
inline void check_with_mbedtls(const bytes& der, const x509::tbs_certificate& tbs, const x509::certificate& cert) {
    const int rc = mbedtls_parse(der);
    if (rc == 0) return;
    auto code = [](int r) {
        char b[16];
        std::snprintf(b, sizeof b, "-0x%04x", static_cast<unsigned>(-r));
        return std::string(b);
    };
    if (rc == MBEDTLS_ERR_X509_INVALID_NAME + MBEDTLS_ERR_ASN1_UNEXPECTED_TAG && !mbedtls_reads_name(cert.subject())) return;
    x509::tbs_certificate own = tbs;
    own.extensions.clear();
    for (const auto& e : tbs.extensions)
        if (pca_interprets(e.id)) own.extensions.push_back(e);
    PCA_FUZZ_CHECK(own.extensions.size() != tbs.extensions.size(),
                   "mbedTLS refuses an issued certificate (" + code(rc) + "): " + hex(der, 4096));
    const bytes again = x509::sign_certificate(own, *the_fixture().ca.key, test::test_rng());
    const int rc2 = mbedtls_parse(again);
    PCA_FUZZ_CHECK(rc2 == 0 || (rc2 == MBEDTLS_ERR_X509_INVALID_NAME + MBEDTLS_ERR_ASN1_UNEXPECTED_TAG && !mbedtls_reads_name(cert.subject())),
                   "mbedTLS refuses an issued certificate without its copied extensions (" + code(rc2) + "): " + hex(again, 4096));
}

#ifdef PCA_FUZZ_REPLAY
inline void check_with_openssl(const bytes& der) {
    if (!std::getenv("PCA_FUZZ_OPENSSL")) return;
    test::temp_dir dir;
    test::write_file(dir.file("c.der"), der);
    const auto r = test::run("openssl x509 -inform DER -noout -text -in " + test::sh_quote(dir.file("c.der")));
    PCA_FUZZ_CHECK(r.exit_code == 0, "openssl x509 refuses an issued certificate: " + r.output);
}
#endif

template <class Ext>
void must_decode(const x509::certificate& c) {
    if (const x509::extension* e = c.find_extension(Ext::id)) {
        try {
            (void)Ext::decode(e->value);
        } catch (const der::decode_error& err) {
            oracle_failed(__FILE__, __LINE__, "extension decodes", std::string("issued certificate carries an extension pca cannot decode: ") +
                                                                      err.what());
        }
    }
}

/// The checks on a certificate the fixture CA signed for `request` with template `t`:
/// pca's strict parser and mbedTLS (and openssl in the replay build) read it, it verifies
/// with the CA key, names the CA as issuer byte for byte, carries the CSR's key, a positive
/// serial of at most 20 octets, and every extension pca decodes decodes.
inline void check_issued(const bytes& der, const x509::tbs_certificate& tbs, const x509::csr& request,
                         const policy::certificate_template& t) {
    const fixture& f = the_fixture();
    x509::certificate cert = [&] {
        try {
            return x509::certificate::parse(der);
        } catch (const der::decode_error& e) {
            oracle_failed(__FILE__, __LINE__, "certificate::parse", "pca's strict parser refuses a certificate pca issued with " +
                                                                       t.name + ": " + e.what() + "; " + hex(der, 4096));
        }
    }();
    check_with_mbedtls(der, tbs, cert);
#ifdef PCA_FUZZ_REPLAY
    check_with_openssl(der);
#endif
    PCA_FUZZ_CHECK(cert.verify_signature(f.ca.key->public_key()), "issued certificate does not verify with the CA key");
    PCA_FUZZ_CHECK(cert.issuer().der() == f.ca.certificate->subject().der(), "issuer is not the CA's subject byte for byte");
    PCA_FUZZ_CHECK(cert.public_key_info().der == request.public_key_info().der, "issued key differs from the CSR's");
    PCA_FUZZ_CHECK(cert.serial_is_positive() && cert.serial().size() <= x509::max_serial_octets, "bad serial");
    PCA_FUZZ_CHECK(cert.version() == 3, "issued certificate is not v3");
    must_decode<x509::basic_constraints>(cert);
    must_decode<x509::key_usage>(cert);
    must_decode<x509::extended_key_usage>(cert);
    must_decode<x509::subject_alt_name>(cert);
    must_decode<x509::authority_key_identifier>(cert);
    must_decode<x509::subject_key_identifier>(cert);
    must_decode<x509::certificate_policies>(cert);
    must_decode<x509::crl_distribution_points>(cert);
    must_decode<x509::authority_info_access>(cert);
}

/// Applies template `t` (and `passthrough`) to `request`, signs, and checks the result. The
/// service's named refusals end the attempt quietly.
inline void issue_and_check(const x509::csr& request, const policy::certificate_template& t,
                            std::optional<api_passthrough> passthrough = std::nullopt) {
    const fixture& f = the_fixture();
    policy::issuance_request req;
    req.csr = &request;
    req.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
    req.tmpl = &t;
    req.validity = test::days(30);
    req.issued_at = f.now;
    req.passthrough = std::move(passthrough);
    bytes der;
    x509::tbs_certificate tbs;
    try {
        tbs = policy::prepare_certificate(f.context, req, policy::new_serial(test::test_rng()));
        der = x509::sign_certificate(tbs, *f.ca.key, test::test_rng());
    } catch (const pca::error&) {
        return;  // the service's named refusal (ValidationException, InvalidArgs, MalformedCSR, ...)
    }
    check_issued(der, tbs, request, t);
}

}  // namespace pca::fuzz
