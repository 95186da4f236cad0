// symshape/expr/impl/parse.hpp — the definitions behind symshape/expr/parse.hpp: compiled into
// libsymshape in compiled mode, included by that header in header-only mode. Not for direct
// inclusion.
#pragma once

#include "symshape/expr/parse.hpp"

namespace symshape {

namespace detail {

class syntax_parser {
public:
    explicit syntax_parser(std::string_view text) : s_(text) {}

    syntax_tree parse_all() {
        next();
        syntax_tree e = parse_or();
        if (tok_ != tok::end) fail("unexpected '" + std::string(text_) + "' after the end of the expression");
        return e;
    }

private:
    enum class tok { end, integer, ident, plus, minus, star, slash2, percent, lparen, rparen, comma, lt, le, gt, ge, eq, ne };
    using op = syntax_tree::op;

    [[noreturn]] void fail(const std::string& msg) const { throw parse_error(msg, tok_line_, tok_col_); }

    void next() {
        while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) advance(1);
        tok_line_ = line_;
        tok_col_ = col_;
        std::size_t start = pos_;
        if (pos_ >= s_.size()) {
            tok_ = tok::end;
            text_ = "end of input";
            return;
        }
        char c = s_[pos_];
        auto two = [&](char d) { return pos_ + 1 < s_.size() && s_[pos_ + 1] == d; };
        if (std::isdigit(static_cast<unsigned char>(c))) {
            while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) advance(1);
            tok_ = tok::integer;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) advance(1);
            tok_ = tok::ident;
        } else if (c == '/' && two('/')) { advance(2); tok_ = tok::slash2; }
        else if (c == '<' && two('=')) { advance(2); tok_ = tok::le; }
        else if (c == '>' && two('=')) { advance(2); tok_ = tok::ge; }
        else if (c == '=' && two('=')) { advance(2); tok_ = tok::eq; }
        else if (c == '!' && two('=')) { advance(2); tok_ = tok::ne; }
        else {
            switch (c) {
            case '+': tok_ = tok::plus; break;
            case '-': tok_ = tok::minus; break;
            case '*': tok_ = tok::star; break;
            case '%': tok_ = tok::percent; break;
            case '(': tok_ = tok::lparen; break;
            case ')': tok_ = tok::rparen; break;
            case ',': tok_ = tok::comma; break;
            case '<': tok_ = tok::lt; break;
            case '>': tok_ = tok::gt; break;
            case '/': fail("'/' is not an operator here: use '//' for floor division");
            default: fail(std::string("unexpected character '") + c + "'");
            }
            advance(1);
        }
        text_ = s_.substr(start, pos_ - start);
    }

    void advance(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i, ++pos_) {
            if (s_[pos_] == '\n') { ++line_; col_ = 1; }
            else ++col_;
        }
    }

    void expect(tok t, const char* what) {
        if (tok_ != t) fail(std::string("expected ") + what + ", got '" + std::string(text_) + "'");
        next();
    }

    bool is_word(const char* w) const { return tok_ == tok::ident && text_ == w; }

    syntax_tree node(op k, int line, int col, std::vector<syntax_tree> kids = {}, std::string text = {}) {
        syntax_tree t;
        t.kind = k;
        t.kids = std::move(kids);
        t.text = std::move(text);
        t.line = line;
        t.column = col;
        return t;
    }

    syntax_tree parse_or() {
        syntax_tree e = parse_and();
        while (is_word("or")) {
            int l = tok_line_, c = tok_col_;
            next();
            syntax_tree r = parse_and();
            e = node(op::or_, l, c, {std::move(e), std::move(r)});
        }
        return e;
    }
    syntax_tree parse_and() {
        syntax_tree e = parse_not();
        while (is_word("and")) {
            int l = tok_line_, c = tok_col_;
            next();
            syntax_tree r = parse_not();
            e = node(op::and_, l, c, {std::move(e), std::move(r)});
        }
        return e;
    }
    syntax_tree parse_not() {
        if (is_word("not")) {
            int l = tok_line_, c = tok_col_;
            next();
            return node(op::not_, l, c, {parse_not()});
        }
        return parse_rel();
    }
    syntax_tree parse_rel() {
        syntax_tree a = parse_sum();
        tok t = tok_;
        op k;
        switch (t) {
        case tok::lt: k = op::lt; break;
        case tok::le: k = op::le; break;
        case tok::gt: k = op::gt; break;
        case tok::ge: k = op::ge; break;
        case tok::eq: k = op::eq; break;
        case tok::ne: k = op::ne; break;
        default: return a;
        }
        int l = tok_line_, c = tok_col_;
        next();
        syntax_tree b = parse_sum();
        if (tok_ == tok::lt || tok_ == tok::le || tok_ == tok::gt || tok_ == tok::ge || tok_ == tok::eq || tok_ == tok::ne)
            fail("chained comparisons are not supported: write 'a < b and b < c'");
        return node(k, l, c, {std::move(a), std::move(b)});
    }
    syntax_tree parse_sum() {
        syntax_tree e = parse_term();
        while (tok_ == tok::plus || tok_ == tok::minus) {
            op k = tok_ == tok::plus ? op::add : op::sub;
            int l = tok_line_, c = tok_col_;
            next();
            syntax_tree r = parse_term();
            e = node(k, l, c, {std::move(e), std::move(r)});
        }
        return e;
    }
    syntax_tree parse_term() {
        syntax_tree e = parse_unary();
        while (tok_ == tok::star || tok_ == tok::slash2 || tok_ == tok::percent) {
            op k = tok_ == tok::star ? op::mul : tok_ == tok::slash2 ? op::floor_div : op::mod;
            int l = tok_line_, c = tok_col_;
            next();
            syntax_tree r = parse_unary();
            e = node(k, l, c, {std::move(e), std::move(r)});
        }
        return e;
    }
    syntax_tree parse_unary() {
        if (tok_ == tok::minus) {
            int l = tok_line_, c = tok_col_;
            next();
            // "-123" is one literal, so the most negative int64 parses.
            if (tok_ == tok::integer) {
                syntax_tree v = node(op::integer, l, c, {}, "-" + std::string(text_));
                next();
                return v;
            }
            return node(op::neg, l, c, {parse_unary()});
        }
        if (tok_ == tok::plus) {
            next();
            return parse_unary();
        }
        return parse_primary();
    }
    syntax_tree parse_primary() {
        int l = tok_line_, c = tok_col_;
        if (tok_ == tok::integer) {
            syntax_tree v = node(op::integer, l, c, {}, std::string(text_));
            next();
            return v;
        }
        if (tok_ == tok::lparen) {
            next();
            syntax_tree e = parse_or();
            expect(tok::rparen, "')'");
            return e;
        }
        if (tok_ == tok::ident) {
            if (is_word("true") || is_word("false")) {
                syntax_tree v = node(op::boolean, l, c, {}, std::string(text_));
                next();
                return v;
            }
            if (is_word("and") || is_word("or") || is_word("not") || is_word("inf"))
                fail("unexpected '" + std::string(text_) + "'");
            if (is_word("min") || is_word("max")) {
                bool is_min = is_word("min");
                next();
                expect(tok::lparen, is_min ? "'(' after min" : "'(' after max");
                std::vector<syntax_tree> args;
                args.push_back(parse_or());
                while (tok_ == tok::comma) {
                    next();
                    args.push_back(parse_or());
                }
                expect(tok::rparen, "')'");
                return node(is_min ? op::min : op::max, l, c, std::move(args));
            }
            syntax_tree v = node(op::name, l, c, {}, std::string(text_));
            next();
            return v;
        }
        if (tok_ == tok::end) fail("unexpected end of input: an operand is missing");
        fail("unexpected '" + std::string(text_) + "'");
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    int line_ = 1, col_ = 1;
    int tok_line_ = 1, tok_col_ = 1;
    tok tok_ = tok::end;
    std::string_view text_;
};

