"""Reduce a fetched page to its main text, metadata and sentences.

The main text of an HTML page comes from trafilatura (text and link density scoring, comments
left out), fed the text verify decoded with its own charset rules. When trafilatura fails or
finds nothing, a BeautifulSoup extractor takes over. Metadata (title, authors, an ISO 8601
publication date, site name, language) comes from trafilatura's metadata reader in both cases,
with a sanity filter on bylines.
"""

from __future__ import annotations

import logging
import re
import warnings
from contextvars import ContextVar
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from . import sentences
from .budget import OverBudget
from .errors import InputError
from .factchecks import read_fact_checks
from .ingest import decode
from .lexicon import author_name
from .models import Document, Fetched, Sentence, Skipped

for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())  # no "discarding data" lines on stderr

META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)
HTML_LANG = re.compile(
    r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)", re.I
)
META_LANG = re.compile(
    r"<meta\b[^>]*?(?:http-equiv\s*=\s*[\"']?content-language|property\s*=\s*[\"']?og:locale)[^>]*?"
    r"content\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)",
    re.I,
)
# trafilatura's own MIN_EXTRACTED_SIZE: a fast-pass result shorter than this gets the full cascade
SHORT_TEXT = 250
METADATA = ("title", "author", "date", "sitename")  # what verify keeps of trafilatura's metadata
# A byline in standard markup: rel=author links, itemprop=author, the hCard name class "fn".
BYLINE_MARKUP = re.compile(
    r"<(?:a|span)\b[^>]*?(?:\brel=[\"']?author\b|\bitemprop=[\"']?author\b|\bclass=[\"'][^\"']*\bfn\b)[^>]*>"
    r"\s*([^<]{2,80}?)\s*</",
    re.I,
)


# Words that make a "byline" a sentence or a job title rather than a name.
# Markup bounds: lxml, htmldate and justext (inside trafilatura) are quadratic in the attributes
# of one element (50,000 took 22 s) and slow on a page of nothing but attributes
MAX_ELEMENT_ATTRIBUTES = 64  # attributes kept per element; the rest are dropped before parsing
MAX_PAGE_ATTRIBUTES = 250_000  # per page (5 MB of <p class id> paragraphs: 200,000); more: not read
# a start tag with its attributes (quoted values may hold < and >), the loop unrolled: linear
_START_TAG = re.compile(r"""<[A-Za-z][^\s/<>]*([^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*)>""")
_ATTRIBUTE = re.compile(r"""[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>`]+))?""")
_ELEMENT_ROOM = 2 * MAX_ELEMENT_ATTRIBUTES  # characters: a shorter tag cannot hold more attributes


class PageRefused(Exception):
    """A page verify does not read: its markup would take the extractor too long."""


def bounded_markup(markup: str) -> str:
    """`markup` with at most MAX_ELEMENT_ATTRIBUTES attributes per element; PageRefused when the
    page holds more than MAX_PAGE_ATTRIBUTES in all. One linear scan of the start tags."""
    total = 0
    parts: list[str] = []
    kept_until = 0
    for tag in _START_TAG.finditer(markup):
        inside = tag.group(1)
        if len(inside) < _ELEMENT_ROOM:
            total += inside.count("=")  # a short tag: its values counted, booleans too few to matter
        else:
            attributes = _ATTRIBUTE.findall(inside)
            total += len(attributes)
            if len(attributes) > MAX_ELEMENT_ATTRIBUTES:
                kept = " ".join(attributes[:MAX_ELEMENT_ATTRIBUTES])
                parts += [markup[kept_until : tag.start(1)], " ", kept]
                kept_until = tag.end(1)
        if total > MAX_PAGE_ATTRIBUTES:
            raise PageRefused(f"the page has more than {MAX_PAGE_ATTRIBUTES:,} HTML attributes")
    if not parts:
        return markup
    return "".join([*parts, markup[kept_until:]])


@dataclass(frozen=True)
class PageText:
    """What verify reads from one page: main text and provenance metadata."""

    text: str
    title: str = ""
    authors: tuple[str, ...] = ()
    published: str = ""  # ISO 8601 date (YYYY-MM-DD) or ""
    site: str = ""
    language: str = ""
    extractor: str = ""  # trafilatura | fallback | plain


