// Shared by the Google Benchmark suite (bench/*_bench.cpp) and the user-facing tool
// examples/signing-throughput (pca-bench): the backend baseline measured with mbedTLS directly,
// test CSRs, and CAs set up through the service the way a user would.
//
// The backend limit of issuing one certificate from a CSR is one verification of the CSR's
// signature (the CSR key's algorithm) plus one signature with the CA key:
//     limit = 1 / (t_verify_csr + t_sign_ca)
// Both are measured here with mbedTLS called directly (no pca code in the timed part): a parsed
// mbedtls_pk_context, the message hashed with mbedtls_md(), then mbedtls_pk_sign /
// mbedtls_rsa_rsassa_*_sign / *_verify, with a CTR_DRBG of its own. Issuance benchmarks pair
// every issuance with one such sign + verify (timed apart), so that the ratio
//     issued certificates per second / limit = sum(t_sign + t_verify) / sum(t_issue)
// compares the two under the same machine conditions, whatever --benchmark_filter selects.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "pca/crypto/compat.hpp"
#include "pca/crypto/drbg.hpp"
#include "pca/crypto/key.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/der/pem.hpp"
#include "pca/service/service.hpp"
#include "pca/storage/memory_store.hpp"
#include "pca/storage/object_store.hpp"
#include "pca/storage/sqlite_store.hpp"
#include "pca/x509/api_shapes.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/csr.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/general_name.hpp"

