// tests/fuzz/fuzz_policy.cpp - PutPolicy's resource-based policy (pca::resource_policy).
//
// Oracles beyond "no crash":
//  1. parse refuses with InvalidPolicyException or accepts; nothing else escapes, whatever
//     the size (up to the 20480-character limit) or nesting of the JSON.
//  2. An accepted policy, written back as JSON from its parsed statements, parses to equal
//     statements (what pca keeps is all that matters for evaluation).
//  3. Every accepted Resource pattern matches the CA's ARN (the parser promises it), and
//     evaluation is deterministic and agrees with the statements: allows() is false when a
//     matching Deny exists, for a principal the policy names.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_common.hpp"
#include "pca/core/error.hpp"
#include "pca/service/resource_policy.hpp"

namespace pca::fuzz::policy_target {

using json = nlohmann::json;
const std::string ca_arn = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555";

json write(const resource_policy& p) {
    json statements = json::array();
    for (const auto& s : p.statements()) {
        json j;
        j["Effect"] = s.allow ? "Allow" : "Deny";
        if (s.any_principal && s.accounts.empty() && s.services.empty()) {
            j["Principal"] = "*";
        } else {
            json pr = json::object();
            json aws = json::array();
            if (s.any_principal) aws.push_back("*");
            for (const auto& a : s.accounts) aws.push_back(a);
            if (!aws.empty()) pr["AWS"] = aws;
            if (!s.services.empty()) pr["Service"] = s.services;
            j["Principal"] = pr;
        }
        j["Action"] = s.actions;
        j["Resource"] = s.resources;
        if (!s.conditions.empty()) {
            json c = json::object();
            for (const auto& cond : s.conditions) c[cond.op][cond.key] = cond.values;
            j["Condition"] = c;
        }
        statements.push_back(j);
    }
    return {{"Version", "2012-10-17"}, {"Statement", statements}};
}

bool same(const resource_policy::statement& a, const resource_policy::statement& b) {
    if (a.allow != b.allow || a.any_principal != b.any_principal || a.accounts != b.accounts || a.services != b.services ||
        a.actions != b.actions || a.resources != b.resources || a.conditions.size() != b.conditions.size())
        return false;
    for (std::size_t i = 0; i < a.conditions.size(); ++i)
        if (a.conditions[i].op != b.conditions[i].op || a.conditions[i].key != b.conditions[i].key ||
            a.conditions[i].values != b.conditions[i].values)
            return false;
    return true;
}

void run(std::string_view text) {
    std::optional<resource_policy> p;
    try {
        p = resource_policy::parse(text, ca_arn);
    } catch (const pca::invalid_policy_exception&) {
        return;
    }
    const std::string again = write(*p).dump();
    std::optional<resource_policy> q;
    try {
        q = resource_policy::parse(again, ca_arn);
    } catch (const pca::invalid_policy_exception& e) {
        // Written back without Sid/Id, it can only be longer than the input if the input
        // used short forms ("Action": "x" -> ["x"]); the size limit is the one acceptable refusal.
        PCA_FUZZ_CHECK(again.size() > max_policy_size, std::string("policy written back is refused: ") + e.what() + " " + again.substr(0, 300));
        return;
    }
    PCA_FUZZ_CHECK(q->statements().size() == p->statements().size(), "policy written back has another number of statements");
    for (std::size_t i = 0; i < p->statements().size(); ++i)
        PCA_FUZZ_CHECK(same(p->statements()[i], q->statements()[i]), "statement " + std::to_string(i) + " differs after a round trip: " + again.substr(0, 300));

    const policy_context ctx = {{"acm-pca:TemplateArn", "arn:aws:acm-pca:::template/EndEntityCertificate/V1"},
                                {"aws:SourceAccount", "111122223333"}};
    for (const auto& s : p->statements()) {
        for (const auto& r : s.resources)
            PCA_FUZZ_CHECK(iam_glob_match(r, ca_arn), "accepted Resource '" + r + "' does not match the CA");
        const std::string account = s.accounts.empty() ? "999999999999" : s.accounts.front();
        const std::string service = s.services.empty() ? "" : s.services.front();
        for (auto action : policy_actions) {
            const bool first = p->allows(account, service, action, ca_arn, ctx);
            PCA_FUZZ_CHECK(first == p->allows(account, service, action, ca_arn, ctx), "policy evaluation is not deterministic");
            PCA_FUZZ_CHECK(first == q->allows(account, service, action, ca_arn, ctx), "round-tripped policy decides otherwise");
        }
    }
}

}  // namespace pca::fuzz::policy_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pca::fuzz::policy_target::run(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
