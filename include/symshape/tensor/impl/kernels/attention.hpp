// symshape/tensor/impl/kernels/attention.hpp — scaled_dot_product_attention as one op:
// softmax(q k^T * scale + mask) v, with an optional boolean or additive mask or a causal mask.
// Part of the op table's internals (tensor/impl/kernels.hpp); not for direct inclusion.
#pragma once

#include "symshape/tensor/impl/kernels/linalg.hpp"

namespace symshape::detail {

// Arguments: q [..., L, E], k [..., S, E], v [..., S, Ev], attn_mask | None, dropout_p, is_causal,
// and optionally scale (default 1 / sqrt(E)). The leading dims of q, k and v must be equal.

inline bool rule_sdpa(const call& c, tensor_impl& out) {
    const tensor& q = c.in(0);
    const tensor& k = c.in(1);
    const tensor& v = c.in(2);
    require_floating(c.op, q, "the query");
    if (k.dtype() != q.dtype() || v.dtype() != q.dtype())
        throw_usage(c.op, std::string("query, key and value must have one dtype, got ") + short_name(q.dtype()) + ", " +
                              short_name(k.dtype()) + ", " + short_name(v.dtype()));
    if (q.dim() < 2 || k.dim() != q.dim() || v.dim() != q.dim())
        throw_usage(c.op, "query, key and value need the same number of dims (at least 2), got shapes " + to_string(q.sizes()) + ", " +
                              to_string(k.sizes()) + ", " + to_string(v.sizes()));
    const std::string shapes = "query " + to_string(q.sizes()) + ", key " + to_string(k.sizes()) + ", value " + to_string(v.sizes());
    const int n = q.dim();
    for (int d = 0; d < n - 2; ++d)
        if (k.impl().sizes[d] != q.impl().sizes[d] || v.impl().sizes[d] != q.impl().sizes[d])
            throw_shape(c.op, "query, key and value differ in batch dimension " + std::to_string(d), shapes);
    if (k.impl().sizes[n - 1] != q.impl().sizes[n - 1])
        throw_shape(c.op, "query and key must have the same embedding size (last dim)", shapes);
    if (v.impl().sizes[n - 2] != k.impl().sizes[n - 2])
        throw_shape(c.op, "key and value must have the same sequence length (dim -2)", shapes);
    if (c.has(4) && c.a[4].number().template as<double>() != 0.0)
        throw_usage(c.op, "dropout_p must be 0 (symshape runs inference; dropout is not supported)");
    const bool causal = c.has(5) && c.a[5].b;
    if (c.given(3)) {
        if (causal) throw_usage(c.op, "give either attn_mask or is_causal, not both");
        const tensor& m = c.in(3);
        if (m.dtype() != dtype::b8 && m.dtype() != q.dtype())
            throw_usage(c.op, std::string("attn_mask must be b8 or the query's dtype ") + short_name(q.dtype()) + ", got " + short_name(m.dtype()));
        shape_vec scores(q.sizes().begin(), q.sizes().end() - 1);
        scores.push_back(k.impl().sizes[n - 2]);
        const shape_vec b = broadcast_shapes(c.op, m.sizes(), scores);
        bool fits = b.size() == scores.size();
        for (int d = 0; fits && d < b.size(); ++d) fits = b[d] == scores[d];
        if (!fits)
            throw_shape(c.op, "attn_mask of shape " + to_string(m.sizes()) + " does not broadcast to the scores' shape " + to_string(scores), shapes);
    }
    out.dt = q.dtype();
    out.sizes = q.sizes();
    out.sizes[n - 1] = v.impl().sizes[n - 1];
    return false;
}

inline void kernel_sdpa(const call& c, tensor& out) {
    const int n = c.in(0).dim();
    tensor q = materialize(c.in(0), out.dtype()), k = materialize(c.in(1), out.dtype()), v = materialize(c.in(2), out.dtype());
    const std::int64_t L = q.impl().sizes[n - 2].unsafe_hint(), E = q.impl().sizes[n - 1].unsafe_hint(), S = k.impl().sizes[n - 2].unsafe_hint(),
                       Ev = v.impl().sizes[n - 1].unsafe_hint();
    const std::int64_t B = numel_of(shape_vec(q.sizes().begin(), q.sizes().end() - 2));
    const bool causal = c.has(5) && c.a[5].b;
    // The mask, broadcast to [..., L, S] and made contiguous.
    tensor mask;
    if (c.given(3)) {
        shape_vec full(q.sizes().begin(), q.sizes().end() - 1);
        full.push_back(S);
        for (sym_int& s : full) s = s.unsafe_hint();
        const tensor& m = c.in(3);
        mask = materialize(restrided(m, full, broadcast_strides(m, full), m.impl().offset), m.dtype());
    }
    const double scale = c.has(6) ? c.a[6].number().template as<double>() : 1.0 / std::sqrt(static_cast<double>(E));
    dispatch_float(c.op, out.dtype(), [&]<class T>() {
        const T* pq = base_ptr<T>(q);
        const T* pk = base_ptr<T>(k);
        const T* pv = base_ptr<T>(v);
        T* po = base_ptr<T>(out);
        std::vector<T> scores(static_cast<std::size_t>(L * S));
        for (std::int64_t b = 0; b < B; ++b) {
            T* sc = scores.data();
            gemm_nt_best<T>(pq + b * L * E, pk + b * S * E, nullptr, sc, L, E, S);
            for (std::int64_t i = 0; i < L; ++i) {
                T* row = sc + i * S;
                const T ninf = -std::numeric_limits<T>::infinity();
                for (std::int64_t j = 0; j < S; ++j) {
                    T s = static_cast<T>(row[j] * scale);
                    // Causal: query i sees keys j <= i (the top-left aligned triangle, as in PyTorch).
                    if (causal && j > i) s = ninf;
                    if (mask.defined()) {
                        const std::int64_t at = (b * L + i) * S + j;
                        if (mask.dtype() == dtype::b8) {
                            if (!base_ptr<bool>(mask)[at]) s = ninf;
                        } else {
                            s += base_ptr<T>(mask)[at];
                        }
                    }
                    row[j] = s;
                }
                // Softmax of the row; a row with every key masked gives NaN, as in PyTorch.
                T mx = ninf;
                for (std::int64_t j = 0; j < S; ++j) mx = row[j] > mx ? row[j] : mx;
                double sum = 0;
                for (std::int64_t j = 0; j < S; ++j) {
                    const T e = mx == ninf ? std::numeric_limits<T>::quiet_NaN() : static_cast<T>(std::exp(row[j] - mx));
                    row[j] = e;
                    sum += static_cast<double>(e);
                }
                const T inv = static_cast<T>(1.0 / sum);
                for (std::int64_t j = 0; j < S; ++j) row[j] *= inv;
            }
            gemm_best<T>(sc, pv + b * S * Ev, po + b * L * Ev, L, S, Ev);
        }
    });
}

} // namespace symshape::detail
