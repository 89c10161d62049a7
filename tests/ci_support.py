"""Helpers shared by the CI tests: a small article with an archived source, run in-process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import FakeEmbedder

from verify.config import Settings
from verify.models import Report
from verify.pipeline import discover, run

PAGE = (
    "<!doctype html><html><head><title>NASA cargo contracts</title></head><body><article>"
    "<h1>NASA cargo contracts</h1>"
    "<p>SpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008.</p>"
    "<p>The contract covered 12 cargo flights to the International Space Station.</p>"
    "</article></body></html>"
)
ARTICLE = """\
---
title: "Cargo"
sources:
  - file: page.html
---

SpaceX won a cargo contract worth $3.6 billion in 2008.

The contract covered 12 cargo flights to the International Space Station.

The company was founded by penguins on the moon in 1850.
"""


def make_corpus(folder: Path, article: str = ARTICLE, page: str = PAGE, name: str = "a.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html").write_text(page, encoding="utf-8")
    path = folder / name
    path.write_text(article, encoding="utf-8")
    return path


def check(paths: list[Path], settings: Settings | None = None) -> Report:
    return run(discover(paths), settings or Settings(), store=None, embedder=FakeEmbedder())


def run_cli(
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    embedder: object = None,
) -> tuple[int, str, str]:
    """`verify ARGS` through the console entry point, with a fake embedding model."""
    import verify.cli as cli

    chosen = embedder or FakeEmbedder()
    monkeypatch.setattr(cli, "make_embedder", lambda settings: chosen)
    monkeypatch.setattr(sys, "argv", ["verify", *args])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), out, err
