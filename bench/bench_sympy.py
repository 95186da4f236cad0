#!/usr/bin/env python3
"""bench_sympy.py -- the SymPy peer of bench_symbolic: the same corpus, the same JSON keys.

    python3 bench/bench_sympy.py [CORPUS_DIR] [--repeats N]

Does the work the way PyTorch's symbolic shapes do it with SymPy: expressions are SymPy trees
(`//` is floor(a/b), `%` is Mod), bounds come from interval evaluation of the tree (as
torch's ValueRanges do), a relation is decided from the interval of `a - b`. Times are medians
over repeats, per expression (per relation for prove). simplify_us times sympy.simplify on the
first 100 expressions only (it is slow). Keys it cannot fill are null. Exits 0 with a note
when SymPy is not importable.
"""
import json
import math
import statistics
import sys
import time

try:
    import sympy
except ImportError:  # optional peer
    print("bench_sympy: sympy is not importable; skipped", file=sys.stderr)
    sys.exit(0)

INF = math.inf


def read(path, skip_comments):
    with open(path) as f:
        lines = [l.rstrip("\n") for l in f]
    return [l for l in lines if not (skip_comments and (not l or l.startswith("#")))]


class Unbounded(Exception):
    pass


def fdiv(a, b):
    return a // b


def iv_mul(a, b):
    ps = [x * y for x in a for y in b]
    return (min(ps), max(ps))


def iv_floordiv(a, b):
    # divisor values other than 0; corpus divisors are positive
    if b[0] <= 0 <= b[1]:
        raise Unbounded()
    ps = [fdiv(x, y) for x in a for y in b]
    return (min(ps), max(ps))


def iv_mod(a, b):
    if b[0] >= 1:
        if a[0] >= 0 and a[1] < b[0]:
            return a
        hi = b[1] - 1
        if a[0] >= 0:
            hi = min(hi, a[1])
        if b[0] == b[1] and a[0] // b[0] == a[1] // b[0]:
            return (a[0] % b[0], a[1] % b[0])
        return (0, hi)
    raise Unbounded()


def interval(e, ranges):
    """Interval of SymPy expression e over the box `ranges` (symbol -> (lo, hi))."""
    if e.is_Integer:
        v = int(e)
        return (v, v)
    if e.is_Symbol:
        return ranges[e]
    if e.is_Add:
        lo = hi = 0
        for a in e.args:
            l, h = interval(a, ranges)
            lo += l
            hi += h
        return (lo, hi)
    if e.is_Mul:
        r = (1, 1)
        for a in e.args:
            r = iv_mul(r, interval(a, ranges))
        return r
    if e.is_Pow and e.exp.is_Integer and int(e.exp) >= 1:
        r = (1, 1)
        base = interval(e.base, ranges)
        for _ in range(int(e.exp)):
            r = iv_mul(r, base)
        if int(e.exp) % 2 == 0 and base[0] < 0 < base[1]:
            r = (0, r[1])
        return r
    if isinstance(e, sympy.floor):
        arg = e.args[0]
        num, den = [], []
        for f in sympy.Mul.make_args(arg):
            if f.is_Pow and f.exp == -1:
                den.append(f.base)
            elif f.is_Rational and not f.is_Integer:
                num.append(sympy.Integer(f.p))
                den.append(sympy.Integer(f.q))
            else:
                num.append(f)
        if not den:
            return interval(arg, ranges)
        return iv_floordiv(interval(sympy.Mul(*num), ranges), interval(sympy.Mul(*den), ranges))
    if isinstance(e, sympy.Mod):
        return iv_mod(interval(e.args[0], ranges), interval(e.args[1], ranges))
    if isinstance(e, (sympy.Min, sympy.Max)):
        ivs = [interval(a, ranges) for a in e.args]
        f = min if isinstance(e, sympy.Min) else max
        return (f(i[0] for i in ivs), f(i[1] for i in ivs))
    raise Unbounded()


def safe_interval(e, ranges):
    try:
        return interval(e, ranges)
    except (Unbounded, ZeroDivisionError, KeyError):
        return (-INF, INF)


