// examples/pca-server/sigv4.hpp - verifying AWS Signature Version 4 (header form) on requests.
//
// The signer's steps (AWS General Reference, "Create a signed AWS API request"):
//   1. canonical request = METHOD \n canonical URI \n canonical query \n canonical headers \n
//      signed headers \n hex(SHA-256(payload))
//      - canonical URI: the path as sent with every byte outside A-Za-z0-9-._~/ percent-
//        encoded (upper-case hex), i.e. encoded twice as every service but S3 does; "/" if empty;
//      - canonical query: name=value pairs, each decoded then re-encoded the same way, sorted;
//      - canonical headers: for each signed header (lower-case name, sorted), "name:value\n"
//        with the value trimmed and inner runs of spaces collapsed, repeated headers joined
//        with ",".
//   2. string to sign = "AWS4-HMAC-SHA256" \n X-Amz-Date \n scope \n hex(SHA-256(step 1)),
//      scope = yyyymmdd/region/service/aws4_request
//   3. signing key = HMAC("AWS4" + secret, yyyymmdd) -> region -> service -> "aws4_request";
//      signature = hex(HMAC(signing key, step 2)).
// verify() recomputes the signature for the claimed key and compares in constant time; it
// also checks the scope (date, region, service) and the clock skew (15 minutes, as AWS).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/digest.hpp"
#include "pca/crypto/hmac.hpp"

namespace pca::server::sigv4 {

using header_list = std::vector<std::pair<std::string, std::string>>;

/// One access key: its id, secret (zeroized when freed) and the account it acts as.
struct access_key {
    std::string access_key_id;
    secure_bytes secret;
    std::string account_id;
};

/// The keys the server accepts, from lines "ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID"
/// (blank lines and lines starting with '#' ignored).
class key_table {
public:
    /// Throws std::invalid_argument naming the line for anything else.
    static key_table parse(std::string_view text) {
        key_table t;
        std::size_t line_no = 0;
        while (!text.empty()) {
            const std::size_t nl = text.find('\n');
            std::string_view line = text.substr(0, nl);
            text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
            ++line_no;
            std::vector<std::string_view> fields;
            std::size_t i = 0;
            while (i < line.size()) {
                while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
                const std::size_t start = i;
                while (i < line.size() && !(line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
                if (i > start) fields.push_back(line.substr(start, i - start));
            }
            if (fields.empty() || fields[0][0] == '#') continue;
            const bool account_ok = fields.size() == 3 && fields[2].size() == 12 &&
                                    std::all_of(fields[2].begin(), fields[2].end(), [](char c) { return c >= '0' && c <= '9'; });
            if (!account_ok)
                throw std::invalid_argument("credentials line " + std::to_string(line_no) +
                                            ": expected ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID (12 digits)");
            access_key k;
            k.access_key_id = std::string(fields[0]);
            k.secret.assign(fields[1].begin(), fields[1].end());
            k.account_id = std::string(fields[2]);
            if (t.m_keys.count(k.access_key_id))
                throw std::invalid_argument("credentials line " + std::to_string(line_no) + ": access key " + k.access_key_id +
                                            " is listed twice");
            t.m_keys.emplace(k.access_key_id, std::move(k));
        }
        return t;
    }
    void add(access_key k) { m_keys[k.access_key_id] = std::move(k); }
    const access_key* find(const std::string& id) const {
        auto it = m_keys.find(id);
        return it == m_keys.end() ? nullptr : &it->second;
    }
    std::size_t size() const noexcept { return m_keys.size(); }

private:
    std::map<std::string, access_key> m_keys;
};

/// What a refused request gets: HTTP status, `__type`, message.
struct failure {
    int status;
    std::string type;
    std::string message;
};

/// The parts of an HTTP request that are signed.
struct request_view {
    std::string_view method;
    std::string_view path;   ///< as sent, before '?'
    std::string_view query;  ///< as sent, after '?' (may be empty)
    const header_list* headers = nullptr;
    std::string_view body;
};

namespace detail {
inline char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline std::string lowercase(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = lower(c);
    return out;
}
inline bool unreserved(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}
inline std::string uri_encode(std::string_view s, bool keep_slash) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (unreserved(c) || (keep_slash && c == '/')) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}
inline int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
inline std::string uri_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}
inline std::string trim_collapse(std::string_view v) {
    std::string out;
    bool space = false;
    for (char c : v) {
        if (c == ' ' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}
inline std::string hex_sha256(std::string_view data) {
    return to_hex(crypto::digest(crypto::hash_algorithm::sha256, byte_view(reinterpret_cast<const std::uint8_t*>(data.data()), data.size())));
}
inline bytes hmac(byte_view key, std::string_view msg) {
    return crypto::hmac_sha256(key, byte_view(reinterpret_cast<const std::uint8_t*>(msg.data()), msg.size()));
}
inline std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t p = s.find(sep, start);
        out.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
        if (p == std::string_view::npos) break;
        start = p + 1;
    }
    return out;
}
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}
/// "20150830T123600Z" -> time; nullopt if malformed.
inline std::optional<sys_seconds> parse_amz_date(std::string_view s) {
    if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t len, unsigned& out) {
        out = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + static_cast<unsigned>(s[i] - '0');
        }
        return true;
    };
    unsigned y, mo, d, h, mi, se;
    if (!num(0, 4, y) || !num(4, 2, mo) || !num(6, 2, d) || !num(9, 2, h) || !num(11, 2, mi) || !num(13, 2, se)) return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
    civil_time c;
    c.year = y;
    c.month = mo;
    c.day = d;
    c.hour = h;
    c.minute = mi;
    c.second = se;
    return to_sys_seconds(c);
}
inline std::string format_amz_date(sys_seconds t) {
    const civil_time c = to_civil(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld%02u%02uT%02u%02u%02uZ", static_cast<long long>(c.year), c.month, c.day, c.hour,
                  c.minute, c.second);
    return buf;
}
}  // namespace detail

