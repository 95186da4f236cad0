// symshape/tensor/impl/sym_int.hpp — the definitions behind symshape/tensor/sym_int.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/tensor/sym_int.hpp"

namespace symshape {

namespace detail {
/// The first line of an error message.
SYMSHAPE_INLINE std::string first_line(const char* what) {
    const std::string s(what);
    return s.substr(0, s.find('\n'));
}
} // namespace detail

SYMSHAPE_INLINE bool detail::decide(const sym_bool& b) {
    if (b.is_constant()) [[likely]] return b.unsafe_hint();
    shape_env* env = active_shape_env;
    if (!env) return b.unsafe_hint();
    if (!env->drafting()) [[likely]] return env->evaluate(b.to_expr(), decision_reason(), b.unsafe_hint());
    try {
        return env->evaluate(b.to_expr(), decision_reason(), b.unsafe_hint());
    } catch (const data_dependent_error& e) {
        // Draft export: decided on the traced value and asserted at run time.
        const sym_bool holds = b.unsafe_hint() ? b : !b;
        env->add_problem({"data-dependent", first_line(e.what()), decision_reason(), "check(" + to_string(holds.to_expr()) + ")"});
        check(holds);
        return b.unsafe_hint();
    }
}

SYMSHAPE_INLINE bool statically_known_true(const sym_bool& p) {
    if (p.is_constant()) return p.unsafe_hint();
    shape_env* env = detail::active_shape_env;
    if (!env) return p.unsafe_hint(); // outside export every size is known
    return env->try_prove(p.to_expr()) == true;
}

namespace detail {
SYMSHAPE_INLINE bool guard_or(const sym_bool& p, bool fallback) {
    if (p.is_constant()) return p.unsafe_hint();
    shape_env* env = active_shape_env;
    if (!env) return p.unsafe_hint();
    if (std::optional<bool> known = env->try_prove(p.to_expr())) return *known;
    if (!env->all_backed(p.to_expr())) return fallback;
    return env->evaluate(p.to_expr(), decision_reason(), p.unsafe_hint());
}
} // namespace detail

SYMSHAPE_INLINE bool guard_or_false(const sym_bool& p) { return detail::guard_or(p, false); }
SYMSHAPE_INLINE bool guard_or_true(const sym_bool& p) { return detail::guard_or(p, true); }

SYMSHAPE_INLINE sym_int detail::recorded(sym_op op, const sym_int& a, const sym_int& b, std::int64_t v, const expr& e) {
    sym_int r(v, e);
    note_sym(op, a, b, r);
    return r;
}

SYMSHAPE_INLINE void detail::note_sym(sym_op op, const sym_int& a, const sym_int& b, const sym_int& r) {
    if (active_sym_hook && !current_op && !r.is_constant()) active_sym_hook->record_op(active_sym_hook->self, op, a, b, r);
}

SYMSHAPE_INLINE std::int64_t sym_int::value() const {
    if (!e_) [[likely]] return v_;
    shape_env* env = detail::active_shape_env;
    if (!env) return v_;
    if (!env->drafting()) [[likely]] return env->evaluate_int(to_expr(), detail::decision_reason());
    try {
        return env->evaluate_int(to_expr(), detail::decision_reason());
    } catch (const data_dependent_error& e) {
        const sym_bool holds = *this == sym_int(v_);
        env->add_problem({"data-dependent", detail::first_line(e.what()), detail::decision_reason(), "check(" + to_string(holds.to_expr()) + ")"});
        check(holds);
        return v_;
    }
}

SYMSHAPE_INLINE void detail::note_cmp(sym_op op, const sym_int& a, const sym_int& b, const sym_bool& r) {
    if (active_sym_hook && !current_op && !r.is_constant())
        active_sym_hook->record_pred(active_sym_hook->self, op, a, b, nullptr, nullptr, r);
}

SYMSHAPE_INLINE void detail::note_logic(sym_op op, const sym_bool& a, const sym_bool* b, const sym_bool& r) {
    if (active_sym_hook && !current_op && !r.is_constant())
        active_sym_hook->record_pred(active_sym_hook->self, op, sym_int(), sym_int(), &a, b, r);
}

namespace detail {
SYMSHAPE_INLINE std::string assertion_text(const sym_bool& cond, const std::string& message) {
    return message.empty() ? "Runtime assertion failed for expression " + to_string(cond.to_expr()) : message;
}
} // namespace detail

SYMSHAPE_INLINE void check(const sym_bool& cond, const std::string& message) {
    // (in a cond branch the example inputs do not take, their values may well fail the check)
    const bool untaken = detail::active_shape_env && detail::active_shape_env->in_untaken_branch() && !cond.is_constant();
    if (!cond.unsafe_hint() && !untaken)
        throw assertion_error("check(" + (cond.is_constant() ? std::string("False") : to_string(cond.to_expr())) + ") fails" +
                              (cond.is_constant() ? std::string() : " for the example inputs") +
                              (message.empty() ? std::string() : ": " + message));
    if (cond.is_constant()) return;
    shape_env* env = detail::active_shape_env;
    if (!env) return;
    if (env->try_prove(cond.to_expr()) == true) return;
    env->check(cond.to_expr(), detail::assertion_text(cond, message));
    if (detail::active_sym_hook) detail::active_sym_hook->record_assert(detail::active_sym_hook->self, cond, message);
}

namespace detail {
SYMSHAPE_INLINE void constrain(const char* fn, const sym_int& v, std::optional<std::int64_t> min, std::optional<std::int64_t> max,
                      bool for_size) {
    if (min && max && *min > *max)
        throw usage_error(std::string(fn) + "(" + to_string(v) + ", " + std::to_string(*min) + ", " + std::to_string(*max) +
                          "): min is greater than max");
    if (min) check(v >= sym_int(*min));
    if (max) check(v <= sym_int(*max));
    if (v.is_constant() || !detail::active_shape_env) return;
    if (for_size) detail::active_shape_env->mark_size_like(v.to_expr());
    if (detail::active_sym_hook)
        detail::active_sym_hook->record_constrain(detail::active_sym_hook->self, v, min, max, for_size);
}
} // namespace detail

SYMSHAPE_INLINE void constrain_as_value(const sym_int& v, std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
    detail::constrain("constrain_as_value", v, min, max, false);
}

SYMSHAPE_INLINE void constrain_as_size(const sym_int& v, std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
    if (min && *min < 0)
        throw usage_error("constrain_as_size(" + to_string(v) + ", " + std::to_string(*min) +
                          ", ...): a size cannot be negative; use constrain_as_value for values that may be");
    detail::constrain("constrain_as_size", v, min ? min : std::optional<std::int64_t>(0), max, true);
}

} // namespace symshape
