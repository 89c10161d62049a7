"""Measure the attribution stage on real news (PolNeAR) with the shared real-news harness.

    python benchmarks/realnews.py POLNEAR_GIT_DIR [--work DIR] [--reuse] [--misses N]
    python benchmarks/realnews.py POLNEAR_GIT_DIR --cli

The PolNeAR text is read at run time from a fetched snapshot of the public repository
(networkdynamics/PolNeAR; pass its git directory) and written only under --work, never into the
project. By default the corpora are built with the shared builder (`realnews/build.py`), then
`find_attributions` runs on every article against its archived source page (the attribution stage
alone, in one process, timed) and the shared scorer (`realnews/score.py`) scores the reports; the
misses and the false positives are listed. `--cli` runs the shared `run.sh` instead, which builds,
runs the whole `verify` CLI (claims too) with this checkout on PYTHONPATH and scores.
Knobs of the shared harness (REALNEWS_SPLITS, REALNEWS_FP_N, REALNEWS_PER_KIND, REALNEWS_SEED)
are passed through.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from attribution import EVAL, run_articles  # noqa: E402

HARNESS = EVAL / "realnews"


def build(mirror: Path, work: Path) -> None:
    args = [
        "--per-kind",
        os.environ.get("REALNEWS_PER_KIND", "30"),
        "--seed",
        os.environ.get("REALNEWS_SEED", "7"),
    ]
    if os.environ.get("REALNEWS_FP_N"):
        args += ["--fp-n", os.environ["REALNEWS_FP_N"]]
    env = {**os.environ, "REALNEWS_SPLITS": os.environ.get("REALNEWS_SPLITS", "train dev")}
    command = [sys.executable, str(HARNESS / "build.py"), "polnear", str(mirror), str(work / "corpus"), *args]
    subprocess.run(command, check=True, capture_output=True, env=env)


def attribution_only(mirror: Path, work: Path, reuse: bool, misses: int) -> None:
    if not (reuse and (work / "corpus" / "manifest.json").exists()):
        build(mirror, work)
    seconds, cpu = {}, {}
    for part in ("fp", "garble"):
        began, timing = time.perf_counter(), {"cpu": 0.0}
        articles = run_articles(work / "corpus" / part, timing)
        seconds[part] = round(time.perf_counter() - began, 2)
        cpu[part] = round(timing["cpu"], 2)
        (work / f"{part}.report.json").write_text(json.dumps({"articles": articles}), encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable,
            str(HARNESS / "score.py"),
            str(work / "corpus"),
            str(work),
            "--fp-seconds",
            str(seconds["fp"]),
            "--garble-seconds",
            str(seconds["garble"]),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out[: out.rindex("\n}") + 2])
    garble = result["garble"]
    print(
        json.dumps(
            {
                "recall_by_kind": garble["recall_by_kind"],
                "recall_by_form": garble["recall_by_form"],
                "rules_on_hits": garble["rules_on_hits"],
                "fp_by_rule": result["fp"]["by_rule"],
                "fp_info_notes": result["fp"]["info_notes"],
            },
            indent=1,
        )
    )
    print(f"false positives on clean articles ({result['fp']['articles_with_flag']} articles):")
    for line in (work / "fp_flags.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        print(f"  FP {row['id']} {row['rule']}: {row['message']}\n     | {row['sentence'][:240]}")
    shown = 0
    for line in (work / "garble_items.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not row["hit"] and shown < misses:
            shown += 1
            print(f"  missed {row['kind']} {row['detail']}\n     | {row['sentence'][:300]}")
            if row.get("dangling_context"):
                print(f"     | dangling: {row['dangling_context'][:200]}")
    print(
        f"reading, extraction and attribution: fp {seconds['fp']}s, garble {seconds['garble']}s; "
        f"find_attributions alone: fp {cpu['fp']}s CPU, garble {cpu['garble']}s CPU"
    )
    print(out.strip().splitlines()[-1])


def whole_cli(mirror: Path, work: Path) -> None:
    wrapper = work / "verify"
    path = f"{ROOT}${{PYTHONPATH:+:$PYTHONPATH}}"
    script = f'#!/bin/sh\nPYTHONPATH={path} exec {sys.executable} -m verify "$@"\n'
    wrapper.write_text(script, encoding="utf-8")
    wrapper.chmod(0o755)
    env = {**os.environ, "VERIFY": str(wrapper), "REALNEWS_WORK": str(work)}
    subprocess.run(["bash", str(HARNESS / "run.sh"), str(mirror)], check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mirror", type=Path, help="git directory of a PolNeAR snapshot")
    parser.add_argument(
        "--work", type=Path, default=None, help="where the corpora and reports go (default: temporary)"
    )
    parser.add_argument("--reuse", action="store_true", help="reuse a corpus already built under --work")
    parser.add_argument("--misses", type=int, default=20, help="missed garbles to list")
    parser.add_argument("--cli", action="store_true", help="run the shared run.sh with the whole CLI instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.cli:
            whole_cli(args.mirror, work)
        else:
            attribution_only(args.mirror, work, args.reuse, args.misses)


if __name__ == "__main__":
    main()