namespace pca::bench {

using steady = std::chrono::steady_clock;

inline double seconds_between(steady::time_point a, steady::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// ---- algorithms -------------------------------------------------------------------------------

/// A CA key algorithm and one signing algorithm it can use.
struct algorithm_pair {
    key_algorithm key;
    signing_algorithm signing;
};

/// Every pair this build supports (mbedTLS 2.28: RSA 2048/3072/4096 with PKCS#1 v1.5 and PSS,
/// EC P-256/P-384/P-521 with ECDSA; SM2 and ML-DSA are not available).
inline std::vector<algorithm_pair> supported_pairs() {
    std::vector<algorithm_pair> out;
    for (auto k : enum_traits<key_algorithm>::values) {
        if (!crypto::is_supported(k)) continue;
        for (auto s : enum_traits<signing_algorithm>::values)
            if (crypto::is_supported(s) && crypto::compatible(k, s)) out.push_back({k, s});
    }
    return out;
}

inline std::string pair_name(const algorithm_pair& p) {
    return std::string(to_string(p.key)) + "/" + std::string(to_string(p.signing));
}

/// The signing algorithm a CSR made with a key of `k` uses here.
inline signing_algorithm csr_signing_algorithm(key_algorithm k) {
    switch (k) {
        case key_algorithm::ec_secp384r1: return signing_algorithm::sha384_with_ecdsa;
        case key_algorithm::ec_secp521r1: return signing_algorithm::sha512_with_ecdsa;
        case key_algorithm::rsa_2048:
        case key_algorithm::rsa_3072:
        case key_algorithm::rsa_4096: return signing_algorithm::sha256_with_rsa;
        default: return signing_algorithm::sha256_with_ecdsa;
    }
}

// ---- mbedTLS directly: the baseline -------------------------------------------------------------

/// mbedTLS entropy + CTR_DRBG, as a minimal C program would set them up.
class raw_drbg {
public:
    raw_drbg() {
        mbedtls_entropy_init(&m_entropy);
        mbedtls_ctr_drbg_init(&m_drbg);
        const char personalization[] = "pca-bench raw";
        if (mbedtls_ctr_drbg_seed(&m_drbg, &mbedtls_entropy_func, &m_entropy,
                                  reinterpret_cast<const unsigned char*>(personalization), sizeof personalization - 1) != 0)
            throw std::runtime_error("mbedtls_ctr_drbg_seed failed");
    }
    ~raw_drbg() {
        mbedtls_ctr_drbg_free(&m_drbg);
        mbedtls_entropy_free(&m_entropy);
    }
    raw_drbg(const raw_drbg&) = delete;
    raw_drbg& operator=(const raw_drbg&) = delete;
    static int callback(void* self, unsigned char* out, std::size_t n) {
        return mbedtls_ctr_drbg_random(&static_cast<raw_drbg*>(self)->m_drbg, out, n);
    }

private:
    mbedtls_entropy_context m_entropy;
    mbedtls_ctr_drbg_context m_drbg;
};

/// One mbedtls_pk_context (private key from PKCS#8/PKCS#1/SEC1 DER, or public key from a
/// SubjectPublicKeyInfo) and the two operations of the baseline.
class raw_key {
public:
    static std::unique_ptr<raw_key> private_key(byte_view der) {
        auto k = std::unique_ptr<raw_key>(new raw_key());
        raw_drbg drbg;
        if (crypto::compat::pk_parse_key(&k->m_ctx, der.data(), der.size(), &raw_drbg::callback, &drbg) != 0)
            throw std::runtime_error("mbedtls_pk_parse_key failed");
        return k;
    }
    static std::unique_ptr<raw_key> public_key(byte_view spki) {
        auto k = std::unique_ptr<raw_key>(new raw_key());
        if (mbedtls_pk_parse_public_key(&k->m_ctx, spki.data(), spki.size()) != 0)
            throw std::runtime_error("mbedtls_pk_parse_public_key failed");
        return k;
    }
    ~raw_key() { mbedtls_pk_free(&m_ctx); }
    raw_key(const raw_key&) = delete;
    raw_key& operator=(const raw_key&) = delete;

    /// Hashes `message` and signs the hash; returns the signature length.
    std::size_t sign(signing_algorithm alg, byte_view message, unsigned char* sig, raw_drbg& drbg) {
        const crypto::signature_scheme s = crypto::scheme_for(alg);
        const mbedtls_md_type_t md = crypto::detail::md_type(s.hash);
        const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md);
        unsigned char hash[MBEDTLS_MD_MAX_SIZE];
        const unsigned int hash_len = mbedtls_md_get_size(info);
        if (mbedtls_md(info, message.data(), message.size(), hash) != 0) throw std::runtime_error("mbedtls_md failed");
        std::size_t len = 0;
        int rc;
        if (s.family == crypto::key_family::ec) {
            rc = crypto::compat::pk_sign(&m_ctx, md, hash, hash_len, sig, MBEDTLS_PK_SIGNATURE_MAX_SIZE, &len,
                                         &raw_drbg::callback, &drbg);
        } else {
            mbedtls_rsa_context* rsa = mbedtls_pk_rsa(m_ctx);
            len = mbedtls_rsa_get_len(rsa);
            if (s.pss) {
                rc = crypto::compat::rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V21, md);
                if (rc == 0)
                    rc = crypto::compat::rsa_pss_sign(rsa, &raw_drbg::callback, &drbg, md, hash_len, hash,
                                                      static_cast<int>(hash_len), sig);
            } else {
                rc = crypto::compat::rsa_set_padding(rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_NONE);
                if (rc == 0) rc = crypto::compat::rsa_pkcs1_v15_sign(rsa, &raw_drbg::callback, &drbg, md, hash_len, hash, sig);
            }
        }
        if (rc != 0) throw std::runtime_error("mbedTLS signing failed: " + crypto::compat::error_text(rc));
        return len;
    }

    /// Hashes `message` and verifies `sig` over it.
    bool verify(signing_algorithm alg, byte_view message, byte_view sig) {
        const crypto::signature_scheme s = crypto::scheme_for(alg);
        const mbedtls_md_type_t md = crypto::detail::md_type(s.hash);
        const mbedtls_md_info_t* info = mbedtls_md_info_from_type(md);
        unsigned char hash[MBEDTLS_MD_MAX_SIZE];
        const unsigned int hash_len = mbedtls_md_get_size(info);
        if (mbedtls_md(info, message.data(), message.size(), hash) != 0) throw std::runtime_error("mbedtls_md failed");
        if (s.family == crypto::key_family::ec) return mbedtls_pk_verify(&m_ctx, md, hash, hash_len, sig.data(), sig.size()) == 0;
        mbedtls_rsa_context* rsa = mbedtls_pk_rsa(m_ctx);
        if (sig.size() != mbedtls_rsa_get_len(rsa)) return false;
        if (s.pss)
            return crypto::compat::rsa_pss_verify(rsa, md, hash_len, hash, md, static_cast<int>(hash_len), sig.data()) == 0;
        return crypto::compat::rsa_pkcs1_v15_verify(rsa, md, hash_len, hash, sig.data()) == 0;
    }

private:
    raw_key() { mbedtls_pk_init(&m_ctx); }
    mbedtls_pk_context m_ctx;
};

