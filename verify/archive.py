"""The sources of a run kept as a WARC/1.1 file (`--archive`), and read back from one (`--replay`).

Written with warcio, the library of the Internet Archive's and Webrecorder's tools: a warcinfo
record, then per source a `request` and a `response` record (synthesised HTTP headers, the page
bytes as verify read them, `WARC-Payload-Digest`, target URI, capture date). The response's target
URI is where the page was read from (the final URL after redirects, or the URL an archived local
file stands for); when the article named another URL it is kept in `Verify-Source-URI`.

The file is written under a temporary name beside the final one and renamed when complete, so an
interrupted run leaves no truncated archive. Each record is written as soon as its page is
given, at most `max_bytes` of it (`WARC-Truncated: length` when cut), so memory stays flat
however many sources a run has.

Replay indexes the archive once (URI -> file offset, no bodies) and reads a record when its
source is asked for: no request leaves the machine, and a source missing from the archive is
a Skipped with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import urlsplit

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import __version__
from .config import Settings
from .errors import InputError, UsageError
from .fetch import TEXT_TYPES, fetch, page_problem
from .models import ArchiveRecord, Fetched, Skipped, SourceRef
from .outputs import refuse_special
from .store import Store

SOURCE_HEADER = "Verify-Source-URI"  # the URL the article named, when the page was read elsewhere
HTTP_REASONS = {200: "OK", 203: "Non-Authoritative Information"}


def fetch_pages(
    refs: Sequence[SourceRef],
    settings: Settings,
    store: Store | None,
    client: httpx.AsyncClient | None = None,
) -> list[Fetched | Skipped]:
    """The pages of `refs` in order: fetched (or read from `--replay`), and kept in `--archive`."""
    if settings.replay is not None:
        pages = Replay(Path(settings.replay), settings.max_bytes).fetch(refs) if refs else []
    else:
        pages = fetch(refs, settings, store, client) if refs else []
    if settings.archive is None:
        return pages
    with ArchiveWriter(Path(settings.archive), settings.max_bytes) as writer:
        return list(writer.add_all(pages))


def archive_uri(page: Fetched | SourceRef) -> str:
    """The URI a source is archived under: its URL, else the file URI of its local copy."""
    ref = page.ref if isinstance(page, Fetched) else page
    if ref.url:
        return ref.url
    if isinstance(page, Fetched) and page.final_url:
        return page.final_url
    return Path(ref.file or "").resolve().as_uri()


def warc_date(iso: str) -> str:
    """An ISO 8601 time (any offset) as a WARC-Date (UTC, `Z`); now when `iso` is empty or unreadable."""
    try:
        moment = datetime.fromisoformat(iso) if iso else datetime.now(UTC)
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_from_warc_date(value: str) -> str:
    """A WARC-Date back as the ISO form reports use (`+00:00`, whole seconds)."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.astimezone(UTC).replace(microsecond=0).isoformat(timespec="seconds")


