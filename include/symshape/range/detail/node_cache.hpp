// symshape/range/detail/node_cache.hpp — the fact store's caches: an open-addressing map from
// nodes to analyses that clears in O(1), and a walk over the distinct nodes of an expression.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "symshape/expr/node.hpp"

namespace symshape::detail {
/// A generation no cache has had before in this process (from 1; 0 is a new array's).
inline std::uint64_t cache_generation() noexcept {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}

/// Table arrays of dropped caches, kept per thread for the next cache that grows to the same
/// size. A fresh fact store's caches grow by doubling to a few MiB; without the pool each store
/// asks the C library for that memory anew, and glibc, which returns freed memory at the top of
/// the heap to the system, makes every page of it a page fault again (on the benchmark corpus,
/// a third of a bound's time). At most `cap_bytes` are kept per array type and thread; what is
/// over is freed. A reused table keeps its old slots: they carry generations of their old
/// owner, and generations are never handed out twice in a process (cache_generation()), so
/// none of them is live for the new owner. Arrays: constructible from a size, with size(),
/// bytes() and empty().
template <class Arrays>
class slot_pool {
public:
    static constexpr std::size_t cap_bytes = std::size_t(16) << 20;
    /// Arrays of size n, none of their slots of the generation of a cache alive.
    static Arrays take(std::size_t n) {
        if (slot_pool* p = local())
            for (std::size_t i = 0; i < p->free_.size(); ++i)
                if (p->free_[i].size() == n) {
                    Arrays v = std::move(p->free_[i]);
                    std::swap(p->free_[i], p->free_.back());
                    p->free_.pop_back();
                    p->bytes_ -= v.bytes();
                    return v;
                }
        return Arrays(n);
    }
    /// Keeps v for a later take() while the thread's pool has room; frees it otherwise.
    static void give(Arrays&& v) noexcept {
        slot_pool* p = local();
        const std::size_t b = v.bytes();
        if (!p || v.empty() || p->bytes_ + b > cap_bytes || p->free_.size() >= 32) return;
        try {
            p->free_.push_back(std::move(v));
            p->bytes_ += b;
        } catch (...) { // no room for the entry: v is freed with the caller's
        }
    }
    ~slot_pool() { dead() = true; }

private:
    // The thread's pool, or nullptr once it is destroyed (a cache that outlives it, in a static
    // object, frees its memory itself).
    static slot_pool* local() noexcept {
        if (dead()) return nullptr;
        thread_local slot_pool pool;
        return &pool;
    }
    static bool& dead() noexcept {
        thread_local bool d = false;
        return d;
    }
    std::vector<Arrays> free_;
    std::size_t bytes_ = 0;
};

/// An open-addressing map from node pointers to cached analyses. clear() is O(1) (a generation
/// counter), so a cache that is dropped at every store version costs no frees or rehashes, and
/// inserting allocates only when the table grows. The table holds keys only (24 bytes a slot),
/// the entries live in a dense array in insertion order: probing reads few cache lines, an
/// insert writes next to the last one, and growing rehashes the keys and moves the entries over
/// in one sequential pass (a fresh store's caches hold tens of thousands of analyses, more than
/// a core's L2 cache). Values are returned by value or by a pointer valid until the next insert: the
/// arrays move when they grow.
template <class Key, class Value>
class node_cache {
public:
    node_cache() : a_(pool::take(64)) {}
    ~node_cache() { pool::give(std::move(a_)); }
    // Every cache has a generation of its own: a copy relabels its live slots, and a moved-from
    // cache (no slots) takes a new one, so that no array that returns to the pool can hold live
    // slots of a cache still in use.
    node_cache(const node_cache& o) : a_(o.a_), count_(o.count_) {
        for (slot& s : a_.slots)
            if (s.gen == o.gen_) s.gen = gen_;
    }
    node_cache& operator=(const node_cache& o) {
        if (this != &o) *this = node_cache(o);
        return *this;
    }
    node_cache(node_cache&& o) noexcept : a_(std::move(o.a_)), gen_(o.gen_), count_(o.count_) { o.forget(); }
    node_cache& operator=(node_cache&& o) noexcept {
        if (this == &o) return *this;
        pool::give(std::move(a_));
        a_ = std::move(o.a_);
        gen_ = o.gen_;
        count_ = o.count_;
        o.forget();
        return *this;
    }
    const Value* find(Key k) const noexcept {
        if (a_.slots.empty()) return nullptr; // moved from
        const std::size_t mask = a_.slots.size() - 1;
        for (std::size_t i = slot_of(k) & mask;; i = (i + 1) & mask) {
            const slot& s = a_.slots[i];
            if (s.gen != gen_) return nullptr;
            if (s.key == k) return &a_.entries[s.index].value;
        }
    }
    void insert(Key k, const Value& v) {
        if ((count_ + 1) * 2 > a_.slots.size()) grow(); // (also when moved from: no slots)
        const std::size_t mask = a_.slots.size() - 1;
        std::size_t i = slot_of(k) & mask;
        for (; a_.slots[i].gen == gen_; i = (i + 1) & mask)
            if (a_.slots[i].key == k) {
                a_.entries[a_.slots[i].index].value = v;
                return;
            }
        a_.entries[count_] = {k, v};
        a_.slots[i] = {k, gen_, static_cast<std::uint32_t>(count_)};
        ++count_;
    }
    void clear() noexcept {
        gen_ = cache_generation();
        count_ = 0;
    }
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t i = 0; i < count_; ++i) f(a_.entries[i].key, a_.entries[i].value);
    }
    /// Keeps only the entries for which keep(key, value) is true.
    /// (Should keep throw, the cache is left empty: the entries are half compacted by then.)
    template <class F>
    void retain(F&& keep) {
        std::size_t kept = 0;
        try {
            for (std::size_t i = 0; i < count_; ++i)
                if (keep(a_.entries[i].key, a_.entries[i].value)) {
                    if (kept != i) a_.entries[kept] = std::move(a_.entries[i]); // (a move cannot throw midway)
                    ++kept;
                }
        } catch (...) {
            clear();
            throw;
        }
        reindex(kept);
    }
    void swap(node_cache& o) noexcept {
        std::swap(a_, o.a_);
        std::swap(gen_, o.gen_);
        std::swap(count_, o.count_);
    }

