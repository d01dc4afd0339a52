// pca/service/resource_policy.hpp - resource-based policies (PutPolicy): the IAM policy
// grammar the service accepts, and their evaluation for callers from other accounts.
//
//   { "Version": "2012-10-17",
//     "Statement": [ { "Sid": "...", "Effect": "Allow" | "Deny",
//                      "Principal": "*" | { "AWS": "<account>|arn:aws:iam::<account>:root|[...]",
//                                           "Service": "acm.amazonaws.com" },
//                      "Action": "acm-pca:IssueCertificate" | [ ... ],
//                      "Resource": "<CA ARN>" | [ ... ],
//                      "Condition": { "<Operator>": { "<key>": "<value>" | [ ... ] } } } ] }
//
// Actions a resource policy may grant (docs/policies.md): DescribeCertificateAuthority,
// GetCertificate, GetCertificateAuthorityCertificate, IssueCertificate, ListPermissions,
// ListTags - with IAM wildcards (* and ?) over them.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pca/core/error.hpp"

namespace pca {

/// Model shape AWSPolicy: 1..20480 characters.
inline constexpr std::size_t max_policy_size = 20480;
/// Deepest nesting of JSON arrays and objects a policy may use (a real one needs 5: the
/// document, Statement list, statement, Condition, operator block). Documented in
/// docs/security.md; deeper text is refused before the JSON parser builds anything.
inline constexpr std::size_t max_policy_depth = 32;

namespace detail {
/// The deepest nesting of [ and { in JSON text, outside strings.
inline std::size_t json_nesting_depth(std::string_view text) noexcept {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) deepest = depth;
        } else if ((c == ']' || c == '}') && depth) {
            --depth;
        }
    }
    return deepest;
}
}  // namespace detail

inline constexpr std::string_view policy_actions[] = {
    "acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificate", "acm-pca:GetCertificateAuthorityCertificate",
    "acm-pca:IssueCertificate",             "acm-pca:ListPermissions", "acm-pca:ListTags",
};

/// IAM wildcard match: '*' any run, '?' one character; case-sensitive.
inline bool iam_glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

/// The values a request brings to condition evaluation, by condition key.
using policy_context = std::map<std::string, std::string>;

class resource_policy {
public:
    struct condition {
        std::string op;    ///< StringEquals, StringLike, ArnLike, ... (IfExists allowed)
        std::string key;   ///< e.g. acm-pca:TemplateArn, aws:SourceAccount
        std::vector<std::string> values;
    };
    struct statement {
        bool allow = true;
        bool any_principal = false;
        std::vector<std::string> accounts;  ///< 12-digit account ids
        std::vector<std::string> services;  ///< e.g. acm.amazonaws.com
        std::vector<std::string> actions;   ///< patterns
        std::vector<std::string> resources; ///< patterns
        std::vector<condition> conditions;
    };

