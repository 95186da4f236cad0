// symshape/guard/shape_env.hpp — symbols with an example value ("backed" s0, s1, ...) or without
// ("unbacked" u0, u1, ...), and the one place every shape question is decided: evaluate(p).
// Proven statically -> nothing recorded; backed -> decided on the example values and recorded as
// a guard; unbacked and undecidable -> data_dependent_error. check / constrain_as_size /
// constrain_as_value record runtime assertions and refine ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "symshape/range.hpp"

namespace symshape {

/// Whether a symbol has an example value that decisions may use.
enum class symbol_kind : std::uint8_t { backed, unbacked };

/// What the shape environment knows about one symbol.
struct symbol_info {
    expr sym;                         ///< s0, s1, ... or u0, u1, ...
    symbol_kind kind = symbol_kind::backed;
    std::optional<std::int64_t> hint; ///< the example value (backed symbols only)
    std::string source;               ///< user-facing origin, e.g. "x.size(0)" or "item() of y"
    std::string dim_name;             ///< the user's dim name, if it came from one
    interval<std::int64_t> declared;  ///< the user's declared range ([-inf, inf] if none)
    bool size_like = false;           ///< used as a tensor size (constrain_as_size / unbacked sizes)
};

/// A condition the program's shape decisions assumed; re-checked on every new input.
struct guard {
    expr predicate;     ///< holds for the example inputs
    std::string reason; ///< the user operation that asked, e.g. "broadcast of x.size(0) with y.size(0)"
};

/// A condition the program asserts at run time (check / constrain_as_*).
struct runtime_assertion {
    expr predicate;
    std::string message;
};

/// The symbolic-shape state of one trace: symbols, facts, guards and runtime assertions.
/// Not thread-safe; one per trace.
class shape_env {
public:
    shape_env() = default;

    /// A backed symbol sN with example value `hint` and declared range [lo, hi].
    /// Throws constraint_violation when the example value lies outside the declared range.
    expr create_backed(std::int64_t hint, std::string source, std::string dim_name = {},
                       extended<std::int64_t> lo = extended<std::int64_t>::neg_inf(),
                       extended<std::int64_t> hi = extended<std::int64_t>::pos_inf());
    /// An unbacked symbol uN (a value read out of a tensor). Size-like symbols get range [0, inf].
    expr create_unbacked(std::string source, bool size_like = false);

    /// Decides `p`: proven -> its value, nothing recorded; else if every symbol of p is backed ->
    /// its value at the example values, recorded as a guard (and added as a fact); else throws
    /// data_dependent_error naming the expression, the ranges in force, `reason` and the check
    /// that would settle it.
    bool evaluate(const expr& p, const std::string& reason);
    /// The integer value of `e`, specialising: proven constant -> no guard; else backed -> guard
    /// `e == value`; unbacked -> data_dependent_error.
    std::int64_t evaluate_int(const expr& e, const std::string& reason);
    /// The value of `e` at the example values (no guard). nullopt if e has unbacked symbols.
    std::optional<std::int64_t> hint(const expr& e) const;
    /// Decided without guard or error: true/false if proven, nullopt otherwise.
    std::optional<bool> try_prove(const expr& p);

    /// Asserts `p` at run time: refines facts and records a runtime assertion, unless proven.
    /// Throws usage_error if `p` is proven false.
    void check(const expr& p, const std::string& message = {});
    /// min <= v <= max for a value read from a tensor (records two assertions).
    void constrain_as_value(const expr& v, std::int64_t min, std::int64_t max);
    /// Like constrain_as_value, and marks v as a size (it may be used as a tensor dimension).
    void constrain_as_size(const expr& v, std::int64_t min, std::int64_t max);

