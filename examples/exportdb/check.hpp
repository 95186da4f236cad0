// examples/exportdb/check.hpp — shared by the ExportDB examples: print the exported program, then
// run it on fresh inputs of the same shapes and compare with eager execution (exit code 1 if not).
#pragma once

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"

namespace exportdb {

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
    return same;
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
inline int expect_input_error(const symshape::exported_program& ep, const std::vector<symshape::tensor>& bad) {
    return expect_error<symshape::input_error>("run on bad inputs (" + inputs_text(bad) + ") -> input_error",
                                               [&] { (void)ep.run(bad); });
}

/// Print a section heading between the parts of an example with several exports.
inline void section(const std::string& title) { std::cout << "\n==== " << title << " ====\n\n"; }

} // namespace exportdb
