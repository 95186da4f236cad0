// symshape/expr/flat_eval.hpp — internal: an integer expression flattened to post-order for
// evaluation at many points without allocating or throwing (the range layer's point searches), and
// apply_op, the one-operation step it shares with the fact store's fixed-point values.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "symshape/expr/eval.hpp"

namespace symshape::detail {

/// The value of one integer operation (add, mul, floor_div, mod, min, max) with constant term
/// `value`, coefficients (add) or exponents (mul) `coeffs` and `count` arguments, `arg(k)`
/// giving argument k's value (a reference that stays valid during the call): false on a zero
/// divisor or an int64 overflow, never a throw. Shared by flat_eval and the fact store's values
/// at fixed points, so both follow the same floor semantics and failure rules.
template <Integer I, class Arg>
bool apply_op(node_kind kind, const I& value, const I* coeffs, std::size_t count, Arg&& arg, I& out) {
    switch (kind) {
    case node_kind::add: {
        I s = value;
        for (std::size_t k = 0; k < count; ++k) {
            I t;
            if (!try_mul(coeffs[k], arg(k), t) || !try_add(s, t, s)) return false;
        }
        out = std::move(s);
        return true;
    }
    case node_kind::mul: {
        I p = I(1);
        for (std::size_t k = 0; k < count; ++k) {
            const I& a = arg(k);
            for (I e = 0; e < coeffs[k]; ++e)
                if (!try_mul(p, a, p)) return false;
        }
        out = std::move(p);
        return true;
    }
    case node_kind::floor_div:
    case node_kind::mod: {
        const I& a = arg(0);
        const I& b = arg(1);
        // (the two cases where floor_div / floor_mod would throw)
        if (b == 0) return false;
        if constexpr (std::is_same_v<I, std::int64_t>)
            if (kind == node_kind::floor_div && b == -1 && a == std::numeric_limits<std::int64_t>::min()) return false;
        out = kind == node_kind::floor_div ? floor_div(a, b) : floor_mod(a, b);
        return true;
    }
    case node_kind::min:
    case node_kind::max: {
        const I* best = &arg(0);
        for (std::size_t k = 1; k < count; ++k) {
            const I& o = arg(k);
            if (kind == node_kind::min ? o < *best : o > *best) best = &o;
        }
        out = *best;
        return true;
    }
    default: return false;
    }
}

/// One integer expression flattened to post-order (each distinct node of the DAG once), for
/// evaluating it at many points without allocating or throwing: the searches for points that
/// attain a bound or decide a relation run it hundreds of times per question.
template <Integer I>
class flat_eval {
public:
    /// Compiles `n`, an integer expression; the value of syms[j] is x[j] in run(). Symbols of `n`
    /// not yet in `syms` are appended in first-visit order (depth first, arguments in order).
    /// Reuses its buffers, so a long-lived flat_eval stops allocating.
    template <class Syms>
    void compile(const node<I>* n, Syms& syms) {
        code_.clear();
        args_.clear();
        slots_.assign(64, {nullptr, 0});
        root_ = emit(n, syms);
        // Leaves are not instructions at run time: constants are written once here, symbols
        // copied in at the start of each run; the loop visits only the operations.
        val_.resize(code_.size());
        ops_.clear();
        sym_slots_.clear();
        for (std::uint32_t i = 0; i < code_.size(); ++i) {
            const instr& c = code_[i];
            if (c.kind == node_kind::constant) val_[i] = *c.value;
            else if (c.kind == node_kind::symbol) sym_slots_.emplace_back(i, c.first);
            else ops_.push_back(i);
        }
    }
    /// The value at the point x; false when a divisor is 0 or a value overflows there.
    bool run(const I* x, I& out) {
        I* val = val_.data();
        const std::uint32_t* args = args_.data();
        for (const auto& [slot, j] : sym_slots_) val[slot] = x[j];
        for (const std::uint32_t i : ops_) {
            const instr& c = code_[i];
            auto arg = [&](std::size_t k) -> const I& { return val[args[c.first + k]]; };
            if (!apply_op(c.kind, *c.value, c.coeffs, c.count, arg, val[i])) return false;
        }
        out = val_[root_];
        return true;
    }

private:
    struct instr {
        const node<I>* n;
        std::uint32_t first = 0, count = 0; // args_[first, first + count), or the symbol's index
        node_kind kind = node_kind::constant;
        const I* value = nullptr;  // the node's constant / offset
        const I* coeffs = nullptr; // the node's coefficients / exponents
    };
    static std::size_t slot_of(const node<I>* n, std::size_t mask) noexcept {
        auto x = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(n));
        return static_cast<std::size_t>((x ^ (x >> 29)) * 0xbf58476d1ce4e5b9ULL >> 20) & mask;
    }
    void remember(const node<I>* n, std::uint32_t slot) {
        if (2 * (code_.size() + 1) > slots_.size()) { // keep the table at most half full
            slots_.assign(slots_.size() * 2, {nullptr, 0});
            for (std::uint32_t i = 0; i + 1 < code_.size(); ++i) remember(code_[i].n, i);
        }
        std::size_t h = slot_of(n, slots_.size() - 1);
        while (slots_[h].first) h = (h + 1) & (slots_.size() - 1);
        slots_[h] = {n, slot};
    }
    template <class Syms>
    std::uint32_t emit(const node<I>* n, Syms& syms) {
        for (std::size_t h = slot_of(n, slots_.size() - 1); slots_[h].first; h = (h + 1) & (slots_.size() - 1))
            if (slots_[h].first == n) return slots_[h].second;
        instr c{n};
        c.kind = n->kind;
        c.value = &n->value;
        c.coeffs = n->coeffs_;
        if (n->kind == node_kind::symbol) {
            auto it = std::find(syms.begin(), syms.end(), n);
            c.first = static_cast<std::uint32_t>(it - syms.begin());
            if (it == syms.end()) syms.push_back(n);
        } else if (n->nargs_ > 0) {
            boost::container::small_vector<std::uint32_t, 8> a;
            for (const node<I>* arg : n->args()) a.push_back(emit(arg, syms));
            c.first = static_cast<std::uint32_t>(args_.size());
            c.count = static_cast<std::uint32_t>(a.size());
            args_.insert(args_.end(), a.begin(), a.end());
        }
        code_.push_back(c);
        const auto slot = static_cast<std::uint32_t>(code_.size() - 1);
        remember(n, slot);
        return slot;
    }
    std::vector<instr> code_;
    std::vector<std::uint32_t> args_;
    std::vector<I> val_;
    std::vector<std::pair<const node<I>*, std::uint32_t>> slots_;
    std::vector<std::uint32_t> ops_;                             // slots of the operations, in order
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sym_slots_; // (slot, index into x)
    std::uint32_t root_ = 0;
};

} // namespace symshape::detail
