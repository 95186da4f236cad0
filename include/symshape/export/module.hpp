// symshape/export/module.hpp — `module`, the base of programs with state: named parameters,
// buffers and sub-modules, which export lifts into the graph as PARAMETER / BUFFER inputs; and
// `module_list`, a list of sub-modules.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "symshape/tensor.hpp"

namespace symshape {

/// Base class of a stateful program. A derived class holds its tensors and sub-modules as
/// members, registers them in its constructor, and defines `forward(...)`. A module can be moved
/// (into a std::vector, out of a factory function): the registry records members by their place
/// in the object and follows them. Copying is disabled (it would share parameters silently).
class module {
public:
    module() = default;
    module(const module&) = delete;
    module& operator=(const module&) = delete;
    /// Moves the registry; the derived class's members move with their own move constructors.
    module(module&& o) noexcept { take(o); }
    module& operator=(module&& o) noexcept {
        if (this != &o) take(o);
        return *this;
    }

    /// Register member `t` as parameter `name` (printed `p_<name>`, target `<prefix>.<name>`).
    /// Throws usage_error for an empty or duplicate name or an undefined tensor.
    tensor& register_parameter(const std::string& name, tensor& t) { return add(params_, name, t, "parameter"); }
    /// Register member `t` as buffer `name` (printed `b_<name>`).
    tensor& register_buffer(const std::string& name, tensor& t) { return add(buffers_, name, t, "buffer"); }
    /// Register member `m` as a sub-module; its entries get the prefix `name.`.
    void register_module(const std::string& name, module& m) {
        check_name(name, "module");
        children_.push_back({name, offset_of(&m), nullptr});
        names_.insert(name);
    }

    /// All parameters with dotted names, this module's first, then each child's.
    std::vector<std::pair<std::string, tensor*>> named_parameters() const {
        std::vector<std::pair<std::string, tensor*>> r;
        collect(r, "", true);
        return r;
    }
    /// All buffers with dotted names.
    std::vector<std::pair<std::string, tensor*>> named_buffers() const {
        std::vector<std::pair<std::string, tensor*>> r;
        collect(r, "", false);
        return r;
    }

protected:
    /// Register a sub-module that is not a member but lives at a stable address owned by this
    /// module (module_list's elements).
    void register_owned_module(const std::string& name, module& m) {
        check_name(name, "module");
        children_.push_back({name, 0, &m});
        names_.insert(name);
    }

private:
    // A registered entry: a member at `offset` bytes from this module, or a stable pointer.
    template <class T> struct entry {
        std::string name;
        std::ptrdiff_t offset = 0;
        T* fixed = nullptr;
    };
    std::ptrdiff_t offset_of(const void* p) const noexcept {
        return reinterpret_cast<const char*>(p) - reinterpret_cast<const char*>(this);
    }
    template <class T> T* resolve(const entry<T>& e) const noexcept {
        if (e.fixed) return e.fixed;
        return reinterpret_cast<T*>(const_cast<char*>(reinterpret_cast<const char*>(this)) + e.offset);
    }
    void take(module& o) noexcept {
        params_ = std::move(o.params_);
        buffers_ = std::move(o.buffers_);
        children_ = std::move(o.children_);
        names_ = std::move(o.names_);
    }
    void check_name(const std::string& name, const char* what) const {
        if (name.empty() || name.find('.') != std::string::npos)
            throw usage_error(std::string("register_") + what + ": the name '" + name + "' must be non-empty and contain no '.'");
        if (names_.count(name))
            throw usage_error(std::string("register_") + what + ": the name '" + name + "' is already registered");
    }
    tensor& add(std::vector<entry<tensor>>& v, const std::string& name, tensor& t, const char* what) {
        check_name(name, what);
        if (!t.defined()) throw usage_error(std::string("register_") + what + ": '" + name + "' is an undefined tensor");
        v.push_back({name, offset_of(&t), nullptr});
        names_.insert(name);
        return t;
    }
    void collect(std::vector<std::pair<std::string, tensor*>>& out, const std::string& prefix, bool params) const {
        for (const entry<tensor>& e : params ? params_ : buffers_) out.emplace_back(prefix + e.name, resolve(e));
        for (const entry<module>& e : children_) resolve(e)->collect(out, prefix + e.name + ".", params);
    }

    std::vector<entry<tensor>> params_, buffers_;
    std::vector<entry<module>> children_;
    std::unordered_set<std::string> names_; // every name registered here (parameters, buffers, modules)
};

/// A list of sub-modules of type M, registered as `0`, `1`, ... (torch.nn.ModuleList): a stack of
/// layers without pointers. Elements keep their addresses as the list grows.
template <class M>
class module_list : public module {
public:
    module_list() = default;
    /// Construct an element in place from `args` and register it; returns it.
    template <class... Args> M& emplace_back(Args&&... args) {
        M& m = items_.emplace_back(std::forward<Args>(args)...);
        register_owned_module(std::to_string(items_.size() - 1), m);
        return m;
    }
    std::size_t size() const noexcept { return items_.size(); }
    M& operator[](std::size_t i) { return items_.at(i); }
    const M& operator[](std::size_t i) const { return items_.at(i); }
    auto begin() noexcept { return items_.begin(); }
    auto end() noexcept { return items_.end(); }
    auto begin() const noexcept { return items_.begin(); }
    auto end() const noexcept { return items_.end(); }

private:
    std::deque<M> items_;
};

} // namespace symshape
