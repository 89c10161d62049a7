"""Hostile and broken input (issue 18): no hang, no unbounded read, no internal error, a cache
that one hostile page cannot poison, and a clean exit while the model loads in the background.

The hang cases run under `time_budget(5)`: a regression to quadratic parsing fails the test
with OverBudget instead of hanging the suite (the measured times are in docs/robustness.md,
from benchmarks/hostile.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from ci_support import PAGE, run_cli
from conftest import FakeEmbedder, Reply, Server

from verify.budget import OverBudget, time_budget
from verify.claims import split_claims
from verify.config import Settings
from verify.errors import InputError
from verify.extract import extract
from verify.fetch import fetch, page_problem
from verify.ingest import load_article
from verify.models import Fetched, SourceRef
from verify.pipeline import discover, run
from verify.sources import load_manifest
from verify.store import CachedPage, Store

ROOT = Path(__file__).resolve().parents[2]
N = 50_000
# name -> article text; each ran for minutes before (catastrophic backtracking or quadratic scans)
HANGS = {
    "brackets.md": "[" * N + "]" * N + "\n",
    "link openers.md": "[a](" * N + "\n",
    "image openers.md": "![" * N + "\n",
    "images.md": "![a]" * N + "\n",
    "unclosed comments.md": "<!--" * N + "\n",
    "comment heavy.md": "<!-- a --> text " * N + "\n",
    "unclosed tags.md": "<a" * N + "\n",
    "autolink openers.md": "<http://a" * N + "\n",
    "url then dots.md": "See http://example.org/a" + "." * 80_000 + "\n",
    "urls and dots.md": "http://a.b." * 10_000 + "\n",
    "wiki links.md": "[a](http://x/(" * N + "\n",
    "heading spaces.md": "# a" + " " * N + "b\n",
    "dots.md": "." * 80_000 + "\n",
    "dots.txt": "." * 80_000 + "\n",
    "nested divs.html": "<div>" * 1000 + "Some text." + "</div>" * 1000,
}


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("name", list(HANGS))
def test_hostile_markdown_is_parsed_in_linear_time(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, HANGS[name])
    with time_budget(5):
        claims = split_claims(load_article(path))
    assert len(claims) <= 5


@pytest.mark.parametrize(
    "name",
    ["dots.md", "url then dots.md", "comment heavy.md", "initials.md", "brackets.md", "image openers.md"],
)
def test_hostile_articles_are_checked_end_to_end_without_hanging(tmp_path: Path, name: str) -> None:
    """The whole check (claims, matching, attribution), not only parsing; the bound is loose
    (a shared, loaded machine) but a quadratic stage takes minutes on these inputs."""
    texts = {**HANGS, "initials.md": "A. " * 20_000 + "B\n"}
    path = write(tmp_path, name, texts[name])
    with time_budget(15):
        report = run(discover([path]), Settings(offline=True), store=None, embedder=FakeEmbedder())
    assert report.errors == () and len(report.articles) == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"." * 80_000, "text/plain"),
        (b"<p>" + b"." * 80_000 + b"</p>", "text/html"),
        (b"<p>The rocket flew. " + b"a. " * 20_000 + b"</p>", "text/html"),
    ],
)
def test_a_page_of_dots_is_extracted_in_linear_time(body: bytes, content_type: str) -> None:
    fetched = Fetched(ref=SourceRef("https://example.org/"), body=body, content_type=content_type)
    with time_budget(5):
        document = extract(fetched)
    assert document.text


def test_deeply_nested_html_is_refused_before_parsing(tmp_path: Path) -> None:
    divs = "<div>" * N + "text"
    with time_budget(5):
        assert page_problem(divs.encode(), "text/html", "") == "HTML elements nested deeper than 1000 levels"
        with pytest.raises(InputError, match="nested deeper than 1000 levels"):
            load_article(write(tmp_path, "divs.html", divs))
    # ordinary sloppy HTML (unclosed <p> and <li>, void tags) is not mistaken for depth
    sloppy = ("<p>para<li>item<br><img src=x>" * 5000).encode()
    assert page_problem(sloppy, "text/html", "") is None


def test_a_deeply_nested_page_is_a_skip(server: Server) -> None:
    url = server.add("/divs", Reply(body=b"<div>" * N + b"text"))
    with time_budget(5):
        [result] = fetch([SourceRef(url)], Settings(allow_private=True, timeout=2.0), None)
    assert not isinstance(result, Fetched)
    assert result.reason == "HTML elements nested deeper than 1000 levels"


# --- front matter ------------------------------------------------------------------------------

ALIAS_BOMB = """---
a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
title: *g
sources: *g
---
Body text here.
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ALIAS_BOMB, "invalid front matter (line 3): YAML aliases (*name) are not supported here"),
        (
            "---\nsources:\n" + "".join("  " * i + "- \n" for i in range(1, 1001)) + "---\nBody.\n",
            "invalid front matter (line 52): nested deeper than 50 levels",
        ),
        (
            "---\nsources: " + "[" * 1000 + "]" * 1000 + "\n---\nBody.\n",
            "invalid front matter (line 2): nested deeper than 50 levels",
        ),
        (
            "---\ntitle: " + "9" * 4500 + "\n---\nBody.\n",
            "invalid front matter: Exceeds the limit (4300 digits) for integer string conversion",
        ),
    ],
    ids=[
        "alias bomb",
        "sources nested 1000 deep (block)",
        "sources nested 1000 deep (flow)",
        "4500-digit int",
    ],
)
def test_hostile_front_matter_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "a.md", text)
    with time_budget(5), pytest.raises(InputError) as error:
        load_article(path)
    assert str(error.value).startswith(f"{path}: {message}")


