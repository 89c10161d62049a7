"""The HTML report: layout, content, escaping and the file layout of write_html.

`sample_report()` builds a realistic report for the CMSA private-rockets article straight from the
dataclasses (the pipeline is not needed); tests/test_browser.py reuses it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verify.models import (
    Article,
    ArticleReport,
    Check,
    Claim,
    ClaimPart,
    ClaimResult,
    Document,
    Evidence,
    Finding,
    Report,
    Sentence,
    Skipped,
    SourceRef,
    line_starts,
)
from verify.report import html as report_html
from verify.report.html import http_url, render_article, text_fragment_url, write_html

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "cmsa-private-rockets.txt"  # the demo article

BODY = """\
In an effort to rival the United States in outer space, China’s President Xi Jinping Is copying NASA’s \
strategy of supporting local startups, which is similar in approach Elon Musk’s SpaceX.

The China Manned Space Agency (CMSA) is considering private companies funding future space missions. \
The announcement comes after the successful return of three astronauts from the Tiangong space station \
on Tuesday, Bloomberg reported. As the deputy director said, the agency is currently reviewing proposals \
to use privately developed rockets for cargo transport missions to the Chinese space station. Lin Ziqiang,

Although CMSA has not disclosed the potential size or value of contracts that could be awarded to private \
companies, the move reflects the strategy adopted by NASA with SpaceX. The latter company won a $3.6 \
billion cargo-flight contract in 2008, just two years after its inaugural rocket launch.

See also: What’s happening with Tesla stock?

The decade since China opened up the space industry to private investment has seen some significant \
achievements. Most notably, Beijing Interstellar Glory Space Technology, also known as I-Space, launched \
the country’s first privately developed rocket into orbit in 2019.

However, the sector now finds itself at a turning point and the pace of fundraising has slowed. Startups, \
which raised an average of $1.2 billion annually between 2019 and 2022, are projected to raise about half \
that amount this year, according to China Space Monitor.

CMSA contracts could potentially boost Chinese industry, similar to the boost SpaceX received from NASA, \
as noted lynette tanCEO of Space Faculty Pte Ltd., a Singapore-based company that helps clients train \
space-sector workforces.

Read next: New York Attorney General approves stay on revoking Trump’s business certificates in New York \
fraud trial

Engineered by Benzinga Neuro, edited by
"""

FRONT_MATTER = """\
---
title: China's space agency weighs private rockets
sources:
  - https://news.example.com/china-space-agency-private-rockets
  - https://www.nasa.example/news/commercial-resupply-2008
