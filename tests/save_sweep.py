#!/usr/bin/env python3
"""Save every example's programs (--save) into a temporary folder, then run load_sweep on them.

usage: save_sweep.py <load_sweep binary> <example binary>...
"""
import glob
import os
import subprocess
import sys
import tempfile


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    sweep, examples = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory() as d:
        for exe in examples:
            proc = subprocess.run([exe, "--save", d], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr)
                print(f"{exe} --save failed with {proc.returncode}", file=sys.stderr)
                return 1
        files = sorted(glob.glob(os.path.join(d, "*.json")))
        if not files:
            print("no program was saved", file=sys.stderr)
            return 1
        return subprocess.run([sweep] + files).returncode


if __name__ == "__main__":
    sys.exit(main())