    /// Parses and validates `text` for the CA `resource_arn`; InvalidPolicyException with the
    /// reason for anything the service would refuse.
    static resource_policy parse(std::string_view text, const std::string& resource_arn) {
        if (text.empty() || text.size() > max_policy_size)
            fail("the policy must be 1 to 20480 characters, got " + std::to_string(text.size()));
        if (detail::json_nesting_depth(text) > max_policy_depth)
            fail("the policy nests JSON arrays and objects deeper than " + std::to_string(max_policy_depth) + " levels");
        nlohmann::json doc;
        // A key given twice in one object ({"Effect":"Deny","Effect":"Allow"}) is refused: JSON
        // parsers disagree on which value wins, and a reviewer may read the other one.
        std::vector<std::set<std::string, std::less<>>> keys;  // the keys of each open object
        std::string repeated;
        const auto watch = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
            using ev = nlohmann::json::parse_event_t;
            if (event == ev::object_start) {
                keys.emplace_back();
            } else if (event == ev::object_end) {
                if (!keys.empty()) keys.pop_back();
            } else if (event == ev::key && !keys.empty() && parsed.is_string()) {
                const std::string& k = parsed.get_ref<const std::string&>();
                if (!keys.back().insert(k).second && repeated.empty()) repeated = k.substr(0, 64);
            }
            return true;
        };
        try {
            doc = nlohmann::json::parse(text.begin(), text.end(), watch, true, false);
        } catch (const nlohmann::json::exception& e) {
            fail(std::string("the policy is not valid JSON: ") + e.what());
        }
        if (!repeated.empty()) fail("the policy gives the key \"" + repeated + "\" twice in one object");
        if (!doc.is_object()) fail("the policy must be a JSON object");
        resource_policy p;
        for (const auto& [k, v] : doc.items()) {
            if (k == "Version") {
                if (!v.is_string() || (v != "2012-10-17" && v != "2008-10-17"))
                    fail("Version must be \"2012-10-17\" or \"2008-10-17\"");
            } else if (k == "Id") {
                if (!v.is_string()) fail("Id must be a string");
            } else if (k != "Statement") {
                fail("unknown top-level element '" + k + "'");
            }
        }
        if (!doc.contains("Version")) fail("Version is required");
        if (!doc.contains("Statement")) fail("Statement is required");
        const auto& st = doc["Statement"];
        if (st.is_object()) {
            p.m_statements.push_back(parse_statement(st, resource_arn, 0));
        } else if (st.is_array()) {
            if (st.empty()) fail("Statement must not be empty");
            for (std::size_t i = 0; i < st.size(); ++i) p.m_statements.push_back(parse_statement(st[i], resource_arn, i));
        } else {
            fail("Statement must be an object or a list of objects");
        }
        return p;
    }

    const std::vector<statement>& statements() const noexcept { return m_statements; }

    /// True when the policy allows `account` (or `service` principal) to perform `action`
    /// on `resource`: some Allow statement matches and no Deny statement does.
    bool allows(const std::string& account, const std::string& service, std::string_view action,
                const std::string& resource, const policy_context& context) const {
        bool allowed = false;
        for (const auto& s : m_statements) {
            if (!matches(s, account, service, action, resource, context)) continue;
            if (!s.allow) return false;
            allowed = true;
        }
        return allowed;
    }

