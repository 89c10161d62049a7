"""Fetch source pages concurrently with httpx, like a careful crawler, through the cache.

Every failure becomes a Skipped with a reason; nothing here stops the run except a cache
database that cannot be written. Redirects are followed by hand so that each hop is checked
(scheme, resolved address, robots.txt) before anything is sent to it. Bodies are read raw and
decompressed here, so the size cap counts decompressed bytes and a gzip bomb never inflates
past it in memory.

Which addresses may be contacted lives in netsafety.py (GuardedBackend, is_public, url_problem,
re-exported here for `from verify.fetch import ...`), robots.txt in robots.py.
Tests can hand `fetch` an httpx transport (`transport=httpx.MockTransport(handler)`).

Retries: only 429 and 503 (the server says "later"), at most MAX_RETRIES times, honouring
Retry-After when it fits in the total time limit. Other 5xx answers are skipped at once: a
checker in CI should report a broken source, not hammer it.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import hashlib
import time
import zlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from .config import Settings
from .extract import charset_labels
from .ingest import html_nesting_problem
from .localfiles import LOCAL_TYPES, FileProblem, read_regular_file
from .models import Fetched, Skipped, SourceRef
from .netsafety import (
    AddressRefused,
    GuardedBackend,
    RedirectRefused,
    Unresolvable,
    check_url_address,
    guarded_transport,
    is_guarded,
    is_public,
    one_line,
    refuse_unfetchable_redirect,
)
from .robots import Robots
from .store import CachedPage, Store
from .urls import url_problem

__all__ = [
    "AddressRefused",
    "GuardedBackend",
    "Unresolvable",
    "check_url",
    "fetch",
    "fetch_async",
    "is_public",
    "make_client",
    "page_problem",
    "url_problem",
]

TEXT_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/markdown",
    "application/xml",
    "text/xml",
}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 503}
MAX_RETRIES = 2
MAX_RETRY_WAIT = 10.0
BINARY_MAGIC = {
    b"%PDF-": "PDF",
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "gzip data",
    b"RIFF": "RIFF media",
    b"\x7fELF": "executable",
}


class _Skip(Exception):
    """Internal: this source is skipped for the given reason."""


def fetch(
    refs: Sequence[SourceRef],
    settings: Settings,
    store: Store | None,
    client: httpx.AsyncClient | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Fetched | Skipped]:
    """Fetch every source; results come back in the order of `refs`.

    `client` replaces the whole HTTP client, `transport` only what answers the requests
    (httpx-style, e.g. `httpx.MockTransport(handler)` in a test); see `make_client`.
    """
    return asyncio.run(fetch_async(refs, settings, store, client, transport=transport))


async def fetch_async(
    refs: Sequence[SourceRef],
    settings: Settings,
    store: Store | None,
    client: httpx.AsyncClient | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Fetched | Skipped]:
    own_client = client is None
    if client is None:
        client = make_client(settings, transport=transport)
    fetcher = _Fetcher(settings, store, client)
    try:
        return list(await asyncio.gather(*(fetcher.one(ref) for ref in refs)))
    finally:
        if own_client:
            await client.aclose()


def make_client(
    settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """No automatic redirects, no proxies from the environment, only encodings we decode.

    By default every connection goes through `GuardedBackend`: the host is resolved once, every
    address is checked, and the socket is opened to a checked address (no DNS rebinding in
    between). A `transport` given replaces that network layer; the fetcher then checks each
    URL's addresses before its request, unless it is an `httpx.MockTransport` (no network at all).
    """
    timeout = httpx.Timeout(settings.timeout, connect=connect_timeout(settings))
    if transport is None:
        limits = httpx.Limits(max_connections=settings.concurrency)
        transport = guarded_transport(settings.allow_private, limits)
    return httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        follow_redirects=False,
        headers={
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
            "Accept-Encoding": "gzip, deflate",
        },
        trust_env=False,
        event_hooks={"response": [refuse_unfetchable_redirect]},
    )


def connect_timeout(settings: Settings) -> float:
    return settings.connect_timeout or min(settings.timeout, 10.0)


def total_timeout(settings: Settings) -> float:
    """Wall-clock limit for one source, all hops, retries and body bytes included."""
    return settings.total_timeout or settings.timeout * 2


class _Fetcher:
    def __init__(self, settings: Settings, store: Store | None, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.store = store
        self.client = client
        self.total = total_timeout(settings)
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}
        self.robots = Robots(client, settings.user_agent)
        # a client without GuardedBackend (not from make_client, or on another transport):
        # check the addresses before each request
        self.precheck = not settings.allow_private and not is_guarded(client)

    async def one(self, ref: SourceRef) -> Fetched | Skipped:
        try:
            if ref.file is not None:
                return _read_local(ref, self.settings.max_bytes)
            assert ref.url is not None
            check_url(ref.url)
            cached = self.store.get_page(ref.url) if self.store else None
            if cached is not None:
                problem = page_problem(cached.body, cached.content_type, cached.encoding)
                if problem and self.store is not None:
                    self.store.delete_page(ref.url)  # one hostile page must not break later runs
                    raise _Skip(f"{problem}; the cached copy was dropped")
            if cached and (not self.settings.refresh or self.settings.offline):
                return _from_cache(ref, cached)
            if self.settings.offline:
                raise _Skip("not in the cache, and --offline forbids fetching it")
            host = urlsplit(ref.url).hostname or ""
            host_slot = self.hosts.setdefault(host, asyncio.Semaphore(self.settings.per_host))
            # The clock starts once this source may talk to its host, so queueing is not counted.
            async with host_slot, self.slots:
                try:
                    async with asyncio.timeout(self.total) as limit:
                        return await self._download(ref, cached, limit.when() or 0.0)
                except TimeoutError:
                    raise _Skip(f"timed out: took longer than the total limit of {self.total:g} s") from None
        except _Skip as skip:
            return Skipped(ref, str(skip))

    async def _download(self, ref: SourceRef, cached: CachedPage | None, deadline: float) -> Fetched:
        assert ref.url is not None
        url = ref.url
        seen = {url}
        for hop in range(self.settings.max_redirects + 1):
            if self.precheck:
                try:
                    await check_url_address(url)
                except (AddressRefused, Unresolvable) as exc:
                    raise _refused(exc, redirected=hop > 0) from None
            if self.settings.respect_robots:
                refusal = await self.robots.refusal(url)
                if refusal:
                    raise _Skip(refusal)
            response, body = await self._get(url, cached if hop == 0 else None, deadline, redirected=hop > 0)
            if response.status_code in REDIRECT_STATUSES:
                location = response.headers.get("location", "").strip()
                if not location:
                    raise _Skip(f"HTTP {response.status_code} redirect without a Location header")
                target = urljoin(url, location)
                problem = url_problem(target)
                if problem:
                    raise _Skip(f"redirect to {location!r} refused: {problem}")
                if target in seen:
                    raise _Skip(f"redirect loop: {url} redirects back to {target}")
                seen.add(target)
                url = target
                continue
            if response.status_code == 304 and cached is not None:
                return self._revalidated(ref, cached)
            return self._page(ref, url, response, body)
        raise _Skip(f"more than {self.settings.max_redirects} redirects (last to {url})")

    async def _get(
        self, url: str, cached: CachedPage | None, deadline: float, *, redirected: bool = False
    ) -> tuple[httpx.Response, bytes]:
        headers = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        for attempt in range(MAX_RETRIES + 1):
            wait: float | None = None
            try:
                async with self.client.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    if status in RETRY_STATUSES:
                        wait = _retry_after(response.headers.get("retry-after"), attempt)
                        if attempt == MAX_RETRIES or wait is None or not self._fits(wait, deadline):
                            raise _Skip(_retry_reason(response, attempt, wait))
                    else:
                        return response, await self._receive(response)
            except (AddressRefused, Unresolvable) as exc:
                raise _refused(exc, redirected=redirected) from None
            except RedirectRefused as exc:
                raise _Skip(str(exc)) from None
            except httpx.InvalidURL as exc:  # not an HTTPError: a client without the redirect hook
                raise _Skip(f"invalid URL or redirect ({one_line(exc)})") from None
            except httpx.ConnectTimeout as exc:
                raise _Skip(f"timed out connecting (limit {connect_timeout(self.settings):g} s)") from exc
            except httpx.TimeoutException as exc:
                raise _Skip(
                    f"timed out: no data for {self.settings.timeout:g} s ({type(exc).__name__})"
                ) from exc
            except httpx.HTTPError as exc:
                raise _Skip(f"network error: {one_line(exc)}") from exc
            await asyncio.sleep(wait)  # outside the `with`: the connection goes back first
        raise AssertionError("unreachable")

    async def _receive(self, response: httpx.Response) -> bytes:
        """The body of a final answer, or a _Skip for an error status or a body we do not read."""
        status = response.status_code
        if status in REDIRECT_STATUSES or status == 304:
            return b""
        if status >= 300:
            raise _Skip(f"HTTP {status} {response.reason_phrase}".strip())
        content_type = _media_type(response.headers.get("content-type", ""))
        if content_type and content_type not in TEXT_TYPES:
            raise _Skip(f"unsupported content type {content_type} (only HTML and plain text are read)")
        body = await self._read_capped(response)
        kind = _binary_kind(body, response.charset_encoding or "")
        if kind:
            raise _Skip(f"served as {content_type or 'no content type'} but the body is {kind}, not text")
        return body

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """The decompressed body, read until the size cap: a gzip bomb stops at the cap."""
        limit = self.settings.max_bytes
        encoding = response.headers.get("content-encoding", "").strip().lower()
        declared = response.headers.get("content-length", "").strip()
        if not encoding and declared.isdigit() and int(declared) > limit:
            raise _Skip(f"larger than the {_kib(limit)} limit ({_kib(int(declared))} declared)")
        if response.is_stream_consumed:  # built in memory by a test transport, httpx decoded it
            if len(response.content) > limit:
                raise _Skip(f"larger than the {_kib(limit)} limit")
            return response.content
        decoder = _Decoder(encoding)
        body = bytearray()
        async for chunk in response.aiter_raw():
            body += decoder.feed(chunk, limit - len(body) + 1)
            if len(body) > limit:
                raise _Skip(
                    f"larger than the {_kib(limit)} limit" + (f" once {encoding}-decoded" if encoding else "")
                )
        decoder.finish()
        return bytes(body)

    @staticmethod
    def _fits(wait: float, deadline: float) -> bool:
        return asyncio.get_running_loop().time() + wait < deadline

    def _page(self, ref: SourceRef, final_url: str, response: httpx.Response, body: bytes) -> Fetched:
        content_type = _media_type(response.headers.get("content-type", "")) or "text/html"
        problem = page_problem(body, content_type, response.charset_encoding or "")
        if problem:
            raise _Skip(problem)  # validated before it is cached
        fetched = Fetched(
            ref=ref,
            body=body,
            content_type=content_type,
            encoding=response.charset_encoding or "",
            final_url=final_url,
            status=response.status_code,
            fetched_at=_now(),
            content_hash=hashlib.sha256(body).hexdigest(),
        )
        if self.store is not None and ref.url:
            self.store.put_page(
                CachedPage(
                    url=ref.url,
                    final_url=final_url,
                    status=response.status_code,
                    content_type=content_type,
                    encoding=fetched.encoding,
                    etag=response.headers.get("etag", ""),
                    last_modified=response.headers.get("last-modified", ""),
                    fetched_at=fetched.fetched_at,
                    content_hash=fetched.content_hash,
                    body=body,
                )
            )
        return fetched

    def _revalidated(self, ref: SourceRef, cached: CachedPage) -> Fetched:
        fresh = replace(cached, fetched_at=_now())
        if self.store is not None:
            self.store.put_page(fresh)
        return _from_cache(ref, fresh)


def _refused(exc: AddressRefused | Unresolvable, *, redirected: bool) -> _Skip:
    if isinstance(exc, Unresolvable):
        return _Skip(str(exc))
    via = "redirected to " if redirected else ""
    return _Skip(f"refused: {via}{exc} (use --allow-private to allow)")


class _Decoder:
    """Content-Encoding decoding with a bound on the output of each call."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.raw = False  # deflate sent without the zlib wrapper
        if encoding in ("", "identity"):
            self.obj = None
        elif encoding in ("gzip", "x-gzip"):
            self.obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self.obj = zlib.decompressobj()
        else:
            raise _Skip(f"unsupported content encoding {encoding!r}")
        self.started = False

    def feed(self, data: bytes, room: int) -> bytes:
        if self.obj is None:
            return data
        try:
            out = self.obj.decompress(data, room)
        except zlib.error as exc:
            if self.encoding == "deflate" and not self.started:
                self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
                self.started = True
                return self.feed(data, room)
            raise _Skip(f"cannot decode the {self.encoding} response ({exc})") from exc
        self.started = True
        return out

    def finish(self) -> None:
        if self.obj is not None and self.started and not self.obj.eof:
            raise _Skip(f"the {self.encoding} response is truncated")


