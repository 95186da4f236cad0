// libFuzzer target: the expression parser on arbitrary bytes. Every input must parse (and then
// print and parse back to the same expression) or throw one of symshape's errors (parse_error,
// overflow_error, division_by_zero, ...); anything else is a finding. Built by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "symshape/expr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const symshape::expr e = symshape::parse<std::int64_t>(text);
        const symshape::expr again = symshape::parse<std::int64_t>(symshape::to_string(e));
        if (!(again == e)) std::abort(); // printing and parsing must give the same expression
    } catch (const symshape::error&) {
    }
    return 0;
}
