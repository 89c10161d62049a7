"""The HTML report's templates: autoescaping of everything from the article and the sources, the
stylesheet and script inlined from their asset files (and allowed by their hashes), and the templates
and assets declared as package data so they ship in the wheel."""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from test_report_html import _article, _doc, claim_at, ev

from verify.models import ArticleReport, ClaimResult, Report
from verify.report import html as report_html
from verify.report.html import render_article, render_index

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "verify" / "report" / "html"
URL = "https://news.example.com/a"
SCRIPT = "<script>alert(1)</script>"
QUOTES = "say \"hi\" & 'bye'"


def _hostile_item() -> ArticleReport:
    raw = f"The agency {SCRIPT} said {QUOTES} on Tuesday.\n"
    a = _article(raw, path='x"<b>.txt', fmt="text")
    a = type(a)(**{**a.__dict__, "title": f"Title {SCRIPT} {QUOTES}"})
    claim = claim_at(a, raw.strip(), "c1")
    evidence = ev(URL, f"Source sentence {SCRIPT} {QUOTES}.", 0.9)
    result = ClaimResult(claim, "supported", 0.8, evidence=(evidence,), reason=f"why {SCRIPT}")
    doc = _doc(URL, f"Source title {SCRIPT} {QUOTES}", [evidence.text])
    return ArticleReport(a, (result,), (), (doc,))


def _pages() -> list[str]:
    item = _hostile_item()
    report = Report((item,), model=SCRIPT, errors=(f"error {SCRIPT} {QUOTES}",))
    return [render_article(item, report), render_index(report, [f"{QUOTES}.html"])]


def test_text_from_the_article_and_the_sources_is_escaped() -> None:
    article, index = _pages()
    for page in (article, index):
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert page.count("<script>") == (1 if page is article else 0)
    soup = BeautifulSoup(article, "html.parser")
    assert soup.title is not None and soup.title.string == f"verify — Title {SCRIPT} {QUOTES}"
    claim = soup.select_one("#claim-0")
    assert isinstance(claim, Tag) and f"{SCRIPT} said {QUOTES}" in claim.get_text()
    source_title = soup.select_one(".src-title")
    assert isinstance(source_title, Tag) and source_title.get_text() == f"Source title {SCRIPT} {QUOTES}"
    reason = soup.select_one(".reason")
    assert isinstance(reason, Tag) and reason.get_text() == f"Why: why {SCRIPT}"
    assert soup.find(string=re.compile("error <script>")) is not None
    # quotes in attribute values stay inside the attribute
    index_link = BeautifulSoup(index, "html.parser").select_one(".index-table a")
    assert isinstance(index_link, Tag) and str(index_link["href"]).startswith("say%20%22hi%22")


def test_the_stylesheet_and_script_are_the_asset_files_inlined() -> None:
    css = (PACKAGE / "assets" / "report.css").read_text(encoding="utf-8")
    js = (PACKAGE / "assets" / "report.js").read_text(encoding="utf-8")
    assert (css, js) == (report_html.CSS, report_html.JS)
    article, index = _pages()
    for page, script in ((article, js), (index, None)):
        soup = BeautifulSoup(page, "html.parser")
        assert not soup.select("link[rel~=stylesheet], [src], base")
        assert [s.string for s in soup.find_all("style")] == [css]
        assert [s.string for s in soup.find_all("script")] == ([script] if script else [])
        csp = soup.select_one('meta[http-equiv="Content-Security-Policy"]')
        assert isinstance(csp, Tag)
        policy = str(csp["content"])
        assert "default-src 'none'" in policy
        # the hashes allow exactly the inlined text, as it stands between the tags of the page
        style_text = page.split("<style>", 1)[1].split("</style>", 1)[0]
        assert f"style-src {_sha256(style_text)};" in policy
        if script:
            script_text = page.split("<script>", 1)[1].split("</script>", 1)[0]
            assert f"script-src {_sha256(script_text)};" in policy
        else:
            assert "script-src 'none'" in policy
    assert not re.search(r"@import|url\((?!data:)", css)  # the stylesheet loads nothing either


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_templates_and_assets_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["verify"]
    shipped = [
        p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts
    ]
    assert {p.name for p in shipped} >= {"base.html", "article.html", "index.html", "report.css", "report.js"}
    for path in shipped:
        relative = path.relative_to(ROOT / "verify").as_posix()
        assert any(fnmatch(relative, pattern) for pattern in patterns), relative
