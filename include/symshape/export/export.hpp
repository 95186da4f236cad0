// symshape/export/export.hpp — export_program (run a function or module once on example inputs
// while recording), exported_program (graph, signature, range constraints, checked re-runs) and
// the assume_constant_result escape hatch.
#pragma once

#include <concepts>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "symshape/export/module.hpp"
#include "symshape/graph.hpp"

namespace symshape {

/// An example input with the name its placeholder gets (`named("x", x)`). A list input
/// (`named("args", std::vector<tensor>{...})`) becomes placeholders `args_0`, `args_1`, ...
/// and is passed to the program as a std::vector<tensor>.
template <class T>
struct named_input {
    std::string name;
    T value;
};
/// Name a tensor input.
inline named_input<tensor> named(std::string name, tensor t) { return {std::move(name), std::move(t)}; }
/// Name a list input.
inline named_input<std::vector<tensor>> named(std::string name, std::vector<tensor> ts) {
    return {std::move(name), std::move(ts)};
}
/// Name a dictionary input: placeholders `<name>_<key>` in key order; passed to the program as the map.
inline named_input<std::map<std::string, tensor>> named(std::string name, std::map<std::string, tensor> ts) {
    return {std::move(name), std::move(ts)};
}

/// One entry of the graph signature's inputs.
struct input_spec {
    input_kind kind;
    std::string name;   ///< placeholder name
    std::string target; ///< parameter / buffer / constant name; empty for user inputs
};
/// One entry of the graph signature's outputs.
struct output_spec {
    output_kind kind;
    std::string name;   ///< value name (or the constant)
    std::string target; ///< mutated input or buffer
};
/// Inputs and outputs of an exported program, in graph order.
struct graph_signature {
    std::vector<input_spec> inputs;
    std::vector<output_spec> outputs;
};

/// A program recorded by export_program: its graph, signature, range constraints (empty while
/// sizes are static) and the state (parameters, buffers, lifted constants) it runs with.
class exported_program {
public:
    /// The recorded graph.
    const symshape::graph& graph() const noexcept { return g_; }
    /// Inputs and outputs with their kinds.
    graph_signature signature() const;
    /// Range constraints of the program's symbols as (symbol, text) pairs; empty for static shapes.
    const std::vector<std::pair<std::string, std::string>>& range_constraints() const noexcept { return ranges_; }
    /// Tensors bound to the non-user inputs, by placeholder name (parameters, buffers, constants).
    const std::vector<std::pair<std::string, tensor>>& state() const noexcept { return state_; }
    /// Names of the user inputs, in order.
    std::vector<std::string> user_input_names() const;

