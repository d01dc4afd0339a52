// tests/fuzz/fuzz_server.cpp - the server's request handler (examples/pca-server/handler.hpp):
// HTTP method, path, headers and JSON body in, one HTTP response out, over a service with
// real CAs in it.
//
// Input: up to 8 requests separated by a line "===". A request is header lines ("Name: value")
// up to an empty line, then the body; a first line without ':' is "METHOD TARGET". An input
// whose first line is "#sigv4" runs against a handler that demands SigV4 signatures (the
// signature parser and checks get hostile Authorization headers).
//
// Each input starts from the same state, restored into a fresh memory_store: an ACTIVE
// EC P-256 root with a CRL, an ACTIVE RSA-2048 root, a subordinate CA in PENDING_CERTIFICATE
// and a certificate issued by the first root. Bodies may name them with placeholders, so that
// mutations reach past ARN validation:
//   @ROOT@ @RSA@ @SUB@      the three CAs' ARNs
//   @CERT@ @SERIAL@         the issued certificate's ARN and serial (hex)
//   @CSR@                   the subordinate's CSR (PEM, base64 as the Csr blob is sent)
//   @ROOTCERT@              the EC root's certificate (PEM, base64)
//   @LASTARN@ @LASTCA@ @LASTCERT@ @LASTCHAIN@   CertificateArn / CertificateAuthorityArn /
//                           Certificate / CertificateChain of the latest successful answer
//                           that had one (the PEMs base64-encoded)
// so that Issue -> Get -> Import sequences can be written as seeds.
//
// Oracles beyond "no crash":
//  1. handle() returns (never throws) with 200, 400, 403, 404, 405 or 413. A 500 is a finding:
//     an exception that is not the API's named error reached the handler.
//  2. Every body is a JSON object. An error carries a non-empty "__type" equal to the
//     x-amzn-ErrorType header and a non-empty "message"; the type is one the model lists for
//     the operation (service-2.json, model_errors below) or one of the protocol's common
//     errors (ValidationException, SerializationException, ...).
//  3. A success's PEM members parse with pca's strict parsers (certificates, chains, CSRs),
//     an issued certificate's ARN lies under its CA's ARN, and a certificate read back is
//     accepted by mbedTLS (and by openssl in the replay build, PCA_FUZZ_OPENSSL).
//  4. Whatever the requests did, the state stays readable: afterwards the EC root is described
//     and ListCertificateAuthorities lists all three CAs.
//
// Not fuzzed: CreateCertificateAuthority with an RSA key is sent with EC_prime256v1 instead
// (RSA key generation takes 0.1-5 s, far beyond a fuzz iteration; unit tests cover it).
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../../examples/pca-server/handler.hpp"
#include "fuzz_common.hpp"
#include "issuing_ca.hpp"
#include "pca/der/base64.hpp"
#include "pca/der/pem.hpp"
#include "pca/storage/memory_store.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/csr.hpp"
#include "support/service_fixture.hpp"

