"""Hostile input, round two (issue 27, items 9-11 and 13-15): one hostile page, article, server or
cache row costs its own source or article, never the run; every case ends quickly with one line.

Loopback servers only. The pathological inputs are scaled down from the issue's repros but keep
their shape; time bounds are loose (a shared machine) yet far below the times before the fixes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from ci_support import run_cli
from conftest import FakeEmbedder, Reply, Server

import verify.pipeline as pipeline
from verify import resultcache
from verify.config import Settings
from verify.distributed import collect, iter_results
from verify.errors import InputError
from verify.fetch import fetch, page_problem
from verify.ingest import load_article
from verify.models import Fetched, Report, Skipped, SourceRef
from verify.pipeline import discover
from verify.resultcache import ResultCache
from verify.store import Store


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- 9: a redirect to a URL httpx cannot even build -------------------------------------------

UNFETCHABLE = [
    "mailto:x",
    "javascript:alert(1)",
    "data:text/html,hi",
    "about:blank",
    "ftp:x",
    "https:example.org",
]


@pytest.mark.parametrize("location", UNFETCHABLE)
def test_a_redirect_to_an_unfetchable_url_skips_that_source(server: Server, location: str) -> None:
    url = server.add("/away", Reply(302, headers={"Location": location}))
    [result] = fetch([SourceRef(url)], Settings(allow_private=True, timeout=2.0), None)
    assert isinstance(result, Skipped)
    assert result.reason.startswith(f"redirect to {location!r} refused: ")


@pytest.mark.parametrize("location", ["mailto:x", "https:example.org"])
def test_robots_txt_redirecting_to_an_unfetchable_url_allows_the_page(server: Server, location: str) -> None:
    server.add("/robots.txt", Reply(301, headers={"Location": location}))
    [result] = fetch(
        [SourceRef(server.url("/spacex.html"))],
        Settings(allow_private=True, timeout=2.0, respect_robots=True),
        None,
    )
    assert isinstance(result, Fetched)


def test_one_unfetchable_redirect_does_not_abort_the_run(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    away = server.add("/away", Reply(302, headers={"Location": "mailto:x"}))
    good = server.url("/spacex.html")
    article = write(tmp_path, "a.md", f"SpaceX won a contract in 2008 ([page]({good}), [other]({away})).\n")
    code, out, err = run_cli(
        [str(article), "--allow-private", "-f", "json", "--db", str(tmp_path / "c.db")], monkeypatch, capsys
    )
    assert code in (0, 1, 2), err
    assert "internal error" not in err
    assert "redirect to 'mailto:x' refused" in out


# --- 14: depth the nesting pre-check did not see -----------------------------------------------

NESTING = {
    "a quoted < in an attribute": '<b title="<">x' * 20_000,
    "self-closed non-void elements": "<div/>x" * 20_000,
    "unmatched end tags": "<b>x</x>" * 20_000,
    "an unquoted < in an attribute": "<b title=<>x" * 20_000,
}


@pytest.mark.parametrize("name", list(NESTING))
def test_deep_nesting_in_disguise_is_refused_at_once(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, "deep.html", NESTING[name])
    started = time.monotonic()
    with pytest.raises(InputError, match="nested deeper than 1000 levels"):
        load_article(path)
    assert time.monotonic() - started < 2  # 6 s before for the unmatched end tags, 1 minute at 1.7 MB


@pytest.mark.parametrize("name", [n for n in NESTING if "unquoted" not in n])
def test_a_page_nested_in_disguise_is_refused_before_extraction(name: str) -> None:
    assert (
        page_problem(NESTING[name].encode(), "text/html", "")
        == "HTML elements nested deeper than 1000 levels"
    )


def test_ordinary_markup_is_not_mistaken_for_depth(tmp_path: Path) -> None:
    sloppy = "<p>para<li>item<br><img src=x><hr/>" * 5000 + '<a title="a > b">link</a></x>' * 5000
    assert page_problem(sloppy.encode(), "text/html", "") is None
    started = time.monotonic()
    assert load_article(write(tmp_path, "sloppy.html", sloppy)).text
    assert time.monotonic() - started < 5


# --- 15: a zlib bomb in the results table ------------------------------------------------------


def test_a_zlib_bomb_in_the_results_table_is_a_miss_without_inflating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cap = 4 * 1024 * 1024  # scaled down from MAX_PAYLOAD_BYTES, with a bomb scaled down as much
    monkeypatch.setattr(resultcache, "MAX_PAYLOAD_BYTES", cap, raising=False)
    path = write(tmp_path, "a.md", "The rocket flew to orbit in 2008, the agency said.\n")
    article = load_article(path)
    settings = Settings(offline=True)
    store = Store(tmp_path / "c.db")
    results = ResultCache(store, settings, "fake-embedder")
    key = results.key(article, [], [])
    assert key is not None
    packer = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    bomb = packer.compress(b'{"results":"') + b"".join(packer.compress(chunk) for _ in range(64))
    bomb += packer.compress(b'"}') + packer.flush()  # 64 MiB once inflated
    assert len(bomb) < 128 * 1024
    store.put_result(key, bomb, "2026-01-01T00:00:00+00:00")
    tracemalloc.start()
    try:
        assert results.lookup(article, [], []) is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * cap  # the bomb inflated whole is 16 times the cap
    assert results.misses == [str(path)]
    store.put_result(key, zlib.compress(b"[" * 100_000), "2026-01-01T00:00:00+00:00")
    assert results.lookup(article, [], []) is None  # nested too deep for json: a miss, not a crash
    store.close()


# --- 10: Dask batches: an article over its budget, a batch whose workers keep dying -------------


def test_an_article_over_budget_while_read_on_a_worker_thread_is_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Dask task runs on a worker thread, where no timer interrupts a stage: the overrun is
    found when reading ends, and the article must not go on to the next stage (the batch died)."""
    real = pipeline.load_article

    def slow_b(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "b.md":
            time.sleep(1.5)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load_article", slow_b)
    a = write(tmp_path, "a.md", "The rocket flew to orbit in 2008, the agency said.\n")
    b = write(tmp_path, "b.md", "The second rocket flew to orbit in 2009, the agency said.\n")
    outcome: list[object] = []

    def check() -> None:
        try:
            settings = Settings(offline=True, article_timeout=1.0)
            outcome.append(pipeline.run(discover([a, b]), settings, store=None, embedder=FakeEmbedder()))
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=check)
    worker.start()
    worker.join()
    [report] = outcome
    assert isinstance(report, Report), report
    assert [item.article.path for item in report.articles] == [str(a)]
    assert report.errors == (
        f"{b}: not checked: took longer than 1 s (the time budget per article, article-timeout)",
    )


