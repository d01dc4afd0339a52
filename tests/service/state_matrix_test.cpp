// Every CA-targeted operation in every CA status (semantics.md 6.1, docs/service.md): a fresh
// CA is brought into each of the seven statuses, and each of the 21 operations that name a CA
// is called on it once. The expected outcome of each of the 147 cells is written here as data:
// the operation succeeds, fails with InvalidStateException, or fails with another named
// error that has nothing to do with the status (a missing object, a refused certificate).
#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>
#include <sstream>

#include "support/service_fixture.hpp"

using namespace pca;
using namespace std::chrono_literals;
using st = certificate_authority_status;

namespace {

enum class outcome { ok, state, other };

const char* name_of(outcome o) {
    switch (o) {
        case outcome::ok: return "success";
        case outcome::state: return "InvalidStateException";
        case outcome::other: return "another error";
    }
    return "?";
}

/// One CA brought into a status, with what the operations need.
struct cell : test::service_fixture {
    std::string ca;
    std::string ee;          ///< an end-entity certificate of the CA, when it ever was ACTIVE
    bytes spare_certificate;  ///< a valid self-signed certificate of another CA (import input)

    explicit cell(st status) {
        // The spare: another root's certificate, for imports into CAs that have none.
        const std::string other = make_active_root("Spare Root");
        const auto pem = svc.get_certificate_authority_certificate({other}).certificate;
        spare_certificate = bytes(pem.begin(), pem.end());

        auto req = ca_request(certificate_authority_type::root, "Matrix Root");
        req.revocation_configuration = crl_config();
        ca = svc.create_certificate_authority(req).certificate_authority_arn;
        const std::string id = ca_arn::parse(ca).ca_id();
        switch (status) {
            case st::creating:
            case st::failed: {
                auto rec = *store.find_ca(id);
                rec.status = status;
                if (status == st::failed) rec.failure = failure_reason::other;
                store.update_ca(rec);
                break;
            }
            case st::pending_certificate: break;
            case st::active:
            case st::disabled:
            case st::expired:
            case st::deleted: {
                activate(status == st::expired ? 2 : 3650);
                if (status == st::disabled || status == st::deleted) svc.update_certificate_authority({ca, std::nullopt, st::disabled});
                if (status == st::deleted) svc.delete_certificate_authority({ca, 7});
                if (status == st::expired) clock.advance(24h * 3);
                break;
            }
        }
        BOOST_TEST_REQUIRE((svc.describe_certificate_authority({ca}).certificate_authority.status == status));
    }

    /// Self-signs and imports the CA certificate (valid `days`), then issues one end entity.
    void activate(int days) {
        import_certificate_authority_certificate_request imp;
        imp.certificate_authority_arn = ca;
        imp.certificate = self_signed(days);
        svc.import_certificate_authority_certificate(imp);
        issue_certificate_request ir = ee_request();
        ir.validity = {1, validity_period_type::days};
        ee = svc.issue_certificate(ir).certificate_arn;
    }
    bytes self_signed(int days) {
        const auto csr = svc.get_certificate_authority_csr({ca}).csr;
        issue_certificate_request ir;
        ir.certificate_authority_arn = ca;
        ir.csr = bytes(csr.begin(), csr.end());
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.template_arn = test::template_arn("RootCACertificate");
        ir.validity = {days, validity_period_type::days};
        const auto pem = svc.get_certificate({ca, svc.issue_certificate(ir).certificate_arn}).certificate;
        return bytes(pem.begin(), pem.end());
    }
    issue_certificate_request ee_request() const {
        static const bytes csr = test::openssl_csr("ee-p256", "/CN=matrix.example.com", "-addext subjectAltName=DNS:matrix.example.com");
        issue_certificate_request ir;
        ir.certificate_authority_arn = ca;
        ir.csr = csr;
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.validity = {1, validity_period_type::days};
        return ir;
    }
    std::string ee_or_fake() const {
        return ee.empty() ? make_certificate_arn(ca_arn::parse(ca), "5123456789abcdef0123456789abcdef").str() : ee;
    }
    std::string policy() const {
        return std::string(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)") +
               test::other_account + R"(:root"},"Action":"acm-pca:DescribeCertificateAuthority","Resource":")" + ca + R"("}]})";
    }
};

using operation = std::function<void(cell&)>;

