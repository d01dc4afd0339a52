// sqlite_store's deferred WAL sync (power_loss durability): a serial reservation is committed
// without an fsync of its own and a second thread syncs the WAL while the caller signs;
// complete_certificate waits for that sync, so no certificate is stored before its reservation
// is on disk. Observed through fdatasync itself: this file interposes it for the whole test
// executable (every call goes to the C library's; only a test that arms the hook sees or
// changes the calls on its own store's -wal file).
#include <boost/test/unit_test.hpp>

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/store_fixtures.hpp"

namespace {

struct fdatasync_hook {
    std::mutex mutex;
    std::string wal;  ///< the -wal file the hook applies to ("" = disarmed)
    std::atomic<int> started{0}, finished{0};
    std::atomic<int> delay_ms{0};
    std::atomic<int> fail_with{0};  ///< errno to fail with, 0 = call through
};

fdatasync_hook& hook() {
    static fdatasync_hook h;
    return h;
}

bool is_armed_wal(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t n = ::readlink(link, target, sizeof target - 1);
    if (n <= 0) return false;
    target[n] = '\0';
    std::lock_guard<std::mutex> lock(hook().mutex);
    return !hook().wal.empty() && hook().wal == target;
}

}  // namespace

extern "C" int fdatasync(int fd) {
    using fn = int (*)(int);
    static const fn real = reinterpret_cast<fn>(::dlsym(RTLD_NEXT, "fdatasync"));
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    if (!is_armed_wal(fd)) return real(fd);
    auto& h = hook();
    ++h.started;
    if (const int ms = h.delay_ms.load()) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    int rc;
    if (const int e = h.fail_with.load()) {
        errno = e;
        rc = -1;
    } else {
        rc = real(fd);
    }
    ++h.finished;
    return rc;
}