def main():
    args = sys.argv[1:]
    corpus, repeats = "../shared/corpus", 5
    i = 0
    while i < len(args):
        if args[i] == "--repeats":
            repeats = max(1, int(args[i + 1]))
            i += 2
        else:
            corpus = args[i]
            i += 1
    exprs = read(corpus + "/exprs.txt", False)
    rels = read(corpus + "/relations.txt", False)
    truth_b = read(corpus + "/truth_bounds.txt", True)
    truth_r = read(corpus + "/truth_relations.txt", True)
    ranges_txt = " ".join(read(corpus + "/ranges.txt", True)).split()
    point_txt = read(corpus + "/point.txt", True)[0].split()

    syms = {}
    ranges = {}
    for item in ranges_txt:
        name, rng = item.split(":")
        lo, hi = rng.strip("[]").split(",")
        s = sympy.Symbol(name, integer=True)
        syms[name] = s
        ranges[s] = (int(lo), int(hi))
    local = dict(syms)
    local.update({"min": sympy.Min, "max": sympy.Max})
    point = {syms[k]: int(v) for k, v in (a.split("=") for a in point_txt)}

    def build(text):
        return sympy.parse_expr(text, local_dict=local, evaluate=True)

    def per_item(f, items, reps):
        ts = []
        for _ in range(reps):
            t0 = time.perf_counter()
            out = [f(x) for x in items]
            ts.append((time.perf_counter() - t0) * 1e6 / max(1, len(items)))
        return statistics.median(ts), out

    ops = [(" == ", sympy.Eq), (" != ", sympy.Ne), (" <= ", sympy.Le), (" >= ", sympy.Ge),
           (" < ", sympy.Lt), (" > ", sympy.Gt)]

    def build_rel(text):
        # Python's == / != on SymPy trees compare structure: build the relation explicitly.
        for op, cls in ops:
            if op in text:
                lhs, rhs = text.split(op, 1)
                return cls(build(lhs), build(rhs))
        return build(text)

    build_us, es = per_item(build, exprs, repeats)
    rel_es = [build_rel(r) for r in rels]
    bound_us, bounds = per_item(lambda e: safe_interval(e, ranges), es, repeats)

    def decide(r):
        if r is True or r is sympy.true:
            return "true"
        if r is False or r is sympy.false:
            return "false"
        if not isinstance(r, sympy.core.relational.Relational):
            return "unknown"
        lo, hi = safe_interval(r.lhs - r.rhs, ranges)
        op = r.rel_op
        if op == "<":
            return "true" if hi < 0 else "false" if lo >= 0 else "unknown"
        if op == "<=":
            return "true" if hi <= 0 else "false" if lo > 0 else "unknown"
        if op == ">":
            return "true" if lo > 0 else "false" if hi <= 0 else "unknown"
        if op == ">=":
            return "true" if lo >= 0 else "false" if hi < 0 else "unknown"
        if op == "==":
            return "true" if lo == hi == 0 else "false" if lo > 0 or hi < 0 else "unknown"
        if op == "!=":
            return "false" if lo == hi == 0 else "true" if lo > 0 or hi < 0 else "unknown"
        return "unknown"

    prove_us, answers = per_item(decide, rel_es, repeats)

    def value(e):
        try:
            v = e.subs(point)
            return int(v) if v.is_Integer else None
        except (ZeroDivisionError, TypeError):
            return None

    eval_us, values = per_item(value, es, max(1, repeats // 2))
    simplify_us, _ = per_item(sympy.simplify, es[:100], 1)

    settled = exact = unsound = 0
    for b, t, v in zip(bounds, truth_b, values):
        lo, hi = t.split()[:2]
        bad = (lo != "?" and int(lo) < b[0]) or (hi != "?" and b[1] < int(hi))
        bad = bad or (v is not None and not (b[0] <= v <= b[1]))
        unsound += bad
        if lo != "?" and hi != "?":
            settled += 1
            exact += b[0] == int(lo) and b[1] == int(hi)
    decidable = decided = wrong = 0
    for a, t in zip(answers, truth_r):
        verdict = t.split()[0]
        if verdict in ("true", "false"):
            decidable += 1
            if a == verdict:
                decided += 1
            elif a != "unknown":
                wrong += 1
        elif verdict == "depends" and a != "unknown":
            wrong += 1

    out = {
        "peer": "sympy " + sympy.__version__, "corpus": corpus, "repeats": repeats,
        "expressions": len(es), "relations": len(rel_es),
        "build_us": round(build_us, 3), "simplify_us": round(simplify_us, 3), "bound_us": round(bound_us, 3),
        "eval_us": round(eval_us, 3), "prove_us": round(prove_us, 3),
        "exact_pct": round(100.0 * exact / max(1, settled), 2), "settled": settled, "unsound": unsound,
        "decided_pct": round(100.0 * decided / max(1, decidable), 2), "decidable": decidable, "wrong": wrong,
        "eval_mismatch": None, "bytes_per_node": None, "intern_1m_s": None,
    }
    print(json.dumps(out))
    print("sympy %s on %s: build %.1f us, simplify %.1f us (100 exprs), bound %.1f us, eval %.1f us, prove %.1f us;"
          " exact %.2f%%, unsound %d, decided %.2f%%, wrong %d" % (
              sympy.__version__, corpus, build_us, simplify_us, bound_us, eval_us, prove_us,
              out["exact_pct"], unsound, out["decided_pct"], wrong), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
