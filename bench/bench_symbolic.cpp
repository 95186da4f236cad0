// bench_symbolic — symshape's symbolic core on the benchmark corpus (../shared/corpus):
// speed (medians over repeats) and precision against the exact answers.
//
//   bench_symbolic [CORPUS_DIR] [--repeats N]
//
// Prints one JSON object on stdout; a human-readable table goes to stderr.
//   build_us     canonical expression from a parsed syntax tree, per expression (median; the
//                repeats rebuild trees the thread has built before, so they hit the arena's
//                operation memo); build_cold_us is the first repeat (every node new)
//   simplify_us  range-aware simplify, per expression (fresh fact store each repeat)
//   bound_us     bound(), per expression (fresh fact store each repeat: cold caches)
//   eval_us      evaluate at point.txt, per expression
//   prove_us     prove(), per relation (fresh fact store each repeat)
//   bound_p50_us, bound_p90_us, prove_p50_us, prove_p90_us
//                the median and 90th percentile over the expressions (relations) of one call's
//                time: each call timed on its own, fastest of 3 passes with fresh stores, minus
//                the cost of reading the clock (the _us keys above are means per call)
//   exact_pct    bounds equal to the settled truth (both ends settled), in percent
//   unsound      bounds that exclude a true end or the value at point.txt
//   decided_pct  always-true/always-false relations decided, in percent
//   wrong        relations answered opposite to the truth (or decided when they depend on values)
//   bytes_per_node, intern_1m_s  memory per distinct node; time to intern 1,000,000 distinct expressions
// Built with Halide (-DSYMSHAPE_WITH_HALIDE), a nested "halide" object has the same keys for
// Halide 14 on the same trees; its repeats and per-call passes of bound, simplify and prove
// alternate with symshape's (its build repeats run on their own).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "symshape/symshape.hpp"

#ifdef SYMSHAPE_WITH_HALIDE
#include <Halide.h>
#endif

namespace {

using I = std::int64_t;
using E = symshape::basic_expr<I>;
using clock_type = std::chrono::steady_clock;

std::vector<std::string> read_lines(const std::string& path, bool skip_comments) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "bench_symbolic: cannot open " << path << " (pass the corpus directory as the first argument)\n";
        std::exit(2);
    }
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (skip_comments && (line.empty() || line[0] == '#')) continue;
        out.push_back(line);
    }
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

template <class F>
double time_us(F&& f) {
    auto t0 = clock_type::now();
    f();
    return std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
}

/// One timed region running f(i) for i in [0, n); its time per call goes into t.
template <class F>
void time_per_call(std::vector<double>& t, std::size_t n, F&& f) {
    t.push_back(time_us([&] {
        for (std::size_t i = 0; i < n; ++i) f(i);
    }) / static_cast<double>(n));
}

/// Per-call times, pass by pass: each call timed on its own, the fastest pass kept per call,
/// minus the cost of an empty timed region. Passes of symshape and of the peer alternate (see
/// alternate()), so a slow spell of the machine reaches both.
class per_call_best {
public:
    explicit per_call_best(std::size_t n) : best_(n, 1e300) {}
    /// One pass: call(i) for every i in [0, n), each timed.
    template <class Call>
    void pass(Call&& call) {
        for (std::size_t i = 0; i < best_.size(); ++i) best_[i] = std::min(best_[i], time_us([&] { call(i); }));
    }
    /// {p50, p90} over the calls, in µs.
    std::pair<double, double> percentiles() const {
        static const double overhead = [] {
            std::vector<double> empty;
            for (int k = 0; k < 1001; ++k) empty.push_back(time_us([] {}));
            return median(empty);
        }();
        std::vector<double> b = best_;
        for (double& x : b) x = std::max(0.0, x - overhead);
        std::sort(b.begin(), b.end());
        if (b.empty()) return {0.0, 0.0};
        return {b[b.size() / 2], b[std::min(b.size() - 1, b.size() * 9 / 10)]};
    }

private:
    std::vector<double> best_;
};