private:
    [[noreturn]] static void fail(const std::string& why) { throw invalid_policy_exception(why); }

    static std::vector<std::string> strings(const nlohmann::json& v, const std::string& what) {
        std::vector<std::string> out;
        if (v.is_string()) {
            out.push_back(v.get<std::string>());
        } else if (v.is_array() && !v.empty()) {
            for (const auto& x : v) {
                if (!x.is_string()) fail(what + " must hold strings");
                out.push_back(x.get<std::string>());
            }
        } else {
            fail(what + " must be a string or a non-empty list of strings");
        }
        return out;
    }

    static bool is_account(std::string_view s) {
        if (s.size() != 12) return false;
        for (char c : s)
            if (c < '0' || c > '9') return false;
        return true;
    }

    static statement parse_statement(const nlohmann::json& j, const std::string& resource_arn, std::size_t index) {
        const std::string where = "Statement[" + std::to_string(index) + "]";
        if (!j.is_object()) fail(where + " must be an object");
        statement s;
        for (const auto& [k, v] : j.items())
            if (k != "Sid" && k != "Effect" && k != "Principal" && k != "Action" && k != "Resource" && k != "Condition")
                fail(where + ": unsupported element '" + k + "' (NotPrincipal, NotAction and NotResource are not accepted)");
        if (j.contains("Sid") && !j["Sid"].is_string()) fail(where + ".Sid must be a string");
        if (!j.contains("Effect") || !j["Effect"].is_string() || (j["Effect"] != "Allow" && j["Effect"] != "Deny"))
            fail(where + ".Effect must be \"Allow\" or \"Deny\"");
        s.allow = j["Effect"] == "Allow";
        if (!j.contains("Principal")) fail(where + ".Principal is required");
        const auto& pr = j["Principal"];
        if (pr.is_string()) {
            if (pr != "*") fail(where + ".Principal must be \"*\" or an object");
            s.any_principal = true;
        } else if (pr.is_object()) {
            for (const auto& [k, v] : pr.items()) {
                if (k == "AWS") {
                    for (const auto& a : strings(v, where + ".Principal.AWS")) {
                        if (a == "*") {
                            s.any_principal = true;
                        } else if (is_account(a)) {
                            s.accounts.push_back(a);
                        } else {
                            // arn:<partition>:iam::<account>:<root|user/...|role/...>
                            const auto parts = split(a, ':');
                            if (parts.size() < 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[3].empty() ||
                                !is_account(parts[4]) || parts[5].empty())
                                fail(where + ".Principal.AWS '" + a + "' is not an account id or IAM ARN");
                            s.accounts.push_back(parts[4]);
                        }
                    }
                } else if (k == "Service") {
                    s.services = strings(v, where + ".Principal.Service");
                } else {
                    fail(where + ".Principal: unsupported principal type '" + k + "'");
                }
            }
            if (!s.any_principal && s.accounts.empty() && s.services.empty()) fail(where + ".Principal names nobody");
        } else {
            fail(where + ".Principal must be \"*\" or an object");
        }
        if (!j.contains("Action")) fail(where + ".Action is required");
        for (const auto& a : strings(j["Action"], where + ".Action")) {
            bool any = false;
            for (auto known : policy_actions) any = any || iam_glob_match(a, known);
            if (!any)
                fail(where + ".Action '" + a + "' matches no action a CA policy can grant (DescribeCertificateAuthority, "
                             "GetCertificate, GetCertificateAuthorityCertificate, IssueCertificate, ListPermissions, ListTags)");
            s.actions.push_back(a);
        }
        if (!j.contains("Resource")) fail(where + ".Resource is required");
        for (const auto& r : strings(j["Resource"], where + ".Resource")) {
            if (!iam_glob_match(r, resource_arn))
                fail(where + ".Resource '" + r + "' does not name this CA (" + resource_arn + ")");
            s.resources.push_back(r);
        }
        if (j.contains("Condition")) {
            const auto& c = j["Condition"];
            if (!c.is_object()) fail(where + ".Condition must be an object");
            for (const auto& [op, block] : c.items()) {
                std::string base = op;
                const std::string if_exists = "IfExists";
                if (base.size() > if_exists.size() && base.compare(base.size() - if_exists.size(), if_exists.size(), if_exists) == 0)
                    base.resize(base.size() - if_exists.size());
                static const char* const ops[] = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike",
                                                  "StringNotLike", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"};
                bool known = false;
                for (const char* k : ops) known = known || base == k;
                if (!known) fail(where + ".Condition: unsupported operator '" + op + "'");
                if (!block.is_object() || block.empty()) fail(where + ".Condition." + op + " must be a non-empty object");
                for (const auto& [key, vals] : block.items())
                    s.conditions.push_back({op, key, strings(vals, where + ".Condition." + op + "." + key)});
            }
        }
        return s;
    }

    static std::vector<std::string> split(const std::string& s, char sep) {
        std::vector<std::string> out;
        std::size_t start = 0;
        for (;;) {
            const std::size_t p = s.find(sep, start);
            if (p == std::string::npos) {
                out.push_back(s.substr(start));
                return out;
            }
            out.push_back(s.substr(start, p - start));
            start = p + 1;
        }
    }

    static bool condition_holds(const condition& c, const policy_context& ctx) {
        std::string op = c.op;
        bool if_exists = false;
        if (op.size() > 8 && op.compare(op.size() - 8, 8, "IfExists") == 0) {
            op.resize(op.size() - 8);
            if_exists = true;
        }
        auto it = ctx.find(c.key);
        if (it == ctx.end()) return if_exists || op.find("Not") != std::string::npos;
        const std::string& v = it->second;
        auto lower = [](std::string x) {
            for (auto& ch : x) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            return x;
        };
        bool any = false;
        for (const auto& want : c.values) {
            if (op == "StringEquals" || op == "ArnEquals" || op == "StringNotEquals" || op == "ArnNotEquals") any = any || v == want;
            else if (op == "StringEqualsIgnoreCase") any = any || lower(v) == lower(want);
            else any = any || iam_glob_match(want, v);
        }
        return op.find("Not") != std::string::npos ? !any : any;
    }

    static bool matches(const statement& s, const std::string& account, const std::string& service, std::string_view action,
                        const std::string& resource, const policy_context& ctx) {
        bool principal = s.any_principal;
        for (const auto& a : s.accounts) principal = principal || a == account;
        for (const auto& sv : s.services) principal = principal || (!service.empty() && sv == service);
        if (!principal) return false;
        bool act = false;
        for (const auto& a : s.actions) act = act || iam_glob_match(a, action);
        if (!act) return false;
        bool res = false;
        for (const auto& r : s.resources) res = res || iam_glob_match(r, resource);
        if (!res) return false;
        for (const auto& c : s.conditions)
            if (!condition_holds(c, ctx)) return false;
        return true;
    }

    std::vector<statement> m_statements;
};

}  // namespace pca
