// Untrusted input for policy::check_ca_certificate_import: every certificate of the NIST PKITS
// suite and the (often deliberately malformed) certificate, CSR, CRL and key files of Debian's
// python3-cryptography-vectors and of the Mbed TLS test framework (../shared/corpora/mbedtls).
//
// Each file is tried as a ROOT certificate, as a SUBORDINATE certificate with a chain made of
// the next two files, with the rest of its own PEM blocks as a chain (multi-block files), and
// (PKITS) with the chain found by following issuer names through the suite. The import context
// is made to fit the certificate (its own key as the CSR key, "now" in the middle of its
// validity) so that the checks behind the key and expiry rules are reached too.
//
// Asserted: no crash, no hang, and every refusal is a pca::error (never der::decode_error,
// crypto::crypto_error or std::exception); a few PKITS paths that are valid CA hierarchies
// are accepted. The log counts acceptances and refusals per reason.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pca/der/pem.hpp"
#include "pca/policy/import_check.hpp"
#include "support/tools.hpp"

namespace {
using namespace pca;
namespace fs = std::filesystem;

const char* const vectors_dir = "/usr/lib/python3/dist-packages/cryptography_vectors/x509";
const char* const pkits_dir = "/usr/lib/python3/dist-packages/cryptography_vectors/x509/PKITS_data/certs";
const std::string mbedtls_dir = std::string(PCA_SHARED_DIR) + "/corpora/mbedtls";

/// One corpus file, reduced to "a certificate" (first PEM block, or the DER wrapped as PEM)
/// and "the rest" (further PEM blocks, as a chain).
struct sample {
    std::string name;
    std::string certificate_pem;
    std::string rest_pem;               ///< blocks 2.. of a multi-block PEM file
    std::optional<x509::certificate> parsed;  ///< when the first certificate parses strictly
};

bool is_candidate(const fs::path& p) {
    const std::string ext = p.extension().string();
    return ext == ".crt" || ext == ".pem" || ext == ".der";
}

sample load_sample(const fs::path& file, const std::string& label) {
    sample s;
    s.name = label;
    const bytes raw = test::read_file(file.string());
    const std::string text(raw.begin(), raw.end());
    const std::size_t first = text.find("-----BEGIN ");
    if (first == std::string::npos) {
        s.certificate_pem = der::pem_encode("CERTIFICATE", raw);  // DER (or garbage): wrap it
    } else {
        const std::size_t second = text.find("-----BEGIN ", first + 1);
        s.certificate_pem = text.substr(0, second);
        if (second != std::string::npos) s.rest_pem = text.substr(second);
    }
    try {
        const auto blocks = der::pem_decode_all(s.certificate_pem, 1);
        if (!blocks.empty() && blocks[0].label == "CERTIFICATE") s.parsed = x509::certificate::parse(blocks[0].der);
    } catch (const std::exception&) {
    }
    return s;
}

std::vector<sample> load_dir(const fs::path& dir, bool recursive, const std::string& prefix) {
    std::vector<fs::path> files;
    if (!fs::exists(dir)) return {};
    if (recursive) {
        for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
            if (it->is_directory() && it->path().filename() == "PKITS_data") {
                it.disable_recursion_pending();
                continue;
            }
            if (it->is_regular_file() && is_candidate(it->path())) files.push_back(it->path());
        }
    } else {
        for (const auto& e : fs::directory_iterator(dir))
            if (e.is_regular_file() && is_candidate(e.path())) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<sample> out;
    out.reserve(files.size());
    for (const auto& f : files) out.push_back(load_sample(f, prefix + fs::relative(f, dir).string()));
    return out;
}

/// "not a valid DER X.509 certificate: unsupported signature algorithm" from a message:
/// position removed, cut before names, numbers and quotes so that messages group.
std::string reason_of(const pca::error& e) {
    std::string m = e.message();
    for (const std::string p : {"CertificateChain block ", "CertificateChain", "Certificate"}) {
        if (m.compare(0, p.size(), p) == 0) {
            m.erase(0, p.size());
            while (!m.empty() && std::isdigit(static_cast<unsigned char>(m[0]))) m.erase(0, 1);
            break;
        }
    }
    while (!m.empty() && (m[0] == ':' || m[0] == ' ')) m.erase(0, 1);
    auto phrase = [](const std::string& s) {  // up to ':' or ';', or a word starting with a digit, quote or '('
        std::size_t end = s.find_first_of(":;");
        if (end == std::string::npos) end = s.size();
        for (std::size_t i = 0; i < end; ++i)
            if ((i == 0 || s[i - 1] == ' ') && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '\'' ||
                                                s[i] == '"' || s[i] == '(' || s[i] == '['))
                end = i;
        std::string r = s.substr(0, end);
        while (!r.empty() && r.back() == ' ') r.pop_back();
        return r;
    };
    std::string r = phrase(m);
    const std::size_t colon = m.find(": ");
    if (colon != std::string::npos && colon == r.size()) {
        const std::string detail = phrase(m.substr(colon + 2));
        if (!detail.empty()) r += ": " + detail;
    }
    return std::string(e.aws_name()) + " | " + r;
}

