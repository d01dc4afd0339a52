// examples/pca-server/handler.hpp - one HTTP request in, one HTTP response out, no sockets.
//
//   pca::server::handler h(service, {"us-east-1", "123456789012"}, clock);
//   pca::server::http_response r = h.handle({"POST", "/", headers, body});
//
// The AWS JSON 1.1 protocol of acm-pca: POST /, X-Amz-Target: ACMPrivateCA.<Operation>, a
// JSON body with the model's member names; the answer is 200 and the result's JSON, or an
// error `{"__type": "<Name>", "message": "..."}` with status 400 (413 for a body over the
// limit, 404/405 for other paths and methods, 500 only for an internal fault).
// handle() never throws; it holds no global state (one handler per service; several threads
// may call handle() at once: the service and stores are thread-safe).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_codec.hpp"
#include "pca/core/error.hpp"
#include "pca/core/time.hpp"
#include "pca/service/service.hpp"
#include "sigv4.hpp"

namespace pca::server {

struct http_request {
    std::string method;
    std::string target;  ///< path and query as sent ("/" or "/?a=b")
    sigv4::header_list headers;
    std::string body;
};

struct http_response {
    int status = 200;
    sigv4::header_list headers;
    std::string body;

    std::string header(std::string_view name) const {
        auto v = sigv4::header_values(headers, name);
        return v.empty() ? std::string() : std::string(v.front());
    }
};

struct handler_options {
    std::string region = "us-east-1";
    /// The account every request acts as when `keys` is absent.
    std::string account_id = "123456789012";
    /// With keys, every request must carry a valid SigV4 signature by one of them and acts
    /// as that key's account.
    std::optional<sigv4::key_table> keys;
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    std::size_t max_json_depth = 64;
    /// Called with a line for every internal fault (HTTP 500); may be empty.
    std::function<void(const std::string&)> log;
};

/// The 23 operations of the model, by wire name.
inline const std::vector<std::string_view>& operation_names() {
    static const std::vector<std::string_view> names = {
        "CreateCertificateAuthority",
        "CreateCertificateAuthorityAuditReport",
        "CreatePermission",
        "DeleteCertificateAuthority",
        "DeletePermission",
        "DeletePolicy",
        "DescribeCertificateAuthority",
        "DescribeCertificateAuthorityAuditReport",
        "GetCertificate",
        "GetCertificateAuthorityCertificate",
        "GetCertificateAuthorityCsr",
        "GetPolicy",
        "ImportCertificateAuthorityCertificate",
        "IssueCertificate",
        "ListCertificateAuthorities",
        "ListPermissions",
        "ListTags",
        "PutPolicy",
        "RestoreCertificateAuthority",
        "RevokeCertificate",
        "TagCertificateAuthority",
        "UntagCertificateAuthority",
        "UpdateCertificateAuthority",
    };
    return names;
}

namespace detail {

using operation = json (*)(pca::service&, const json&, const caller&);

template <class Req, class Res, Res (pca::service::*Method)(const Req&, const caller&)>
json call(pca::service& s, const json& body, const caller& who) {
    return codec::encode((s.*Method)(codec::decode<Req>(body), who));
}
template <class Req, void (pca::service::*Method)(const Req&, const caller&)>
json call_void(pca::service& s, const json& body, const caller& who) {
    (s.*Method)(codec::decode<Req>(body), who);
    return json::object();
}

inline const std::map<std::string, operation, std::less<>>& operations() {
    using S = pca::service;
    static const std::map<std::string, operation, std::less<>> table = {
        {"CreateCertificateAuthority",
         &call<create_certificate_authority_request, create_certificate_authority_result, &S::create_certificate_authority>},
        {"CreateCertificateAuthorityAuditReport",
         &call<create_certificate_authority_audit_report_request, create_certificate_authority_audit_report_result,
               &S::create_certificate_authority_audit_report>},
        {"CreatePermission", &call_void<create_permission_request, &S::create_permission>},
        {"DeleteCertificateAuthority", &call_void<delete_certificate_authority_request, &S::delete_certificate_authority>},
        {"DeletePermission", &call_void<delete_permission_request, &S::delete_permission>},
        {"DeletePolicy", &call_void<delete_policy_request, &S::delete_policy>},
        {"DescribeCertificateAuthority",
         &call<describe_certificate_authority_request, describe_certificate_authority_result, &S::describe_certificate_authority>},
        {"DescribeCertificateAuthorityAuditReport",
         &call<describe_certificate_authority_audit_report_request, describe_certificate_authority_audit_report_result,
               &S::describe_certificate_authority_audit_report>},
        {"GetCertificate", &call<get_certificate_request, get_certificate_result, &S::get_certificate>},
        {"GetCertificateAuthorityCertificate",
         &call<get_certificate_authority_certificate_request, get_certificate_authority_certificate_result,
               &S::get_certificate_authority_certificate>},
        {"GetCertificateAuthorityCsr",
         &call<get_certificate_authority_csr_request, get_certificate_authority_csr_result, &S::get_certificate_authority_csr>},
        {"GetPolicy", &call<get_policy_request, get_policy_result, &S::get_policy>},
        {"ImportCertificateAuthorityCertificate",
         &call_void<import_certificate_authority_certificate_request, &S::import_certificate_authority_certificate>},
        {"IssueCertificate", &call<issue_certificate_request, issue_certificate_result, &S::issue_certificate>},
        {"ListCertificateAuthorities",
         &call<list_certificate_authorities_request, list_certificate_authorities_result, &S::list_certificate_authorities>},
        {"ListPermissions", &call<list_permissions_request, list_permissions_result, &S::list_permissions>},
        {"ListTags", &call<list_tags_request, list_tags_result, &S::list_tags>},
        {"PutPolicy", &call_void<put_policy_request, &S::put_policy>},
        {"RestoreCertificateAuthority", &call_void<restore_certificate_authority_request, &S::restore_certificate_authority>},
        {"RevokeCertificate", &call_void<revoke_certificate_request, &S::revoke_certificate>},
        {"TagCertificateAuthority", &call_void<tag_certificate_authority_request, &S::tag_certificate_authority>},
        {"UntagCertificateAuthority", &call_void<untag_certificate_authority_request, &S::untag_certificate_authority>},
        {"UpdateCertificateAuthority", &call_void<update_certificate_authority_request, &S::update_certificate_authority>},
    };
    return table;
}

/// Nesting depth of the JSON text's arrays and objects (strings skipped); stops counting
/// past `limit`. Keeps pathological input ([[[[...) away from the JSON library.
inline std::size_t json_depth(std::string_view text, std::size_t limit) {
    std::size_t depth = 0, max_depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > max_depth) max_depth = depth;
            if (max_depth > limit) return max_depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return max_depth;
}

}  // namespace detail

