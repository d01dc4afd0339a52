// Many threads on one service and shared CAs (issue 6 thread-safety stress, issue 9 item 4):
// issuing, reading back, revoking, tagging and untagging, listing, describing, generating
// CRLs (on demand and by refresh) and audit reports at the same time, over memory_store and
// over sqlite_store (a temporary file). Then the invariants are checked from outside:
//   - no serial was handed out twice, every certificate is retrievable and `openssl verify`
//     accepts it under its CA;
//   - every revoked serial is in the final CRL, as `openssl crl` reads it (signature checked);
//   - the CRL numbers a CA hands out are unique and increase in every thread's own sequence,
//     and the CRL in the bucket after the run is the newest one generated;
//   - each thread's tags are exactly what it left, nobody else's were lost.
// Thread and iteration counts are bounded so that a release build runs in seconds; the same
// file is run under ThreadSanitizer by scripts/tsan.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "pca/service/service.hpp"
#include "pca/storage/memory_store.hpp"
#include "pca/storage/object_store.hpp"
#include "pca/storage/sqlite_store.hpp"
#include "pca/x509/crl.hpp"
#include "support/pki.hpp"
#include "support/tools.hpp"

namespace {
using namespace pca;
using namespace pca::test;

constexpr int thread_count = 6;
constexpr int iterations = 24;
const char* const crl_bucket = "pca-stress-crls";

struct ca_under_test {
    std::string arn;
    std::string id;
    std::string certificate_pem;
};

/// A root CA with CRLs, made the way a user makes one.
crl_configuration stress_crl_configuration() {
    crl_configuration crl;
    crl.enabled = true;
    crl.expiration_in_days = 7;
    crl.s3_bucket_name = crl_bucket;
    return crl;
}

ca_under_test make_root(service& svc, const std::string& cn) {
    create_certificate_authority_request req;
    req.certificate_authority_type = certificate_authority_type::root;
    req.certificate_authority_configuration.key_algorithm = key_algorithm::ec_prime256v1;
    req.certificate_authority_configuration.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
    req.certificate_authority_configuration.subject = subject_cn(cn);
    revocation_configuration rc;
    rc.crl_configuration = stress_crl_configuration();
    req.revocation_configuration = rc;
    ca_under_test ca;
    ca.arn = svc.create_certificate_authority(req).certificate_authority_arn;
    ca.id = ca_arn::parse(ca.arn).ca_id();
    const auto csr = svc.get_certificate_authority_csr({ca.arn}).csr;
    issue_certificate_request ir;
    ir.certificate_authority_arn = ca.arn;
    ir.csr = bytes(csr.begin(), csr.end());
    ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
    ir.template_arn = pca::test::template_arn("RootCACertificate");
    ir.validity = {5, validity_period_type::years};
    const auto cert = svc.get_certificate({ca.arn, svc.issue_certificate(ir).certificate_arn}).certificate;
    import_certificate_authority_certificate_request imp;
    imp.certificate_authority_arn = ca.arn;
    imp.certificate = bytes(cert.begin(), cert.end());
    svc.import_certificate_authority_certificate(imp);
    ca.certificate_pem = cert;
    return ca;
}

/// What one thread did, for the checks after the run.
struct thread_log {
    std::vector<std::pair<std::size_t, std::string>> issued;   ///< (CA index, certificate ARN)
    std::vector<std::pair<std::size_t, std::string>> revoked;  ///< (CA index, serial hex)
    std::map<std::size_t, std::vector<std::int64_t>> crl_numbers;
    std::map<std::string, std::string> tags_left;              ///< on CA 0, this thread's keys
    int benign_refusals = 0;                                   ///< named errors the race allows
    std::vector<std::string> failures;
};

template <class F>
bool retry_on_conflict(F&& f, thread_log& log) {
    for (int attempt = 0; attempt < 200; ++attempt) {
        try {
            f();
            return true;
        } catch (const concurrent_modification_exception&) {
            ++log.benign_refusals;
            std::this_thread::yield();
        }
    }
    log.failures.push_back("200 ConcurrentModificationExceptions in a row");
    return false;
}

void worker(service& svc, const std::vector<ca_under_test>& cas, const bytes& csr, int id, thread_log& log) {
    const caller me = svc.default_caller();
    for (int i = 0; i < iterations; ++i) {
        const std::size_t c = static_cast<std::size_t>(id + i) % cas.size();
        const ca_under_test& ca = cas[c];
        try {
            // Issue, and read the certificate back at once.
            issue_certificate_request ir;
            ir.certificate_authority_arn = ca.arn;
            ir.csr = csr;
            ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
            ir.validity = {30, validity_period_type::days};
            if (i % 5 == 0) ir.idempotency_token = "t" + std::to_string(id) + "-" + std::to_string(i);
            const std::string arn = svc.issue_certificate(ir, me).certificate_arn;
            log.issued.emplace_back(c, arn);
            if (svc.get_certificate({ca.arn, arn}).certificate.find("BEGIN CERTIFICATE") == std::string::npos)
                log.failures.push_back("GetCertificate returned no PEM for " + arn);

            switch (i % 6) {
                case 0: {  // revoke what was just issued
                    revoke_certificate_request r;
                    r.certificate_authority_arn = ca.arn;
                    r.certificate_serial = certificate_arn::parse(arn).serial_hex();
                    r.revocation_reason = revocation_reason::superseded;
                    svc.revoke_certificate(r);
                    log.revoked.emplace_back(c, r.certificate_serial);
                    break;
                }
                case 1: {  // tag and untag on the shared CA 0, with keys of our own
                    const std::string key = "k" + std::to_string(id) + "-" + std::to_string(i);
                    retry_on_conflict([&] { svc.tag_certificate_authority({cas[0].arn, {{key, "v" + std::to_string(i)}}}); }, log);
                    log.tags_left[key] = "v" + std::to_string(i);
                    if (i % 4 == 1 && log.tags_left.size() > 1) {
                        const std::string gone = log.tags_left.begin()->first;
                        retry_on_conflict([&] { svc.untag_certificate_authority({cas[0].arn, {{gone, std::nullopt}}}); }, log);
                        log.tags_left.erase(gone);
                    }
                    (void)svc.list_tags({std::nullopt, std::nullopt, cas[0].arn});
                    break;
                }
                case 2: {  // a CRL on demand
                    const bytes der = svc.generate_crl(ca.arn);
                    log.crl_numbers[c].push_back(*x509::crl::parse(der).number());
                    break;
                }
                case 3: {  // list and describe
                    const auto page = svc.list_certificate_authorities({std::nullopt, std::nullopt, std::nullopt});
                    if (page.certificate_authorities.size() != cas.size()) log.failures.push_back("ListCertificateAuthorities lost a CA");
                    const auto d = svc.describe_certificate_authority({ca.arn}).certificate_authority;
                    if (!d.status || *d.status != certificate_authority_status::active) log.failures.push_back("CA not ACTIVE");
                    break;
                }
                case 4: {  // an audit report: the first per CA wins, the others are told to wait
                    try {
                        (void)svc.create_certificate_authority_audit_report({ca.arn, "pca-stress-audit", audit_report_response_format::json});
                    } catch (const request_in_progress_exception&) {
                        ++log.benign_refusals;
                    } catch (const concurrent_modification_exception&) {
                        ++log.benign_refusals;
                    }
                    break;
                }
                case 5:  // every CRL regenerated (margin: everything is due)
                    (void)svc.refresh_crls(std::chrono::hours(24 * 365));
                    break;
            }
        } catch (const std::exception& e) {
            log.failures.push_back(std::string("thread ") + std::to_string(id) + " iteration " + std::to_string(i) + ": " + e.what());
        }
    }
}

bool contains_verify_ok(const std::string& s) { return s.find("verify OK") != std::string::npos; }

/// How `openssl crl -text` prints a serial: upper-case hex of its magnitude octets.
std::string openssl_serial_text(std::string hex) {
    if (hex.size() % 2) hex = "0" + hex;
    for (auto& ch : hex) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return hex;
}

void stress(storage::store& store, const std::string& label) {
    storage::memory_object_store buckets;
    pca::system_clock clock;
    service svc(store, buckets, clock);
    const std::vector<ca_under_test> cas = {make_root(svc, label + " stress A"), make_root(svc, label + " stress B")};
    const bytes csr = openssl_csr("ee-p256", "/CN=stress.example.com", "-addext subjectAltName=DNS:stress.example.com");

    std::vector<thread_log> logs(thread_count);
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) threads.emplace_back(worker, std::ref(svc), std::cref(cas), std::cref(csr), t, std::ref(logs[t]));
    for (auto& th : threads) th.join();