/// PCA_IMPORT_CORPUS_VERBOSE=1 logs every refusal with its file.
bool verbose() {
    static const bool v = std::getenv("PCA_IMPORT_CORPUS_VERBOSE") != nullptr;
    return v;
}

struct tally {
    std::map<std::string, std::map<std::string, int>> by_mode;  ///< mode -> reason -> count
    std::map<std::string, int> accepted;
    int calls = 0;
    int non_pca = 0;

    /// Runs one import; true when accepted.
    bool run(const std::string& mode, const sample& s, const std::string& chain, certificate_authority_type type) {
        policy::import_context ctx;
        ctx.type = type;
        if (s.parsed) {
            ctx.csr_public_key_info_der = s.parsed->public_key_info().der;
            ctx.now = s.parsed->not_before() + (s.parsed->not_after() - s.parsed->not_before()) / 2;
        } else {
            ctx.now = from_unix(1420070400);  // 2015-01-01
        }
        ++calls;
        try {
            if (type == certificate_authority_type::root)
                policy::check_ca_certificate_import(byte_view(s.certificate_pem), std::nullopt, ctx);
            else
                policy::check_ca_certificate_import(byte_view(s.certificate_pem), byte_view(chain), ctx);
            ++accepted[mode];
            return true;
        } catch (const pca::error& e) {
            ++by_mode[mode][reason_of(e)];
            if (verbose()) BOOST_TEST_MESSAGE(mode << " " << s.name << ": " << e.what());
        } catch (const std::exception& e) {
            ++non_pca;
            BOOST_ERROR(mode << " " << s.name << ": refused with a non-pca exception: " << e.what());
        }
        return false;
    }

