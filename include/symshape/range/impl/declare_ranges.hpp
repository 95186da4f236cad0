// symshape/range/impl/declare_ranges.hpp — the definitions behind symshape/range/declare_ranges.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/range/declare_ranges.hpp"

namespace symshape {

namespace detail {
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}
} // namespace detail

template <Integer I>
void declare_ranges(std::string_view spec, fact_store<I>& fs) {
    std::size_t i = 0;
    auto fail = [&](const std::string& msg) { throw parse_error("in range spec: " + msg, 1, static_cast<int>(i) + 1); };
    auto skip_ws = [&] { while (i < spec.size() && (spec[i] == ' ' || spec[i] == '\t')) ++i; };
    auto read_end = [&](char stop) -> extended<I> {
        skip_ws();
        std::size_t start = i;
        while (i < spec.size() && spec[i] != stop && spec[i] != ' ') ++i;
        std::string t(spec.substr(start, i - start));
        skip_ws();
        if (t == "inf" || t == "+inf" || t == "oo") return extended<I>::pos_inf();
        if (t == "-inf" || t == "-oo") return extended<I>::neg_inf();
        extended<I> v;
        bool ok = true;
        try {
            v = extended<I>(parse_integer<I>(t));
        } catch (const error&) {
            ok = false;
        }
        if (!ok) {
            i = start;
            fail("expected an integer, 'inf' or '-inf', got '" + t + "'");
        }
        return v;
    };
    skip_ws();
    if (detail::trim(spec) == "-" || detail::trim(spec).empty()) return;
    while (i < spec.size()) {
        skip_ws();
        if (i >= spec.size()) break;
        std::size_t start = i;
        while (i < spec.size() && spec[i] != ':' && spec[i] != ' ') ++i;
        std::string name(spec.substr(start, i - start));
        if (name.empty()) fail("expected a symbol name");
        if (i >= spec.size() || spec[i] != ':') fail("expected ':' after '" + name + "'");
        ++i;
        if (i >= spec.size() || spec[i] != '[') fail("expected '[' after '" + name + ":'");
        ++i;
        extended<I> lo = read_end(',');
        if (i >= spec.size() || spec[i] != ',') fail("expected ',' between the ends of " + name + "'s range");
        ++i;
        extended<I> hi = read_end(']');
        if (i >= spec.size() || spec[i] != ']') fail("expected ']' closing " + name + "'s range");
        ++i;
        if (lo.is_pos_inf() || hi.is_neg_inf() || lo > hi) fail("the range of " + name + " is empty");
        fs.set_range(basic_expr<I>::symbol(name), lo, hi);
    }
}

} // namespace symshape
