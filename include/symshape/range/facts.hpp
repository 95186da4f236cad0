// symshape/range/facts.hpp — the fact store: per-symbol (and per-atom) ranges, equalities as
// replacements, congruences / divisibility, other proven relations, RAII scoped assumptions;
// and the two questions everything above asks of it: bound(e) and the tri-state prove(p).
#pragma once

#include "symshape/config.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "symshape/expr.hpp"
#include "symshape/expr/flat_eval.hpp"
#include "symshape/range/budget.hpp"
#include "symshape/range/detail/node_cache.hpp"
#include "symshape/range/detail/simplify_memos.hpp"
#include "symshape/range/interval.hpp"

namespace symshape {

/// The answer of prove(): proven always true, proven always false, or not decided.
enum class truth : std::uint8_t { no = 0, yes = 1, unknown = 2 };

inline const char* to_string(truth t) {
    return t == truth::yes ? "true" : t == truth::no ? "false" : "unknown";
}
inline truth negate(truth t) {
    return t == truth::yes ? truth::no : t == truth::no ? truth::yes : truth::unknown;
}

namespace detail {
template <Integer I>
struct linear;
template <Integer I>
class simplifier;
} // namespace detail


/// Facts about symbols and the sound reasoning over them. Not thread-safe (one per thread,
/// like the expressions it holds).
template <Integer I>
class fact_store {
public:
    using E = basic_expr<I>;
    using iv = interval<I>;

    // (defined out of line, with the other members: in compiled mode a program that makes a
    // store does not compile the store's dozen caches and maps itself, libsymshape has them)
    fact_store();
    ~fact_store();
    fact_store(const fact_store&);
    fact_store(fact_store&&) noexcept;
    fact_store& operator=(const fact_store&);
    fact_store& operator=(fact_store&&) noexcept;

    /// Declares lo <= s <= hi (intersected with what is known). Throws contradiction_error if
    /// the range becomes empty, usage_error if `s` is not a symbol.
    void set_range(const E& s, const extended<I>& lo, const extended<I>& hi);
    /// Adds the boolean fact `p` (a relation, or an `and` of relations). Throws
    /// contradiction_error naming the fact when it contradicts what is known; then the store is
    /// unchanged. Facts it cannot use (also one whose use needs arithmetic beyond int64) are
    /// kept and used syntactically and at points. Whatever it throws, the store is unchanged.
    void add_fact(const E& p);
    /// Like add_fact but reports a contradiction by returning false (store unchanged).
    bool try_add_fact(const E& p);

    /// The replacement-normal form of `e` (symbols found equal to expressions substituted).
    E normalize(const E& e) const;
    /// A sound interval containing every value of integer `e` under the facts.
    iv bound(const E& e);
    /// A sound congruence for integer `e` under the facts.
    congruence<I> congruence_of(const E& e);
    /// true / false if `p` holds at every / no point allowed by the facts; unknown otherwise.
    truth prove(const E& p);
    /// True when integer `e` is seen to take two different values at points the facts allow
    /// (a few corners and the centre of its symbols' box): then it is not a constant under the
    /// facts. False proves nothing. Much cheaper than bound().
    bool seen_varying(const E& e);
    /// True when integer `a` is seen greater than integer `b` at a point the facts allow (the
    /// same fixed points, while the facts are only symbol ranges): then `a <= b` does not hold
    /// everywhere. False proves nothing. Much cheaper than prove().
    bool seen_greater(const E& a, const E& b);

    /// The declared range of symbol s (all integers if none).
    iv range_of(const E& s) const;
    /// Version counter: changes whenever a fact is added or a scope ends.
    std::uint64_t version() const noexcept { return version_; }
    solver_budget& budget() noexcept { return budget_; }

private:
    using node_t = detail::node<I>;
    using lin = detail::linear<I>;
    enum class rel_kind { le, eq, ne }; // D <= 0, D == 0, D != 0

