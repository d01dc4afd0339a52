// Crash safety of issuance on sqlite_store (issue 7): a child process issues (and now and then
// revokes) certificates in a loop and is killed with SIGKILL at a random moment, 24 times.
// After every kill the parent reopens the database and checks that
//   - every certificate ARN the child reported (after issue_certificate returned) is retrievable;
//   - no serial repeats and no reported ARN is missing from the store;
//   - every recorded serial - completed or left pending by the kill - is in an audit report;
//   - the CRL number never decreases.
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pca/der/pem.hpp"
#include "pca/service/service.hpp"
#include "pca/storage/object_store.hpp"
#include "pca/storage/sqlite_store.hpp"
#include "support/pki.hpp"
#include "support/tools.hpp"

namespace {

using namespace std::chrono_literals;

pca::storage::key_encryption_key kill_test_kek() {
    return pca::storage::key_encryption_key::from_passphrase("kill test passphrase", 1000);
}

constexpr std::int64_t base_time = 1'767'225'600;  // 2026-01-01T00:00:00Z

/// One process's view: the store, the buckets and a service over them.
struct node {
    pca::storage::sqlite_store store;
    pca::storage::directory_object_store buckets;
    pca::manual_clock clock;
    pca::service svc;
    node(const std::string& db, const std::string& bucket_root, std::int64_t now)
        : store(db, kill_test_kek()), buckets(bucket_root), clock(pca::from_unix(now)), svc(store, buckets, clock) {}
};

std::string make_active_root(pca::service& svc) {
    pca::create_certificate_authority_request req;
    req.certificate_authority_type = pca::certificate_authority_type::root;
    req.certificate_authority_configuration.key_algorithm = pca::key_algorithm::ec_prime256v1;
    req.certificate_authority_configuration.signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
    req.certificate_authority_configuration.subject = pca::test::subject_cn("Kill Test Root");
    pca::revocation_configuration rc;
    pca::crl_configuration crl;
    crl.enabled = true;
    crl.expiration_in_days = 7;
    crl.s3_bucket_name = "kill-crls";
    rc.crl_configuration = crl;
    req.revocation_configuration = rc;
    const std::string arn = svc.create_certificate_authority(req).certificate_authority_arn;
    const auto csr = svc.get_certificate_authority_csr({arn}).csr;
    pca::issue_certificate_request ir;
    ir.certificate_authority_arn = arn;
    ir.csr = pca::bytes(csr.begin(), csr.end());
    ir.signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
    ir.template_arn = pca::test::template_arn("RootCACertificate");
    ir.validity = {10, pca::validity_period_type::years};
    const auto cert_arn = svc.issue_certificate(ir).certificate_arn;
    const auto cert = svc.get_certificate({arn, cert_arn}).certificate;
    pca::import_certificate_authority_certificate_request imp;
    imp.certificate_authority_arn = arn;
    imp.certificate = pca::bytes(cert.begin(), cert.end());
    svc.import_certificate_authority_certificate(imp);
    return arn;
}

std::string serial_text(const pca::bytes& serial) {
    std::size_t i = 0;
    while (i + 1 < serial.size() && serial[i] == 0) ++i;
    return pca::to_hex(pca::byte_view(serial).subview(i), false, ':');
}

std::vector<std::string> read_lines(const std::string& path) {
    std::vector<std::string> out;
    if (!std::filesystem::exists(path)) return out;
    std::istringstream in(pca::test::read_text(path));
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(service_kill)

BOOST_AUTO_TEST_CASE(sigkill_at_random_moments_loses_no_certificate_and_reuses_nothing) {
    pca::test::temp_dir dir;
    const std::string db = dir.file("pca.db"), bucket_root = dir.file("buckets"), log = dir.file("reported");
    std::filesystem::create_directories(bucket_root);
    const pca::bytes csr_der = pca::test::openssl_csr("ee-p256", "/CN=kill.example.com");
    const std::string csr_pem = pca::der::pem_encode("CERTIFICATE REQUEST", csr_der);

    std::string ca_arn, ca_id;
    {
        node n(db, bucket_root, base_time);
        ca_arn = make_active_root(n.svc);
        ca_id = ca_arn.substr(ca_arn.rfind('/') + 1);
    }

    std::mt19937 gen(20261123);
    constexpr int kills = 24;
    std::int64_t last_crl_number = 0;
    std::set<std::string> reported;
    std::size_t pending_seen = 0, pending_revoked = 0;
    for (int round = 0; round < kills; ++round) {
        const std::int64_t now = base_time + (round + 1) * 7200;  // 2 h apart: one audit report per round
        const pid_t pid = ::fork();
        BOOST_REQUIRE(pid >= 0);
        if (pid == 0) {
            int rc = 0;
            try {
                node n(db, bucket_root, now);
                const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
                for (int i = 0;; ++i) {
                    pca::issue_certificate_request ir;
                    ir.certificate_authority_arn = ca_arn;
                    ir.csr = pca::bytes(csr_pem.begin(), csr_pem.end());
                    ir.signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
                    ir.validity = {30, pca::validity_period_type::days};
                    const std::string arn = n.svc.issue_certificate(ir).certificate_arn;
                    const std::string line = arn + "\n";  // reported only once issue returned
                    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(4);
                    if (i % 7 == 3) {  // revocations publish CRLs, which draw CRL numbers
                        pca::revoke_certificate_request rr;
                        rr.certificate_authority_arn = ca_arn;
                        rr.certificate_serial = arn.substr(arn.rfind('/') + 1);
                        rr.revocation_reason = pca::revocation_reason::superseded;
                        n.svc.revoke_certificate(rr);
                    }
                    n.clock.advance(1s);
                }
            } catch (const std::exception& e) {
                std::fprintf(stderr, "kill-test child: %s\n", e.what());
                rc = 3;
            }
            ::_exit(rc);
        }
        // Odd rounds first wait (up to 30 s) for the child's first report of the round, so that
        // half the kills land among issuances however slow the machine (sanitizers, a loaded
        // CI); even rounds kill at any moment, start-up included.
        if (round % 2 == 1) {
            const std::size_t lines_before = read_lines(log).size();
            for (int waited = 0; waited < 15000 && read_lines(log).size() == lines_before; ++waited)
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(30, 250)(gen)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        BOOST_TEST_REQUIRE(WIFSIGNALED(status), "round " << round << ": the child exited on its own (status "
                                                          << status << ")");

        // Restart: a new process view of the same files.
        node n(db, bucket_root, now + 3600);
        const auto lines = read_lines(log);
        for (const auto& arn : lines) {
            if (arn.rfind("arn:", 0) != 0) continue;
            reported.insert(arn);
        }
        for (const auto& arn : reported) {
            const auto got = n.svc.get_certificate({ca_arn, arn});
            BOOST_TEST(got.certificate.find("BEGIN CERTIFICATE") != std::string::npos, arn);
        }
        const auto records = n.store.list_certificates(ca_id);
        std::set<pca::bytes> serials;
        std::set<std::string> arns;
        std::size_t pending = 0;
        for (const auto& r : records) {
            BOOST_TEST(serials.insert(r.serial).second, "serial repeated: " << serial_text(r.serial));
            arns.insert(r.arn);
            if (r.certificate.empty()) ++pending;
        }
        pending_seen += pending;
        for (const auto& arn : reported) BOOST_TEST(arns.count(arn) == 1u, "reported but not stored: " << arn);

        pca::create_certificate_authority_audit_report_request ar;
        ar.certificate_authority_arn = ca_arn;
        ar.s3_bucket_name = "kill-audit";
        const auto report = n.svc.create_certificate_authority_audit_report(ar);
        const auto body = n.buckets.get("kill-audit", report.s3_key);
        BOOST_REQUIRE(body);
        const std::string text(body->begin(), body->end());
        for (const auto& r : records)
            BOOST_TEST(text.find("\"" + serial_text(r.serial) + "\"") != std::string::npos,
                       "serial " << serial_text(r.serial) << " missing from the audit report");

        // A record the kill left pending (reserved, never signed) is still revocable.
        for (const auto& r : records) {
            if (!r.certificate.empty() || r.revoked_at) continue;
            pca::revoke_certificate_request rr;
            rr.certificate_authority_arn = ca_arn;
            rr.certificate_serial = serial_text(r.serial);
            rr.revocation_reason = pca::revocation_reason::cessation_of_operation;
            BOOST_CHECK_NO_THROW(n.svc.revoke_certificate(rr));
            const auto after = n.store.find_certificate(ca_id, r.serial);
            BOOST_TEST((after && after->revoked_at.has_value()), "pending record not revoked: " << serial_text(r.serial));
            ++pending_revoked;
        }

        const auto ca = n.store.find_ca(ca_id);
        BOOST_REQUIRE(ca);
        BOOST_TEST(ca->crl_number >= last_crl_number, "CRL number went back in round " << round);
        last_crl_number = ca->crl_number;
    }
    BOOST_TEST_MESSAGE("kills: " << kills << ", certificates reported: " << reported.size()
                                 << ", pending records seen after kills: " << pending_seen << " (revoked " << pending_revoked << ")"
                                 << ", last CRL number: " << last_crl_number);
    BOOST_TEST(reported.size() >= static_cast<std::size_t>(kills / 2));  // the children did real work
}

BOOST_AUTO_TEST_SUITE_END()
