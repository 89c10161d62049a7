"""Shared fixtures: a real HTTP server on 127.0.0.1 and a deterministic fake embedder."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between 16-byte chunks of the body
    reset: bool = False  # close the connection without answering


Route = Callable[["Handler"], Reply]


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}
    hits: ClassVar[dict[str, int]] = {}
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.hits[path] = self.hits.get(path, 0) + 1
        route = self.routes.get(path)
        reply = route(self) if route else Reply(404, b"<html><body><p>Not found.</p></body></html>")
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        try:
            self.send_response(reply.status)
            headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
            headers.setdefault("Content-Length", str(len(reply.body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if reply.drip:
                for i in range(0, len(reply.body), 16):
                    self.wfile.write(reply.body[i : i + 16])
                    self.wfile.flush()
                    time.sleep(reply.drip)
            else:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class QuietServer(ThreadingHTTPServer):
    """Drops a client that hangs up or resets mid-request quietly; any other server error still prints."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class Server:
    base: str
    routes: dict[str, Route]
    hits: dict[str, int]

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, reply: Reply | Route) -> str:
        if callable(reply):
            self.routes[path] = reply
        else:

            def fixed(_handler: object, answer: Reply = reply) -> Reply:
                return answer

            self.routes[path] = fixed
        return self.url(path)


def page(*paragraphs: str, title: str = "Test page") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><nav>Menu</nav><article><h1>{title}</h1>{body}</article><footer>Footer</footer></body></html>"
    ).encode()


def record_connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hosts httpcore opens TCP connections to from now on in the test (the connections are made)."""
    import httpcore

    connected: list[str] = []
    real_connect = httpcore.AnyIOBackend.connect_tcp

    async def connect(self: object, host: str, port: int, **kwargs: object) -> object:
        connected.append(host)
        return await real_connect(self, host, port, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect)
    return connected


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"<p>" + b"a" * size + b"</p>", compresslevel=9)


@contextlib.contextmanager
def serving(poll_interval: float = 0.5) -> Iterator[Server]:
    """A real HTTP server on 127.0.0.1, with no pages yet, stopped on leaving."""
    routes: dict[str, Route] = {}
    hits: dict[str, int] = {}
    handler = type("TestHandler", (Handler,), {"routes": routes, "hits": hits})
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
    )
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", routes, hits)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture()
def server() -> Iterator[Server]:
    """A real HTTP server on 127.0.0.1 with the pages the fetch and CLI tests need."""
    with serving() as srv:
        srv.add(
            "/spacex.html",
            Reply(
                body=page(
                    "SpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008.",
                    "The contract covered 12 cargo flights to the International Space Station.",
                    title="NASA cargo contracts",
                )
            ),
        )
        srv.add("/redirect", Reply(302, headers={"Location": "/spacex.html"}))
        srv.add("/file.pdf", Reply(body=b"%PDF-1.4 binary", headers={"Content-Type": "application/pdf"}))
        srv.add("/slow", Reply(body=page("Too late."), delay=3.0))
        srv.add(
            "/plain.txt",
            Reply(
                body=b"A plain text page.\n\nIt has two paragraphs.", headers={"Content-Type": "text/plain"}
            ),
        )
        yield srv


class FakeEmbedder:
    """Bag-of-words hashing embedder: deterministic, instant, good enough for stage tests."""

    name = "fake-embedder"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls: list[int] = []

    def encode(self, texts: list[str] | tuple[str, ...]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


@pytest.fixture()
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(autouse=True, scope="session")
def _shared_onnx_export(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One ONNX export of the model for the whole session (it takes seconds), outside the user's cache."""
    previous = os.environ.get("VERIFY_ONNX_DIR")
    os.environ["VERIFY_ONNX_DIR"] = str(tmp_path_factory.mktemp("onnx"))
    yield
    if previous is None:
        os.environ.pop("VERIFY_ONNX_DIR", None)
    else:
        os.environ["VERIFY_ONNX_DIR"] = previous


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the user's real cache folder, and no model loader asks the hub."""
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