    struct relation {
        E d;
        rel_kind kind;
    };
    struct state {
        std::unordered_map<const node_t*, iv> ranges;          // symbols and atoms
        std::unordered_map<const node_t*, congruence<I>> cgs;  // symbols and atoms
        std::unordered_map<const node_t*, E> replacements;     // symbol -> expression
        // Internal: a symbol known to be ≡ r (mod m) is rewritten as m*q + r with a fresh
        // symbol q (named like x'1, which no parsed text can name), so floor_div and mod of it
        // become exact. Never visible in normalize() or simplify() results.
        std::unordered_map<const node_t*, E> lowering;
        int fresh = 0;
        std::vector<relation> relations;                       // everything else
        std::vector<E> opaque;                                 // facts kept as-is (e.g. or)
    };
public:
    /// RAII: facts added inside the scope are removed when it ends.
    class scope {
    public:
        explicit scope(fact_store& fs) : fs_(fs), saved_(fs.state_) {}
        ~scope() {
            fs_.state_ = std::move(saved_);
            ++fs_.version_;
        }
        scope(const scope&) = delete;
        scope& operator=(const scope&) = delete;

    private:
        fact_store& fs_;
        typename fact_store::state saved_;
    };

    /// RAII: assumes `p` until the returned object is destroyed. Throws contradiction_error.
    [[nodiscard]] std::unique_ptr<scope> assume(const E& p) {
        auto s = std::make_unique<scope>(*this);
        add_fact(p);
        return s;
    }

private:
    struct info {
        iv range;
        congruence<I> cg;
        // Attainment (only while the facts are a plain box of symbol ranges, see free_box_):
        // `exact` says both ends of `range` are values of the expression; `sweep`, when set, is
        // a symbol such that, whatever the other symbols are, stepping it through its range
        // moves the value by at most 1 per step and across at least `span` + 1 consecutive
        // integers. `span_any` is the same for some choice of the other symbols. `syms` has bit
        // min(index, 63) of every symbol mentioned (always set while the box is free, also when
        // nothing is claimed attained).
        std::uint64_t syms = 0;
        const node_t* sweep = nullptr;
        I span{}, span_any{};
        bool exact = false;
        // No node below (or at) this one has a rule of analyze()'s deep tier that may apply:
        // the deep tier's info equals this one.
        bool deep_same = true;
        // Computed while distribute_minmax() kept a min/max term below whole: kept only for
        // that call (partial_cache_), so that the node's own deep analysis, asked for later, is
        // the full one. (Nodes that the analysis builds for itself, such as a quotient's
        // difference, are not tracked: their cached deep info may be looser. Only precision
        // depends on it.)
        bool partial = false;
    };

    // Values of a node at five fixed points of a free box (see corners()); bit p of `ok` says
    // the node is defined (no zero divisor, no int64 overflow) at point p.
    struct corner_values {
        std::array<I, 5> v{};
        std::uint8_t ok = 0;
    };
    const corner_values& corners(const node_t* n);
    // Bit min(index, 63) of symbol s, as in info::syms.
    static std::uint64_t symbol_bit(const node_t* s) noexcept {
        return std::uint64_t(1) << std::min<std::uint32_t>(s->symbol_index, 63);
    }
    // The stand-ins for a symbol's low and high ends at fixed points: its finite ends, an open
    // side replaced by the other end clamped toward 0 (or by 0 when both are open).
    static std::pair<I, I> point_ends(const iv& b) {
        return {b.lo.is_finite() ? b.lo.value() : b.hi.is_finite() ? std::min(b.hi.value(), I(0)) : I(0),
                b.hi.is_finite() ? b.hi.value() : b.lo.is_finite() ? std::max(b.lo.value(), I(0)) : I(0)};
    }

    bool add_relation(const E& d, rel_kind k);
    bool add_atom_range(const node_t* m, const iv& r);
    bool add_atom_cg(const node_t* m, congruence<I> c);
    bool add_fact_rec(const E& p);
    bool lower_symbol(const node_t* x, const I& m, const I& r);
    bool add_substitution(const node_t* x, const E& image, bool internal);
    // e with the facts' substitutions applied (e itself when there are none: inline, as most
    // stores have none and every query asks)
    E lowered(const E& e) const { return state_.replacements.empty() && state_.lowering.empty() ? e : substituted(e); }
    E substituted(const E& e) const;
    iv poly_bound(const node_t* n, bool* failed = nullptr);
    iv multilinear_bound(const node_t* n, std::span<const iv> boxes, std::span<const std::uint8_t> term_atoms, std::uint8_t shared);
    iv sign_bound(const node_t* n);
    void check_version();
    info analyze(const node_t* n);
    info analyze_uncached(const node_t* n);
    info deep_analyze(const node_t* n);

