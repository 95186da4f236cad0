#!/usr/bin/env python3
"""Save every example's programs (--save) into a temporary folder, then run load_sweep on them,
and (with --cli) check that `symshape print`, `info` and `dot` work on each file and that Graphviz
accepts the picture (`dot -Tsvg`, when Graphviz is installed).

usage: save_sweep.py <load_sweep binary> [--cli <symshape binary>] <example binary>...
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    sweep, examples = sys.argv[1], sys.argv[2:]
    cli = None
    if examples[:1] == ["--cli"]:
        cli, examples = examples[1], examples[2:]
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
        status = subprocess.run([sweep] + files).returncode
        if cli:
            dot = shutil.which("dot")
            for f in files:
                for cmd in ("print", "info", "dot"):
                    out = subprocess.run([cli, cmd, f], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                    if out.returncode == 3 and b"is not registered" in out.stderr:
                        break  # a program with a user op: loads only where the op is registered
                    if out.returncode != 0:
                        print(f"symshape {cmd} {f} exited with {out.returncode}: {out.stderr.decode()}")
                        status = 1
                        break
                    if cmd == "dot" and dot:
                        svg = subprocess.run([dot, "-Tsvg"], input=out.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                        if svg.returncode != 0:
                            print(f"dot -Tsvg rejects the picture of {f}: {svg.stderr.decode()}")
                            status = 1
            print(f"symshape print / info / dot on {len(files)} files" + (", pictures checked with dot -Tsvg" if dot else
                                                                            " (Graphviz not installed: pictures not checked)"))
        return status


if __name__ == "__main__":
    sys.exit(main())
