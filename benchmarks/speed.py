"""Speed and memory of `verify`, per embedding backend, printed as JSON.

    python benchmarks/speed.py [--backends torch,onnx,onnx-int8] [--repeat 3] [--corpus-repeat 1]
                               [--sample 1024] [--score] [--out build/speed.json] [--no-corpus]

What it measures (every number is the median of the repeats; the machine's load average is
recorded before and after, because a busy machine slows everything down):

- `verify --help` wall time;
- the one-time ONNX export + int8 quantisation (into a scratch folder);
- sentences embedded per second by each backend at batch 32, on a fixed random sample of WiCE
  dev source sentences (as verify splits them), in a fresh process each, with import and model
  load times and the process's peak RSS;
- for the fixture article (fixtures/cmsa-private-rockets.md, --offline) and the WiCE dev corpus
  (built with ../shared/eval/build_wice_corpus.py into build/wice-speed): the CLI's wall time
  cold (a new, empty cache database) and warm (the same database again), its peak RSS, and the
  time by stage of the cold run (read, sources, fetch, check, and within check the time spent in
  the embedding model), taken by timestamps inside that same process;
- the baseline of issue 8: embedding every WiCE source sentence with the plain torch model,
  estimated as (all source sentences) / (torch rate measured above) + torch's import and load
  time, against the pipeline's actual cold run; with --score, the WiCE scores of each cold run.

With --profile PATH, only the stages of one cold run (and with --warm, a warm one) over PATH
are timed and printed as a markdown table: per stage (read, fetch, extract, split, bm25, embed,
judge, model, attribution, rewrite, cache, report) its wall and CPU seconds, exclusive of the
stages inside it, and the texts or pairs it handled. CPU is the calling thread's
(time.thread_time); what onnxruntime's own pool threads spend shows in "CPU outside stages".

    python benchmarks/speed.py --profile build/wice-speed/articles --offline [--warm] [--out FILE]

The backend of a CLI run is chosen with the environment variable VERIFY_EMBED_BACKEND (what the
CLI's `--backend` flag also sets); each run goes through a small launcher that wraps
`verify.cli.make_embedder` and the progress callback to time the stages. Exported ONNX
files live beside the default cache database and are not part of "cold": they are made once,
before the timed runs. Only public tools are used: time.perf_counter, os.wait4/resource, subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
WICE_DATA = ROOT.parent / "shared" / "data" / "wice" / "dev.jsonl"
FIXTURE = ROOT / "fixtures" / "cmsa-private-rockets.md"
STAGES_ENV = "VERIFY_SPEED_STAGES"

# Runs the CLI with the embedder chosen by verify.embed.make_embedder ($VERIFY_EMBED_BACKEND) and
# writes timestamps of the pipeline's stages to $VERIFY_SPEED_STAGES.
LAUNCHER = r"""
import atexit, json, os, sys, time
started = time.perf_counter()
import verify.cli as cli
from verify import embed

events = []
model = {"calls": 0, "texts": 0, "seconds": 0.0, "first_call_s": None}

class Timed:
    def __init__(self, inner):
        self.inner, self.name = inner, inner.name
    def encode(self, texts):
        t = time.perf_counter()
        vectors = self.inner.encode(texts)
        spent = time.perf_counter() - t
        if model["first_call_s"] is None:
            model["first_call_s"] = spent  # includes importing and loading the model
        model["calls"] += 1
        model["texts"] += len(texts)
        model["seconds"] += spent
        return vectors

class Stamps:
    def __call__(self, stage, done, total):
        events.append((stage, done, total, time.perf_counter() - started))
    def close(self):
        pass

if hasattr(cli, "make_embedder"):
    cli.make_embedder = lambda settings: Timed(embed.make_embedder(settings.model))
if hasattr(cli, "make_progress"):
    cli.make_progress = lambda quiet: Stamps()

def dump():
    path = os.environ.get("VERIFY_SPEED_STAGES")
    if path:
        with open(path, "w") as f:
            json.dump({"events": events, "model": model, "end": time.perf_counter() - started,
                       "main": main_at}, f)