// ---- test CSRs ------------------------------------------------------------------------------------

/// An end-entity CSR (subject CN + O, SubjectAltName DNS), as PEM bytes for IssueCertificate.
struct csr_fixture {
    key_algorithm key;
    signing_algorithm algorithm;  ///< what the CSR is signed with
    bytes der;
    bytes pem;                    ///< what IssueCertificate takes
    bytes spki;                   ///< the CSR's SubjectPublicKeyInfo
    bytes info;                   ///< the signed CertificationRequestInfo
    bytes signature;
};

inline csr_fixture make_csr(const crypto::private_key& key, pca::rng& random) {
    const key_algorithm k = key.algorithm();
    asn1_subject subject;
    subject.common_name = "host.example.com";
    subject.organization = "Example Corp";
    x509::csr_request req;
    req.subject_der = x509::to_name(subject).der();
    req.extensions.push_back(
        x509::subject_alt_name{{x509::general_name::dns("host.example.com"), x509::general_name::dns("www.example.com")}}
            .to_extension(false));
    req.algorithm = csr_signing_algorithm(k);
    csr_fixture f;
    f.key = k;
    f.algorithm = req.algorithm;
    f.der = req.sign(key, random);
    const std::string pem = der::pem_encode("CERTIFICATE REQUEST", f.der);
    f.pem = bytes(pem.begin(), pem.end());
    const auto parsed = x509::csr::parse(f.der);
    f.spki = parsed.public_key_info().der;
    f.info = parsed.info_der().to_bytes();
    f.signature = parsed.signature();
    return f;
}

/// A CSR with a fresh key.
inline csr_fixture make_csr(key_algorithm k, pca::rng& random) { return make_csr(crypto::private_key::generate(k, random), random); }

// ---- the backend: one CA signature + one CSR verification, with mbedTLS -----------------------

/// Times one raw CA signature (over a TBSCertificate-sized message) and one raw verification of
/// the CSR's signature. Not thread-safe: one per thread.
class backend_probe {
public:
    backend_probe(byte_view ca_private_key_der, signing_algorithm ca_algorithm, const csr_fixture& csr)
        : m_ca(raw_key::private_key(ca_private_key_der)),
          m_csr_key(raw_key::public_key(csr.spki)),
          m_ca_algorithm(ca_algorithm),
          m_csr(csr),
          m_message(560, 0x5a) {}

    /// Seconds for one raw signature with the CA key.
    double sign_once() {
        const auto t0 = steady::now();
        const std::size_t n = m_ca->sign(m_ca_algorithm, m_message, m_sig, m_drbg);
        const auto t1 = steady::now();
        if (n == 0) throw std::runtime_error("empty signature");
        return seconds_between(t0, t1);
    }
    /// Seconds for one raw verification of the CSR's signature.
    double verify_once() {
        const auto t0 = steady::now();
        const bool ok = m_csr_key->verify(m_csr.algorithm, m_csr.info, m_csr.signature);
        const auto t1 = steady::now();
        if (!ok) throw std::runtime_error("the CSR signature did not verify with mbedTLS");
        return seconds_between(t0, t1);
    }
    /// Seconds for both: the backend's cost of one issuance.
    double once() { return sign_once() + verify_once(); }