class ArchiveWriter:
    """A WARC/1.1 file being written: `add` each page, `close` to publish it under its name.

    Used as a context manager, an exception leaves nothing under the final name.
    """

    def __init__(self, path: Path, max_bytes: int, option: str = "--archive") -> None:
        self.path = path
        self.option = option
        self.max_bytes = max_bytes
        folder = path.parent if str(path.parent) else Path(".")
        refuse_special(path, option)
        if path.is_dir():
            raise UsageError(f"{option} {path}: is a directory")
        if not folder.is_dir():
            raise UsageError(f"{option} {path}: folder {folder} does not exist")
        self.tmp = folder / f".{path.name}.tmp{os.getpid()}"
        try:
            self.stream: IO[bytes] = open(self.tmp, "wb")  # noqa: SIM115 (closed by close/abort)
        except OSError as exc:
            raise UsageError(f"{option} {path}: cannot write ({exc.strerror or exc})") from exc
        self.writer = WARCWriter(self.stream, gzip=True, warc_version="1.1")
        self.records: dict[str, ArchiveRecord] = {}  # URI -> its record: each page once
        info = {
            "software": f"verify/{__version__} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "the sources of a verify run, as verify read them",
        }
        self.writer.write_record(self.writer.create_warcinfo_record(path.name, info))

    def add(self, page: Fetched) -> ArchiveRecord:
        """Write the request and response records of one page (once per URI); its record."""
        uri = archive_uri(page)
        known = self.records.get(uri)
        if known is not None:
            return known
        body = page.body[: self.max_bytes]
        date = warc_date(page.fetched_at)
        content_type = page.content_type or "text/html"
        if page.encoding:
            content_type += f"; charset={page.encoding}"
        status = page.status if page.status and 200 <= page.status < 300 else 200
        http = StatusAndHeaders(
            f"{status} {HTTP_REASONS.get(status, 'OK')}",
            [("Content-Type", content_type), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        headers: dict[str, str] = {"WARC-Date": date}
        if page.ref.url and page.final_url and page.final_url != page.ref.url:
            headers[SOURCE_HEADER] = page.ref.url
            uri = page.final_url
        if len(body) < len(page.body):
            headers["WARC-Truncated"] = "length"
        response = self.writer.create_warc_record(
            uri,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            warc_headers_dict=headers,
            http_headers=http,
        )
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        split = urlsplit(uri)
        target = (split.path or "/") + (f"?{split.query}" if split.query else "")
        request = self.writer.create_warc_record(
            uri,
            "request",
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": record_id},
            http_headers=StatusAndHeaders(
                f"GET {target} HTTP/1.1", [("Host", split.netloc or "localhost")], is_http_request=True
            ),
        )
        self.writer.write_record(response)
        self.writer.write_record(request)
        record = ArchiveRecord(
            file=self.path.name,
            uri=uri,
            record_id=record_id,
            digest=response.rec_headers.get_header("WARC-Payload-Digest"),
            captured=date,
        )
        self.records[archive_uri(page)] = record
        return record

    def add_all(self, results: Iterable[Fetched | Skipped]) -> Iterator[Fetched | Skipped]:
        """Each page written as it comes, returned with its record; skipped sources pass through."""
        for result in results:
            yield replace(result, archive=self.add(result)) if isinstance(result, Fetched) else result

    def close(self) -> None:
        self.stream.close()
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.tmp.unlink(missing_ok=True)
            raise UsageError(f"{self.option} {self.path}: cannot write ({exc.strerror or exc})") from exc

    def abort(self) -> None:
        self.stream.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


class Replay:
    """The response records of a WARC file, looked up by URI; bodies are read only when asked for."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.offsets: dict[str, int] = {}
        try:
            # warcio reports a damaged record on stderr: the reason is given once, below, instead
            with open(path, "rb") as stream, contextlib.redirect_stderr(io.StringIO()):
                records = ArchiveIterator(stream)
                for record in records:
                    if not record.format.startswith("warc"):
                        raise ValueError(
                            f"a {record.format or 'non-WARC'} record at {records.get_record_offset()}"
                        )
                    if record.rec_type != "response":
                        continue
                    offset = records.get_record_offset()
                    for uri in (record.rec_headers.get_header(SOURCE_HEADER), _target(record)):
                        if uri:
                            self.offsets.setdefault(uri, offset)
        except FileNotFoundError as exc:
            raise UsageError(f"--replay {path}: no such file") from exc
        except (OSError, ArchiveLoadFailed, ValueError, EOFError) as exc:
            raise UsageError(f"--replay {path}: not a readable WARC file ({_first_line(exc)})") from exc

    def get(self, ref: SourceRef) -> Fetched | Skipped:
        uri = archive_uri(ref)
        offset = self.offsets.get(uri)
        if offset is None:
            return Skipped(ref, f"not in the archive {self.path.name} (--replay reads sources only from it)")
        try:
            with open(self.path, "rb") as stream:
                stream.seek(offset)
                record = next(iter(ArchiveIterator(stream)))
                return self._page(ref, record)
        except (OSError, ArchiveLoadFailed, ValueError, EOFError, StopIteration) as exc:
            return Skipped(ref, f"cannot read its record in {self.path.name} ({_first_line(exc)})")

    def _page(self, ref: SourceRef, record: Any) -> Fetched | Skipped:
        http = record.http_headers
        status = int(http.get_statuscode() or 0) if http else 0
        if not 200 <= status < 300:
            return Skipped(ref, f"archived as HTTP {status or 'without a status'} in {self.path.name}")
        body = record.content_stream().read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            return Skipped(ref, f"its archived copy is larger than the {self.max_bytes // 1024} KiB limit")
        media, _, params = (http.get_header("Content-Type") or "text/html").partition(";")
        content_type = media.strip().lower() or "text/html"
        if content_type not in TEXT_TYPES:
            return Skipped(ref, f"archived as {content_type} (only HTML and plain text are read)")
        encoding = ""
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                encoding = value.strip().strip("\"'")
        problem = page_problem(body, content_type, encoding)
        if problem:
            return Skipped(ref, f"archived copy refused: {problem}")
        date = record.rec_headers.get_header("WARC-Date") or ""
        return Fetched(
            ref=ref,
            body=body,
            content_type=content_type,
            encoding=encoding,
            final_url=_target(record),
            status=status,
            fetched_at=iso_from_warc_date(date),
            content_hash=hashlib.sha256(body).hexdigest(),
            archive=ArchiveRecord(
                file=self.path.name,
                uri=_target(record),
                record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                digest=record.rec_headers.get_header("WARC-Payload-Digest") or "",
                captured=date,
                replayed=True,
            ),
        )

    def fetch(self, refs: Sequence[SourceRef]) -> list[Fetched | Skipped]:
        return [self.get(ref) for ref in refs]


def _target(record: Any) -> str:
    return str(record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")


def _first_line(exc: BaseException) -> str:
    """The reason's first line, without what warcio quotes of a damaged file (binary bytes)."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    line = line.split(", first line:", 1)[0]  # "Unknown archive format, first line: ['<bytes>']"
    return line[:200] if line.isprintable() else type(exc).__name__


ARCHIVE_CHUNK = 64  # sources fetched and written at a time by `verify archive`: flat memory


def archive_articles(
    paths: Sequence[Path], settings: Settings, store: Store | None, output: Path
) -> tuple[int, list[Skipped], list[str]]:
    """Write the sources of the articles under `paths` into `output`: (pages written, skipped, errors).

    A folder holding `articles/` (an archived corpus: `articles/` + `pages/`) stands for its
    articles; each front-matter source is archived under its URL, read from its `file` when given.
    """
    from .ingest import load_article
    from .selection import discover
    from .sources import collect_sources

    folders = [p / "articles" if (p / "articles").is_dir() else p for p in paths]
    refs: dict[SourceRef, None] = {}
    skipped: list[Skipped] = []
    errors: list[str] = []
    for item in discover(folders):
        try:
            article = load_article(item.path, item.display, settings.max_article_bytes)
        except InputError as exc:  # an unreadable article is one error line, as in a check
            errors.append(str(exc))
            continue
        kept, refused = collect_sources(article, settings)
        refs.update(dict.fromkeys(kept))
        skipped += refused
    unique = list(refs)
    written = 0
    with ArchiveWriter(output, settings.max_bytes, "--output") as writer:
        for start in range(0, len(unique), ARCHIVE_CHUNK):
            for page in fetch_pages(
                unique[start : start + ARCHIVE_CHUNK], replace(settings, archive=None), store
            ):
                if isinstance(page, Skipped):
                    skipped.append(page)
                else:
                    writer.add(page)
                    written += 1
    return written, skipped, errors
