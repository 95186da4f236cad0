// symshape/tensor/impl/custom_op.hpp — the definitions behind symshape/tensor/custom_op.hpp: the
// registry of user ops (compiled into libsymshape in compiled mode, included by that header in
// header-only mode). Not for direct inclusion.
#pragma once

#include <deque>
#include <mutex>

#include "symshape/tensor/custom_op.hpp"

namespace symshape {

namespace detail {
/// One registered op.
struct custom_entry {
    op_definition def;
    std::string qualified; // ns::name
    std::string label;     // torch.ops.ns.name.default
};
/// Every registered op, by id. A deque: entries never move, so references stay valid.
struct custom_registry {
    std::mutex m;
    std::deque<custom_entry> ops;
};
SYMSHAPE_INLINE custom_registry& registry() {
    static custom_registry r;
    return r;
}
SYMSHAPE_INLINE const custom_entry& custom_entry_of(std::uint16_t id) {
    custom_registry& r = registry();
    std::lock_guard lock(r.m);
    if (id >= r.ops.size()) throw usage_error("no user op has id " + std::to_string(id) + " (was it registered?)");
    return r.ops[id];
}
SYMSHAPE_INLINE bool is_identifier(std::string_view s) noexcept {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    for (char ch : s)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    return true;
}
SYMSHAPE_INLINE const char* param_kind_name(param_kind k) noexcept {
    switch (k) {
    case param_kind::tensor: return "a tensor";
    case param_kind::optional_tensor: return "a tensor or None";
    case param_kind::integer: return "an integer";
    case param_kind::real: return "a number";
    case param_kind::boolean: return "a bool";
    case param_kind::ints: return "a list of integers";
    }
    return "?";
}
SYMSHAPE_INLINE bool accepts(param_kind p, arg_kind a) noexcept {
    switch (p) {
    case param_kind::tensor: return a == arg_kind::tensor;
    case param_kind::optional_tensor: return a == arg_kind::tensor || a == arg_kind::none;
    case param_kind::integer: return a == arg_kind::integer;
    case param_kind::real: return a == arg_kind::real || a == arg_kind::integer;
    case param_kind::boolean: return a == arg_kind::boolean;
    case param_kind::ints: return a == arg_kind::ints;
    }
    return false;
}
SYMSHAPE_INLINE const char* arg_kind_name(arg_kind a) noexcept {
    switch (a) {
    case arg_kind::tensor: return "a tensor";
    case arg_kind::tensors: return "a list of tensors";
    case arg_kind::integer: return "an integer";
    case arg_kind::real: return "a number";
    case arg_kind::boolean: return "a bool";
    case arg_kind::ints: return "a list of integers";
    case arg_kind::dtype: return "a dtype";
    case arg_kind::string: return "a string";
    case arg_kind::none: return "None";
    }
    return "?";
}
/// Checks a call against the op's schema.
SYMSHAPE_INLINE void check_schema(const custom_entry& e, const call& c) {
    const auto& ps = e.def.params;
    if (c.n != static_cast<int>(ps.size()))
        throw usage_error(e.qualified + ": takes " + std::to_string(ps.size()) + " argument" + (ps.size() == 1 ? "" : "s") +
                          ", got " + std::to_string(c.n));
    for (int k = 0; k < c.n; ++k)
        if (!accepts(ps[static_cast<std::size_t>(k)].kind, c.a[k].kind))
            throw usage_error(e.qualified + ": argument " + std::to_string(k) + " ('" + ps[static_cast<std::size_t>(k)].name +
                              "') must be " + param_kind_name(ps[static_cast<std::size_t>(k)].kind) + ", got " +
                              arg_kind_name(c.a[k].kind));
}

SYMSHAPE_INLINE tensor run_custom(const call& c) {
    const custom_entry& e = custom_entry_of(c.custom);
    check_schema(e, c);
    const op_args args(c);
    tensor out;
    {
        current_op_scope scope(e.label.c_str());
        tensor_meta meta;
        // The user's rule and kernel: symshape's errors pass through; anything else is reported
        // as a usage error naming the op.
        try {
            meta = e.def.shape_rule(args);
        } catch (const error&) {
            throw;
        } catch (const std::exception& ex) {
            throw usage_error(e.qualified + ": the shape rule failed: " + ex.what());
        }
        for (int d = 0; d < meta.sizes.size(); ++d)
            if (meta.sizes[d].unsafe_hint() < 0)
                throw usage_error(e.qualified + ": the shape rule gave size " + to_string(meta.sizes[d]) + " (value " +
                                  std::to_string(meta.sizes[d].unsafe_hint()) + ") for dimension " + std::to_string(d) +
                                  "; sizes must be >= 0");
        std::int64_t total = 1;
        for (const sym_int& s : meta.sizes) total = checked_mul(total, s.unsafe_hint());
        (void)total;
        out = make_tensor(meta.dt, meta.sizes);
        // The kernel works on the example values: ops it calls are neither recorded nor asked as
        // shape questions.
        eager_scope paused;
        try {
            e.def.kernel(args, out);
        } catch (const error&) {
            throw;
        } catch (const std::exception& ex) {
            throw usage_error(e.qualified + ": the kernel failed: " + ex.what());
        }
    }
    out.impl().tag = {};
    if (trace_hook* h = active_trace) [[unlikely]]
        h->record(h->self, c, out);
    return out;
}

SYMSHAPE_INLINE const std::string& custom_op_label(std::uint16_t id) { return custom_entry_of(id).label; }
} // namespace detail

SYMSHAPE_INLINE const arg& op_args::checked(int k, arg_kind want, const char* what) const {
    if (k < 0 || k >= c_.n)
        throw usage_error(std::string("op_args: no argument ") + std::to_string(k) + " (the call has " + std::to_string(c_.n) + ")");
    const arg& a = c_.a[k];
    if (a.kind != want && !(want == arg_kind::real && a.kind == arg_kind::integer) && !(want == arg_kind::tensor && a.kind == arg_kind::none))
        throw usage_error(std::string("op_args: argument ") + std::to_string(k) + " is " + detail::arg_kind_name(a.kind) +
                          ", not " + what);
    return a;
}
SYMSHAPE_INLINE const tensor& op_args::tensor_at(int k) const {
    static const tensor none;
    const arg& a = checked(k, arg_kind::tensor, "a tensor");
    return a.kind == arg_kind::none ? none : *a.t;
}
SYMSHAPE_INLINE sym_int op_args::int_at(int k) const { return checked(k, arg_kind::integer, "an integer").i; }
SYMSHAPE_INLINE double op_args::real_at(int k) const {
    const arg& a = checked(k, arg_kind::real, "a number");
    return a.kind == arg_kind::real ? a.d : static_cast<double>(a.i.unsafe_hint());
}
SYMSHAPE_INLINE bool op_args::bool_at(int k) const { return checked(k, arg_kind::boolean, "a bool").b; }
SYMSHAPE_INLINE std::span<const sym_int> op_args::ints_at(int k) const { return checked(k, arg_kind::ints, "a list of integers").ints(); }

SYMSHAPE_INLINE tensor custom_op::operator()(std::initializer_list<op_value> args) const {
    call c(op_kind::custom);
    c.custom = id_;
    if (args.size() > static_cast<std::size_t>(max_args))
        throw usage_error(qualified_name() + ": at most " + std::to_string(max_args) + " arguments, got " + std::to_string(args.size()));
    for (const op_value& v : args) {
        switch (v.kind_) {
        case arg_kind::tensor: c.tensor_arg(*v.t_); break;
        case arg_kind::integer: c.int_arg(v.i_); break;
        case arg_kind::real: c.number_arg(scalar(v.d_)); break;
        case arg_kind::boolean: c.bool_arg(v.b_); break;
        case arg_kind::ints: c.ints_arg(std::span<const sym_int>(v.l_->data(), static_cast<std::size_t>(v.l_->size()))); break;
        default: c.none_arg(); break;
        }
    }
    return apply(c);
}

SYMSHAPE_INLINE std::string custom_op::qualified_name() const { return detail::custom_entry_of(id_).qualified; }

SYMSHAPE_INLINE custom_op register_op(op_definition def) {
    if (!detail::is_identifier(def.ns) || !detail::is_identifier(def.name))
        throw usage_error("register_op: namespace '" + def.ns + "' and name '" + def.name +
                          "' must be identifiers (letters, digits, _; not starting with a digit)");
    std::string q = def.ns + "::" + def.name;
    if (def.ns == "aten") throw usage_error("register_op: " + q + ": the namespace 'aten' is reserved for built-in ops");
    if (!def.shape_rule || !def.kernel) throw usage_error("register_op: " + q + " needs both a shape rule and a kernel");
    if (def.params.size() > static_cast<std::size_t>(max_args))
        throw usage_error("register_op: " + q + " has " + std::to_string(def.params.size()) + " parameters; at most " +
                          std::to_string(max_args));
    detail::custom_registry& r = detail::registry();
    std::lock_guard lock(r.m);
    for (const detail::custom_entry& e : r.ops)
        if (e.qualified == q) throw usage_error("register_op: " + q + " is already registered");
    if (r.ops.size() >= 0xffff) throw usage_error("register_op: too many ops registered (65,535)");
    std::string label = "torch.ops." + def.ns + "." + def.name + ".default";
    r.ops.push_back({std::move(def), std::move(q), std::move(label)});
    return custom_op(static_cast<std::uint16_t>(r.ops.size() - 1));
}

SYMSHAPE_INLINE std::optional<custom_op> find_op(std::string_view qualified_name) {
    detail::custom_registry& r = detail::registry();
    std::lock_guard lock(r.m);
    for (std::size_t i = 0; i < r.ops.size(); ++i)
        if (r.ops[i].qualified == qualified_name) return custom_op(static_cast<std::uint16_t>(i));
    return std::nullopt;
}

SYMSHAPE_INLINE sym_int new_unbacked_size(std::int64_t value, std::int64_t min, std::optional<std::int64_t> max, const std::string& why) {
    if (value < min || (max && value > *max))
        throw usage_error("new_unbacked_size: the value " + std::to_string(value) + " is outside [" + std::to_string(min) + ", " +
                          (max ? std::to_string(*max) : std::string("inf")) + "] (" + why + ")");
    if (min < 0) throw usage_error("new_unbacked_size: a size cannot be below 0, got min " + std::to_string(min) + " (" + why + ")");
    shape_env* env = detail::active_shape_env;
    if (!env) return value;
    expr u = env->create_unbacked(why, true);
    if (min > 0) env->facts().try_add_fact(ge(u, expr(min)));
    if (max) env->facts().try_add_fact(le(u, expr(*max)));
    return sym_int(value, u);
}

} // namespace symshape
