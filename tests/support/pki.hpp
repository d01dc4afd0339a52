// Test support: building small hierarchies with pca's own policy layer, and OpenSSL-made CSRs.
#pragma once

#include <string>

#include "pca/crypto/drbg.hpp"
#include "pca/crypto/key.hpp"
#include "pca/policy/ca_csr.hpp"
#include "pca/policy/csr_intake.hpp"
#include "pca/policy/issuance.hpp"
#include "pca/policy/templates.hpp"
#include "pca/types/shapes.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/certificate.hpp"
#include "support/keys.hpp"
#include "support/tools.hpp"

namespace pca::test {

inline std::string template_arn(const std::string& name) { return "arn:aws:acm-pca:::template/" + name + "/V1"; }

inline crypto::ctr_drbg& test_rng() {
    static crypto::ctr_drbg rng("pca-tests");
    return rng;
}

/// A CA made with the policy layer: key, configuration, certificate.
struct test_ca {
    key_algorithm alg = key_algorithm::ec_prime256v1;
    const crypto::private_key* key = nullptr;
    certificate_authority_configuration config;
    std::optional<x509::certificate> certificate;
    std::size_t chain_length = 1;

    policy::issuer_context context() const {
        policy::issuer_context c;
        c.type = chain_length == 1 ? certificate_authority_type::root : certificate_authority_type::subordinate;
        c.key_algorithm = alg;
        c.public_key_info_der = key->spki_der();
        c.subject_der = certificate->subject().der();
        c.certificate = &*certificate;
        c.chain_length = chain_length;
        c.ca_id = "11111111-2222-3333-4444-555555555555";
        c.region = "us-east-1";
        return c;
    }
};

inline asn1_subject subject_cn(const std::string& cn) {
    asn1_subject s;
    s.country = "US";
    s.organization = "pca tests";
    s.common_name = cn;
    return s;
}

inline validity days(std::int64_t n) { return {n, validity_period_type::days}; }

/// Issues `csr_der` from `ca` (or self-signs when ca_context has no certificate) with a template.
inline x509::certificate issue(const policy::issuer_context& ca, const crypto::private_key& ca_key, byte_view csr_der,
                               signing_algorithm alg, const std::string& template_name, validity v,
                               std::optional<api_passthrough> passthrough = std::nullopt,
                               sys_seconds now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())) {
    const x509::csr request = policy::accept_csr(csr_der);
    policy::issuance_request req;
    req.csr = &request;
    req.signing_algorithm = alg;
    req.tmpl = &policy::find_template(template_arn(template_name));
    req.validity = v;
    req.passthrough = std::move(passthrough);
    req.issued_at = now;
    const auto tbs = policy::prepare_certificate(ca, req, policy::new_serial(test_rng()));
    return x509::certificate::parse(x509::sign_certificate(tbs, ca_key, test_rng()));
}

/// A root CA with a self-signed certificate issued by RootCACertificate/V1.
inline test_ca make_root(key_algorithm alg, signing_algorithm sig, const std::string& cn, std::int64_t validity_days = 3650) {
    test_ca ca;
    ca.alg = alg;
    ca.key = &fixture_key(alg);
    ca.config.key_algorithm = alg;
    ca.config.signing_algorithm = sig;
    ca.config.subject = subject_cn(cn);
    const bytes csr = policy::make_ca_csr(ca.config, *ca.key, test_rng());
    policy::issuer_context ctx;
    ctx.type = certificate_authority_type::root;
    ctx.key_algorithm = alg;
    ctx.public_key_info_der = ca.key->spki_der();
    ctx.chain_length = 0;
    ca.certificate = issue(ctx, *ca.key, csr, sig, "RootCACertificate", days(validity_days));
    return ca;
}

/// A CSR made by the openssl CLI for an end-entity fixture key ("ee-p256" or "ee-rsa2048").
inline bytes openssl_csr(const std::string& key_name, const std::string& subj, const std::string& addext = "") {
    temp_dir dir;
    std::string cmd = "openssl req -new -key " + sh_quote(key_fixture_path(key_name)) + " -subj " + sh_quote(subj) +
                      " -outform DER -out " + sh_quote(dir.file("r.der"));
    if (!addext.empty()) cmd += " " + addext;
    const auto r = run(cmd);
    if (r.exit_code != 0) throw std::runtime_error("openssl req failed: " + r.output);
    return read_file(dir.file("r.der"));
}

}  // namespace pca::test