namespace {

namespace ts = pca::test::storage;
using pca::bytes;
using pca::storage::sqlite_store;

class scratch {
public:
    scratch() {
        const std::filesystem::path base = std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                                                     : std::filesystem::temp_directory_path();
        static int counter = 0;
        m_dir = base / ("pca-walsync-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(m_dir);
    }
    ~scratch() {
        disarm();
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    scratch(const scratch&) = delete;
    scratch& operator=(const scratch&) = delete;
    std::string db() const { return (m_dir / "pca.db").string(); }
    /// Applies the hook to this database's WAL, with counters reset.
    void arm(int delay_ms = 0, int fail_with = 0) {
        auto& h = hook();
        std::lock_guard<std::mutex> lock(h.mutex);
        h.wal = std::filesystem::canonical(m_dir).string() + "/pca.db-wal";
        h.started = 0;
        h.finished = 0;
        h.delay_ms = delay_ms;
        h.fail_with = fail_with;
    }
    static void disarm() {
        auto& h = hook();
        std::lock_guard<std::mutex> lock(h.mutex);
        h.wal.clear();
        h.delay_ms = 0;
        h.fail_with = 0;
    }

private:
    std::filesystem::path m_dir;
};

bytes serial_of(unsigned i) { return bytes{0x41, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)}; }
bytes der_of(unsigned i) { return bytes{0x30, 0x02, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(storage_wal_sync)

BOOST_AUTO_TEST_CASE(a_reservation_returns_before_its_sync_and_its_certificate_is_stored_after_it) {
    scratch dir;
    sqlite_store s(dir.db(), ts::test_kek());
    s.insert_ca(ts::minimal_ca("ca"));
    dir.arm(/*delay_ms=*/1000);
    const auto rec = ts::make_certificate("ca", serial_of(1));
    BOOST_TEST_REQUIRE(s.reserve_certificate(rec));
    // The sync (1 s here) runs on the store's thread: the caller could be signing now.
    BOOST_TEST(hook().finished.load() == 0);
    s.complete_certificate("ca", rec.serial, der_of(1));
    // complete_certificate waited for that sync before it stored the certificate.
    BOOST_TEST(hook().started.load() == 1);
    BOOST_TEST(hook().finished.load() == 1);
    const auto found = s.find_certificate("ca", rec.serial);
    BOOST_TEST_REQUIRE(found.has_value());
    BOOST_TEST((found->certificate == der_of(1)));
}

BOOST_AUTO_TEST_CASE(one_wal_sync_per_issuance_and_none_for_the_certificate_itself) {
    scratch dir;
    sqlite_store s(dir.db(), ts::test_kek());
    s.insert_ca(ts::minimal_ca("ca"));
    dir.arm();
    constexpr unsigned n = 20;
    for (unsigned i = 0; i < n; ++i) {
        const auto rec = ts::make_certificate("ca", serial_of(i));
        BOOST_TEST_REQUIRE(s.reserve_certificate(rec));
        s.complete_certificate("ca", rec.serial, der_of(i));
    }
    // One per reservation; SQLite itself adds one only when it restarts or checkpoints the
    // WAL (not expected within 20 small transactions, allowed for once).
    BOOST_TEST(hook().started.load() >= static_cast<int>(n));
    BOOST_TEST(hook().started.load() <= static_cast<int>(n) + 1);
    BOOST_TEST(s.count_certificates("ca") == n);
}

BOOST_AUTO_TEST_CASE(other_writes_still_sync_before_they_return) {
    scratch dir;
    sqlite_store s(dir.db(), ts::test_kek());
    s.insert_ca(ts::minimal_ca("ca"));
    const auto rec = ts::make_certificate("ca", serial_of(7));
    BOOST_TEST_REQUIRE(s.reserve_certificate(rec));
    s.complete_certificate("ca", rec.serial, der_of(7));
    dir.arm();
    // A revocation is a FULL commit: SQLite syncs the WAL itself before revoke returns.
    BOOST_TEST(s.revoke_certificate("ca", rec.serial, pca::from_unix(1'700'000'100), pca::revocation_reason::key_compromise));
    BOOST_TEST(hook().finished.load() >= 1);
}

BOOST_AUTO_TEST_CASE(a_failed_wal_sync_refuses_the_certificate_and_every_later_reservation) {
    scratch dir;
    const auto path = dir.db();
    {
        sqlite_store s(path, ts::test_kek());
        s.insert_ca(ts::minimal_ca("ca"));
        dir.arm(0, EIO);
        const auto rec = ts::make_certificate("ca", serial_of(1));
        BOOST_TEST_REQUIRE(s.reserve_certificate(rec));
        try {
            s.complete_certificate("ca", rec.serial, der_of(1));
            BOOST_FAIL("complete_certificate stored a certificate whose reservation could not be synced");
        } catch (const pca::storage::storage_error& e) {
            BOOST_TEST(std::string(e.what()).find("fdatasync") != std::string::npos, e.what());
            BOOST_TEST(std::string(e.what()).find("pca.db-wal") != std::string::npos, e.what());
        }
        const auto pending = s.find_certificate("ca", rec.serial);
        BOOST_TEST_REQUIRE(pending.has_value());
        BOOST_TEST(pending->certificate.empty());  // still a reservation: nothing was stored
        // The failure is final for this store: the kernel may have dropped what it could not write.
        BOOST_CHECK_THROW(s.reserve_certificate(ts::make_certificate("ca", serial_of(2))), pca::storage::storage_error);
        scratch::disarm();
    }
    // A store opened afresh works, and the unsynced reservation is a pending record, not a certificate.
    sqlite_store reopened(path, ts::test_kek());
    const auto rec = ts::make_certificate("ca", serial_of(3));
    BOOST_TEST_REQUIRE(reopened.reserve_certificate(rec));
    reopened.complete_certificate("ca", rec.serial, der_of(3));
    BOOST_TEST((reopened.find_certificate("ca", rec.serial)->certificate == der_of(3)));
    const auto first = reopened.find_certificate("ca", serial_of(1));
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(first->certificate.empty());
}

BOOST_AUTO_TEST_CASE(concurrent_issuances_share_wal_syncs) {
    scratch dir;
    sqlite_store s(dir.db(), ts::test_kek());
    s.insert_ca(ts::minimal_ca("ca"));
    dir.arm(/*delay_ms=*/5);
    constexpr unsigned threads = 4, each = 25;
    std::vector<std::thread> pool;
    std::atomic<int> failures{0};
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            try {
                for (unsigned i = 0; i < each; ++i) {
                    const unsigned k = t * 1000 + i;
                    const auto rec = ts::make_certificate("ca", serial_of(k));
                    if (!s.reserve_certificate(rec)) ++failures;
                    s.complete_certificate("ca", rec.serial, der_of(k));
                }
            } catch (...) {
                ++failures;
            }
        });
    for (auto& th : pool) th.join();
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(s.count_certificates("ca") == threads * each);
    for (unsigned t = 0; t < threads; ++t)
        for (unsigned i = 0; i < each; ++i)
            BOOST_TEST((s.find_certificate("ca", serial_of(t * 1000 + i))->certificate == der_of(t * 1000 + i)));
    // While one sync runs, the other threads' reservations queue for the next: fewer syncs
    // than issuances (100 with one each).
    BOOST_TEST(hook().started.load() >= 1);
    BOOST_TEST(hook().started.load() < static_cast<int>(threads * each));
}

BOOST_AUTO_TEST_CASE(every_certificate_returned_before_a_sigkill_is_there_after_it) {
    scratch dir;
    const auto path = dir.db();
    constexpr unsigned count = 40;
    const pid_t pid = ::fork();
    BOOST_TEST_REQUIRE(pid >= 0);
    if (pid == 0) {
        int rc = 3;
        try {
            auto* s = new sqlite_store(path, ts::test_kek());  // never destroyed: the process dies holding it
            s->insert_ca(ts::minimal_ca("ca"));
            for (unsigned i = 0; i < count; ++i) {
                const auto rec = ts::make_certificate("ca", serial_of(i));
                if (!s->reserve_certificate(rec)) ::_exit(4);
                s->complete_certificate("ca", rec.serial, der_of(i));
            }
            // One more reservation whose sync may be under way when the process dies.
            (void)s->reserve_certificate(ts::make_certificate("ca", serial_of(count)));
            ::kill(::getpid(), SIGKILL);
        } catch (...) {
        }
        ::_exit(rc);
    }
    int status = 0;
    BOOST_TEST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_TEST((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    sqlite_store reopened(path, ts::test_kek());
    for (unsigned i = 0; i < count; ++i) {
        const auto rec = reopened.find_certificate("ca", serial_of(i));
        BOOST_TEST_REQUIRE(rec.has_value());
        BOOST_TEST((rec->certificate == der_of(i)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