/// The values of header `name` (case-insensitive), in order.
inline std::vector<std::string_view> header_values(const header_list& headers, std::string_view name) {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
                return detail::lower(a) == detail::lower(b);
            }))
            out.push_back(v);
    return out;
}

/// Services other than S3 encode the path twice: the path as sent (already percent-encoded
/// by the client) is encoded once more, so "/a%20b" becomes "/a%2520b" (botocore does this).
inline std::string canonical_uri(std::string_view path) {
    if (path.empty()) return "/";
    return detail::uri_encode(path, true);
}

inline std::string canonical_query(std::string_view query) {
    if (query.empty()) return "";
    std::vector<std::pair<std::string, std::string>> pairs;
    for (auto part : detail::split(query, '&')) {
        if (part.empty()) continue;
        const std::size_t eq = part.find('=');
        const std::string_view k = part.substr(0, eq);
        const std::string_view v = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
        pairs.emplace_back(detail::uri_encode(detail::uri_decode(k), false), detail::uri_encode(detail::uri_decode(v), false));
    }
    std::sort(pairs.begin(), pairs.end());
    std::string out;
    for (const auto& [k, v] : pairs) out += (out.empty() ? "" : "&") + k + "=" + v;
    return out;
}

/// Step 1. `signed_headers` are lower-case names, sorted, separated by ';'.
inline std::string canonical_request(const request_view& r, std::string_view signed_headers, std::string_view payload_hash) {
    std::string out;
    out += r.method;
    out += '\n';
    out += canonical_uri(r.path);
    out += '\n';
    out += canonical_query(r.query);
    out += '\n';
    for (auto name : detail::split(signed_headers, ';')) {
        std::string joined;
        bool first = true;
        for (auto v : header_values(*r.headers, name)) {
            if (!first) joined += ',';
            joined += detail::trim_collapse(v);
            first = false;
        }
        out += std::string(name) + ":" + joined + "\n";
    }
    out += '\n';
    out += signed_headers;
    out += '\n';
    out += payload_hash;
    return out;
}

/// Step 2.
inline std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical) {
    return "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" + detail::hex_sha256(canonical);
}

/// Step 3: hex signature.
inline std::string signature(byte_view secret, std::string_view date, std::string_view region, std::string_view service,
                             std::string_view to_sign) {
    secure_bytes k0;
    const std::string_view prefix = "AWS4";
    k0.assign(prefix.begin(), prefix.end());
    k0.insert(k0.end(), secret.data(), secret.data() + secret.size());
    bytes k = detail::hmac(byte_view(k0.data(), k0.size()), date);
    k = detail::hmac(k, region);
    k = detail::hmac(k, service);
    k = detail::hmac(k, "aws4_request");
    const std::string sig = to_hex(detail::hmac(k, to_sign));
    secure_zero(k.data(), k.size());
    return sig;
}

/// What a verified request proved: the key's account.
struct identity {
    std::string access_key_id;
    std::string account_id;
};