def extract_or_skip(fetched: Fetched | Skipped) -> Document | Skipped:
    """`extract`, where a page that makes the extractor fail is one skipped source, never a crash."""
    if isinstance(fetched, Skipped):
        return fetched
    try:
        return extract(fetched)
    except PageRefused as exc:
        return Skipped(fetched.ref, str(exc))
    except OverBudget:
        raise  # the caller's time limit, not a failure of the page
    except Exception as exc:  # a hostile page is one skipped source, never a crashed run
        return Skipped(fetched.ref, f"cannot read the page ({type(exc).__name__}: {str(exc)[:200]})")


def extract(fetched: Fetched) -> Document:
    """Main text, metadata and sentences of one page; an empty Document when it has no text."""
    text = _decode(fetched)
    if fetched.content_type in ("text/plain", "text/markdown"):
        page = PageText(_plain_paragraphs(text), extractor="plain")
    else:
        page = read_html(bounded_markup(text), fetched.final_url or fetched.ref.url or "")
    return Document(
        ref=fetched.ref,
        text=page.text,
        sentences=tuple(_sentences(page.text)),
        title=page.title,
        published=page.published,
        authors=page.authors,
        site=page.site,
        language=page.language,
        extractor=page.extractor,
        final_url=fetched.final_url,
        status=fetched.status,
        fetched_at=fetched.fetched_at,
        content_hash=fetched.content_hash,
        archive=fetched.archive,
        fact_checks=read_fact_checks(
            fetched.body, fetched.encoding, fetched.final_url or fetched.ref.url or ""
        ),
        archived=fetched.archived,
        from_cache=fetched.from_cache,
    )


def read_html(markup: str, url: str = "") -> PageText:
    """Main text by trafilatura, else by the BeautifulSoup fallback; metadata either way."""
    language = _language(markup)
    _install_date_parser()
    declared = _DATE_LANGUAGE.set(language)
    try:
        found = _trafilatura(markup, url)
        body, meta = found if found is not None else ("", {})
        extractor = "trafilatura" if body else "fallback"
        if not body:
            from .htmltext import html_main_text_bs4  # BeautifulSoup: imported only when it is needed

            title, published, body = html_main_text_bs4(markup)
            found_meta = meta or _metadata_only(markup, url)
            meta = {"title": title, "date": published, **{k: v for k in METADATA if (v := found_meta.get(k))}}
    finally:
        _DATE_LANGUAGE.reset(declared)
    site = str(meta.get("sitename") or "").strip() or hostname(url)
    return PageText(
        text=body,
        title=" ".join(str(meta.get("title") or "").split()),
        authors=clean_authors(str(meta.get("author") or "")) or clean_authors(_byline_markup(markup)),
        published=iso_date(str(meta.get("date") or "")),
        site=" ".join(site.split()),
        language=language,
        extractor=extractor,
    )


# The page's declared language while its metadata is read (see _install_date_parser).
_DATE_LANGUAGE: ContextVar[str] = ContextVar("date_language", default="")
# htmldate's own settings for dateparser (htmldate 1.11, extractors.get_external_parser).
DATEPARSER_SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


@cache
def _install_date_parser() -> None:
    """Have htmldate read dates written in words in the page's declared language and English only.

    htmldate hands such strings ("4 March 2021") to dateparser with no language, which then tried
    each of its 205 languages on every date-like string of a page: over half of all extraction
    time on the WiCE dev pages, for the same dates. A page in another language that does not
    declare it (no `lang`, no content-language) has only its dates in figures and meta tags read.
    """
    import htmldate.extractors

    if callable(getattr(htmldate.extractors, "get_external_parser", None)):
        htmldate.extractors.get_external_parser = lambda: date_parser(_DATE_LANGUAGE.get())  # type: ignore[assignment]


@cache
def date_parser(language: str) -> Any:
    """A dateparser parser for a page declared in `language` (a BCP 47 tag, "" when undeclared)."""
    from dateparser import DateDataParser
    from dateparser.data.languages_info import language_order

    primary = language.split("-")[0].lower()
    languages = [primary, "en"] if primary in language_order and primary != "en" else ["en"]
    return DateDataParser(languages=languages, settings=DATEPARSER_SETTINGS)


def _trafilatura(markup: str, url: str) -> tuple[str, dict[str, Any]] | None:
    """(main text with a blank line between paragraphs, metadata), or None when it fails.

    A page laid out in one big table (old CMS and ASP.NET pages) comes back as table rows
    with the article glued into one cell: it is read again without tables. A short result
    gets a second opinion from trafilatura's full cascade (readability and justext), which
    finds the article when the fast pass settled on a caption or a teaser.
    """
    data = _bare_extraction(markup, url, tables=True)
    if data is None or len(_text_of(data)) < SHORT_TEXT:
        fuller = _bare_extraction(markup, url, tables=True, fast=False)
        if fuller is not None and len(_text_of(fuller)) > len(_text_of(data)):
            data = fuller
    if data is not None and _layout_table(_text_of(data)):
        data = _bare_extraction(markup, url, tables=False) or data
    if data is None:
        return None
    # trafilatura marks list items with "- ", which is not on the page: a text-fragment link
    # to such a sentence would find nothing
    lines = (" ".join(line.split()).removeprefix("- ") for line in str(data.get("text") or "").splitlines())
    return "\n\n".join(line for line in lines if line), data


