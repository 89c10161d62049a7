#!/usr/bin/env python3
"""Incremental runs over the WiCE dev corpus: cold cache, warm cache, and one changed article.

    python benchmarks/incremental.py [--corpus build/wice-dev] [--shared ../shared]

Builds the corpus, runs `verify CORPUS/articles --format json --offline --db TMP` twice with a
fresh database, prints both wall times and their ratio (target: the second run at least 20x
faster), then edits one article and shows that only that one is checked again (the JSON report
says per article whether its result came from the cache). The edited article is restored.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TARGET_RATIO = 20.0


def run_verify(articles: Path, db: Path, out: Path) -> tuple[float, dict]:
    command = [
        sys.executable,
        "-m",
        "verify",
        str(articles),
        "--format",
        "json",
        "--output",
        str(out),
        "--offline",
        "--db",
        str(db),
        "--quiet",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1 only means problems were found
        sys.exit(f"verify failed with exit {done.returncode}:\n{done.stderr}")
    return elapsed, json.loads(out.read_text(encoding="utf-8"))


def verdicts(report: dict) -> dict[str, list[tuple[str, float]]]:
    return {
        a["path"]: [(c["verdict"], round(c["score"], 6)) for c in a["claims"]] for a in report["articles"]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "build" / "wice-dev")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared/ folder (data and eval)")
    args = parser.parse_args()

    builder = args.shared / "eval" / "build_wice_corpus.py"
    data = args.shared / "data" / "wice" / "dev.jsonl"
    subprocess.run([sys.executable, str(builder), str(data), str(args.corpus)], check=True, cwd=ROOT)
    articles = args.corpus / "articles"
    count = len(list(articles.glob("*.md")))
    print(f"corpus: {count} articles in {articles}")

    with tempfile.TemporaryDirectory(prefix="verify-bench-") as tmp:
        db, out = Path(tmp) / "cache.sqlite", Path(tmp) / "report.json"
        cold, first = run_verify(articles, db, out)
        print(f"run 1 (fresh cache): {cold:8.2f} s  checked {first['cache']['articles_checked']}")
        warm, second = run_verify(articles, db, out)
        ratio = cold / warm
        print(
            f"run 2 (same cache):  {warm:8.2f} s  from cache {second['cache']['articles_from_cache']}, "
            f"checked {second['cache']['articles_checked']}"
        )
        verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
        print(f"speed-up: {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x): {verdict}")
        same = verdicts(first) == verdicts(second)
        print(f"cached results identical to computed ones: {same}")

        victim = sorted(articles.glob("*.md"))[0]
        original = victim.read_bytes()
        try:
            victim.write_bytes(original.rstrip(b"\n") + b" It was reported in 2019.\n")
            edited, third = run_verify(articles, db, out)
        finally:
            victim.write_bytes(original)
        rechecked = [a["path"] for a in third["articles"] if not a["cached"]]
        print(
            f"run 3 (one article edited): {edited:6.2f} s  "
            f"from cache {third['cache']['articles_from_cache']}, "
            f"checked {len(rechecked)}: {', '.join(rechecked)}"
        )
        ok = ratio >= TARGET_RATIO and same and [Path(p).resolve() for p in rechecked] == [victim.resolve()]
        print("result:", "PASS" if ok else "FAIL")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