/// Checks the request's Authorization header against `keys`. Returns the identity, or the
/// failure the service would answer with.
inline std::optional<identity> verify(const request_view& r, const key_table& keys, std::string_view region,
                                      std::string_view service, sys_seconds now, failure& why,
                                      std::chrono::seconds max_skew = std::chrono::minutes(15)) {
    auto fail = [&](int status, const char* type, std::string message) {
        why = {status, type, std::move(message)};
        return std::nullopt;
    };
    const auto auth = header_values(*r.headers, "authorization");
    if (auth.empty()) {
        if (r.query.find("X-Amz-Signature=") != std::string_view::npos)
            return fail(400, "InvalidSignatureException", "pre-signed URLs (query-string authentication) are not supported");
        return fail(400, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }
    if (auth.size() > 1) return fail(400, "InvalidSignatureException", "more than one Authorization header");
    std::string_view a = detail::trim(auth[0]);
    constexpr std::string_view algo = "AWS4-HMAC-SHA256 ";
    if (a.substr(0, algo.size()) != algo)
        return fail(400, "IncompleteSignatureException",
                    "Authorization header requires the AWS4-HMAC-SHA256 algorithm (Signature Version 4)");
    a.remove_prefix(algo.size());
    std::string_view credential, signed_headers, sig;
    for (auto part : detail::split(a, ',')) {
        part = detail::trim(part);
        const std::size_t eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        const auto k = part.substr(0, eq), v = part.substr(eq + 1);
        if (k == "Credential") credential = v;
        else if (k == "SignedHeaders") signed_headers = v;
        else if (k == "Signature") sig = v;
    }
    if (credential.empty() || signed_headers.empty() || sig.empty())
        return fail(400, "IncompleteSignatureException",
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters");
    const auto scope_parts = detail::split(credential, '/');
    if (scope_parts.size() != 5 || scope_parts[4] != "aws4_request")
        return fail(400, "IncompleteSignatureException",
                    "Credential must have the form ACCESS_KEY_ID/yyyymmdd/region/service/aws4_request");
    const std::string key_id(scope_parts[0]);
    const access_key* key = keys.find(key_id);
    if (!key) return fail(400, "UnrecognizedClientException", "The security token included in the request is invalid.");

    // The request time: X-Amz-Date, else Date is not supported (botocore always sends X-Amz-Date).
    const auto dates = header_values(*r.headers, "x-amz-date");
    if (dates.size() != 1) return fail(400, "IncompleteSignatureException", "the request needs one X-Amz-Date header");
    const std::string_view amz_date = detail::trim(dates[0]);
    const auto t = detail::parse_amz_date(amz_date);
    if (!t) return fail(400, "IncompleteSignatureException", "X-Amz-Date '" + std::string(amz_date) + "' is not yyyymmddThhmmssZ");
    if (*t < now - max_skew)
        return fail(400, "InvalidSignatureException",
                    "Signature expired: " + std::string(amz_date) + " is now earlier than " + detail::format_amz_date(now - max_skew) +
                        " (" + detail::format_amz_date(now) + " - 15 min.)");
    if (*t > now + max_skew)
        return fail(400, "InvalidSignatureException",
                    "Signature not yet current: " + std::string(amz_date) + " is still later than " +
                        detail::format_amz_date(now + max_skew) + " (" + detail::format_amz_date(now) + " + 15 min.)");
    if (scope_parts[1] != amz_date.substr(0, 8))
        return fail(400, "InvalidSignatureException",
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                        std::string(scope_parts[1]) + "' != '" + std::string(amz_date.substr(0, 8)) + "'");
    if (scope_parts[2] != region)
        return fail(400, "InvalidSignatureException",
                    "Credential should be scoped to a valid region, not '" + std::string(scope_parts[2]) + "'. ");
    if (scope_parts[3] != service)
        return fail(400, "InvalidSignatureException",
                    "Credential should be scoped to correct service: '" + std::string(service) + "'. ");

    // Signed headers: lower-case, sorted, and must include host.
    bool has_host = false;
    std::string previous;
    for (auto name : detail::split(signed_headers, ';')) {
        if (name.empty() || detail::lowercase(name) != name || std::string(name) <= previous)
            return fail(400, "InvalidSignatureException", "SignedHeaders must be lower-case names, sorted, without repeats");
        if (header_values(*r.headers, name).empty())
            return fail(400, "InvalidSignatureException", "signed header '" + std::string(name) + "' is not in the request");
        has_host = has_host || name == "host";
        previous = std::string(name);
    }
    if (!has_host) return fail(400, "InvalidSignatureException", "the 'host' header must be signed");

    const std::string payload_hash = detail::hex_sha256(r.body);
    const auto declared = header_values(*r.headers, "x-amz-content-sha256");
    if (!declared.empty() && detail::trim(declared[0]) != payload_hash)
        return fail(400, "InvalidSignatureException", "x-amz-content-sha256 does not match the request body");

    const std::string canonical = canonical_request(r, signed_headers, payload_hash);
    const std::string scope = std::string(scope_parts[1]) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
    const std::string expected =
        signature(byte_view(key->secret.data(), key->secret.size()), scope_parts[1], region, service, string_to_sign(amz_date, scope, canonical));
    const std::string given = detail::lowercase(sig);
    if (!crypto::equal_constant_time(byte_view(reinterpret_cast<const std::uint8_t*>(expected.data()), expected.size()),
                                     byte_view(reinterpret_cast<const std::uint8_t*>(given.data()), given.size())))
        return fail(400, "InvalidSignatureException",
                    "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                    "Access Key and signing method.");
    return identity{key->access_key_id, key->account_id};
}

}  // namespace pca::server::sigv4
