"""Relative links in HTML articles resolve against the article's folder or its <base href>."""

from __future__ import annotations

from pathlib import Path

from ci_support import check

from verify.ingest import load_article
from verify.models import SourceRef

PAGE = (
    "<!doctype html><html><head><title>Cargo</title></head><body><article><h1>NASA cargo contracts</h1>"
    "<p>SpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008.</p>"
    "<p>The contract covered 12 cargo flights to the International Space Station.</p></article></body></html>"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_link_is_a_file_next_to_the_article(tmp_path: Path) -> None:
    write(tmp_path / "pages" / "x.html", PAGE)
    article = write(
        tmp_path / "story.html",
        "<html><body><nav><a href='index.html'>Home</a></nav><p>SpaceX won a cargo contract worth "
        '$1.6 billion in 2008, <a href="pages/x.html">NASA said</a>.</p><p>It covered 12 cargo flights '
        "(<a href='pages/x.html#flights'>details</a>, <a href='#top'>top</a>, "
        "<a href='mailto:desk@example.org'>mail</a>, <a href='/about'>about</a>).</p></body></html>",
    )
    assert load_article(article).sources == (
        SourceRef(url=None, file=tmp_path / "pages/x.html", origin="link"),
    )
    report = check([article])
    (item,) = report.articles
    assert [d.ref.file for d in item.documents] == [tmp_path / "pages" / "x.html"]
    assert not item.skipped
    assert {r.verdict for r in item.results} <= {"supported", "partially_supported"}
    assert all(r.evidence[0].source == str(tmp_path / "pages" / "x.html") for r in item.results)


def test_base_href_decides_where_links_point(tmp_path: Path) -> None:
    article = write(
        tmp_path / "a.html",
        '<html><head><base href="https://news.example.org/2024/"></head><body>'
        "<p>See <a href='story.html'>the story</a>, <a href='/about'>about us</a> and "
        "<a href='//cdn.example.net/doc.html'>the document</a>.</p></body></html>",
    )
    assert [s.url for s in load_article(article).sources] == [
        "https://news.example.org/2024/story.html",
        "https://news.example.org/about",
        "https://cdn.example.net/doc.html",
    ]


def test_relative_base_href_is_a_folder_under_the_article(tmp_path: Path) -> None:
    article = write(
        tmp_path / "a.html",
        '<html><head><base href="archive/" /></head><body><p>See <a href="x.html">this</a> and '
        '<a href="../y.html">that</a>.</p></body></html>',
    )
    assert [s.file for s in load_article(article).sources] == [
        tmp_path / "archive" / "x.html",
        tmp_path / "archive" / ".." / "y.html",
    ]


def test_a_missing_linked_file_is_reported_as_skipped_not_dropped(tmp_path: Path) -> None:
    article = write(tmp_path / "a.html", "<p>SpaceX flew <a href='gone.html'>twelve missions</a>.</p>")
    (item,) = check([article]).articles
    (skipped,) = item.skipped
    assert skipped.ref.file == tmp_path / "gone.html"
    assert "not found" in skipped.reason