def test_hostile_manifests_are_one_clear_error(tmp_path: Path) -> None:
    cases = {
        "bomb.yaml": (ALIAS_BOMB.strip("-\n").split("---")[0], "YAML aliases (*name) are not supported here"),
        "deep.json": ("[" * 100_000 + "]" * 100_000, "malformed sources manifest: nested too deeply"),
        "bigint.json": ("[" + "9" * 5000 + "]", "malformed sources manifest: Exceeds the limit"),
    }
    for name, (text, message) in cases.items():
        path = write(tmp_path, name, text)
        with time_budget(5), pytest.raises(InputError, match=re.escape(message)):
            load_manifest(path)


def test_utf16_with_an_odd_byte_count_is_read(tmp_path: Path) -> None:
    data = "\ufeffThe rocket flew to orbit in 2008, the agency said.\n".encode("utf-16-le") + b"\x00"
    article = load_article(write(tmp_path, "odd.txt", b"\xff\xfe" + data[2:]))
    assert article.text.startswith("The rocket flew")


# --- files that are not regular files ------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifos_and_devices_are_refused_without_reading(tmp_path: Path, monkeypatch, capsys) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    os.mkfifo(tmp_path / "pipe.html")
    os.mkfifo(tmp_path / "list.txt")
    write(tmp_path, "a.md", "---\nsources:\n  - file: pipe.html\n---\n\nThe rocket flew in 2008.\n")
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    with time_budget(20):
        code, _, err = run_cli(["pipe.md", "--offline", "-q"], monkeypatch, capsys)
        assert (code, err) == (2, "verify: error: pipe.md: is not a regular file (a FIFO)\n")
        code, _, err = run_cli(["/dev/zero", "--offline", "-q"], monkeypatch, capsys)
        assert (code, err) == (2, "verify: error: /dev/zero: is not a regular file (a device)\n")
        code, _, err = run_cli(["a.md", "--offline", "-q", "--sources", "list.txt"], monkeypatch, capsys)
        assert (code, err) == (
            2,
            "verify: error: list.txt: cannot read sources manifest (is not a regular file (a FIFO))\n",
        )
        code, _, err = run_cli(["a.md", "--offline", "-q", "--sources", "/dev/urandom"], monkeypatch, capsys)
        assert code == 2 and "is not a regular file (a device)" in err
        code, out, err = run_cli(["a.md", "--offline", "-f", "json", "-q"], monkeypatch, capsys)
        assert code in (0, 1) and "archived file pipe.html is not a regular file (a FIFO)" in out
    assert time.monotonic() - start < 20


