// pca/crypto/drbg.hpp - the production random source: mbedTLS entropy + CTR_DRBG.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>

#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#include <unistd.h>
#define PCA_CRYPTO_HAS_ATFORK 1
#else
#define PCA_CRYPTO_HAS_ATFORK 0
#endif

#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/crypto/compat.hpp"

namespace pca::crypto {

namespace detail {

/// Incremented in the child after every fork(), so that each DRBG notices it was duplicated
/// and reseeds before its next output (otherwise parent and child would emit the same bytes,
/// e.g. the same certificate serial numbers). mbedTLS itself has no fork detection.
inline std::atomic<std::uint64_t>& fork_generation() noexcept {
    static std::atomic<std::uint64_t> generation{0};
    return generation;
}

inline void on_fork_child() noexcept { fork_generation().fetch_add(1, std::memory_order_relaxed); }

inline std::uint64_t current_fork_generation() noexcept {
#if PCA_CRYPTO_HAS_ATFORK
    static const bool registered = (pthread_atfork(nullptr, nullptr, &on_fork_child) == 0);
    (void)registered;
#endif
    return fork_generation().load(std::memory_order_relaxed);
}

/// Adapts a pca::rng to the mbedTLS f_rng callback. mbedTLS is C and cannot carry an
/// exception, so the callback parks it here and the caller rethrows it after mbedTLS returns.
struct rng_bridge {
    pca::rng* source;
    std::exception_ptr error{};

    explicit rng_bridge(pca::rng& r) noexcept : source(&r) {}

    static int callback(void* self, unsigned char* out, std::size_t n) noexcept {
        auto* bridge = static_cast<rng_bridge*>(self);
        try {
            if (n) bridge->source->fill(out, n);
            return 0;
        } catch (...) {
            if (!bridge->error) bridge->error = std::current_exception();
            return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
        }
    }

    /// Rethrows what the pca::rng threw inside an mbedTLS call, if anything.
    void rethrow_if_failed() const {
        if (error) std::rethrow_exception(error);
    }
};

}  // namespace detail

/// NIST SP 800-90A CTR_DRBG (AES-256) seeded from mbedTLS's default entropy sources (the OS
/// RNG: getrandom()/ /dev/urandom on Linux), with mbedTLS's default reseed interval
/// (MBEDTLS_CTR_DRBG_RESEED_INTERVAL requests) and prediction resistance off.
///
/// Thread safety: fill() takes a per-instance std::mutex, so one instance may be shared by
/// any number of threads (they serialize on it). For parallel work use thread_local_drbg(),
/// which gives every thread its own instance; its mutex is then never contended.
/// After fork() the child reseeds from fresh entropy before its first output.
///
/// Non-copyable and non-movable (mbedTLS keeps a pointer from the DRBG to the entropy
/// context); the contexts are freed, and thereby zeroized, by the destructor.
class ctr_drbg final : public pca::rng {
public:
    explicit ctr_drbg(std::string_view personalization = "pca") {
        mbedtls_entropy_init(&m_entropy);
        mbedtls_ctr_drbg_init(&m_drbg);
        m_fork_generation = detail::current_fork_generation();
        const int rc = mbedtls_ctr_drbg_seed(&m_drbg, &mbedtls_entropy_func, &m_entropy,
                                             reinterpret_cast<const unsigned char*>(personalization.data()),
                                             personalization.size());
        if (rc != 0) {
            release();
            throw request_failed_exception("ctr_drbg: seeding from the entropy source failed: " +
                                           compat::error_text(rc));
        }
        mbedtls_ctr_drbg_set_prediction_resistance(&m_drbg, MBEDTLS_CTR_DRBG_PR_OFF);
    }

    ~ctr_drbg() override { release(); }

    ctr_drbg(const ctr_drbg&) = delete;
    ctr_drbg& operator=(const ctr_drbg&) = delete;

    /// Fills [out, out + n); throws pca::request_failed_exception when mbedTLS fails (entropy
    /// source failure during a reseed). Never returns partial or weak output silently.
    void fill(std::uint8_t* out, std::size_t n) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        const std::uint64_t generation = detail::current_fork_generation();
        if (generation != m_fork_generation) reseed_locked(generation);
        std::uint8_t* const begin = out;
        const std::size_t total = n;
        while (n > 0) {
            const std::size_t chunk = n < MBEDTLS_CTR_DRBG_MAX_REQUEST ? n : MBEDTLS_CTR_DRBG_MAX_REQUEST;
            const int rc = mbedtls_ctr_drbg_random(&m_drbg, out, chunk);
            if (rc != 0) {
                secure_zero(begin, total);
                throw request_failed_exception("ctr_drbg: generating random bytes failed: " +
                                               compat::error_text(rc));
            }
            out += chunk;
            n -= chunk;
        }
    }

    /// Mixes fresh entropy into the state now (mbedTLS also does it every
    /// MBEDTLS_CTR_DRBG_RESEED_INTERVAL requests on its own).
    void reseed() {
        std::lock_guard<std::mutex> lock(m_mutex);
        reseed_locked(detail::current_fork_generation());
    }

private:
    void reseed_locked(std::uint64_t generation) {
        std::uint64_t additional[2] = {generation, 0};
#if PCA_CRYPTO_HAS_ATFORK
        additional[1] = static_cast<std::uint64_t>(::getpid());
#endif
        const int rc = mbedtls_ctr_drbg_reseed(&m_drbg, reinterpret_cast<const unsigned char*>(additional),
                                               sizeof additional);
        if (rc != 0)
            throw request_failed_exception("ctr_drbg: reseeding from the entropy source failed: " +
                                           compat::error_text(rc));
        m_fork_generation = generation;
    }

    void release() noexcept {
        mbedtls_ctr_drbg_free(&m_drbg);  // zeroizes the key and counter
        mbedtls_entropy_free(&m_entropy);
    }

    std::mutex m_mutex;
    mbedtls_entropy_context m_entropy;
    mbedtls_ctr_drbg_context m_drbg;
    std::uint64_t m_fork_generation = 0;
};

namespace detail {
inline std::string thread_drbg_personalization() {
    static std::atomic<std::uint64_t> counter{0};
    return "pca.thread_local_drbg#" + std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
}
}  // namespace detail

/// This thread's CTR_DRBG, created on first use and destroyed at thread exit. Multi-threaded
/// issuance draws from these so that threads never wait on one shared DRBG lock. The
/// reference must not be handed to another thread that outlives this one.
inline pca::rng& thread_local_drbg() {
    thread_local ctr_drbg instance(detail::thread_drbg_personalization());
    return instance;
}

}  // namespace pca::crypto