    /// Run the program on new user inputs (flattened, in order). Checks every input first: the
    /// count, that each is defined, its dtype, its rank and each static size; a mismatch throws
    /// input_error naming the input, the dimension, what was expected and what came. Returns the
    /// user outputs; in-place ops on inputs mutate them, as eager execution does.
    std::vector<tensor> run(const std::vector<tensor>& inputs) const;
    /// Only the input checks of run(); throws input_error.
    void check_inputs(const std::vector<tensor>& inputs) const;

private:
    template <class Fn, class... In> friend exported_program export_program(Fn&& fn, In&&... inputs);
    struct expected_input {
        std::string name;
        dtype dt;
        shape_vec sizes;
    };
    symshape::graph g_;
    std::vector<std::pair<std::string, tensor>> state_;
    std::vector<expected_input> expected_;
    std::vector<std::pair<std::string, std::string>> ranges_;
};

/// Run `fn` once on the example inputs while recording every op, and return the program.
/// `fn` is a callable or a `module` (whose `forward` is called; its parameters and buffers become
/// PARAMETER / BUFFER inputs named `p_<path>` / `b_<path>`). Each input is a tensor (named
/// `arg<k>`), or `named("x", t)`, or a list / dictionary `named("args", ...)`; run() takes the
/// flattened tensors in the same order. `fn` may return a
/// tensor, a sym_int or integer, a std::vector<tensor>, a std::map<std::string, tensor>, or a
/// tuple / pair of those; they become the user outputs in order.
/// Throws what the program throws (shape_error, usage_error, data_dependent_error from item()).
template <class Fn, class... In>
exported_program export_program(Fn&& fn, In&&... inputs);

/// The seed's escape hatch: wraps `fn` so that, during export, it runs eagerly on the example
/// values with recording paused, and its result is burned into the graph as a constant (no nodes
/// for its inputs). Outside export it is just `fn`.
/// RISK: the constant is not re-checked when the program runs on new inputs; if the real result
/// would differ (another `y` in `x[: get_item(y)]`), run() silently uses the example's value.
template <class Fn>
auto assume_constant_result(Fn fn) {
    return [fn = std::move(fn)](auto&&... args) -> decltype(auto) {
        tracer::pause paused;
        return fn(std::forward<decltype(args)>(args)...);
    };
}

// ---- implementation ----

namespace detail {
inline tensor prepare_input(tracer& tr, const tensor& t, std::size_t k) {
    tensor c = t;
    tr.add_input(c, "arg" + std::to_string(k), input_kind::user_input);
    return c;
}
inline tensor prepare_input(tracer& tr, const named_input<tensor>& in, std::size_t) {
    tensor c = in.value;
    tr.add_input(c, in.name, input_kind::user_input);
    return c;
}
inline std::vector<tensor> prepare_input(tracer& tr, const named_input<std::vector<tensor>>& in, std::size_t) {
    std::vector<tensor> r = in.value;
    for (std::size_t i = 0; i < r.size(); ++i) tr.add_input(r[i], in.name + "_" + std::to_string(i), input_kind::user_input);
    return r;
}
inline std::map<std::string, tensor> prepare_input(tracer& tr, const named_input<std::map<std::string, tensor>>& in,
                                                   std::size_t) {
    std::map<std::string, tensor> r = in.value;
    for (auto& [k, t] : r) tr.add_input(t, in.name + "_" + k, input_kind::user_input);
    return r;
}

inline void collect_outputs(tracer& tr, const tensor& t) { tr.add_output(t); }
inline void collect_outputs(tracer& tr, const sym_int& v) { tr.add_output(v); }
template <class I>
    requires std::integral<I>
void collect_outputs(tracer& tr, I v) { tr.add_output(sym_int(static_cast<std::int64_t>(v))); }
inline void collect_outputs(tracer& tr, const std::vector<tensor>& ts) {
    for (const tensor& t : ts) tr.add_output(t);
}
inline void collect_outputs(tracer& tr, const std::map<std::string, tensor>& ts) {
    for (const auto& [k, t] : ts) tr.add_output(t);
}
template <class... T> void collect_outputs(tracer& tr, const std::tuple<T...>& ts) {
    std::apply([&](const auto&... x) { (collect_outputs(tr, x), ...); }, ts);
}
template <class A, class B> void collect_outputs(tracer& tr, const std::pair<A, B>& p) {
    collect_outputs(tr, p.first);
    collect_outputs(tr, p.second);
}

inline void add_state(tracer& tr, const module& m, std::vector<std::pair<std::string, tensor>>& state) {
    auto flat = [](std::string s) {
        for (char& ch : s)
            if (ch == '.') ch = '_';
        return s;
    };
    for (const auto& [name, t] : m.named_parameters()) {
        int v = tr.add_input(*t, "p_" + flat(name), input_kind::parameter, name);
        state.emplace_back(tr.current().name_of(v), *t);
    }
    for (const auto& [name, t] : m.named_buffers()) {
        int v = tr.add_input(*t, "b_" + flat(name), input_kind::buffer, name);
        state.emplace_back(tr.current().name_of(v), *t);
    }
}
} // namespace detail

template <class Fn, class... In>
exported_program export_program(Fn&& fn, In&&... inputs) {
    exported_program ep;
    tracer tr;
    using F = std::remove_cvref_t<Fn>;
    if constexpr (std::derived_from<F, module>) detail::add_state(tr, fn, ep.state_);
    auto args = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::tuple{detail::prepare_input(tr, inputs, K)...};
    }(std::index_sequence_for<In...>{});
    auto invoke = [&](auto&... a) -> decltype(auto) {
        if constexpr (std::derived_from<F, module>) return fn.forward(a...);
        else return fn(a...);
    };
    if constexpr (std::is_void_v<decltype(std::apply(invoke, args))>) {
        std::apply(invoke, args);
    } else {
        auto result = std::apply(invoke, args);
        detail::collect_outputs(tr, result);
    }
    ep.g_ = tr.finish();
    for (const auto& c : tr.constants()) ep.state_.push_back(c);
    // Order the state as the graph's non-user inputs, and remember what each user input must be.
    std::vector<std::pair<std::string, tensor>> ordered;
    for (int v : ep.g_.inputs) {
        const graph_node& n = ep.g_.nodes[static_cast<std::size_t>(v)];
        if (n.input == input_kind::user_input) {
            ep.expected_.push_back({n.name, n.type.dt, n.type.sizes});
            continue;
        }
        for (const auto& s : ep.state_)
            if (s.first == n.name) ordered.push_back(s);
    }
    ep.state_ = std::move(ordered);
    return ep;
}

