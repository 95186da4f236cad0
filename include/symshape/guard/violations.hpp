// symshape/guard/violations.hpp — after a trace, checks every guard against the ranges the user
// declared for their dims. A declared range that admits values the program cannot handle is a
// violation: which dim, its range, the guard it must satisfy (or the constant / other dim it was
// found equal to), and a suggested fix that actually changes something.
#pragma once

#include "symshape/config.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "symshape/guard/shape_env.hpp"

namespace symshape {

/// One dim whose declared range the traced program cannot honour.
struct range_violation {
    std::string dim_name;                        ///< the user's dim name
    std::string source;                          ///< e.g. "x.size(0)"
    interval<std::int64_t> declared;             ///< the declared range
    std::vector<std::string> guards;             ///< guards not implied by the declared ranges
    std::optional<std::int64_t> specialized_to;  ///< the program only works for this value
    std::optional<std::string> equal_to;         ///< the program needs it equal to this (another dim's expression)
    std::string equal_dim;                       ///< when equal_to is another dim itself: that dim's name
    std::string equal_source;                    ///< ... and its source, e.g. "x.size(1)"
    std::optional<interval<std::int64_t>> suggested; ///< a narrower range under which every guard holds
    /// When no range works but every guard holds for sizes `mul * k + add` (k >= k_min, k <= k_max):
    /// the derived dim that expresses them (`h % 2 == 0` -> `2 * dim("h_k")`).
    struct progression {
        std::int64_t mul, add;
        interval<std::int64_t> k;
    };
    std::optional<progression> derived;
    std::string check_text; ///< the guards as one check(...) in the user's terms, when nothing else fits
    std::string equal_derived; ///< when equal_to is `mul*d + add` for another dim d: that derived dim, pasteable
};

/// `e` with each symbol written as its dim's name (`dimx + 1`, `2*h`); symbols without one as is.
std::string dim_names_text(const shape_env& env, const expr& e);

/// The violations of the declared dim ranges by the guards recorded in `env`.
std::vector<range_violation> check_declared_ranges(shape_env& env);

/// The fix suggested for one violation (a `dim(...)` to paste, or what to change); empty if none.
std::string violation_fix(const range_violation& v);

/// The message of a constraint_violation for `v` (empty when `v` is empty).
std::string format_violations(const std::vector<range_violation>& v);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/guard/impl/violations.hpp"
#endif
