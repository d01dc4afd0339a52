// pca/service/pagination.hpp - opaque NextTokens: the position after the last item of a
// page, bound to the listing it belongs to and authenticated with HMAC-SHA256 under a
// per-service random key, so a forged or foreign token is refused and a token keeps its
// place when items are inserted concurrently (positions are keys, not offsets).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/hmac.hpp"
#include "pca/der/base64.hpp"

namespace pca {

/// Model shape NextToken: 1..43739 characters.
inline constexpr std::size_t max_next_token_size = 43739;

class page_token_codec {
public:
    explicit page_token_codec(bytes key, std::chrono::seconds lifetime = std::chrono::hours(24))
        : m_key(std::move(key)), m_lifetime(lifetime) {}

    /// A token for `position` within the listing `scope`, issued at `now`.
    std::string encode(const std::string& scope, const std::string& position, sys_seconds now) const {
        std::string body = std::to_string(to_unix(now)) + "\n" + position;
        bytes mac = crypto::hmac_sha256(m_key, byte_view(scope + "\n" + body));
        bytes raw(body.begin(), body.end());
        raw.insert(raw.end(), mac.begin(), mac.end());
        return der::base64_encode(raw);
    }

    /// The position a token holds; InvalidNextTokenException when it is malformed, forged,
    /// from another listing, or older than the lifetime.
    std::string decode(const std::string& scope, const std::string& token, sys_seconds now) const {
        if (token.empty() || token.size() > max_next_token_size) throw invalid_next_token_exception("NextToken has an invalid length");
        auto raw = der::base64_decode(token);
        if (!raw || raw->size() < 33) throw invalid_next_token_exception("NextToken is not a token this service issued");
        const std::string body(raw->begin(), raw->end() - 32);
        const byte_view mac(raw->data() + raw->size() - 32, 32);
        if (!crypto::equal_constant_time(crypto::hmac_sha256(m_key, byte_view(scope + "\n" + body)), mac))
            throw invalid_next_token_exception("NextToken is not valid for this request");
        const std::size_t nl = body.find('\n');
        if (nl == std::string::npos) throw invalid_next_token_exception("NextToken is malformed");
        std::int64_t issued = 0;
        try {
            issued = std::stoll(body.substr(0, nl));
        } catch (const std::exception&) {
            throw invalid_next_token_exception("NextToken is malformed");
        }
        if (now - from_unix(issued) > m_lifetime) throw invalid_next_token_exception("NextToken has expired");
        return body.substr(nl + 1);
    }

private:
    bytes m_key;
    std::chrono::seconds m_lifetime;
};

}  // namespace pca