atexit.register(dump)
sys.argv[0] = "verify"
main_at = time.perf_counter() - started
cli.main()
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default="torch,onnx,onnx-int8")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the short measurements")
    parser.add_argument("--corpus-repeat", type=int, default=1, help="cold runs over the WiCE corpus")
    parser.add_argument("--sample", type=int, default=1024, help="sentences for the throughput test")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--corpus", type=Path, default=ROOT / "build" / "wice-speed")
    parser.add_argument("--no-corpus", action="store_true", help="only the fixture article")
    parser.add_argument("--no-export", action="store_true", help="skip timing a fresh ONNX export")
    parser.add_argument("--score", action="store_true", help="score each cold WiCE run (AUROC)")
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="PATH",
        help="only profile the stages of a cold run over PATH (an article or a folder) and print the table",
    )
    parser.add_argument("--backend", default=None, help="--profile: embedding backend [verify's default]")
    parser.add_argument("--warm", action="store_true", help="--profile: also a warm run on the same cache")
    parser.add_argument("--offline", action="store_true", help="--profile: pass --offline to verify")
    parser.add_argument("--report", type=Path, default=None, help="--profile: keep the cold JSON report")
    parser.add_argument("worker", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args)
        return
    if args.profile is not None:
        extra = ["--offline"] if args.offline else []
        found = profile(args.profile, args.backend, extra, args.warm, args.report)
        found["load_average"] = os.getloadavg()
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(found, indent=2))
        print(profile_markdown(found))
        return
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    result: dict[str, Any] = {"machine": _machine(), "load_before": os.getloadavg()}
    result["help_s"] = _median(
        [_spawn([sys.executable, "-m", "verify", "--help"])[0] for _ in range(args.repeat)]
    )
    if not args.no_export and any(b.startswith("onnx") for b in backends):
        result["onnx_export"] = _time_export()
    for backend in backends:  # make sure the exports exist before anything is timed
        if backend.startswith("onnx"):
            _python(
                [
                    "-c",
                    f"from verify.embed import make_embedder; make_embedder('all-MiniLM-L6-v2', "
                    f"{backend!r}).encode(['warm'])",
                ]
            )

    if not args.no_corpus:
        _build_corpus(args.corpus)
    sentences = _source_sentences(args.corpus if not args.no_corpus else None)
    rng = random.Random(8)
    sample = rng.sample(sentences, min(args.sample, len(sentences)))
    with tempfile.TemporaryDirectory() as scratch:
        sample_file = Path(scratch) / "sample.json"
        sample_file.write_text(json.dumps(sample))
        result["throughput"] = {b: _throughput(b, sample_file, args.batch, args.repeat) for b in backends}
    result["throughput_sample"] = {
        "sentences": len(sample),
        "mean_chars": round(statistics.fmean(len(s) for s in sample), 1),
        "seed": 8,
        "batch": args.batch,
    }

    fixture_args = [str(FIXTURE), "--offline"]
    result["fixture"] = {b: _cold_warm(fixture_args, b, args.repeat, args.repeat) for b in backends}
    if not args.no_corpus:
        corpus_args = [str(args.corpus / "articles"), "--offline"]
        wice: dict[str, Any] = {}
        for b in backends:
            wice[b] = _cold_warm(
                corpus_args,
                b,
                args.corpus_repeat,
                args.repeat,
                score=args.corpus / "labels.jsonl" if args.score else None,
            )
        result["wice"] = wice
        result["wice_sources"] = _baseline(sentences, result, wice)
    finish(result, args.out)


def finish(result: dict[str, Any], out: Path | None) -> None:
    """Print the result as JSON (and write it to `out`), with the load average at the end."""
    result["load_after"] = os.getloadavg()
    text = json.dumps(result, indent=2)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")


# ---- measurements --------------------------------------------------------------------------------