def check_url(url: str) -> None:
    """Only absolute http(s) URLs with a host are fetched."""
    problem = url_problem(url)
    if problem:
        raise _Skip(problem)


def _read_local(ref: SourceRef, limit: int) -> Fetched:
    path = Path(ref.file) if ref.file else Path()
    try:
        body = read_regular_file(path, limit)
    except FileProblem as exc:
        reason = str(exc)
        if reason == "no such file":
            raise _Skip(f"archived file {path} not found") from exc
        if reason.startswith("too large"):
            raise _Skip(f"archived file {path} is larger than the {_kib(limit)} limit") from exc
        raise _Skip(f"archived file {path} {reason}") from exc
    content_type = LOCAL_TYPES.get(path.suffix.lower(), "text/html")
    kind = _binary_kind(body, "")
    if kind:
        raise _Skip(f"archived file {path} is {kind}, not text")
    problem = page_problem(body, content_type, "")
    if problem:
        raise _Skip(f"archived file {path}: {problem}")
    try:
        mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    except (OSError, OverflowError, ValueError):
        mtime = _now()
    return Fetched(
        ref=ref,
        body=body,
        content_type=content_type,
        final_url=ref.url or path.resolve().as_uri(),
        fetched_at=mtime,
        content_hash=hashlib.sha256(body).hexdigest(),
        archived=True,
    )