/// ours(r) and theirs(r) for r in [0, repeats), the peer's turn first on odd r: a change in the
/// machine's speed during a run then slows both sides alike, and neither always runs second.
template <class Ours, class Theirs>
void alternate(int repeats, Ours&& ours, Theirs&& theirs) {
    for (int r = 0; r < repeats; ++r) {
        if (r % 2 == 0) {
            ours(r);
            theirs(r);
        } else {
            theirs(r);
            ours(r);
        }
    }
}

long rss_kb() {
    std::ifstream in("/proc/self/statm");
    long pages = 0, resident = 0;
    in >> pages >> resident;
    return resident * 4; // 4 KiB pages
}

symshape::extended<I> parse_end(const std::string& t) {
    if (t == "oo" || t == "inf") return symshape::extended<I>::pos_inf();
    if (t == "-oo" || t == "-inf") return symshape::extended<I>::neg_inf();
    return symshape::extended<I>(symshape::parse_integer<I>(t));
}

} // namespace

#ifdef SYMSHAPE_WITH_HALIDE
// ---- the Halide peer: the same trees through Halide::Internal, timed the same way ----
// Halide's / and % are Euclidean, equal to floor for the corpus's positive divisors. Integers
// are Int(64). prove is simplify(relation) under the symbol ranges (what can_prove does, with
// the bounds scope it has no parameter for).
namespace hal {
namespace HI = Halide::Internal;

Halide::Expr convert(const symshape::syntax_tree& t) {
    using op = symshape::syntax_tree::op;
    auto k = [&](std::size_t i) { return convert(t.kids.at(i)); };
    switch (t.kind) {
    case op::integer: return Halide::Expr(static_cast<std::int64_t>(std::stoll(t.text)));
    case op::name: return HI::Variable::make(Halide::Int(64), t.text);
    case op::boolean: return t.text == "true" ? HI::const_true() : HI::const_false();
    case op::neg: return HI::Sub::make(Halide::Expr(std::int64_t(0)), k(0));
    case op::add: return HI::Add::make(k(0), k(1));
    case op::sub: return HI::Sub::make(k(0), k(1));
    case op::mul: return HI::Mul::make(k(0), k(1));
    case op::floor_div: return HI::Div::make(k(0), k(1));
    case op::mod: return HI::Mod::make(k(0), k(1));
    case op::min:
    case op::max: {
        Halide::Expr r = k(0);
        for (std::size_t i = 1; i < t.kids.size(); ++i) r = t.kind == op::min ? HI::Min::make(r, k(i)) : HI::Max::make(r, k(i));
        return r;
    }
    case op::lt: return HI::LT::make(k(0), k(1));
    case op::le: return HI::LE::make(k(0), k(1));
    case op::gt: return HI::GT::make(k(0), k(1));
    case op::ge: return HI::GE::make(k(0), k(1));
    case op::eq: return HI::EQ::make(k(0), k(1));
    case op::ne: return HI::NE::make(k(0), k(1));
    case op::and_: return HI::And::make(k(0), k(1));
    case op::or_: return HI::Or::make(k(0), k(1));
    case op::not_: return HI::Not::make(k(0));
    }
    return Halide::Expr();
}

/// Halide's side of the benchmark: the same trees converted once, each timing step one repeat
/// (or one per-call pass), so that main() can alternate them with symshape's.
class peer {
public:
    peer(const std::vector<symshape::syntax_tree>& trees, const std::vector<symshape::syntax_tree>& rel_trees, const std::string& ranges)
        : trees_(trees), es_(trees.size()), rs_(rel_trees.size()), bounds_(trees.size()), proved_(rel_trees.size()),
          bound_pc_(trees.size()), prove_pc_(rel_trees.size()) {
        std::istringstream in(ranges);
        std::string item;
        while (in >> item) {
            auto c = item.find(':'), comma = item.find(',');
            std::string name = item.substr(0, c);
            std::int64_t lo = std::stoll(item.substr(c + 2, comma - c - 2));
            std::int64_t hi = std::stoll(item.substr(comma + 1, item.size() - comma - 2));
            scope_.push(name, HI::Interval(Halide::Expr(lo), Halide::Expr(hi)));
        }
        for (std::size_t i = 0; i < trees.size(); ++i) es_[i] = convert(trees[i]);
        for (std::size_t i = 0; i < rel_trees.size(); ++i) rs_[i] = convert(rel_trees[i]);
    }
    void build_repeat() {
        time_per_call(build_t_, trees_.size(), [&](std::size_t i) { es_[i] = convert(trees_[i]); });
    }
    void simplify_repeat() {
        volatile std::size_t sink = 0;
        time_per_call(simplify_t_, es_.size(), [&](std::size_t i) { sink = sink + (HI::simplify(es_[i]).defined() ? 1 : 0); });
    }
    void bound_repeat() {
        time_per_call(bound_t_, es_.size(), [&](std::size_t i) { bounds_[i] = HI::bounds_of_expr_in_scope(es_[i], scope_); });
    }
    void prove_repeat() {
        time_per_call(prove_t_, rs_.size(), [&](std::size_t i) { proved_[i] = HI::simplify(rs_[i], true, scope_); });
    }
    void bound_call_pass() {
        bound_pc_.pass([&](std::size_t i) { bounds_[i] = HI::bounds_of_expr_in_scope(es_[i], scope_); });
    }
    void prove_call_pass() {
        prove_pc_.pass([&](std::size_t i) { proved_[i] = HI::simplify(rs_[i], true, scope_); });
    }