---
"""

BLOOMBERG = "https://news.example.com/china-space-agency-private-rockets"
NASA = "https://www.nasa.example/news/commercial-resupply-2008"
MONITOR = "https://monitor.example.org/reports/2023-funding"


def _article(raw: str, path: str = "fixtures/cmsa-private-rockets.md", fmt: str = "markdown") -> Article:
    return Article(
        path=path,
        raw=raw,
        text=raw,
        format=fmt,  # type: ignore[arg-type]
        title="China’s space agency weighs private rockets",
        line_starts=line_starts(raw),
    )


def claim_at(article: Article, text: str, cid: str, *, checkable: bool = True, reason: str = "") -> Claim:
    start = article.raw.index(text)
    line, col = article.line_col(start)
    return Claim(cid, text, start, start + len(text), line, col, checkable=checkable, reason=reason)


def finding_at(article: Article, text: str, rule: str, severity: str, message: str, **kw: str) -> Finding:
    start = article.raw.index(text)
    line, col = article.line_col(start)
    return Finding(rule, severity, message, start, start + len(text), line, col, **kw)  # type: ignore[arg-type]


def ev(source: str, text: str, sim: float, index: int = 0) -> Evidence:
    return Evidence(source, text, index, 0, len(text), sim, lexical=sim - 0.2, score=sim - 0.05)


def _doc(url: str, title: str, sentences: list[str], **kw: object) -> Document:
    text = " ".join(sentences)
    sents, pos = [], 0
    for i, s in enumerate(sentences):
        sents.append(Sentence(i, s, pos, pos + len(s)))
        pos += len(s) + 1
    return Document(
        SourceRef(url, origin="front-matter"),
        text,
        tuple(sents),
        title=title,
        final_url=str(kw.pop("final_url", url)),
        status=200,
        fetched_at="2024-05-02T09:14:03Z",
        content_hash="sha256:" + hashlib.sha256(text.encode()).hexdigest(),
        **kw,  # type: ignore[arg-type]
    )


def sample_item() -> ArticleReport:
    """A realistic report on the CMSA article: every verdict, checks, parts, findings, sources."""
    a = _article(FRONT_MATTER + BODY)
    s_cargo = (
        "China’s manned space agency is reviewing proposals to use privately developed rockets "
        "for cargo missions to its space station, deputy director Lin Xiqiang said."
    )
    s_return = "The announcement came after three astronauts returned from the Tiangong station on Tuesday."
    s_nasa = (
        "In December 2008 NASA awarded SpaceX a $1.6 billion Commercial Resupply Services contract "
        "for 12 cargo flights to the International Space Station."
    )
    s_falcon = "SpaceX's first Falcon 1 launch took place in March 2006."
    s_ispace = "In 2019 I-Space became the first Chinese private company to put a rocket into orbit."
    s_funding = (
        "Chinese space startups raised an average of $1.2 billion a year from 2019 to 2022, "
        "and are on track to raise around half of that in 2023."
    )
    s_funding_b = "Startups raised about $1.1 billion a year on average in that period."
    s_slow = "The sector is at a turning point as fundraising slows."
    s_strategy = "The approach mirrors NASA's reliance on SpaceX for cargo and crew flights."

    def r(text: str, cid: str, verdict: str, score: float, **kw: object) -> ClaimResult:
        claim = claim_at(a, text, cid, checkable=verdict != "not_checkable", reason=str(kw.pop("why", "")))
        return ClaimResult(claim, verdict, score, **kw)  # type: ignore[arg-type]

    c1 = (
        "In an effort to rival the United States in outer space, China’s President Xi Jinping Is copying "
        "NASA’s strategy of supporting local startups, which is similar in approach Elon Musk’s SpaceX."
    )
    xi = c1.index("China’s President Xi Jinping Is copying")
    results = (
        r(
            c1,
            "c1",
            "partially_supported",
            0.58,
            evidence=(ev(BLOOMBERG, s_strategy, 0.66, 7),),
            reason="The sources mention NASA's approach but nothing about Xi Jinping copying it.",
            parts=(
                ClaimPart("China wants to rival the US in space", True, 0.71, s_strategy),
                ClaimPart("President Xi Jinping is copying NASA's strategy", False, 0.21),
            ),
            unsupported_words=((xi, xi + len("China’s President Xi Jinping Is copying")),),
        ),
        r(
            "The China Manned Space Agency (CMSA) is considering private companies funding future space "
            "missions.",
            "c2",
            "unsupported",
            0.31,
            evidence=(ev(BLOOMBERG, s_cargo, 0.52, 1),),
            reason="The source says private rockets may carry cargo, not that companies would fund missions.",
        ),
        r(
            "The announcement comes after the successful return of three astronauts from the Tiangong space "
            "station on Tuesday, Bloomberg reported.",
            "c3",
            "supported",
            0.88,
            evidence=(ev(BLOOMBERG, s_return, 0.91, 2),),
        ),
        r(
            "As the deputy director said, the agency is currently reviewing proposals to use privately "
            "developed rockets for cargo transport missions to the Chinese space station.",
            "c4",
            "supported",
            0.86,
            evidence=(ev(BLOOMBERG, s_cargo, 0.9, 1), ev(MONITOR, s_slow, 0.31, 4)),
        ),
        r("Lin Ziqiang,", "c5", "not_checkable", 0.0, why="fragment"),
        r(
            "Although CMSA has not disclosed the potential size or value of contracts that could be awarded "
            "to private companies, the move reflects the strategy adopted by NASA with SpaceX.",
            "c6",
            "supported",
            0.79,
            evidence=(ev(BLOOMBERG, s_strategy, 0.8, 7),),
        ),
        r(
            "The latter company won a $3.6 billion cargo-flight contract in 2008, just two years after its "
            "inaugural rocket launch.",
            "c7",
            "contradicted",
            0.22,
            evidence=(ev(NASA, s_nasa, 0.83, 0), ev(NASA, s_falcon, 0.48, 3)),
            reason="The number differs: the source gives $1.6 billion, the article $3.6 billion.",
            checks=(
                Check(
                    "number",
                    False,
                    "$3.6 billion",
                    "$1.6 billion",
                    NASA,
                    "NASA's 2008 contract was worth $1.6 billion",
                ),
                Check("date", True, "2008", "2008", NASA),
            ),
        ),
        r("See also: What’s happening with Tesla stock?", "c8", "not_checkable", 0.0, why="boilerplate"),
        r(
            "Most notably, Beijing Interstellar Glory Space Technology, also known as I-Space, launched the "
            "country’s first privately developed rocket into orbit in 2019.",
            "c9",
            "supported",
            0.84,
            evidence=(ev(BLOOMBERG, s_ispace, 0.87, 5),),
        ),
        r(
            "However, the sector now finds itself at a turning point and the pace of fundraising has slowed.",
            "c10",
            "supported",
            0.81,
            evidence=(ev(MONITOR, s_slow, 0.85, 4),),
        ),
        r(
            "Startups, which raised an average of $1.2 billion annually between 2019 and 2022, are projected "
            "to raise about half that amount this year, according to China Space Monitor.",
            "c11",
            "supported",
            0.82,
            evidence=(ev(MONITOR, s_funding, 0.89, 0), ev(BLOOMBERG, s_funding_b, 0.74, 6)),
            disagreement="China Space Monitor gives $1.2 billion a year; the news report gives $1.1 billion.",
        ),
        r(
            "CMSA contracts could potentially boost Chinese industry, similar to the boost SpaceX received "
            "from NASA, as noted lynette tanCEO of Space Faculty Pte Ltd., a Singapore-based company that "
            "helps clients train space-sector workforces.",
            "c12",
            "unsupported",
            0.18,
            reason="No source quotes Space Faculty or its CEO.",
        ),
    )
    findings = (
        finding_at(
            a,
            "As the deputy director said",
            "attribution.unnamed-speaker",
            "warning",
            "Quote credited to “the deputy director” without a name; “Lin Ziqiang,” is left dangling after "
            "the sentence (the source spells it “Lin Xiqiang”).",
            suggestion="As Lin Xiqiang, the agency’s deputy director, said, …",
        ),
        finding_at(
            a,
            "lynette tanCEO",
            "attribution.malformed-name",
            "error",
            "Speaker name “lynette tanCEO” runs into the title and is not capitalised.",
            suggestion="Lynette Tan, CEO of Space Faculty Pte Ltd.",
        ),
        finding_at(
            a,
            "Bloomberg reported",
            "attribution.secondary-source",
            "info",
            "Credited to Bloomberg; the report is not one of the article’s linked sources.",
        ),
        finding_at(a, "edited by", "byline.incomplete", "warning", "The byline “edited by” names no one."),
    )
    docs = (
        _doc(
            BLOOMBERG,
            "China Weighs Private Rockets to Supply Its Space Station",
            [s_cargo, s_return, s_strategy, s_ispace, s_funding_b],
        ),
        _doc(
            NASA,
            "NASA Awards Space Station Commercial Resupply Services Contracts",
            [s_nasa, s_falcon],
            archived=True,
            final_url="https://www.nasa.example/news/releases/2008/commercial-resupply",
        ),
        _doc(MONITOR, "China Space Monitor: Funding 2023", [s_funding, s_slow], from_cache=True),
    )
    skipped = (Skipped(SourceRef("https://spacefaculty.example/about", origin="link"), "HTTP 403 Forbidden"),)
    return ArticleReport(a, results, findings, docs, skipped)


def sample_report() -> Report:
    return Report(
        (sample_item(),), model="all-MiniLM-L6-v2", generated_at="2024-05-02T09:15:00Z", version="0.1.0"
    )


def soup_of(page: str) -> BeautifulSoup:
    # html.parser; keep whitespace-only strings as they are in <div> too (bs4 folds them otherwise,
    # browsers do not: the article is shown with white-space: pre-wrap)
    return BeautifulSoup(page, "html.parser", preserve_whitespace_tags={"pre", "textarea", "div"})


@pytest.fixture(scope="module")
def page() -> BeautifulSoup:
    return soup_of(render_article(sample_item(), sample_report()))


def test_seed_matches_builder_text() -> None:
    # The builder's article is the seed article (minus photo credit and footer).
    seed = SEED.read_text(encoding="utf-8")
    assert "The latter company won a $3.6 billion cargo-flight contract in 2008" in seed
    assert "$3.6 billion" in BODY


# --- self-containment -------------------------------------------------------------------------


def _csp(soup: BeautifulSoup) -> str:
    meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert isinstance(meta, Tag)
    return str(meta["content"])


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_csp_allows_nothing_external(page: BeautifulSoup) -> None:
    csp = _csp(page)
    assert "default-src 'none'" in csp
    assert "img-src data:" in csp
    assert "http" not in csp and "*" not in csp and "unsafe-eval" not in csp
    (script,) = page.find_all("script")
    (style,) = page.find_all("style")
    assert _sha(str(script.string)) in csp
    assert _sha(str(style.string)) in csp
    # the meta tag comes before anything that could load
    assert str(page).index("Content-Security-Policy") < str(page).index("<style")


def test_nothing_loads_from_outside(page: BeautifulSoup) -> None:
    for tag in page.find_all(True):
        assert not tag.has_attr("src"), tag
        assert not tag.has_attr("style"), tag
    for link in page.find_all("link"):
        assert str(link["href"]).startswith("data:")
    css = str(page.find("style"))
    assert "@import" not in css and "url(" not in css


# --- article and claims -----------------------------------------------------------------------


def test_every_claim_is_highlighted_with_a_label(page: BeautifulSoup) -> None:
    item = sample_item()
    for i, result in enumerate(item.results):
        span = page.find(id=f"claim-{i}")
        assert isinstance(span, Tag), result.claim.id
        assert f"v-{result.verdict}" in span["class"]
        assert span["tabindex"] == "0" and span["role"] == "button"
        label = report_html.VERDICT_META[result.verdict][1]
        badge = span.find(class_="badge")
        assert badge is not None and label in badge.get_text()
        icon = report_html.VERDICT_META[result.verdict][0]
        assert icon in badge.get_text()


def _article_text(soup: BeautifulSoup) -> str:
    copy = soup_of(str(soup))
    for extra in copy.select(".badge, .fnote"):
        extra.decompose()
    pre = copy.select_one(".front-matter pre")
    body = copy.select_one("#article-text")
    assert body is not None
    return (pre.get_text() if pre else "") + body.get_text()


def test_article_is_shown_as_written(page: BeautifulSoup) -> None:
    assert _article_text(page) == FRONT_MATTER + BODY


def test_front_matter_is_collapsed(page: BeautifulSoup) -> None:
    details = page.select_one("details.front-matter")
    assert details is not None and not details.has_attr("open")
    assert "sources:" in details.get_text()
    body = page.select_one("#article-text")
    assert body is not None and "sources:" not in body.get_text()


def test_findings_are_marked_inline_with_their_message(page: BeautifulSoup) -> None:
    item = sample_item()
    for n, f in enumerate(item.findings):
        mark = page.find(id=f"fmark-{n}")
        assert isinstance(mark, Tag)
        assert f"s-{f.severity}" in mark["class"]
        assert mark.get_text().startswith(item.article.raw[f.start : f.end][:5])
        notes = [t for t in page.select(".fnote") if f.message in t.get_text()]
        assert len(notes) == 1
        assert f.message in str(notes[0].get("title"))
        listed = page.find(id=f"finding-{n}")
        assert isinstance(listed, Tag) and f.message in listed.get_text() and f.rule in listed.get_text()


# --- evidence panel ---------------------------------------------------------------------------


def _detail(page: BeautifulSoup, cid: str) -> Tag:
    for d in page.select(".claim-detail"):
        loc = d.select_one(".loc")
        if loc is not None and cid in loc.get_text().split():
            return d
    raise AssertionError(cid)


def test_contradiction_explains_which_number_differs(page: BeautifulSoup) -> None:
    d = _detail(page, "c7")
    assert d.has_attr("hidden")  # shown by the script on click/focus
    text = d.get_text(" ")
    assert "Contradicted" in text and "$1.6 billion" in text and "$3.6 billion" in text
    row = d.select_one(".checks li.check-bad")
    assert row is not None and "Number differs" in row.get_text()
    matches = {m.get_text() for m in d.select("strong.match")}
    assert {"2008", "contract", "SpaceX"} <= matches or {"2008", "contract"} <= matches
    assert "0.83" in text  # similarity
    link = d.select_one("a.src-link")
    assert link is not None
    href = str(link["href"])
    assert href.startswith("https://www.nasa.example/news/releases/2008/commercial-resupply#:~:text=")


def test_partial_claim_shows_unsupported_words_and_parts(page: BeautifulSoup) -> None:
    d = _detail(page, "c1")
    marks = [m.get_text() for m in d.select("blockquote.claim-text mark.unsup")]
    assert marks == ["China’s President Xi Jinping Is copying"]
    inline = page.select("#claim-0 mark.unsup")
    assert [m.get_text() for m in inline] == marks
    parts = d.select(".parts li")
    assert [("part-bad" in p["class"]) for p in parts] == [False, True]
    assert "Xi Jinping" in d.get_text()


def test_disagreement_and_reason_are_shown(page: BeautifulSoup) -> None:
    d = _detail(page, "c11")
    assert "Sources disagree" in d.get_text() and "$1.1 billion" in d.get_text()
    d2 = _detail(page, "c2")
    assert "not that companies would fund missions" in d2.get_text()


def test_claim_findings_listed_in_its_evidence(page: BeautifulSoup) -> None:
    d = _detail(page, "c12")
    assert "lynette tanCEO" in d.get_text()


# --- summary and sources ----------------------------------------------------------------------


def test_summary_counts_and_filters(page: BeautifulSoup) -> None:
    counts = {
        str(box["value"]): str(box.find_next(class_="count").get_text())  # type: ignore[union-attr]
        for box in page.select("input[data-filter=verdict]")
    }
    assert counts == {
        "supported": "6",
        "partially_supported": "1",
        "contradicted": "1",
        "unsupported": "2",
        "not_checkable": "2",
    }
    headline = page.select_one(".headline")
    assert headline is not None
    text = headline.get_text()
    assert "4 of 10 checkable claims need attention" in text and "1 contradicted" in text
    summary = page.select_one(".summary")
    assert summary is not None
    assert "1 error" in summary.get_text() and "2 warnings" in summary.get_text()
    assert re.search(r"3\s*used", summary.get_text()) and re.search(r"1\s*failed", summary.get_text())


def test_sources_panel(page: BeautifulSoup) -> None:
    panel = page.select_one("#sources")
    assert panel is not None
    text = panel.get_text(" ")
    for needle in (
        "200",
        "2024-05-02T09:14:03Z",
        "archived copy",
        "cache",
        "HTTP 403 Forbidden",
        "nasa.example/news/releases/2008/commercial-resupply",
    ):
        assert needle in text, needle
    codes = [c for c in panel.select("code") if str(c.get("title", "")).startswith("sha256:")]
    assert len(codes) == 3


# --- text fragments and URLs ------------------------------------------------------------------


def test_text_fragment_url() -> None:
    short = text_fragment_url("https://a.example/p?q=1#top", "Costs rose 5-10%, & fell.")
    assert short == "https://a.example/p?q=1#:~:text=Costs%20rose%205%2D10%25%2C%20%26%20fell."
    long = text_fragment_url("https://a.example/", "one two three four five six seven eight nine ten")
    start, end = long.split("#:~:text=")[1].split(",")
    assert unquote(start) == "one two three four" and unquote(end) == "seven eight nine ten"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "//evil.example/x",
        "/etc/passwd",
        "http:/nohost",
        "file:///etc/passwd",
        "",
        None,
    ],
)
def test_only_http_urls_are_links(url: str | None) -> None:
    assert http_url(url) is None


def test_http_urls_are_links() -> None:
    assert http_url("https://example.com/a?b=c") == "https://example.com/a?b=c"
    assert http_url("HTTP://example.com") == "HTTP://example.com"


# --- hostile input ----------------------------------------------------------------------------

EVIL_TEXT = '<script>alert(1)</script><img src=x onerror=alert(2)>" onmouseover="alert(3)" x=\'</div>'
EVIL_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    'https://ok.example/"><script>alert(4)</script>',
    'https://ok.example/x" onmouseover="alert(5)',
]


def hostile_report() -> Report:
    raw = f"Intro {EVIL_TEXT} claim one.\n\n<!-- comment --> {EVIL_TEXT} and </script> end.\n"
    a = Article(path='evil"<x>.md', raw=raw, text=raw, format="text", title=EVIL_TEXT)
    c1 = claim_at(a, f"Intro {EVIL_TEXT} claim one.", 'c1" onclick="alert(1)')
    c2 = claim_at(a, f"{EVIL_TEXT} and </script> end.", "<c2>")
    evid = tuple(Evidence(u, EVIL_TEXT + " sentence", 0, 0, 5, 0.5) for u in EVIL_URLS)
    docs = tuple(
        Document(
            SourceRef(u),
            EVIL_TEXT,
            (),
            title=EVIL_TEXT,
            final_url=u,
            content_hash=EVIL_TEXT,
            fetched_at=EVIL_TEXT,
        )
        for u in EVIL_URLS
    )
    results = (
        ClaimResult(
            c1,
            "contradicted",
            0.1,
            evid,
            reason=EVIL_TEXT,
            disagreement=EVIL_TEXT,
            checks=(Check("number", False, EVIL_TEXT, EVIL_TEXT, EVIL_URLS[0], EVIL_TEXT),),
            parts=(ClaimPart(EVIL_TEXT, False, 0.1, EVIL_TEXT),),
            unsupported_words=((0, 9),),
        ),
        ClaimResult(c2, '"><script>alert(6)</script>', 0.2, evid),  # type: ignore[arg-type]
    )
    findings = (
        Finding(
            'rule"<x>',
            "warning",
            EVIL_TEXT,
            a.raw.index("<img"),
            a.raw.index("<img") + 20,
            1,
            1,
            suggestion=EVIL_TEXT,
            claim_id=c1.id,
        ),
        Finding("r", '"><b>', EVIL_TEXT, 0, 0, 1, 1),  # type: ignore[arg-type]
    )
    skipped = tuple(Skipped(SourceRef(u), EVIL_TEXT) for u in EVIL_URLS)
    item = ArticleReport(a, results, findings, docs, skipped)
    return Report((item,), model=EVIL_TEXT, generated_at=EVIL_TEXT, version=EVIL_TEXT, errors=(EVIL_TEXT,))


def assert_inert(page: str) -> None:
    soup = soup_of(page)
    scripts = soup.find_all("script")
    assert len(scripts) <= 1
    for s in scripts:
        assert s.string == report_html.JS and not s.attrs
    for tag in soup.find_all(True):
        assert tag.name not in {"img", "iframe", "object", "embed", "svg", "math", "form", "base", "b"} or (
            tag.name == "b" and not tag.attrs
        ), tag
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), (tag.name, attr)
            if attr in {"href", "src", "action", "formaction", "xlink:href"}:
                v = str(value)
                assert v.startswith(("https://", "http://", "#", "data:,")) or (
                    tag.name == "a" and re.fullmatch(r"[\w./-]+\.html", v)
                ), v
    for a_tag in soup.find_all("a"):
        href = str(a_tag["href"])
        assert not href.lower().startswith(("javascript", "data", "vbscript")), href
        if href.startswith("http"):
            assert '"' not in href and "<" not in href and " " not in href


def test_hostile_text_and_urls_are_inert() -> None:
    report = hostile_report()
    page = render_article(report.articles[0], report)
    assert_inert(page)
    soup = soup_of(page)
    text = soup.get_text()
    assert "<script>alert(1)</script>" in text  # shown, as text
    assert "javascript:alert(1)" in text  # shown as text, never as a link
    assert not [a for a in soup.find_all("a") if "javascript" in str(a["href"]).lower()]
    # the article is still shown exactly as written
    copy = soup_of(page)
    for extra in copy.select(".badge, .fnote"):
        extra.decompose()
    body, claim = copy.select_one("#article-text"), copy.select_one("#claim-1")
    assert body is not None and claim is not None
    assert body.get_text() == report.articles[0].article.raw
    # an unknown verdict never reaches a class name
    assert "v-not_checkable" in claim["class"]
    # the only http links left are percent-encoded and quoted
    hrefs = [str(a["href"]) for a in soup.find_all("a") if str(a["href"]).startswith("http")]
    assert hrefs and all(h.startswith("https://ok.example/") for h in hrefs)


def test_hostile_multi_article_index_is_inert(tmp_path: Path) -> None:
    report = hostile_report()
    two = Report((report.articles[0], report.articles[0]), errors=report.errors, model=EVIL_TEXT)
    paths = write_html(two, tmp_path / "report.html")
    for p in paths:
        assert_inert(p.read_text(encoding="utf-8"))


# --- write_html -------------------------------------------------------------------------------


def test_write_single_article(tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    assert write_html(sample_report(), out) == [out]
    assert "Contradicted" in out.read_text(encoding="utf-8")


def test_write_several_articles(tmp_path: Path) -> None:
    item = sample_item()
    other = ArticleReport(_article("Plain text.\n", path="b/cmsa-private-rockets.txt", fmt="text"), ())
    report = Report((item, other, item), version="0.1.0")
    out = tmp_path / "report.html"
    paths = write_html(report, out)
    assert paths[0] == out and len(paths) == 4 and len({p.name for p in paths[1:]}) == 3
    index = soup_of(out.read_text(encoding="utf-8"))
    links = [str(a["href"]) for a in index.select("table a")]
    assert [tmp_path / link for link in links] == paths[1:]
    for p in paths[1:]:
        assert p.exists() and p.parent == tmp_path / "report-files"
        back = soup_of(p.read_text(encoding="utf-8")).select_one("a.back")
        assert back is not None and (p.parent / str(back["href"])).resolve() == out.resolve()


def test_write_no_article(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert write_html(Report((), errors=("missing.md: no such file",)), out) == [out]
    text = out.read_text(encoding="utf-8")
    assert "No article was checked" in text and "missing.md: no such file" in text


# --- any spans at all -------------------------------------------------------------------------

spans = st.tuples(st.integers(-5, 80), st.integers(-5, 80))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.text(alphabet="ab <>&\"'\n-", max_size=70),
    claim_spans=st.lists(spans, max_size=6),
    finding_spans=st.lists(spans, max_size=6),
    fmt=st.sampled_from(["text", "markdown"]),
)
def test_any_offsets_render_the_article_exactly(
    raw: str, claim_spans: list[tuple[int, int]], finding_spans: list[tuple[int, int]], fmt: str
) -> None:
    a = Article("x.md", raw, raw, fmt)  # type: ignore[arg-type]
    results = tuple(
        ClaimResult(
            Claim(f"c{i}", raw[max(0, s) : max(0, e)], s, e, 1, 1),
            "supported",
            0.5,
            unsupported_words=((0, 2),),
        )
        for i, (s, e) in enumerate(claim_spans)
    )
    findings = tuple(Finding("r", "warning", f"m{i}", s, e, 1, 1) for i, (s, e) in enumerate(finding_spans))
    page = render_article(ArticleReport(a, results, findings), Report(()))
    soup = soup_of(page)
    assert _article_text(soup) == raw
    assert len(soup.select(".fnote")) == len(findings)
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert len(soup.select(".claim-detail")) == len(results)