def page_problem(body: bytes, content_type: str, charset: str) -> str | None:
    """Why a page cannot be used (and must not be cached), or None.

    A charset label that names a codec which is not a text encoding (rot-13, hex, base64, zlib),
    in the header or a <meta> tag; HTML nested deeper than MAX_HTML_DEPTH levels.
    """
    for label in charset_labels(body, charset):
        try:
            info = codecs.lookup(label.strip().strip("\"'"))
        except LookupError:
            continue  # an unknown label is ignored and the charset detected, as browsers do
        if not getattr(info, "_is_text_encoding", True):
            return f"the page declares the charset {label[:40]!r}, which is not a text encoding"
    if content_type in ("text/html", "application/xhtml+xml", "application/xml", "text/xml"):
        return html_nesting_problem(body.decode("latin-1"))
    return None


def _binary_kind(body: bytes, charset: str) -> str:
    """What a body that is not text is ('' for text): known magic numbers, or NUL bytes."""
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or charset.lower().startswith("utf-16"):
        return ""
    for magic, kind in BINARY_MAGIC.items():
        if body.startswith(magic):
            return kind
    return "binary data" if b"\x00" in body[:4096] else ""


def _from_cache(ref: SourceRef, page: CachedPage) -> Fetched:
    return Fetched(
        ref=ref,
        body=page.body,
        content_type=page.content_type,
        encoding=page.encoding,
        final_url=page.final_url,
        status=page.status,
        fetched_at=page.fetched_at,
        content_hash=page.content_hash,
        from_cache=True,
    )


def _retry_after(value: str | None, attempt: int) -> float | None:
    """Seconds to wait before retrying, or None when the server asks for longer than we wait."""
    wait = 0.5 * 2**attempt
    if value:
        value = value.strip()
        if value.isdigit():
            wait = float(value)
        else:
            with contextlib.suppress(TypeError, ValueError, OverflowError):
                wait = parsedate_to_datetime(value).timestamp() - time.time()
    wait = max(wait, 0.0)
    return wait if wait <= MAX_RETRY_WAIT else None


def _retry_reason(response: httpx.Response, attempt: int, wait: float | None) -> str:
    status = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    if attempt == MAX_RETRIES:
        return f"{status} (still failing after {MAX_RETRIES} retries)"
    asked = response.headers.get("retry-after", "").strip()
    return f"{status} (Retry-After {asked!r} is longer than verify waits)" if asked else status


def _media_type(header: str) -> str:
    return header.split(";")[0].strip().lower()


def _kib(size: int) -> str:
    return f"{size // 1024} KiB"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