    /// The "halide" JSON object (same keys as symshape's where Halide can fill them); the table
    /// lines go to stderr.
    std::string report(const std::vector<std::string>& truth_b, const std::vector<std::string>& truth_r) const {
        const auto bound_pc = bound_pc_.percentiles(), prove_pc = prove_pc_.percentiles();
        int settled = 0, exact = 0, unsound = 0;
        for (std::size_t i = 0; i < es_.size() && i < truth_b.size(); ++i) {
            std::istringstream in(truth_b[i]);
            std::string lo, hi;
            in >> lo >> hi;
            symshape::extended<I> blo = symshape::extended<I>::neg_inf(), bhi = symshape::extended<I>::pos_inf();
            if (bounds_[i].has_lower_bound())
                if (const std::int64_t* v = HI::as_const_int(HI::simplify(bounds_[i].min))) blo = symshape::extended<I>(*v);
            if (bounds_[i].has_upper_bound())
                if (const std::int64_t* v = HI::as_const_int(HI::simplify(bounds_[i].max))) bhi = symshape::extended<I>(*v);
            if ((lo != "?" && parse_end(lo) < blo) || (hi != "?" && bhi < parse_end(hi))) ++unsound;
            if (lo != "?" && hi != "?") {
                ++settled;
                if (blo == parse_end(lo) && bhi == parse_end(hi)) ++exact;
            }
        }
        int decidable = 0, decided = 0, wrong = 0;
        for (std::size_t i = 0; i < rs_.size() && i < truth_r.size(); ++i) {
            std::istringstream in(truth_r[i]);
            std::string verdict;
            in >> verdict;
            const std::string got = HI::is_const_one(proved_[i]) ? "true" : HI::is_const_zero(proved_[i]) ? "false" : "unknown";
            if (verdict == "true" || verdict == "false") {
                ++decidable;
                if (got == verdict) ++decided;
                else if (got != "unknown") ++wrong;
            } else if (verdict == "depends" && got != "unknown") {
                ++wrong;
            }
        }
        char buf[1024];
        std::snprintf(buf, sizeof buf,
                      ",\n \"halide\": {\"version\": \"14\", \"build_us\": %.3f, \"simplify_us\": %.3f, \"bound_us\": %.3f, "
                      "\"eval_us\": null, \"prove_us\": %.3f, \"bound_p50_us\": %.3f, \"bound_p90_us\": %.3f, \"prove_p50_us\": %.3f, "
                      "\"prove_p90_us\": %.3f, \"exact_pct\": %.2f, \"settled\": %d, \"unsound\": %d, "
                      "\"decided_pct\": %.2f, \"decidable\": %d, \"wrong\": %d}",
                      median(build_t_), median(simplify_t_), median(bound_t_), median(prove_t_), bound_pc.first, bound_pc.second, prove_pc.first,
                      prove_pc.second, settled ? 100.0 * exact / settled : 0.0, settled, unsound,
                      decidable ? 100.0 * decided / decidable : 0.0, decidable, wrong);
        std::fprintf(stderr, "halide: build %.3f, simplify %.3f, bound %.3f, prove %.3f us; exact %d/%d, unsound %d; decided %d/%d, wrong %d\n",
                     median(build_t_), median(simplify_t_), median(bound_t_), median(prove_t_), exact, settled, unsound, decided, decidable, wrong);
        std::fprintf(stderr, "halide per call (median / 90th percentile): bound %.3f / %.3f us, prove %.3f / %.3f us\n", bound_pc.first,
                     bound_pc.second, prove_pc.first, prove_pc.second);
        return buf;
    }

private:
    const std::vector<symshape::syntax_tree>& trees_;
    HI::Scope<HI::Interval> scope_;
    std::vector<Halide::Expr> es_, rs_;
    std::vector<HI::Interval> bounds_;
    std::vector<Halide::Expr> proved_;
    std::vector<double> build_t_, simplify_t_, bound_t_, prove_t_;
    per_call_best bound_pc_, prove_pc_;
};
} // namespace hal
#else
namespace hal {
/// Without Halide: no peer; nothing timed, nothing reported.
struct peer {
    peer(const std::vector<symshape::syntax_tree>&, const std::vector<symshape::syntax_tree>&, const std::string&) {}
    void build_repeat() {}
    void simplify_repeat() {}
    void bound_repeat() {}
    void prove_repeat() {}
    void bound_call_pass() {}
    void prove_call_pass() {}
    std::string report(const std::vector<std::string>&, const std::vector<std::string>&) const { return ""; }
};
} // namespace hal
#endif

