"""Fetch source pages concurrently with httpx, like a careful crawler, through the cache.

Every failure becomes a Skipped with a reason; nothing here stops the run. Redirects are
followed by hand so that each hop is checked (scheme, address) before it is requested.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import socket
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from .config import Settings
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
LOCAL_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
}
RETRY_STATUSES = {429, 503}
MAX_RETRIES = 2
MAX_RETRY_WAIT = 10.0


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
    timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0))
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=False,
        headers={
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
        },
        limits=httpx.Limits(max_connections=settings.concurrency),
        trust_env=False,
    )


class _Fetcher:
    def __init__(self, settings: Settings, store: Store | None, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.store = store
        self.client = client
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}
        self.robots: dict[str, list[str] | None] = {}

    async def one(self, ref: SourceRef) -> Fetched | Skipped:
        try:
            if ref.file is not None:
                return _read_local(ref)
            assert ref.url is not None
            check_url(ref.url)
            cached = self.store.get_page(ref.url) if self.store else None
            if cached and (not self.settings.refresh or self.settings.offline):
                return _from_cache(ref, cached)
            if self.settings.offline:
                raise _Skip("not in the cache, and --offline forbids fetching it")
            async with self.slots:
                return await asyncio.wait_for(self._download(ref, cached), self.settings.timeout * 2)
        except _Skip as skip:
            return Skipped(ref, str(skip))
        except TimeoutError:
            return Skipped(ref, f"timed out after {self.settings.timeout * 2:g} s in all")

    async def _download(self, ref: SourceRef, cached: CachedPage | None) -> Fetched:
        assert ref.url is not None
        url = ref.url
        host_slot = self.hosts.setdefault(
            urlsplit(url).hostname or "", asyncio.Semaphore(self.settings.per_host)
        )
        async with host_slot:
            for hop in range(self.settings.max_redirects + 1):
                await self._check_address(url)
                if getattr(self.settings, "respect_robots", False):
                    await self._check_robots(url)
                response, body = await self._get(url, cached if hop == 0 else None)
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise _Skip(f"HTTP {response.status_code} redirect without a Location header")
                    url = urljoin(url, location)
                    check_url(url)
                    continue
                if response.status_code == 304 and cached is not None:
                    return _from_cache(ref, cached, revalidated=True)
                return self._page(ref, url, response, body)
        raise _Skip(f"more than {self.settings.max_redirects} redirects")

    async def _get(self, url: str, cached: CachedPage | None) -> tuple[httpx.Response, bytes]:
        headers = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        for attempt in range(MAX_RETRIES + 1):
            try:
                async with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code in RETRY_STATUSES and attempt < MAX_RETRIES:
                        wait = _retry_after(response.headers.get("retry-after"), attempt)
                        if wait is not None:
                            await asyncio.sleep(wait)
                            continue
                    if response.is_redirect or response.status_code == 304:
                        return response, b""
                    if response.status_code >= 400:
                        raise _Skip(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                    content_type = _media_type(response.headers.get("content-type", ""))
                    if content_type and content_type not in TEXT_TYPES:
                        raise _Skip(
                            f"unsupported content type {content_type} (only HTML and plain text are read)"
                        )
                    body = await self._read_capped(response)
                    return response, body
            except httpx.TimeoutException as exc:
                raise _Skip(f"timed out ({type(exc).__name__})") from exc
            except httpx.TooManyRedirects as exc:
                raise _Skip("too many redirects") from exc
            except httpx.DecodingError as exc:
                raise _Skip(f"cannot decode the response ({exc})") from exc
            except httpx.HTTPError as exc:
                raise _Skip(f"network error: {_short(exc)}") from exc
        raise _Skip("HTTP 429/503 after retries")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """Read the decompressed body, stopping at the size cap (so a gzip bomb stops early)."""
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length")
        if (
            declared
            and declared.isdigit()
            and int(declared) > limit
            and "content-encoding" not in response.headers
        ):
            raise _Skip(f"larger than the {limit // 1024} KiB limit ({int(declared) // 1024} KiB declared)")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise _Skip(f"larger than the {limit // 1024} KiB limit")
            chunks.append(chunk)
        return b"".join(chunks)

    async def _check_address(self, url: str) -> None:
        if self.settings.allow_private:
            return
        host = urlsplit(url).hostname or ""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise _Skip(f"cannot resolve host {host!r}") from exc
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if not address.is_global or address.is_multicast:
                raise _Skip(
                    f"refused: {host} resolves to the non-public address {address} "
                    "(use --allow-private to allow)"
                )

    async def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = await self._robots_rules(origin)
        rules = self.robots[origin] or []
        path = parts.path or "/"
        if any(rule and path.startswith(rule) for rule in rules):
            raise _Skip("disallowed by robots.txt")

    async def _robots_rules(self, origin: str) -> list[str] | None:
        try:
            response = await self.client.get(origin + "/robots.txt")
        except httpx.HTTPError:
            return None
        if response.status_code != 200:
            return None
        rules: list[str] = []
        applies = False
        for line in response.text.splitlines():
            key, _, value = line.partition("#")[0].partition(":")
            key, value = key.strip().lower(), value.strip()
            if key == "user-agent":
                applies = value == "*" or value.lower().startswith("verify")
            elif key == "disallow" and applies:
                rules.append(value)
        return rules

    def _page(self, ref: SourceRef, final_url: str, response: httpx.Response, body: bytes) -> Fetched:
        content_type = _media_type(response.headers.get("content-type", "")) or "text/html"
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


def check_url(url: str) -> None:
    """Only absolute http(s) URLs with a host are fetched."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise _Skip(f"invalid URL ({exc})") from exc
    if parts.scheme not in ("http", "https"):
        raise _Skip(
            f"unsupported URL scheme {parts.scheme + ':' if parts.scheme else '(none)'}; only http and https"
        )
    if not parts.hostname:
        raise _Skip("invalid URL: no host")
    if port == 0:
        raise _Skip("invalid URL: port 0")


def _read_local(ref: SourceRef) -> Fetched:
    path = Path(ref.file) if ref.file else Path()
    try:
        body = path.read_bytes()
    except FileNotFoundError as exc:
        raise _Skip(f"archived file {path} not found") from exc
    except IsADirectoryError as exc:
        raise _Skip(f"archived file {path} is a folder") from exc
    except OSError as exc:
        raise _Skip(f"cannot read archived file {path} ({exc.strerror})") from exc
    content_type = LOCAL_TYPES.get(path.suffix.lower(), "text/html")
    mtime = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    return Fetched(
        ref=ref,
        body=body,
        content_type=content_type,
        final_url=ref.url or path.resolve().as_uri(),
        fetched_at=mtime,
        content_hash=hashlib.sha256(body).hexdigest(),
        archived=True,
    )


def _from_cache(ref: SourceRef, page: CachedPage, revalidated: bool = False) -> Fetched:
    return Fetched(
        ref=ref,
        body=page.body,
        content_type=page.content_type,
        encoding=page.encoding,
        final_url=page.final_url,
        status=page.status,
        fetched_at=_now() if revalidated else page.fetched_at,
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
            with contextlib.suppress(TypeError, ValueError):
                wait = parsedate_to_datetime(value).timestamp() - time.time()
    wait = max(wait, 0.0)
    return wait if wait <= MAX_RETRY_WAIT else None


def _media_type(header: str) -> str:
    return header.split(";")[0].strip().lower()


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