private:
    struct slot {
        Key key{};
        std::uint64_t gen = 0;
        std::uint32_t index = 0; // into entries
    };
    struct entry {
        Key key{};
        Value value{};
    };
    // The table of n slots and a place for each entry it may hold (it stays at most half full),
    // pooled together.
    struct arrays {
        std::vector<slot> slots;
        std::vector<entry> entries; // [0, count_) live, in insertion order
        arrays() = default;
        explicit arrays(std::size_t n) : slots(n), entries(n / 2) {}
        std::size_t size() const noexcept { return slots.size(); }
        bool empty() const noexcept { return slots.empty(); }
        std::size_t bytes() const noexcept { return slots.size() * sizeof(slot) + entries.size() * sizeof(entry); }
    };
    using pool = slot_pool<arrays>;
    static std::size_t slot_of(Key k) noexcept {
        auto x = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(k));
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ULL;
        return static_cast<std::size_t>(x ^ (x >> 32));
    }
    // After a move: no arrays, a generation of its own.
    void forget() noexcept {
        a_.slots.clear();
        a_.entries.clear();
        gen_ = cache_generation();
        count_ = 0;
    }
    // The table rebuilt for entries [0, n), in a new generation.
    void reindex(std::size_t n) noexcept {
        gen_ = cache_generation();
        count_ = n;
        const std::size_t mask = a_.slots.size() - 1;
        for (std::size_t e = 0; e < n; ++e) {
            std::size_t i = slot_of(a_.entries[e].key) & mask;
            while (a_.slots[i].gen == gen_) i = (i + 1) & mask;
            a_.slots[i] = {a_.entries[e].key, gen_, static_cast<std::uint32_t>(e)};
        }
    }
    // Twice the size; the entries moved over (a bad_alloc in take() leaves the cache as it was;
    // the moves cannot throw).
    void grow() {
        arrays more = pool::take(std::max<std::size_t>(64, a_.slots.size() * 2));
        std::move(a_.entries.begin(), a_.entries.begin() + static_cast<std::ptrdiff_t>(count_), more.entries.begin());
        pool::give(std::move(a_));
        a_ = std::move(more);
        reindex(count_);
    }
    arrays a_;
    std::uint64_t gen_ = cache_generation(); // this cache's live slots have it
    std::size_t count_ = 0;
};

/// Calls f(m) for the nodes m of the DAG under root, parents first: each node with arguments
/// once (at most `cap` of them; beyond, the walk stops), each leaf wherever it occurs. f returns
/// whether to go on into m's arguments.
template <Integer I, class F>
void for_each_node(const node<I>* root, std::size_t cap, F&& f) {
    boost::container::small_vector<const node<I>*, 32> seen;
    auto go = [&](auto& self, const node<I>* n) -> void {
        if (!n->args().empty()) {
            if (seen.size() >= cap || std::find(seen.begin(), seen.end(), n) != seen.end()) return;
            seen.push_back(n);
        }
        if (!f(n)) return;
        for (const node<I>* a : n->args()) self(self, a);
    };
    go(go, root);
}

} // namespace symshape::detail