int main(int argc, char** argv) {
    std::string dir = "../shared/corpus";
    int repeats = 7;
    std::string profile; // --profile PHASE: run only that phase many times (for perf)
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
        else if (a == "--profile" && i + 1 < argc) profile = argv[++i];
        else dir = a;
    }
    std::vector<std::string> expr_text = read_lines(dir + "/exprs.txt", false);
    std::vector<std::string> rel_text = read_lines(dir + "/relations.txt", false);
    std::vector<std::string> truth_b = read_lines(dir + "/truth_bounds.txt", true);
    std::vector<std::string> truth_r = read_lines(dir + "/truth_relations.txt", true);
    std::vector<std::string> values = read_lines(dir + "/values_at_point.txt", false);
    std::string ranges;
    for (const auto& l : read_lines(dir + "/ranges.txt", true)) ranges += l + " ";
    std::string point = read_lines(dir + "/point.txt", true).at(0);

    // A budget field from the environment, when the variable is set (see the README's table).
    auto from_env = [](const char* name, auto& field) {
        if (const char* b = std::getenv(name)) field = static_cast<std::remove_reference_t<decltype(field)>>(std::strtoull(b, nullptr, 10));
    };
    auto make_store = [&] {
        symshape::fact_store<I> fs;
        auto& bud = fs.budget();
        from_env("SYMSHAPE_ENUMERATE_POINTS", bud.enumerate_points);
        from_env("SYMSHAPE_RELATIONAL_VARS", bud.relational_vars);
        from_env("SYMSHAPE_SPLIT_VALUES", bud.split_values);
        from_env("SYMSHAPE_BOX_SPLITS", bud.box_splits);
        from_env("SYMSHAPE_BOUND_BOX_SPLITS", bud.bound_box_splits);
        from_env("SYMSHAPE_RELATIONAL_ROWS", bud.relational_rows);
        from_env("SYMSHAPE_WITNESS_SAMPLES", bud.witness_samples);
        from_env("SYMSHAPE_WITNESS_EVALS", bud.witness_evals);
        from_env("SYMSHAPE_RELATIONAL_PRODUCTS", bud.relational_products);
        from_env("SYMSHAPE_MONOTONE", bud.monotone);
        from_env("SYMSHAPE_MONOTONE_FREE", bud.monotone_free);
        from_env("SYMSHAPE_MONOTONE_BOX_SPLITS", bud.monotone_box_splits);
        from_env("SYMSHAPE_RESIDUE_SPLITS", bud.residue_splits);
        from_env("SYMSHAPE_RESIDUE_SEARCH", bud.residue_search);
        symshape::declare_ranges<I>(ranges, fs);
        return fs;
    };

    // ---- parse once; time the canonical build from syntax trees ----
    std::vector<symshape::syntax_tree> trees, rel_trees;
    for (const auto& t : expr_text) trees.push_back(symshape::parse_syntax(t));
    for (const auto& t : rel_text) rel_trees.push_back(symshape::parse_syntax(t));
    std::vector<E> exprs(trees.size()), rels(rel_trees.size());
    std::vector<double> build_t, simplify_t, bound_t, eval_t, prove_t;
    for (int r = 0; r < repeats; ++r) {
        time_per_call(build_t, trees.size(), [&](std::size_t i) { exprs[i] = symshape::build<I>(trees[i]); });
    }
    for (std::size_t i = 0; i < rel_trees.size(); ++i) rels[i] = symshape::build<I>(rel_trees[i]);
    if (!profile.empty()) {
        const int reps = std::getenv("SYMSHAPE_PROFILE_REPS") ? std::atoi(std::getenv("SYMSHAPE_PROFILE_REPS")) : 50;
        for (int r = 0; r < reps; ++r) {
            auto fs = make_store();
            for (std::size_t i = 0; i < exprs.size(); ++i) {
                if (profile == "build") exprs[i] = symshape::build<I>(trees[i]);
                if (profile == "bound") (void)fs.bound(exprs[i]);
                if (profile == "simplify" && r < 5) (void)symshape::simplify(exprs[i], fs);
                if (profile == "prove" && i < rels.size()) (void)fs.prove(rels[i]);
            }
        }
        return 0;
    }

    // The peer (Halide, when built with it) converts the same trees; its repeats and per-call
    // passes of bound, simplify and prove alternate with symshape's below. (Its conversions, the
    // "build" figure, are timed apart: they are not compared.) It is gone before the memory
    // measurement at the end.
    std::optional<hal::peer> peer(std::in_place, trees, rel_trees, ranges);
    for (int r = 0; r < repeats; ++r) peer->build_repeat();

    // ---- bound / simplify / prove, cold store each repeat ----
    std::vector<symshape::interval<I>> bounds(exprs.size());
    alternate(
        repeats,
        [&](int) {
            auto fs = make_store();
            time_per_call(bound_t, exprs.size(), [&](std::size_t i) { bounds[i] = fs.bound(exprs[i]); });
        },
        [&](int) { peer->bound_repeat(); });
    std::vector<E> simplified(exprs.size());
    alternate(
        std::min(repeats, 5),
        [&](int) {
            auto fs = make_store();
            time_per_call(simplify_t, exprs.size(), [&](std::size_t i) { simplified[i] = symshape::simplify(exprs[i], fs); });
        },
        [&](int) { peer->simplify_repeat(); });
    std::vector<symshape::truth> answers(rels.size());
    alternate(
        repeats,
        [&](int) {
            auto fs = make_store();
            time_per_call(prove_t, rels.size(), [&](std::size_t i) { answers[i] = fs.prove(rels[i]); });
        },
        [&](int) { peer->prove_repeat(); });

    // ---- per call: the spread behind the means above (three passes, fresh stores) ----
    per_call_best bound_calls(exprs.size()), prove_calls(rels.size());
    alternate(
        3,
        [&](int) {
            auto fs = make_store();
            bound_calls.pass([&](std::size_t i) { (void)fs.bound(exprs[i]); });
        },
        [&](int) { peer->bound_call_pass(); });
    alternate(
        3,
        [&](int) {
            auto fs = make_store();
            prove_calls.pass([&](std::size_t i) { (void)fs.prove(rels[i]); });
        },
        [&](int) { peer->prove_call_pass(); });
    const auto bound_pc = bound_calls.percentiles(), prove_pc = prove_calls.percentiles();
    const std::string peer_json = peer->report(truth_b, truth_r);
    peer.reset();

    // ---- evaluation at the point ----
    symshape::valuation<I> at;
    {
        std::istringstream in(point);
        std::string a;
        while (in >> a) {
            auto p = a.find('=');
            at.set(a.substr(0, p), symshape::parse_integer<I>(a.substr(p + 1)));
        }
    }
    std::vector<std::string> got_values(exprs.size());
    int eval_mismatch = 0;
    for (std::size_t i = 0; i < exprs.size(); ++i) {
        try {
            got_values[i] = symshape::to_string(symshape::evaluate(exprs[i], at));
        } catch (const symshape::error& e) {
            got_values[i] = "error";
        }
        if (i < values.size() && got_values[i] != values[i] && !(got_values[i] == "error" && values[i].find_first_not_of("-0123456789") != std::string::npos))
            ++eval_mismatch;
    }
    for (int r = 0; r < repeats; ++r) {
        volatile I sink = 0;
        eval_t.push_back(time_us([&] {
            for (const auto& e : exprs) {
                try {
                    sink = sink + symshape::evaluate(e, at);
                } catch (const symshape::error&) {
                }
            }
        }) / static_cast<double>(exprs.size()));
    }

    // ---- precision ----
    int settled = 0, exact = 0, unsound = 0;
    std::vector<std::size_t> loose_idx, unsound_idx;
    for (std::size_t i = 0; i < exprs.size() && i < truth_b.size(); ++i) {
        std::istringstream in(truth_b[i]);
        std::string lo, hi;
        in >> lo >> hi;
        bool lo_known = lo != "?", hi_known = hi != "?";
        bool bad = false;
        if (lo_known && parse_end(lo) < bounds[i].lo) bad = true;
        if (hi_known && bounds[i].hi < parse_end(hi)) bad = true;
        if (got_values[i] != "error" && !bounds[i].contains(symshape::parse_integer<I>(got_values[i]))) bad = true;
        if (bad) {
            ++unsound;
            unsound_idx.push_back(i);
        }
        if (lo_known && hi_known) {
            ++settled;
            if (bounds[i].lo == parse_end(lo) && bounds[i].hi == parse_end(hi)) ++exact;
            else loose_idx.push_back(i);
        }
    }
    int decidable = 0, decided = 0, wrong = 0;
    std::vector<std::size_t> undecided_idx, wrong_idx;
    for (std::size_t i = 0; i < rels.size() && i < truth_r.size(); ++i) {
        std::istringstream in(truth_r[i]);
        std::string verdict;
        in >> verdict;
        symshape::truth a = answers[i];
        if (verdict == "true" || verdict == "false") {
            ++decidable;
            symshape::truth want = verdict == "true" ? symshape::truth::yes : symshape::truth::no;
            if (a == want) ++decided;
            else if (a == symshape::truth::unknown) undecided_idx.push_back(i);
            else { ++wrong; wrong_idx.push_back(i); }
        } else if (verdict == "depends" && a != symshape::truth::unknown) {
            ++wrong;
            wrong_idx.push_back(i);
        }
    }

    // ---- memory and interning ----
    std::size_t nodes_before = symshape::interned_node_count<I>();
    long rss_before = rss_kb();
    E x = E::symbol("intern_x"), y = E::symbol("intern_y");
    double intern_s = time_us([&] {
        for (I i = 0; i < 1000000; ++i) (void)(x * E(i) + y);
    }) / 1e6;
    std::size_t nodes_after = symshape::interned_node_count<I>();
    long rss_after = rss_kb();
    double bytes_per_node = nodes_after > nodes_before ? 1024.0 * static_cast<double>(rss_after - rss_before) / static_cast<double>(nodes_after - nodes_before) : 0.0;

    const double exact_pct = settled ? 100.0 * exact / settled : 0.0;
    const double decided_pct = decidable ? 100.0 * decided / decidable : 0.0;
    std::printf("{\"corpus\": \"%s\", \"repeats\": %d, \"expressions\": %zu, \"relations\": %zu,\n"
                " \"build_us\": %.3f, \"build_cold_us\": %.3f, \"simplify_us\": %.3f, \"bound_us\": %.3f, \"eval_us\": %.3f, \"prove_us\": %.3f,\n"
                " \"bound_p50_us\": %.3f, \"bound_p90_us\": %.3f, \"prove_p50_us\": %.3f, \"prove_p90_us\": %.3f,\n"
                " \"exact_pct\": %.2f, \"settled\": %d, \"unsound\": %d, \"decided_pct\": %.2f, \"decidable\": %d, \"wrong\": %d,\n"
                " \"eval_mismatch\": %d, \"bytes_per_node\": %.1f, \"intern_1m_s\": %.3f, \"interned_nodes\": %zu%s}\n",
                dir.c_str(), repeats, exprs.size(), rels.size(), median(build_t), build_t.front(), median(simplify_t), median(bound_t),
                median(eval_t), median(prove_t), bound_pc.first, bound_pc.second, prove_pc.first, prove_pc.second, exact_pct, settled, unsound, decided_pct, decidable, wrong, eval_mismatch,
                bytes_per_node, intern_s, nodes_after, peer_json.c_str());

    std::fprintf(stderr, "symshape on %s (medians of %d repeats)\n", dir.c_str(), repeats);
    std::fprintf(stderr, "  build     %8.3f us/expr\n  simplify  %8.3f us/expr\n  bound     %8.3f us/expr\n  eval      %8.3f us/expr\n  prove     %8.3f us/relation\n",
                 median(build_t), median(simplify_t), median(bound_t), median(eval_t), median(prove_t));
    std::fprintf(stderr, "  per call (median / 90th percentile): bound %.3f / %.3f us, prove %.3f / %.3f us\n", bound_pc.first,
                 bound_pc.second, prove_pc.first, prove_pc.second);
    std::fprintf(stderr, "  exact bounds %d/%d (%.2f%%), unsound %d; relations decided %d/%d (%.2f%%), wrong %d; eval mismatches %d\n",
                 exact, settled, exact_pct, unsound, decided, decidable, decided_pct, wrong, eval_mismatch);
    std::fprintf(stderr, "  %.1f bytes per node, 1M distinct expressions interned in %.3f s\n", bytes_per_node, intern_s);
    if (std::getenv("SYMSHAPE_BENCH_VERBOSE")) {
        for (auto i : unsound_idx) std::fprintf(stderr, "UNSOUND %zu: %s  ours %s  truth %s\n", i, expr_text[i].c_str(), bounds[i].str().c_str(), truth_b[i].c_str());
        for (auto i : wrong_idx) std::fprintf(stderr, "WRONG %zu: %s  ours %s  truth %s\n", i, rel_text[i].c_str(), symshape::to_string(answers[i]), truth_r[i].c_str());
        for (auto i : loose_idx) std::fprintf(stderr, "loose %zu: %s  ours %s  truth %s\n", i, expr_text[i].c_str(), bounds[i].str().c_str(), truth_b[i].c_str());
        for (auto i : undecided_idx) std::fprintf(stderr, "undecided %zu: %s  truth %s\n", i, rel_text[i].c_str(), truth_r[i].c_str());
    }
    return unsound || wrong ? 1 : 0;
}
