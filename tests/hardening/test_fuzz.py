"""Property-based fuzzing of the whole command (issue 18): articles, front matter, served pages.

Whatever the input, `verify` ends with exit 0, 1, 2 or 3, prints no traceback and no internal
error, finishes each case within a time budget, and leaves the cache database intact. The
examples are bounded so the module costs well under a minute in CI.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import FakeEmbedder, Reply, Server
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.budget import time_budget

EXAMPLES = int(os.environ.get("VERIFY_FUZZ_EXAMPLES", "20"))  # raise it for a long local run
CASE_BUDGET = 10.0  # seconds per example, far above what a healthy case takes (~0.1 s)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the time budget below is the bound; hypothesis' deadline flakes under load
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
MARKUP = "[]()!<>`*_#-=:\"'\\/.&;{}|~\n\n  \t\r\x1b\x00\u202e\u2028\ufeff"
TEXT = st.text(alphabet=st.sampled_from(MARKUP) | st.characters(codec="utf-8"), max_size=400)
SNIPPETS = st.sampled_from(
    [
        "[",
        "](",
        "![",
        "<!--",
        "-->",
        "<div>",
        "</div>",
        "<a href='http://x'>",
        "http://example.org/a.",
        "...",
        "```",
        "# ",
        "\n---\n",
        "&amp;",
        "&#x0;",
        "\x1b]52;c;ZXZpbA==\x07",
        "The rocket flew to orbit in 2008, NASA said.",
        '"We are ready," said Jane Roe.',
    ]
)
ARTICLES = st.lists(TEXT | SNIPPETS, max_size=30).map("".join)
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["url", "file", "x"]), inner, max_size=3)
    ),
    max_leaves=12,
)
YAML_SYNTAX = ["&a", "*a", "- ", ": ", "[", "{", "!!python/object", "%YAML 1.1"]
FRONT_MATTER = st.one_of(
    st.builds(
        lambda title, sources: f"title: {title!r}\nsources: {sources!r}\n", st.text(max_size=40), YAML_VALUES
    ),
    st.lists(
        TEXT | st.sampled_from(["&a", "*a", "- ", ": ", "[", "{", "!!python/object", "%YAML 1.1"]),
        max_size=20,
    ).map("".join),
)
CHARSETS = ["", "utf-8", "rot-13", "hex", "base64", "utf-16", "x-unknown", "latin-1", "utf-8;;;", "\x00"]
PAGES = st.tuples(
    st.sampled_from(["text/html", "text/plain", "application/xhtml+xml", "", "text/html; charset"]),
    st.sampled_from(CHARSETS),
    st.lists(st.binary(max_size=200) | SNIPPETS.map(str.encode), max_size=20).map(b"".join),
)
_counter = itertools.count()


def run_cli_safely(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import verify.cli as cli

    monkeypatch.setattr(cli, "make_embedder", lambda settings: FakeEmbedder())
    monkeypatch.setattr(sys, "argv", ["verify", *args])
    with time_budget(CASE_BUDGET), pytest.raises(SystemExit) as exit_info:
        cli.main()
    _, err = capsys.readouterr()
    assert exit_info.value.code in (0, 1, 2, 3), err
    assert "Traceback" not in err and "internal error" not in err, err
    assert "\x1b" not in err


def assert_cache_intact(db: Path) -> None:
    if db.exists():
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "page.html").write_text("<p>The rocket flew to orbit in 2008.</p>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@FUZZ
@given(body=ARTICLES, suffix=st.sampled_from([".md", ".txt", ".html"]))
def test_any_article(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys, body: str, suffix: str) -> None:
    path = folder / f"a{next(_counter)}{suffix}"
    path.write_text(body, encoding="utf-8", errors="surrogatepass")
    run_cli_safely(
        [path.name, "--offline", "-q", "-f", "github", "--db", "cache.sqlite"], monkeypatch, capsys
    )
    assert_cache_intact(folder / "cache.sqlite")


@FUZZ
@given(front=FRONT_MATTER)
def test_any_front_matter(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys, front: str) -> None:
    path = folder / f"f{next(_counter)}.md"
    path.write_text(
        f"---\n{front}\n---\n\nThe rocket flew to orbit in 2008.\n", encoding="utf-8", errors="surrogatepass"
    )
    run_cli_safely([path.name, "--offline", "-q", "--db", "cache.sqlite"], monkeypatch, capsys)
    assert_cache_intact(folder / "cache.sqlite")


@FUZZ
@given(page=PAGES)
def test_any_served_page(
    folder: Path, server: Server, monkeypatch: pytest.MonkeyPatch, capsys, page: tuple[str, str, bytes]
) -> None:
    content_type, charset, body = page
    header = f"{content_type}; charset={charset}" if charset else content_type
    url = server.add(f"/p{next(_counter)}", Reply(body=body, headers={"Content-Type": header}))
    path = folder / f"p{next(_counter)}.md"
    path.write_text(f"---\nsources:\n  - {url}\n---\n\nThe rocket flew to orbit in 2008.\n", encoding="utf-8")
    args = [path.name, "--allow-private", "-q", "--timeout", "2", "--db", "cache.sqlite"]
    run_cli_safely(args, monkeypatch, capsys)
    run_cli_safely([*args, "--offline"], monkeypatch, capsys)  # the cached copy is usable (or dropped)
    assert_cache_intact(folder / "cache.sqlite")
