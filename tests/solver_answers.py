#!/usr/bin/env python3
"""Record every answer of the solver on the benchmark corpus and the TVM/Halide vectors, and
compare them with tests/golden/solver_answers.txt.

usage: solver_answers.py <symcalc binary> <shared dir> <answers file>

The questions, in this order, each answered by `symcalc` (int64) and again by `symcalc --big`:
  - bound, and simplify, of the 2,000 expressions of <shared>/corpus/exprs.txt,
  - prove, and simplify, of the 1,000 relations of <shared>/corpus/relations.txt,
    all under the ranges of <shared>/corpus/ranges.txt,
  - every bound / simplify / prove line of <shared>/vectors/tvm.txt and halide.txt.
The file holds one answer a line, in that order (the questions come from <shared>).
A change to the solver that must not change answers (a refactoring) keeps this file identical.
With SYMSHAPE_UPDATE_GOLDEN=1 the answers file is (re)written instead: only for a change of
answers that is meant, and checked (symcalc --check, bench_symbolic) before.
"""
import os
import subprocess
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def questions(shared):
    corpus = os.path.join(shared, "corpus")
    ranges = " ".join(l.strip() for l in read(os.path.join(corpus, "ranges.txt"))
                      if l.strip() and not l.startswith("#"))
    lines = []
    for e in read(os.path.join(corpus, "exprs.txt")):
        lines.append(f"bound | {ranges} | {e}")
        lines.append(f"simplify | {ranges} | {e}")
    for r in read(os.path.join(corpus, "relations.txt")):
        lines.append(f"prove | {ranges} | {r}")
        lines.append(f"simplify | {ranges} | {r}")
    for name in ("tvm.txt", "halide.txt"):
        for l in read(os.path.join(shared, "vectors", name)):
            kind = l.split("|", 1)[0].strip()
            if kind in ("bound", "simplify", "prove"):
                # keep the question (kind | ranges | expression), not the expected answer
                parts = [p.strip() for p in l.split("#", 1)[0].split("|")]
                lines.append(" | ".join(parts[:3]))
    return lines


def answers(symcalc, lines, big):
    cmd = [symcalc] + (["--big"] if big else [])
    proc = subprocess.run(cmd, input="\n".join(lines) + "\n", stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
    got = [l for l in proc.stdout.splitlines() if l and not l.startswith("#")]
    if len(got) != len(lines):
        raise SystemExit(f"{' '.join(cmd)} answered {len(got)} of {len(lines)} questions")
    # symcalc echoes each question and appends its answer: keep the answer only
    return [g[len(q):].strip(" |") if g.startswith(q) else g for q, g in zip(lines, got)]


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    symcalc, shared, golden = sys.argv[1:]
    lines = questions(shared)
    questions_twice = [f"int64 {q}" for q in lines] + [f"big {q}" for q in lines]
    got = answers(symcalc, lines, False) + answers(symcalc, lines, True)
    text = "\n".join(got) + "\n"
    if os.environ.get("SYMSHAPE_UPDATE_GOLDEN") == "1":
        with open(golden, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"updated {golden}: {len(got)} answers")
        return 0
    want = open(golden, encoding="utf-8").read() if os.path.exists(golden) else ""
    if text == want:
        print(f"{len(got)} answers identical to {golden}")
        return 0
    before = want.splitlines()
    changed = 0
    for i, (q, a) in enumerate(zip(questions_twice, got)):
        b = before[i] if i < len(before) else "(none)"
        if a != b:
            changed += 1
            if changed <= 200:
                print(f"{q}\n    before: {b}\n    now:    {a}")
    if len(before) != len(got):
        print(f"{golden} has {len(before)} answers, now {len(got)}")
        changed = max(changed, 1)
    print(f"\n{changed} answers differ from {golden}; if the change is meant, check it "
          "(symcalc --check, bench_symbolic) and rerun with SYMSHAPE_UPDATE_GOLDEN=1")
    return 1


if __name__ == "__main__":
    sys.exit(main())