namespace pca::fuzz::server_target {

using json = nlohmann::json;

/// The errors service-2.json lists per operation (generated from the model, 2026-11).
inline const std::map<std::string, std::set<std::string>, std::less<>>& model_errors() {
    static const std::map<std::string, std::set<std::string>, std::less<>> table = {
        {"CreateCertificateAuthority", {"LimitExceededException", "InvalidArgsException", "InvalidTagException", "InvalidPolicyException"}},
        {"CreateCertificateAuthorityAuditReport",
         {"ResourceNotFoundException", "InvalidArgsException", "InvalidArnException", "InvalidStateException", "RequestFailedException",
          "RequestInProgressException"}},
        {"CreatePermission",
         {"LimitExceededException", "PermissionAlreadyExistsException", "ResourceNotFoundException", "InvalidArnException",
          "InvalidStateException", "RequestFailedException"}},
        {"DeleteCertificateAuthority",
         {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "ConcurrentModificationException"}},
        {"DeletePermission", {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException"}},
        {"DeletePolicy",
         {"LockoutPreventedException", "ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException",
          "ConcurrentModificationException"}},
        {"DescribeCertificateAuthority", {"ResourceNotFoundException", "InvalidArnException"}},
        {"DescribeCertificateAuthorityAuditReport", {"ResourceNotFoundException", "InvalidArgsException", "InvalidArnException"}},
        {"GetCertificate",
         {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException", "RequestInProgressException"}},
        {"GetCertificateAuthorityCertificate", {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException"}},
        {"GetCertificateAuthorityCsr",
         {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException", "RequestInProgressException"}},
        {"GetPolicy", {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException"}},
        {"ImportCertificateAuthorityCertificate",
         {"CertificateMismatchException", "MalformedCertificateException", "ResourceNotFoundException", "InvalidArnException",
          "InvalidRequestException", "InvalidStateException", "RequestFailedException", "ConcurrentModificationException",
          "RequestInProgressException"}},
        {"IssueCertificate",
         {"LimitExceededException", "ResourceNotFoundException", "InvalidArnException", "InvalidArgsException", "InvalidStateException",
          "MalformedCSRException"}},
        {"ListCertificateAuthorities", {"InvalidNextTokenException"}},
        {"ListPermissions",
         {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException", "InvalidNextTokenException"}},
        {"ListTags", {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException"}},
        {"PutPolicy",
         {"LockoutPreventedException", "ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "RequestFailedException",
          "ConcurrentModificationException", "InvalidPolicyException"}},
        {"RestoreCertificateAuthority", {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException"}},
        {"RevokeCertificate",
         {"RequestAlreadyProcessedException", "LimitExceededException", "ResourceNotFoundException", "InvalidArnException",
          "InvalidRequestException", "InvalidStateException", "RequestFailedException", "ConcurrentModificationException",
          "RequestInProgressException"}},
        {"TagCertificateAuthority",
         {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "InvalidTagException", "TooManyTagsException"}},
        {"UntagCertificateAuthority", {"ResourceNotFoundException", "InvalidArnException", "InvalidStateException", "InvalidTagException"}},
        {"UpdateCertificateAuthority",
         {"ResourceNotFoundException", "InvalidArgsException", "InvalidArnException", "InvalidStateException",
          "ConcurrentModificationException", "InvalidPolicyException"}},
    };
    return table;
}

/// Errors of the protocol that any request may get (AWS JSON 1.1 common errors, SigV4).
inline const std::set<std::string, std::less<>>& common_errors() {
    static const std::set<std::string, std::less<>> s = {
        "ValidationException",         "SerializationException",    "UnknownOperationException",
        "RequestEntityTooLargeException", "ThrottlingException",    "AccessDeniedException",
        "IncompleteSignatureException", "InvalidSignatureException", "MissingAuthenticationTokenException",
        "UnrecognizedClientException"};
    return s;
}

/// The state every input starts from: records read out of a service that made them.
struct golden {
    std::vector<storage::ca_record> cas;
    std::vector<storage::certificate_record> certificates;
    std::string root, rsa, sub, cert;  ///< ARNs
    std::string serial;                ///< the certificate's serial, hex
    std::string csr_b64, root_cert_b64;
    sys_seconds now{};

    golden() {
        test::service_fixture f;
        root = f.make_active_root("fuzz root", test::service_fixture::crl_config("fuzz-crl"));
        rsa = f.make_active_root("fuzz rsa root", std::nullopt, key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa);
        sub = f.svc.create_certificate_authority(test::service_fixture::ca_request(certificate_authority_type::subordinate, "fuzz sub"))
                  .certificate_authority_arn;
        const std::string csr = f.svc.get_certificate_authority_csr({sub}).csr;
        issue_certificate_request ir;
        ir.certificate_authority_arn = root;
        ir.csr = bytes(csr.begin(), csr.end());
        ir.signing_algorithm = signing_algorithm::sha256_with_ecdsa;
        ir.template_arn = test::template_arn("EndEntityCertificate");
        ir.validity = {30, validity_period_type::days};
        cert = f.svc.issue_certificate(ir).certificate_arn;
        serial = cert.substr(cert.rfind('/') + 1);
        csr_b64 = der::base64_encode(byte_view(reinterpret_cast<const std::uint8_t*>(csr.data()), csr.size()));
        const std::string root_pem = f.svc.get_certificate_authority_certificate({root}).certificate;
        root_cert_b64 = der::base64_encode(byte_view(reinterpret_cast<const std::uint8_t*>(root_pem.data()), root_pem.size()));
        cas = f.store.list_cas();
        for (const auto& ca : cas)
            for (auto& c : f.store.list_certificates(ca.id)) certificates.push_back(std::move(c));
        now = f.clock.now_seconds() + std::chrono::hours(1);
    }
};

inline const golden& the_golden() {
    static const golden g;
    return g;
}

inline std::string b64(std::string_view s) {
    return der::base64_encode(byte_view(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

inline void replace_all(std::string& s, std::string_view from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

struct session {
    storage::memory_store store;
    storage::memory_object_store buckets;
    manual_clock clock{the_golden().now};
    pca::service svc{store, buckets, clock, service_options{}};
    std::unique_ptr<server::handler> h;
    std::string last_arn, last_ca, last_cert, last_chain;
    int creates = 0;

    explicit session(bool sigv4) {
        const golden& g = the_golden();
        for (const auto& ca : g.cas) store.insert_ca(ca);
        for (const auto& c : g.certificates) {
            storage::certificate_record pending = c;
            pending.certificate.clear();
            store.reserve_certificate(pending);
            store.complete_certificate(c.ca_id, c.serial, c.certificate);
        }
        server::handler_options o;
        o.account_id = service_options{}.account_id;
        if (sigv4) o.keys = server::sigv4::key_table::parse("AKIDFUZZ fuzzsecret " + o.account_id + "\n");
        h = std::make_unique<server::handler>(svc, o, clock);
    }

    std::string expand(std::string body) const {
        if (body.find('@') == std::string::npos) return body;
        const golden& g = the_golden();
        replace_all(body, "@ROOT@", g.root);
        replace_all(body, "@RSA@", g.rsa);
        replace_all(body, "@SUB@", g.sub);
        replace_all(body, "@CERT@", g.cert);
        replace_all(body, "@SERIAL@", g.serial);
        replace_all(body, "@CSR@", g.csr_b64);
        replace_all(body, "@ROOTCERT@", g.root_cert_b64);
        replace_all(body, "@LASTARN@", last_arn);
        replace_all(body, "@LASTCA@", last_ca);
        replace_all(body, "@LASTCERT@", b64(last_cert));
        replace_all(body, "@LASTCHAIN@", b64(last_chain));
        return body;
    }

    /// Keeps key generation affordable (see the file's comment): an RSA KeyAlgorithm in
    /// CreateCertificateAuthority becomes EC_prime256v1; at most two creations per input.
    bool affordable(const std::string& op, std::string& body) {
        if (op != "CreateCertificateAuthority") return true;
        if (++creates > 2) return false;
        json j = json::parse(body, nullptr, false);
        if (!j.is_object()) return true;
        auto cfg = j.find("CertificateAuthorityConfiguration");
        if (cfg == j.end() || !cfg->is_object()) return true;
        auto k = cfg->find("KeyAlgorithm");
        if (k != cfg->end() && k->is_string() && k->get<std::string>().rfind("RSA", 0) == 0) {
            *k = "EC_prime256v1";
            body = j.dump();
        }
        return true;
    }
};

inline std::vector<std::string_view> split(std::string_view in, std::string_view sep) {
    std::vector<std::string_view> out;
    for (;;) {
        const std::size_t at = in.find(sep);
        out.push_back(in.substr(0, at));
        if (at == std::string_view::npos || out.size() == 8) break;
        in.remove_prefix(at + sep.size());
    }
    return out;
}

inline server::http_request parse_request(std::string_view text) {
    server::http_request r;
    r.method = "POST";
    r.target = "/";
    bool first = true;
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        const std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        if (line.empty()) break;
        const std::size_t colon = line.find(':');
        if (first && colon == std::string_view::npos) {
            const std::size_t sp = line.find(' ');
            r.method = std::string(line.substr(0, sp));
            r.target = sp == std::string_view::npos ? std::string() : std::string(line.substr(sp + 1));
        } else if (colon != std::string_view::npos) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
        }
        first = false;
    }
    r.body = std::string(text);
    return r;
}

/// The operation a request names, if it names exactly one of the model's.
inline std::string operation_of(const server::http_request& r) {
    const auto v = server::sigv4::header_values(r.headers, "x-amz-target");
    constexpr std::string_view prefix = "ACMPrivateCA.";
    if (v.size() != 1 || v[0].substr(0, prefix.size()) != prefix) return {};
    const std::string op(v[0].substr(prefix.size()));
    return model_errors().count(op) ? op : std::string();
}

inline void check_pem_certificates(const std::string& pem, const char* what) {
    std::vector<der::pem_block> blocks;
    try {
        blocks = der::pem_decode_all(pem);
    } catch (const pca::error& e) {
        oracle_failed(__FILE__, __LINE__, what, std::string("a PEM the service returned does not decode: ") + e.what());
    }
    PCA_FUZZ_CHECK(!blocks.empty(), std::string(what) + " holds no PEM block");
    for (const auto& b : blocks) {
        PCA_FUZZ_CHECK(b.label == "CERTIFICATE", std::string(what) + " holds a " + b.label + " block");
        try {
            (void)x509::certificate::parse(b.der);
        } catch (const std::exception& e) {
            oracle_failed(__FILE__, __LINE__, what, std::string("a certificate the service returned does not parse strictly: ") + e.what());
        }
    }
}

inline void check_response(session& s, const std::string& op, const server::http_request& req, const server::http_response& res) {
    PCA_FUZZ_CHECK(res.status != 500, "internal failure for " + (op.empty() ? std::string("?") : op) + ": " + res.body +
                                          "\n  request body: " + req.body.substr(0, 600));
    PCA_FUZZ_CHECK(res.status == 200 || res.status == 400 || res.status == 403 || res.status == 404 || res.status == 405 ||
                       res.status == 413,
                   "unexpected HTTP status " + std::to_string(res.status) + ": " + res.body);
    const json body = json::parse(res.body, nullptr, false);
    PCA_FUZZ_CHECK(body.is_object(), "the response body is not a JSON object: " + res.body.substr(0, 300));
    if (res.status != 200) {
        const auto type = body.find("__type");
        const auto message = body.find("message");
        PCA_FUZZ_CHECK(type != body.end() && type->is_string() && !type->get<std::string>().empty(), "error without __type: " + res.body);
        PCA_FUZZ_CHECK(message != body.end() && message->is_string() && !message->get<std::string>().empty(),
                       "error without a message: " + res.body);
        const std::string t = type->get<std::string>();
        PCA_FUZZ_CHECK(res.header("x-amzn-ErrorType") == t, "x-amzn-ErrorType differs from __type: " + res.body);
        const bool listed = common_errors().count(t) || (!op.empty() && model_errors().at(op).count(t));
        PCA_FUZZ_CHECK(listed, op + " answered " + t + ", an error the model does not list for it: " + res.body +
                                   "\n  request body: " + req.body.substr(0, 600));
        return;
    }
    PCA_FUZZ_CHECK(!op.empty(), "a request without a valid operation succeeded: " + res.body.substr(0, 300));
    if (auto a = body.find("CertificateArn"); a != body.end()) {
        PCA_FUZZ_CHECK(a->is_string(), "CertificateArn is not a string");
        const std::string arn = a->get<std::string>();
        const json sent = json::parse(req.body, nullptr, false);
        if (sent.is_object() && sent.contains("CertificateAuthorityArn") && sent["CertificateAuthorityArn"].is_string()) {
            const std::string ca = sent["CertificateAuthorityArn"].get<std::string>();
            PCA_FUZZ_CHECK(arn.rfind(ca + "/certificate/", 0) == 0, "issued certificate ARN " + arn + " is not under " + ca);
        }
        s.last_arn = arn;
    }
    if (auto a = body.find("CertificateAuthorityArn"); a != body.end()) {
        PCA_FUZZ_CHECK(a->is_string(), "CertificateAuthorityArn is not a string");
        s.last_ca = a->get<std::string>();
    }
    if (auto c = body.find("Certificate"); c != body.end()) {
        PCA_FUZZ_CHECK(c->is_string(), "Certificate is not a string");
        s.last_cert = c->get<std::string>();
        check_pem_certificates(s.last_cert, "Certificate");
        if (op == "GetCertificate") {
            const bytes der = der::pem_decode_one(s.last_cert, "CERTIFICATE");
            PCA_FUZZ_CHECK(mbedtls_parse(der) == 0, "mbedTLS refuses a certificate the service issued: " + s.last_cert);
#ifdef PCA_FUZZ_REPLAY
            check_with_openssl(der);
#endif
        }
    }
    if (auto c = body.find("CertificateChain"); c != body.end()) {
        PCA_FUZZ_CHECK(c->is_string(), "CertificateChain is not a string");
        s.last_chain = c->get<std::string>();
        check_pem_certificates(s.last_chain, "CertificateChain");
    }
    if (auto c = body.find("Csr"); c != body.end()) {
        PCA_FUZZ_CHECK(c->is_string(), "Csr is not a string");
        try {
            (void)x509::csr::parse(der::pem_decode_one(c->get<std::string>(), "CERTIFICATE REQUEST"));
        } catch (const std::exception& e) {
            oracle_failed(__FILE__, __LINE__, "Csr parses", std::string("a CA's CSR does not parse strictly: ") + e.what());
        }
    }
}

/// Oracle 4: the state is still readable.
inline void check_state(session& s) {
    const golden& g = the_golden();
    const caller owner{service_options{}.account_id, std::nullopt};
    describe_certificate_authority_request d;
    d.certificate_authority_arn = g.root;
    try {
        (void)s.svc.describe_certificate_authority(d, owner);
    } catch (const std::exception& e) {
        oracle_failed(__FILE__, __LINE__, "root described", std::string("the root CA cannot be described any more: ") + e.what());
    }
    std::set<std::string> seen;
    list_certificate_authorities_request l;
    for (int page = 0; page < 10; ++page) {
        list_certificate_authorities_result r;
        try {
            r = s.svc.list_certificate_authorities(l, owner);
        } catch (const std::exception& e) {
            oracle_failed(__FILE__, __LINE__, "list", std::string("ListCertificateAuthorities fails: ") + e.what());
        }
        for (const auto& ca : r.certificate_authorities)
            if (ca.arn) seen.insert(*ca.arn);
        if (!r.next_token) break;
        l.next_token = r.next_token;
    }
    for (const auto* arn : {&g.root, &g.rsa, &g.sub}) PCA_FUZZ_CHECK(seen.count(*arn), "CA " + *arn + " is no longer listed");
}

/// PCA_FUZZ_VERBOSE=1 prints each request's operation and answer.
inline bool verbose() {
    static const bool v = std::getenv("PCA_FUZZ_VERBOSE") != nullptr;
    return v;
}

inline void run(std::string_view text) {
    bool sigv4 = false;
    if (text.substr(0, 7) == "#sigv4\n") {
        sigv4 = true;
        text.remove_prefix(7);
    }
    session s(sigv4);
    for (std::string_view part : split(text, "\n===\n")) {
        server::http_request req = parse_request(part);
        req.body = s.expand(std::move(req.body));
        const std::string op = operation_of(req);
        if (!s.affordable(op, req.body)) continue;
        const server::http_response res = s.h->handle(req);
        if (verbose()) std::fprintf(stderr, "%s -> %d %s\n", op.empty() ? "?" : op.c_str(), res.status, res.body.substr(0, 160).c_str());
        check_response(s, op, req, res);
    }
    check_state(s);
}

}  // namespace pca::fuzz::server_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pca::fuzz::server_target::run(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
