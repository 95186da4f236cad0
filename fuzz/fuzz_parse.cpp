// libFuzzer target: the expression parser on arbitrary bytes. Every input must parse or throw one
// of symshape's errors (parse_error, overflow_error, division_by_zero, usage_error for an
// expression too large, ...). A parsed expression must print as text that parses back to an
// expression with the same value at every point tried (or the same error there): a difference
// would be a wrong canonical form. (The same canonical form is not required: rewriting a printed
// expression may simplify further.) Anything else — another exception, a crash, a sanitizer
// report, a hang — is a finding. Built by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#include "symshape/expr.hpp"

namespace {
/// The value of `e` at `v`, or nothing when evaluation throws (a division by zero, an overflow).
std::optional<std::int64_t> value_at(const symshape::expr& e, const symshape::valuation<std::int64_t>& v) {
    try {
        return e.is_bool() ? std::int64_t{symshape::evaluate_bool(e, v)} : symshape::evaluate(e, v);
    } catch (const symshape::error&) {
        return std::nullopt;
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const symshape::expr e = symshape::parse<std::int64_t>(text);
        const symshape::expr again = symshape::parse<std::int64_t>(symshape::to_string(e));
        if (again == e) return 0;
        std::vector<symshape::expr> syms = symshape::symbols_of(e);
        for (const symshape::expr& s : symshape::symbols_of(again)) syms.push_back(s);
        for (int point = 0; point < 16; ++point) {
            symshape::valuation<std::int64_t> v;
            for (std::size_t k = 0; k < syms.size(); ++k) v.set(syms[k], (point * 7 + static_cast<int>(k) * 3) % 23 - 11);
            const auto a = value_at(e, v), b = value_at(again, v);
            // An overflow may happen in one form and not the other; values that exist must agree.
            if (a && b && *a != *b) std::abort();
        }
    } catch (const symshape::error&) {
    }
    return 0;
}
