// Test support: scratch directories, files, and running outside oracles (openssl, certtool,
// python3) with their output captured.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>

#include "pca/core/bytes.hpp"

namespace pca::test {

/// A directory under the system temp dir, removed with everything in it on destruction.
class temp_dir {
public:
    temp_dir() {
        static std::atomic<unsigned> counter{0};
        std::random_device rd;
        m_path = std::filesystem::temp_directory_path() /
                 ("pca-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                  std::to_string(rd()));
        std::filesystem::create_directories(m_path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

inline void write_file(const std::string& path, byte_view data) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

inline bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string read_text(const std::string& path) {
    const bytes b = read_file(path);
    return std::string(b.begin(), b.end());
}

struct command_result {
    int exit_code = -1;
    std::string output;  ///< stdout and stderr together
};

/// Runs `command` with /bin/sh, stderr folded into stdout.
inline command_result run(const std::string& command) {
    command_result r;
    const std::string full = "(" + command + ") 2>&1";
    FILE* p = ::popen(full.c_str(), "r");
    if (!p) throw std::runtime_error("popen failed for: " + command);
    std::array<char, 4096> buf{};
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
    const int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

/// True when `tool` is on PATH.
inline bool have_tool(const std::string& tool) { return run("command -v " + tool + " >/dev/null").exit_code == 0; }

/// Quotes a path for /bin/sh.
inline std::string sh_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

}  // namespace pca::test
