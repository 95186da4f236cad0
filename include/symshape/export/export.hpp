// symshape/export/export.hpp — export_program (run a function or module once on example inputs
// while recording), exported_program (graph, signature, range constraints, checked re-runs) and
// the assume_constant_result escape hatch.
#pragma once

#include "symshape/config.hpp"

#include <concepts>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "symshape/export/module.hpp"
#include "symshape/graph.hpp"
#include "symshape/guard.hpp"

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

/// Name an optional input (`std::optional<tensor>`, ExportDB `optional_input`): a tensor becomes a
/// placeholder; std::nullopt none (run() then takes one tensor fewer), and the program receives
/// std::nullopt.
inline named_input<std::optional<tensor>> named(std::string name, std::optional<tensor> t) {
    return {std::move(name), std::move(t)};
}
/// Keyword-like inputs (Python's `**kwargs`): placeholders named by the keys alone, in key order;
/// passed to the program as the map.
inline named_input<std::map<std::string, tensor>> kwargs(std::map<std::string, tensor> ts) { return {std::string(), std::move(ts)}; }

/// A dynamic dimension: a name and an inclusive range [min, max]; either end may be open
/// (`dim::unbounded` as min). The default range is [0, inf]: sizes 0 and 1 are not specialised.
struct dim {
    static inline const extended<std::int64_t> unbounded = extended<std::int64_t>::neg_inf();
    /// How strictly the range is meant (PyTorch's Dim, Dim.AUTO, Dim.DYNAMIC).
    enum class hint : std::uint8_t {
        exact,   ///< the declared range must be honoured: a narrower need is a constraint_violation
        automatic, ///< dim::auto_(): export discovers the range; a specialisation is reported, not an error
        dynamic  ///< dim::dynamic(): like auto_, but a specialisation is a constraint_violation
    };
    std::string name;
    extended<std::int64_t> min = 0;
    extended<std::int64_t> max = extended<std::int64_t>::pos_inf();
    hint mode = hint::exact;

    explicit dim(std::string n, extended<std::int64_t> lo = 0,
                 extended<std::int64_t> hi = extended<std::int64_t>::pos_inf())
        : name(std::move(n)), min(lo), max(hi) {}
    /// A dimension that may be dynamic: export makes it a symbol and discovers its range. If the
    /// program needs a constant it is specialised (reported by exported_program::dim_outcomes(), not
    /// an error); a narrower range or an equality with another dim is adopted. Unnamed: the name is
    /// `<input>_dim<d>`.
    static dim auto_(std::string n = {}, extended<std::int64_t> lo = 0, extended<std::int64_t> hi = extended<std::int64_t>::pos_inf()) {
        dim d(std::move(n), lo, hi);
        d.mode = hint::automatic;
        return d;
    }
    /// Like auto_(), except that a specialisation is a constraint_violation.
    static dim dynamic(std::string n = {}, extended<std::int64_t> lo = 0, extended<std::int64_t> hi = extended<std::int64_t>::pos_inf()) {
        dim d(std::move(n), lo, hi);
        d.mode = hint::dynamic;
        return d;
    }
};

/// A dimension whose size is `mul * base + add` for a dim `base` (`2*d`, `d + 1`); a plain dim
/// converts to it with mul 1, add 0.
struct derived_dim {
    dim base;
    std::int64_t mul = 1;
    std::int64_t add = 0;
    derived_dim(const dim& d) : base(d) {} // NOLINT: implicit so a dim can be used where a derived dim is expected
    derived_dim(const dim& d, std::int64_t m, std::int64_t a) : base(d), mul(m), add(a) {}
};
inline derived_dim operator*(std::int64_t k, const derived_dim& d) {
    return {d.base, checked_mul(k, d.mul), checked_mul(k, d.add)};
}
inline derived_dim operator*(const derived_dim& d, std::int64_t k) { return k * d; }
inline derived_dim operator+(const derived_dim& d, std::int64_t k) { return {d.base, d.mul, checked_add(d.add, k)}; }
inline derived_dim operator-(const derived_dim& d, std::int64_t k) { return {d.base, d.mul, checked_sub(d.add, k)}; }

/// The dynamic dimensions of one input, by its name or by its position among the (flattened)
/// user inputs: dimension index (negative counts from the end) -> dim or derived dim.
struct input_dims {
    std::string input;
    int position = -1;
    std::map<int, derived_dim> dims;
    input_dims(std::string name, std::map<int, derived_dim> d) : input(std::move(name)), dims(std::move(d)) {}
    input_dims(int pos, std::map<int, derived_dim> d) : position(pos), dims(std::move(d)) {}
};
/// Which input dimensions are dynamic: `dynamic_shapes{{"x", {{0, batch}}}, {"y", {{0, 2 * batch}}}}`.
/// The same dim (by name) on two inputs means their sizes are equal.
using dynamic_shapes = std::vector<input_dims>;

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

