// examples/exportdb/check.hpp — shared by the ExportDB and model examples: print the exported
// program, then run it on fresh inputs of the same shapes and compare with eager execution (exit
// code 1 if not). Every program is also saved and loaded back (symshape/io/serialize.hpp): the
// loaded program must print the same, save to the same bytes, give the same outputs and reject
// bad inputs with the same messages. `--save DIR` writes each program to DIR as
// `<example>.json` (several: `<example>.<k>.json`, k from 0).
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"
#include "symshape/io/serialize.hpp"

namespace exportdb {

/// The example's name, --save directory, and the programs it exported (saved text, in order).
struct run_options {
    std::string name;
    std::string save_dir;
    std::vector<std::string> saved;
};
inline run_options& options() {
    static run_options o;
    return o;
}

/// Writes the programs saved so far to --save DIR (run at exit).
inline void write_saved() {
    const run_options& o = options();
    if (o.save_dir.empty()) return;
    std::filesystem::create_directories(o.save_dir);
    for (std::size_t k = 0; k < o.saved.size(); ++k) {
        const std::string file = o.save_dir + "/" + o.name + (o.saved.size() == 1 ? "" : "." + std::to_string(k)) + ".json";
        std::ofstream(file, std::ios::binary) << o.saved[k];
    }
}

/// Reads the example's arguments: `--save DIR`, or `--help`. Exits 2 on anything else.
inline void init(int argc, char** argv, const char* name) {
    options().name = name;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--save" && i + 1 < argc) {
            options().save_dir = argv[++i];
        } else if (a == "--help" || a == "-h") {
            std::cout << "usage: " << argv[0] << " [--save DIR]\n  prints the exported program(s) and checks runs against eager;\n"
                      << "  --save DIR writes each program to DIR/" << name << ".json (" << name << ".<k>.json for several)\n";
            std::exit(0);
        } else {
            std::cerr << argv[0] << ": unknown argument '" << a << "' (usage: " << argv[0] << " [--save DIR])\n";
            std::exit(2);
        }
    }
    std::atexit(write_saved);
}

/// Saves `ep` (once per distinct program, for --save), loads it back and checks that the loaded
/// program prints and saves identically. Prints what differs and sets `ok` false otherwise.
inline symshape::exported_program roundtrip(const symshape::exported_program& ep, bool& ok) {
    const std::string text = symshape::save_string(ep);
    auto& saved = options().saved;
    if (std::find(saved.begin(), saved.end(), text) == saved.end()) saved.push_back(text);
    symshape::exported_program loaded = symshape::load_string(text);
    if (symshape::to_string(loaded) != symshape::to_string(ep)) {
        std::cout << "save/load: the loaded program prints differently\n";
        ok = false;
    }
    if (symshape::save_string(loaded) != text) {
        std::cout << "save/load: the loaded program saves to different bytes\n";
        ok = false;
    }
    return loaded;
}

namespace detail {
/// Run `ep` on clones of `inputs`, `eager` on other clones; true when the outputs and the
/// (possibly mutated) inputs agree. `got` receives the program's outputs.
inline bool run_matches_eager(const symshape::exported_program& ep, const std::vector<symshape::tensor>& inputs,
                              const std::function<std::vector<symshape::tensor>(std::vector<symshape::tensor>&)>& eager,
                              std::vector<symshape::tensor>& got) {
    using namespace symshape;
    std::vector<tensor> a, b;
    for (const tensor& t : inputs) {
        a.push_back(t.clone());
        b.push_back(t.clone());
    }
    got = ep.run(a);
    std::vector<tensor> want = eager(b);
    bool same = got.size() == want.size();
    for (std::size_t i = 0; same && i < got.size(); ++i) same = equal(got[i], want[i]);
    for (std::size_t i = 0; same && i < a.size(); ++i) same = equal(a[i], b[i]);
    // The program saved and loaded back gives the same outputs (and mutations) too.
    bool ok = true;
    exported_program loaded = roundtrip(ep, ok);
    std::vector<tensor> c;
    for (const tensor& t : inputs) c.push_back(t.clone());
    std::vector<tensor> again = loaded.run(c);
    bool same_loaded = again.size() == got.size();
    for (std::size_t i = 0; same_loaded && i < again.size(); ++i) same_loaded = equal(again[i], got[i]);
    for (std::size_t i = 0; same_loaded && i < c.size(); ++i) same_loaded = equal(c[i], a[i]);
    if (!same_loaded) std::cout << "save/load: the loaded program's run differs from the original's\n";
    return same && ok && same_loaded;
}
} // namespace detail

