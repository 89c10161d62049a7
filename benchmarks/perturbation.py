"""Perturbation set: are claims with one changed detail flagged, and the unchanged ones left alone?

    python benchmarks/perturbation.py [--data .../wice/dev.jsonl] [--out build/perturb-dev] [--db PATH]

Builds the set with the shared eval's build_perturbation_set.py (WiCE supported claims, each
once as written and once with a figure, month, name or negation changed), runs `verify` once
over it (--format json --offline) and scores the report with score_perturbation.py. Prints
the flagged rate per kind of change and the share of controls called contradicted.
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    shared = shared_dir()
    parser.add_argument("--data", type=Path, default=shared / "data" / "wice" / "dev.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "perturb-dev")
    parser.add_argument("--db", type=Path, default=None, help="cache database (default: OUT/cache.sqlite)")
    parser.add_argument(
        "--eval", type=Path, default=shared / "eval", help="folder of the shared eval scripts"
    )
    parser.add_argument("extra", nargs="*", help="more options for verify, after --")
    args = parser.parse_args()
    db = args.db or args.out / "cache.sqlite"
    subprocess.run(
        [sys.executable, str(args.eval / "build_perturbation_set.py"), str(args.data), str(args.out)],
        check=True,
    )
    report = args.out / "report.json"
    command = [
        sys.executable, "-m", "verify", str(args.out / "articles"),
        "--format", "json", "--output", str(report), "--offline", "--quiet", "--db", str(db), *args.extra,
    ]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(command, check=False)
    wall = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"verify failed with exit code {result.returncode}")
    scored = subprocess.run(
        [
            sys.executable,
            str(args.eval / "score_perturbation.py"),
            str(args.out / "labels.jsonl"),
            str(report),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    summary = json.loads(scored.stdout[: scored.stdout.rindex("}") + 1])
    for kind, stats in summary["by_kind"].items():
        print(
            f"  {kind:9s} n={stats['n']:3d} flagged={stats['flagged']:.3f} "
            f"contradicted={stats['contradicted']:.3f} score_drop={stats['score_drop']:.3f}"
        )
    print(
        f"flagged={summary['flagged_rate']:.3f} contradicted={summary['contradicted_rate']:.3f} "
        f"controls: contradicted={summary['control_false_contradicted']:.3f} "
        f"not supported={summary['control_not_supported']:.3f} missing={summary['missing']}"
    )
    print(f"wall time of the verify run: {wall:.1f} s")


if __name__ == "__main__":
    main()
