// symshape/expr/eval.hpp — exact evaluation of expressions at a point (valuation), symbol
// collection, and substitution of symbols by expressions (re-canonicalised on the way up).
#pragma once

#include "symshape/config.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "symshape/expr/print.hpp"

namespace symshape {

/// An assignment of integer values to symbols.
template <Integer I>
class valuation {
public:
    /// Sets the value of symbol `s`. Throws usage_error if `s` is not a symbol.
    void set(const basic_expr<I>& s, const I& v) {
        if (!s.is_symbol()) throw usage_error("valuation::set needs a symbol, got '" + to_string(s) + "'");
        std::size_t i = s.node()->symbol_index;
        if (values_.size() <= i) values_.resize(i + 1);
        values_[i] = v;
    }
    void set(const std::string& name, const I& v) { set(basic_expr<I>::symbol(name), v); }
    /// The value of the symbol node `n`, or nullptr if unset.
    const I* find(const detail::node<I>* n) const {
        std::size_t i = n->symbol_index;
        return i < values_.size() && values_[i] ? &*values_[i] : nullptr;
    }
    void clear() { values_.clear(); }

private:
    std::vector<std::optional<I>> values_;
};

/// The integer value of `e` at `v`. Throws usage_error (unset symbol or boolean `e`),
/// division_by_zero (naming the divisor), overflow_error (int64 only).
template <Integer I>
I evaluate(const basic_expr<I>& e, const valuation<I>& v);

/// The truth value of boolean `e` at `v`. Throws like evaluate.
template <Integer I>
bool evaluate_bool(const basic_expr<I>& e, const valuation<I>& v);

/// The symbols occurring in `e`, sorted by name (natural order).
template <Integer I>
std::vector<basic_expr<I>> symbols_of(const basic_expr<I>& e);

/// `e` with each symbol in `map` replaced (simultaneously) by its image.
template <Integer I>
basic_expr<I> substitute(const basic_expr<I>& e,
                         const std::unordered_map<basic_expr<I>, basic_expr<I>, expr_hash>& map);

} // namespace symshape

#if SYMSHAPE_HEADER_ONLY
#include "symshape/expr/impl/eval.hpp"
#endif