# --- pages and the cache -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Content-Type": "text/html; charset=rot-13"}, b"<p>Gur ebpxrg syrj.</p>"),
        ({"Content-Type": "text/html; charset=hex"}, b"<p>The rocket flew.</p>"),
        ({"Content-Type": "text/html"}, b'<html><head><meta charset="rot13"></head><p>Text.</p></html>'),
        (
            {"Content-Type": "text/html"},
            b'<meta http-equiv="Content-Type" content="text/html; charset=base64">',
        ),
    ],
    ids=["header rot-13", "header hex", "meta rot13", "meta base64"],
)
def test_a_non_text_charset_is_a_skip_and_never_cached(
    server: Server, tmp_path: Path, headers: dict[str, str], body: bytes
) -> None:
    url = server.add("/charset", Reply(body=body, headers=headers))
    store = Store(tmp_path / "cache.sqlite")
    [result] = fetch([SourceRef(url)], Settings(allow_private=True, timeout=2.0), store)
    assert not isinstance(result, Fetched)
    assert "which is not a text encoding" in result.reason
    assert store.get_page(url) is None
    store.close()


def poisoned_cache(db: Path, url: str) -> None:
    """A cache written by an older verify: a page whose charset is rot-13, and a good page."""
    store = Store(db)
    for address, encoding, body in (
        (url, "rot-13", b"<p>Gur ebpxrg syrj.</p>"),
        (url + "ok", "utf-8", PAGE.encode()),
    ):
        store.put_page(
            CachedPage(
                url=address,
                final_url=address,
                status=200,
                content_type="text/html",
                encoding=encoding,
                etag="",
                last_modified="",
                fetched_at="2024-01-01T00:00:00+00:00",
                content_hash=hashlib.sha256(body).hexdigest(),
                body=body,
            )
        )
    store.close()


def test_a_poisoned_cache_entry_is_dropped_and_reported(tmp_path: Path, monkeypatch, capsys) -> None:
    url = "https://example.org/rot"
    db = tmp_path / "cache.sqlite"
    poisoned_cache(db, url)
    write(tmp_path, "a.md", f"---\nsources:\n  - {url}\n  - {url}ok\n---\n\nSpaceX won a contract in 2008.\n")
    monkeypatch.chdir(tmp_path)
    args = ["a.md", "--offline", "--db", str(db), "-f", "json", "-q", "--no-cache"]
    code, out, err = run_cli(args, monkeypatch, capsys)
    assert code in (0, 1), err
    assert (
        "the page declares the charset 'rot-13', which is not a text encoding; the cached copy was dropped"
        in out
    )
    code, out, err = run_cli(args, monkeypatch, capsys)
    assert code in (0, 1), err
    assert "not in the cache, and --offline forbids fetching it" in out
    store = Store(db)
    assert store.get_page(url) is None and store.get_page(url + "ok") is not None
    store.close()


def test_an_extraction_error_is_a_skip_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import verify.extract as extract

    def broken(fetched: Fetched) -> None:
        raise LookupError("unknown encoding: x-hostile")

    monkeypatch.setattr(extract, "extract", broken)
    write(tmp_path, "page.html", PAGE)
    path = write(tmp_path, "a.md", "---\nsources:\n  - file: page.html\n---\n\nThe rocket flew in 2008.\n")
    report = run(discover([path]), Settings(offline=True), store=None, embedder=FakeEmbedder())
    [item] = report.articles
    assert [s.reason for s in item.skipped] == [
        "cannot read the page (LookupError: unknown encoding: x-hostile)"
    ]


# --- time budget per article -------------------------------------------------------------------


