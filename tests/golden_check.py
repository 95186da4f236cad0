#!/usr/bin/env python3
"""Run an example binary and compare its stdout with a golden file.

usage: golden_check.py <binary> <golden file>
The binary must exit 0. With SYMSHAPE_UPDATE_GOLDEN=1 in the environment the golden file is
(re)written from the output instead of compared.
"""
import difflib
import os
import subprocess
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, golden = sys.argv[1], sys.argv[2]
    proc = subprocess.run([binary], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout)
        print(f"{binary} exited with {proc.returncode}", file=sys.stderr)
        return 1
    if os.environ.get("SYMSHAPE_UPDATE_GOLDEN") == "1":
        with open(golden, "w", encoding="utf-8") as f:
            f.write(proc.stdout)
        print(f"updated {golden}")
        return 0
    try:
        with open(golden, encoding="utf-8") as f:
            want = f.read()
    except FileNotFoundError:
        print(f"missing golden file {golden}; run with SYMSHAPE_UPDATE_GOLDEN=1 to create it", file=sys.stderr)
        return 1
    if proc.stdout == want:
        return 0
    sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), proc.stdout.splitlines(True),
                                               fromfile=golden, tofile="actual output"))
    print("\noutput differs from the golden file; if the change is intended, rerun with "
          "SYMSHAPE_UPDATE_GOLDEN=1", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
