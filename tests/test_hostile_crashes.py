"""Hostile input, round two (issue 27, items 9-11 and 13-15): one hostile page, article, server or
cache row costs its own source or article, never the run; every case ends quickly with one line.

Loopback servers only. The pathological inputs are scaled down from the issue's repros but keep
their shape; time bounds are loose (a shared machine) yet far below the times before the fixes.
"""

from __future__ import annotations

import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from ci_support import run_cli
from conftest import Reply, Server, page

from verify.config import Settings
from verify.errors import InputError
from verify.fetch import fetch, page_problem
from verify.ingest import load_article
from verify.models import Fetched, Skipped, SourceRef
from verify import resultcache
from verify.resultcache import ResultCache
from verify.store import Store


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- 9: a redirect to a URL httpx cannot even build -------------------------------------------

UNFETCHABLE = ["mailto:x", "javascript:alert(1)", "data:text/html,hi", "about:blank", "ftp:x", "https:example.org"]


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
    assert page_problem(NESTING[name].encode(), "text/html", "") == "HTML elements nested deeper than 1000 levels"


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
