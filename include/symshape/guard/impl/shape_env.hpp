// symshape/guard/impl/shape_env.hpp — the definitions behind symshape/guard/shape_env.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/guard/shape_env.hpp"

namespace symshape {

SYMSHAPE_INLINE expr shape_env::create_backed(std::int64_t hint, std::string source, std::string dim_name,
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

SYMSHAPE_INLINE expr shape_env::create_unbacked(std::string source, bool size_like) {
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

SYMSHAPE_INLINE const symbol_info* shape_env::info(const expr& sym) const {
    for (const auto& s : symbols_)
        if (s.sym == sym) return &s;
    return nullptr;
}

SYMSHAPE_INLINE std::optional<std::int64_t> shape_env::hint(const expr& e0) const {
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

SYMSHAPE_INLINE bool shape_env::all_backed(const expr& e) const {
    for (const expr& s : symbols_of(facts_.normalize(e))) {
        const symbol_info* si = info(s);
        if (!si || !si->hint) return false;
    }
    return true;
}

SYMSHAPE_INLINE std::optional<bool> shape_env::try_prove(const expr& p) {
    truth t = facts_.prove(p);
    if (t == truth::unknown) return std::nullopt;
    return t == truth::yes;
}

SYMSHAPE_INLINE std::string shape_env::describe_ranges(const expr& e) {
    std::string out;
    for (const expr& s : symbols_of(facts_.normalize(e))) {
        if (!out.empty()) out += ", ";
        out += to_string(s) + ": " + facts_.bound(s).str();
        const symbol_info* si = info(s);
        if (si && !si->source.empty()) out += " (" + si->source + ")";
    }
    return out.empty() ? "no symbols" : out;
}

SYMSHAPE_INLINE void shape_env::require_all_backed(const expr& p, const std::string& reason, const char* what,
                                                   std::optional<bool> example) {
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
    if (p.is_bool()) {
        // The check that holds on the traced data first (for a size read as 7: check(u0 >= 0)).
        std::string holds = to_string(n), fails = to_string(logical_not(n));
        if (example && !*example) std::swap(holds, fails);
        msg += "\n    to settle it, add check(" + holds + ")" + (example ? " (true on the traced data)" : "") + " (or check(" +
               fails + ")) before this point, or narrow the range with constrain_as_value / constrain_as_size";
    }
    else
        msg += "\n    to settle it, bound the value with constrain_as_value / constrain_as_size, or check() a condition on it";
    throw data_dependent_error(msg);
}

SYMSHAPE_INLINE bool shape_env::evaluate(const expr& p, const std::string& reason, std::optional<bool> example) {
    if (!p.is_bool()) throw usage_error("evaluate() needs a boolean expression, got '" + to_string(p) + "'");
    if (p.is_true() || p.is_false()) return p.is_true();
    truth t = facts_.prove(p);
    if (t != truth::unknown) return t == truth::yes;
    require_all_backed(p, reason, "decide", example);
    bool value = *hint(p) != 0;
    record_guard(facts_.normalize(value ? p : logical_not(p)), reason);
    return value;
}

SYMSHAPE_INLINE std::int64_t shape_env::evaluate_int(const expr& e, const std::string& reason) {
    if (e.is_bool()) throw usage_error("evaluate_int() needs an integer expression, got '" + to_string(e) + "'");
    interval<std::int64_t> b = facts_.bound(e);
    if (b.is_point()) return b.lo.value();
    require_all_backed(e, reason, "specialize");
    std::int64_t v = *hint(e);
    record_guard(facts_.normalize(eq(e, expr(v))), reason);
    return v;
}

SYMSHAPE_INLINE void shape_env::record_guard(const expr& holds, const std::string& reason) {
    expr g = holds;
    for (auto it = branch_conditions_.rbegin(); it != branch_conditions_.rend(); ++it) g = logical_or(logical_not(*it), g);
    guards_.push_back({g, reason});
    // Inside a branch the example values may lie outside the branch's condition: a guard true
    // there can contradict the assumed facts; it is kept (as an implication) but not used.
    if (!facts_.try_add_fact(holds) && branch_conditions_.empty())
        throw internal_error("a guard true at the example values contradicts the facts: " + to_string(holds));
}

SYMSHAPE_INLINE shape_env::branch_scope::branch_scope(shape_env& env, std::optional<expr> p, bool taken)
    : env_(env), facts_(std::make_unique<fact_store<std::int64_t>::scope>(env.facts_)), taken_(taken) {
    if (p) {
        const expr n = env.facts_.normalize(*p);
        try {
            env.facts_.add_fact(n);
        } catch (const contradiction_error&) {
            // The condition contradicts the facts in force: nothing to assume (the branch cannot run).
        }
        env.branch_conditions_.push_back(n);
        pushed_ = true;
    }
    if (!taken_) ++env.untaken_;
}
SYMSHAPE_INLINE shape_env::branch_scope::~branch_scope() {
    facts_.reset();
    if (pushed_) env_.branch_conditions_.pop_back();
    if (!taken_) --env_.untaken_;
}

SYMSHAPE_INLINE void shape_env::check(const expr& p, const std::string& message) {
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

SYMSHAPE_INLINE void shape_env::constrain_as_value(const expr& v, std::int64_t min, std::int64_t max) {
    if (min > max) throw usage_error("constrain_as_value(" + to_string(v) + ", " + std::to_string(min) + ", " + std::to_string(max) + "): min > max");
    check(ge(v, expr(min)), "Runtime assertion failed for expression " + to_string(ge(v, expr(min))));
    check(le(v, expr(max)), "Runtime assertion failed for expression " + to_string(le(v, expr(max))));
}

SYMSHAPE_INLINE void shape_env::constrain_as_size(const expr& v, std::int64_t min, std::int64_t max) {
    if (min < 0) throw usage_error("constrain_as_size(" + to_string(v) + ", " + std::to_string(min) + ", ...): a size cannot be negative");
    constrain_as_value(v, min, max);
    mark_size_like(v);
}

} // namespace symshape
