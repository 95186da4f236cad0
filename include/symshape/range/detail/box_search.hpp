// symshape/range/detail/box_search.hpp — box search and value splits: branch and bound over sub-boxes of
// the symbols' box (for a bound and for a relation), and a case split on the values of a symbol with few
// values.
// Definitions of fact_store members (range/facts.hpp), included through range/impl/facts.hpp.
#pragma once

#include "symshape/range/facts.hpp"

namespace symshape {

/// Sub-boxes of the box of e's symbols, each analysed in a child context that holds the sub-box's
/// ranges and a scratch cache (the store's ranges and caches stay as they are). Every analysis is
/// sound for its sub-box, so a hull over sub-boxes that cover the box is sound for the box.
template <Integer I>
struct fact_store<I>::box_search {
    using box = boost::container::small_vector<iv, 8>;
    fact_store& fs;
    const node_t* e;
    boost::container::small_vector<const node_t*, 8> syms;
    box saved;
    bool ok = false;
    std::size_t used = 0;
    context ctx; // the sub-box being analysed: its ranges of syms, the scratch cache

    // ranges_only: the sub-boxes' analyses need no attainment claims (see context).
    box_search(fact_store& f, const node_t* expr, bool ranges_only) : fs(f), e(expr), ctx(f.child_context()) {
        ctx.ranges_only = ctx.ranges_only || ranges_only;
        boost::container::small_vector<const node_t*, 8> all;
        detail::collect_symbols(e, all);
        if (all.empty() || all.size() > 8) return;
        for (const node_t* s : all) {
            const iv* r = fs.current_range(s);
            if (!r || !r->is_bounded()) return;
            syms.push_back(s);
            saved.push_back(*r);
        }
        ok = true;
        ctx.cache = &fs.split_cache_;
        for (std::size_t i = 0; i < syms.size(); ++i) ctx.box.emplace_back(syms[i], saved[i]);
        ctx.parent = fs.ctx_;
        fs.ctx_ = &ctx;
    }
    ~box_search() {
        if (!ok) return;
        fs.ctx_ = ctx.parent;
        fs.split_cache_.clear();
    }
    box_search(const box_search&) = delete;
    box_search& operator=(const box_search&) = delete;

