// symshape/graph/control_flow.hpp — cond and map: control flow that an exported program keeps as
// higher-order ops (`torch.ops.higher_order.cond`, `map_impl`) whose branches are subgraphs, so one
// program serves both sides of a symbolic predicate without a guard.
#pragma once

#include "symshape/config.hpp"

#include <concepts>
#include <cstddef>
#include <functional>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "symshape/graph/graph.hpp"

namespace symshape {

/// The predicate of cond: a C++ bool, a sym_bool (a shape question), or a `b8[]` tensor (a
/// predicate on data).
class cond_predicate {
public:
    cond_predicate(bool b) : b_(b) {}                                           // NOLINT: implicit by design
    cond_predicate(const sym_bool& b) : kind_(kind::symbolic), b_(b.unsafe_hint()), sb_(b) {} // NOLINT
    cond_predicate(const tensor& t) : kind_(kind::tensor), t_(t) {}             // NOLINT

    enum class kind : std::uint8_t { constant, symbolic, tensor };
    kind which() const noexcept { return kind_; }
    const sym_bool& symbolic() const noexcept { return sb_; }
    const tensor& as_tensor() const noexcept { return t_; }
    bool constant() const noexcept { return b_; }

private:
    kind kind_ = kind::constant;
    bool b_ = false;
    sym_bool sb_{false};
    tensor t_;
};

namespace detail {
using hop_fn = std::function<std::vector<hop_value>(const std::vector<tensor>&)>;
/// cond's work once the branches are type-erased (see cond()).
std::vector<hop_value> run_cond(const cond_predicate& pred, const hop_fn& true_fn, const hop_fn& false_fn,
                                const std::vector<tensor>& operands);
/// map's work once the body is type-erased (see map()).
std::vector<hop_value> run_map(const hop_fn& body, const tensor& xs, const std::vector<tensor>& args);

template <class T> struct is_tuple_like : std::false_type {};
template <class... T> struct is_tuple_like<std::tuple<T...>> : std::true_type {};
template <class A, class B> struct is_tuple_like<std::pair<A, B>> : std::true_type {};

/// What a branch may return: a tensor, an integer (sym_int or a C++ integer), a list of tensors,
/// or a tuple / pair of those.
template <class R> constexpr bool branch_result_ok() {
    if constexpr (std::same_as<R, tensor> || std::same_as<R, sym_int> || std::integral<R> || std::same_as<R, std::vector<tensor>>)
        return true;
    else if constexpr (is_tuple_like<R>::value)
        return []<std::size_t... K>(std::index_sequence<K...>) {
            return (branch_result_ok<std::remove_cvref_t<std::tuple_element_t<K, R>>>() && ...);
        }(std::make_index_sequence<std::tuple_size_v<R>>{});
    else
        return false;
}

template <class R> void flatten(const R& r, std::vector<hop_value>& out) {
    if constexpr (std::same_as<R, tensor>) out.push_back({r, 0, true});
    else if constexpr (std::same_as<R, sym_int>) out.push_back({tensor(), r, false});
    else if constexpr (std::integral<R>) out.push_back({tensor(), sym_int(static_cast<std::int64_t>(r)), false});
    else if constexpr (std::same_as<R, std::vector<tensor>>)
        for (const tensor& t : r) out.push_back({t, 0, true});
    else std::apply([&](const auto&... x) { (flatten(x, out), ...); }, r);
}

/// What cond / map return for a branch result type R: R, with integers as sym_int.
template <class R> struct hop_result { using type = R; };
template <std::integral R> struct hop_result<R> { using type = sym_int; };
template <class... T> struct hop_result<std::tuple<T...>> { using type = std::tuple<typename hop_result<T>::type...>; };
template <class A, class B> struct hop_result<std::pair<A, B>> {
    using type = std::pair<typename hop_result<A>::type, typename hop_result<B>::type>;
};

/// Rebuilds a result of the shape of `like` from flattened values (read from position k on).
template <class R> typename hop_result<R>::type rebuild(const R& like, const std::vector<hop_value>& v, std::size_t& k) {
    if constexpr (std::same_as<R, tensor>) return v.at(k++).t;
    else if constexpr (std::same_as<R, sym_int> || std::integral<R>) return v.at(k++).i;
    else if constexpr (std::same_as<R, std::vector<tensor>>) {
        std::vector<tensor> r;
        for (std::size_t i = 0; i < like.size(); ++i) r.push_back(v.at(k++).t);
        return r;
    } else {
        return std::apply([&](const auto&... x) { return typename hop_result<R>::type{rebuild(x, v, k)...}; }, like);
    }
}

/// Wraps `fn` (called with as many tensors as Ops has) as a hop_fn; the last result is kept in
/// `shape` for rebuild().
template <class R, class Fn, std::size_t N> hop_fn erase(Fn& fn, std::optional<R>& shape, std::size_t first_args = 0) {
    return [&fn, &shape, first_args](const std::vector<tensor>& in) {
        std::vector<hop_value> out;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            shape.emplace(fn(in[first_args + K]...));
        }(std::make_index_sequence<N>{});
        flatten(*shape, out);
        return out;
    };
}
} // namespace detail