    /// Signs, then verifies that signature with the same key (the raw verify benchmark).
    double verify_own_once() {
        const std::size_t n = m_ca->sign(m_ca_algorithm, m_message, m_sig, m_drbg);
        const auto t0 = steady::now();
        const bool ok = m_ca->verify(m_ca_algorithm, m_message, byte_view(m_sig, n));
        const auto t1 = steady::now();
        if (!ok) throw std::runtime_error("own signature did not verify");
        return seconds_between(t0, t1);
    }

private:
    std::unique_ptr<raw_key> m_ca;
    std::unique_ptr<raw_key> m_csr_key;
    signing_algorithm m_ca_algorithm;
    const csr_fixture& m_csr;
    bytes m_message;
    raw_drbg m_drbg;
    unsigned char m_sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
};

/// Times one 4 KiB write + fsync of a file in `directory`: the disk's share of one durable
/// commit (SQLite in WAL mode with synchronous=FULL syncs the WAL once per commit).
class fsync_probe {
public:
    explicit fsync_probe(const std::string& directory) : m_path(directory + "/fsync-probe") {
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (m_fd < 0) throw std::runtime_error("cannot create " + m_path);
    }
    ~fsync_probe() {
        ::close(m_fd);
        ::unlink(m_path.c_str());
    }
    fsync_probe(const fsync_probe&) = delete;
    fsync_probe& operator=(const fsync_probe&) = delete;
    double once() {
        static const std::vector<char> block(4096, 'f');
        const auto t0 = steady::now();
        if (::pwrite(m_fd, block.data(), block.size(), 0) != static_cast<ssize_t>(block.size()) || ::fsync(m_fd) != 0)
            throw std::runtime_error("write/fsync of " + m_path + " failed");
        return seconds_between(t0, steady::now());
    }

private:
    std::string m_path;
    int m_fd = -1;
};

// ---- a CA set up through the service ---------------------------------------------------------------

/// sqlite: the default durability (synchronous=FULL, one fsync per issuance);
/// sqlite_process_crash: sqlite_durability::process_crash (no fsync per commit).
enum class store_kind { memory, sqlite, sqlite_process_crash };

inline const char* to_string(store_kind k) {
    switch (k) {
        case store_kind::memory: return "memory_store";
        case store_kind::sqlite: return "sqlite_store";
        case store_kind::sqlite_process_crash: return "sqlite_store_process_crash";
    }
    return "?";
}

/// A fresh directory under the system temp dir, removed with its content on destruction.
class temp_dir {
public:
    temp_dir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "pca-bench-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        m_path = pattern;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

/// A service over a store, memory buckets and the system clock, with one ACTIVE root CA of the
/// given key algorithm (created, self-signed with RootCACertificate/V1, imported: the
/// lifecycle a user goes through).
class service_ca {
public:
    /// A CA with a freshly generated key (RSA_4096 takes a while in mbedTLS).
    service_ca(store_kind kind, key_algorithm key, const std::string& directory) : m_kind(kind) {
        open_store(directory);
        create_certificate_authority_request req;
        req.certificate_authority_type = certificate_authority_type::root;
        req.certificate_authority_configuration.key_algorithm = key;
        req.certificate_authority_configuration.signing_algorithm = default_signing(key);
        req.certificate_authority_configuration.subject.common_name = "pca bench root " + std::string(to_string(key));
        req.certificate_authority_configuration.subject.organization = "pca bench";
        m_arn = m_service->create_certificate_authority(req).certificate_authority_arn;
        m_id = ca_arn::parse(m_arn).ca_id();
        const auto csr = m_service->get_certificate_authority_csr({m_arn}).csr;
        issue_certificate_request ir;
        ir.certificate_authority_arn = m_arn;
        ir.csr = bytes(csr.begin(), csr.end());
        ir.signing_algorithm = default_signing(key);
        ir.template_arn = "arn:aws:acm-pca:::template/RootCACertificate/V1";
        ir.validity = {10, validity_period_type::years};
        const auto cert_arn = m_service->issue_certificate(ir).certificate_arn;
        const auto cert = m_service->get_certificate({m_arn, cert_arn}).certificate;
        import_certificate_authority_certificate_request imp;
        imp.certificate_authority_arn = m_arn;
        imp.certificate = bytes(cert.begin(), cert.end());
        m_service->import_certificate_authority_certificate(imp);
    }

