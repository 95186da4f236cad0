// symshape/range/declare_ranges.hpp — reads symbol range declarations written as `x:[0,10] y:[-inf,5]`
// (inclusive ends, `inf` / `-inf` for open ends, `-` or empty for none) into a fact store.
#pragma once

#include "symshape/config.hpp"

#include <string>
#include <string_view>

#include "symshape/range/facts.hpp"

namespace symshape {

/// Declares every range in `spec` in `fs`. Throws parse_error (column within `spec`) on bad text.
template <Integer I>
void declare_ranges(std::string_view spec, fact_store<I>& fs);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/range/impl/declare_ranges.hpp"
#endif
