// Shared keys signed with from several threads at once (thread_local_drbg per thread).
#include "pca/crypto/key.hpp"

#include <atomic>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "pca/crypto/drbg.hpp"

using namespace pca;
using crypto::private_key;

BOOST_AUTO_TEST_SUITE(crypto_concurrency)

BOOST_AUTO_TEST_CASE(two_threads_sign_with_shared_keys_and_every_signature_verifies) {
    const private_key ec = private_key::generate(key_algorithm::ec_prime256v1, crypto::thread_local_drbg());
    const private_key rsa = private_key::generate(key_algorithm::rsa_2048, crypto::thread_local_drbg());
    constexpr int per_thread = 200;
    std::atomic<int> verified{0}, failed{0};

    auto worker = [&](int id) {
        rng& r = crypto::thread_local_drbg();
        for (int i = 0; i < per_thread; ++i) {
            const std::string text = "thread " + std::to_string(id) + " message " + std::to_string(i);
            const byte_view msg{std::string_view(text)};
            // Alternate PKCS#1 v1.5 and PSS so that contexts are re-padded between uses.
            const signing_algorithm rsa_alg =
                i % 2 ? signing_algorithm::sha256_with_rsa_pss : signing_algorithm::sha384_with_rsa;
            const bytes s1 = ec.sign(signing_algorithm::sha256_with_ecdsa, msg, r);
            const bytes s2 = rsa.sign(rsa_alg, msg, r);
            const bool ok =
                ec.public_key().verify(crypto::scheme_for(signing_algorithm::sha256_with_ecdsa), msg, s1) &&
                rsa.public_key().verify(crypto::scheme_for(rsa_alg), msg, s2);
            (ok ? verified : failed).fetch_add(1);
        }
    };
    std::thread t1(worker, 1), t2(worker, 2);
    t1.join();
    t2.join();
    BOOST_TEST(failed.load() == 0);
    BOOST_TEST(verified.load() == 2 * per_thread);
}

BOOST_AUTO_TEST_SUITE_END()