    /// The same CA (same key, certificate, ARN) copied into another store: saves a second key
    /// generation.
    service_ca(store_kind kind, const service_ca& from, const std::string& directory) : m_kind(kind) {
        open_store(directory);
        auto rec = from.m_store->find_ca(from.m_id);
        if (!rec) throw std::runtime_error("source CA vanished");
        m_store->insert_ca(*rec);
        m_arn = from.m_arn;
        m_id = from.m_id;
    }

    service_ca(const service_ca&) = delete;
    service_ca& operator=(const service_ca&) = delete;

    pca::service& service() { return *m_service; }
    storage::store& store() { return *m_store; }
    const std::string& arn() const { return m_arn; }
    store_kind kind() const { return m_kind; }
    /// The CA key, PKCS#8 DER (for the raw baseline).
    secure_bytes private_key_der() const { return m_store->find_ca(m_id)->private_key; }
    /// The CA certificate, DER.
    bytes certificate_der() const { return m_store->find_ca(m_id)->certificate; }

    issue_certificate_request request(const csr_fixture& csr, signing_algorithm alg) const {
        issue_certificate_request ir;
        ir.certificate_authority_arn = m_arn;
        ir.csr = csr.pem;
        ir.signing_algorithm = alg;
        ir.validity = {30, validity_period_type::days};
        return ir;
    }

    static signing_algorithm default_signing(key_algorithm k) {
        return crypto::family_for(k) == crypto::key_family::ec ? signing_algorithm::sha256_with_ecdsa
                                                               : signing_algorithm::sha256_with_rsa;
    }

private:
    void open_store(const std::string& directory) {
        if (m_kind == store_kind::memory) {
            m_store = std::make_unique<storage::memory_store>();
        } else {
            static int counter = 0;
            const bytes kek(32, 0x4b);
            storage::sqlite_store_options o;
            if (m_kind == store_kind::sqlite_process_crash) o.durability = storage::sqlite_durability::process_crash;
            m_store = std::make_unique<storage::sqlite_store>(
                directory + "/pca-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".db",
                storage::key_encryption_key::from_raw(kek), o);
        }
        m_service = std::make_unique<pca::service>(*m_store, m_buckets, m_clock);
    }

    store_kind m_kind;
    std::unique_ptr<storage::store> m_store;
    storage::memory_object_store m_buckets;
    pca::system_clock m_clock;
    std::unique_ptr<pca::service> m_service;
    std::string m_arn;
    std::string m_id;
};

/// Everything `pca::policy` + `x509::sign_certificate` need to issue without the service: the
/// builder path (parse + verify the CSR, decide the TBSCertificate, sign, PEM).
struct builder_ca {
    crypto::private_key key;
    x509::certificate certificate;
    policy::issuer_context context;

    builder_ca(byte_view pkcs8, const bytes& certificate_der)
        : key(crypto::private_key::from_pkcs8_der(pkcs8)), certificate(x509::certificate::parse(certificate_der)) {
        context.type = certificate_authority_type::root;
        context.key_algorithm = key.algorithm();
        context.public_key_info_der = key.spki_der();
        context.certificate = &certificate;
        context.chain_length = 1;
        context.ca_id = "00000000-0000-4000-8000-000000000000";
        context.region = "us-east-1";
    }
    builder_ca(const builder_ca&) = delete;
    builder_ca& operator=(const builder_ca&) = delete;

    /// Issues one certificate from `csr_pem`; returns its PEM.
    std::string issue(byte_view csr_pem, signing_algorithm alg, pca::rng& random) const {
        const x509::csr request = policy::accept_csr(csr_pem);
        policy::issuance_request ir;
        ir.csr = &request;
        ir.signing_algorithm = alg;
        ir.tmpl = &policy::default_template();
        ir.validity = {30, validity_period_type::days};
        ir.issued_at = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        const auto tbs = policy::prepare_certificate(context, ir, policy::new_serial(random));
        return der::pem_encode("CERTIFICATE", x509::sign_certificate(tbs, key, random));
    }
};

}  // namespace pca::bench