    void log() const {
        BOOST_TEST_MESSAGE("import corpus: " << calls << " calls");
        std::map<std::string, int> totals;
        for (const auto& [mode, reasons] : by_mode)
            for (const auto& [reason, n] : reasons) totals[mode] += n;
        for (const auto& [mode, n] : accepted) (void)totals[mode];
        for (const auto& [mode, refused] : totals) {
            const auto a = accepted.find(mode);
            BOOST_TEST_MESSAGE("  " << mode << ": accepted " << (a == accepted.end() ? 0 : a->second) << ", refused "
                                    << refused);
            const auto r = by_mode.find(mode);
            if (r == by_mode.end()) continue;
            for (const auto& [reason, n] : r->second) BOOST_TEST_MESSAGE("      " << n << "  " << reason);
        }
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_import_corpus)

BOOST_AUTO_TEST_CASE(corpus_files_are_accepted_or_refused_with_a_pca_error) {
    const auto started = std::chrono::steady_clock::now();
    const std::vector<sample> pkits = load_dir(pkits_dir, false, "PKITS/");
    std::vector<sample> others = load_dir(vectors_dir, true, "vectors/");
    const std::vector<sample> mbed = load_dir(mbedtls_dir, false, "mbedtls/");
    others.insert(others.end(), mbed.begin(), mbed.end());
    BOOST_TEST_MESSAGE("corpus: " << pkits.size() << " PKITS certificates, " << others.size() << " other files");
    if (pkits.empty()) BOOST_TEST_MESSAGE("PKITS not installed (python3-cryptography-vectors); only the other files run");
    BOOST_REQUIRE(pkits.size() + others.size() > 0);

    tally t;
    auto neighbours = [](const std::vector<sample>& set, std::size_t i) {
        std::string chain;
        for (std::size_t k = 1; k <= 2 && i + k < set.size(); ++k) chain += set[i + k].certificate_pem;
        return chain;
    };
    for (const std::vector<sample>* set : {&pkits, static_cast<const std::vector<sample>*>(&others)}) {
        const std::string tag = set == &pkits ? "PKITS" : "malformed/other";
        for (std::size_t i = 0; i < set->size(); ++i) {
            const sample& s = (*set)[i];
            BOOST_TEST_CONTEXT(s.name) {
                t.run(tag + " as ROOT", s, "", certificate_authority_type::root);
                t.run(tag + " as SUBORDINATE, next two files as chain", s, neighbours(*set, i),
                      certificate_authority_type::subordinate);
                if (!s.rest_pem.empty())
                    t.run(tag + " as SUBORDINATE, its own further PEM blocks as chain", s, s.rest_pem,
                          certificate_authority_type::subordinate);
            }
        }
    }

    // PKITS: follow issuer names through the suite to build each certificate's chain.
    std::multimap<bytes, const sample*> by_subject;
    for (const auto& s : pkits)
        if (s.parsed) by_subject.emplace(s.parsed->subject().der(), &s);
    std::map<std::string, bool> pkits_path_result;
    for (const auto& s : pkits) {
        if (!s.parsed || s.parsed->is_self_issued()) continue;
        std::string chain;
        const x509::certificate* at = &*s.parsed;
        for (int depth = 0; depth < 6; ++depth) {
            // PKITS reuses names across CAs: prefer the candidate whose key verifies the signature.
            const sample* issuer = nullptr;
            const auto range = by_subject.equal_range(at->issuer().der());
            for (auto it = range.first; it != range.second; ++it) {
                if (it->second == &s || &*it->second->parsed == at) continue;
                if (!issuer) issuer = it->second;
                try {
                    if (at->verify_signature(it->second->parsed->key())) {
                        issuer = it->second;
                        break;
                    }
                } catch (const std::exception&) {
                }
            }
            if (!issuer) break;
            chain += issuer->certificate_pem;
            at = &*issuer->parsed;
            if (at->is_self_signed()) break;
        }
        if (chain.empty()) continue;
        BOOST_TEST_CONTEXT(s.name) {
            pkits_path_result[s.name] =
                t.run("PKITS as SUBORDINATE, chain by issuer name", s, chain, certificate_authority_type::subordinate);
        }
    }

    t.log();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    BOOST_TEST_MESSAGE("import corpus took " << seconds << " s");
    BOOST_TEST(t.non_pca == 0);
    if (!pkits.empty()) {
        // Valid CA hierarchies of the suite import; a few known-bad ones do not.
        BOOST_TEST(t.accepted["PKITS as ROOT"] >= 1);  // the Trust Anchor Root Certificate at least
        for (const char* good : {"PKITS/GoodCACert.crt", "PKITS/PoliciesP1234CACert.crt", "PKITS/nameConstraintsDN1CACert.crt"})
            BOOST_TEST(pkits_path_result[good], good << " should import as a subordinate with its chain");
        for (const char* bad : {"PKITS/basicConstraintsCriticalcAFalseCACert.crt", "PKITS/basicConstraintsNotCriticalCACert.crt",
                                "PKITS/keyUsageCriticalkeyCertSignFalseCACert.crt", "PKITS/pathLenConstraint0subCACert.crt",
                                "PKITS/ValidCertificatePathTest1EE.crt"})
            BOOST_TEST((pkits_path_result.count(bad) == 1 && !pkits_path_result[bad]), bad << " should be tried and refused");
    }
}

BOOST_AUTO_TEST_SUITE_END()
