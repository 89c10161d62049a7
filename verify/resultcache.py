"""Finished article checks kept in the cache database, so unchanged articles are not checked again.

The key hashes everything that can change an article's outcome: the article's text and path, its
sources and the content hash of each (the archived file's bytes, or the cached page's hash), the
embedding model, the settings that shape matching and judging, and verify's version and code. A
run's look-ups are one database session (a query per 500 articles); a hit fetches and embeds
nothing. Payloads are compressed JSON of the report's dataclasses (no pickle), so a shared cache
file cannot run code; pydantic's TypeAdapter rebuilds them from the dataclasses' type hints, and a
payload that does not fit them (an unknown verdict, a missing field) is a miss, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import typing
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from . import __version__, models
from .config import RESULT_SETTINGS, Settings
from .localfiles import FileProblem, read_regular_file
from .models import Article, ArticleReport, Skipped, SourceRef
from .store import Store

PAYLOAD_VERSION = "1"
# a stored report larger than this once decompressed is a miss: a zlib bomb in a shared cache
# (815 KB that inflate to gigabytes) never inflates past it
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
_STORED_FIELDS = ("results", "findings", "documents", "skipped", "attributions", "rewrite")


class ResultCache:
    """Looks up and stores ArticleReports; counts what came from the cache and what was recomputed.

    Without a store it only tallies (a batch run's coordinator adds up its workers' counts).
    """

    def __init__(self, store: Store | None, settings: Settings, model: str) -> None:
        self.store = store
        self.settings = settings
        self.model = model
        self.hits: list[str] = []
        self.misses: list[str] = []

    def lookup(
        self, article: Article, refs: Sequence[SourceRef], over: Sequence[Skipped]
    ) -> ArticleReport | None:
        """One article's stored report or None (a run looks its articles up together: lookup_all)."""
        return self.lookup_all([(article, refs, over)])[0]

    def lookup_all(
        self, items: Sequence[tuple[Article, Sequence[SourceRef], Sequence[Skipped]]]
    ) -> list[ArticleReport | None]:
        """Each article's stored report or None, read in one database session (a query per 500
        articles): a warm run's 349 separate reads cost about as much as the rest of the look-up."""
        if self.settings.refresh and not self.settings.offline:
            self.misses += [article.path for article, _, _ in items]
            return [None] * len(items)
        keys = [self.key(article, refs, over) for article, refs, over in items]
        wanted = [key for key in keys if key]
        payloads = self.store.get_results(wanted) if wanted and self.store else {}
        reports: list[ArticleReport | None] = []
        for (article, _, _), key in zip(items, keys, strict=True):
            payload = payloads.get(key) if key else None
            report = _load(payload, article) if payload else None
            (self.hits if report is not None else self.misses).append(article.path)
            reports.append(report)
        return reports

    def save(
        self, article: Article, refs: Sequence[SourceRef], over: Sequence[Skipped], report: ArticleReport
    ) -> None:
        if not self.settings.offline and _failed_to_fetch(report, over):
            return  # the key holds the cached copy's state, not the network's: the next run tries again
        key = self.key(article, refs, over)
        if key and self.store:
            self.store.put_result(key, _dump(report), datetime.now(UTC).isoformat(timespec="seconds"))

    def key(self, article: Article, refs: Sequence[SourceRef], over: Sequence[Skipped]) -> str | None:
        """None when the outcome depends on a page that is not in the cache and may be fetched."""
        s = self.settings
        parts: list[str] = [
            PAYLOAD_VERSION,
            __version__,
            code_digest(),
            self.model,
            " ".join(f"{name}={getattr(s, name)}" for name in RESULT_SETTINGS),
            article.path,
            article.format,
            hashlib.sha256(article.raw.encode("utf-8", "surrogatepass")).hexdigest(),
        ]
        for ref in refs:
            state = self._source_state(ref)
            if state is None:
                return None
            parts.append(f"{ref.url}|{ref.file}|{ref.origin}|{state}")
        parts += [f"over:{s.ref.label}" for s in over]
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def _source_state(self, ref: SourceRef) -> str | None:
        if ref.file is not None:
            try:
                data = read_regular_file(Path(ref.file), self.settings.max_bytes)
                return "file:" + hashlib.sha256(data).hexdigest()
            except FileProblem as exc:
                return f"unreadable:{exc}"
        assert ref.url is not None
        page = self.store.get_page(ref.url) if self.store else None
        if page is not None:
            return f"page:{page.content_hash}|{page.status}|{page.content_type}|{page.final_url}"
        return "absent" if self.settings.offline else None


def _failed_to_fetch(report: ArticleReport, over: Sequence[Skipped]) -> bool:
    """A web source of the report was skipped (a network error, a timeout, a failed --refresh), not
    for being over the source limit: its outcome would stick to a key that says the page is cached."""
    over_refs = {s.ref for s in over}
    web = [s.ref for s in report.skipped if s.ref.url is not None and s.ref.file is None]
    return any(ref not in over_refs for ref in web)


CODE_SUFFIXES = {".py", ".txt", ".json", ".toml", ".csv"}  # code and the word lists it reads
RESULT_LIBRARIES = ("trafilatura", "lxml", "beautifulsoup4", "charset-normalizer")


@cache
def code_digest() -> str:
    """A hash of verify's own modules and of the libraries that shape a stored result (the page
    text trafilatura, lxml and BeautifulSoup extract), so a changed checker never reuses an old one."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(p for p in package.rglob("*") if p.suffix in CODE_SUFFIXES):  # subpackages too
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for library in RESULT_LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=absent".encode())
    return digest.hexdigest()[:16]


# JSON (de)serialisation of the report dataclasses ----------------------------------------


def to_data(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if type(value).__module__ == "numpy":
        return value.item()
    return value


def from_data(tp: Any, value: Any) -> Any:
    """Rebuild a value of type `tp` from JSON data; pydantic.ValidationError when it does not fit."""
    return _adapter(tp).validate_python(value)


@cache
def _adapter(tp: Any) -> TypeAdapter[Any]:
    return TypeAdapter(tp)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


def _dump(report: ArticleReport) -> bytes:
    data = {name: to_data(getattr(report, name)) for name in _STORED_FIELDS}
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def _load(payload: bytes, article: Article) -> ArticleReport | None:
    """The stored report around the freshly read article; None when the payload is unusable."""
    try:
        data = json.loads(_inflate(payload, MAX_PAYLOAD_BYTES))
        hints = _hints(ArticleReport)
        values = {name: from_data(hints[name], data[name]) for name in _STORED_FIELDS}
        return ArticleReport(article=article, **values)
    except (zlib.error, ValueError, KeyError, TypeError, RecursionError):  # ValidationError is a ValueError
        return None


def _inflate(payload: bytes, limit: int) -> bytes:
    """The decompressed payload; ValueError when it is truncated or inflates past `limit` bytes."""
    inflater = zlib.decompressobj()
    data = bytearray()
    pending = payload
    while pending and not inflater.eof:  # a slice at a time: memory stays near `limit`
        data += inflater.decompress(pending, 1024 * 1024)
        pending = inflater.unconsumed_tail
        if len(data) > limit:
            raise ValueError(f"the stored report inflates past {limit} bytes")
    if not inflater.eof:
        raise ValueError("the stored report is truncated")
    return bytes(data)