    using info_cache = detail::node_cache<const node_t*, info>;
    using corner_cache = detail::node_cache<const node_t*, corner_values>;
    // The analysis context: the caches analyze() reads and fills, its tier, and the ranges that
    // replace the store's inside a sub-box or a residue piece. ctx_ == nullptr is the store's own
    // context (cache_, deep_cache_, corner_cache_, the cheap tier, the store's ranges). A stage
    // that analyses in the deep tier or over other ranges opens a child (context_scope): the
    // parent's caches and the store's ranges are left as they are.
    struct context {
        info_cache* cache;                  // this context's analyses
        info_cache* deep_cache;             // where its deep tier keeps its analyses
        info_cache* cheap = nullptr;        // in the deep tier: the cheap tier's analyses (read only)
        corner_cache* corners;
        bool deep = false;                  // analyze() applies the deep rules
        bool residue = false;               // inside bound_residues()' pieces
        boost::container::small_vector<std::pair<const node_t*, iv>, 8> box; // ranges replacing the store's
        context* parent = nullptr;
        // Its analyses serve for ranges and congruences only: no attainment claims (exact,
        // sweep, span) are worked out, only the symbols. Inherited by child contexts.
        bool ranges_only = false;
    };
    context* ctx_ = nullptr;
    // A child of the current context that starts as a copy of it (caches, tier, no ranges of its own).
    context child_context() {
        if (ctx_) {
            context c{ctx_->cache, ctx_->deep_cache, ctx_->cheap, ctx_->corners, ctx_->deep, ctx_->residue, {}, nullptr, ctx_->ranges_only};
            return c;
        }
        return context{&cache_, &deep_cache_, nullptr, &corner_cache_, false, false, {}, nullptr};
    }
    // RAII: c is the current context while it lives (the previous one again after, also on an exception).
    struct context_scope {
        fact_store& fs;
        context& c;
        context_scope(fact_store& f, context& child) : fs(f), c(child) {
            c.parent = fs.ctx_;
            fs.ctx_ = &c;
        }
        ~context_scope() { fs.ctx_ = c.parent; }
        context_scope(const context_scope&) = delete;
        context_scope& operator=(const context_scope&) = delete;
    };
    info_cache& cache() noexcept { return ctx_ ? *ctx_->cache : cache_; }
    corner_cache& corners_cache() noexcept { return ctx_ ? *ctx_->corners : corner_cache_; }
    bool in_deep() const noexcept { return ctx_ && ctx_->deep; }
    bool in_residue() const noexcept { return ctx_ && ctx_->residue; }
    bool ranges_only() const noexcept { return ctx_ && ctx_->ranges_only; }
    // The range of atom m in the current context: a context's own range, else the store's.
    const iv* current_range(const node_t* m) const {
        for (const context* c = ctx_; c; c = c->parent)
            for (const auto& [s, r] : c->box)
                if (s == m) return &r;
        // (a free box ranges symbols only: no lookup for the other nodes while that is current)
        if (m->kind != node_kind::symbol && free_box_ && cache_version_ == version_) return nullptr;
        auto it = state_.ranges.find(m);
        return it == state_.ranges.end() ? nullptr : &it->second;
    }
    iv quotient_by_difference(const node_t* n, const info& a, const info& b);
    iv distribute_minmax(const node_t* n);
    iv quotient_in_sum(const node_t* n);
    iv slope(const node_t* n, const node_t* x);
    std::optional<iv> bound_monotone(const E& e, const iv& r, unsigned need);
    iv bound_residues(const E& e, iv r, unsigned need);
    struct residue_scope;
    // The number of min/max terms of sum n when distribute_minmax() takes one (1 or 2), else 0.
    static std::size_t minmax_terms(const node_t* n) noexcept {
        std::size_t count = 0;
        for (const node_t* a : n->args()) count += a->kind == node_kind::min || a->kind == node_kind::max;
        return n->args().size() >= 2 && count <= 2 ? count : 0;
    }
    void attain(const node_t* n, info& r, bool corners_failed = false);
    iv bound_relational(const E& d);
    // Which ends of a bound a search works for (the other end stays sound, maybe loose).
    static constexpr unsigned low_end = 1, high_end = 2, both_ends = 3;
    iv bound_whole(E e, unsigned need = both_ends);
    std::optional<iv> bound_parts(const E& e, unsigned need = both_ends);
    // bound() of a lowered expression: by independent groups of a sum, else whole.
    iv bound_lowered(E e, unsigned need = both_ends) {
        if (auto r = bound_parts(e, need)) return *r;
        return bound_whole(std::move(e), need);
    }
    iv fm_bound(const node_t* d, const iv& enough = iv::all());
    E prune_atoms(const E& e);
    const node_t* prune_rec(const node_t* n);
    struct witness_t {
        bool any = false;
        I lo{}, hi{};
        bool zero = false, nonzero = false;
    };
    template <class Stop>
    witness_t witness(const node_t* e, const iv* target, Stop&& stop, unsigned need = both_ends);
    witness_t witness(const node_t* e, const iv* target = nullptr, unsigned need = both_ends) {
        return witness(e, target, [](const witness_t&) { return false; }, need);
    }
    template <class F>
    bool split_values(const node_t* e, F&& f);
    bool zero_crossing(const node_t* d, const node_t* s);
    bool find_zero(const node_t* d);
    struct box_search;
    iv box_bound(const node_t* e, iv r, const witness_t& w, unsigned need = both_ends);
    template <class Decide, class Holds>
    truth box_prove(const node_t* d, Decide&& decide, Holds&& holds);
    truth prove_rel(node_kind k, const E& a, const E& b);
    bool attained_both_ways(node_kind k, const node_t* d, const iv& r);
    bool seen_both_ways(node_kind k, const node_t* d);
    truth prove_by_values(node_kind k, const node_t* d);
    truth prove_rec(const E& p, int depth);
    std::optional<iv> enumerate(const E& e, bool* zero_seen = nullptr);
    bool point_allowed(const valuation<I>& v);
    void compile_point_search(const node_t* e);

