"""An article that names no sources gets one notice; its claims are not checkable, not unsupported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_support import check, make_corpus, run_cli

from verify.checking import NO_SOURCES

ARTICLE = """\
---
title: "Draft"
---

# Launch plans

SpaceX won a cargo contract worth $1.6 billion in 2008.

The contract covered 12 cargo flights to the International Space Station.
"""


def test_claims_are_not_checkable_with_one_article_notice(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(ARTICLE, encoding="utf-8")
    (item,) = check([path]).articles
    verdicts = {r.claim.text: (r.verdict, r.reason) for r in item.results}
    assert verdicts["SpaceX won a cargo contract worth $1.6 billion in 2008."] == (
        "not_checkable",
        NO_SOURCES,
    )
    assert {v for v, _ in verdicts.values()} == {"not_checkable"}
    (notice,) = [f for f in item.findings if f.rule == "sources.none"]
    assert notice.message.startswith("no sources: nothing was checked")
    assert (notice.line, notice.column, notice.severity) == (1, 1, "warning")


def test_json_report_has_no_unsupported_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "draft.md"
    path.write_text(ARTICLE, encoding="utf-8")
    code, out, _ = run_cli(
        [str(path), "--format", "json", "--db", str(tmp_path / "c.db")], monkeypatch, capsys
    )
    assert code == 1  # the notice is a warning, so CI still notices an unchecked article
    (article,) = json.loads(out)["articles"]
    assert [f["rule"] for f in article["findings"]] == ["sources.none"]
    assert {c["verdict"] for c in article["claims"]} == {"not_checkable"}


def test_an_article_with_sources_gets_no_notice(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    (item,) = check([tmp_path / "a.md"]).articles
    assert not [f for f in item.findings if f.rule == "sources.none"]
    assert "unsupported" in {r.verdict for r in item.results}


def test_when_no_source_can_be_read_the_claims_are_not_checked_not_unsupported(tmp_path: Path) -> None:
    # a network outage (or a moved file) is not the article's fault
    path = tmp_path / "draft.md"
    path.write_text(
        ARTICLE.replace('title: "Draft"', 'title: "Draft"\nsources: [gone.html]'), encoding="utf-8"
    )
    (item,) = check([path]).articles
    assert {r.verdict for r in item.results} == {"not_checkable"}
    (notice,) = [f for f in item.findings if f.rule == "sources.none"]
    assert "none of its 1 source(s) could be read; see the skipped sources" in notice.message
    assert [s.ref.file.name for s in item.skipped if s.ref.file] == ["gone.html"]
