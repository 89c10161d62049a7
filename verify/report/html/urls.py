"""Which URLs may become links, and the links the report makes: text fragments, archived copies."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from verify.models import Document

_URL_SAFE = "%:/?#[]@!$&'()*+,;=~"


def http_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL that may become a link, else None.

    The URL comes back with spaces, quotes, angle brackets and non-ASCII characters percent-encoded.
    """
    if not url:
        return None
    candidate = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(candidate, safe=_URL_SAFE)


def _fragment_part(words: Sequence[str]) -> str:
    # Text fragment syntax reserves "-", "," and "&": percent-encode everything but letters/digits/._~
    return quote(" ".join(words), safe="").replace("-", "%2D")


def text_fragment_url(url: str, sentence: str, words: int = 4) -> str:
    """`url` with a ``#:~:text=`` fragment that makes the browser scroll to and highlight `sentence`.

    Short sentences are matched whole; longer ones by their first and last `words` words
    (``text=start,end``). An existing fragment of `url` is replaced.
    """
    tokens = sentence.split()
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    if not tokens:
        return base
    if len(tokens) <= 2 * words:
        directive = _fragment_part(tokens)
    else:
        directive = f"{_fragment_part(tokens[:words])},{_fragment_part(tokens[-words:])}"
    return f"{base}#:~:text={directive}"


def short_url(url: str, limit: int = 60) -> str:
    parts = urlsplit(url) if http_url(url) else None
    shown = (parts.netloc + parts.path) if parts else url
    if parts and parts.query:
        shown += "?" + parts.query
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def archive_href(doc: Document, base: Path | None) -> str | None:
    """href of a document's archived file: relative to `base`, else an absolute file: URL."""
    if not doc.archived or doc.ref.file is None:
        return None
    path = Path(doc.ref.file).resolve()
    if base is None:
        return path.as_uri()
    return "./" + quote(Path(os.path.relpath(path, base.resolve())).as_posix())


def page_href(href: str) -> str:
    """A relative link between the pages of one report, percent-encoded."""
    return quote(href)