class handler {
public:
    handler(pca::service& service, handler_options options, const pca::clock& clock)
        : m_service(service), m_options(std::move(options)), m_clock(clock) {}

    handler(const handler&) = delete;
    handler& operator=(const handler&) = delete;

    const handler_options& options() const noexcept { return m_options; }

    /// Never throws (but std::bad_alloc while building the answer to a bad_alloc).
    http_response handle(const http_request& req) const {
        http_response res;
        const std::string request_id = next_request_id();
        try {
            res = dispatch(req);
        } catch (const pca::error& e) {
            res = error_response(400, std::string(e.aws_name()), e.message());
        } catch (const protocol_error& e) {
            res = error_response(e.status(), e.type(), e.what());
        } catch (const std::bad_alloc&) {
            res = error_response(500, "InternalFailure", "the server ran out of memory for this request");
        } catch (const std::exception& e) {
            if (m_options.log) m_options.log("internal failure (request " + request_id + "): " + e.what());
            res = error_response(500, "InternalFailure", "internal failure; the server log has the details (request " + request_id + ")");
        } catch (...) {
            if (m_options.log) m_options.log("internal failure (request " + request_id + "): unknown exception");
            res = error_response(500, "InternalFailure", "internal failure (request " + request_id + ")");
        }
        res.headers.emplace_back("x-amzn-RequestId", request_id);
        return res;
    }

private:
    http_response dispatch(const http_request& req) const {
        const std::size_t q = req.target.find('?');
        const std::string_view path = std::string_view(req.target).substr(0, q);
        const std::string_view query = q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1);
        if (path != "/") throw protocol_error(404, "UnknownOperationException", "no such resource: " + std::string(path) + " (acm-pca is served at POST /)");
        if (req.method != "POST") throw protocol_error(405, "UnknownOperationException", "method " + req.method + " is not allowed; acm-pca uses POST /");
        if (req.body.size() > m_options.max_body_bytes)
            throw protocol_error(413, "RequestEntityTooLargeException",
                                 "the request body has " + std::to_string(req.body.size()) + " bytes; the limit is " +
                                     std::to_string(m_options.max_body_bytes));