inline graph_signature exported_program::signature() const {
    graph_signature s;
    for (int v : g_.inputs) {
        const graph_node& n = g_.nodes[static_cast<std::size_t>(v)];
        s.inputs.push_back({n.input, n.name, n.target});
    }
    for (const output_ref& o : g_.outputs)
        s.outputs.push_back({o.kind, o.value >= 0 ? g_.name_of(o.value) : to_string(o.constant), o.target});
    return s;
}

inline std::vector<std::string> exported_program::user_input_names() const {
    std::vector<std::string> r;
    for (const expected_input& e : expected_) r.push_back(e.name);
    return r;
}

inline void exported_program::check_inputs(const std::vector<tensor>& inputs) const {
    if (inputs.size() != expected_.size()) {
        std::string names;
        for (const expected_input& e : expected_) names += (names.empty() ? "" : ", ") + e.name;
        throw input_error("expected " + std::to_string(expected_.size()) + " input" + (expected_.size() == 1 ? "" : "s") +
                          " but got " + std::to_string(inputs.size()) + "\n  the program's inputs are (" + names + ")");
    }
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const expected_input& e = expected_[k];
        const tensor& t = inputs[k];
        const std::string who = "input '" + e.name + "' (input " + std::to_string(k) + ")";
        if (!t.defined()) throw input_error(who + " is an undefined tensor");
        if (t.dtype() != e.dt)
            throw input_error(who + " has dtype " + short_name(t.dtype()) + " but the program was exported for " +
                              short_name(e.dt));
        if (t.dim() != e.sizes.size())
            throw input_error(who + " has " + std::to_string(t.dim()) + " dimensions but the program was exported for " +
                              std::to_string(e.sizes.size()) + "\n  expected shape " + to_string(e.sizes) + ", got " +
                              to_string(t.sizes()));
        for (int d = 0; d < t.dim(); ++d)
            if (t.impl().sizes[d].hint() != e.sizes[d].hint())
                throw input_error(who + " has size " + to_string(t.impl().sizes[d]) + " in dimension " + std::to_string(d) +
                                  " but the program was exported with the static size " + to_string(e.sizes[d]) +
                                  "\n  expected shape " + to_string(e.sizes) + ", got " + to_string(t.sizes()) +
                                  "\n  to accept other sizes, export with a dynamic dim for " + e.name + " dimension " +
                                  std::to_string(d));
    }
}

inline std::vector<tensor> exported_program::run(const std::vector<tensor>& inputs) const {
    check_inputs(inputs);
    std::vector<tensor> all;
    all.reserve(state_.size() + inputs.size());
    for (const auto& s : state_) all.push_back(s.second);
    for (const tensor& t : inputs) all.push_back(t);
    std::vector<tensor> outs = interpret(g_, all);
    std::vector<tensor> user;
    for (std::size_t i = 0; i < outs.size(); ++i)
        if (g_.outputs[i].kind == output_kind::user_output) user.push_back(std::move(outs[i]));
    return user;
}

} // namespace symshape
