"""Batch runs: serial batches and a real Dask LocalCluster of 2 worker processes, JSON Lines output."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from ci_support import make_corpus, run_cli
from conftest import FakeEmbedder

import verify.distributed as distributed
from verify import __version__
from verify.config import Settings
from verify.distributed import collect, iter_results, progress_line
from verify.models import Report
from verify.pipeline import discover, run
from verify.report.json import to_dict
from verify.store import Store

ROOT = Path(__file__).resolve().parent.parent

FACTS = [
    [
        "SpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008.",
        "The contract covered 12 cargo flights to the International Space Station.",
        "The first Dragon cargo mission reached the station in May 2012.",
    ],
    [
        "Rocket Lab launched its Electron rocket from New Zealand in 2017.",
        "The Electron rocket can carry about 300 kilograms to low Earth orbit.",
        "Its Rutherford engines use electric pumps to feed propellant.",
    ],
    [
        "Blue Origin flew New Shepard to space for the first time in 2015.",
        "The booster landed vertically a few minutes after launch.",
        "The company was founded by Jeff Bezos in 2000.",
    ],
]


def make_archive(folder: Path, count: int = 12) -> Path:
    """`count` articles citing two of three shared pages each: many shared source sentences."""
    (folder / "pages").mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    for n, facts in enumerate(FACTS):
        body = "".join(f"<p>{f}</p>" for f in facts)
        (folder / "pages" / f"page{n}.html").write_text(
            f"<html><head><title>Page {n}</title></head><body><article>{body}</article></body></html>"
        )
    for i in range(count):
        first, second = i % 3, (i + 1) % 3
        claims = [FACTS[first][i % 3], FACTS[second][(i + 1) % 3], f"The mission number {i} failed in 1999."]
        text = "\n\n".join(claims)
        (folder / "articles" / f"article{i:03d}.md").write_text(
            f'---\ntitle: "Article {i}"\nsources:\n  - file: ../pages/page{first}.html\n'
            f"  - file: ../pages/page{second}.html\n"
            f"---\n\n{text}\n"
        )
    return folder / "articles"


def serial_json(folder: Path, db: Path) -> dict[str, object]:
    report = run(discover([folder]), Settings(db=str(db)), store=None, embedder=FakeEmbedder())
    return without_time(to_dict(report))


def without_time(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "generated_at"}


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A real LocalCluster of 2 worker processes (nannies restart a killed one)."""
    from distributed import LocalCluster

    local = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    try:
        yield local.scheduler_address
    finally:
        local.close()


def fake_factory(settings: Settings) -> FakeEmbedder:
    return FakeEmbedder()


class DyingEmbedder(FakeEmbedder):
    """Kills its worker process on its first call of the run (once, marked by a file)."""

    def __init__(self, marker: Path) -> None:
        super().__init__()
        self.marker = marker

    def encode(self, texts: list[str] | tuple[str, ...]):
        try:
            self.marker.open("x").close()
        except FileExistsError:
            return super().encode(texts)
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")


def dying_factory(marker: Path, settings: Settings) -> FakeEmbedder:
    return DyingEmbedder(marker)


def batch_report(
    folder: Path, db: Path, cluster: str | None, factory: object = fake_factory
) -> dict[str, object]:
    settings = Settings(db=str(db))
    results = iter_results(discover([folder]), settings, cluster=cluster, factory=factory)  # type: ignore[arg-type]
    reports, errors, totals = collect(results)
    report = Report(tuple(reports), model=totals.model, version=__version__, errors=tuple(errors))
    return without_time(to_dict(report))


def test_two_dask_workers_give_the_serial_report(tmp_path: Path, cluster: str) -> None:
    archive = make_archive(tmp_path / "archive")
    expected = serial_json(archive, tmp_path / "serial.sqlite")
    assert expected["summary"]["articles"] == 12  # type: ignore[index]
    assert batch_report(archive, tmp_path / "dask.sqlite", cluster) == expected
    assert batch_report(archive, tmp_path / "batches.sqlite", None) == expected  # serial batches too


def test_dask_workers_collect_garbage_as_the_cli_does(tmp_path: Path, cluster: str) -> None:
    import gc

    from distributed import Client

    from verify.config import GC_THRESHOLDS

    archive = make_archive(tmp_path / "archive", count=2)
    batch_report(archive, tmp_path / "dask.sqlite", cluster)
    with Client(cluster) as client:
        thresholds = client.run(gc.get_threshold)
    assert thresholds and all(tuple(t) == GC_THRESHOLDS for t in thresholds.values())


