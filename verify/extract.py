"""Reduce a fetched page to its main text, title, date and sentences (BeautifulSoup)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from . import sentences
from .errors import InputError
from .ingest import NON_CONTENT_TAGS, decode
from .models import Document, Fetched, Sentence

BLOCK_TAGS = {
    "p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th", "dd", "dt", "div",
    "section", "article", "main", "tr", "br", "hr", "caption", "summary",
}  # fmt: skip
JUNK = re.compile(
    r"(?:^|[\s_-])(?:ads?|advert\w*|banner|cookie\w*|share|sharing|social|related|comments?|promo\w*|"
    r"subscribe|newsletter|sidebar|menu|breadcrumbs?|popup|modal|sponsor\w*|outbrain|taboola|footer|nav\w*)"
    r"(?:$|[\s_-])",
    re.I,
)
META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)
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


def extract(fetched: Fetched) -> Document:
    """Main text and sentences of one page; an empty Document when it has no text."""
    text = _decode(fetched)
    if fetched.content_type in ("text/plain", "text/markdown"):
        title, published, body = "", "", _plain_paragraphs(text)
    else:
        title, published, body = _html_main_text(text)
    return Document(
        ref=fetched.ref,
        text=body,
        sentences=tuple(_sentences(body)),
        title=title,
        published=published,
        final_url=fetched.final_url,
        status=fetched.status,
        fetched_at=fetched.fetched_at,
        content_hash=fetched.content_hash,
        archived=fetched.archived,
        from_cache=fetched.from_cache,
    )


def _decode(fetched: Fetched) -> str:
    """Charset from a byte-order mark, the HTTP header, a meta tag, then detection.

    A page labelled with a single-byte charset that is valid UTF-8 with non-ASCII bytes is
    read as UTF-8 (a common mislabelling; the reverse almost never decodes), and Latin-1 or
    ASCII labels mean windows-1252, as browsers read them.
    """
    import codecs

    body = fetched.body
    for bom, bom_encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(bom_encoding, errors="replace")
    labels = [fetched.encoding] if fetched.encoding else []
    meta = META_CHARSET.search(body[:4096])
    if meta:
        labels.append(meta.group(1).decode("ascii", "ignore"))
    for label in labels:
        try:
            encoding = codecs.lookup(label.strip().strip("\"'")).name
        except LookupError:
            continue
        if encoding in ("latin-1", "iso8859-1", "ascii"):
            encoding = "cp1252"
        single_byte = not encoding.startswith("utf")
        if single_byte and not body.isascii():
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                pass
        try:
            return body.decode(encoding, errors="replace" if encoding == "cp1252" else "strict")
        except UnicodeDecodeError:
            continue
    try:
        return decode(body)
    except InputError:
        return body.decode("utf-8", errors="replace")


def _plain_paragraphs(text: str) -> str:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _html_main_text(markup: str) -> tuple[str, str, str]:
    soup = BeautifulSoup(markup, "html.parser")
    title = _title(soup)
    published = _published(soup)
    doomed = [
        t for t in soup.descendants if isinstance(t, Tag) and (t.name in NON_CONTENT_TAGS or _is_junk(t))
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


def _sentences(body: str) -> list[Sentence]:
    return [
        Sentence(index=i, text=body[a:b], start=a, end=b)
        for i, (a, b) in enumerate(sentences.split_spans(body))
    ]
