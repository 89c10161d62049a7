"""Which URLs verify fetches at all: the standard library only, so reading articles and their
sources (and a warm run) never imports the network code of netsafety.py."""

from __future__ import annotations

from urllib.parse import urlsplit


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
