// symshape/guard/shape_env.hpp — symbols with an example value ("backed" s0, s1, ...) or without
// ("unbacked" u0, u1, ...), and the one place every shape question is decided: evaluate(p).
// Proven statically -> nothing recorded; backed -> decided on the example values and recorded as
// a guard; unbacked and undecidable -> data_dependent_error. check / constrain_as_size /
// constrain_as_value record runtime assertions and refine ranges.
#pragma once

#include "symshape/config.hpp"

#include <cstdint>
#include <memory>
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

/// One problem a draft export found (see draft_export): what, where it was asked, and the fix.
struct draft_problem {
    std::string kind;  ///< "constraint violation" or "data-dependent"
    std::string what;  ///< the error a normal export would have thrown, first line
    std::string where; ///< the dim, or the operation that asked
    std::string fix;   ///< what to paste: a dim(...) or a check(...)
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
    /// that would settle it. `example`, when known, is p's value on the traced data (an unbacked
    /// symbol's value read at trace time): the check consistent with it is suggested first.
    bool evaluate(const expr& p, const std::string& reason, std::optional<bool> example = std::nullopt);
    /// The integer value of `e`, specialising: proven constant -> no guard; else backed -> guard
    /// `e == value`; unbacked -> data_dependent_error.
    std::int64_t evaluate_int(const expr& e, const std::string& reason);
    /// The value of `e` at the example values (no guard). nullopt if e has unbacked symbols.
    std::optional<std::int64_t> hint(const expr& e) const;
    /// True when every symbol of `e` (after replacements) has an example value.
    bool all_backed(const expr& e) const;
    /// Decided without guard or error: true/false if proven, nullopt otherwise.
    std::optional<bool> try_prove(const expr& p);

    /// Asserts `p` at run time: refines facts and records a runtime assertion, unless proven.
    /// Throws usage_error if `p` is proven false.
    void check(const expr& p, const std::string& message = {});
    /// min <= v <= max for a value read from a tensor (records two assertions).
    void constrain_as_value(const expr& v, std::int64_t min, std::int64_t max);
    /// Like constrain_as_value, and marks v as a size (it may be used as a tensor dimension).
    void constrain_as_size(const expr& v, std::int64_t min, std::int64_t max);

    /// While a branch of a cond (or a map body) is traced: facts added inside (runtime assertions,
    /// guards) are forgotten when it ends, since the branch's assertions run only with it. With a
    /// condition `p` (a symbolic predicate), `p` is assumed (decisions that follow from it record
    /// nothing) and every guard recorded meanwhile is kept as `not p or guard`, so that inputs
    /// taking the other branch are not rejected by it; without one (a tensor predicate) guards are
    /// kept as they are. `taken`: whether the example inputs take this branch (a check() that fails
    /// on them in a branch they do not take is recorded, not thrown). Scopes nest.
    class branch_scope {
    public:
        branch_scope(shape_env& env, std::optional<expr> p, bool taken);
        ~branch_scope();
        branch_scope(const branch_scope&) = delete;
        branch_scope& operator=(const branch_scope&) = delete;

    private:
        shape_env& env_;
        std::unique_ptr<fact_store<std::int64_t>::scope> facts_;
        bool pushed_ = false;
        bool taken_;
    };
    /// True while a branch the example inputs do not take is traced.
    bool in_untaken_branch() const noexcept { return untaken_ > 0; }

    /// Adds another place the symbol `sym` is read from to its source (`x.size(0), y.size(0)`).
    void add_source(const expr& sym, const std::string& more) {
        for (auto& s : symbols_)
            if (s.sym == sym && s.source.find(more) == std::string::npos) s.source += ", " + more;
    }
    /// Marks the symbol `v` (if it is one) as used for a tensor size.
    void mark_size_like(const expr& v) {
        for (auto& s : symbols_)
            if (v.is_symbol() && s.sym == v) s.size_like = true;
    }
    /// Draft mode (draft_export): data-dependent decisions are taken on the traced values and
    /// recorded as runtime assertions and problems instead of failing.
    bool drafting() const noexcept { return drafting_; }
    void set_drafting(bool on) noexcept { drafting_ = on; }
    void add_problem(draft_problem p) { problems_.push_back(std::move(p)); }
    const std::vector<draft_problem>& problems() const noexcept { return problems_; }
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
    void require_all_backed(const expr& p, const std::string& reason, const char* what,
                            std::optional<bool> example = std::nullopt);
    /// Records `holds` (true at the example values) as a guard, conditioned on the branches in force.
    void record_guard(const expr& holds, const std::string& reason);

    fact_store<std::int64_t> facts_;
    std::vector<symbol_info> symbols_;
    std::vector<guard> guards_;
    std::vector<runtime_assertion> assertions_;
    std::vector<expr> branch_conditions_; // innermost last
    int untaken_ = 0;                     // branch scopes the example does not take
    std::vector<draft_problem> problems_;
    bool drafting_ = false;
    int backed_ = 0, unbacked_ = 0;
};

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/guard/impl/shape_env.hpp"
#endif
