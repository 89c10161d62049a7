"""fetch against a hostile HTTP server on 127.0.0.1: every fault ends as data, never a hang."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import socket
import struct
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import FakeEmbedder, Handler, Reply, Route, Server, gzip_bomb, page, record_connections, serving

from verify import netsafety
from verify.config import Settings
from verify.extract import extract
from verify.fetch import check_url, fetch, is_public, make_client, url_problem
from verify.models import Fetched, SourceRef
from verify.pipeline import ArticleInput, run
from verify.store import Store

FAST = Settings(allow_private=True, timeout=1.0)


@pytest.fixture(scope="module")
def _shared_server() -> Iterator[Server]:
    """One server for the module (the conftest one costs 0.5 s to stop), reset for each test."""
    with serving(poll_interval=0.05) as srv:
        yield srv


@pytest.fixture()
def server(_shared_server: Server) -> Server:
    """Same pages as the conftest fixture, fresh routes and hit counts."""
    srv = _shared_server
    srv.routes.clear()
    srv.hits.clear()
    srv.add("/spacex.html", Reply(body=page("SpaceX won a cargo contract in 2008.", title="NASA cargo")))
    srv.add("/redirect", Reply(302, headers={"Location": "/spacex.html"}))
    srv.add("/file.pdf", Reply(body=b"%PDF-1.4 binary", headers={"Content-Type": "application/pdf"}))
    srv.add("/slow", Reply(body=page("Too late."), delay=3.0))
    srv.add("/plain.txt", Reply(body=b"A plain text page.", headers={"Content-Type": "text/plain"}))
    return srv


def get(url: str, settings: Settings = FAST, store: Store | None = None) -> Fetched:
    result = fetch([SourceRef(url)], settings, store)[0]
    assert isinstance(result, Fetched), getattr(result, "reason", result)
    return result


def skip_reason(url: str, settings: Settings = FAST, store: Store | None = None) -> str:
    result = fetch([SourceRef(url)], settings, store)[0]
    assert not isinstance(result, Fetched), f"expected a skip, got {result.status} {result.final_url}"
    return result.reason


# --- ordinary answers --------------------------------------------------------------------------


def test_normal_page_is_fetched_and_cached(server: Server, tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite")
    got = get(server.url("/spacex.html"), store=store)
    assert got.status == 200 and got.content_type == "text/html" and got.encoding == "utf-8"
    assert b"cargo contract" in got.body
    assert got.content_hash == hashlib.sha256(got.body).hexdigest()
    cached = store.get_page(server.url("/spacex.html"))
    assert cached is not None and cached.body == got.body


def test_normal_redirect_is_followed(server: Server) -> None:
    got = get(server.url("/redirect"))
    assert got.final_url == server.url("/spacex.html")


def test_404_is_a_skip(server: Server) -> None:
    assert skip_reason(server.url("/missing")) == "HTTP 404 Not Found"


def test_non_html_file_is_a_skip(server: Server) -> None:
    reason = skip_reason(server.url("/file.pdf"))
    assert reason == "unsupported content type application/pdf (only HTML and plain text are read)"


def test_plain_text_is_read(server: Server) -> None:
    assert get(server.url("/plain.txt")).content_type == "text/plain"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "unsupported URL scheme file:; only http and https"),
        ("ftp://example.org/x", "unsupported URL scheme ftp:; only http and https"),
        ("javascript:alert(1)", "unsupported URL scheme javascript:; only http and https"),
        ("http:///nohost", "invalid URL: no host"),
        ("http://[::1", "invalid URL (Invalid IPv6 URL)"),
        ("http://example.org:0/", "invalid URL: port 0"),
        ("http://exa mple.org/", "invalid URL: contains white space or control characters"),
    ],
)
def test_invalid_urls_are_skipped_without_a_request(url: str, reason: str) -> None:
    assert url_problem(url) == reason
    assert skip_reason(url, Settings(timeout=1.0)) == reason


def test_check_url_accepts_http_and_https() -> None:
    check_url("https://example.org/a?b=c")
    check_url("http://127.0.0.1:8080/")


# --- timeouts ----------------------------------------------------------------------------------


def test_slow_page_times_out(server: Server) -> None:
    started = time.monotonic()
    reason = skip_reason(server.url("/slow"))  # answers after 3 s; the read timeout is 1 s
    assert reason.startswith("timed out: no data for 1 s")
    assert time.monotonic() - started < 2.5


def test_drip_feeding_server_stops_at_the_total_timeout(server: Server) -> None:
    # 16 bytes every 0.2 s never trips the 1 s read timeout; the 2 s total limit stops it.
    url = server.add("/drip", Reply(body=page("x" * 4000), drip=0.2))
    started = time.monotonic()
    reason = skip_reason(url)
    assert reason == "timed out: took longer than the total limit of 2 s"
    assert time.monotonic() - started < 3.5


def test_total_timeout_can_be_set(server: Server) -> None:
    url = server.add("/drip", Reply(body=page("x" * 4000), drip=0.2))
    settings = Settings(allow_private=True, timeout=1.0, total_timeout=0.5)
    started = time.monotonic()
    assert skip_reason(url, settings) == "timed out: took longer than the total limit of 0.5 s"
    assert time.monotonic() - started < 2.0


def test_connect_timeout_is_its_own_bound() -> None:
    settings = Settings(timeout=7.0, connect_timeout=0.5)
    client = make_client(settings)
    assert client.timeout.connect == 0.5 and client.timeout.read == 7.0
    assert make_client(Settings(timeout=30.0)).timeout.connect == 10.0


def test_an_injected_transport_answers_instead_of_the_network() -> None:
    """httpx-style test hook: fetch(..., transport=httpx.MockTransport(handler)) opens no socket,
    and the rest of the fetcher (redirects by hand, robots.txt, headers) runs as usual."""
    seen: list[tuple[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers["user-agent"]))
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /*.pdf$\n")
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        return httpx.Response(200, html="<html><body><p>Mocked page.</p></body></html>")

    settings = Settings(timeout=1.0, respect_robots=True)  # no --allow-private: nothing is resolved
    refs = [SourceRef("https://news.example/old"), SourceRef("https://news.example/paper.pdf")]
    moved, pdf = fetch(refs, settings, None, transport=httpx.MockTransport(answer))
    assert isinstance(moved, Fetched) and moved.final_url == "https://news.example/new"
    assert b"Mocked page." in moved.body
    assert not isinstance(pdf, Fetched) and pdf.reason == "disallowed by robots.txt"
    assert [url for url, _ in seen] == [
        "https://news.example/robots.txt",
        "https://news.example/old",
        "https://news.example/new",
    ]
    assert {agent for _, agent in seen} == {settings.user_agent}


def test_the_default_client_connects_through_the_guarded_backend() -> None:
    """The transport hook changes nothing by default; another real transport is still checked."""
    assert netsafety.is_guarded(make_client(FAST))
    assert not netsafety.is_guarded(make_client(FAST, transport=httpx.AsyncHTTPTransport()))


# --- broken connections and lies ---------------------------------------------------------------


def test_connection_reset_is_a_skip(server: Server) -> None:
    url = server.add("/reset", Reply(reset=True))
    assert skip_reason(url).startswith("network error: ")


def test_content_length_longer_than_the_body(server: Server) -> None:
    url = server.add(
        "/short", Reply(body=page("Cut short."), headers={"Content-Length": "100000", "Connection": "close"})
    )
    assert skip_reason(url).startswith("network error: ")


def test_content_length_shorter_than_the_body_reads_only_what_was_declared(server: Server) -> None:
    url = server.add(
        "/long", Reply(body=b"<p>Declared part.</p>" + b"x" * 5000, headers={"Content-Length": "21"})
    )
    assert get(url).body == b"<p>Declared part.</p>"


def test_declared_length_over_the_cap_is_refused_before_reading(server: Server) -> None:
    url = server.add("/huge", Reply(body=b"x", headers={"Content-Length": str(50 * 1024 * 1024)}))
    settings = Settings(allow_private=True, timeout=1.0, max_bytes=1024 * 1024)
    assert skip_reason(url, settings) == "larger than the 1024 KiB limit (51200 KiB declared)"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"%PDF-1.7\n%binary", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
        (b"<html>\x00\x01\x02\x00</html>", "binary data"),
    ],
)
def test_binary_body_served_as_html_is_a_skip(server: Server, body: bytes, kind: str) -> None:
    url = server.add("/lie", Reply(body=body, headers={"Content-Type": "text/html; charset=utf-8"}))
    assert skip_reason(url) == f"served as text/html but the body is {kind}, not text"


def test_html_served_as_octet_stream_is_not_guessed(server: Server) -> None:
    url = server.add(
        "/octet", Reply(body=page("Hidden."), headers={"Content-Type": "application/octet-stream"})
    )
    assert skip_reason(url).startswith("unsupported content type application/octet-stream")


def test_missing_content_type_is_read_as_html(server: Server) -> None:
    url = server.add("/untyped", Reply(body=page("No type."), headers={"Content-Type": ""}))
    assert get(url).content_type == "text/html"


def test_gzip_bomb_stops_at_the_cap_with_bounded_memory(server: Server) -> None:
    bomb = gzip_bomb(64 * 1024 * 1024)  # 64 MiB of markup in about 64 KiB on the wire
    url = server.add("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    settings = Settings(allow_private=True, timeout=2.0, max_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        reason = skip_reason(url, settings)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reason == "larger than the 1024 KiB limit once gzip-decoded"
    assert peak < 16 * 1024 * 1024


def test_small_gzip_page_is_decoded(server: Server) -> None:
    import gzip

    url = server.add(
        "/gz", Reply(body=gzip.compress(page("Compressed.")), headers={"Content-Encoding": "gzip"})
    )
    assert get(url).body == page("Compressed.")


def test_corrupt_and_unknown_encodings_are_skips(server: Server) -> None:
    bad = server.add("/badgz", Reply(body=b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    assert skip_reason(bad).startswith("cannot decode the gzip response")
    truncated = server.add("/cut", Reply(body=gzip_bomb(10_000)[:-20], headers={"Content-Encoding": "gzip"}))
    assert skip_reason(truncated) == "the gzip response is truncated"
    br = server.add("/br", Reply(body=b"\x0b\x02\x80hi\x03", headers={"Content-Encoding": "br"}))
    assert skip_reason(br) == "unsupported content encoding 'br'"


def test_a_body_without_length_stops_at_the_cap(tmp_path: Path) -> None:
    body = b"<p>" + b"a" * (3 * 1024 * 1024)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
    with raw_server(head + body) as url:
        settings = Settings(allow_private=True, timeout=2.0, max_bytes=1024 * 1024)
        assert skip_reason(url, settings) == "larger than the 1024 KiB limit"


def test_garbage_instead_of_http_is_a_skip() -> None:
    with raw_server(b"SSH-2.0-OpenSSH_9.6\r\n") as url:
        assert skip_reason(url).startswith("network error: ")


@contextlib.contextmanager
def raw_server(answer: bytes) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that sends `answer` to each connection, then closes it."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2.0)
                with contextlib.suppress(OSError):
                    conn.recv(65536)
                    conn.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        thread.join()
        listener.close()


# --- status codes and retries ------------------------------------------------------------------


def sequence(*replies: Reply) -> Route:
    """A route answering each reply in turn, then the last one forever."""
    calls = iter(replies)
    last = [replies[-1]]

    def route(_handler: Handler) -> Reply:
        last[0] = next(calls, last[0])
        return last[0]

    return route


def test_500_then_200_is_a_skip_without_retry(server: Server) -> None:
    url = server.add("/flaky", sequence(Reply(500, b"oops"), Reply(body=page("Fine now."))))
    assert skip_reason(url) == "HTTP 500 Internal Server Error"
    assert server.hits["/flaky"] == 1


def test_429_with_retry_after_then_200_is_retried(server: Server) -> None:
    url = server.add(
        "/busy",
        sequence(Reply(429, b"slow down", headers={"Retry-After": "1"}), Reply(body=page("Served."))),
    )
    started = time.monotonic()
    assert b"Served." in get(url).body
    assert server.hits["/busy"] == 2
    assert time.monotonic() - started >= 1.0


def test_503_without_retry_after_backs_off_then_succeeds(server: Server) -> None:
    url = server.add("/unavail", sequence(Reply(503), Reply(body=page("Back."))))
    assert b"Back." in get(url).body
    assert server.hits["/unavail"] == 2


def test_503_forever_gives_up_after_the_retries(server: Server) -> None:
    url = server.add("/down", Reply(503, headers={"Retry-After": "0"}))
    assert skip_reason(url) == "HTTP 503 Service Unavailable (still failing after 2 retries)"
    assert server.hits["/down"] == 3


def test_429_asking_for_too_long_is_a_skip_at_once(server: Server) -> None:
    url = server.add("/later", Reply(429, headers={"Retry-After": "3600"}))
    assert skip_reason(url) == "HTTP 429 Too Many Requests (Retry-After '3600' is longer than verify waits)"
    assert server.hits["/later"] == 1


# --- redirects ---------------------------------------------------------------------------------


def test_redirect_to_itself_is_a_loop(server: Server) -> None:
    url = server.add("/loop", Reply(302, headers={"Location": "/loop"}))
    assert skip_reason(url) == f"redirect loop: {url} redirects back to {url}"


def test_redirect_ping_pong_is_a_loop(server: Server) -> None:
    server.add("/ping", Reply(302, headers={"Location": "/pong"}))
    server.add("/pong", Reply(301, headers={"Location": "/ping"}))
    assert skip_reason(server.url("/ping")).startswith("redirect loop: ")


def test_endless_redirects_stop_at_the_limit(server: Server) -> None:
    def forever(handler: Handler) -> Reply:
        n = int(handler.path.partition("=")[2] or 0)
        return Reply(302, headers={"Location": f"/forever?n={n + 1}"})

    url = server.add("/forever", forever)
    reason = skip_reason(url)
    assert reason == f"more than 5 redirects (last to {server.url('/forever?n=6')})"
    assert server.hits["/forever"] == 6


def test_redirect_without_location(server: Server) -> None:
    url = server.add("/nowhere", Reply(302))
    assert skip_reason(url) == "HTTP 302 redirect without a Location header"


def test_redirect_to_a_file_url_is_refused(server: Server) -> None:
    url = server.add("/tofile", Reply(302, headers={"Location": "file:///etc/passwd"}))
    assert skip_reason(url) == (
        "redirect to 'file:///etc/passwd' refused: unsupported URL scheme file:; only http and https"
    )


# --- private addresses -------------------------------------------------------------------------


def test_loopback_is_refused_by_default_and_nothing_is_sent(server: Server) -> None:
    reason = skip_reason(server.url("/spacex.html"), Settings(timeout=1.0))
    assert reason == (
        "refused: 127.0.0.1 resolves to the non-public address 127.0.0.1 (use --allow-private to allow)"
    )
    assert "/spacex.html" not in server.hits


@pytest.mark.parametrize(
    ("location", "address"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://10.0.0.1/admin", "10.0.0.1"),
        ("http://192.168.1.1/", "192.168.1.1"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe"),
        ("http://0.0.0.0/", "0.0.0.0"),
        ("http://224.0.0.1/", "224.0.0.1"),
        ("http://2852039166/", "169.254.169.254"),  # 169.254.169.254 written as one number
        ("http://[::a9fe:a9fe]/", "::a9fe:a9fe"),  # IPv4-compatible form of the metadata address
        ("http://[::ffff:0:a9fe:a9fe]/", "::ffff:0:a9fe:a9fe"),  # IPv4-translated form
        ("http://[2002:a9fe:a9fe::]/", "2002:a9fe:a9fe::"),  # 6to4 of the metadata address
        ("http://[64:ff9b:1::a9fe:a9fe]/", "64:ff9b:1::a9fe:a9fe"),  # NAT64 local use
        ("http://[fec0::1]/", "fec0::1"),  # site-local
    ],
)
def test_redirect_to_a_private_address_is_refused_before_connecting(
    server: Server, monkeypatch: pytest.MonkeyPatch, location: str, address: str
) -> None:
    """The server itself is on loopback, so 127.0.0.1 is made to pass as public; nothing else is."""
    real = netsafety.is_public

    def public_test_server(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return str(addr) == "127.0.0.1" or real(addr)

    monkeypatch.setattr(netsafety, "is_public", public_test_server)
    connected = record_connections(monkeypatch)
    url = server.add("/evil", Reply(302, headers={"Location": location}))
    reason = skip_reason(url, Settings(timeout=1.0))
    host = location.split("/")[2].strip("[]")
    assert reason.startswith(f"refused: redirected to {host} resolves to the non-public address {address}")
    assert connected == ["127.0.0.1"]  # only the first hop was connected to; the target never was


def test_is_public() -> None:
    public = ["8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]
    private = [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.251",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "::a9fe:a9fe",  # IPv4-compatible 169.254.169.254
        "::127.0.0.1",
        "::ffff:0:a9fe:a9fe",  # IPv4-translated
        "::ffff:0:127.0.0.1",
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "64:ff9b:1::808:808",  # NAT64 local use: never public
        "fec0::1",  # site-local
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "::",
    ]
    assert all(is_public(ipaddress.ip_address(a)) for a in public)
    assert not any(is_public(ipaddress.ip_address(a)) for a in private)


# --- cache, revalidation, offline --------------------------------------------------------------


def test_etag_revalidation_and_refresh(server: Server, tmp_path: Path) -> None:
    body = page("Versioned page.")

    def tagged(handler: Handler) -> Reply:
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(body=body, headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    url = server.add("/tagged", tagged)
    store = Store(tmp_path / "c.sqlite")
    assert not get(url, store=store).from_cache
    again = get(url, store=store)  # no --refresh: straight from the cache, no request
    assert again.from_cache and server.hits["/tagged"] == 1
    refreshed = get(url, Settings(allow_private=True, timeout=1.0, refresh=True), store)
    assert refreshed.from_cache and refreshed.body == body and server.hits["/tagged"] == 2
    offline = get(url, Settings(offline=True, refresh=True), store)
    assert offline.from_cache and server.hits["/tagged"] == 2


def test_offline_without_cache_is_a_skip(server: Server, tmp_path: Path) -> None:
    reason = skip_reason(server.url("/spacex.html"), Settings(offline=True), Store(tmp_path / "c.sqlite"))
    assert reason == "not in the cache, and --offline forbids fetching it"
    assert "/spacex.html" not in server.hits


def test_a_failed_refresh_keeps_the_cached_copy(server: Server, tmp_path: Path) -> None:
    url = server.add("/once", sequence(Reply(body=page("First.")), Reply(500)))
    store = Store(tmp_path / "c.sqlite")
    get(url, store=store)
    assert skip_reason(url, Settings(allow_private=True, timeout=1.0, refresh=True), store).startswith(
        "HTTP 500"
    )
    cached = store.get_page(url)
    assert cached is not None and cached.body == page("First.")


# --- robots.txt, per-host limit, max sources ---------------------------------------------------


def test_robots_txt_is_honoured_when_asked(server: Server) -> None:
    server.add(
        "/robots.txt",
        Reply(
            body=b"User-agent: *\nDisallow: /private\n\nUser-agent: otherbot\nDisallow: /\n",
            headers={"Content-Type": "text/plain"},
        ),
    )
    private = server.add("/private/page.html", Reply(body=page("Secret.")))
    settings = Settings(allow_private=True, timeout=1.0, respect_robots=True)
    results = fetch([SourceRef(private), SourceRef(server.url("/spacex.html"))], settings, None)
    assert not isinstance(results[0], Fetched) and results[0].reason == "disallowed by robots.txt"
    assert isinstance(results[1], Fetched)
    assert server.hits["/robots.txt"] == 1 and "/private/page.html" not in server.hits
    assert isinstance(fetch([SourceRef(private)], FAST, None)[0], Fetched)  # off by default


def test_robots_txt_missing_allows_and_failing_forbids(server: Server) -> None:
    settings = Settings(allow_private=True, timeout=1.0, respect_robots=True)
    assert get(server.url("/spacex.html"), settings).status == 200  # robots.txt is a 404
    server.add("/robots.txt", Reply(500))
    reason = skip_reason(server.url("/spacex.html"), settings)
    assert reason == f"robots.txt unreachable (HTTP 500), so nothing is fetched from {server.base}"


def robots_txt(rules: str) -> Reply:
    return Reply(body=rules.encode(), headers={"Content-Type": "text/plain"})


def test_robots_txt_wildcard_and_end_anchor(server: Server) -> None:
    """RFC 9309 `*` and `$`: urllib.robotparser read `/*.txt$` as a literal prefix and allowed all."""
    server.add("/robots.txt", robots_txt("User-agent: *\nDisallow: /*.txt$\n"))
    notes = server.add("/notes.txt.html", Reply(body=page("Notes.")))
    settings = Settings(allow_private=True, timeout=1.0, respect_robots=True)
    plain, html = fetch([SourceRef(server.url("/plain.txt")), SourceRef(notes)], settings, None)
    assert not isinstance(plain, Fetched) and plain.reason == "disallowed by robots.txt"
    assert isinstance(html, Fetched) and html.status == 200  # `$`: .txt must end the path
    assert "/plain.txt" not in server.hits


def test_robots_txt_longest_match_wins_and_allow_wins_a_tie(server: Server) -> None:
    """RFC 9309: the most specific rule decides, whatever the order (urllib.robotparser took the
    first rule in the file, so `Disallow: /docs` hid `/docs/public`)."""
    server.add(
        "/robots.txt",
        robots_txt("User-agent: *\nDisallow: /docs\nAllow: /docs/public\nDisallow: /a/\nAllow: /a/\n"),
    )
    public = server.add("/docs/public/page.html", Reply(body=page("Public.")))
    secret = server.add("/docs/secret.html", Reply(body=page("Secret.")))
    tie = server.add("/a/page.html", Reply(body=page("Tie.")))
    settings = Settings(allow_private=True, timeout=1.0, respect_robots=True)
    got = fetch([SourceRef(public), SourceRef(secret), SourceRef(tie)], settings, None)
    assert isinstance(got[0], Fetched) and got[0].status == 200
    assert not isinstance(got[1], Fetched) and got[1].reason == "disallowed by robots.txt"
    assert isinstance(got[2], Fetched) and got[2].status == 200
    assert "/docs/secret.html" not in server.hits and server.hits["/robots.txt"] == 1


def test_robots_txt_group_for_verify_wins_over_star(server: Server) -> None:
    """The group naming verify's product token applies instead of `*`, not in addition to it."""
    server.add(
        "/robots.txt",
        robots_txt("User-agent: *\nDisallow: /\n\nUser-agent: verify\nDisallow: /private\n"),
    )
    private = server.add("/private/page.html", Reply(body=page("Secret.")))
    settings = Settings(allow_private=True, timeout=1.0, respect_robots=True)
    assert settings.user_agent.lower().startswith("verify/")
    assert get(server.url("/spacex.html"), settings).status == 200
    assert skip_reason(private, settings) == "disallowed by robots.txt"