/// Print `ep`, run it on clones of `fresh`, run `eager` on other clones, and compare the outputs
/// and the (possibly mutated) inputs. Returns the process exit code.
inline int report(const symshape::exported_program& ep, const std::vector<symshape::tensor>& fresh,
                  const std::function<std::vector<symshape::tensor>(std::vector<symshape::tensor>&)>& eager) {
    std::cout << ep;
    std::vector<symshape::tensor> got;
    const bool same = detail::run_matches_eager(ep, fresh, eager, got);
    std::cout << "\nrun on fresh inputs matches eager: " << (same ? "yes" : "NO") << "\n";
    return same ? 0 : 1;
}

/// Text of an input for the run lines: `f32[5, 2]`, or `i64[] = 3` for a scalar integer tensor.
inline std::string input_text(const symshape::tensor& t) {
    using namespace symshape;
    std::string r = std::string(short_name(t.dtype())) + to_string(t.sizes());
    if (t.sizes().size() == 0 && (t.dtype() == dtype::i64 || t.dtype() == dtype::i32)) r += " = " + to_string(t.item_int());
    return r;
}

inline std::string inputs_text(const std::vector<symshape::tensor>& in) {
    std::string r;
    for (std::size_t i = 0; i < in.size(); ++i) r += (i ? ", " : "") + input_text(in[i]);
    return r;
}

/// Print `ep`, then run it on each input set in `fresh` (typically of new sizes for the dynamic
/// dims) and compare with `eager` as report() does, one line per set. Returns the exit code.
inline int report_runs(const symshape::exported_program& ep, const std::vector<std::vector<symshape::tensor>>& fresh,
                       const std::function<std::vector<symshape::tensor>(std::vector<symshape::tensor>&)>& eager) {
    using namespace symshape;
    std::cout << ep << "\n";
    bool all = true;
    for (const std::vector<tensor>& set : fresh) {
        std::vector<tensor> got;
        const bool same = detail::run_matches_eager(ep, set, eager, got);
        std::cout << "run on fresh inputs (" << inputs_text(set) << ") -> (" << inputs_text(got)
                  << ") matches eager: " << (same ? "yes" : "NO") << "\n";
        all = all && same;
    }
    return all ? 0 : 1;
}

/// Call `fn`, which must throw E (a symshape::error); print `label` and the error's message,
/// indented. Returns 0 when E was thrown, 1 (after printing why) otherwise.
template <class E, class Fn>
int expect_error(const std::string& label, Fn&& fn) {
    try {
        fn();
    } catch (const E& e) {
        std::cout << label << ":\n";
        std::string msg = e.what();
        std::string line;
        for (char c : msg + "\n") {
            if (c == '\n') {
                std::cout << "    " << line << "\n";
                line.clear();
            } else {
                line += c;
            }
        }
        return 0;
    } catch (const std::exception& e) {
        std::cout << label << ": unexpected error: " << e.what() << "\n";
        return 1;
    }
    std::cout << label << ": NO ERROR (one was expected)\n";
    return 1;
}

/// Run `ep` on `bad`, which must be rejected with an input_error; print it. Returns the exit code.
/// The loaded copy of the program must reject them with the same message.
inline int expect_input_error(const symshape::exported_program& ep, const std::vector<symshape::tensor>& bad) {
    int rc = expect_error<symshape::input_error>("run on bad inputs (" + inputs_text(bad) + ") -> input_error",
                                                 [&] { (void)ep.run(bad); });
    bool ok = true;
    symshape::exported_program loaded = roundtrip(ep, ok);
    std::string original, again;
    try {
        (void)ep.run(bad);
    } catch (const std::exception& e) {
        original = e.what();
    }
    try {
        (void)loaded.run(bad);
    } catch (const std::exception& e) {
        again = e.what();
    }
    if (original != again || !ok) {
        std::cout << "save/load: the loaded program rejects these inputs differently: " << again << "\n";
        rc = 1;
    }
    return rc;
}

/// Print a section heading between the parts of an example with several exports.
inline void section(const std::string& title) { std::cout << "\n==== " << title << " ====\n\n"; }

} // namespace exportdb
