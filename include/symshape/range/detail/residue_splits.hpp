// symshape/range/detail/residue_splits.hpp — residue splits: a symbol x under `x % c` or `x // c` written
// as c*q + r, the expression bounded over the three boxes of (q, r) that make up x's range.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

/// While bound_residues() bounds its pieces: a child context with the pieces' ranges of q and r
/// and caches of its own (the pieces' analyses depend on ranges of q and r that change from piece
/// to piece); the store's caches and ranges are as they were once it ends (also by an exception).
template <Integer I>
struct fact_store<I>::residue_scope {
    fact_store& fs;
    const node_t* q;
    const node_t* r;
    context ctx;
    info_cache& outer_cache;      // the parent context's analyses
    info_cache& outer_deep_cache; // and its deep tier's
    explicit residue_scope(fact_store& f, const node_t* q_, const node_t* r_)
        : fs(f), q(q_), r(r_), ctx(f.child_context()), outer_cache(*ctx.cache), outer_deep_cache(*ctx.deep_cache) {
        ctx.cache = &fs.residue_cache_;
        ctx.deep_cache = &fs.residue_deep_cache_;
        ctx.corners = &fs.residue_corner_cache_;
        ctx.residue = true;
        // (the pieces are read for their ranges, unless each goes through the whole search)
        ctx.ranges_only = ctx.ranges_only || !fs.budget_.residue_search;
        ctx.box.emplace_back(q, iv::all());
        ctx.box.emplace_back(r, iv::all());
        ctx.parent = fs.ctx_;
        fs.ctx_ = &ctx;
    }
    /// Carries over the parent's analyses of e's nodes without q and r (the same nodes over the
    /// same ranges as in the store's own box); a node found there ends the walk below it (a
    /// node below that is asked for later is analysed again).
    void seed(const node_t* e) {
        const std::uint64_t bits = symbol_bit(q) | symbol_bit(r);
        detail::for_each_node(e, 512, [&](const node_t* n) {
            const info* a = outer_cache.find(n);
            if (!a || (a->syms & bits)) return true;
            ctx.cache->insert(n, *a);
            if (const info* d = outer_deep_cache.find(n)) ctx.deep_cache->insert(n, *d);
            return false;
        });
    }
    /// Before each piece: its ranges of q and r; drops the analyses that read the previous piece's.
    void next_piece(const iv& q_range, const iv& r_range) {
        const std::uint64_t bits = symbol_bit(q) | symbol_bit(r);
        ctx.cache->retain([&](const node_t*, const info& x) { return !(x.syms & bits); });
        ctx.deep_cache->retain([&](const node_t*, const info& x) { return !(x.syms & bits); });
        ctx.corners->clear();
        ctx.box[0].second = q_range;
        ctx.box[1].second = r_range;
    }
    ~residue_scope() {
        fs.ctx_ = ctx.parent;
        ctx.cache->clear();
        ctx.deep_cache->clear();
        ctx.corners->clear();
    }
    residue_scope(const residue_scope&) = delete;
    residue_scope& operator=(const residue_scope&) = delete;
};

/// r (a sound bound of e) sharpened by a split of a symbol's range by residues, while the box is
/// free: for x with `x % c` or `x // c` in e (c >= 2 a constant) and x in [lo, hi], every x is
/// c*q + r with 0 <= r < c in exactly one of the boxes q = lo // c with r in [lo % c, c - 1]; q
/// in [lo // c + 1, hi // c - 1] with r in [0, c - 1]; q = hi // c with r in [0, hi % c]. e with
/// x := c*q + r takes the same values over those boxes as e over x's range, so the hull of the
/// pieces' bounds is a bound of e. Canonical form makes `x % c` into `r % c` and `x // c` into
/// `q + r // c`, which the analysis, with r in [0, c - 1], reads as r and q: the sawtooth of
/// `x % c` becomes a plain symbol that the exact stages (corners, monotone symbols, quadratics)
/// can place. At most budget().residue_splits such (x, c), in the order met.
template <Integer I>
interval<I> fact_store<I>::bound_residues(const E& e, iv r, unsigned need) {
    if (!free_box_ || in_residue() || budget_.residue_splits == 0) return r;
    struct candidate {
        const node_t* x;
        I c, lo, hi; // (x's range [lo, hi])
    };
    boost::container::small_vector<candidate, 4> cands;
    detail::for_each_node(e.node(), 512, [&](const node_t* n) {
        if (cands.size() >= budget_.residue_splits) return false;
        if ((n->kind == node_kind::mod || n->kind == node_kind::floor_div) && n->args()[0]->kind == node_kind::symbol &&
            n->args()[1]->kind == node_kind::constant && n->args()[1]->value >= I(2)) {
            const node_t* x = n->args()[0];
            const I& c = n->args()[1]->value;
            const iv b = analyze(x).range;
            const bool known = std::any_of(cands.begin(), cands.end(), [&](const candidate& p) { return p.x == x && p.c == c; });
            // (one period or less: the quotient is one value, which prune_atoms() already used)
            if (!known && b.is_bounded() && floor_div(b.lo.value(), c) != floor_div(b.hi.value(), c))
                cands.push_back({x, c, b.lo.value(), b.hi.value()});
        }
        return true;
    });
    if (cands.empty()) return r;
    // One pair of internal symbols for every split (named as no parsed text can name a symbol),
    // so that splits add two symbols to the thread's arena in all, not two per symbol split.
    const E q = E::symbol("'q"), rs = E::symbol("'r");
    boost::container::small_vector<const node_t*, 8> syms;
    detail::collect_symbols(e.node(), syms);
    auto taken = [&](const E& s) { return std::find(syms.begin(), syms.end(), s.node()) != syms.end() || current_range(s.node()); };
    if (taken(q) || taken(rs)) return r; // (a name in use: not a fresh symbol)
    for (const auto& [x, c, lo, hi] : cands) {
        const I qlo = floor_div(lo, c), qhi = floor_div(hi, c);
        struct piece {
            I q0, q1, r0, r1;
        };
        boost::container::small_vector<piece, 3> pieces;
        // (the whole periods first: the widest piece, the likeliest to show that the split cannot
        // sharpen the bound, which ends the split early)
        if (qhi - qlo >= I(2)) pieces.push_back({I(qlo + 1), I(qhi - 1), I(0), I(c - 1)});
        pieces.push_back({qhi, qhi, I(0), floor_mod(hi, c)});
        pieces.push_back({qlo, qlo, floor_mod(lo, c), I(c - 1)});
        // What the pieces must cover before they cannot sharpen a needed end.
        const iv enough{need & low_end ? r.lo : r.hi, need & high_end ? r.hi : r.lo};
        try {
            std::unordered_map<E, E, expr_hash> at{{E(x), E(c) * q + rs}};
            const E es = substitute(e, at);
            residue_scope scope(*this, q.node(), rs.node());
            scope.seed(es.node());
            iv h = iv::empty();
            bool covered = false;
            for (const piece& p : pieces) {
                scope.next_piece(iv{extended<I>(p.q0), extended<I>(p.q1)}, iv{extended<I>(p.r0), extended<I>(p.r1)});
                // (with the whole search, a piece's end that is not needed is sound, maybe loose)
                h = hull(h, budget_.residue_search ? bound_lowered(es, need) : analyze(es.node()).range);
                if ((covered = h.contains(enough))) break; // the split cannot sharpen it
            }
            if (!covered) r = intersect(r, h);
        } catch (const overflow_error&) {
            // a piece needs a constant beyond int64: r stays as it was
        }
        if (r.is_point()) break;
    }
    return r;
}

} // namespace symshape