class PoisonEmbedder(FakeEmbedder):
    """Kills its worker process whenever it is asked to embed a text that mentions poison."""

    def encode(self, texts: list[str] | tuple[str, ...]):  # type: ignore[no-untyped-def]
        if any("poison" in text.lower() for text in texts):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().encode(texts)


def poison_factory(settings: Settings) -> FakeEmbedder:
    return PoisonEmbedder()


def test_a_batch_whose_workers_keep_dying_costs_its_articles_not_the_run(tmp_path: Path) -> None:
    import dask
    from distributed import LocalCluster

    folder = tmp_path / "archive"
    for i in range(8):
        cargo = "poison" if i == 7 else "cargo"
        fact = f"Mission {i} carried {i + 2} tonnes of {cargo} to orbit in 20{10 + i}."
        write(folder, f"pages/p{i}.html", f"<html><body><article><p>{fact}</p></article></body></html>")
        write(folder, f"a{i}.md", f"---\nsources:\n  - file: pages/p{i}.html\n---\n\n{fact}\n")
    # the slow one: read on a worker thread for longer than its budget (no timer interrupts it there)
    write(folder, "a-slow.html", "<div>Mission text.</div>" * 80_000)
    settings = Settings(db=str(tmp_path / "c.sqlite"), article_timeout=1.5, result_cache=False)
    # the scheduler gives up on a task after its first dead worker (3 by default: minutes of restarts)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        local = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0")
    try:
        started = time.monotonic()
        results = iter_results(
            [i for i in discover([folder]) if "pages" not in i.display],
            settings,
            cluster=local.scheduler_address,
            factory=poison_factory,
        )
        reports, errors, _ = collect(results)
        elapsed = time.monotonic() - started
    finally:
        local.close()
    checked = {Path(r.article.path).name for r in reports}
    lost = {Path(e.split(":")[0]).name for e in errors}
    assert "a7.md" in lost and "a-slow.html" in lost
    assert checked | lost == {f"a{i}.md" for i in range(8)} | {"a-slow.html"}
    # lost: the poisoned batch (two articles), a batch queued on the same worker, the slow article
    assert len(checked) >= 3
    assert any("a7.md: not checked: the worker process checking it died" in e for e in errors)
    assert any("a-slow.html: not checked: took longer than 1.5 s" in e for e in errors)
    assert elapsed < 120
