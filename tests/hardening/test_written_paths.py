"""Every path verify writes (a report, an archive, a recorded baseline) is refused before any work
when it names a file the run reads, the cache database, another of its outputs, a device or a pipe."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from ci_support import make_corpus, run_cli


def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The small corpus (a.md citing page.html) and a manifest naming the page, as the working folder."""
    make_corpus(tmp_path)
    (tmp_path / "list.txt").write_text("page.html\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


@pytest.fixture
def filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[Path, bytes]:
    """The corpus as the working folder after a first run filled cache.sqlite (so a refusal can be seen
    to keep what was cached); the bytes of every file in it."""
    corpus(tmp_path, monkeypatch)
    code, _, _ = run_cli(["a.md", "--offline", "-q", "--db", "cache.sqlite"], monkeypatch, capsys)
    assert code in (0, 1) and (tmp_path / "cache.sqlite").stat().st_size > 0
    return snapshot(tmp_path)


@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("a.md", "is the article a.md"),
        ("page.html", "is a source named for every article"),
        ("list.txt", "is a sources manifest"),
        ("cache.sqlite", "is the cache database"),
    ],
)
def test_an_archive_path_that_the_run_reads_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    filled: dict[Path, bytes],
    target: str,
    what: str,
) -> None:
    before = filled
    args = ["a.md", "--offline", "-q", "--db", "cache.sqlite", "--sources", "list.txt", "--archive", target]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 2
    assert (
        err == f"verify: error: --archive {target} {what}, read by this run; the archive would replace it\n"
    )
    assert snapshot(tmp_path) == before


def test_the_report_and_the_archive_cannot_be_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus(tmp_path, monkeypatch)
    args = [
        "a.md",
        "--offline",
        "-q",
        "--db",
        "cache.sqlite",
        "-f",
        "json",
        "-o",
        "r.json",
        "--archive",
        "r.json",
    ]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 2 and "--output r.json is also the --archive file" in err
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize(
    ("target", "what"), [("a.md", "the article a.md"), ("cache.sqlite", "the cache database")]
)
def test_a_recorded_baseline_never_replaces_the_article_or_the_database(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    filled: dict[Path, bytes],
    target: str,
    what: str,
) -> None:
    before = filled
    code, _, err = run_cli(
        ["baseline", "a.md", "--offline", "-q", "--db", "cache.sqlite", "--baseline", target],
        monkeypatch,
        capsys,
    )
    assert code == 2 and f"--baseline {target} is {what}, read by this run" in err
    assert snapshot(tmp_path) == before
    # a baseline of its own name is still recorded
    code, _, err = run_cli(
        ["baseline", "a.md", "--offline", "-q", "--db", "cache.sqlite", "--baseline", "signed.json"],
        monkeypatch,
        capsys,
    )
    assert code == 0 and (tmp_path / "signed.json").is_file()


def test_the_archive_command_never_writes_over_an_article_or_a_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus(tmp_path, monkeypatch)
    before = snapshot(tmp_path)
    for target, what in (("a.md", "the article a.md"), ("page.html", "a source of a.md")):
        code, _, err = run_cli(
            ["archive", "a.md", "--offline", "--db", "cache.sqlite", "-o", target], monkeypatch, capsys
        )
        assert code == 2 and f"--output {target} is {what}, read by this run" in err
    assert snapshot(tmp_path) == before


def test_a_replay_archive_is_not_replaced_by_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus(tmp_path, monkeypatch)
    code, _, _ = run_cli(
        ["archive", "a.md", "--offline", "--db", "cache.sqlite", "-o", "a.warc.gz"], monkeypatch, capsys
    )
    assert code == 0
    archived = (tmp_path / "a.warc.gz").read_bytes()
    args = ["a.md", "-q", "--db", "cache.sqlite", "--replay", "a.warc.gz", "-o", "a.warc.gz"]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 2 and "--output a.warc.gz is the replay archive, read by this run" in err
    assert (tmp_path / "a.warc.gz").read_bytes() == archived


@pytest.mark.parametrize("option", ["-o", "--archive"])
def test_a_pipe_or_a_link_to_a_device_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    corpus(tmp_path, monkeypatch)
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "null").symlink_to(os.devnull)  # as "-o /dev/stdout" links to /proc/self/fd/1
    for target, kind in (("pipe", "is a named pipe"), ("null", "is under /dev or /proc")):
        code, _, err = run_cli(
            ["a.md", "--offline", "-q", "--db", "cache.sqlite", option, target], monkeypatch, capsys
        )
        assert code == 2 and f"{target} {kind}" in err
    assert stat.S_ISFIFO((tmp_path / "pipe").lstat().st_mode)
    assert os.readlink(tmp_path / "null") == os.devnull