    /// Marks the symbol `v` (if it is one) as used for a tensor size.
    void mark_size_like(const expr& v) {
        for (auto& s : symbols_)
            if (v.is_symbol() && s.sym == v) s.size_like = true;
    }
    fact_store<std::int64_t>& facts() noexcept { return facts_; }
    const std::vector<symbol_info>& symbols() const noexcept { return symbols_; }
    const symbol_info* info(const expr& sym) const;
    const std::vector<guard>& guards() const noexcept { return guards_; }
    const std::vector<runtime_assertion>& assertions() const noexcept { return assertions_; }
    /// Current range of a symbol (declared range refined by facts).
    interval<std::int64_t> range(const expr& sym) { return facts_.bound(sym); }
    /// `e` with replacements applied (two dims found equal print as one symbol).
    expr normalize(const expr& e) const { return facts_.normalize(e); }
    /// "s0: [2, 64], u0: [0, 5]" for the symbols of `e`.
    std::string describe_ranges(const expr& e);

private:
    void require_all_backed(const expr& p, const std::string& reason, const char* what);

    fact_store<std::int64_t> facts_;
    std::vector<symbol_info> symbols_;
    std::vector<guard> guards_;
    std::vector<runtime_assertion> assertions_;
    int backed_ = 0, unbacked_ = 0;
};

// ---- implementation ----

inline expr shape_env::create_backed(std::int64_t hint, std::string source, std::string dim_name,
                                     extended<std::int64_t> lo, extended<std::int64_t> hi) {
    expr s = expr::symbol("s" + std::to_string(backed_++));
    if (lo > hi) throw usage_error("dim '" + dim_name + "' has an empty range [" + lo.str() + ", " + hi.str() + "]");
    interval<std::int64_t> declared{lo, hi};
    if (!declared.contains(hint)) {
        throw constraint_violation("the example value " + std::to_string(hint) + " of " + source +
                                   " is outside the declared range " + declared.str() +
                                   (dim_name.empty() ? std::string() : " of dim '" + dim_name + "'") +
                                   "\n    widen the dim's range or pass an example inside it");
    }
    facts_.set_range(s, lo, hi);
    symbol_info si;
    si.sym = s;
    si.kind = symbol_kind::backed;
    si.hint = hint;
    si.source = std::move(source);
    si.dim_name = std::move(dim_name);
    si.declared = declared;
    si.size_like = true;
    symbols_.push_back(std::move(si));
    return s;
}

inline expr shape_env::create_unbacked(std::string source, bool size_like) {
    expr u = expr::symbol("u" + std::to_string(unbacked_++));
    symbol_info si;
    si.sym = u;
    si.kind = symbol_kind::unbacked;
    si.source = std::move(source);
    si.size_like = size_like;
    if (size_like) facts_.set_range(u, 0, extended<std::int64_t>::pos_inf());
    si.declared = facts_.range_of(u);
    symbols_.push_back(std::move(si));
    return u;
}

inline const symbol_info* shape_env::info(const expr& sym) const {
    for (const auto& s : symbols_)
        if (s.sym == sym) return &s;
    return nullptr;
}

inline std::optional<std::int64_t> shape_env::hint(const expr& e0) const {
    expr e = facts_.normalize(e0);
    valuation<std::int64_t> v;
    for (const auto& s : symbols_) {
        if (s.hint) v.set(s.sym, *s.hint);
    }
    for (const expr& s : symbols_of(e)) {
        const symbol_info* si = info(s);
        if (!si || !si->hint) return std::nullopt;
    }
    if (e.is_bool()) return symshape::evaluate_bool(e, v) ? 1 : 0;
    return symshape::evaluate(e, v);
}

inline std::optional<bool> shape_env::try_prove(const expr& p) {
    truth t = facts_.prove(p);
    if (t == truth::unknown) return std::nullopt;
    return t == truth::yes;
}

inline std::string shape_env::describe_ranges(const expr& e) {
    std::string out;
    for (const expr& s : symbols_of(facts_.normalize(e))) {
        if (!out.empty()) out += ", ";
        out += to_string(s) + ": " + facts_.bound(s).str();
        const symbol_info* si = info(s);
        if (si && !si->source.empty()) out += " (" + si->source + ")";
    }
    return out.empty() ? "no symbols" : out;
}

inline void shape_env::require_all_backed(const expr& p, const std::string& reason, const char* what) {
    expr n = facts_.normalize(p);
    std::vector<std::string> unbacked;
    for (const expr& s : symbols_of(n)) {
        const symbol_info* si = info(s);
        if (!si || !si->hint) unbacked.push_back(to_string(s));
    }
    if (unbacked.empty()) return;
    std::string names;
    for (const auto& u : unbacked) names += (names.empty() ? "" : ", ") + u;
    std::string msg = std::string("could not ") + what + " the data-dependent expression " + to_string(n) +
                      " (it depends on " + names + ", read from tensor data)";
    msg += "\n    asked by: " + (reason.empty() ? std::string("a shape decision") : reason);
    msg += "\n    ranges in force: " + describe_ranges(n);
    if (!(n == p)) msg += "\n    as written: " + to_string(p);
    if (p.is_bool())
        msg += "\n    to settle it, add check(" + to_string(n) + ") (or check(" + to_string(logical_not(n)) +
               ")) before this point, or narrow the range with constrain_as_value / constrain_as_size";
    else
        msg += "\n    to settle it, bound the value with constrain_as_value / constrain_as_size, or check() a condition on it";
    throw data_dependent_error(msg);
}

inline bool shape_env::evaluate(const expr& p, const std::string& reason) {
    if (!p.is_bool()) throw usage_error("evaluate() needs a boolean expression, got '" + to_string(p) + "'");
    if (p.is_true() || p.is_false()) return p.is_true();
    truth t = facts_.prove(p);
    if (t != truth::unknown) return t == truth::yes;
    require_all_backed(p, reason, "decide");
    bool value = *hint(p) != 0;
    expr holds = facts_.normalize(value ? p : logical_not(p));
    guards_.push_back({holds, reason});
    if (!facts_.try_add_fact(holds))
        throw internal_error("a guard true at the example values contradicts the facts: " + to_string(holds));
    return value;
}

inline std::int64_t shape_env::evaluate_int(const expr& e, const std::string& reason) {
    if (e.is_bool()) throw usage_error("evaluate_int() needs an integer expression, got '" + to_string(e) + "'");
    interval<std::int64_t> b = facts_.bound(e);
    if (b.is_point()) return b.lo.value();
    require_all_backed(e, reason, "specialize");
    std::int64_t v = *hint(e);
    expr holds = facts_.normalize(eq(e, expr(v)));
    guards_.push_back({holds, reason});
    if (!facts_.try_add_fact(holds))
        throw internal_error("a guard true at the example values contradicts the facts: " + to_string(holds));
    return v;
}

inline void shape_env::check(const expr& p, const std::string& message) {
    if (!p.is_bool()) throw usage_error("check() needs a boolean expression, got '" + to_string(p) + "'");
    truth t = facts_.prove(p);
    if (t == truth::yes) return;
    if (t == truth::no)
        throw usage_error("check(" + to_string(p) + ") can never hold: it contradicts the ranges in force (" +
                          describe_ranges(p) + ")" + (message.empty() ? std::string() : "\n    message: " + message));
    expr n = facts_.normalize(p);
    assertions_.push_back({n, message.empty() ? "Runtime assertion failed for expression " + to_string(n) : message});
    facts_.add_fact(n);
}

inline void shape_env::constrain_as_value(const expr& v, std::int64_t min, std::int64_t max) {
    if (min > max) throw usage_error("constrain_as_value(" + to_string(v) + ", " + std::to_string(min) + ", " + std::to_string(max) + "): min > max");
    check(ge(v, expr(min)), "Runtime assertion failed for expression " + to_string(ge(v, expr(min))));
    check(le(v, expr(max)), "Runtime assertion failed for expression " + to_string(le(v, expr(max))));
}

inline void shape_env::constrain_as_size(const expr& v, std::int64_t min, std::int64_t max) {
    if (min < 0) throw usage_error("constrain_as_size(" + to_string(v) + ", " + std::to_string(min) + ", ...): a size cannot be negative");
    constrain_as_value(v, min, max);
    mark_size_like(v);
}

} // namespace symshape