    state state_;
    std::vector<const node_t*> wsyms_; // scratch of witness()
    valuation<I> wval_;
    detail::flat_eval<I> weval_; // scratch of witness()
    const node_t* weval_root_ = nullptr; // the expression weval_ and wsyms_ hold, if any
    detail::flat_eval<I> beval_; // scratch of box_search::centre()
    std::uint64_t version_ = 0;
    std::uint64_t cache_version_ = ~std::uint64_t(0);
    // The facts are only symbol ranges (no relations, atom ranges, congruences or opaque facts):
    // every point of the box is allowed, so attainment can be reasoned about symbol by symbol.
    bool free_box_ = false;
    bool distributing_ = false; // inside distribute_minmax()'s arms
    detail::node_cache<const node_t*, info> partial_cache_; // partial infos, per distribute_minmax()
    detail::node_cache<const node_t*, info> cache_;
    detail::node_cache<const node_t*, info> split_cache_; // scratch of bound()'s value split
    detail::node_cache<const node_t*, info> deep_cache_;  // deep_analyze(), per version
    detail::node_cache<const node_t*, const node_t*> prune_memo_; // scratch of prune_atoms()
    detail::node_cache<const node_t*, corner_values> corner_cache_; // corners(), per version
    // the caches of bound_residues()' context (its pieces' analyses)
    detail::node_cache<const node_t*, info> residue_cache_, residue_deep_cache_;
    detail::node_cache<const node_t*, corner_values> residue_corner_cache_;
    solver_budget budget_;
    detail::simplify_memos<I> simplify_memos_; // simplify()'s, across calls

    // The range of integer e from the per-node analysis alone: sound, no search (all integers
    // when a step needs a constant beyond int64). For simplify()'s cheap checks.
    iv analysis_range(const E& e);
    // Whether integer e is seen to take two values at allowed points that the witness search
    // finds, pushing towards both ends of its analysis range: seen_varying()'s second, costlier
    // look (still far cheaper than bound()). False proves nothing.
    bool searched_varying(const E& e);
    // The values of integer e at the fixed points of corners(), while the facts are a plain box
    // (none otherwise, or when the facts' rewrite of e needs a constant beyond int64).
    std::optional<corner_values> fixed_point_values(const E& e);

    template <Integer J>
    friend basic_expr<J> simplify(const basic_expr<J>& e, fact_store<J>& fs);
    template <Integer J>
    friend class detail::simplifier;
};

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/range/impl/facts.hpp"
#endif
