// symshape/graph/impl/control_flow.hpp — the definitions behind symshape/graph/control_flow.hpp:
// compiled into libsymshape in compiled mode, included by that header in header-only mode. Not for
// direct inclusion.
#pragma once

#include "symshape/graph/control_flow.hpp"

namespace symshape {

namespace detail {
/// `f32[s0, 2]` or `Sym(u0)`.
SYMSHAPE_INLINE std::string hop_value_text(const hop_value& v) {
    return v.is_tensor ? to_string(value_type{true, v.t.dtype(), v.t.sizes(), 0}) : "Sym(" + to_string(v.i) + ")";
}
SYMSHAPE_INLINE std::string hop_values_text(const std::vector<hop_value>& vs) {
    std::string r = "(";
    for (std::size_t i = 0; i < vs.size(); ++i) r += (i ? ", " : "") + hop_value_text(vs[i]);
    return r + (vs.size() == 1 ? ",)" : ")");
}

/// True when a and b are equal for every input the facts allow.
SYMSHAPE_INLINE bool provably_equal(shape_env& env, const sym_int& a, const sym_int& b) {
    if (a.is_constant() && b.is_constant()) return a.unsafe_hint() == b.unsafe_hint();
    if (a.to_expr() == b.to_expr()) return true;
    return env.try_prove(eq(a.to_expr(), b.to_expr())) == true;
}

/// The placeholders of a subgraph for the parent's values `values` (named as in the parent), as
/// tensors the branch is called with.
SYMSHAPE_INLINE std::vector<tensor> subgraph_inputs(tracer& parent, tracer& sub, const std::vector<tensor>& ts,
                                                    const std::vector<int>& values) {
    std::vector<tensor> in;
    in.reserve(ts.size());
    for (std::size_t i = 0; i < ts.size(); ++i) {
        tensor c = ts[i];
        c.impl().tag = {};
        sub.add_input(c, parent.current().name_of(values[i]), input_kind::user_input);
        in.push_back(std::move(c));
    }
    return in;
}

SYMSHAPE_INLINE void subgraph_outputs(tracer& sub, const std::vector<hop_value>& r) {
    for (const hop_value& v : r) {
        if (v.is_tensor) sub.add_output(v.t);
        else sub.add_output(v.i);
    }
}

SYMSHAPE_INLINE bool read_bool(const tensor& t) {
    eager_scope eager;
    return t.item().as<std::int64_t>() != 0;
}

/// Checks that the two branches' results agree and returns the results of the cond node: the taken
/// branch's tensors, and integers that differ replaced by a fresh unbacked symbol.
SYMSHAPE_INLINE std::vector<hop_value> merge_branches(shape_env& env, const std::vector<hop_value>& rt,
                                                      const std::vector<hop_value>& rf, bool taken) {
    auto mismatch = [&](const std::string& what) {
        return shape_error("cond: the branches return different " + what + "\n    true branch:  " + hop_values_text(rt) +
                           "\n    false branch: " + hop_values_text(rf) +
                           "\n  both branches of cond must return the same number of results, with the same kinds, "
                           "dtypes and shapes");
    };
    if (rt.size() != rf.size())
        throw mismatch("numbers of results (" + std::to_string(rt.size()) + " and " + std::to_string(rf.size()) + ")");
    std::vector<hop_value> out;
    for (std::size_t i = 0; i < rt.size(); ++i) {
        const hop_value &a = rt[i], &b = rf[i];
        const std::string which = "result " + std::to_string(i);
        if (a.is_tensor != b.is_tensor) throw mismatch("kinds of " + which + " (a tensor and an integer)");
        if (a.is_tensor) {
            if (a.t.dtype() != b.t.dtype())
                throw mismatch("dtypes for " + which + " (" + short_name(a.t.dtype()) + " and " + short_name(b.t.dtype()) + ")");
            if (a.t.dim() != b.t.dim())
                throw mismatch("ranks for " + which + " (" + std::to_string(a.t.dim()) + " and " + std::to_string(b.t.dim()) + ")");
            for (int d = 0; d < a.t.dim(); ++d)
                if (!provably_equal(env, a.t.sizes()[d], b.t.sizes()[d]))
                    throw mismatch("shapes for " + which + ": dimension " + std::to_string(d) + " is " + to_string(a.t.sizes()[d]) +
                                   " in one and " + to_string(b.t.sizes()[d]) + " in the other, which the ranges do not prove equal");
            out.push_back(taken ? a : b);
            continue;
        }
        if (provably_equal(env, a.i, b.i)) {
            out.push_back(taken ? a : b);
            continue;
        }
        // Two different integers: a fresh unbacked value whose range covers both branches'.
        const interval<std::int64_t> ra = env.facts().bound(a.i.to_expr()), rb = env.facts().bound(b.i.to_expr());
        const expr u = env.create_unbacked("result " + std::to_string(i) + " of cond");
        env.facts().set_range(u, ra.lo < rb.lo ? ra.lo : rb.lo, ra.hi < rb.hi ? rb.hi : ra.hi);
        hop_value v;
        v.is_tensor = false;
        v.i = sym_int((taken ? a : b).i.unsafe_hint(), u);
        out.push_back(std::move(v));
    }
    return out;
}

/// The rows of map after the first, run eagerly, and every result stacked along dimension 0 with
/// the symbolic sizes of the traced row (`rows` is the number of rows, symbolic during export).
SYMSHAPE_INLINE std::vector<hop_value> stack_rows(const std::vector<std::vector<hop_value>>& per_row, const sym_int& rows) {
    std::vector<hop_value> out;
    const std::vector<hop_value>& first = per_row.front();
    for (std::size_t k = 0; k < first.size(); ++k) {
        if (!first[k].is_tensor) throw usage_error("map: the body returned an integer as result " + std::to_string(k) + "; a map body returns tensors");
        std::vector<tensor> parts;
        for (const auto& r : per_row) parts.push_back(r.at(k).t);
        tensor s;
        {
            eager_scope eager;
            s = stack(parts, 0);
        }
        s.impl().sizes[0] = rows;
        for (int d = 0; d < first[k].t.dim(); ++d) s.impl().sizes[d + 1] = first[k].t.sizes()[d];
        out.push_back({s, 0, true});
    }
    return out;
}

SYMSHAPE_INLINE tensor map_row(const tensor& xs, std::int64_t r) {
    eager_scope eager;
    tensor row = xs.select(0, r);
    row.impl().tag = {};
    return row;
}
} // namespace detail

SYMSHAPE_INLINE std::vector<detail::hop_value> detail::run_cond(const cond_predicate& pred, const hop_fn& true_fn,
                                                               const hop_fn& false_fn, const std::vector<tensor>& operands) {
    tracer* tr = tracer::active();
    shape_env* env = active_shape_env;
    std::optional<bool> known;
    switch (pred.which()) {
    case cond_predicate::kind::constant: known = pred.constant(); break;
    case cond_predicate::kind::symbolic: {
        const sym_bool& p = pred.symbolic();
        if (p.is_constant() || !tr || !env) known = p.unsafe_hint();
        else known = env->try_prove(p.to_expr()); // decided by the ranges: no guard, one branch
        break;
    }
    case cond_predicate::kind::tensor: {
        const tensor& t = pred.as_tensor();
        if (!t.defined() || t.dtype() != dtype::b8 || t.dim() != 0)
            throw usage_error("cond: a tensor predicate must be one bool (b8[]), got " +
                              (t.defined() ? to_string(value_type{true, t.dtype(), t.sizes(), 0}) : std::string("an undefined tensor")) +
                              "\n  compare it first, e.g. x.sum() > 0, or pass a sym_bool");
        if (!tr || !env) known = read_bool(t);
        break;
    }
    }
    for (std::size_t i = 0; i < operands.size(); ++i)
        if (!operands[i].defined()) throw usage_error("cond: operand " + std::to_string(i) + " is an undefined tensor");
    if (known) return (*known ? true_fn : false_fn)(operands);

    // Both branches become subgraphs; the node's results are the taken branch's (on the example).
    const bool symbolic = pred.which() == cond_predicate::kind::symbolic;
    const bool taken = symbolic ? pred.symbolic().unsafe_hint() : read_bool(pred.as_tensor());
    graph_node n;
    n.k = graph_node::kind::cond;
    if (symbolic) {
        n.args.push_back(tr->predicate_arg(pred.symbolic()));
    } else {
        node_arg a;
        a.kind = arg_kind::tensor;
        a.value = tr->value_of(pred.as_tensor());
        n.args.push_back(std::move(a));
    }
    std::vector<int> values;
    for (const tensor& t : operands) values.push_back(tr->value_of(t));
    const expr p = symbolic ? pred.symbolic().to_expr() : expr();
    std::vector<hop_value> rt, rf;
    std::vector<graph> subs(2);
    {
        tracer tt(*tr);
        std::vector<tensor> in = subgraph_inputs(*tr, tt, operands, values);
        {
            shape_env::branch_scope scope(*env, symbolic ? std::optional<expr>(p) : std::nullopt, taken);
            rt = true_fn(in);
        }
        subgraph_outputs(tt, rt);
        tt.suspend();
        tracer ft(*tr);
        in = subgraph_inputs(*tr, ft, operands, values);
        for (std::size_t i = 0; i < tt.captured().size(); ++i) ft.capture_value(tt.captured()[i], tt.captured_tensors()[i]); // same order
        {
            shape_env::branch_scope scope(*env, symbolic ? std::optional<expr>(logical_not(p)) : std::nullopt, !taken);
            rf = false_fn(in);
        }
        subgraph_outputs(ft, rf);
        subs[1] = ft.finish();
        for (std::size_t i = 0; i < ft.captured().size(); ++i) tt.capture_value(ft.captured()[i], ft.captured_tensors()[i]);
        const std::vector<int>& captured = tt.captured();
        values.insert(values.end(), captured.begin(), captured.end());
        subs[0] = tt.finish();
    }
    // Operands neither branch reads are dropped (`cond(pred, ..., [x + 1])` whose branches use
    // only the captured x passes `(x,)`), as torch.export does.
    const std::vector<char> read_t = read_values(subs[0]), read_f = read_values(subs[1]);
    std::vector<char> keep_op(values.size(), 1);
    std::vector<char> keep_t(subs[0].nodes.size(), 1), keep_f(subs[1].nodes.size(), 1);
    for (std::size_t k = 0; k < values.size(); ++k) {
        const auto pt = static_cast<std::size_t>(subs[0].inputs[k]), pf = static_cast<std::size_t>(subs[1].inputs[k]);
        if (read_t[pt] || read_f[pf]) continue;
        keep_op[k] = keep_t[pt] = keep_f[pf] = 0;
    }
    keep_nodes(subs[0], keep_t);
    keep_nodes(subs[1], keep_f);
    node_arg list;
    list.kind = arg_kind::tensors;
    for (std::size_t k = 0; k < values.size(); ++k)
        if (keep_op[k]) list.values.push_back(values[k]);
    n.args.push_back(std::move(list));
    std::vector<hop_value> result = merge_branches(*env, rt, rf, taken);
    tr->record_hop(std::move(n), std::move(subs), result);
    return result;
}

SYMSHAPE_INLINE std::vector<detail::hop_value> detail::run_map(const hop_fn& body, const tensor& xs, const std::vector<tensor>& args) {
    if (!xs.defined() || xs.dim() == 0)
        throw usage_error("map: xs must be a tensor with at least one dimension (the body runs on each row of dimension 0)");
    for (std::size_t i = 0; i < args.size(); ++i)
        if (!args[i].defined()) throw usage_error("map: argument " + std::to_string(i) + " is an undefined tensor");
    tracer* tr = tracer::active();
    const sym_int rows = xs.sizes()[0];
    if (rows.unsafe_hint() == 0)
        throw usage_error(std::string("map: xs has 0 rows, so the body's results are unknown") +
                          (tr ? "; export needs an example with at least one row to trace the body" : ""));
    auto inputs = [&](const tensor& row) {
        std::vector<tensor> in{row};
        in.insert(in.end(), args.begin(), args.end());
        return in;
    };
    std::vector<std::vector<hop_value>> per_row;
    if (!tr) {
        for (std::int64_t r = 0; r < rows.unsafe_hint(); ++r) per_row.push_back(body(inputs(map_row(xs, r))));
        return stack_rows(per_row, rows);
    }
    graph_node n;
    n.k = graph_node::kind::map;
    std::vector<int> values{tr->value_of(xs)};
    for (const tensor& t : args) values.push_back(tr->value_of(t));
    std::vector<graph> subs(1);
    {
        tracer bt(*tr);
        std::vector<tensor> in = subgraph_inputs(*tr, bt, inputs(map_row(xs, 0)), values);
        {
            // (the body's assertions run only with it: their facts end with the trace)
            shape_env::branch_scope scope(*active_shape_env, std::nullopt, true);
            per_row.push_back(body(in));
        }
        for (const hop_value& v : per_row.back())
            if (!v.is_tensor) throw usage_error("map: the body returned an integer; a map body returns tensors");
        subgraph_outputs(bt, per_row.back());
        const std::vector<int>& captured = bt.captured();
        values.insert(values.end(), captured.begin(), captured.end());
        subs[0] = bt.finish();
    }
    {
        eager_scope eager; // the other rows: example values only
        for (std::int64_t r = 1; r < rows.unsafe_hint(); ++r) per_row.push_back(body(inputs(map_row(xs, r))));
    }
    node_arg mapped, rest;
    mapped.kind = rest.kind = arg_kind::tensors;
    mapped.values = {values.front()};
    rest.values.assign(values.begin() + 1, values.end());
    n.args = {std::move(mapped), std::move(rest)};
    std::vector<hop_value> result = stack_rows(per_row, rows);
    tr->record_hop(std::move(n), std::move(subs), result);
    return result;
}

} // namespace symshape
