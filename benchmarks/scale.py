"""Archive scale: serial with SQLite, serial with PostgreSQL, and 2 Dask workers, all cold.

    python benchmarks/scale.py [--articles 2000] [--modes sqlite,postgresql,dask] [--workers 2]
                               [--pg-url postgresql+psycopg://...] [--out build/scale.json]

Builds a synthetic archive of ARTICLES articles from the WiCE dev pages
(../shared/data/wice/dev.jsonl next to the checkout, or $WICE_DEV): each article cites two pages drawn with a
skew (popular pages are cited by many articles, as a newsroom's are), and its claims are the
WiCE claims of those pages, sentences copied from them and a sentence with a changed number.
Each mode runs in a fresh process on a new, empty database, through the same code as
`verify ARCHIVE -o out.jsonl` (distributed.iter_results + report.jsonl.lines); the Dask mode
starts a LocalCluster and uses a PostgreSQL database shared by its workers. Without --pg-url a
throwaway PostgreSQL server is started (tests/postgres_support.py).

Prints JSON per mode: wall seconds, articles/s, claims/s, texts embedded (sum over workers) vs
embedding rows in the database (unique texts), the coordinator's own peak RSS and its RSS at
each quarter of the run (flat = streaming works), and whether the JSONL report is byte-identical
to the serial SQLite one, and the CPU seconds of each run with its worker processes (`cores_busy`
= CPU / wall: a serial run that keeps every core busy leaves a parallel mode nothing to gain on
the same machine; `speedup_bound_on_this_machine` = cores / the serial run's `cores_busy`). The
load average before and after is recorded.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from wice import shared_dir  # benchmarks/ is the script's folder, so on sys.path

ROOT = Path(__file__).resolve().parent.parent
WICE = Path(os.environ.get("WICE_DEV", shared_dir() / "data" / "wice" / "dev.jsonl"))


def build_archive(folder: Path, articles: int, seed: int = 16) -> int:
    """Pages as local HTML files under folder/pages, articles under folder/articles; returns claims."""
    rows = [json.loads(line) for line in WICE.read_text(encoding="utf-8").splitlines() if line.strip()]
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(exist_ok=True)
    for n, row in enumerate(rows):
        body = "\n".join(f"<p>{html.escape(s)}</p>" for s in row["evidence"] if not s.startswith("(meta"))
        (pages / f"p{n}.html").write_text(
            f"<html><head><title>Page {n}</title></head><body><article>{body}</article></body></html>",
            encoding="utf-8",
        )
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(rows))]  # a few pages cited very often
    claims = 0
    for i in range(articles):
        cited = sorted(set(rng.choices(range(len(rows)), weights=weights, k=2)))
        lines = []
        for n in cited:
            row = rows[n]
            text = [s for s in row["evidence"] if len(s.split()) >= 8 and not s.startswith(("(meta", "#"))]
            lines.append(row["claim"])
            lines += rng.sample(text, min(2, len(text)))
        changed = [s for s in lines if re.search(r"\d", s)]
        if changed:
            lines.append(
                re.sub(r"\d", lambda m: str((int(m.group()) + 3) % 10), rng.choice(changed), count=1)
            )
        claims += len(lines)
        front = "".join(f"  - file: ../pages/p{n}.html\n" for n in cited)
        body = "\n\n".join(lines)
        (folder / "articles" / f"a{i:06d}.md").write_text(
            f'---\ntitle: "Article {i}"\nsources:\n{front}---\n\n{body}\n', encoding="utf-8"
        )
    return claims


def run_one(archive: Path, db: str, workers: int, out: Path) -> dict[str, Any]:
    """One cold run in this process (the coordinator), as `verify ARCHIVE -o out.jsonl` runs it."""
    import psutil

    from verify.config import Settings
    from verify.distributed import iter_results
    from verify.models import Report
    from verify.pipeline import discover
    from verify.policy import evaluate
    from verify.report.jsonl import lines
    from verify.store import Store

    inputs = discover([archive])
    settings = Settings(db=db, workers=workers)
    me = psutil.Process()
    started = time.perf_counter()
    done = claims = embedded = 0
    batch_s = model_s = waited_s = 0.0
    first = 0.0
    rss_at: list[float] = []
    with out.open("w", encoding="utf-8") as sink:
        for result in iter_results(inputs, settings, workers=workers, quiet=True):
            outcomes = evaluate(Report(articles=tuple(result.reports)), settings)
            sink.writelines(lines(result, outcomes))
            first = first or time.perf_counter() - started
            done += len(result.reports)
            claims += sum(len(r.results) for r in result.reports)
            embedded += result.embedded
            batch_s += result.seconds
            model_s += result.model_seconds
            waited_s += result.waited_seconds
            while len(rss_at) < 4 and done >= len(inputs) * (len(rss_at) + 1) / 4:
                rss_at.append(round(me.memory_info().rss / 2**20, 1))
    wall = time.perf_counter() - started
    store = Store(db)
    rows = store.counts()["embeddings"]
    store.close()
    return {
        "articles": done,
        "claims": claims,
        "wall_s": round(wall, 1),
        "first_batch_s": round(first, 1),  # start-up: cluster, worker processes, model loads
        "articles_per_s": round(done / wall, 2),
        "claims_per_s": round(claims / wall, 2),
        "texts_embedded": embedded,
        "embedding_rows": rows,
        # summed over batches where they ran (with 2 workers, two batches run at a time)
        "batch_seconds": round(batch_s, 1),
        "model_seconds": round(model_s, 1),
        "waited_seconds": round(waited_s, 1),
        "model_ms_per_text": round(1000 * model_s / max(embedded, 1), 2),
        "other_ms_per_claim": round(1000 * (batch_s - model_s - waited_s) / max(claims, 1), 1),
        "coordinator_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "coordinator_rss_by_quarter_mb": rss_at,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--modes", default="sqlite,postgresql,dask")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg-url", help="an empty PostgreSQL database per mode is created on this server")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--one", nargs=4, metavar=("ARCHIVE", "DB", "WORKERS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        archive, db, workers, out = args.one
        print(json.dumps(run_one(Path(archive), db, int(workers), Path(out))))
        return

    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_support import start_postgres  # a throwaway server, as the tests use

    result: dict[str, Any] = {
        "articles": args.articles,
        "load_before": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    server = None
    with tempfile.TemporaryDirectory(prefix="verify-scale-") as tmp:
        work = Path(tmp)
        result["claims_in_archive"] = build_archive(work, args.articles)
        if args.pg_url is None and {"postgresql", "dask"} & set(args.modes.split(",")):
            server = start_postgres()
            if server is None:
                raise SystemExit(
                    "PostgreSQL is not installed (apt-get install postgresql) and no --pg-url given"
                )
        try:
            for mode in args.modes.split(","):
                if mode == "sqlite":
                    db = str(work / "serial.sqlite")
                elif server is not None:
                    db = server.create_database(f"scale_{mode}")
                else:
                    db = _new_database(args.pg_url, f"scale_{mode}_{int(time.time())}")
                workers = args.workers if mode == "dask" else 0
                out = work / f"{mode}.jsonl"
                # one hash seed for every process: BM25 adds float32 terms in set order (verify/match.py)
                env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0"}
                command = [
                    sys.executable,
                    __file__,
                    "--one",
                    str(work / "articles"),
                    db,
                    str(workers),
                    str(out),
                ]
                cpu_before = _children_cpu_s()
                done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
                result[mode] = json.loads(done.stdout.strip().splitlines()[-1])
                # CPU of the run and its worker processes (not the PostgreSQL server's): how many
                # cores it kept busy, hence the most any parallel mode can gain on this machine
                cpu = _children_cpu_s() - cpu_before
                result[mode]["cpu_s"] = round(cpu, 1)
                result[mode]["cores_busy"] = round(cpu / result[mode]["wall_s"], 2)
                print(mode, result[mode], file=sys.stderr)
            if "sqlite" in result:
                reference = (work / "sqlite.jsonl").read_bytes()
                for mode in args.modes.split(","):
                    result[mode]["jsonl_identical_to_serial_sqlite"] = (
                        work / f"{mode}.jsonl"
                    ).read_bytes() == reference
                if "dask" in result:
                    result["dask_speedup_vs_serial_sqlite"] = round(
                        result["sqlite"]["wall_s"] / result["dask"]["wall_s"], 2
                    )
                # the same CPU work spread over every core: the bound of any speed-up here
                result["speedup_bound_on_this_machine"] = round(
                    (os.cpu_count() or 1) / result["sqlite"]["cores_busy"], 2
                )
        finally:
            if server is not None:
                server.stop()
    result["load_after"] = os.getloadavg()
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _new_database(url: str, name: str) -> str:
    import psycopg

    plain = url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


if __name__ == "__main__":
    main()
