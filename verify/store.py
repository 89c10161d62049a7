"""The cache database (SQLModel, SQLite by default): fetched pages and embeddings.

The only module that touches the database. Writes are idempotent upserts in short
transactions, SQLite runs in WAL mode with a busy timeout, so several `verify` processes
can share one file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, create_engine, func, select

from .errors import CacheError

BUSY_TIMEOUT_MS = 30_000


class PageRow(SQLModel, table=True):
    __tablename__ = "pages"
    url: str = Field(primary_key=True)
    final_url: str = ""
    status: int = 0
    content_type: str = ""
    encoding: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
    content_hash: str = ""
    body: bytes = b""


class EmbeddingRow(SQLModel, table=True):
    __tablename__ = "embeddings"
    model: str = Field(primary_key=True)
    text_hash: str = Field(primary_key=True)
    dim: int = 0
    vector: bytes = b""


class ResultRow(SQLModel, table=True):
    """A finished article check, keyed by everything that could change its outcome."""

    __tablename__ = "results"
    key: str = Field(primary_key=True)
    created_at: str = ""
    payload: bytes = b""


@dataclass(frozen=True)
class CachedPage:
    url: str
    final_url: str
    status: int
    content_type: str
    encoding: str
    etag: str
    last_modified: str
    fetched_at: str
    content_hash: str
    body: bytes


def default_db_path() -> Path:
    """Per-user cache folder: $VERIFY_CACHE_DIR, else $XDG_CACHE_HOME/verify, else ~/.cache/verify."""
    base = os.environ.get("VERIFY_CACHE_DIR")
    if base:
        return Path(base) / "cache.sqlite"
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "verify" / "cache.sqlite"


class Store:
    """Cache of pages and embeddings in one database (a SQLite path or an SQLAlchemy URL).

    `timeout` is how long to wait for another process's write lock (default: the
    VERIFY_DB_TIMEOUT environment variable in seconds, else 30 s) before giving up with a
    CacheError. Nothing here ever deletes or rewrites a file that is not a verify cache.
    """

    def __init__(self, location: str | Path, timeout: float | None = None) -> None:
        self.timeout = _busy_timeout(timeout)
        url = str(location)
        if "://" not in url:
            path = Path(url).expanduser()
            if path.is_dir():
                raise CacheError(f"cache database {path}: is a folder, not a database file")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError) as err:
                raise CacheError(f"cache database {path}: a file is in the way of its folder") from err
            except OSError as err:
                raise CacheError(f"cache database {path}: cannot create its folder ({err.strerror})") from err
            url = f"sqlite:///{path}"
        self.url = url
        sqlite = url.startswith("sqlite")
        try:
            self.engine: Engine = create_engine(url, connect_args={"timeout": self.timeout} if sqlite else {})
        except (ImportError, exc.ArgumentError) as err:
            raise CacheError(f"cache database {location}: cannot use this URL ({err})") from err
        if sqlite:
            event.listen(self.engine, "connect", partial(_sqlite_pragmas, int(self.timeout * 1000)))
        for attempt in range(3):
            try:
                SQLModel.metadata.create_all(self.engine)
                break
            except exc.SQLAlchemyError as err:
                # Two processes creating the same fresh database: the loser sees "already exists".
                if "already exists" in str(err) and attempt < 2:
                    continue
                self.engine.dispose()
                raise CacheError(f"cache database {location}: {_reason(err)}") from err

    def close(self) -> None:
        self.engine.dispose()

    # pages -------------------------------------------------------------------------------

    def get_page(self, url: str) -> CachedPage | None:
        with self._session() as session:
            row = session.get(PageRow, url)
            return _page(row) if row else None

    def put_page(self, page: CachedPage) -> None:
        values = page.__dict__.copy()
        self._upsert(PageRow, [values], ["url"])

    def delete_page(self, url: str) -> None:
        """Drop one cached page (a copy that can no longer be read)."""
        with self._session() as session:
            row = session.get(PageRow, url)
            if row is not None:
                session.delete(row)
                session.commit()

    # embeddings --------------------------------------------------------------------------

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self._session() as session:
            for chunk in _chunks(list(dict.fromkeys(hashes)), 500):
                query = select(EmbeddingRow.text_hash, EmbeddingRow.vector).where(
                    EmbeddingRow.model == model,
                    EmbeddingRow.text_hash.in_(chunk),  # type: ignore[attr-defined]
                )
                found.update({h: v for h, v in session.exec(query)})
        return found

    def put_embeddings(self, model: str, vectors: dict[str, bytes], dim: int) -> None:
        rows = [{"model": model, "text_hash": h, "dim": dim, "vector": v} for h, v in vectors.items()]
        for chunk in _chunks(rows, 500):
            self._upsert(EmbeddingRow, chunk, ["model", "text_hash"])

    # results -----------------------------------------------------------------------------

    def get_result(self, key: str) -> bytes | None:
        with self._session() as session:
            row = session.get(ResultRow, key)
            return row.payload if row else None

    def put_result(self, key: str, payload: bytes, created_at: str) -> None:
        self._upsert(ResultRow, [{"key": key, "payload": payload, "created_at": created_at}], ["key"])

    def counts(self) -> dict[str, int]:
        with self._session() as session:
            return {
                "pages": session.exec(select(func.count()).select_from(PageRow)).one(),
                "embeddings": session.exec(select(func.count()).select_from(EmbeddingRow)).one(),
            }

    # plumbing ----------------------------------------------------------------------------

    def _session(self) -> Session:
        return _GuardedSession(self.engine, self.url)

    def _upsert(self, table: Any, rows: list[dict[str, Any]], keys: list[str]) -> None:
        if not rows:
            return
        statement = sqlite_insert(table).values(rows)
        update = {c: statement.excluded[c] for c in rows[0] if c not in keys}
        statement = statement.on_conflict_do_update(index_elements=keys, set_=update)
        with self._session() as session:
            session.execute(statement)
            session.commit()


class _GuardedSession(Session):
    """A session whose database errors become one-line CacheErrors."""

    def __init__(self, engine: Engine, url: str) -> None:
        super().__init__(engine)
        self._url = url

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        super().__exit__(type_, value, traceback)
        if isinstance(value, exc.SQLAlchemyError):
            raise CacheError(
                f"cache database {self._url.removeprefix('sqlite:///')}: {_reason(value)}"
            ) from value


def _reason(err: Exception) -> str:
    orig = getattr(err, "orig", None)
    text = str(orig or err).splitlines()[0]
    if "file is not a database" in text:
        return (
            "the file is not a SQLite database (corrupt, or another kind of file); use --db to pick another"
        )
    if "locked" in text:
        return "the database stayed locked by another process; try again"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only"
    return text


def _busy_timeout(timeout: float | None) -> float:
    if timeout is None:
        try:
            timeout = float(os.environ.get("VERIFY_DB_TIMEOUT", "") or BUSY_TIMEOUT_MS / 1000)
        except ValueError:
            timeout = BUSY_TIMEOUT_MS / 1000
    return max(timeout, 0.0)


def _sqlite_pragmas(busy_ms: int, dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
    with contextlib.suppress(sqlite3.DatabaseError):  # not a database: the first real query says so
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _page(row: PageRow) -> CachedPage:
    return CachedPage(
        url=row.url,
        final_url=row.final_url,
        status=row.status,
        content_type=row.content_type,
        encoding=row.encoding,
        etag=row.etag,
        last_modified=row.last_modified,
        fetched_at=row.fetched_at,
        content_hash=row.content_hash,
        body=row.body,
    )


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