const std::map<std::string, operation>& operations() {
    static const std::map<std::string, operation> ops = {
        {"DescribeCertificateAuthority", [](cell& c) { c.svc.describe_certificate_authority({c.ca}); }},
        {"GetCertificateAuthorityCsr", [](cell& c) { c.svc.get_certificate_authority_csr({c.ca}); }},
        {"GetCertificateAuthorityCertificate", [](cell& c) { c.svc.get_certificate_authority_certificate({c.ca}); }},
        {"IssueCertificate", [](cell& c) { c.svc.issue_certificate(c.ee_request()); }},
        {"GetCertificate", [](cell& c) { c.svc.get_certificate({c.ca, c.ee_or_fake()}); }},
        {"RevokeCertificate",
         [](cell& c) {
             const std::string arn = c.ee_or_fake();
             c.svc.revoke_certificate({c.ca, arn.substr(arn.rfind('/') + 1), revocation_reason::superseded});
         }},
        {"ImportCertificateAuthorityCertificate",
         [](cell& c) {
             // A fresh self-signed certificate when the CA may sign one, else the spare (whose
             // key does not match: a refusal that is not about the status).
             const auto s = c.svc.describe_certificate_authority({c.ca}).certificate_authority.status;
             import_certificate_authority_certificate_request imp;
             imp.certificate_authority_arn = c.ca;
             imp.certificate = (s == st::pending_certificate || s == st::active) ? c.self_signed(3650) : c.spare_certificate;
             c.svc.import_certificate_authority_certificate(imp);
         }},
        {"UpdateCertificateAuthority",
         [](cell& c) {
             update_certificate_authority_request up;
             up.certificate_authority_arn = c.ca;
             up.revocation_configuration = test::service_fixture::crl_config("other-crls");
             c.svc.update_certificate_authority(up);
         }},
        {"DeleteCertificateAuthority", [](cell& c) { c.svc.delete_certificate_authority({c.ca, 7}); }},
        {"RestoreCertificateAuthority", [](cell& c) { c.svc.restore_certificate_authority({c.ca}); }},
        {"TagCertificateAuthority", [](cell& c) { c.svc.tag_certificate_authority({c.ca, {{"team", std::string("pki")}}}); }},
        {"UntagCertificateAuthority",
         [](cell& c) {
             c.svc.tag_certificate_authority({c.ca, {{"team", std::string("pki")}}});
             c.svc.untag_certificate_authority({c.ca, {{"team", std::nullopt}}});
         }},
        {"ListTags", [](cell& c) { c.svc.list_tags({std::nullopt, std::nullopt, c.ca}); }},
        {"CreatePermission",
         [](cell& c) { c.svc.create_permission({c.ca, "acm.amazonaws.com", std::nullopt, {action_type::get_certificate}}); }},
        {"DeletePermission",
         [](cell& c) {
             c.svc.create_permission({c.ca, "acm.amazonaws.com", std::nullopt, {action_type::get_certificate}});
             c.svc.delete_permission({c.ca, "acm.amazonaws.com", std::nullopt});
         }},
        {"ListPermissions", [](cell& c) { c.svc.list_permissions({std::nullopt, std::nullopt, c.ca}); }},
        {"PutPolicy", [](cell& c) { c.svc.put_policy({c.ca, c.policy()}); }},
        {"GetPolicy",
         [](cell& c) {
             c.svc.put_policy({c.ca, c.policy()});
             c.svc.get_policy({c.ca});
         }},
        {"DeletePolicy",
         [](cell& c) {
             c.svc.put_policy({c.ca, c.policy()});
             c.svc.delete_policy({c.ca});
         }},
        {"CreateCertificateAuthorityAuditReport",
         [](cell& c) { c.svc.create_certificate_authority_audit_report({c.ca, "audit-bucket", audit_report_response_format::json}); }},
        {"DescribeCertificateAuthorityAuditReport",
         [](cell& c) { c.svc.describe_certificate_authority_audit_report({c.ca, "11111111-2222-4333-8444-555555555555"}); }},
    };
    return ops;
}

// Columns: CREATING, PENDING_CERTIFICATE, ACTIVE, DISABLED, EXPIRED, FAILED, DELETED.
const std::vector<st> statuses = {st::creating, st::pending_certificate, st::active, st::disabled,
                                  st::expired,  st::failed,              st::deleted};
