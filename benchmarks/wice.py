"""Quality on WiCE: build the corpus, run `verify` over it once, score the JSON report.

    python benchmarks/wice.py [--data ../shared/data/wice/dev.jsonl] [--out build/wice-dev] [--db PATH]

Prints the scorer's summary line (ROC AUC supported vs rest and not_supported vs rest,
balanced accuracy of the verdicts, evidence recall@k, missing) and the wall time of the run.
A fresh --db measures a cold run; the default keeps a cache under the output folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path:
    """The shared folder next to the checkout (or next to its worktree folder)."""
    for parent in ROOT.parents:
        if (parent / "shared" / "eval").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


SHARED = shared_dir()
EVAL = SHARED / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "wice" / "dev.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "wice-dev")
    parser.add_argument("--db", type=Path, default=None, help="cache database (default: OUT/cache.sqlite)")
    parser.add_argument("--eval", type=Path, default=EVAL, help="folder of the shared eval scripts")
    parser.add_argument("extra", nargs="*", help="more options for verify, after --")
    args = parser.parse_args()
    db = args.db or args.out / "cache.sqlite"
    subprocess.run(
        [sys.executable, str(args.eval / "build_wice_corpus.py"), str(args.data), str(args.out)], check=True
    )
    report = args.out / "report.json"
    command = [
        sys.executable,
        "-m",
        "verify",
        str(args.out / "articles"),
        "--format",
        "json",
        "--output",
        str(report),
        "--offline",
        "--quiet",
        "--db",
        str(db),
        *args.extra,
    ]
    started = time.perf_counter()
    result = subprocess.run(command, check=False)
    wall = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"verify failed with exit code {result.returncode}")
    subprocess.run(
        [sys.executable, str(args.eval / "score_wice.py"), str(args.out / "labels.jsonl"), str(report)],
        check=True,
    )
    print(f"wall time of the verify run: {wall:.1f} s")


if __name__ == "__main__":
    main()