def test_per_host_limit(server: Server) -> None:
    lock = threading.Lock()
    state = {"now": 0, "most": 0}

    def counted(_handler: Handler) -> Reply:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        return Reply(body=page("Counted."))

    server.add("/counted", counted)
    refs = [SourceRef(server.url(f"/counted?i={i}")) for i in range(6)]
    results = fetch(refs, Settings(allow_private=True, timeout=2.0, per_host=2, concurrency=8), None)
    assert all(isinstance(r, Fetched) for r in results)
    assert state["most"] == 2


def test_max_sources_per_article(server: Server, tmp_path: Path) -> None:
    urls = [
        server.add(f"/s{i}.html", Reply(body=page(f"Source number {i} says the sky is blue.")))
        for i in range(4)
    ]
    article = tmp_path / "a.md"
    article.write_text(
        "---\nsources:\n"
        + "".join(f"  - {u}\n" for u in urls)
        + "---\n\nThe sky is blue, say four sources.\n"
    )
    settings = Settings(allow_private=True, timeout=1.0, max_sources=2)
    report = run([ArticleInput(article, "a.md")], settings, store=None, embedder=FakeEmbedder())
    skipped = report.articles[0].skipped
    assert [(s.ref.url, s.reason) for s in skipped] == [
        (urls[2], "over the limit of 2 sources per article"),
        (urls[3], "over the limit of 2 sources per article"),
    ]
    assert "/s2.html" not in server.hits and "/s3.html" not in server.hits


