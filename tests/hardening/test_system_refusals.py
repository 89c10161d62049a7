"""What the system refuses a user's request (a link that loops, a full disk, a console that cannot show
a character) ends in one line and exit 2, or in a report, never in "internal error" (exit 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest
from ci_support import make_corpus, run_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "args",
    [["self.md"], ["a.md", "-s", "self.md"], ["a.md", "--original", "self.md"], ["a.md", "-o", "self.md"]],
)
def test_a_link_that_points_to_itself_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    make_corpus(tmp_path)
    (tmp_path / "self.md").symlink_to("self.md")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli([*args, "--offline", "-q", "--db", "c.sqlite"], monkeypatch, capsys)
    assert code == 2
    assert err.endswith("self.md: a symbolic link loop\n") and err.count("\n") == 1


def verify_process(tmp_path: Path, stdout: int | IO[str], **env: str) -> subprocess.CompletedProcess[str]:
    make_corpus(tmp_path)
    return subprocess.run(
        [sys.executable, "-m", "verify", "a.md", "--offline", "-q", "--db", "c.sqlite"],
        cwd=tmp_path,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=300,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_disk_under_the_report_is_one_error_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = verify_process(tmp_path, full)
    assert done.returncode == 2
    assert done.stderr == "verify: error: cannot write or read: No space left on device\n"


def test_a_console_that_cannot_show_a_character_gets_the_report(tmp_path: Path) -> None:
    done = verify_process(tmp_path, subprocess.PIPE, PYTHONIOENCODING="ascii")
    assert done.returncode in (0, 1) and "internal error" not in done.stderr
    assert "a.md" in done.stdout


def test_offline_never_asks_the_hub_for_a_model(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "verify",
            "a.md",
            "--offline",
            "-q",
            "--db",
            "c.sqlite",
            "--model",
            "no-org/no-model",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "cannot load embedding model 'no-org/no-model'" in done.stderr
    assert "Retrying" not in done.stderr


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://"])
def test_an_in_memory_database_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["a.md", "--offline", "-q", "--db", url], monkeypatch, capsys)
    assert code == 3
    assert (
        err
        == f"verify: error: cache database {url}: an in-memory database cannot be used; give a file path\n"
    )


def test_messages_name_what_the_user_gave(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "junk.warc.gz").write_bytes(bytes(range(256)) * 2)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["extract", "empty"], monkeypatch, capsys)
    assert (code, out) == (2, "") and err.startswith("verify: error: empty: no pages (")
    code, _, err = run_cli(
        ["archive", "a.md", "--offline", "--db", "c.sqlite", "-o", "no/x.warc.gz"], monkeypatch, capsys
    )
    assert code == 2 and err == "verify: error: --output no/x.warc.gz: folder no does not exist\n"
    code, _, err = run_cli(
        ["a.md", "-q", "--db", "c.sqlite", "--replay", "junk.warc.gz"], monkeypatch, capsys
    )
    assert code == 2 and err.rstrip("\n").isprintable()  # no bytes of the file quoted
    assert err.startswith("verify: error: --replay junk.warc.gz: not a readable WARC file")


def test_another_programs_sqlite_file_is_refused_and_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    make_corpus(tmp_path)
    with sqlite3.connect(tmp_path / "notes.sqlite") as conn:
        conn.execute("CREATE TABLE notes (x)")
    before = (tmp_path / "notes.sqlite").read_bytes()
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["a.md", "--offline", "-q", "--db", "notes.sqlite"], monkeypatch, capsys)
    assert code == 3
    assert err == (
        "verify: error: cache database notes.sqlite: it holds other tables (notes), so it is not a verify "
        "cache; use another --db\n"
    )
    assert (tmp_path / "notes.sqlite").read_bytes() == before  # not even switched to WAL
    assert not (tmp_path / "notes.sqlite-wal").exists()
