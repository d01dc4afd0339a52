// Several processes on one sqlite_store file (fork()): writes serialize, every reservation is
// accepted by exactly one process, nothing is lost, and concurrent creation of a new file
// yields one schema and one key-encryption salt.
//
// The database lives on /dev/shm when it exists: these tests are about locking between
// processes (POSIX locks and the WAL index behave the same on tmpfs), not about fsync cost,
// and thousands of synchronous=FULL commits on a shared disk would make them slow.
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>

#include <csignal>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "pca/crypto/drbg.hpp"
#include "storage/store_fixtures.hpp"

namespace ts = pca::test::storage;
using pca::bytes;
using pca::storage::sqlite_store;

namespace {

/// A scratch directory on tmpfs when available.
class scratch_dir {
public:
    scratch_dir() {
        const std::filesystem::path base =
            std::filesystem::is_directory("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                      : std::filesystem::temp_directory_path();
        m_path = base / ("pca-mp-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(m_path);
    }
    ~scratch_dir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::filesystem::path m_path;
};

/// Children block on a pipe until the parent closes it, so they all start together.
class start_gate {
public:
    start_gate() {
        if (::pipe(m_fds) != 0) throw std::runtime_error("pipe failed");
    }
    ~start_gate() {
        close_fd(m_fds[0]);
        close_fd(m_fds[1]);
    }
    start_gate(const start_gate&) = delete;
    start_gate& operator=(const start_gate&) = delete;
    void wait_in_child() {
        close_fd(m_fds[1]);
        char c;
        while (::read(m_fds[0], &c, 1) > 0) {
        }
    }
    void open_in_parent() { close_fd(m_fds[1]); }

private:
    static void close_fd(int& fd) {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    int m_fds[2] = {-1, -1};
};

/// Runs `body` in a child process; its return value is the exit code. Exceptions exit 3.
pid_t spawn(const std::function<int()>& body) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int rc = 3;
        try {
            rc = body();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child %d: %s\n", static_cast<int>(::getpid()), e.what());
        } catch (...) {
        }
        ::_exit(rc);  // no atexit handlers, no Boost.Test teardown in the child
    }
    return pid;
}

int wait_exit_code(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bytes shared_serial(unsigned i) {
    return bytes{0x55, 0x00, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
}

std::vector<std::string> read_lines(const std::string& path) {
    std::istringstream in(pca::test::read_text(path));
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(storage_multiprocess)

BOOST_AUTO_TEST_CASE(two_processes_reserving_serials_never_accept_a_duplicate_or_lose_one) {
    scratch_dir dir;
    const auto path = dir.file("pca.db");
    { sqlite_store(path, ts::test_kek()).insert_ca(ts::minimal_ca("ca")); }

    constexpr unsigned children = 2, random_per_child = 1200, shared = 600;
    start_gate gate;
    std::vector<pid_t> pids;
    for (unsigned c = 0; c < children; ++c) {
        pids.push_back(spawn([&, c] {
            sqlite_store s(path, ts::test_kek());  // each process opens its own connection
            gate.wait_in_child();
            auto& rng = pca::crypto::thread_local_drbg();  // reseeded after fork: distinct per child
            std::ostringstream won;
            unsigned random_rejected = 0, next_shared = 0;
            for (unsigned i = 0; i < random_per_child + shared; ++i) {
                // Alternate a random serial with the next shared one: both children walk the
                // shared list in the same order, so they collide on every one of them.
                const bool use_shared = next_shared < shared && (i % 3 == 1 || i >= random_per_child);
                bytes serial = use_shared ? shared_serial(next_shared++) : rng.generate(16);
                if (!use_shared) serial[0] = static_cast<std::uint8_t>((serial[0] & 0x3f) | 0x01);
                auto rec = ts::make_certificate("ca", serial);
                rec.arn = "child-" + std::to_string(c);
                if (s.reserve_certificate(rec)) {
                    won << pca::to_hex(serial) << '\n';
                } else if (!use_shared) {
                    ++random_rejected;
                }
            }
            pca::test::write_file(dir.file("won-" + std::to_string(c)), pca::byte_view(won.str()));
            return random_rejected == 0 ? 0 : 2;
        }));
    }
    gate.open_in_parent();
    for (auto pid : pids) BOOST_TEST(wait_exit_code(pid) == 0);

    std::map<std::string, unsigned> winner;  // serial hex -> child
    unsigned reported = 0, shared_won[children] = {};
    for (unsigned c = 0; c < children; ++c) {
        for (const auto& hex : read_lines(dir.file("won-" + std::to_string(c)))) {
            ++reported;
            BOOST_TEST(winner.count(hex) == 0u, "serial " << hex << " accepted by two processes");
            winner[hex] = c;
            if (hex.rfind("5500", 0) == 0) ++shared_won[c];
        }
    }
    BOOST_TEST_MESSAGE("shared serials won: child 0 " << shared_won[0] << ", child 1 " << shared_won[1]);
    BOOST_TEST(reported == children * random_per_child + shared);
    for (unsigned i = 0; i < shared; ++i) BOOST_TEST(winner.count(pca::to_hex(shared_serial(i))) == 1u);

    // The database holds exactly the accepted reservations, each recorded by its winner.
    sqlite_store s(path, ts::test_kek());
    const auto all = s.list_certificates("ca");
    BOOST_TEST(all.size() == reported);
    BOOST_TEST(s.count_certificates("ca") == reported);
    std::set<bytes> distinct;
    for (const auto& rec : all) {
        distinct.insert(rec.serial);
        auto it = winner.find(pca::to_hex(rec.serial));
        BOOST_REQUIRE(it != winner.end());
        BOOST_TEST(rec.arn == "child-" + std::to_string(it->second));
    }
    BOOST_TEST(distinct.size() == all.size());
}

BOOST_AUTO_TEST_CASE(processes_creating_one_new_file_at_once_agree_on_schema_and_salt) {
    scratch_dir dir;
    const auto path = dir.file("fresh.db");
    constexpr unsigned children = 3;
    start_gate gate;
    std::vector<pid_t> pids;
    for (unsigned c = 0; c < children; ++c) {
        pids.push_back(spawn([&, c] {
            gate.wait_in_child();
            sqlite_store s(path, pca::storage::key_encryption_key::from_passphrase("shared secret", 2000));
            auto ca = ts::minimal_ca("ca-" + std::to_string(c));
            ca.private_key = pca::secure_bytes(16, static_cast<std::uint8_t>(c + 1));
            s.insert_ca(ca);
            return 0;
        }));
    }
    gate.open_in_parent();
    for (auto pid : pids) BOOST_TEST(wait_exit_code(pid) == 0);

    sqlite_store s(path, pca::storage::key_encryption_key::from_passphrase("shared secret", 2000));
    const auto cas = s.list_cas();
    BOOST_REQUIRE_EQUAL(cas.size(), children);
    for (const auto& ca : cas) {
        const auto c = static_cast<unsigned>(std::stoi(ca.id.substr(3)));
        BOOST_TEST((ca.private_key == pca::secure_bytes(16, static_cast<std::uint8_t>(c + 1))));
    }
}

BOOST_AUTO_TEST_CASE(crl_numbers_from_several_processes_are_unique_and_increasing) {
    scratch_dir dir;
    const auto path = dir.file("pca.db");
    { sqlite_store(path, ts::test_kek()).insert_ca(ts::minimal_ca("ca")); }
    constexpr unsigned children = 3, per_child = 150;
    start_gate gate;
    std::vector<pid_t> pids;
    for (unsigned c = 0; c < children; ++c) {
        pids.push_back(spawn([&, c] {
            sqlite_store s(path, ts::test_kek());
            gate.wait_in_child();
            std::ostringstream out;
            std::int64_t last = 0;
            for (unsigned i = 0; i < per_child; ++i) {
                const auto n = s.next_crl_number("ca");
                if (n <= last) return 2;  // each process sees its numbers strictly increase
                last = n;
                out << n << '\n';
            }
            pca::test::write_file(dir.file("crl-" + std::to_string(c)), pca::byte_view(out.str()));
            return 0;
        }));
    }
    gate.open_in_parent();
    for (auto pid : pids) BOOST_TEST(wait_exit_code(pid) == 0);
    std::set<std::int64_t> seen;
    for (unsigned c = 0; c < children; ++c)
        for (const auto& line : read_lines(dir.file("crl-" + std::to_string(c))))
            BOOST_TEST(seen.insert(std::stoll(line)).second, "CRL number " << line << " handed out twice");
    BOOST_TEST(seen.size() == children * per_child);
    BOOST_TEST(*seen.begin() == 1);
    BOOST_TEST(*seen.rbegin() == static_cast<std::int64_t>(children * per_child));  // none skipped
    BOOST_TEST(sqlite_store(path, ts::test_kek()).find_ca("ca")->crl_number == children * per_child);
}


// sqlite_durability::process_crash commits without fsync (synchronous=NORMAL); a process that
// dies right after a method returned (no destructor, no close, no checkpoint: SIGKILL) must
// still have every change in the file, as the default mode does.
BOOST_AUTO_TEST_CASE(process_crash_durability_keeps_every_commit_of_a_killed_process) {
    scratch_dir dir;
    const auto path = dir.file("pca.db");
    pca::storage::sqlite_store_options fast;
    fast.durability = pca::storage::sqlite_durability::process_crash;
    constexpr unsigned count = 50;
    const pid_t pid = spawn([&] {
        auto* s = new sqlite_store(path, ts::test_kek(), fast);  // never destroyed: the process dies holding it
        s->insert_ca(ts::minimal_ca("ca"));
        for (unsigned i = 0; i < count; ++i) {
            auto rec = ts::make_certificate("ca", shared_serial(i));
            if (!s->reserve_certificate(rec)) return 4;
            s->complete_certificate("ca", rec.serial, bytes{0x30, 0x01, static_cast<std::uint8_t>(i)});
        }
        ::kill(::getpid(), SIGKILL);
        return 5;  // not reached
    });
    BOOST_TEST(wait_exit_code(pid) == 128 + SIGKILL);
    sqlite_store reopened(path, ts::test_kek());
    BOOST_TEST(reopened.count_certificates("ca") == count);
    for (unsigned i = 0; i < count; ++i) {
        const auto rec = reopened.find_certificate("ca", shared_serial(i));
        BOOST_TEST_REQUIRE(rec.has_value());
        BOOST_TEST((rec->certificate == bytes{0x30, 0x01, static_cast<std::uint8_t>(i)}));
    }
}

BOOST_AUTO_TEST_SUITE_END()