inline const char* syntax_op_text(syntax_tree::op k) {
    static constexpr const char* names[] = {"integer", "name", "boolean", "-", "+", "-", "*", "//", "%", "min", "max",
                                            "<", "<=", ">", ">=", "==", "!=", "and", "or", "not"};
    return names[static_cast<int>(k)];
}

template <Integer I>
basic_expr<I> build_rec(const syntax_tree& t) {
    using E = basic_expr<I>;
    using op = syntax_tree::op;
    auto fail = [&](const std::string& msg) -> E { throw parse_error(msg, t.line, t.column); };
    auto kid = [&](std::size_t i, bool want_bool) {
        E e = build_rec<I>(t.kids[i]);
        if (e.is_bool() != want_bool)
            fail(std::string("operand of '") + syntax_op_text(t.kind) + "' must be " +
                 (want_bool ? "a boolean expression, got an integer" : "an integer expression, got a boolean"));
        return e;
    };
    switch (t.kind) {
    case op::integer:
        try {
            return E(parse_integer<I>(t.text));
        } catch (const overflow_error&) {
            return fail("integer literal " + t.text + " does not fit in int64 (use big_int)");
        }
    case op::name: return E::symbol(t.text);
    case op::boolean: return E::bool_constant(t.text == "true");
    case op::neg: return -kid(0, false);
    case op::add: return kid(0, false) + kid(1, false);
    case op::sub: return kid(0, false) - kid(1, false);
    case op::mul: return kid(0, false) * kid(1, false);
    case op::floor_div:
    case op::mod: {
        E a = kid(0, false), b = kid(1, false);
        if (b.is_constant() && b.constant_value() == 0)
            return fail(std::string("division by the constant 0 in '") + syntax_op_text(t.kind) + "'");
        return t.kind == op::floor_div ? floor_div(a, b) : mod(a, b);
    }
    case op::min:
    case op::max: {
        if (t.kids.size() == 2) return t.kind == op::min ? min(kid(0, false), kid(1, false)) : max(kid(0, false), kid(1, false));
        std::vector<E> args;
        for (std::size_t i = 0; i < t.kids.size(); ++i) args.push_back(kid(i, false));
        return t.kind == op::min ? min(std::move(args)) : max(std::move(args));
    }
    case op::lt: return lt(kid(0, false), kid(1, false));
    case op::le: return le(kid(0, false), kid(1, false));
    case op::gt: return gt(kid(0, false), kid(1, false));
    case op::ge: return ge(kid(0, false), kid(1, false));
    case op::eq: return eq(kid(0, false), kid(1, false));
    case op::ne: return ne(kid(0, false), kid(1, false));
    case op::and_: return logical_and(kid(0, true), kid(1, true));
    case op::or_: return logical_or(kid(0, true), kid(1, true));
    case op::not_: return logical_not(kid(0, true));
    }
    throw internal_error("build: unknown syntax node");
}

} // namespace detail

SYMSHAPE_INLINE syntax_tree parse_syntax(std::string_view text) {
    return detail::syntax_parser(text).parse_all();
}

template <Integer I>
basic_expr<I> build(const syntax_tree& t) {
    return detail::build_rec<I>(t);
}

} // namespace symshape