def test_an_article_over_its_time_budget_is_reported_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import verify.checking as checking

    real = checking.check_article

    def slow_on_b(article, *args, **kwargs):
        if article.path.endswith("b.md"):
            time.sleep(30)
        return real(article, *args, **kwargs)

    monkeypatch.setattr(checking, "check_article", slow_on_b)
    a = write(tmp_path, "a.md", "The rocket flew to orbit in 2008, the agency said.\n")
    b = write(tmp_path, "b.md", "The second rocket flew to orbit in 2009, the agency said.\n")
    start = time.monotonic()
    report = run(
        discover([a, b]), Settings(offline=True, article_timeout=1.0), store=None, embedder=FakeEmbedder()
    )
    assert time.monotonic() - start < 10
    assert [item.article.path for item in report.articles] == [str(a)]
    assert report.errors == (
        f"{b}: not checked: took longer than 1 s (the time budget per article, article-timeout)",
    )


# --- background model loading ------------------------------------------------------------------


def test_a_fatal_error_while_the_model_loads_exits_cleanly(tmp_path: Path, server: Server) -> None:
    """A cache error during fetching ends the run while warm() is still loading: the process must
    wait for the loader (not kill it mid-way: exit 134 with a native model runtime) and exit 3."""
    url = server.url("/spacex.html")
    write(tmp_path, "a.md", f"---\nsources:\n  - {url}\n---\n\nSpaceX won a contract in 2008.\n")
    script = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        import verify.cli, verify.store
        from verify.errors import CacheError

        class SlowLoader:
            name = "slow"
            def warm(self):
                time.sleep(1.0)
                Path("loaded").write_text("done")
            def encode(self, texts):
                raise AssertionError("not reached")

        def full(self, page):
            raise CacheError("cache database c.sqlite: database or disk is full")

        verify.store.Store.put_page = full
        verify.cli.make_embedder = lambda settings: SlowLoader()
        sys.argv = ["verify", "a.md", "--allow-private", "--db", "c.sqlite", "-q", "--no-cache"]
        verify.cli.main()
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stderr == "verify: error: cache database c.sqlite: database or disk is full\n"
    assert result.returncode == 3
    assert (tmp_path / "loaded").read_text() == "done"  # the loader finished before the process ended


def test_over_budget_is_raised_inside_a_regex() -> None:
    """The budget interrupts the regular-expression engine itself (what a hang used to be)."""
    pattern = re.compile(r"(a+)+$")
    start = time.monotonic()
    with pytest.raises(OverBudget), time_budget(0.5):
        pattern.match("a" * 40 + "b")
    assert time.monotonic() - start < 3


def test_the_background_embedding_stops_when_the_run_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupt on the main thread must not leave the embedding thread working through
    every batch (the process waits for it before exiting): it stops after its current batch."""
    import threading

    import verify.checking as checking
    from verify.embed import CachedEmbedder

    class SlowEmbedder(FakeEmbedder):
        def encode(self, texts):
            time.sleep(0.2)
            return super().encode(texts)

    def interrupted(*args: object) -> None:
        time.sleep(0.3)  # the embedding thread is at work by now
        raise KeyboardInterrupt

    monkeypatch.setattr(checking, "EMBED_BATCH", 1)
    monkeypatch.setattr(checking, "find_attributions", interrupted)
    sentences = " ".join(
        f"Rocket number {n} flew to orbit in {1950 + n}, the agency said." for n in range(40)
    )
    write(tmp_path, "page.html", f"<p>{sentences}</p>")
    path = write(tmp_path, "a.md", f"---\nsources:\n  - file: page.html\n---\n\n{sentences}\n")
    inner = SlowEmbedder()
    before = set(threading.enumerate())
    with pytest.raises(KeyboardInterrupt):
        run(discover([path]), Settings(offline=True), store=None, embedder=CachedEmbedder(inner, None))
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=5)
        assert not thread.is_alive()
    assert len(inner.calls) <= 4  # of 40 batches (0 when it is interrupted before the first)
