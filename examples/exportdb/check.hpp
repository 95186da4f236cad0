// examples/exportdb/check.hpp — shared by the ExportDB examples: print the exported program, then
// run it on fresh inputs of the same shapes and compare with eager execution (exit code 1 if not).
#pragma once

#include <functional>
#include <iostream>
#include <vector>

#include "symshape/export.hpp"
#include "symshape/io.hpp"

namespace exportdb {

/// Print `ep`, run it on clones of `fresh`, run `eager` on other clones, and compare the outputs
/// and the (possibly mutated) inputs. Returns the process exit code.
inline int report(const symshape::exported_program& ep, const std::vector<symshape::tensor>& fresh,
                  const std::function<std::vector<symshape::tensor>(std::vector<symshape::tensor>&)>& eager) {
    using namespace symshape;
    std::cout << ep;
    std::vector<tensor> a, b;
    for (const tensor& t : fresh) {
        a.push_back(t.clone());
        b.push_back(t.clone());
    }
    std::vector<tensor> got = ep.run(a);
    std::vector<tensor> want = eager(b);
    bool same = got.size() == want.size();
    for (std::size_t i = 0; same && i < got.size(); ++i) same = equal(got[i], want[i]);
    for (std::size_t i = 0; same && i < a.size(); ++i) same = equal(a[i], b[i]);
    std::cout << "\nrun on fresh inputs matches eager: " << (same ? "yes" : "NO") << "\n";
    return same ? 0 : 1;
}

} // namespace exportdb
