// Test support: a service over a memory store, memory buckets and a manual clock, with
// helpers that walk a CA through its lifecycle the way a user of the API would.
#pragma once

#include <memory>
#include <string>

#include "pca/service/service.hpp"
#include "pca/storage/memory_store.hpp"
#include "pca/storage/object_store.hpp"
#include "support/pki.hpp"
#include "support/tools.hpp"

namespace pca::test {

inline constexpr const char* owner_account = "123456789012";
inline constexpr const char* other_account = "210987654321";

struct service_fixture {
    storage::memory_store store;
    storage::memory_object_store buckets;
    manual_clock clock{from_unix(1767225600)};  // 2026-01-01T00:00:00Z
    service svc{store, buckets, clock, service_options{}};

    caller owner() const { return {owner_account, std::nullopt}; }
    caller other() const { return {other_account, std::nullopt}; }
    sys_seconds now() const { return clock.now_seconds(); }

    static create_certificate_authority_request ca_request(certificate_authority_type type, const std::string& cn,
                                                           key_algorithm k = key_algorithm::ec_prime256v1,
                                                           signing_algorithm s = signing_algorithm::sha256_with_ecdsa) {
        create_certificate_authority_request r;
        r.certificate_authority_type = type;
        r.certificate_authority_configuration.key_algorithm = k;
        r.certificate_authority_configuration.signing_algorithm = s;
        r.certificate_authority_configuration.subject = subject_cn(cn);
        return r;
    }

    static revocation_configuration crl_config(const std::string& bucket = "pca-crls") {
        revocation_configuration rc;
        crl_configuration c;
        c.enabled = true;
        c.expiration_in_days = 7;
        c.s3_bucket_name = bucket;
        rc.crl_configuration = c;
        return rc;
    }

    /// Creates a root CA, self-signs its CSR with RootCACertificate/V1 and imports it.
    std::string make_active_root(const std::string& cn = "Test Root", std::optional<revocation_configuration> rc = std::nullopt,
                                 key_algorithm k = key_algorithm::ec_prime256v1,
                                 signing_algorithm s = signing_algorithm::sha256_with_ecdsa) {
        auto req = ca_request(certificate_authority_type::root, cn, k, s);
        req.revocation_configuration = std::move(rc);
        const std::string arn = svc.create_certificate_authority(req).certificate_authority_arn;
        const auto csr = svc.get_certificate_authority_csr({arn}).csr;
        issue_certificate_request ir;
        ir.certificate_authority_arn = arn;
        ir.csr = bytes(csr.begin(), csr.end());
        ir.signing_algorithm = s;
        ir.template_arn = template_arn("RootCACertificate");
        ir.validity = {10, validity_period_type::years};
        const auto cert_arn = svc.issue_certificate(ir).certificate_arn;
        const auto cert = svc.get_certificate({arn, cert_arn}).certificate;
        import_certificate_authority_certificate_request imp;
        imp.certificate_authority_arn = arn;
        imp.certificate = bytes(cert.begin(), cert.end());
        svc.import_certificate_authority_certificate(imp);
        return arn;
    }

    /// Creates a subordinate CA and has `parent` sign it with SubordinateCACertificate_PathLen<n>.
    std::string make_active_subordinate(const std::string& parent, const std::string& cn, int path_len = 0,
                                        std::optional<revocation_configuration> rc = std::nullopt) {
        auto req = ca_request(certificate_authority_type::subordinate, cn);
        req.revocation_configuration = std::move(rc);
        const std::string arn = svc.create_certificate_authority(req).certificate_authority_arn;
        const auto csr = svc.get_certificate_authority_csr({arn}).csr;
        issue_certificate_request ir;
        ir.certificate_authority_arn = parent;
        ir.csr = bytes(csr.begin(), csr.end());
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.template_arn = template_arn("SubordinateCACertificate_PathLen" + std::to_string(path_len));
        ir.validity = {5, validity_period_type::years};
        const auto cert_arn = svc.issue_certificate(ir).certificate_arn;
        const auto got = svc.get_certificate({parent, cert_arn});
        import_certificate_authority_certificate_request imp;
        imp.certificate_authority_arn = arn;
        imp.certificate = bytes(got.certificate.begin(), got.certificate.end());
        const std::string chain = got.certificate_chain.value_or("");
        imp.certificate_chain = bytes(chain.begin(), chain.end());
        svc.import_certificate_authority_certificate(imp);
        return arn;
    }

    /// Issues an end-entity certificate from an OpenSSL CSR.
    std::string issue_end_entity(const std::string& ca, const std::string& cn = "ee.example.com",
                                 std::optional<std::string> token = std::nullopt) {
        static const bytes csr = openssl_csr("ee-p256", "/CN=ee.example.com", "-addext subjectAltName=DNS:ee.example.com");
        issue_certificate_request ir;
        ir.certificate_authority_arn = ca;
        ir.csr = csr;
        (void)cn;
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.validity = {30, validity_period_type::days};
        ir.idempotency_token = std::move(token);
        return svc.issue_certificate(ir).certificate_arn;
    }
};

/// Runs f and returns the error code it threw (or fails the test if it threw nothing).
template <class F>
errc error_of(F&& f) {
    try {
        f();
    } catch (const pca::error& e) {
        return e.code();
    }
    throw std::runtime_error("expected a pca::error, none was thrown");
}

}  // namespace pca::test