# --- local archived files ----------------------------------------------------------------------


def test_archived_files_are_capped_and_sniffed(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"a" * 4096)
    pdf = tmp_path / "copy.html"
    pdf.write_bytes(b"%PDF-1.4 ...")
    settings = Settings(max_bytes=1024)
    results = fetch(
        [
            SourceRef(None, big),
            SourceRef(None, pdf),
            SourceRef(None, tmp_path),
            SourceRef(None, tmp_path / "no"),
        ],
        settings,
        None,
    )
    reasons = [getattr(r, "reason", "") for r in results]
    assert reasons == [
        f"archived file {big} is larger than the 1 KiB limit",
        f"archived file {pdf} is PDF, not text",
        f"archived file {tmp_path} is a folder",
        f"archived file {tmp_path / 'no'} not found",
    ]


# --- charsets ----------------------------------------------------------------------------------


def fetched(body: bytes, encoding: str = "", content_type: str = "text/html") -> Fetched:
    return Fetched(SourceRef("https://example.org/"), body, content_type, encoding=encoding)


CAFE = "Le café à Noël coûte 3 € — “cher”."


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        (CAFE.encode("utf-8"), "utf-8"),  # honest header
        (CAFE.encode("utf-8"), "iso-8859-1"),  # UTF-8 labelled Latin-1
        (CAFE.encode("utf-8"), "windows-1252"),  # UTF-8 labelled cp1252
        (CAFE.encode("cp1252"), "iso-8859-1"),  # cp1252 labelled Latin-1 (browsers read cp1252)
        (CAFE.encode("cp1252"), "utf-8"),  # cp1252 labelled UTF-8: falls back to detection
        (CAFE.encode("cp1252"), ""),  # no label at all
        (CAFE.encode("cp1252"), "no-such-charset"),
        (b"\xef\xbb\xbf" + CAFE.encode("utf-8"), "windows-1252"),  # a BOM beats the header
        (f"<p>{CAFE}</p>".encode("utf-16"), "windows-1252"),
    ],
)
def test_charset_from_header_or_detection(body: bytes, encoding: str) -> None:
    if not body.startswith((b"\xff", b"\xfe")):
        body = b"<p>" + body + b"</p>"
    assert CAFE in extract(fetched(body, encoding)).text


