// symshape/expr/flat_eval.hpp — internal: an integer expression flattened to post-order for
// evaluation at many points without allocating or throwing (the range layer's point searches), and
// apply_op, the one-operation step it shares with the fact store's fixed-point values.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "symshape/expr/eval.hpp"

namespace symshape::detail {

/// s + k*x into s, k a coefficient of a sum (a coefficient of 1 or -1 needs no product):
/// false on an int64 overflow (s is then unspecified).
template <Integer I>
bool add_term(I& s, const I& k, const I& x) {
    if (k == 1) return try_add(s, x, s);
    if (k == -1) return try_sub(s, x, s);
    I t;
    return try_mul(k, x, t) && try_add(s, t, s);
}

/// p * x^e into p (e >= 1, an exponent of a product): false on an int64 overflow (p is then
/// unspecified).
template <Integer I>
bool mul_power(I& p, const I& x, const I& e) {
    if (e == 1) return try_mul(p, x, p);
    for (I k = 0; k < e; ++k)
        if (!try_mul(p, x, p)) return false;
    return true;
}

/// value + sum of coeffs[k]*arg(k) into out: false on an int64 overflow.
template <Integer I, class Arg>
bool sum_of(const I& value, const I* coeffs, std::size_t count, Arg&& arg, I& out) {
    I s = value;
    for (std::size_t k = 0; k < count; ++k)
        if (!add_term(s, coeffs[k], arg(k))) return false;
    out = std::move(s);
    return true;
}

/// The product of arg(k)^coeffs[k] into out: false on an int64 overflow.
template <Integer I, class Arg>
bool product_of(const I* coeffs, std::size_t count, Arg&& arg, I& out) {
    I p = I(1);
    for (std::size_t k = 0; k < count; ++k)
        if (!mul_power(p, arg(k), coeffs[k])) return false;
    out = std::move(p);
    return true;
}

/// a // b (kind floor_div) or a % b (mod) into out: false on a zero divisor or an int64
/// overflow (the two cases where floor_div / floor_mod would throw).
template <Integer I>
bool divide(node_kind kind, const I& a, const I& b, I& out) {
    if (b == 0) return false;
    if constexpr (std::is_same_v<I, std::int64_t>)
        if (kind == node_kind::floor_div && b == -1 && a == std::numeric_limits<std::int64_t>::min()) return false;
    out = kind == node_kind::floor_div ? floor_div(a, b) : floor_mod(a, b);
    return true;
}

/// The value of one integer operation (add, mul, floor_div, mod, min, max) with constant term
/// `value`, coefficients (add) or exponents (mul) `coeffs` and `count` arguments, `arg(k)`
/// giving argument k's value (a reference that stays valid during the call): false on a zero
/// divisor or an int64 overflow, never a throw. Shared by flat_eval and the fact store's values
/// at fixed points, so both follow the same floor semantics and failure rules.
template <Integer I, class Arg>
bool apply_op(node_kind kind, const I& value, const I* coeffs, std::size_t count, Arg&& arg, I& out) {
    switch (kind) {
    case node_kind::add: return sum_of(value, coeffs, count, arg, out);
    case node_kind::mul: return product_of(coeffs, count, arg, out);
    case node_kind::floor_div:
    case node_kind::mod: return divide(kind, arg(0), arg(1), out);
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
        ops_.clear();
        args_.clear();
        nodes_.clear();
        sym_slots_.clear();
        // (a new generation empties the table without touching it)
        if (slots_.empty() || ++gen_ == 0) {
            slots_.assign(std::max<std::size_t>(slots_.size(), 64), {});
            gen_ = 1;
        }
        val_.clear();
        root_ = emit(n, syms);
    }
    /// The value at the point x; false when a divisor is 0 or a value overflows there.
    bool run(const I* x, I& out) {
        I* val = val_.data();
        const std::uint32_t* args = args_.data();
        for (const auto& [slot, j] : sym_slots_) val[slot] = x[j];
        for (const op& o : ops_) {
            I& r = val[o.slot];
            // o's argument k (in the cases that loop over them)
            auto arg = [&, a = args + o.first](std::size_t k) -> const I& { return val[a[k]]; };
            // (the common shapes with their operands at hand; any other through apply_op)
            switch (o.shape) {
            case op_shape::sum1: // value + k*a
                r = *o.value;
                if (!add_term(r, o.coeffs[0], val[o.a])) return false;
                continue;
            case op_shape::sum2: { // value + k0*a + k1*b
                I s = *o.value;
                if (!add_term(s, o.coeffs[0], val[o.a]) || !add_term(s, o.coeffs[1], val[o.b])) return false;
                r = std::move(s);
                continue;
            }
            case op_shape::sum: // value + sum of k_i*a_i
                if (!sum_of(*o.value, o.coeffs, o.count, arg, r)) return false;
                continue;
            case op_shape::product: // product of a_i^e_i
                if (!product_of(o.coeffs, o.count, arg, r)) return false;
                continue;
            case op_shape::product2: // a*b
                if (!try_mul(val[o.a], val[o.b], r)) return false;
                continue;
            case op_shape::quotient:
                if (!divide(o.kind, val[o.a], val[o.b], r)) return false;
                continue;
            case op_shape::min2: r = std::min(val[o.a], val[o.b]); continue;
            case op_shape::max2: r = std::max(val[o.a], val[o.b]); continue;
            case op_shape::general: break;
            }
            if (!apply_op(o.kind, *o.value, o.coeffs, o.count, arg, r)) return false;
        }
        out = val[root_];
        return true;
    }

private:
    // The shape of an operation that run() evaluates inline: a sum (of one, two or more terms),
    // a product (of two factors to the power 1, or any), a quotient or remainder, a min or max
    // of two; general (a min or max of more): through apply_op.
    enum class op_shape : std::uint8_t { general, sum1, sum2, sum, product2, product, quotient, min2, max2 };
    // An operation: its node's kind, constant and coefficients, its arguments' value slots
    // args_[first, first + count) (the first two also as a and b), and the slot of its value.
    struct op {
        node_kind kind;
        op_shape shape;
        std::uint32_t slot, first, count, a, b;
        const I* value;
        const I* coeffs;
    };
    static op_shape shape_of(const node<I>* n) {
        const std::size_t k = n->nargs_;
        switch (n->kind) {
        case node_kind::add: return k == 1 ? op_shape::sum1 : k == 2 ? op_shape::sum2 : op_shape::sum;
        case node_kind::mul: return k == 2 && n->coeffs_[0] == 1 && n->coeffs_[1] == 1 ? op_shape::product2 : op_shape::product;
        case node_kind::floor_div:
        case node_kind::mod: return op_shape::quotient;
        case node_kind::min: return k == 2 ? op_shape::min2 : op_shape::general;
        case node_kind::max: return k == 2 ? op_shape::max2 : op_shape::general;
        default: return op_shape::general;
        }
    }
    // A slot of the table from nodes to value slots; live when gen is the compile's generation.
    struct table_slot {
        const node<I>* n = nullptr;
        std::uint32_t value_slot = 0;
        std::uint32_t gen = 0;
    };
    static std::size_t slot_of(const node<I>* n, std::size_t mask) noexcept {
        auto x = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(n));
        return static_cast<std::size_t>((x ^ (x >> 29)) * 0xbf58476d1ce4e5b9ULL >> 20) & mask;
    }
    void remember(const node<I>* n, std::uint32_t value_slot) {
        nodes_.push_back(n);
        if (2 * nodes_.size() > slots_.size()) { // keep the table at most half full
            slots_.assign(slots_.size() * 2, {});
            gen_ = 1;
            for (std::uint32_t i = 0; i < nodes_.size(); ++i) place(nodes_[i], i);
            return;
        }
        place(n, value_slot);
    }
    void place(const node<I>* n, std::uint32_t value_slot) {
        std::size_t h = slot_of(n, slots_.size() - 1);
        while (slots_[h].gen == gen_) h = (h + 1) & (slots_.size() - 1);
        slots_[h] = {n, value_slot, gen_};
    }
    template <class Syms>
    std::uint32_t emit(const node<I>* n, Syms& syms) {
        for (std::size_t h = slot_of(n, slots_.size() - 1); slots_[h].gen == gen_; h = (h + 1) & (slots_.size() - 1))
            if (slots_[h].n == n) return slots_[h].value_slot;
        if (n->kind == node_kind::symbol) {
            auto it = std::find(syms.begin(), syms.end(), n);
            const auto j = static_cast<std::uint32_t>(it - syms.begin());
            if (it == syms.end()) syms.push_back(n);
            sym_slots_.emplace_back(static_cast<std::uint32_t>(val_.size()), j);
        } else if (n->nargs_ > 0) {
            boost::container::small_vector<std::uint32_t, 8> a;
            for (const node<I>* arg : n->args()) a.push_back(emit(arg, syms));
            ops_.push_back({n->kind, shape_of(n), static_cast<std::uint32_t>(val_.size()), static_cast<std::uint32_t>(args_.size()),
                            static_cast<std::uint32_t>(a.size()), a[0], a.size() > 1 ? a[1] : a[0], &n->value, n->coeffs_});
            args_.insert(args_.end(), a.begin(), a.end());
        }
        // (a constant's slot holds its value from here on: run() writes only the others)
        val_.push_back(n->kind == node_kind::constant ? n->value : I{});
        const auto slot = static_cast<std::uint32_t>(val_.size() - 1);
        remember(n, slot);
        return slot;
    }
    std::vector<op> ops_;                                            // in post-order
    std::vector<std::uint32_t> args_;
    std::vector<I> val_;                                             // by value slot
    std::vector<const node<I>*> nodes_;                              // by value slot
    std::vector<table_slot> slots_;
    std::uint32_t gen_ = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sym_slots_; // (slot, index into x)
    std::uint32_t root_ = 0;
};

} // namespace symshape::detail
