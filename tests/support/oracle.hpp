// Test support: outside parsers (Python cryptography, openssl, GnuTLS certtool) as oracles.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/tools.hpp"

namespace pca::test {

/// The Python that has `cryptography`: $PCA_PYTHON, else python3.
inline std::string python() {
    if (const char* p = std::getenv("PCA_PYTHON")) return p;
    return "python3";
}

/// Parses the files with Python cryptography; returns its JSON description of each.
/// Throws std::runtime_error with the parser's message if any file does not parse.
inline nlohmann::json inspect(const std::string& kind, const std::vector<std::string>& files) {
    std::string cmd = python() + " " + sh_quote(PCA_SOURCE_DIR "/tests/support/inspect_x509.py") + " " + kind;
    for (const auto& f : files) cmd += " " + sh_quote(f);
    const auto r = run(cmd);
    if (r.exit_code != 0) throw std::runtime_error("cryptography refused: " + r.output);
    return nlohmann::json::parse(r.output);
}

/// The extension with the dotted OID from an inspect() description, or null.
inline nlohmann::json find_ext(const nlohmann::json& described, const std::string& oid) {
    for (const auto& e : described.at("extensions"))
        if (e.at("oid") == oid) return e;
    return nullptr;
}

}  // namespace pca::test
