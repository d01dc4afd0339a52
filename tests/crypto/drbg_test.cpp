// The CTR_DRBG random source: output, large requests, sharing between threads, fork safety.
#include "pca/crypto/drbg.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

using namespace pca;

BOOST_AUTO_TEST_SUITE(crypto_drbg)

BOOST_AUTO_TEST_CASE(outputs_differ_between_calls_and_instances) {
    crypto::ctr_drbg a;
    crypto::ctr_drbg b("another personalization");
    const bytes a1 = a.generate(32), a2 = a.generate(32), b1 = b.generate(32);
    BOOST_TEST(a1.size() == 32u);
    BOOST_TEST(a1 != a2);
    BOOST_TEST(a1 != b1);
    BOOST_TEST(a1 != bytes(32, 0));
}

BOOST_AUTO_TEST_CASE(serves_requests_larger_than_one_drbg_call) {
    crypto::ctr_drbg d;
    const bytes big = d.generate(5000);  // MBEDTLS_CTR_DRBG_MAX_REQUEST is 1024
    BOOST_TEST(big.size() == 5000u);
    // No 16-byte block repeats (a stuck or wrapped generator would repeat).
    std::set<bytes> blocks;
    for (std::size_t i = 0; i + 16 <= big.size(); i += 16) blocks.insert(bytes(big.begin() + i, big.begin() + i + 16));
    BOOST_TEST(blocks.size() == big.size() / 16);
    d.fill(nullptr, 0);  // zero-length request is a no-op
    d.reseed();
    BOOST_TEST(d.generate(16) != bytes(16, 0));
}

BOOST_AUTO_TEST_CASE(one_instance_is_safe_to_share_between_threads) {
    crypto::ctr_drbg shared;
    std::vector<std::vector<bytes>> results(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) results[t].push_back(shared.generate(16));
        });
    for (auto& th : threads) th.join();
    std::set<bytes> all;
    for (const auto& r : results) all.insert(r.begin(), r.end());
    BOOST_TEST(all.size() == 2000u);
}

BOOST_AUTO_TEST_CASE(thread_local_drbg_is_one_instance_per_thread) {
    rng* mine = &crypto::thread_local_drbg();
    BOOST_TEST(mine == &crypto::thread_local_drbg());
    rng* other = nullptr;
    bytes other_bytes;
    std::thread([&] {
        other = &crypto::thread_local_drbg();
        other_bytes = other->generate(32);
    }).join();
    BOOST_TEST(other != mine);
    BOOST_TEST(other_bytes != mine->generate(32));
}

BOOST_AUTO_TEST_CASE(child_process_does_not_repeat_the_parent_stream) {
    crypto::ctr_drbg d;
    (void)d.generate(16);  // the state that fork() duplicates
    int fds[2];
    BOOST_REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        std::uint8_t buf[32] = {};
        try {
            d.fill(buf, sizeof buf);
        } catch (...) {
            _exit(2);
        }
        const bool ok = write(fds[1], buf, sizeof buf) == static_cast<ssize_t>(sizeof buf);
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    const bytes parent = d.generate(32);
    bytes child(32);
    const ssize_t n = read(fds[0], child.data(), child.size());
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    BOOST_REQUIRE(WIFEXITED(status));
    BOOST_REQUIRE(WEXITSTATUS(status) == 0);
    BOOST_REQUIRE(n == 32);
    BOOST_TEST(parent != child);
}

BOOST_AUTO_TEST_SUITE_END()
