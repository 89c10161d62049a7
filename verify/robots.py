"""robots.txt, read once per origin and applied as RFC 9309 says (with --respect-robots).

protego does the matching: `*` and `$` in paths, and the longest matching rule wins, an Allow
over a Disallow of the same length. A missing robots.txt (4xx) allows everything; one that
cannot be read (5xx, network error) forbids the whole origin.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from .netsafety import AddressRefused, RedirectRefused, Unresolvable, one_line
from .urls import url_problem

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: a crawler must read at least 500 KiB
MAX_ROBOTS_REDIRECTS = 5


class Robots:
    """The robots.txt rules of every origin met in one run, each fetched once."""

    def __init__(self, client: httpx.AsyncClient, user_agent: str) -> None:
        self.client = client
        self.user_agent = user_agent
        self.origins: dict[str, asyncio.Task[Protego | str | None]] = {}

    async def refusal(self, url: str) -> str | None:
        """Why robots.txt forbids fetching `url`, or None when it may be fetched."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.origins:
            self.origins[origin] = asyncio.ensure_future(self._load(origin))
        rules = await self.origins[origin]
        if isinstance(rules, str):
            return rules
        if rules is not None and not rules.can_fetch(url, self.user_agent):
            return "disallowed by robots.txt"
        return None

    async def _load(self, origin: str) -> Protego | str | None:
        """Parsed rules; None to allow everything; a string reason to fetch nothing."""
        url = origin + "/robots.txt"
        try:
            for _ in range(MAX_ROBOTS_REDIRECTS):
                async with self.client.stream("GET", url) as response:
                    status = response.status_code
                    location = response.headers.get("location")
                    if response.is_redirect and location:
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
                    return parse_robots(bytes(body[:ROBOTS_MAX_BYTES]))
        except (AddressRefused, Unresolvable):
            return None  # the page itself will be refused (or fail) with its own reason
        except (RedirectRefused, httpx.InvalidURL):
            return None  # robots.txt redirected to what is not a robots.txt: as if there were none
        except httpx.HTTPError as exc:
            return f"robots.txt unreachable ({one_line(exc)}), so nothing is fetched from {origin}"
        return None


def parse_robots(body: bytes) -> Protego:
    return Protego.parse(body.decode("utf-8", errors="replace"))
