"""Which URLs and addresses verify may connect to, and the network backend that enforces it.

A source URL comes from an article, so it may point anywhere: at the machine itself, the cloud
metadata service or the office network. Only absolute http(s) URLs are fetched, and, unless
--allow-private, only from globally routable addresses. `GuardedBackend` resolves each host once,
checks every address and connects to a checked one, so a second DNS answer is never used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .urls import url_problem

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

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


class RedirectRefused(Exception):
    """A redirect to a URL verify never fetches (mailto:, data:, no host, a bad port)."""

    def __init__(self, location: str, problem: str) -> None:
        super().__init__(f"redirect to {location[:200]!r} refused: {problem}")


async def refuse_unfetchable_redirect(response: httpx.Response) -> None:
    """An httpx response hook: a redirect whose target is not fetchable raises RedirectRefused.

    httpx builds the next request of every redirect, even with redirects off, and a Location
    such as `mailto:x` makes that raise httpx.InvalidURL, which is not an httpx.HTTPError; the
    hook runs first, so the fetcher gets a reason it can report as a skipped source.
    """
    if not response.has_redirect_location:
        return
    location = response.headers.get("location", "").strip()
    if not location:
        return  # the fetcher reports a redirect without a Location
    try:
        target = urljoin(str(response.request.url), location)
    except ValueError as exc:
        raise RedirectRefused(location, f"invalid URL ({exc})") from None
    problem = url_problem(target)
    if problem:
        raise RedirectRefused(location, problem)


def one_line(exc: Exception) -> str:
    """A network error as a short reason: its first line, at most 200 characters."""
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def is_public(address: Address) -> bool:
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


async def resolve(host: str, port: int) -> list[Address]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


async def checked_addresses(host: str, port: int, *, allow_private: bool) -> list[Address]:
    """The host's addresses, resolved once; Unresolvable, or AddressRefused for a non-public one."""
    try:
        addresses = await resolve(host, port)
    except (OSError, UnicodeError, ValueError) as exc:
        raise Unresolvable(host) from exc
    if not addresses:
        raise Unresolvable(host)
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise AddressRefused(host, str(address))
    return addresses


async def check_url_address(url: str) -> None:
    """The address check for a client without GuardedBackend: weaker (httpx resolves the name
    again before connecting), but never skipped."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    await checked_addresses(parts.hostname or "", port, allow_private=False)


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
        addresses = await checked_addresses(host, port, allow_private=self.allow_private)
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


def guarded_transport(allow_private: bool, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's own transport, no proxies from the environment, connecting through GuardedBackend."""
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    # httpx has no public hook for the network backend; its pool (httpcore) takes one.
    transport._pool._network_backend = GuardedBackend(allow_private)
    return transport


def is_guarded(client: httpx.AsyncClient) -> bool:
    """Whether the client's connections are checked already: it connects through GuardedBackend
    (a client from make_client), or it has no network at all (an httpx.MockTransport)."""
    transport = getattr(client, "_transport", None)
    if isinstance(transport, httpx.MockTransport):
        return True
    pool = getattr(transport, "_pool", None)
    return isinstance(getattr(pool, "_network_backend", None), GuardedBackend)
