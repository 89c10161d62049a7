"""Fetch source pages concurrently with httpx, like a careful crawler, through the cache.

Every failure becomes a Skipped with a reason; nothing here stops the run except a cache
database that cannot be written. Redirects are followed by hand so that each hop is checked
(scheme, resolved address, robots.txt) before anything is sent to it. Bodies are read raw and
decompressed here, so the size cap counts decompressed bytes and a gzip bomb never inflates
past it in memory.

Retries: only 429 and 503 (the server says "later"), at most MAX_RETRIES times, honouring
Retry-After when it fits in the total time limit. Other 5xx answers are skipped at once: a
checker in CI should report a broken source, not hammer it.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import hashlib
import ipaddress
import re
import socket
import time
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from .config import Settings
from .ingest import html_nesting_problem
from .localfiles import LOCAL_TYPES, FileProblem, read_regular_file
from .models import Fetched, Skipped, SourceRef
from .store import CachedPage, Store

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
ROBOTS_MAX_BYTES = 512 * 1024
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
_META_CHARSET = re.compile(rb"<meta[^<>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)
_EMBEDS_IPV4_LOW32 = (
    ipaddress.ip_network("::/96"),  # IPv4-compatible (deprecated), also :: and ::1
    ipaddress.ip_network("::ffff:0:0:0/96"),  # IPv4-translated (RFC 2765)
    ipaddress.ip_network("64:ff9b::/96"),  # NAT64 well-known prefix
)
_NEVER_PUBLIC_V6 = (
    ipaddress.ip_network("64:ff9b:1::/48"),  # NAT64 local use (RFC 8215)
    ipaddress.ip_network("fec0::/10"),  # site-local (deprecated)
    ipaddress.ip_network("2001::/32"),  # Teredo: a tunnel to wherever its relay points
)


class _Skip(Exception):
    """Internal: this source is skipped for the given reason."""


def fetch(
    refs: Sequence[SourceRef],
    settings: Settings,
    store: Store | None,
    client: httpx.AsyncClient | None = None,
) -> list[Fetched | Skipped]:
    """Fetch every source; results come back in the order of `refs`."""
    return asyncio.run(fetch_async(refs, settings, store, client))


async def fetch_async(
    refs: Sequence[SourceRef],
    settings: Settings,
    store: Store | None,
    client: httpx.AsyncClient | None = None,
) -> list[Fetched | Skipped]:
    own_client = client is None
    if client is None:
        client = make_client(settings)
    fetcher = _Fetcher(settings, store, client)
    try:
        return list(await asyncio.gather(*(fetcher.one(ref) for ref in refs)))
    finally:
        if own_client:
            await client.aclose()


def make_client(settings: Settings) -> httpx.AsyncClient:
    """No automatic redirects, no proxies from the environment, only encodings we decode.

    Every connection goes through `GuardedBackend`: the host is resolved once, every address
    is checked, and the socket is opened to a checked address (no DNS rebinding in between).
    """
    timeout = httpx.Timeout(settings.timeout, connect=connect_timeout(settings))
    limits = httpx.Limits(max_connections=settings.concurrency)
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    # httpx has no public hook for the network backend; its pool (httpcore) takes one.
    transport._pool._network_backend = GuardedBackend(settings.allow_private)
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
    )


class AddressRefused(Exception):
    """A connection refused before it was opened: the host resolves to a non-public address."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to the non-public address {address}")
        self.host = host
        self.address = address