namespace detail {
class export_session;
struct program_codec;
}

/// A program recorded by export_program: its graph, signature, range constraints (empty while
/// sizes are static) and the state (parameters, buffers, lifted constants) it runs with.
class exported_program {
public:
    /// The recorded graph.
    const symshape::graph& graph() const noexcept { return g_; }
    /// Inputs and outputs with their kinds.
    graph_signature signature() const;
    /// Range constraints of the symbols the program uses, as (symbol, `VR[lo, hi]`) pairs in
    /// creation order; empty for static shapes.
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
    /// The guards the program was exported under (predicates over the input symbols).
    const std::vector<guard>& guards() const noexcept { return guards_; }
    /// One dynamic dim of the program: its symbol, name and declared range.
    struct dim_info {
        expr symbol;
        std::string name;
        interval<std::int64_t> declared;
    };
    /// The program's dynamic dims (root symbols), in symbol order.
    std::vector<dim_info> dims() const;
    /// What each dim hinted dim::auto_() or dim::dynamic() became, one line each:
    /// `batch (x.size(0), auto): specialised to 3`, `... : equal to n`, `... : dynamic, [1, inf]`.
    const std::vector<std::string>& dim_outcomes() const noexcept { return dim_outcomes_; }
    /// The problems a draft_export found (empty for export_program, and for a clean draft).
    const std::vector<draft_problem>& draft_report() const noexcept { return draft_report_; }
    /// How many conditions check_inputs tests: ranks, static sizes, dim equalities, range ends, guards.
    std::size_t check_count() const noexcept;

private:
    friend class detail::export_session;
    friend struct detail::program_codec; // save / load (io/serialize.hpp)
    struct expected_input {
        std::string name;
        dtype dt;
        shape_vec sizes;
    };
    /// Input `input`'s dimension `d` is `mul * root + add` (root: an index into roots_).
    struct dim_binding {
        int input, d, root;
        std::int64_t mul, add;
    };
    struct root_symbol {
        expr sym;
        std::string dim_name;
        interval<std::int64_t> declared;
        int first_binding; ///< the binding whose size defines the symbol
    };
    /// Compiles check_text_ and checks_ from roots_ and guards_.
    void build_checks();
    /// Checks every input and binds the root symbols' values (values[i] is roots_[i]).
    void check_and_bind(const std::vector<tensor>& inputs, std::int64_t* values) const;
    [[noreturn]] void throw_input_mismatch(std::size_t k, const tensor& t) const;
    std::string binding_text(const dim_binding& b) const;

