"""Time and peak memory of `verify` on the hostile inputs of issue 18, each in a fresh process.

    python benchmarks/hostile.py [--out build/hostile.json]

Every case runs the real command (`python -m verify CASE --offline -q -f json`) with a fake,
instant embedding model (the cost measured is parsing, not embedding), in a temporary folder.
Recorded: the time of the command itself (modules already imported), the process wall time,
the peak RSS of the child and the exit code. The targets: no case over 5 s, a 20 MB article
refused with one line or under 1 GB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = 50_000
PAGE = "<p>The rocket flew to orbit in 2008, the agency said.</p>"
CASES: dict[str, str] = {
    "baseline-tiny.md": "The rocket flew to orbit in 2008, the agency said.\n",  # process start-up
    "brackets.md": "[" * N + "]" * N,
    "link-openers.md": "[a](" * N,
    "image-openers.md": "![" * N,
    "images.md": "![a]" * N,
    "unclosed-comments.md": "<!--" * N,
    "comment-heavy.md": "<!-- a --> text " * N,
    "unclosed-tags.md": "<a" * N,
    "url-then-dots.md": "See http://example.org/a" + "." * 80_000,
    "urls-and-dots.md": "http://a.b." * 10_000,
    "dots.md": "." * 80_000,
    "dots.txt": "." * 80_000,
    "nested-divs-50k.html": "<div>" * 50_000 + "text",
    "nested-divs-100k.html": "<div>" * 100_000 + "text",
    "yaml-alias-bomb.md": "---\na: &a [x,x,x,x,x,x,x,x,x]\n"
    + "".join(f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdef", "bcdefg", strict=True))
    + "title: *g\n---\nBody.\n",
    "source-of-dots.md": "---\nsources:\n  - file: dots-source.txt\n---\n\nThe rocket flew in 2008.\n",
    "source-page-of-dots.md": "---\nsources:\n  - file: dots-source.html\n---\n\nThe rocket flew in 2008.\n",
    "article-2mb.md": "The rocket flew to orbit in 2008, the agency said. " * 41_000,
    "article-20mb.md": "word " * 4_000_000,
}
SIDE_FILES = {"dots-source.txt": "." * 80_000, "dots-source.html": "<p>" + "." * 80_000 + "</p>"}
LAUNCH = (
    "import sys, time, verify.cli as cli, verify.pipeline, verify.report.json, verify.store, verify.extract\n"
    f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
    "from conftest import FakeEmbedder\n"
    "cli.make_embedder = lambda settings: FakeEmbedder()\n"
    "sys.argv = ['verify', *sys.argv[1:]]\n"
    "start = time.perf_counter()\n"
    "try:\n"
    "    cli.main()\n"
    "finally:\n"
    "    print(f'check_seconds={time.perf_counter() - start:.2f}', file=sys.stderr)\n"
)


def run_case(folder: Path, name: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1", "VERIFY_CACHE_DIR": str(folder / "cache")}
    command = [sys.executable, "-c", LAUNCH, name, "--offline", "-q", "-f", "json", "--no-cache"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=folder, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace").strip()
    lines = stderr.splitlines()
    check = float(lines.pop().split("=")[1]) if lines and lines[-1].startswith("check_seconds=") else None
    stderr = "\n".join(lines)
    return {
        "case": name,
        "check_seconds": check,  # the command itself, after the interpreter and imports are up
        "seconds": round(wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "exit": proc.returncode,
        "stderr": stderr[-300:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in {**CASES, **SIDE_FILES}.items():
            (folder / name).write_text(text, encoding="utf-8")
        for name in CASES:
            result = run_case(folder, name)
            print(json.dumps(result), flush=True)
            results.append(result)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