    box last; // the box the cached analyses belong to (empty: none)
    info analyze(const box& b) {
        ++used;
        // With a free box every analysis records the symbols it depends on: the ones of the
        // last box that do not involve a symbol whose range changed stay valid.
        std::uint64_t changed = 0;
        for (std::size_t i = 0; i < syms.size() && !last.empty(); ++i)
            if (!(last[i] == b[i])) changed |= symbol_bit(syms[i]);
        if (fs.free_box_ && !last.empty()) ctx.cache->retain([&](const node_t*, const info& x) { return !(x.syms & changed); });
        else ctx.cache->clear();
        for (std::size_t i = 0; i < syms.size(); ++i) ctx.box[i].second = b[i];
        last = b;
        return fs.analyze(e);
    }
    /// Halves the widest symbol of b; false when b is a single point.
    bool split(const box& b, box& lo, box& hi) const {
        // Shape expressions are mostly products and quotients of positive sizes, where what
        // matters is the ratio of a range's ends: a positive range is measured by log(hi/lo)
        // and halved at its geometric middle, any other by log(width + 1) and halved evenly.
        std::size_t w = syms.size();
        double best = 0;
        for (std::size_t i = 0; i < b.size(); ++i) {
            if (b[i].lo == b[i].hi) continue;
            const double l = static_cast<double>(b[i].lo.value()), h = static_cast<double>(b[i].hi.value());
            const double spread = l >= 1 ? std::log2(h / l) : std::log2(h - l + 1);
            if (w == syms.size() || spread > best) { w = i; best = spread; }
        }
        if (w == syms.size()) return false;
        I mid = midpoint(b[w].lo.value(), b[w].hi.value());
        if (b[w].lo >= extended<I>(I(1))) {
            const double g = std::sqrt(static_cast<double>(b[w].lo.value()) * static_cast<double>(b[w].hi.value()));
            if (g >= 0 && g < 9.0e18) {
                I gm = static_cast<I>(static_cast<std::int64_t>(g));
                if (extended<I>(gm) >= b[w].lo && extended<I>(gm) < b[w].hi) mid = gm;
            }
        }
        lo = b;
        hi = b;
        lo[w].hi = extended<I>(mid);
        hi[w].lo = extended<I>(mid + 1);
        return true;
    }
    /// e at the centre of b, when that point is allowed.
    std::optional<I> centre(const box& b) {
        boost::container::small_vector<I, 8> pt(syms.size());
        for (std::size_t i = 0; i < syms.size(); ++i) pt[i] = midpoint(b[i].lo.value(), b[i].hi.value());
        if (!compiled) {
            compiled = true;
            boost::container::small_vector<const node_t*, 8> order(syms.begin(), syms.end());
            fs.beval_.compile(e, order); // (every symbol of e is in syms already)
        }
        I x;
        if (!fs.beval_.run(pt.data(), x)) return std::nullopt; // a zero divisor or an overflow here
        if (fs.free_box_) return x;
        fs.wval_.clear();
        for (std::size_t i = 0; i < syms.size(); ++i) fs.wval_.set(E(syms[i]), pt[i]);
        try {
            // (point_allowed() reads the facts other than symbol ranges: the sub-box's need no restoring)
            if (!fs.point_allowed(fs.wval_)) return std::nullopt;
            return x;
        } catch (const error&) {
            return std::nullopt;
        }
    }
    bool compiled = false; // fs.beval_ holds e
};

/// Branch and bound on the box of e's symbols for each end of r not yet shown attained: the
/// sub-box with the most extreme bound is halved until that bound is a value seen at a point
/// (then it is exact) or the budget runs out (then the best sub-box bound stands: sound).
template <Integer I>
interval<I> fact_store<I>::box_bound(const node_t* e, iv r, const witness_t& w, unsigned need) {
    if (budget_.bound_box_splits == 0 || !r.is_bounded()) return r;
    box_search bs(*this, e, false); // (a sub-box's bound attained stops the search: exact)
    if (!bs.ok) return r;
    using box = typename box_search::box;
    for (int side = 0; side < 2; ++side) {
        const bool up = side == 1;
        if (!(need & (up ? high_end : low_end))) continue;
        extended<I> seen = up ? (w.any ? extended<I>(w.hi) : extended<I>::neg_inf()) : (w.any ? extended<I>(w.lo) : extended<I>::pos_inf());
        const extended<I> cur = up ? r.hi : r.lo;
        if (cur == seen) continue;
        struct open_box {
            box b;
            extended<I> end; // this side's bound on the sub-box
            bool exact;
        };
        std::vector<open_box> open;
        open.push_back({bs.saved, cur, false});
        extended<I> stuck = up ? extended<I>::neg_inf() : extended<I>::pos_inf();
        const std::size_t limit = bs.used + budget_.bound_box_splits / 2;
        extended<I> last_end = cur;
        int stalled = 0;
        for (;;) {
            // the most promising box
            std::size_t best = 0;
            for (std::size_t i = 1; i < open.size(); ++i)
                if (up ? open[i].end > open[best].end : open[i].end < open[best].end) best = i;
            if (open.empty() || (up ? open[best].end <= seen : open[best].end >= seen)) break; // attained
            if (open[best].exact) { seen = open[best].end; break; }
            if (bs.used >= limit) break;
            // Halving that has not moved the bound for a while rarely moves it later.
            if (open[best].end == last_end) {
                if (++stalled >= 4) break;
            } else {
                last_end = open[best].end;
                stalled = 0;
            }
            box lo, hi;
            const box b = open[best].b;
            const extended<I> open_end = open[best].end;
            open.erase(open.begin() + static_cast<std::ptrdiff_t>(best));
            if (!bs.split(b, lo, hi)) {
                // A single point: its value, or, when it cannot be evaluated here (a fact over
                // other symbols), its analysed bound stays in the answer.
                const extended<I> end = open_end;
                if (auto v = bs.centre(b)) {
                    if (up ? extended<I>(*v) > seen : extended<I>(*v) < seen) seen = *v;
                } else {
                    stuck = up ? std::max(stuck, end) : std::min(stuck, end);
                }
                continue;
            }
            for (box* c : {&lo, &hi}) {
                const info x = bs.analyze(*c);
                if (x.range.is_empty()) continue;
                if (auto v = bs.centre(*c))
                    if (up ? extended<I>(*v) > seen : extended<I>(*v) < seen) seen = *v;
                const extended<I> end = up ? std::min(x.range.hi, cur) : std::max(x.range.lo, cur);
                open.push_back({*c, end, x.exact && free_box_ && (up ? x.range.hi <= cur : x.range.lo >= cur)});
            }
        }
        extended<I> res = up ? std::max(seen, stuck) : std::min(seen, stuck);
        for (const auto& o : open) res = up ? std::max(res, o.end) : std::min(res, o.end);
        if (up) r.hi = std::min(r.hi, res);
        else r.lo = std::max(r.lo, res);
    }
    return r;
}

/// Branch and bound for a relation on d: sub-boxes are halved until each is decided by its own
/// bound; the same answer in every sub-box is the answer, different answers mean it depends.
template <Integer I>
template <class Decide, class Holds>
truth fact_store<I>::box_prove(const node_t* d, Decide&& decide, Holds&& holds) {
    if (budget_.box_splits == 0) return truth::unknown;
    box_search bs(*this, d, true);
    if (!bs.ok) return truth::unknown;
    using box = typename box_search::box;
    // Depth first: the next box is a half of the last one halved, so the analysis keeps more of
    // its cache (the box differs from the last analysed one in fewer symbols). Every undecided
    // box is halved until decided whatever the order, so the order changes only how soon an
    // undecidable search stops, not an answer.
    std::vector<box> open{bs.saved};
    constexpr std::size_t open_box_cost = 4; // analyses an open box is expected to take
    truth all = truth::unknown;
    bool seen_true = false, seen_false = false;
    while (!open.empty()) {
        // Each open box still costs at least two analyses (its halves): when the budget left
        // cannot pay for that, the search cannot end in an answer, so stop now. Past the first
        // halving, an open box seldom takes fewer than four (a box left open by its bound is
        // rarely decided by one halving): when the budget left cannot pay for that, the search
        // is all but sure to end without an answer, so stop too. (On the benchmark corpus this
        // stops only searches that end undecided.)
        if (bs.used + 2 * open.size() > budget_.box_splits) return truth::unknown;
        if (bs.used > 0 && bs.used + open_box_cost * open.size() > budget_.box_splits) return truth::unknown;
        // No sub-box decided after a few halvings: the rest of the budget rarely helps.
        if (all == truth::unknown && bs.used >= 4) return truth::unknown;
        box lo, hi;
        const box b = std::move(open.back());
        open.pop_back();
        if (!bs.split(b, lo, hi)) return truth::unknown; // an undecided single point: should not happen
        bool undecided[2] = {false, false};
        for (int k = 0; k < 2; ++k) {
            const box& c = k == 0 ? lo : hi;
            const info x = bs.analyze(c);
            if (x.range.is_empty()) continue; // no allowed point here
            const truth t = decide(x);
            if (t == truth::unknown) {
                // seen to hold at one point and fail at another: it depends, stop searching
                if (auto v = bs.centre(c)) (holds(*v) ? seen_true : seen_false) = true;
                if (seen_true && seen_false) return truth::unknown;
                undecided[k] = true;
                continue;
            }
            if (all != truth::unknown && t != all) return truth::unknown; // it depends
            all = t;
        }
        // (the lower half on top: halved next)
        if (undecided[1]) open.push_back(std::move(hi));
        if (undecided[0]) open.push_back(std::move(lo));
    }
    return all == truth::unknown ? truth::yes : all; // every sub-box empty: vacuous
}

/// Calls f(info of e) with the range of the symbol of e with the fewest values among those that
/// occur more than once (fewer than budget().split_values values) narrowed to each value in
/// turn, in a scratch cache (the store's cache and version stay as they were). f returns false
/// to stop. Returns false when no symbol qualifies or f stopped early.
template <Integer I>
template <class F>
bool fact_store<I>::split_values(const node_t* e, F&& f) {
    const std::uint64_t cap = budget_.split_values;
    const node_t* best = nullptr;
    I best_w{};
    // Only a symbol that occurs twice or more in e's tree (counted up to 2) is split on: the
    // looseness a split removes comes from one symbol's occurrences varying independently in
    // interval reasoning (on the benchmark corpus this choice is both cheaper and more exact).
    boost::container::small_vector<std::pair<const node_t*, std::uint8_t>, 8> seen; // (symbol, count)
    std::size_t steps = 0;
    auto count = [&](auto& self, const node_t* n) -> void {
        if (++steps > 4096) return;
        if (n->kind == node_kind::symbol) {
            auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& p) { return p.first == n; });
            if (it == seen.end()) seen.emplace_back(n, std::uint8_t(1));
            else if (it->second < 2) ++it->second;
            return;
        }
        for (const node_t* a : n->args()) self(self, a);
    };
    count(count, e);
    if (steps > 4096) { // a huge tree, not counted to the end: every symbol qualifies
        boost::container::small_vector<const node_t*, 8> all;
        detail::collect_symbols(e, all);
        seen.clear();
        for (const node_t* sym : all) seen.emplace_back(sym, std::uint8_t(2));
    }
    for (const auto& [sym, k] : seen) {
        if (k < 2) continue;
        const iv b = analyze(sym).range;
        I wd;
        if (!b.is_bounded() || !try_sub(b.hi.value(), b.lo.value(), wd) || wd < I(1) || wd >= I(cap)) continue;
        if (!best || wd < best_w) { best = sym; best_w = wd; }
    }
    if (!best || !current_range(best)) return false;
    const iv b = analyze(best).range;
    // Each value is analysed in a child context: the symbol's range a point, a scratch cache.
    context one = child_context();
    one.cache = &split_cache_;
    one.ranges_only = true; // (f reads ranges and congruences)
    one.box.emplace_back(best, b);
    struct clear_scratch {
        info_cache& c;
        ~clear_scratch() { c.clear(); }
    } scratch{split_cache_};
    context_scope scope(*this, one);
    // Nodes of e that do not mention the symbol keep their analysis across the values.
    boost::container::small_vector<std::pair<const node_t*, bool>, 32> dep; // node -> mentions the symbol
    auto mentions = [&](auto& self, const node_t* n) -> bool {
        if (n == best) return true;
        for (const auto& [m, d] : dep)
            if (m == n) return d;
        bool d = false;
        for (const node_t* a : n->args()) d = self(self, a) || d;
        dep.emplace_back(n, d);
        return d;
    };
    if (e->args().size() > 0) mentions(mentions, e);
    boost::container::small_vector<std::pair<const node_t*, info>, 16> keep;
    // Values from the ends inwards (lo, hi, lo + 1, hi - 1, ...): the extremes are most often
    // near the ends, so a split that cannot sharpen the bound is seen to cover it soonest.
    I lo = b.lo.value(), hi = b.hi.value();
    for (bool first = true, low_side = true; lo <= hi; low_side = !low_side) {
        const I v = low_side ? lo++ : hi--;
        split_cache_.clear();
        for (const auto& [m, x] : keep) split_cache_.insert(m, x);
        one.box[0].second = iv::point(v);
        if (!f(analyze(e))) return false;
        if (first)
            for (const auto& [m, d] : dep)
                if (!d)
                    if (const info* c = split_cache_.find(m)) keep.emplace_back(m, *c);
        first = false;
    }
    return true;
}

} // namespace symshape