def _cold_warm(
    verify_args: list[str], backend: str, cold_runs: int, warm_runs: int, score: Path | None = None
) -> dict[str, Any]:
    colds, warms = [], []
    scores = None
    for n in range(cold_runs):
        with tempfile.TemporaryDirectory() as scratch:
            db = Path(scratch) / "cache.sqlite"
            report = Path(scratch) / "report.json"
            args = [*verify_args, "--db", str(db), "--quiet", "--format", "json", "--output", str(report)]
            colds.append(_run_cli(args, backend, stages=True))
            if score is not None and n == 0:
                scores = _score(score, report)
            if n == cold_runs - 1:
                warms = [_run_cli(args, backend) for _ in range(warm_runs)]
    out = {
        "cold_s": _median([r["wall_s"] for r in colds]),
        "cold_runs_s": [r["wall_s"] for r in colds],
        "cold_peak_rss_mb": max(r["peak_rss_mb"] for r in colds),
        "cold_stages": colds[len(colds) // 2].get("stages"),
        "warm_s": _median([r["wall_s"] for r in warms]),
        "warm_runs_s": [r["wall_s"] for r in warms],
        "warm_peak_rss_mb": max(r["peak_rss_mb"] for r in warms),
        "exit_codes": sorted({r["exit_code"] for r in colds + warms}),
    }
    if scores is not None:
        out["scores"] = scores
    return out


def _run_cli(verify_args: list[str], backend: str, stages: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        stamp_file = Path(scratch) / "stages.json"
        env = {**os.environ, "VERIFY_EMBED_BACKEND": backend}
        if stages:
            env[STAGES_ENV] = str(stamp_file)
        wall, rss, code = _spawn([sys.executable, "-c", LAUNCHER, *verify_args], env)
        if code not in (0, 1):
            raise SystemExit(f"verify {' '.join(verify_args)} failed with exit code {code}")
        out: dict[str, Any] = {"wall_s": round(wall, 3), "peak_rss_mb": rss, "exit_code": code}
        if stages and stamp_file.exists():
            out["stages"] = _stages(json.loads(stamp_file.read_text()), wall)
        return out


def _stages(raw: dict[str, Any], wall: float) -> dict[str, Any]:
    """Seconds per stage from the launcher's timestamps (seconds since the launcher started)."""
    events = raw["events"]

    def last(stage: str) -> float | None:
        times = [e[3] for e in events if e[0] == stage]
        return times[-1] if times else None

    def first(stage: str) -> float | None:
        times = [e[3] for e in events if e[0] == stage]
        return times[0] if times else None

    main_at = raw.get("main", 0.0)
    read_end = last("reading") or main_at
    fetch_start = first("fetching") or read_end
    fetch_end = last("fetching") or fetch_start
    check_end = last("checking") or fetch_end
    model = raw["model"]
    out = {
        "python_and_imports": round(wall - raw["end"] + main_at, 3),  # interpreter + verify.cli
        "settings_and_read": round(read_end - main_at, 3),
        "sources_and_cache_lookup": round(fetch_start - read_end, 3),
        "fetch": round(fetch_end - fetch_start, 3),
        "extract_match_judge": round(check_end - fetch_end - model["seconds"], 3),
        "embedding_model": round(model["seconds"], 3),
        "embedding_first_call_incl_load": round(model["first_call_s"] or 0.0, 3),
        "report_and_exit": round(raw["end"] - check_end, 3),
        "texts_embedded": model["texts"],
        "embedding_calls": model["calls"],
    }
    return out


def _throughput(backend: str, sample_file: Path, batch: int, repeat: int) -> dict[str, Any]:
    env = {**os.environ, "VERIFY_EMBED_BACKEND": backend}
    with tempfile.TemporaryDirectory() as scratch:
        out_file = Path(scratch) / "out.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--batch",
            str(batch),
            "--repeat",
            str(repeat),
            "throughput",
            str(sample_file),
            str(out_file),
        ]
        _, rss, code = _spawn(command, env)
        if code != 0:
            raise SystemExit(f"throughput worker for {backend} failed ({code})")
        data = json.loads(out_file.read_text())
    data["peak_rss_mb"] = rss
    return data


def _worker(argv: list[str], args: argparse.Namespace) -> None:
    kind, *rest = argv
    if kind != "throughput":
        raise SystemExit(f"unknown worker {kind}")
    sample_file, out_file = rest
    texts = json.loads(Path(sample_file).read_text())
    started = time.perf_counter()
    from verify.embed import make_embedder

    embedder: Any = make_embedder("all-MiniLM-L6-v2")
    embedder.batch_size = args.batch
    t = time.perf_counter()
    embedder.encode(texts[:8])  # imports and loads the model
    load = time.perf_counter() - t
    embedder.encode(texts[:64])  # warm-up
    rates = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        embedder.encode(texts)
        rates.append(len(texts) / (time.perf_counter() - t))
    Path(out_file).write_text(
        json.dumps(
            {
                "name": embedder.name,
                "sentences_per_s": round(statistics.median(rates), 1),
                "runs": [round(r, 1) for r in rates],
                "import_verify_s": round(t - started, 3),
                "import_and_load_s": round(load, 3),
                "torch_imported": "torch" in sys.modules,
            }
        )
    )


def _time_export() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        code = (
            "import time, sys; from pathlib import Path; t = time.perf_counter()\n"
            "from verify.embed.onnx_backend import OnnxEmbedder\n"
            f"e = OnnxEmbedder('all-MiniLM-L6-v2', quantize=True, cache_dir=Path({scratch!r}))\n"
            "p = e.ensure_exported(); print(time.perf_counter() - t, p.stat().st_size)\n"
        )
        wall, rss, out = _python(["-c", code])
        seconds, size = out.split()
        fp32 = sum(p.stat().st_size for p in Path(scratch).glob("*fp32.onnx"))
    return {
        "export_and_quantize_s": round(float(seconds), 2),
        "process_wall_s": round(wall, 2),
        "peak_rss_mb": rss,
        "int8_mb": round(int(size) / 2**20, 1),
        "fp32_mb": round(fp32 / 2**20, 1),
    }


def _baseline(sentences: list[str], result: dict[str, Any], wice: dict[str, Any]) -> dict[str, Any]:
    """Issue 8's yardstick: every WiCE source sentence through the plain torch model."""
    torch_rate = result["throughput"].get("torch")
    out: dict[str, Any] = {"source_sentences": len(sentences), "unique": len(set(sentences))}
    if torch_rate:
        estimate = len(sentences) / torch_rate["sentences_per_s"] + torch_rate["import_and_load_s"]
        out["embed_all_with_torch_s_estimate"] = round(estimate, 1)
        out["speedup_of_cold_run"] = {b: round(estimate / w["cold_s"], 2) for b, w in wice.items()}
        out["texts_embedded_by_cold_run"] = {
            b: (w["cold_stages"] or {}).get("texts_embedded") for b, w in wice.items()
        }
    return out


# ---- --profile: wall and CPU seconds per pipeline stage ------------------------------------------

STAGES = (
    "read",
    "fetch",
    "extract",
    "split",
    "bm25",
    "embed",
    "judge",
    "model",
    "verifier",
    "attribution",
    "rewrite",
    "cache",
    "report",
)

# Runs the CLI with every stage's function wrapped: wall and CPU seconds of the calling thread,
# exclusive of the stages called inside it (the judge's model calls count as `model`, not `judge`),
# and the number of texts or pairs each handled. Written as JSON to $VERIFY_SPEED_PROFILE.
PROFILE_LAUNCHER = r"""
import atexit, functools, json, os, resource, sys, threading, time
started = time.perf_counter()
import verify.cli as cli
import verify.checking, verify.entail, verify.extract, verify.match, verify.pipeline, verify.resultcache
import verify.rewrite, verify.selection, verify.sentences, verify.verifier
from verify import embed

totals = {}
local = threading.local()
lock = threading.Lock()

def timed(stage, count=lambda args, result: 1):
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            stack = local.__dict__.setdefault("stack", [])
            frame = [time.perf_counter(), time.thread_time(), 0.0, 0.0]
            stack.append(frame)
            try:
                result = fn(*args, **kwargs)
            finally:
                stack.pop()
                wall = time.perf_counter() - frame[0]
                cpu = time.thread_time() - frame[1]
                if stack:
                    stack[-1][2] += wall
                    stack[-1][3] += cpu
                with lock:
                    row = totals.setdefault(stage, [0.0, 0.0, 0, 0])
                    row[0] += wall - frame[2]
                    row[1] += cpu - frame[3]
                    row[3] += 1
            with lock:
                totals[stage][2] += count(args, result)
            return result
        return inner
    return wrap

def n_first(args, result):
    return len(args[0])

def n_self_first(args, result):
    return len(args[1])

# the CLI reads the articles while it looks for their local sources; the run reads only the rest
verify.selection.load_article = timed("read")(verify.selection.load_article)
verify.pipeline.load_article = timed("read")(verify.pipeline.load_article)
p = verify.checking
p.fetch_pages = timed("fetch", n_first)(p.fetch_pages)
p._to_document = timed("extract")(p._to_document)
p.split_claims = timed("split", lambda a, r: len(r))(p.split_claims)
verify.sentences.split_spans = timed("split", lambda a, r: 0)(verify.sentences.split_spans)
verify.match.Plan.__init__ = timed("bm25", n_self_first)(verify.match.Plan.__init__)
p.judge = timed("judge")(p.judge)
verify.entail.EntailmentModel.predict = timed("model", n_self_first)(verify.entail.EntailmentModel.predict)
verify.verifier.VerifierModel.predict = timed("verifier", n_self_first)(verify.verifier.VerifierModel.predict)
p.find_attributions = timed("attribution")(p.find_attributions)
verify.rewrite.find_attributions = timed("attribution")(verify.rewrite.find_attributions)
p.rewrite_diff = timed("rewrite", lambda a, r: int(r is not None))(p.rewrite_diff)
cache = verify.resultcache.ResultCache
cache.lookup_all = timed("cache", n_self_first)(cache.lookup_all)
cache.save = timed("cache")(cache.save)

class Timed:
    def __init__(self, inner):
        self.inner, self.name = inner, inner.name
        self.warm = getattr(inner, "warm", None)
    @timed("embed", n_self_first)
    def encode(self, texts):
        return self.inner.encode(texts)

class Written:
    def __init__(self, inner):
        self.inner = inner
    def __getattr__(self, name):
        return getattr(self.inner, name)
    @timed("report")
    def write(self, *args, **kwargs):
        return self.inner.write(*args, **kwargs)

cli.make_embedder = lambda settings: Timed(embed.make_embedder(settings.model, settings.backend))
_formatter = cli.formatter
cli.formatter = lambda name: Written(_formatter(name))

def dump():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["VERIFY_SPEED_PROFILE"], "w") as f:
        json.dump({"stages": totals, "wall": time.perf_counter() - started,
                   "cpu": usage.ru_utime + usage.ru_stime, "main": main_at}, f)

atexit.register(dump)
sys.argv[0] = "verify"
main_at = time.perf_counter() - started
cli.main()
"""


def profile(
    target: Path, backend: str | None, extra: list[str], warm: bool, report: Path | None = None
) -> dict[str, Any]:
    """Cold (new cache database) and optionally warm runs of the CLI over `target`, by stage."""
    env = {**os.environ}
    if backend:
        env["VERIFY_EMBED_BACKEND"] = backend
    out: dict[str, Any] = {"target": str(target), "backend": backend or "default", "extra": extra}
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "cache.sqlite"
        for run in ("cold", "warm") if warm else ("cold",):
            stages_file = Path(scratch) / f"{run}.json"
            env["VERIFY_SPEED_PROFILE"] = str(stages_file)
            command = [sys.executable, "-c", PROFILE_LAUNCHER, str(target), "--db", str(db), "-q"]
            command += ["--format", "json", "--output", str(Path(scratch) / "report.json"), *extra]
            wall, rss, code = _spawn(command, env)
            if code not in (0, 1) or not stages_file.is_file():
                raise SystemExit(f"verify failed ({code}) on {target}")
            raw = json.loads(stages_file.read_text())
            out[run] = _stage_table(raw, wall, rss)
            if report is not None and run == "cold":
                shutil.copyfile(Path(scratch) / "report.json", report)
    return out


def _stage_table(raw: dict[str, Any], wall: float, rss: float) -> dict[str, Any]:
    rows = {}
    for stage in STAGES:
        w, c, items, calls = raw["stages"].get(stage, [0.0, 0.0, 0, 0])
        rows[stage] = {"wall_s": round(w, 3), "cpu_s": round(c, 3), "items": items, "calls": calls}
    tracked_cpu = sum(r["cpu_s"] for r in rows.values())
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(raw["cpu"], 3),
        "peak_rss_mb": rss,
        "start_up_s": round(raw["main"], 3),
        "stages": rows,
        # start-up, imports, model loading outside a stage, and onnxruntime's own pool threads
        "cpu_outside_stages_s": round(raw["cpu"] - tracked_cpu, 3),
    }


