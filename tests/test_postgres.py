"""The cache on a real PostgreSQL server (started by a fixture): upserts, concurrency, schema versions."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from ci_support import make_corpus, run_cli
from postgres_support import TempPostgres, postgres_or_skip

from verify.errors import CacheError
from verify.store import SCHEMA_VERSION, CachedPage, Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    yield from postgres_or_skip()


@pytest.fixture()
def pg_url(postgres: TempPostgres, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database per test."""
    return postgres.create_database(f"t{abs(hash(request.node.nodeid)) % 10**12}_{int(time.time() * 1000)}")


def sql(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        cursor = conn.execute(query)
        return cursor.fetchall() if cursor.description else []


def a_page(n: int, fetched_by: str = "") -> CachedPage:
    body = f"<p>page {n}</p>".encode()
    return CachedPage(
        f"https://example.org/{n}",
        f"https://example.org/{n}",
        200,
        "text/html",
        "utf-8",
        '"e"',
        "",
        fetched_by,
        hashlib.sha256(body).hexdigest(),  # checked on read
        body,
    )


def test_pages_embeddings_and_results_round_trip(pg_url: str) -> None:
    store = Store(pg_url)
    store.put_page(a_page(1))
    store.put_page(a_page(1, fetched_by="again"))  # an upsert, not a second row
    store.put_embeddings("m", {"h1": b"\x01" * 8, "h2": b"\x02" * 8}, dim=2)
    store.put_embeddings("m", {"h1": b"\x01" * 8}, dim=2)
    store.put_result("key", b"payload", "2024-01-01T00:00:00+00:00")
    assert store.get_page("https://example.org/1") == a_page(1, fetched_by="again")
    assert store.get_page("https://example.org/2") is None
    assert store.get_embeddings("m", ["h1", "h2", "h3"]) == {"h1": b"\x01" * 8, "h2": b"\x02" * 8}
    assert store.get_embeddings("other", ["h1"]) == {}
    assert store.get_results(["key", "other", "key"]) == {"key": b"payload"}
    assert store.counts() == {"pages": 1, "embeddings": 2}
    assert store.schema_version() == SCHEMA_VERSION
    store.close()


WRITER = textwrap.dedent(
    """
    import sys, time
    from verify.store import CachedPage, Store

    url, worker, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    time.sleep(max(0.0, start - time.time()))  # both writers open the fresh database at once
    store = Store(url)
    for i in range(150):
        n = (i * 7 + worker) % 40
        body = f"<p>page {n}</p>".encode() * 50
        store.put_page(CachedPage(f"https://example.org/{n}", f"https://example.org/{n}", 200, "text/html",
                                  "utf-8", "", "", f"w{worker}", f"hash{n}", body))
        keys = [f"t{(i * 3 + k + worker) % 300}" for k in range(20)]
        store.put_embeddings("m", {k: k.encode().ljust(16, b"-") for k in keys}, dim=4)
        store.put_embeddings("other-model", {k: b"x" * 16 for k in keys[:5]}, dim=4)
    store.close()
    """
)


def test_two_processes_writing_the_same_rows_leave_one_row_each(pg_url: str) -> None:
    start = time.time() + 2.0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, pg_url, str(w), str(start)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    assert sql(pg_url, "SELECT count(*), count(DISTINCT url) FROM pages") == [(40, 40)]
    per_model = sql(pg_url, "SELECT model, count(*), count(DISTINCT text_hash) FROM embeddings GROUP BY 1")
    assert sorted(per_model) == [("m", 300, 300), ("other-model", 300, 300)]
    assert sql(pg_url, "SELECT vector FROM embeddings WHERE model = 'm' AND text_hash = 't7'") == [
        (b"t7".ljust(16, b"-"),)
    ]
    assert sql(pg_url, "SELECT count(*) FROM embedding_claims") == [(0,)]


def test_a_future_schema_version_is_refused_with_one_line_and_exit_3(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Store(pg_url).close()
    sql(pg_url, f"UPDATE verify_schema SET version = {SCHEMA_VERSION + 1}")
    with pytest.raises(CacheError, match="newer than this verify understands"):
        Store(pg_url)
    make_corpus(tmp_path)
    code, out, err = run_cli(
        [str(tmp_path / "a.md"), "--db", pg_url, "--format", "json"], monkeypatch, capsys
    )
    assert code == 3
    assert err.splitlines() == [
        f"verify: error: cache database {pg_url}: its schema version {SCHEMA_VERSION + 1} is newer than "
        f"this verify understands ({SCHEMA_VERSION}); upgrade verify or use another --db"
    ]
    assert out == ""
    assert sql(pg_url, "SELECT version FROM verify_schema") == [(SCHEMA_VERSION + 1,)]  # left as it was


def test_an_older_database_is_upgraded_and_keeps_its_rows(pg_url: str) -> None:
    store = Store(pg_url)
    store.put_page(a_page(3))
    store.close()
    sql(pg_url, "DROP TABLE verify_schema; DROP TABLE embedding_claims")  # as verify wrote it before versions
    store = Store(pg_url)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.get_page("https://example.org/3") == a_page(3)
    assert store.claim_embeddings("m", ["h"], "me", stale_after=60) == {"h"}
    store.close()


def test_a_lost_connection_is_retried(pg_url: str) -> None:
    store = Store(pg_url)
    store.put_page(a_page(1))
    killed = sql(
        pg_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    assert killed and all(row == (True,) for row in killed)  # the store's pooled connection is gone
    store.put_page(a_page(2))
    assert store.get_page("https://example.org/2") == a_page(2)
    store.close()


def test_claims_let_one_process_embed_a_text_and_the_other_wait(pg_url: str) -> None:
    store = Store(pg_url)
    assert store.claim_embeddings("m", ["a", "b"], "one", stale_after=60) == {"a", "b"}
    assert store.claim_embeddings("m", ["b", "c"], "two", stale_after=60) == {"c"}
    store.put_embeddings("m", {"b": b"v" * 8}, dim=2)  # done: its claim is released
    assert sql(pg_url, "SELECT text_hash FROM embedding_claims ORDER BY 1") == [("a",), ("c",)]
    assert store.claim_embeddings("m", ["a"], "two", stale_after=0) == {"a"}  # a stale claim is taken over
    store.close()


def test_the_cli_caches_pages_and_results_in_postgresql(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path)
    args = [str(tmp_path / "a.md"), "--db", pg_url, "--format", "json"]
    code, out, err = run_cli(args, monkeypatch, capsys)
    assert code == 1, err
    first = json.loads(out)
    assert first["cache"]["articles_checked"] == 1
    assert sql(pg_url, "SELECT count(*) FROM results") == [(1,)]
    assert sql(pg_url, "SELECT count(*) > 0 FROM embeddings WHERE model = 'fake-embedder'") == [(True,)]
    code, out, err = run_cli(args, monkeypatch, capsys)
    second = json.loads(out)
    assert second["cache"]["articles_from_cache"] == 1
    assert second["articles"] == [dict(a, cached=True) for a in first["articles"]]


def test_two_dask_workers_share_one_postgresql_cache(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_distributed import make_archive

    import verify.distributed as distributed

    monkeypatch.setattr(distributed, "BATCH_SIZE", 2)
    archive = make_archive(tmp_path / "archive", count=6)
    serial = [str(archive), "--format", "json", "--db", str(tmp_path / "serial.sqlite")]
    _, expected, _ = run_cli(serial, monkeypatch, capsys)
    code, got, err = run_cli(
        [str(archive), "--format", "json", "--db", pg_url, "--workers", "2"], monkeypatch, capsys
    )
    assert code == 1, err
    drop = {"generated_at"}
    assert {k: v for k, v in json.loads(got).items() if k not in drop} == {
        k: v for k, v in json.loads(expected).items() if k not in drop
    }
    assert sql(pg_url, "SELECT count(*) FROM results") == [(6,)]
    assert sql(pg_url, "SELECT count(*) FROM embedding_claims") == [(0,)]


def test_a_text_claimed_after_another_worker_wrote_its_vector_leaves_no_claim(pg_url: str) -> None:
    """The race behind left-over claims: B writes a vector between A's cache read and A's claim."""
    import numpy as np

    from verify.distributed import SharedEmbedder

    class Counting:
        name = "fake-model"
        dim = 3

        def __init__(self) -> None:
            self.texts: list[str] = []

        def encode(self, texts):
            self.texts += list(texts)
            return np.ones((len(texts), 3), dtype=np.float32)

    store = Store(pg_url)
    inner = Counting()
    worker_a = SharedEmbedder(inner, store, owner="a")
    claim = store.claim_embeddings

    def other_worker_finishes_first(model, hashes, owner, stale_after):
        vectors = {h: np.ones(3, dtype=np.float32).tobytes() for h in hashes}
        store.put_embeddings(model, vectors, 3)  # worker B wrote them (and released its claims)
        return claim(model, hashes, owner, stale_after)

    store.claim_embeddings = other_worker_finishes_first  # type: ignore[method-assign]
    vectors = worker_a.encode(["one sentence", "another sentence"])
    assert vectors.shape == (2, 3) and inner.texts == []  # nothing embedded twice
    assert sql(pg_url, "SELECT count(*) FROM embedding_claims") == [(0,)]
    store.close()