    std::size_t benign = 0;
    for (const auto& log : logs) {
        for (const auto& f : log.failures) BOOST_ERROR(label << ": " << f);
        benign += static_cast<std::size_t>(log.benign_refusals);
    }
    BOOST_TEST_MESSAGE(label << ": " << benign << " benign refusals (ConcurrentModification / RequestInProgress)");

    // The bucket holds the newest CRL generated during the run.
    for (std::size_t c = 0; c < cas.size(); ++c) {
        std::int64_t newest = 0;
        for (const auto& log : logs) {
            auto it = log.crl_numbers.find(c);
            if (it != log.crl_numbers.end()) newest = std::max(newest, *std::max_element(it->second.begin(), it->second.end()));
        }
        const auto published = buckets.get(crl_bucket, policy::crl_object_key(stress_crl_configuration(), cas[c].id));
        BOOST_REQUIRE(published.has_value());
        BOOST_TEST(*x509::crl::parse(*published).number() >= newest, label << ": the bucket holds an older CRL than one generated");
    }

    // CRL numbers: unique per CA, increasing within each thread.
    for (std::size_t c = 0; c < cas.size(); ++c) {
        std::set<std::int64_t> all;
        std::size_t count = 0;
        for (const auto& log : logs) {
            auto it = log.crl_numbers.find(c);
            if (it == log.crl_numbers.end()) continue;
            BOOST_TEST(std::is_sorted(it->second.begin(), it->second.end()));
            BOOST_TEST((std::adjacent_find(it->second.begin(), it->second.end()) == it->second.end()));
            all.insert(it->second.begin(), it->second.end());
            count += it->second.size();
        }
        BOOST_TEST(all.size() == count, label << ": a CRL number was handed out twice");
    }

