// symshape/guard/emit.hpp — turns guards and runtime assertions into readable text and into
// standalone C++ source (a function that checks them over int64 symbol values, with floor
// division and overflow detection, for runtimes that embed the checks without symshape).
#pragma once

#include "symshape/config.hpp"

#include <string>
#include <vector>

#include "symshape/guard/shape_env.hpp"

namespace symshape {

/// One line per guard: "s0 >= 3    (asked by: ...)".
std::string guards_to_text(const std::vector<guard>& guards);

/// C++ source of `bool NAME(const std::int64_t* s)` returning whether every predicate holds;
/// s[i] is the value of symbols[i]. Throws usage_error for a predicate over other symbols.
std::string predicates_to_cpp(const std::vector<expr>& symbols, const std::vector<expr>& predicates,
                              const std::string& name = "check_inputs");

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/guard/impl/emit.hpp"
#endif
