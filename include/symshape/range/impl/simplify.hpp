// symshape/range/impl/simplify.hpp — the definitions behind symshape/range/simplify.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/range/simplify.hpp"

namespace symshape {

namespace detail {

template <Integer I>
class simplifier {
public:
    using E = basic_expr<I>;
    explicit simplifier(fact_store<I>& fs) : fs_(fs) {}

    E run(const node<I>* n) {
        if (auto it = memo_.find(n); it != memo_.end()) return it->second;
        E r;
        try {
            r = rewrite(n);
        } catch (const overflow_error&) {
            // a rewrite whose constants leave int64 (ranges near its ends): keep the node
            r = E(n);
        }
        // A non-constant integer whose range is a single point is that constant (not worth a
        // full bound when two allowed points already give it two values).
        if (!r.is_bool() && !r.is_constant() && !fs_.seen_varying(r)) {
            interval<I> b = fs_.bound(r);
            if (b.is_point()) r = E(b.lo.value());
        }
        memo_.emplace(n, r);
        return r;
    }

private:
    E rewrite(const node<I>* n) {
        auto sub = [&](std::size_t i) { return run(n->args()[i]); };
        switch (n->kind) {
        case node_kind::constant:
        case node_kind::symbol:
        case node_kind::bool_const: return E(n);
        case node_kind::add: {
            E r(n->value);
            for (std::size_t i = 0; i < n->args().size(); ++i) r = r + E(n->coeffs()[i]) * sub(i);
            return r;
        }
        case node_kind::mul: {
            E r(I(1));
            for (std::size_t i = 0; i < n->args().size(); ++i) {
                E f = sub(i);
                for (I e = 0; e < n->coeffs()[i]; ++e) r = r * f;
            }
            return r;
        }
        case node_kind::floor_div: {
            E a = sub(0), b = sub(1);
            // A divisor that is 0 wherever defined: the expression is defined nowhere; keep it.
            if (b.is_constant() && b.constant_value() == 0) return E(n);
            interval<I> bb = fs_.bound(b);
            if (bb.lo >= extended<I>(I(1))) {
                interval<I> ba = fs_.bound(a);
                // 0 <= a < b  ->  0
                if (ba.lo >= extended<I>(I(0)) && fs_.prove(lt(a, b)) == truth::yes) return E(I(0));
                // -b <= a < 0 -> -1
                if (ba.hi < extended<I>(I(0)) && fs_.prove(le(-a, b)) == truth::yes) return E(I(-1));
            }
            return floor_div(a, b);
        }
        case node_kind::mod: {
            E a = sub(0), b = sub(1);
            if (b.is_constant() && b.constant_value() == 0) return E(n);
            interval<I> bb = fs_.bound(b);
            if (bb.lo >= extended<I>(I(1))) {
                interval<I> ba = fs_.bound(a);
                if (ba.lo >= extended<I>(I(0)) && fs_.prove(lt(a, b)) == truth::yes) return a;
                if (ba.hi < extended<I>(I(0)) && fs_.prove(le(-a, b)) == truth::yes) return a + b;
            }
            return mod(a, b);
        }
        case node_kind::min:
        case node_kind::max: {
            const bool is_min = n->kind == node_kind::min;
            std::vector<E> args;
            for (std::size_t i = 0; i < n->args().size(); ++i) args.push_back(sub(i));
            // Drop every argument that another one is proven to dominate.
            std::vector<E> kept;
            for (std::size_t i = 0; i < args.size(); ++i) {
                bool dominated = false;
                for (std::size_t j = 0; j < args.size() && !dominated; ++j) {
                    if (i == j) continue;
                    // keep the earliest of proven-equal arguments
                    E rel = is_min ? le(args[j], args[i]) : le(args[i], args[j]);
                    if (fs_.prove(rel) != truth::yes) continue;
                    bool equal = fs_.prove(eq(args[i], args[j])) == truth::yes;
                    if (!equal || j < i) dominated = true;
                }
                if (!dominated) kept.push_back(args[i]);
            }
            if (kept.empty()) kept.push_back(args[0]);
            return is_min ? min(std::move(kept)) : max(std::move(kept));
        }
        case node_kind::eq:
        case node_kind::ne:
        case node_kind::lt:
        case node_kind::le: {
            E a = sub(0), b = sub(1);
            E r = n->kind == node_kind::eq ? eq(a, b) : n->kind == node_kind::ne ? ne(a, b) : n->kind == node_kind::lt ? lt(a, b) : le(a, b);
            if (r.is_bool() && (r.is_true() || r.is_false())) return r;
            truth t = fs_.prove(r);
            if (t != truth::unknown) return E::bool_constant(t == truth::yes);
            return r;
        }
        case node_kind::not_: return logical_not(sub(0));
        case node_kind::and_:
        case node_kind::or_: {
            E r = E::bool_constant(n->kind == node_kind::and_);
            for (std::size_t i = 0; i < n->args().size(); ++i) r = n->kind == node_kind::and_ ? logical_and(r, sub(i)) : logical_or(r, sub(i));
            if (!r.is_true() && !r.is_false()) {
                truth t = fs_.prove(r);
                if (t != truth::unknown) return E::bool_constant(t == truth::yes);
            }
            return r;
        }
        }
        throw internal_error("simplify: unhandled node kind");
    }

    fact_store<I>& fs_;
    std::unordered_map<const node<I>*, E> memo_;
};

} // namespace detail

template <Integer I>
basic_expr<I> simplify(const basic_expr<I>& e, fact_store<I>& fs) {
    // Simplification bounds every subterm only to spot constants: the per-value case split, the
    // monotone-symbol reduction and the residue split of bound() cost more than they find there
    // (on the benchmark corpus the output is the same without them), so they are off for the
    // duration (the whole budget is restored after, also on an exception).
    struct restore {
        fact_store<I>& fs;
        solver_budget saved;
        ~restore() { fs.budget() = saved; }
    } guard{fs, fs.budget()};
    fs.budget().split_values = 0;
    fs.budget().monotone = false;
    fs.budget().residue_splits = 0;
    // (a replacement whose image needs a constant beyond int64: e as it is, simplified by the
    // same facts, rather than an overflow_error for an expression whose values all fit)
    basic_expr<I> start = e;
    try {
        start = fs.normalize(e);
    } catch (const overflow_error&) {
    }
    return detail::simplifier<I>(fs).run(start.node());
}

} // namespace symshape
