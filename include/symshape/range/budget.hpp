// symshape/range/budget.hpp — solver_budget: every knob that bounds the work of one bound() or
// prove() call, documented once. Running out of a budget keeps answers sound, only looser.
#pragma once

#include <cstddef>
#include <cstdint>

namespace symshape {

/// Budgets that keep the worst case fast; when one runs out, answers stay sound, only looser.
struct solver_budget {
    /// Largest number of points enumerated exhaustively for a bound or proof on a small box.
    std::uint64_t enumerate_points = 256;
    /// Largest number of disjunctions/conjunctions split by case analysis in one prove().
    int case_splits = 8;
    /// Largest number of variables (atoms) in one relational (Fourier–Motzkin) bound; 0 turns
    /// relational bounds off.
    std::size_t relational_vars = 8;
    /// Largest number of constraints kept while eliminating; beyond it the sparsest are kept.
    std::size_t relational_rows = 48;
    /// Largest number of min/max atoms split into their cases in one relational bound.
    std::size_t relational_splits = 2;
    /// Whether a product of two factors (or a square) joins a relational bound with its
    /// McCormick envelope (four planes through the corners of the factors' box), which links it
    /// to its factors, instead of as an opaque variable. Off by default: on the benchmark corpus
    /// it makes 11 more bounds exact for about twice the time of a bound.
    bool relational_products = false;
    /// A bound not shown exact is retried at each value of its symbol with the fewest values
    /// when that symbol has fewer than this many; 0 turns it off.
    std::uint64_t split_values = 16;
    /// Largest number of sub-boxes of the symbols' box analysed in one proof that the other
    /// stages left open (branch and bound: halve the widest symbol of an undecided box until
    /// every box decides alike; after the first halving it stops, unknown, once the open boxes
    /// would take more than the budget left at four analyses each); 0 turns it off.
    std::size_t box_splits = 32;
    /// The same for a bound not shown exact (half for each end). Off by default: on the
    /// benchmark corpus it makes few more bounds exact for much of the time of a bound.
    std::size_t bound_box_splits = 0;
    /// Whether bound() fixes the symbols along which an expression never falls (or never
    /// rises) at the end of their range where its extreme lies, and bounds each end again over
    /// the symbols left (while the facts are a plain box).
    bool monotone = true;
    /// ... only when at most this many symbols are left free (each end is then a search in
    /// fewer dimensions; on the benchmark corpus more costs much time for few exact bounds).
    std::size_t monotone_free = 2;
    /// The box search budget (as bound_box_splits) of each end bounded again over the symbols
    /// left free (in so few dimensions halving converges fast); 0 = as bound_box_splits.
    std::size_t monotone_box_splits = 32;
    /// A bound not shown exact is bounded again with a symbol x that occurs as `x % c` or
    /// `x // c` (c >= 2 a constant) written as c*q + r: in at most three boxes on (q, r) that
    /// together are x's range exactly (its first partial period, the whole periods, its last
    /// partial period), where `x % c` takes the value r and `x // c` the value q (while the
    /// facts are a plain box).
    /// At most this many such (x, c) per bound; 0 turns it off.
    std::size_t residue_splits = 1;
    /// Whether each of those pieces goes through the whole search (witnesses, value splits,
    /// monotone symbols, Fourier–Motzkin, ...) rather than the per-node analysis alone. Off by
    /// default: on the benchmark corpus it makes 11 more bounds exact for about 1.7 times the
    /// instructions of a bound.
    bool residue_search = false;
    /// Points sampled (fixed seed) when looking for points that attain a bound's ends or show a
    /// relation both true and false, before the coordinate search.
    std::size_t witness_samples = 8;
    /// Largest number of evaluations in one such search.
    std::size_t witness_evals = 48;

    bool operator==(const solver_budget&) const = default;
};

} // namespace symshape