constexpr outcome O = outcome::ok, S = outcome::state, X = outcome::other;
const std::map<std::string, std::vector<outcome>>& expected() {
    static const std::map<std::string, std::vector<outcome>> table = {
        //                                          CREAT PEND ACTV DISA EXPD FAIL DELD
        {"DescribeCertificateAuthority",            {O,   O,   O,   O,   O,   O,   O}},
        {"GetCertificateAuthorityCsr",              {X,   O,   O,   O,   O,   S,   S}},  // CREATING: RequestInProgress
        {"GetCertificateAuthorityCertificate",      {S,   S,   O,   O,   O,   S,   S}},
        {"IssueCertificate",                        {S,   S,   O,   S,   S,   S,   S}},
        {"GetCertificate",                          {S,   X,   O,   O,   O,   S,   S}},  // PENDING: no such certificate
        {"RevokeCertificate",                       {S,   S,   O,   O,   S,   S,   S}},
        {"ImportCertificateAuthorityCertificate",   {S,   O,   O,   S,   X,   S,   S}},  // EXPIRED: spare key mismatch
        {"UpdateCertificateAuthority",              {S,   S,   O,   O,   S,   S,   S}},
        {"DeleteCertificateAuthority",              {O,   O,   S,   O,   O,   O,   S}},
        {"RestoreCertificateAuthority",             {S,   S,   S,   S,   S,   S,   O}},
        {"TagCertificateAuthority",                 {O,   O,   O,   O,   O,   O,   S}},
        {"UntagCertificateAuthority",               {O,   O,   O,   O,   O,   O,   S}},
        {"ListTags",                                {O,   O,   O,   O,   O,   O,   S}},
        {"CreatePermission",                        {O,   O,   O,   O,   O,   O,   S}},
        {"DeletePermission",                        {O,   O,   O,   O,   O,   O,   S}},
        {"ListPermissions",                         {O,   O,   O,   O,   O,   O,   S}},
        {"PutPolicy",                               {O,   O,   O,   O,   O,   O,   S}},
        {"GetPolicy",                               {O,   O,   O,   O,   O,   O,   S}},
        {"DeletePolicy",                            {O,   O,   O,   O,   O,   O,   S}},
        {"CreateCertificateAuthorityAuditReport",   {S,   S,   O,   O,   S,   S,   S}},
        {"DescribeCertificateAuthorityAuditReport", {X,   X,   X,   X,   X,   X,   X}},  // no such report
    };
    return table;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(service_state_matrix)

BOOST_AUTO_TEST_CASE(the_table_covers_every_operation_that_names_a_ca) {
    // 23 operations in the model; CreateCertificateAuthority and ListCertificateAuthorities
    // name no CA.
    BOOST_TEST(operations().size() == 21u);
    for (const auto& [name, op] : operations()) {
        (void)op;
        BOOST_TEST(expected().count(name) == 1u, name);
    }
}

BOOST_AUTO_TEST_CASE(every_operation_in_every_status) {
    std::ostringstream mismatches;
    int cells = 0;
    for (std::size_t column = 0; column < statuses.size(); ++column) {
        for (const auto& [name, op] : operations()) {
            cell c(statuses[column]);
            const outcome want = expected().at(name)[column];
            outcome got = outcome::ok;
            std::string detail;
            try {
                op(c);
            } catch (const invalid_state_exception& e) {
                got = outcome::state;
                detail = e.what();
                // The message names the status the CA is in.
                BOOST_TEST(detail.find(std::string(to_string(statuses[column]))) != std::string::npos, name << ": " << detail);
            } catch (const pca::error& e) {
                got = outcome::other;
                detail = std::string(e.aws_name()) + ": " + e.what();
            }
            ++cells;
            if (got != want)
                mismatches << name << " in " << to_string(statuses[column]) << ": expected " << name_of(want) << ", got "
                           << name_of(got) << (detail.empty() ? "" : " (" + detail + ")") << "\n";
        }
    }
    BOOST_TEST(cells == 147);
    BOOST_TEST(mismatches.str().empty(), mismatches.str());
}

BOOST_AUTO_TEST_CASE(list_certificate_authorities_reports_every_status) {
    for (st s : statuses) {
        cell c(s);
        bool found = false;
        for (const auto& ca : c.svc.list_certificate_authorities({}).certificate_authorities)
            if (ca.arn == c.ca) {
                found = true;
                BOOST_TEST((ca.status == s), to_string(s));
            }
        BOOST_TEST(found, to_string(s));
    }
}

BOOST_AUTO_TEST_SUITE_END()