class Unresolvable(Exception):
    """The host name does not resolve."""

    def __init__(self, host: str) -> None:
        super().__init__(f"cannot resolve host {host!r}")


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses it has just checked."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await _resolve(host, port)
        except (OSError, UnicodeError, ValueError) as exc:
            raise Unresolvable(host) from exc
        if not addresses:
            raise Unresolvable(host)
        if not self.allow_private:
            for address in addresses:
                if not is_public(address):
                    raise AddressRefused(host, str(address))
        error: Exception | None = None
        for address in dict.fromkeys(addresses):  # the checked addresses, never a new lookup
            try:
                return await self.inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


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
        self.robots: dict[str, asyncio.Task[RobotFileParser | str | None]] = {}
        # a client not built by make_client() has no GuardedBackend: check before each request
        self.precheck = not settings.allow_private and not _is_guarded(client)

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
                await _precheck_address(url, redirected=hop > 0)
            if self.settings.respect_robots:
                await self._check_robots(url)
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
            except AddressRefused as exc:
                via = "redirected to " if redirected else ""
                raise _Skip(f"refused: {via}{exc} (use --allow-private to allow)") from None
            except Unresolvable as exc:
                raise _Skip(str(exc)) from None
            except httpx.ConnectTimeout as exc:
                raise _Skip(f"timed out connecting (limit {connect_timeout(self.settings):g} s)") from exc
            except httpx.TimeoutException as exc:
                raise _Skip(
                    f"timed out: no data for {self.settings.timeout:g} s ({type(exc).__name__})"
                ) from exc
            except httpx.HTTPError as exc:
                raise _Skip(f"network error: {_short(exc)}") from exc
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

    async def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = asyncio.ensure_future(self._robots(origin))
        rules = await self.robots[origin]
        if isinstance(rules, str):
            raise _Skip(rules)
        if rules is not None and not rules.can_fetch(self.settings.user_agent, url):
            raise _Skip("disallowed by robots.txt")

    async def _robots(self, origin: str) -> RobotFileParser | str | None:
        """Parsed rules; None to allow everything; a string reason to fetch nothing (RFC 9309)."""
        url = origin + "/robots.txt"
        try:
            for _ in range(5):
                async with self.client.stream("GET", url) as response:
                    status = response.status_code
                    location = response.headers.get("location")
                    if status in REDIRECT_STATUSES and location:
                        url = urljoin(url, location)
                        if url_problem(url):
                            return None
                        continue
                    if status >= 500:
                        return f"robots.txt unreachable (HTTP {status}), so nothing is fetched from {origin}"
                    if status != 200:
                        return None  # 4xx: no robots.txt, everything is allowed
                    body = bytearray()
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) > ROBOTS_MAX_BYTES:
                            break
                    return _robots_parser(bytes(body[:ROBOTS_MAX_BYTES]))
        except (_Skip, AddressRefused, Unresolvable):
            return None  # the page itself will be refused (or fail) with its own reason
        except httpx.HTTPError as exc:
            return f"robots.txt unreachable ({_short(exc)}), so nothing is fetched from {origin}"
        return None

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


def _is_guarded(client: httpx.AsyncClient) -> bool:
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    return isinstance(getattr(pool, "_network_backend", None), GuardedBackend)


async def _precheck_address(url: str, *, redirected: bool) -> None:
    """The address check for a foreign client: weaker (httpx resolves the name again), never skipped."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        addresses = await _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError) as exc:
        raise _Skip(f"cannot resolve host {host!r}") from exc
    for address in addresses:
        if not is_public(address):
            via = "redirected to " if redirected else ""
            raise _Skip(f"refused: {via}{AddressRefused(host, str(address))} (use --allow-private to allow)")


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


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched (not absolute http(s) with a host), or None when it can."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"invalid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        shown = parts.scheme + ":" if parts.scheme else "(none)"
        return f"unsupported URL scheme {shown}; only http and https"
    if not parts.hostname:
        return "invalid URL: no host"
    if port == 0:
        return "invalid URL: port 0"
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return "invalid URL: contains white space or control characters"
    return None


def check_url(url: str) -> None:
    """Only absolute http(s) URLs with a host are fetched."""
    problem = url_problem(url)
    if problem:
        raise _Skip(problem)


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Globally routable unicast. An IPv4 address embedded in IPv6 is judged as that IPv4 address.

    Embedded forms: IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d),
    IPv4-compatible (::a.b.c.d), 6to4 (2002:AABB:CCDD::) and NAT64 (64:ff9b::/96). NAT64
    local use (64:ff9b:1::/48), site-local (fec0::/10) and Teredo (2001::/32) are never public.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public(embedded)
        if any(address in net for net in _NEVER_PUBLIC_V6) or address.is_site_local:
            return False
    return address.is_global and not address.is_multicast


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in net for net in _EMBEDS_IPV4_LOW32):
        return low32
    return None


async def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


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
    labels = [charset] if charset else []
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        labels.append(meta.group(1).decode("ascii", "replace"))
    for label in labels:
        try:
            info = codecs.lookup(label.strip().strip("\"'"))
        except LookupError:
            continue  # an unknown label is ignored and the charset detected, as browsers do
        if not getattr(info, "_is_text_encoding", True):
            return f"the page declares the charset {label[:40]!r}, which is not a text encoding"
    if content_type in ("text/html", "application/xhtml+xml", "application/xml", "text/xml"):
        return html_nesting_problem(body.decode("latin-1"))
    return None


def _robots_parser(body: bytes) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(body.decode("utf-8", errors="replace").splitlines())
    return parser


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


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