def _text_of(data: dict[str, Any] | None) -> str:
    return str((data or {}).get("text") or "")


def _bare_extraction(markup: str, url: str, *, tables: bool, fast: bool = True) -> dict[str, Any] | None:
    try:
        from trafilatura import bare_extraction

        options = copy(_options(tables, fast))  # building options parses trafilatura's config: once
        options.url = options.source = url or None
        with warnings.catch_warnings():  # dateutil warns about time zone names it cannot place
            warnings.simplefilter("ignore")
            result = bare_extraction(markup, options=options)
    except OverBudget:
        raise
    except Exception:  # any failure of the library means: use the fallback
        return None
    if result is None:
        return None
    return result if isinstance(result, dict) else result.as_dict()


@cache
def _options(tables: bool, fast: bool) -> Any:
    from trafilatura.settings import Extractor

    # fast: trafilatura's own extractor, baseline rescue and recall retry, without the second opinion
    # of readability and justext, which doubled the time for the same text on benchmarks/extraction.py
    return Extractor(output_format="python", fast=fast, comments=False, tables=tables, with_metadata=True)


def _layout_table(text: str) -> bool:
    """A table row with a cell of several sentences: the table is the page layout, not data."""
    return any(
        len(cell) > 250 and cell.count(". ") >= 2
        for line in text.splitlines()
        if line.startswith("|")
        for cell in line.split("|")
    )


def _metadata_only(markup: str, url: str) -> dict[str, Any]:
    try:
        from trafilatura import extract_metadata

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = extract_metadata(markup, default_url=url or None)
    except OverBudget:
        raise
    except Exception:  # metadata is a bonus: a failure leaves it empty
        return {}
    return found.as_dict() if found is not None else {}


def clean_authors(value: str) -> tuple[str, ...]:
    """The names in a byline: people or organisations, not sentences, URLs or job titles."""
    names: list[str] = []
    for part in re.split(r"\s*(?:;|\||,|\band\b|&)\s*", value):
        name = re.sub(r"^(?:by|von|par|por|door)\s+", "", part.strip(" .:-–—\t"), flags=re.I).strip()
        if author_name(name) and name not in names:
            names.append(name)
    return tuple(names)


def _byline_markup(markup: str) -> str:
    """Names in byline markup, for pages whose byline trafilatura's metadata reader misses."""
    return "; ".join(dict.fromkeys(m.group(1) for m in BYLINE_MARKUP.finditer(markup)))


def iso_date(value: str) -> str:
    """`value` as an ISO 8601 date (YYYY-MM-DD), or "" when it is not a recognisable date."""
    value = value.strip()
    if not value:
        return ""
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return ""
    for pattern in ("%Y/%m/%d", "%Y%m%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return ""


def _language(markup: str) -> str:
    head = markup[:20000]
    match = HTML_LANG.search(head) or META_LANG.search(head)
    return match.group(1).replace("_", "-") if match else ""


def hostname(url: str) -> str:
    """The host of an http(s) URL without "www." ("" for anything else)."""
    host = urlsplit(url).hostname or "" if url.startswith(("http://", "https://")) else ""
    return host.removeprefix("www.")


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
    for label in charset_labels(body, fetched.encoding):
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


def charset_labels(body: bytes, header_charset: str) -> list[str]:
    """The charset labels a page declares: the HTTP header's, then a <meta> tag's in the first 4 KiB.

    fetch.page_problem refuses a page whose label names a codec that is not a text encoding,
    and `_decode` reads the page with the first label that works, so both see the same labels.
    """
    labels = [header_charset] if header_charset else []
    meta = META_CHARSET.search(body[:4096])
    if meta:
        labels.append(meta.group(1).decode("ascii"))
    return labels


def _plain_paragraphs(text: str) -> str:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _sentences(body: str) -> list[Sentence]:
    return [
        Sentence(index=i, text=body[a:b], start=a, end=b)
        for i, (a, b) in enumerate(sentences.split_spans(body))
    ]
