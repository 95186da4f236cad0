// symshape/guard/impl/compiled.hpp — the definitions behind symshape/guard/compiled.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/guard/compiled.hpp"

namespace symshape {

SYMSHAPE_INLINE compiled_checks::compiled_checks(const std::vector<expr>& symbols, const std::vector<expr>& predicates) {
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        if (!symbols[i].is_symbol()) throw usage_error("compiled_checks: '" + to_string(symbols[i]) + "' is not a symbol");
        sym_index_[symbols[i].node()] = static_cast<std::uint32_t>(i);
    }
    for (const expr& p : predicates) {
        if (!p.is_bool()) throw usage_error("compiled_checks: '" + to_string(p) + "' is not a boolean predicate");
        for (const expr& s : symbols_of(p))
            if (!sym_index_.count(s.node()))
                throw usage_error("compiled_checks: predicate '" + to_string(p) + "' uses symbol " + to_string(s) + " that is not an input");
        checks_.push_back(emit(p.node()));
        check_at_.push_back(static_cast<std::uint32_t>(code_.size()));
    }
    memo_.clear();
}

SYMSHAPE_INLINE std::uint32_t compiled_checks::emit(const detail::node<std::int64_t>* n) {
    if (auto it = memo_.find(n); it != memo_.end()) return it->second;
    std::uint32_t r = 0;
    auto args = n->args();
    switch (n->kind) {
    case node_kind::constant:
    case node_kind::bool_const: r = push(opcode::load_const, 0, 0, n->value); break;
    case node_kind::symbol: r = push(opcode::load_sym, 0, 0, sym_index_.at(n)); break;
    case node_kind::add: {
        r = push(opcode::load_const, 0, 0, n->value);
        for (std::size_t i = 0; i < args.size(); ++i) r = push(opcode::add, r, emit(args[i]), n->coeffs()[i]);
        break;
    }
    case node_kind::mul: {
        r = push(opcode::load_const, 0, 0, 1);
        for (std::size_t i = 0; i < args.size(); ++i) {
            std::uint32_t f = emit(args[i]);
            for (std::int64_t e = 0; e < n->coeffs()[i]; ++e) r = push(opcode::mul, r, f);
        }
        break;
    }
    case node_kind::floor_div: r = push(opcode::floor_div, emit(args[0]), emit(args[1])); break;
    case node_kind::mod: r = push(opcode::mod, emit(args[0]), emit(args[1])); break;
    case node_kind::min:
    case node_kind::max: {
        r = emit(args[0]);
        for (std::size_t i = 1; i < args.size(); ++i) r = push(n->kind == node_kind::min ? opcode::min : opcode::max, r, emit(args[i]));
        break;
    }
    case node_kind::eq: r = push(opcode::eq, emit(args[0]), emit(args[1])); break;
    case node_kind::ne: r = push(opcode::ne, emit(args[0]), emit(args[1])); break;
    case node_kind::lt: r = push(opcode::lt, emit(args[0]), emit(args[1])); break;
    case node_kind::le: r = push(opcode::le, emit(args[0]), emit(args[1])); break;
    case node_kind::not_: r = push(opcode::lnot, emit(args[0]), 0); break;
    case node_kind::and_:
    case node_kind::or_: {
        r = emit(args[0]);
        for (std::size_t i = 1; i < args.size(); ++i) r = push(n->kind == node_kind::and_ ? opcode::land : opcode::lor, r, emit(args[i]));
        break;
    }
    }
    memo_.emplace(n, r);
    return r;
}

SYMSHAPE_INLINE int compiled_checks::first_failure(const std::int64_t* values) const noexcept {
    // Registers live on the stack for small programs.
    constexpr std::size_t small = 256;
    std::int64_t stack_regs[small];
    std::vector<std::int64_t> heap_regs;
    std::int64_t* reg = stack_regs;
    if (registers_ > small) {
        heap_regs.resize(registers_);
        reg = heap_regs.data();
    }
    std::size_t pc = 0;
    for (std::size_t c = 0; c < checks_.size(); ++c) {
        for (; pc < check_at_[c]; ++pc) {
            const instr& in = code_[pc];
            std::int64_t a = reg[in.a], b = reg[in.b], out = 0;
            switch (in.op) {
            case opcode::load_const: out = in.k; break;
            case opcode::load_sym: out = values[in.k]; break;
            case opcode::add: {
                std::int64_t t;
                if (__builtin_mul_overflow(in.k, b, &t) || __builtin_add_overflow(a, t, &out)) return static_cast<int>(c);
                break;
            }
            case opcode::mul:
                if (__builtin_mul_overflow(a, b, &out)) return static_cast<int>(c);
                break;
            case opcode::floor_div:
            case opcode::mod: {
                if (b == 0 || (a == std::numeric_limits<std::int64_t>::min() && b == -1)) return static_cast<int>(c);
                std::int64_t q = a / b, r = a % b;
                if (r != 0 && ((r < 0) != (b < 0))) { --q; r += b; }
                out = in.op == opcode::floor_div ? q : r;
                break;
            }
            case opcode::min: out = a < b ? a : b; break;
            case opcode::max: out = a > b ? a : b; break;
            case opcode::eq: out = a == b; break;
            case opcode::ne: out = a != b; break;
            case opcode::lt: out = a < b; break;
            case opcode::le: out = a <= b; break;
            case opcode::land: out = a && b; break;
            case opcode::lor: out = a || b; break;
            case opcode::lnot: out = !a; break;
            }
            reg[in.dst] = out;
        }
        if (!reg[checks_[c]]) return static_cast<int>(c);
    }
    return -1;
}

} // namespace symshape