def profile_markdown(result: dict[str, Any]) -> str:
    """The profile as a markdown table: one row per stage, wall/CPU seconds and items, cold (and warm)."""
    runs = [r for r in ("cold", "warm") if r in result]
    head = "| stage | " + " | ".join(f"{r} wall s | {r} CPU s | {r} items" for r in runs) + " |"
    lines = [head, "|---|" + "---|---|---|" * len(runs)]
    for stage in STAGES:
        cells = []
        for run in runs:
            row = result[run]["stages"][stage]
            cells += [f"{row['wall_s']:.2f}", f"{row['cpu_s']:.2f}", str(row["items"])]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    for label, key in (("CPU outside stages", "cpu_outside_stages_s"),):
        lines.append(f"| {label} | " + " | ".join(f" | {result[r][key]:.2f} | " for r in runs) + " |")
    cells = [f"**{result[r]['wall_s']:.2f}** | **{result[r]['cpu_s']:.2f}** | " for r in runs]
    lines.append("| whole process | " + " | ".join(cells) + " |")
    peaks = ", ".join(f"{r} {result[r]['peak_rss_mb']:.0f} MB" for r in runs)
    lines.append(f"\npeak RSS: {peaks}")
    return "\n".join(lines)


# ---- helpers -------------------------------------------------------------------------------------