def test_every_unique_text_is_embedded_once_across_workers(
    tmp_path: Path, cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(distributed, "BATCH_SIZE", 2)  # many small batches on two workers at once
    archive = make_archive(tmp_path / "archive", count=16)
    db = tmp_path / "shared.sqlite"
    results = list(
        iter_results(discover([archive]), Settings(db=str(db)), cluster=cluster, factory=fake_factory)
    )
    assert {r.worker for r in results} and len(results) == 8
    embedded = sum(r.embedded for r in results)
    store = Store(db)
    assert embedded == store.counts()["embeddings"] > 0  # no text was embedded by both workers
    store.close()


def test_a_killed_worker_has_its_batch_rerun_and_the_run_completes(
    tmp_path: Path, cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(distributed, "BATCH_SIZE", 3)
    monkeypatch.setattr(distributed, "CLAIM_STALE_AFTER", 2.0)  # the dead worker's claims are taken over soon
    archive = make_archive(tmp_path / "archive")
    marker = tmp_path / "killed-once"
    factory = functools.partial(dying_factory, marker)
    got = batch_report(archive, tmp_path / "dask.sqlite", cluster, factory)
    assert marker.exists()  # a worker process really died
    assert got == serial_json(archive, tmp_path / "serial.sqlite")


def test_a_restarted_run_skips_the_articles_already_finished(
    tmp_path: Path, cluster: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(distributed, "BATCH_SIZE", 3)
    archive = make_archive(tmp_path / "archive")
    settings = Settings(db=str(tmp_path / "shared.sqlite"))
    interrupted = iter_results(discover([archive]), settings, cluster=cluster, factory=fake_factory)
    assert isinstance(interrupted, Generator)
    first = next(interrupted)
    interrupted.close()  # the run stops after its first batch
    done = {item.article.path for item in first.reports}
    assert 0 < len(done) <= 3
    again = list(iter_results(discover([archive]), settings, cluster=cluster, factory=fake_factory))
    hits = {path for r in again for path in r.hits}
    assert done <= hits
    assert sum(len(r.misses) for r in again) == 12 - len(hits) > 0 or len(hits) == 12
    assert all(r.embedded == 0 for r in again if set(r.hits) == {a.article.path for a in r.reports})


def test_cli_workers_option_matches_the_serial_json_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = make_archive(tmp_path / "archive", count=6)
    _, serial, _ = run_cli(
        [str(archive), "--format", "json", "--db", str(tmp_path / "a.sqlite")], monkeypatch, capsys
    )
    code, batched, err = run_cli(
        [str(archive), "--format", "json", "--db", str(tmp_path / "b.sqlite"), "--workers", "2"],
        monkeypatch,
        capsys,
    )
    assert code == 1, err
    assert without_time(json.loads(batched)) == without_time(json.loads(serial))


def test_jsonl_streams_one_article_object_per_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = make_archive(tmp_path / "archive", count=5)
    db = str(tmp_path / "c.sqlite")
    _, whole, _ = run_cli([str(archive), "--format", "json", "--db", db, "--no-cache"], monkeypatch, capsys)
    code, lines, err = run_cli(
        [str(archive), "--format", "jsonl", "--db", db, "--no-cache"], monkeypatch, capsys
    )
    assert code == 1, err
    assert [json.loads(line) for line in lines.splitlines()] == json.loads(whole)["articles"]
    out = tmp_path / "report.jsonl"
    run_cli([str(archive), "--db", db, "-o", str(out)], monkeypatch, capsys)  # stores the results
    code, stdout, _ = run_cli([str(archive), "--db", db, "-o", str(out)], monkeypatch, capsys)
    assert code == 1 and stdout == ""
    entries = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["path"] for e in entries] == [e["path"] for e in json.loads(whole)["articles"]]
    assert all(e["cached"] for e in entries)  # the previous run stored its results


def test_jsonl_has_a_line_for_each_article_it_could_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path / "c")
    (tmp_path / "c" / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "c" / "bin.txt").write_bytes(b"\x00\x01bin")
    code, out, err = run_cli(
        [str(tmp_path / "c"), "-f", "jsonl", "--offline", "--db", str(tmp_path / "d")], monkeypatch, capsys
    )
    assert code == 2
    entries = [json.loads(line) for line in out.splitlines()]
    errors = sorted(e["error"] for e in entries if "error" in e)
    assert len(errors) == 2 and errors[0].endswith("looks like a binary file, not an article")
    assert errors[1].endswith("empty.md: the file is empty")
    assert [Path(e["path"]).name for e in entries if "path" in e] == ["a.md"]
    assert err.count("verify: error:") == 2


def test_progress_line_shows_done_total_rate_and_eta() -> None:
    assert progress_line(120, 2000, 10.0) == "articles 120/2000  12.0/s  ETA 2m37s"
    assert progress_line(2000, 2000, 100.0) == "articles 2000/2000  20.0/s  done"


NO_DASK = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[2])
    from ci_support import make_corpus
    from conftest import FakeEmbedder
    import verify.cli as cli
    make_corpus(__import__("pathlib").Path(sys.argv[1]))
    cli.make_embedder = lambda settings: FakeEmbedder()
    sys.argv = ["verify", sys.argv[1], "--format", "jsonl", "--quiet"]
    try:
        cli.main()
    except SystemExit:
        pass
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
    print("dask modules:", loaded, file=sys.stderr)
    """
)


def test_without_workers_nothing_of_dask_is_imported(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERIFY_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", NO_DASK, str(tmp_path / "corpus"), str(ROOT / "tests")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert '"claims"' in done.stdout, done.stderr
    assert "dask modules: []" in done.stderr


def test_a_worker_shares_its_cores_with_the_pair_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local worker's share of the cores bounds its pair models as well as its embedder."""
    import verify.entail as entail

    monkeypatch.setattr(entail, "_cores_share", None)
    settings = Settings(db=str(tmp_path / "c.sqlite"))
    distributed.Checker(settings, lambda _settings: FakeEmbedder()).close()
    assert entail._cores_share is None  # in-process: every core
    distributed.Checker(settings, lambda _settings: FakeEmbedder(), threads=2).close()
    assert entail._cores_share == 2
