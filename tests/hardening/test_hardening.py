"""Seams between features found in review: each case once crashed, leaked or ignored a setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_support import PAGE, run_cli

from verify.config import Settings, build_settings, discover_config
from verify.errors import UsageError
from verify.ingest import load_article
from verify.sources import collect_sources

SECRET = "AUTHORIZATION: basic c2VjcmV0LXRva2Vu"


def test_a_line_of_punctuation_alone_does_not_crash_the_run(tmp_path: Path, monkeypatch, capsys) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("The council approved the budget on Monday.\n\n--\n\nJane Doe, City Desk\n", "utf-8")
    code, out, err = run_cli(
        [str(article), "--offline", "-q", "-f", "json", "-s", str(page)], monkeypatch, capsys
    )
    assert code in (0, 1), err
    assert json.loads(out)["articles"][0]["claims"]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text(f'[http]\n\textraheader = "{SECRET}"\n', encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "page.html").write_text(PAGE, encoding="utf-8")
    return root


def test_hidden_files_inside_the_repository_are_never_read(repo: Path) -> None:
    article = repo / "docs" / "a.md"
    article.write_text(
        "---\nsources:\n  - file: ../.git/config\n  - file: page.html\n---\n\nThe rocket flew.\n"
    )
    kept, refused = collect_sources(load_article(article), Settings())
    assert [r.file.name for r in kept if r.file] == ["page.html"]
    assert len(refused) == 1 and "hidden file or folder" in refused[0].reason


def test_relative_links_of_an_html_article_are_pages_only(repo: Path, monkeypatch, capsys) -> None:
    article = repo / "docs" / "b.html"
    article.write_text(
        '<html><body><p>The rocket flew in 2008. <a href="../.git/config">cfg</a> '
        '<a href="logo.png">logo</a> <a href="page.html">page</a></p></body></html>',
        encoding="utf-8",
    )
    assert [ref.file.name for ref in load_article(article).sources if ref.file] == ["page.html"]
    monkeypatch.chdir(repo)
    code, out, err = run_cli([str(article), "--offline", "-q"], monkeypatch, capsys)
    assert code in (0, 1), err
    assert "c2VjcmV0" not in out + err


@pytest.mark.parametrize(
    "line",
    [
        'cluster = "tcp://127.0.0.1:9"',
        'db = "postgresql+psycopg://attacker@127.0.0.1/x"',
        'sources = ["~/secret.txt"]',
        'manifests = ["/etc/passwd"]',
        'model = "/tmp/pickled-model"',
    ],
)
def test_settings_that_widen_access_are_refused_in_a_config_among_the_articles(
    tmp_path: Path, monkeypatch, line: str
) -> None:
    content = tmp_path / "content"
    (content / "verify.toml").parent.mkdir(parents=True)
    (content / "verify.toml").write_text(line + "\n", encoding="utf-8")
    article = content / "a.md"
    article.write_text("The rocket flew.\n", encoding="utf-8")
    elsewhere = tmp_path / "runner"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(UsageError, match="is honoured only on the command line"):
        build_settings(discover_config([article]))


def test_verify_extract_prints_file_names_escaped(tmp_path: Path, monkeypatch, capsys) -> None:
    page = tmp_path / "x\x1b]0;owned\x07.html"
    page.write_text(PAGE, encoding="utf-8")
    missing = tmp_path / "gone\x1b[2J.html"
    code, out, err = run_cli(["extract", str(page), str(missing)], monkeypatch, capsys)
    assert code == 2
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b" in out and "\\x1b" in err


def test_jsonl_applies_the_default_baseline_and_escapes_errors(tmp_path: Path, monkeypatch, capsys) -> None:
    article = tmp_path / "a.md"
    article.write_text("The rocket flew, said.\n", encoding="utf-8")  # a reporting verb with no speaker
    empty = tmp_path / "e\x1b]0;PW\x07.md"
    empty.write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(
        ["a.md", "--offline", "-q", "-f", "jsonl", "--fail-on", "warning"], monkeypatch, capsys
    )
    before = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and before[0]["findings"]
    code, _out, err = run_cli(["baseline", "a.md", "--offline", "-q"], monkeypatch, capsys)
    assert code == 0, err
    code, out, err = run_cli(
        ["a.md", "--offline", "-q", "-f", "jsonl", "--fail-on", "warning"], monkeypatch, capsys
    )
    assert code == 0, err
    code, out, err = run_cli([str(empty), "--offline", "-q", "-f", "jsonl"], monkeypatch, capsys)
    assert code == 2 and "\x1b" not in err and "\\x1b" in err


def test_an_original_typed_on_the_command_line_may_lie_under_the_cwd(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "orig").mkdir()
    (tmp_path / "orig" / "o.html").write_text(PAGE, encoding="utf-8")
    article = tmp_path / "a" / "b" / "art.md"
    article.parent.mkdir(parents=True)
    article.write_text("The rocket flew.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    kept, refused = collect_sources(load_article(article), Settings(original="orig/o.html"))
    assert refused == [] and [r.origin for r in kept] == ["original"]
    in_front_matter = tmp_path / "a" / "b" / "fm.md"
    in_front_matter.write_text("---\noriginal: ../../orig/o.html\n---\n\nThe rocket flew.\n", "utf-8")
    kept, refused = collect_sources(load_article(in_front_matter), Settings())
    assert kept == [] and len(refused) == 1  # written in an article, it is confined like any source


def test_an_article_over_budget_in_a_worker_thread_is_still_not_checked() -> None:
    """No timer interrupts a thread (Dask runs tasks in threads): the overrun is caught as the stage ends."""
    import threading
    import time

    from verify.budget import OverBudget, Stopwatch

    outcome: list[str] = []

    def work(pause: float) -> None:
        watch = Stopwatch(0.05)
        try:
            with watch.run("article.md"):
                time.sleep(pause)
            outcome.append("checked")
        except OverBudget as exc:
            outcome.append(str(exc))

    for pause in (0.2, 0.0):
        thread = threading.Thread(target=work, args=(pause,))
        thread.start()
        thread.join()
    assert outcome == ["took longer than 0.05 s", "checked"]