def test_charset_from_meta_tag() -> None:
    body = (
        b'<html><head><meta charset="windows-1252"></head><body><p>'
        + CAFE.encode("cp1252")
        + b"</p></body></html>"
    )
    assert CAFE in extract(fetched(body)).text
    http_equiv = (
        b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>'
        + "Prix : 5 €.".encode("iso-8859-15")
        + b"</p>"
    )
    assert "Prix : 5 €." in extract(fetched(http_equiv)).text


def test_mislabelled_page_reads_right_end_to_end(server: Server) -> None:
    url = server.add(
        "/latin", Reply(body=page(CAFE), headers={"Content-Type": "text/html; charset=iso-8859-1"})
    )
    got = get(url)
    assert got.encoding == "iso-8859-1"
    assert CAFE in extract(got).text


def test_the_test_server_drops_a_client_that_resets_quietly(server: Server, capsys) -> None:
    """A client may reset a kept-alive connection; the server must not print a traceback into the test."""
    host, port = server.base.removeprefix("http://").split(":")
    client = socket.create_connection((host, int(port)))
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()  # RST while the server waits for the request line
    with httpx.Client() as http:  # the server still answers, after the reset was handled
        assert http.get(server.url("/spacex.html")).status_code == 200
    time.sleep(0.2)
    assert "Traceback" not in capsys.readouterr().err
