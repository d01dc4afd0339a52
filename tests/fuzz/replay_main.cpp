// tests/fuzz/replay_main.cpp - runs a fuzz target's LLVMFuzzerTestOneInput on files, without
// libFuzzer (as Mbed TLS's fuzz_onefile.c does), so that ctest replays the regression inputs
// and the committed seeds in every build, including the ASan+UBSan pass.
//
//   fuzz_der_replay tests/fuzz/regressions/der tests/fuzz/seeds/der some-file.der
//
// Each argument is a file or a directory (its regular files, sorted by name). Prints one line
// per input and a count; an oracle failure or a sanitizer report aborts with the input's name
// already printed. An escaping exception is reported (and fails the run) the way libFuzzer
// reports it: as a crash of the input.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", p.string().c_str());
        return false;
    }
    const std::vector<char> buf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::printf("replay %s (%zu bytes)\n", p.string().c_str(), buf.size());
    std::fflush(stdout);
    // A copy of exactly the input's size, so that ASan sees reads past its end.
    std::vector<std::uint8_t> data(buf.begin(), buf.end());
    try {
        LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "FAILED %s: uncaught exception: %s\n", p.string().c_str(), e.what());
        return false;
    } catch (...) {
        std::fprintf(stderr, "FAILED %s: uncaught non-standard exception\n", p.string().c_str());
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t count = 0, failed = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(arg)) {
            for (const auto& e : std::filesystem::directory_iterator(arg))
                if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
            std::sort(files.begin(), files.end());
        } else if (std::filesystem::exists(arg)) {
            files.push_back(arg);
        } else {
            std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
            return 2;
        }
        for (const auto& f : files) {
            ++count;
            if (!run_file(f)) ++failed;
        }
    }
    std::printf("%zu inputs replayed, %zu failed\n", count, failed);
    if (count == 0) {
        std::fprintf(stderr, "no inputs\n");
        return 2;
    }
    return failed ? 1 : 0;
}
