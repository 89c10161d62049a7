"""One formatter interface chosen by name: --format's choices, rendering and writing come from REGISTRY."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from ci_support import check, make_corpus

import verify.cli as cli
from verify.cli.usage import _accepted
from verify.config import Settings
from verify.errors import UsageError
from verify.policy import evaluate
from verify.report import FORMATS, REGISTRY, Rendering, formatter


def test_format_choices_are_the_registry() -> None:
    assert FORMATS == ("terminal", "json", "html", "sarif", "github", "jsonl", "claimreview")
    option = next(p for p in typer.main.get_command(cli.app).params if p.name == "format")
    assert _accepted(option) == "one of " + ", ".join(FORMATS)  # what a bad --format is told
    assert [name for name, f in REGISTRY.items() if f.needs_output] == ["html"]
    assert [name for name, f in REGISTRY.items() if f.streams] == ["jsonl"]


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown report format 'yaml'"):
        formatter("yaml")


@pytest.mark.parametrize("name", ["terminal", "json", "sarif", "github", "claimreview"])
def test_text_formats_render_and_write_the_same_text(name: str, tmp_path: Path) -> None:
    make_corpus(tmp_path)
    report = check([tmp_path / "a.md"])
    run = Rendering(report, evaluate(report, Settings()))
    text = formatter(name).render(run)
    assert text.strip()
    out = tmp_path / f"report.{name}"
    formatter(name).write(run, out)
    assert out.read_text(encoding="utf-8") == text


def test_html_needs_an_output_file(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    report = check([tmp_path / "a.md"])
    run = Rendering(report, evaluate(report, Settings()))
    with pytest.raises(UsageError, match=r"--format html needs --output FILE\.html"):
        formatter("html").write(run, None)
    formatter("html").write(run, tmp_path / "report.html")
    assert "<html" in (tmp_path / "report.html").read_text(encoding="utf-8").lower()