    // Serials unique; every certificate retrievable and verified by openssl under its CA.
    temp_dir dir;
    std::set<std::string> serials;
    std::size_t issued = 0;
    std::vector<std::string> files_per_ca[2];
    for (const auto& log : logs)
        for (const auto& [c, arn] : log.issued) {
            ++issued;
            const std::string serial = certificate_arn::parse(arn).serial_hex();
            BOOST_TEST(serials.insert(cas[c].id + "/" + serial).second, label << ": serial " << serial << " issued twice");
            const std::string file = dir.file("c" + std::to_string(issued) + ".pem");
            write_file(file, byte_view(svc.get_certificate({cas[c].arn, arn}).certificate));
            files_per_ca[c].push_back(sh_quote(file));
        }
    BOOST_TEST(issued == static_cast<std::size_t>(thread_count * iterations));
    for (std::size_t c = 0; c < cas.size(); ++c) {
        write_file(dir.file("ca" + std::to_string(c) + ".pem"), byte_view(cas[c].certificate_pem));
        std::string cmd = "openssl verify -CAfile " + sh_quote(dir.file("ca" + std::to_string(c) + ".pem"));
        for (const auto& f : files_per_ca[c]) cmd += " " + f;
        const auto r = run(cmd);
        BOOST_TEST(r.exit_code == 0, label << ": openssl verify: " << r.output.substr(0, 2000));
        std::size_t oks = 0;
        for (auto p = r.output.find(": OK"); p != std::string::npos; p = r.output.find(": OK", p + 1)) ++oks;
        BOOST_TEST(oks == files_per_ca[c].size());
    }

    // The final CRL of each CA lists every serial revoked on it (openssl reads and verifies it).
    for (std::size_t c = 0; c < cas.size(); ++c) {
        const bytes der = svc.generate_crl(cas[c].arn);
        const std::string crl_file = dir.file("final" + std::to_string(c) + ".crl");
        write_file(crl_file, der);
        const auto r = run("openssl crl -inform DER -in " + sh_quote(crl_file) + " -noout -text -CAfile " +
                           sh_quote(dir.file("ca" + std::to_string(c) + ".pem")));
        BOOST_TEST(r.exit_code == 0, r.output);
        BOOST_TEST(contains_verify_ok(r.output));
        std::size_t expected = 0;
        for (const auto& log : logs)
            for (const auto& [rc, serial] : log.revoked) {
                if (rc != c) continue;
                ++expected;
                BOOST_TEST(r.output.find("Serial Number: " + openssl_serial_text(serial)) != std::string::npos,
                           label << ": revoked serial " << serial << " missing from the final CRL");
            }
        BOOST_TEST(x509::crl::parse(der).entries().size() == expected);
    }

    // Tags: each thread's keys are exactly those it left.
    std::map<std::string, std::string> want;
    for (const auto& log : logs) want.insert(log.tags_left.begin(), log.tags_left.end());
    std::map<std::string, std::string> got;
    for (const auto& t : svc.list_tags({std::nullopt, std::nullopt, cas[0].arn}).tags) got[t.key] = t.value.value_or("");
    BOOST_TEST((got == want), label << ": tags after the run differ from what the threads left");
}