        caller who{m_options.account_id, std::nullopt};
        if (m_options.keys) {
            sigv4::request_view view{req.method, path, query, &req.headers, req.body};
            sigv4::failure why{};
            auto id = sigv4::verify(view, *m_options.keys, m_options.region, "acm-pca", m_clock.now_seconds(), why);
            if (!id) throw protocol_error(why.status, why.type, why.message);
            who.account_id = id->account_id;
        }

        const auto targets = sigv4::header_values(req.headers, "x-amz-target");
        if (targets.size() != 1) throw protocol_error(400, "UnknownOperationException", "the request needs one X-Amz-Target header");
        constexpr std::string_view prefix = "ACMPrivateCA.";
        const std::string_view target = targets[0];
        if (target.substr(0, prefix.size()) != prefix)
            throw protocol_error(400, "UnknownOperationException",
                                 "X-Amz-Target '" + std::string(target) + "' is not an ACMPrivateCA operation");
        const auto& ops = detail::operations();
        const auto op = ops.find(target.substr(prefix.size()));
        if (op == ops.end())
            throw protocol_error(400, "UnknownOperationException", "unknown operation '" + std::string(target.substr(prefix.size())) + "'");

        json body = json::object();
        if (!req.body.empty()) {
            if (detail::json_depth(req.body, m_options.max_json_depth) > m_options.max_json_depth)
                throw protocol_error(400, "SerializationException",
                                     "the request body nests deeper than " + std::to_string(m_options.max_json_depth) + " levels");
            body = json::parse(req.body.begin(), req.body.end(), nullptr, false);
            if (body.is_discarded()) throw protocol_error(400, "SerializationException", "the request body is not valid JSON");
            if (!body.is_object()) throw protocol_error(400, "SerializationException", "the request body must be a JSON object");
        }
        const json result = op->second(m_service, body, who);
        http_response res;
        res.status = 200;
        res.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
        res.body = result.dump(-1, ' ', false, json::error_handler_t::replace);
        return res;
    }

public:
    /// The error body every failure gets (also used by the transport for its own refusals).
    static http_response error_response(int status, const std::string& type, const std::string& message) {
        http_response res;
        res.status = status;
        res.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
        res.headers.emplace_back("x-amzn-ErrorType", type);
        json body = {{"__type", type}, {"message", message}};
        res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
        return res;
    }

private:
    std::string next_request_id() const {
        const std::uint64_t n = ++m_requests;
        char buf[48];
        std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx", static_cast<unsigned long long>(n & 0xffffffffffffULL));
        return buf;
    }

    pca::service& m_service;
    handler_options m_options;
    const pca::clock& m_clock;
    mutable std::atomic<std::uint64_t> m_requests{0};
};

}  // namespace pca::server
