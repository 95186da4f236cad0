// load_sweep — the corruption sweep of saved programs: for each file, load() of 50 truncations at
// evenly spaced offsets and of 200 copies with one random byte changed (fixed seed). Each must
// either throw load_error or load a program that passes its own checks (it prints, and saves
// and loads back to the same text). Anything else — another exception, a crash, a sanitizer
// report — fails. Prints one line per file and a summary; exits 1 on any failure.
//
// usage: load_sweep FILE...
//
// SYMSHAPE_SWEEP_COPIES=N changes N copies per file instead of 200 (and truncates at N/4 offsets
// instead of 50): CI's sanitizer pass uses 40, the plain test run the full sweep.
#include <fstream>
#include <iostream>
#include <iterator>
#include <cstdlib>
#include <random>
#include <string>

#include "symshape/io.hpp"
#include "symshape/io/serialize.hpp"

namespace ss = symshape;

namespace {
struct tally {
    int refused = 0, loaded = 0, failed = 0;
};
/// One attempt; returns false (after printing why) on a failure.
bool attempt(const std::string& text, tally& t, const std::string& what) {
    try {
        ss::exported_program p = ss::load_string(text);
        const std::string printed = ss::to_string(p);
        ss::exported_program again = ss::load_string(ss::save_string(p));
        if (ss::to_string(again) != printed) {
            std::cout << "  FAIL " << what << ": the loaded program does not survive its own save/load\n";
            ++t.failed;
            return false;
        }
        ++t.loaded;
    } catch (const ss::load_error&) {
        ++t.refused;
    } catch (const std::exception& e) {
        std::cout << "  FAIL " << what << ": " << typeid(e).name() << ": " << e.what() << "\n";
        ++t.failed;
        return false;
    }
    return true;
}
} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: load_sweep FILE...\n";
        return 2;
    }
    int copies = 200;
    if (const char* env = std::getenv("SYMSHAPE_SWEEP_COPIES")) {
        char* end = nullptr;
        const long n = std::strtol(env, &end, 10);
        if (end == env || *end != '\0' || n < 4 || n > 100000) {
            std::cerr << "load_sweep: SYMSHAPE_SWEEP_COPIES must be a whole number in [4, 100000], got '" << env << "'\n";
            return 2;
        }
        copies = static_cast<int>(n);
    }
    const int truncations = copies / 4;
    tally total;
    for (int i = 1; i < argc; ++i) {
        std::ifstream f(argv[i], std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        if (!f.good() && !f.eof()) {
            std::cout << argv[i] << ": cannot read\n";
            return 1;
        }
        tally t;
        try {
            (void)ss::load_string(text);
        } catch (const ss::load_error& e) {
            // A program with an op registered by its example program cannot load here: skipped.
            if (std::string(e.what()).find("is not registered") != std::string::npos) {
                std::cout << argv[i] << ": skipped (" << e.what() << ")\n";
                continue;
            }
        }
        if (!attempt(text, t, "the file itself") || t.loaded != 1) {
            std::cout << argv[i] << ": the file itself does not load\n";
            return 1;
        }
        t.loaded = 0;
        for (int k = 0; k < truncations; ++k) {
            const std::size_t at = text.size() * static_cast<std::size_t>(k) / static_cast<std::size_t>(truncations);
            attempt(text.substr(0, at), t, "truncated at " + std::to_string(at));
        }
        std::mt19937_64 rng(0x5eed + static_cast<unsigned>(i));
        for (int k = 0; k < copies; ++k) {
            std::string bad = text;
            const std::size_t at = rng() % bad.size();
            const char byte = static_cast<char>(rng() % 256);
            bad[at] = byte == bad[at] ? static_cast<char>(byte + 1) : byte;
            attempt(bad, t, "byte " + std::to_string(at) + " changed");
        }
        std::cout << argv[i] << ": " << t.refused << " refused, " << t.loaded << " loaded, " << t.failed << " failed\n";
        total.refused += t.refused;
        total.loaded += t.loaded;
        total.failed += t.failed;
    }
    std::cout << "total: " << total.refused << " refused with load_error, " << total.loaded << " loaded, " << total.failed
              << " failed\n";
    return total.failed ? 1 : 0;
}