/// The CSR's signature is verified after the serial is reserved (so sqlite_store's fsync
/// runs beside it): CSRs whose signature fails, issued from two threads between good ones,
/// must leave no record behind (count, audit report listing), and a refused request's
/// idempotency token stays free.
void refused_signatures_leave_no_records(storage::store& store, const std::string& label) {
    storage::memory_object_store buckets;
    pca::system_clock clock;
    service svc(store, buckets, clock);
    const ca_under_test ca = make_root(svc, label + " refusals");
    const bytes good = openssl_csr("ee-p256", "/CN=good.example.com");
    bytes bad = good;
    bad.back() ^= 0x01;  // the last byte of the ECDSA signature's s: still DER, no longer valid
    const std::size_t before = store.count_certificates(ca.id);  // the CA's own certificate

    constexpr int rounds = 12;
    std::atomic<int> refused{0};
    std::vector<std::string> failures[2];
    std::vector<std::string> issued[2];
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < rounds; ++i) {
                issue_certificate_request ir;
                ir.certificate_authority_arn = ca.arn;
                ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
                ir.validity = {30, validity_period_type::days};
                ir.idempotency_token = "tok-" + std::to_string(t) + "-" + std::to_string(i);
                ir.csr = bad;
                try {
                    svc.issue_certificate(ir);
                    failures[t].push_back("a CSR with a broken signature was issued");
                } catch (const malformed_csr_exception& e) {
                    if (std::string(e.what()).find("signature does not verify") == std::string::npos)
                        failures[t].push_back(std::string("unexpected message: ") + e.what());
                    ++refused;
                }
                ir.csr = good;  // the same token: free again after the refusal
                issued[t].push_back(svc.issue_certificate(ir).certificate_arn);
            }
        });
    for (auto& th : threads) th.join();
    for (const auto& f : failures)
        for (const auto& m : f) BOOST_ERROR(label << ": " << m);
    BOOST_TEST(refused.load() == 2 * rounds);
    BOOST_TEST(store.count_certificates(ca.id) == before + 2 * rounds, label);
    std::size_t pending = 0, total = 0;
    store.for_each_certificate(ca.id, [&](const storage::certificate_record& r) {
        ++total;
        if (r.certificate.empty()) ++pending;
    });
    BOOST_TEST(pending == 0u, label << ": pending records left by refused requests");
    BOOST_TEST(total == before + 2 * rounds, label);
    for (const auto& list : issued)
        for (const auto& arn : list) BOOST_TEST(!svc.get_certificate({ca.arn, arn}).certificate.empty());
}

/// memory_store with a hook that runs once, on the next reservation, before it is made: a
/// second request can be made to run exactly while the first one is between its checks.
class hooked_store final : public storage::store {
public:
    std::function<void()> on_reserve;

