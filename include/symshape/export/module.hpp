// symshape/export/module.hpp — `module`, the base of programs with state: named parameters,
// buffers and sub-modules, which export lifts into the graph as PARAMETER / BUFFER inputs.
#pragma once

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "symshape/tensor.hpp"

namespace symshape {

/// Base class of a stateful program. A derived class holds its tensors as members, registers
/// them in its constructor, and defines `forward(...)`. Not copyable or movable: the registry
/// points at the members.
class module {
public:
    module() = default;
    module(const module&) = delete;
    module& operator=(const module&) = delete;

    /// Register member `t` as parameter `name` (printed `p_<name>`, target `<prefix>.<name>`).
    /// Throws usage_error for an empty or duplicate name or an undefined tensor.
    tensor& register_parameter(const std::string& name, tensor& t) { return add(params_, name, t, "parameter"); }
    /// Register member `t` as buffer `name` (printed `b_<name>`).
    tensor& register_buffer(const std::string& name, tensor& t) { return add(buffers_, name, t, "buffer"); }
    /// Register a sub-module; its entries get the prefix `name.`.
    void register_module(const std::string& name, module& m) {
        check_name(name, "module");
        children_.emplace_back(name, &m);
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

private:
    using entries = std::vector<std::pair<std::string, tensor*>>;
    void check_name(const std::string& name, const char* what) const {
        if (name.empty() || name.find('.') != std::string::npos)
            throw usage_error(std::string("register_") + what + ": the name '" + name + "' must be non-empty and contain no '.'");
        if (names_.count(name))
            throw usage_error(std::string("register_") + what + ": the name '" + name + "' is already registered");
    }
    tensor& add(entries& v, const std::string& name, tensor& t, const char* what) {
        check_name(name, what);
        if (!t.defined()) throw usage_error(std::string("register_") + what + ": '" + name + "' is an undefined tensor");
        v.emplace_back(name, &t);
        names_.insert(name);
        return t;
    }
    void collect(entries& out, const std::string& prefix, bool params) const {
        for (const auto& [n, t] : params ? params_ : buffers_) out.emplace_back(prefix + n, t);
        for (const auto& [n, m] : children_) m->collect(out, prefix + n + ".", params);
    }

    entries params_, buffers_;
    std::vector<std::pair<std::string, module*>> children_;
    std::unordered_set<std::string> names_; // every name registered here (parameters, buffers, modules)
};

} // namespace symshape
