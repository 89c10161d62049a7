"""`verify extract`: what verify reads from pages, through the console entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ci_support import run_cli
from conftest import Reply, Server

PAGES = Path(__file__).resolve().parents[1] / "pages"


def test_many_files_as_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [
        str(PAGES / "news_article.html"),
        str(PAGES / "cp1252.html"),
        str(PAGES / "letters_fallback.html"),
    ]
    code, out, err = run_cli(
        ["extract", *files, "--format", "json", "--db", str(tmp_path / "c.db")], monkeypatch, capsys
    )
    assert (code, err) == (0, "")
    records = json.loads(out)
    assert [r["path"] for r in records] == files
    first = records[0]
    assert first["title"] == "Harbour bridge reopens after two-year repair"
    assert (first["author"], first["published"], first["site"]) == (
        "Eleanor Briggs",
        "2024-05-14",
        "Northern Courier",
    )
    assert "We use cookies" not in first["text"]
    for sentence in first["sentences"]:
        assert first["text"][sentence["start"] : sentence["end"]] == sentence["text"]
    assert "coûté 7,5 millions d’euros" in records[1]["text"]
    assert records[2]["published"] is None and records[2]["author"] is None
    assert records[2]["extractor"] == "fallback"


def test_text_format_lists_metadata_and_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(PAGES / "modal_wrapper.html", folder / "nypost.html")
    shutil.copy(PAGES / "comments.html", folder / "blog.htm")
    code, out, _ = run_cli(["extract", str(folder), "--db", str(tmp_path / "c.db")], monkeypatch, capsys)
    assert code == 0
    assert out.index(f"== {folder / 'blog.htm'}") < out.index(f"== {folder / 'nypost.html'}")
    assert "author: Kevin Marsh\npublished: 2024-01-08\nsite: Metro Post" in out
    assert "] 0-124 The transit authority postponed a planned 15-cent subway fare increase" in out
    assert "About time" not in out  # the comments under the blog post


def test_loopback_server_page_then_offline_from_the_cache(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (PAGES / "ad_wrapper.html").read_bytes()
    server.add("/ledger/story.html", Reply(body=body))
    moved = server.add("/old-link", Reply(301, headers={"Location": "/ledger/story.html"}))
    db = str(tmp_path / "c.db")
    code, out, err = run_cli(
        ["extract", moved, "--format", "json", "--allow-private", "--db", db], monkeypatch, capsys
    )
    assert (code, err) == (0, "")
    (record,) = json.loads(out)
    assert record["url"] == moved
    assert record["final_url"] == server.url("/ledger/story.html")
    assert (record["title"], record["author"], record["published"]) == (
        "State lawmakers pass wildfire insurance bill",
        "Daniel Okafor",
        "2023-09-12",
    )
    assert "The measure passed 31 to 8" in record["text"] and "Advertisement" not in record["text"]
    hits = dict(server.hits)
    code, out, _ = run_cli(
        ["extract", moved, "--format", "json", "--offline", "--db", db], monkeypatch, capsys
    )
    assert code == 0
    (again,) = json.loads(out)
    assert again["from_cache"] is True and again["text"] == record["text"]
    assert server.hits == hits  # nothing was sent


def test_fetch_safety_rules_apply(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.url("/spacex.html")
    db = str(tmp_path / "c.db")
    code, out, err = run_cli(["extract", url, "--format", "json", "--db", db], monkeypatch, capsys)
    assert code == 2
    (record,) = json.loads(out)
    assert "non-public address" in record["error"]
    assert err.startswith(f"verify: error: {url}: refused") and err.count("\n") == 1
    assert "/spacex.html" not in server.hits
    code, out, err = run_cli(["extract", url, "--offline", "--db", db], monkeypatch, capsys)
    assert code == 2
    assert "--offline forbids fetching it" in err


def test_unreadable_pages_are_one_error_line_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = str(PAGES / "comments.html")
    code, out, err = run_cli(
        [
            "extract",
            good,
            str(tmp_path / "missing.html"),
            "ftp://example.com/x",
            "--db",
            str(tmp_path / "c.db"),
        ],
        monkeypatch,
        capsys,
    )
    assert code == 2
    assert "Librarian Omar Haddad said" in out
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("verify: error: ") for line in lines)
    assert "not found" in lines[0] and "unsupported URL scheme" in lines[1]
    assert "Traceback" not in err
