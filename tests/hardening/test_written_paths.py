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


ARCHIVE = ["a.md", "--offline", "-q", "--db", "cache.sqlite", "--sources", "list.txt", "--archive"]
BASELINE = ["baseline", "a.md", "--offline", "-q", "--db", "cache.sqlite", "--baseline"]


@pytest.mark.parametrize(
    ("args", "target", "what"),
    [
        (ARCHIVE, "a.md", "the article a.md"),
        (ARCHIVE, "page.html", "a source named for every article"),
        (ARCHIVE, "list.txt", "a sources manifest"),
        (ARCHIVE, "cache.sqlite", "the cache database"),
        (BASELINE, "a.md", "the article a.md"),
        (BASELINE, "cache.sqlite", "the cache database"),
    ],
)
def test_an_archive_or_baseline_path_that_the_run_reads_is_refused(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    filled: dict[Path, bytes],
    args: list[str],
    target: str,
    what: str,
) -> None:
    code, _, err = run_cli([*args, target], monkeypatch, capsys)
    option, written = args[-1], args[-1].removeprefix("--")
    assert code == 2
    assert (
        err
        == f"verify: error: {option} {target} is {what}, read by this run; the {written} would replace it\n"
    )
    assert snapshot(tmp_path) == filled


def test_a_baseline_of_its_own_name_is_still_recorded(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    filled: dict[Path, bytes],
) -> None:
    code, _, _ = run_cli([*BASELINE, "signed.json"], monkeypatch, capsys)
    assert code == 0 and (tmp_path / "signed.json").is_file()


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