def _spawn(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB of that child alone (os.wait4), exit code."""
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode not in (0, 1):
        sys.stderr.write(errors.decode(errors="replace")[-2000:])
    return wall, round(usage.ru_maxrss / 1024, 1), child.returncode


def _python(args: list[str]) -> tuple[float, float, str]:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, cwd=ROOT)
    out, _ = child.communicate()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{args} failed")
    return wall, 0.0, out.decode().strip()


def _score(labels: Path, report: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(EVAL / "score_wice.py"), str(labels), str(report)],
        capture_output=True,
        text=True,
        check=True,
    )
    text = done.stdout
    return json.loads(text[: text.rindex("}") + 1])


def _build_corpus(folder: Path) -> None:
    if (folder / "articles").is_dir() and (folder / "labels.jsonl").is_file():
        return
    subprocess.run(
        [sys.executable, str(EVAL / "build_wice_corpus.py"), str(WICE_DATA), str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _source_sentences(corpus: Path | None) -> list[str]:
    """Every sentence of every source of the corpus (or the fixture), as verify splits them."""
    from verify.checking import _to_document
    from verify.config import Settings
    from verify.fetch import fetch
    from verify.ingest import load_article
    from verify.models import Document
    from verify.pipeline import discover
    from verify.sources import gather_sources

    settings = Settings(offline=True)
    inputs = discover([corpus / "articles" if corpus else FIXTURE])
    refs = {}
    for item in inputs:
        refs.update(dict.fromkeys(gather_sources(load_article(item.path, item.display), settings)))
    sentences: list[str] = []
    for result in fetch(list(refs), settings, None):
        doc = _to_document(result)
        if isinstance(doc, Document):
            sentences += [s.text for s in doc.sentences]
    return sentences


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def _machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


if __name__ == "__main__":
    main()
