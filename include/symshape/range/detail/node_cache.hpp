// symshape/range/detail/node_cache.hpp — the fact store's caches: an open-addressing map from
// nodes to analyses that clears in O(1), and a walk over the distinct nodes of an expression.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "symshape/expr/node.hpp"

namespace symshape::detail {
/// An open-addressing map from node pointers to cached analyses. clear() is O(1) (a generation
/// counter), so a cache that is dropped at every store version costs no frees or rehashes, and
/// inserting allocates only when the table grows. Values are returned by value: the table moves.
template <class Key, class Value>
class node_cache {
public:
    node_cache() : slots_(64) {}
    const Value* find(Key k) const noexcept {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = slot_of(k) & mask;; i = (i + 1) & mask) {
            const slot& s = slots_[i];
            if (s.gen != gen_) return nullptr;
            if (s.key == k) return &s.value;
        }
    }
    void insert(Key k, const Value& v) {
        if ((count_ + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = slot_of(k) & mask;
        for (; slots_[i].gen == gen_; i = (i + 1) & mask)
            if (slots_[i].key == k) {
                slots_[i].value = v;
                return;
            }
        slots_[i].key = k;
        slots_[i].value = v;
        slots_[i].gen = gen_;
        ++count_;
    }
    void clear() noexcept {
        ++gen_;
        count_ = 0;
    }
    template <class F>
    void for_each(F&& f) const {
        for (const slot& s : slots_)
            if (s.gen == gen_) f(s.key, s.value);
    }
    /// Keeps only the entries for which keep(key, value) is true.
    template <class F>
    void retain(F&& keep) {
        boost::container::small_vector<std::pair<Key, Value>, 64> kept;
        for (const slot& s : slots_)
            if (s.gen == gen_ && keep(s.key, s.value)) kept.emplace_back(s.key, s.value);
        clear();
        for (const auto& [k, v] : kept) insert(k, v);
    }
    void swap(node_cache& o) noexcept {
        slots_.swap(o.slots_);
        std::swap(gen_, o.gen_);
        std::swap(count_, o.count_);
    }

private:
    struct slot {
        Key key{};
        std::uint64_t gen = 0;
        Value value{};
    };
    static std::size_t slot_of(Key k) noexcept {
        auto x = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(k));
        x ^= x >> 29;
        x *= 0xbf58476d1ce4e5b9ULL;
        return static_cast<std::size_t>(x ^ (x >> 32));
    }
    void grow() {
        std::vector<slot> old(slots_.size() * 2);
        old.swap(slots_);
        const std::uint64_t g = gen_;
        count_ = 0;
        for (slot& s : old)
            if (s.gen == g) insert(s.key, s.value);
    }
    std::vector<slot> slots_;
    std::uint64_t gen_ = 1;
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
