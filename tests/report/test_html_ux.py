"""The HTML report's inline badges and evidence links (issue 14, item 11; the phone layout itself
is checked in Chromium by tests/report/test_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup, Tag
from test_report_html import _article, _doc, claim_at, ev, finding_at, soup_of

from verify.models import ArticleReport, ClaimResult, Report, SourceRef
from verify.report.html import render_article, write_html

RAW = "The boost was real, as noted lynette tanCEO of Space Faculty, a training company.\n"
URL = "https://news.example.com/space-faculty"
SENTENCE = "The boost was real, said Lynette Tan, CEO of Space Faculty."


def glued_item(archived_file: Path | None = None) -> ArticleReport:
    a = _article(RAW, fmt="text")
    claim = claim_at(a, RAW.strip(), "c1")
    result = ClaimResult(claim, "supported", 0.8, evidence=(ev(URL, SENTENCE, 0.9),))
    finding = finding_at(a, "lynette tan", "attribution.glued-title", "error", "the name runs into 'CEO'")
    doc = _doc(URL, "Space Faculty", [SENTENCE], archived=archived_file is not None)
    if archived_file is not None:
        doc = type(doc)(**{**doc.__dict__, "ref": SourceRef(URL, file=archived_file, origin="front-matter")})
    return ArticleReport(a, (result,), (finding,), (doc,))


def article_text_with_badges_as_bars(soup: BeautifulSoup) -> str:
    body = soup.select_one("#article-text")
    assert isinstance(body, Tag)
    for badge in body.select(".fnote"):
        badge.replace_with("|")
    for label in body.select(".badge"):
        label.decompose()
    return body.get_text()


def test_a_badge_never_splits_the_glued_word_it_flags() -> None:
    soup = soup_of(render_article(glued_item(), Report(())))
    text = article_text_with_badges_as_bars(soup)
    assert "lynette tanCEO|" in text and "tan|CEO" not in text
    mark = soup.select_one(".fmark.s-error")
    assert mark is not None and mark.get_text() == "lynette tan"  # the underline still shows the words


def test_badges_name_the_problem_instead_of_looking_like_counts() -> None:
    soup = soup_of(render_article(glued_item(), Report(())))
    (badge,) = soup.select(".fnote")
    tip = badge.select_one(".tip")
    assert tip is not None
    tip.decompose()
    shown = badge.get_text(" ", strip=True)
    assert not re.fullmatch(r"\W*\d+", shown), shown
    assert "glued title" in shown
    assert str(badge["title"]).startswith("#1 ")  # the number that the findings list uses


def test_evidence_links_offer_the_archived_copy_and_the_recorded_url(tmp_path: Path) -> None:
    archived = tmp_path / "pages" / "space-faculty.html"
    archived.parent.mkdir()
    archived.write_text(f"<p>{SENTENCE}</p>")
    out = tmp_path / "reports" / "report.html"
    (page,) = write_html(Report((glued_item(archived),)), out)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    detail = soup.select_one("#detail-0")
    assert detail is not None
    recorded = detail.select_one("a.src-link")
    copy = detail.select_one("a.archive-link")
    assert recorded is not None and copy is not None
    assert str(recorded["href"]).startswith(URL + "#:~:text=")
    href = str(copy["href"])
    assert "#:~:text=" in href and not href.startswith(("file:", "/"))  # relative: the folder can move
    assert (out.parent / unquote(href.split("#", 1)[0])).resolve() == archived.resolve()
    assert detail.select_one('a.back-to-claim[href="#claim-0"]') is not None


def test_no_archived_link_for_a_live_page() -> None:
    soup = soup_of(render_article(glued_item(), Report(())))
    assert soup.select("a.archive-link") == []
    assert soup.select("a.src-link")