/// torch.cond: `cond(pred, true_fn, false_fn, operands...)` calls `true_fn(operands...)` or
/// `false_fn(operands...)`; both branches return the same type (a tensor, an integer, a vector of
/// tensors, or a tuple / pair of those), and cond returns that (integers as sym_int).
/// During export:
/// - a bool, or a sym_bool the ranges decide: only the taken branch runs, inlined, no guard;
/// - any other sym_bool, or a `b8[]` tensor: both branches are traced as subgraphs and one
///   `cond` node is recorded, no guard on the predicate. Facts a branch adds (its check()s) end
///   with it. With a sym_bool the branch's condition is assumed while it is traced, and guards it
///   records hold only when it is taken (`not pred or guard`); with a tensor predicate they hold
///   always. A check() in the branch the example does not take is recorded even if the example
///   fails it. Tensors a branch uses from outside become operands. The branches must return the
///   same number of results, of the same kinds and dtypes; tensor sizes must be provably equal
///   (shape_error naming both shapes otherwise). Integers that differ become a fresh unbacked `u`
///   whose range covers both. Both branches run eagerly on the example values while traced, so
///   an op that cannot run on them (an index out of range) fails the export.
/// Outside export the predicate's value picks the branch (interpret() without bound symbols takes
/// the example's branch of a sym_bool predicate).
template <class TrueFn, class FalseFn, class... Ops>
    requires(std::same_as<std::remove_cvref_t<Ops>, tensor> && ...)
auto cond(const cond_predicate& pred, TrueFn&& true_fn, FalseFn&& false_fn, const Ops&... operands) {
    using R = std::remove_cvref_t<std::invoke_result_t<TrueFn&, const Ops&...>>;
    using RF = std::remove_cvref_t<std::invoke_result_t<FalseFn&, const Ops&...>>;
    static_assert(std::same_as<R, RF>, "cond: both branches must return the same type");
    static_assert(detail::branch_result_ok<R>(),
                  "cond: a branch must return a tensor, an integer, a std::vector<tensor>, or a tuple / pair of those");
    std::optional<R> shape_t, shape_f;
    const std::vector<tensor> ops{operands...};
    std::vector<detail::hop_value> r = detail::run_cond(pred, detail::erase<R, TrueFn, sizeof...(Ops)>(true_fn, shape_t),
                                                        detail::erase<R, FalseFn, sizeof...(Ops)>(false_fn, shape_f), ops);
    std::size_t k = 0;
    return detail::rebuild(shape_t ? *shape_t : *shape_f, r, k);
}

/// torch.map (`map_impl`): `map(body, xs, args...)` calls `body(xs[i], args...)` for each row i of
/// `xs` (dimension 0) and stacks each result along a new dimension 0. The body returns a tensor, a
/// vector of tensors or a tuple / pair of tensors. During export the body is traced once, on row 0,
/// as the subgraph `body_graph_<k>`, and one `map_impl` node is recorded: the number of rows stays
/// symbolic (no guard on it). Export needs an example with at least one row (usage_error otherwise),
/// as does eager map; run() of the exported program maps 0 rows to empty results of the body's
/// shapes.
template <class Body, class... Args>
    requires(std::same_as<std::remove_cvref_t<Args>, tensor> && ...)
auto map(Body&& body, const tensor& xs, const Args&... args) {
    using R = std::remove_cvref_t<std::invoke_result_t<Body&, const tensor&, const Args&...>>;
    static_assert(detail::branch_result_ok<R>(), "map: the body must return a tensor, a std::vector<tensor>, or a tuple / pair of tensors");
    std::optional<R> shape;
    std::vector<detail::hop_value> r =
        detail::run_map(detail::erase<R, Body, 1 + sizeof...(Args)>(body, shape), xs, std::vector<tensor>{args...});
    std::size_t k = 0;
    return detail::rebuild(*shape, r, k);
}

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/graph/impl/control_flow.hpp"
#endif
