// Helpers shared by the range layer's tests (test_range_*.cpp): one-line bounds, proofs and
// simplifications over a range declaration, and a store whose searches are not short-cut by
// exhaustive enumeration.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "symshape/range.hpp"

namespace range_test {
using namespace symshape;
using i64 = std::int64_t;
using iv = interval<i64>;

inline iv bound_of(const char* ranges, const char* text, std::uint64_t enumerate = 2048) {
    fact_store<i64> fs;
    fs.budget().enumerate_points = enumerate;
    declare_ranges<i64>(ranges, fs);
    return fs.bound(parse<i64>(text));
}
inline truth prove_of(const char* ranges, const char* text) {
    fact_store<i64> fs;
    declare_ranges<i64>(ranges, fs);
    return fs.prove(parse<i64>(text));
}
/// A store over `ranges` with exhaustive enumeration off, so that bounds and proofs reach the
/// searches under test, and the budgets `configure` sets.
template <class I, class Configure = void (*)(solver_budget&)>
fact_store<I> searching_store(const std::string& ranges, Configure&& configure = [](solver_budget&) {}) {
    fact_store<I> fs;
    fs.budget().enumerate_points = 0;
    configure(fs.budget());
    declare_ranges<I>(ranges, fs);
    return fs;
}
inline std::string simplify_of(const char* ranges, const char* text) {
    fact_store<i64> fs;
    declare_ranges<i64>(ranges, fs);
    return to_string(simplify(parse<i64>(text), fs));
}
/// Calls f with every point of the box {a:[-4,6], b:[1,5], c:[-3,3]} of the property tests.
template <class I, class F>
void for_each_point(F&& f) {
    for (int a = -4; a <= 6; ++a)
        for (int b = 1; b <= 5; ++b)
            for (int c = -3; c <= 3; ++c) f(std::map<std::string, I>{{"a", I(a)}, {"b", I(b)}, {"c", I(c)}});
}
} // namespace range_test
