"""The BeautifulSoup extractor: a page's title, date and main text when trafilatura finds nothing.

Its own module so that a run reading everything from its caches does not import BeautifulSoup.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from .ingest import NON_CONTENT_TAGS

BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th", "dd", "dt", "div",
    "section", "article", "main", "tr", "br", "hr", "caption", "summary",
}  # fmt: skip
# ASP.NET pages keep their whole body in one <form>: the fallback does not drop forms.
FALLBACK_DROPPED_TAGS = NON_CONTENT_TAGS - {"form"}
JUNK = re.compile(
    r"(?:^|[\s_-])(?:ads?|advert\w*|banner|cookie\w*|share|sharing|social|related|comments?|promo\w*|"
    r"subscribe|newsletter|sidebar|menu|breadcrumbs?|popup|modal|sponsor\w*|outbrain|taboola|footer|nav\w*)"
    r"(?:$|[\s_-])",
    re.I,
)
DATE_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "date",
    "pubdate",
    "publish-date",
    "dc.date",
    "DC.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)


def html_main_text_bs4(markup: str) -> tuple[str, str, str]:
    """(title, published, main text) by the BeautifulSoup extractor: the fallback, and the old way."""
    soup = BeautifulSoup(markup, "html.parser")
    title = _title(soup)
    published = _published(soup)
    total = len((soup.body or soup).get_text(" ", strip=True)) or 1
    doomed = [
        t
        for t in soup.descendants
        if isinstance(t, Tag)
        and (t.name in FALLBACK_DROPPED_TAGS or (_is_junk(t) and not _holds_main(t, total)))
    ]
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()
    root = _main_container(soup)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", _block_text(root))]
    return title, published, "\n\n".join(p for p in paragraphs if p)


def _block_text(root: Tag) -> str:
    """The text of `root` with a blank line around every block element (an iterative walk)."""
    parts: list[str] = []
    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            parts.append("\n\n")
        elif isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctypes, processing instructions
                parts.append(str(node))
        elif isinstance(node, Tag):
            if node.name in BLOCK_TAGS:
                parts.append("\n\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
    return "".join(parts)


def _is_junk(tag: Tag) -> bool:
    if tag.name in ("html", "body", "main", "article") or tag.attrs is None:
        return False
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    role = str(tag.get("role") or "")
    return bool(JUNK.search(names.strip())) or role in (
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
    )


def _holds_main(tag: Tag, total: int) -> bool:
    """A wrapper with a junk-looking class ("Page-ad-margins") that holds the article is kept."""
    if tag.find(["article", "main"]) is not None:
        return True
    return len(tag.get_text(" ", strip=True)) >= 0.5 * total


def _main_container(soup: BeautifulSoup) -> Tag:
    """The <article> or <main> when it holds most of the text, else the body."""
    body = soup.body or soup
    total = len(body.get_text(" ", strip=True)) or 1
    candidates = soup.find_all(["article", "main"]) + soup.find_all(role="main")
    best = max(candidates, key=lambda t: len(t.get_text(" ", strip=True)), default=None)
    if best is not None and len(best.get_text(" ", strip=True)) >= 0.4 * total:
        return best
    return body


def _title(soup: BeautifulSoup) -> str:
    for meta in (soup.find("meta", property="og:title"), soup.find("meta", attrs={"name": "twitter:title"})):
        if isinstance(meta, Tag) and meta.get("content"):
            return " ".join(str(meta["content"]).split())
    if soup.title and soup.title.string:
        return " ".join(soup.title.string.split())
    h1 = soup.find("h1")
    return " ".join(h1.get_text(" ").split()) if h1 else ""


def _published(soup: BeautifulSoup) -> str:
    for key in DATE_META:
        meta = (
            soup.find("meta", attrs={"property": key})
            or soup.find("meta", attrs={"name": key})
            or soup.find("meta", attrs={"itemprop": key})
        )
        if isinstance(meta, Tag) and meta.get("content"):
            return str(meta["content"]).strip()
    time_tag = soup.find("time", attrs={"datetime": True})
    return str(time_tag["datetime"]).strip() if isinstance(time_tag, Tag) else ""