    void insert_ca(const storage::ca_record& ca) override { m_inner.insert_ca(ca); }
    void update_ca(storage::ca_record& ca) override { m_inner.update_ca(ca); }
    std::optional<storage::ca_record> find_ca(const std::string& id) const override { return m_inner.find_ca(id); }
    std::vector<storage::ca_record> list_cas() const override { return m_inner.list_cas(); }
    void erase_ca(const std::string& id) override { m_inner.erase_ca(id); }
    std::int64_t next_crl_number(const std::string& ca_id, std::int64_t at_least) override {
        return m_inner.next_crl_number(ca_id, at_least);
    }
    bool reserve_certificate(const storage::certificate_record& rec) override {
        if (auto hook = std::exchange(on_reserve, nullptr)) hook();
        return m_inner.reserve_certificate(rec);
    }
    void complete_certificate(const std::string& ca_id, const bytes& serial, const bytes& der) override {
        m_inner.complete_certificate(ca_id, serial, der);
    }
    void abandon_certificate(const std::string& ca_id, const bytes& serial) override { m_inner.abandon_certificate(ca_id, serial); }
    std::optional<storage::certificate_record> find_certificate(const std::string& ca_id, const bytes& serial) const override {
        return m_inner.find_certificate(ca_id, serial);
    }
    bool revoke_certificate(const std::string& ca_id, const bytes& serial, sys_seconds at, revocation_reason reason) override {
        return m_inner.revoke_certificate(ca_id, serial, at, reason);
    }
    std::vector<storage::certificate_record> list_certificates(const std::string& ca_id) const override {
        return m_inner.list_certificates(ca_id);
    }
    std::vector<storage::certificate_record> list_revoked(const std::string& ca_id, sys_seconds from) const override {
        return m_inner.list_revoked(ca_id, from);
    }
    std::size_t count_certificates(const std::string& ca_id) const override { return m_inner.count_certificates(ca_id); }
    std::size_t count_revoked(const std::string& ca_id) const override { return m_inner.count_revoked(ca_id); }
    void put_audit_report(const storage::audit_report_record& r) override { m_inner.put_audit_report(r); }
    std::optional<storage::audit_report_record> find_audit_report(const std::string& ca_id, const std::string& id) const override {
        return m_inner.find_audit_report(ca_id, id);
    }
    storage::idempotency_record claim_token(const storage::idempotency_record& r, sys_seconds now) override {
        return m_inner.claim_token(r, now);
    }
    void release_token(const std::string& scope, const std::string& token) override { m_inner.release_token(scope, token); }

private:
    storage::memory_store m_inner;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(service_concurrency)

BOOST_AUTO_TEST_CASE(a_retry_racing_a_refused_request_is_refused_too) {
    // Request A (token T, a CSR whose signature fails) is between its reservation and its
    // signature check when its retry B (same token, same CSR) runs on another thread. B must
    // be refused like A, not handed A's ARN: the token is bound only after every check.
    hooked_store store;
    storage::memory_object_store buckets;
    pca::system_clock clock;
    service svc(store, buckets, clock);
    const ca_under_test ca = make_root(svc, "retry race");
    bytes bad = openssl_csr("ee-p256", "/CN=race.example.com");
    bad.back() ^= 0x01;
    issue_certificate_request ir;
    ir.certificate_authority_arn = ca.arn;
    ir.csr = bad;
    ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
    ir.validity = {30, validity_period_type::days};
    ir.idempotency_token = "race-token";
    const std::size_t before = store.count_certificates(ca.id);

    std::string retry_outcome;
    store.on_reserve = [&] {
        std::thread retry([&] {
            try {
                retry_outcome = "issued " + svc.issue_certificate(ir).certificate_arn;
            } catch (const malformed_csr_exception& e) {
                retry_outcome = std::string("MalformedCSRException: ") + e.what();
            } catch (const std::exception& e) {
                retry_outcome = std::string("other error: ") + e.what();
            }
        });
        retry.join();
    };
    try {
        svc.issue_certificate(ir);
        BOOST_ERROR("a CSR with a broken signature was issued");
    } catch (const malformed_csr_exception& e) {
        BOOST_TEST(std::string(e.what()).find("signature does not verify") != std::string::npos);
    }
    BOOST_TEST(retry_outcome.rfind("MalformedCSRException", 0) == 0u, retry_outcome);
    BOOST_TEST(store.count_certificates(ca.id) == before);
    // The token is free: the same token with a good CSR issues once, and again returns that ARN.
    ir.csr = openssl_csr("ee-p256", "/CN=race.example.com");
    const auto first = svc.issue_certificate(ir).certificate_arn;
    BOOST_TEST(svc.issue_certificate(ir).certificate_arn == first);
    BOOST_TEST(store.count_certificates(ca.id) == before + 1);
}

BOOST_AUTO_TEST_CASE(refused_csr_signatures_leave_no_records_over_memory_store) {
    storage::memory_store store;
    refused_signatures_leave_no_records(store, "memory_store");
}

BOOST_AUTO_TEST_CASE(refused_csr_signatures_leave_no_records_over_sqlite_store) {
    temp_dir dir;
    const auto kek = storage::key_encryption_key::from_raw(bytes(32, 0x5a));
    std::string ca_id;
    {
        storage::sqlite_store store(dir.file("state.db"), kek);
        refused_signatures_leave_no_records(store, "sqlite_store");
        ca_id = store.list_cas().at(0).id;
    }
    // Reopened: nothing pending on disk either (the root's certificate and 24 issued ones).
    storage::sqlite_store reopened(dir.file("state.db"), kek);
    std::size_t pending = 0, total = 0;
    reopened.for_each_certificate(ca_id, [&](const storage::certificate_record& r) {
        ++total;
        if (r.certificate.empty()) ++pending;
    });
    BOOST_TEST(pending == 0u);
    BOOST_TEST(total == 25u);
}

BOOST_AUTO_TEST_CASE(threads_share_cas_over_memory_store) {
    storage::memory_store store;
    stress(store, "memory_store");
}

BOOST_AUTO_TEST_CASE(threads_share_cas_over_sqlite_store) {
    temp_dir dir;
    storage::sqlite_store store(dir.file("state.db"), storage::key_encryption_key::from_raw(bytes(32, 0x5a)));
    stress(store, "sqlite_store");
}

BOOST_AUTO_TEST_SUITE_END()