    symshape::graph g_;
    std::vector<std::pair<std::string, tensor>> state_;
    std::vector<expected_input> expected_;
    std::vector<std::pair<std::string, std::string>> ranges_;
    std::vector<dim_binding> bindings_;
    std::vector<root_symbol> roots_;
    std::vector<guard> guards_;
    std::vector<std::string> check_text_; ///< per compiled check: what it means
    std::vector<std::string> dim_outcomes_;
    std::vector<draft_problem> draft_report_;
    compiled_checks checks_;
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
    requires(!(std::same_as<std::remove_cvref_t<In>, dynamic_shapes> || ...))
exported_program export_program(Fn&& fn, In&&... inputs);

/// Like export_program(fn, inputs...), with dynamic dimensions: each gets a backed symbol
/// (`s0, s1, ...` in input order) whose example value is the example size and whose range is
/// exactly the dim's. Throws usage_error for a spec that names no input or a dimension out of
/// range, or examples that disagree with the spec (`2*d` given an odd size); constraint_violation
/// when the program needs a narrower range than declared (with suggested fixes);
/// data_dependent_error for decisions on values read from tensors.
template <class Fn, class... In>
exported_program export_program(Fn&& fn, const dynamic_shapes& shapes, In&&... inputs);

namespace detail {
// Input preparation and output collection for export_program (defined in the implementation).
tensor prepare_input(tracer& tr, const tensor& t, std::size_t k);
tensor prepare_input(tracer& tr, const named_input<tensor>& in, std::size_t);
std::vector<tensor> prepare_input(tracer& tr, const named_input<std::vector<tensor>>& in, std::size_t);
std::map<std::string, tensor> prepare_input(tracer& tr, const named_input<std::map<std::string, tensor>>& in, std::size_t);
std::optional<tensor> prepare_input(tracer& tr, const named_input<std::optional<tensor>>& in, std::size_t);
void collect_outputs(tracer& tr, const tensor& t);
void collect_outputs(tracer& tr, const sym_int& v);
void collect_outputs(tracer& tr, const std::vector<tensor>& ts);
void collect_outputs(tracer& tr, const std::map<std::string, tensor>& ts);
template <class I>
    requires std::integral<I>
void collect_outputs(tracer& tr, I v) { tr.add_output(sym_int(static_cast<std::int64_t>(v))); }
template <class... T> void collect_outputs(tracer& tr, const std::tuple<T...>& ts) {
    std::apply([&](const auto&... x) { (collect_outputs(tr, x), ...); }, ts);
}
template <class A, class B> void collect_outputs(tracer& tr, const std::pair<A, B>& p) {
    collect_outputs(tr, p.first);
    collect_outputs(tr, p.second);
}


class symbolizer;

/// One export in progress: the tracer, the shape environment (active on this thread while the
/// session lives) and the dynamic-shape spec. export_program's template part only runs the user's
/// callable between these calls; everything else is compiled once.
class export_session {
public:
    explicit export_session(const dynamic_shapes& shapes, bool draft = false);
    ~export_session();
    export_session(const export_session&) = delete;
    export_session& operator=(const export_session&) = delete;
    tracer& trace() noexcept;
    /// Registers a module's parameters and buffers as inputs.
    void add_module_state(const module& m);
    /// Throws usage_error when the program replaced a registered parameter or buffer of `m` (a
    /// new tensor assigned to it; in-place changes are buffer mutations and are fine).
    void check_module_state(const module& m) const;
    /// Throws usage_error for dynamic_shapes entries that matched no input.
    void inputs_done();
    /// Ends the trace and builds the program (range checks, compiled input checks).
    exported_program finish();

private:
    struct state;
    static void finish_symbolic(exported_program& ep, shape_env& env, const symbolizer& sym);
    std::unique_ptr<state> s_;
};

template <class Fn, class... In>
exported_program run_export(bool draft, Fn&& fn, const dynamic_shapes& shapes, In&&... inputs) {
    export_session session(shapes, draft);
    using F = std::remove_cvref_t<Fn>;
    if constexpr (std::derived_from<F, module>) session.add_module_state(fn);
    auto args = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::tuple{prepare_input(session.trace(), inputs, K)...};
    }(std::index_sequence_for<In...>{});
    session.inputs_done();
    auto invoke = [&](auto&... a) -> decltype(auto) {
        if constexpr (std::derived_from<F, module>) return fn.forward(a...);
        else return fn(a...);
    };
    if constexpr (std::is_void_v<decltype(std::apply(invoke, args))>) {
        std::apply(invoke, args);
        if constexpr (std::derived_from<F, module>) session.check_module_state(fn);
    } else {
        auto result = std::apply(invoke, args);
        if constexpr (std::derived_from<F, module>) session.check_module_state(fn);
        collect_outputs(session.trace(), result);
    }
    return session.finish();
}
} // namespace detail

template <class Fn, class... In>
    requires(!(std::same_as<std::remove_cvref_t<In>, dynamic_shapes> || ...))
exported_program export_program(Fn&& fn, In&&... inputs) {
    return detail::run_export(false, std::forward<Fn>(fn), dynamic_shapes{}, std::forward<In>(inputs)...);
}

template <class Fn, class... In>
exported_program export_program(Fn&& fn, const dynamic_shapes& shapes, In&&... inputs) {
    return detail::run_export(false, std::forward<Fn>(fn), shapes, std::forward<In>(inputs)...);
}

/// Like export_program(fn, shapes, inputs...), reporting every problem at once instead of failing
/// on the first (PyTorch's draft_export): constraint violations are collected with their fixes,
/// and data-dependent decisions are taken on the traced values and recorded as runtime
/// assertions (`check(u0 > 3)`, each also a problem with the check to paste). The program is
/// returned with draft_report(); a program whose report is not empty says so when printed. Errors
/// that are not about shapes (a bad spec, a shape_error of an op) are thrown as usual.
template <class Fn, class... In>
exported_program draft_export(Fn&& fn, const dynamic_shapes& shapes, In&&... inputs) {
    return detail::run_export(true, std::forward<Fn>(fn), shapes, std::forward<In>(inputs)...);
}

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

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/export/impl/export.hpp"
#endif
