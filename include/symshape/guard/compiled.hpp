// symshape/guard/compiled.hpp — predicates over symbols compiled once into a flat register
// program (shared subexpressions computed once), then checked against integer values with no
// tree walking, no allocation and no exceptions: the fast path of checking a program's inputs.
#pragma once

#include "symshape/config.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "symshape/expr.hpp"

namespace symshape {

/// A list of boolean predicates over `symbols`, compiled for repeated checking.
class compiled_checks {
public:
    compiled_checks() = default;
    /// Compiles `predicates`; their symbols must all be in `symbols` (whose order defines the
    /// value array passed to first_failure). Throws usage_error otherwise.
    compiled_checks(const std::vector<expr>& symbols, const std::vector<expr>& predicates);

    /// Index of the first predicate that is false at `values` (values[i] is symbols[i]), or -1
    /// when all hold. A predicate whose evaluation divides by zero or overflows counts as false.
    int first_failure(const std::int64_t* values) const noexcept;

    std::size_t size() const noexcept { return checks_.size(); }
    std::size_t instructions() const noexcept { return code_.size(); }

private:
    enum class opcode : std::uint8_t { load_const, load_sym, add, mul, floor_div, mod, min, max, eq, ne, lt, le, land, lor, lnot };
    struct instr {
        opcode op;
        std::uint32_t dst, a, b;
        std::int64_t k; // constant, or symbol index, or multiplier for add (dst = a + k*b)
    };
    std::uint32_t emit(const detail::node<std::int64_t>* n);
    std::uint32_t push(opcode op, std::uint32_t a, std::uint32_t b, std::int64_t k = 0) {
        code_.push_back({op, registers_, a, b, k});
        return registers_++;
    }

    std::vector<instr> code_;
    std::vector<std::uint32_t> checks_; // register holding each predicate; checked in order
    std::vector<std::uint32_t> check_at_; // number of instructions to run before checking each
    std::unordered_map<const detail::node<std::int64_t>*, std::uint32_t> memo_;
    std::unordered_map<const detail::node<std::int64_t>*, std::uint32_t> sym_index_;
    std::uint32_t registers_ = 0;
};

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/guard/impl/compiled.hpp"
#endif
