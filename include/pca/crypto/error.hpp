// pca/crypto/error.hpp - the error the crypto layer throws for bad keys and failed operations.
#pragma once

#include <stdexcept>
#include <string>

namespace pca::crypto {

/// Thrown for key material that cannot be used (garbage or truncated DER, unsupported key
/// sizes or curves, encrypted PKCS#8) and for mbedTLS failures other than "the signature does
/// not verify" (verify() returns false for that). The facade translates it into the service
/// error that fits the input at hand (MalformedCSRException, InvalidArgsException, ...).
///
/// Algorithms the build does not implement (SM2, ML-DSA) and wrong key/algorithm pairings are
/// reported as pca::invalid_args_exception instead, because the service names that error.
/// A failing random source is reported as pca::request_failed_exception.
class crypto_error : public std::runtime_error {
public:
    /// `message` without prefix; what() is "[pca.crypto] <message>".
    explicit crypto_error(const std::string& message, int mbedtls_code = 0)
        : std::runtime_error("[pca.crypto] " + message), m_mbedtls_code(mbedtls_code) {}

    /// The (negative) mbedTLS error code behind the failure, or 0 when there is none.
    int mbedtls_code() const noexcept { return m_mbedtls_code; }

private:
    int m_mbedtls_code;
};

}  // namespace pca::crypto
