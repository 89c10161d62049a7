"""The cache database (SQLModel): fetched pages, embeddings and finished checks.

The only module that touches the database: SQLite by default (a file, nothing to install), or
a shared PostgreSQL server (`postgresql+psycopg://user@host/db`) for several machines. Writes
are idempotent upserts keyed by URL, (model, text hash) or result key, sorted so concurrent
writers never deadlock; SQLite runs in WAL mode with a busy timeout. A PostgreSQL connection
that is lost is retried. The `verify_schema` table records the schema version: an older
database is upgraded on open, a newer one is refused (CacheError, exit 3).
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from sqlalchemy import Connection, delete, event, exc, inspect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, create_engine, func, select

from .errors import CacheError
from .paths import default_db_path as default_db_path  # re-exported: verify/cli/ imports it from here
from .sanitize import hide_credentials

BUSY_TIMEOUT_MS = 30_000
SCHEMA_VERSION = 2  # 1: pages, embeddings, results (before the version table); 2: + embedding_claims
RETRIES = 4  # attempts of one operation when a PostgreSQL connection drops or a deadlock is detected
_SCHEMA_LOCK = 0x7665726966  # PostgreSQL advisory lock held while one process creates or upgrades
T = TypeVar("T")


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


class EmbeddingClaimRow(SQLModel, table=True):
    """A text one process is embedding right now, so concurrent workers wait instead of repeating it."""

    __tablename__ = "embedding_claims"
    model: str = Field(primary_key=True)
    text_hash: str = Field(primary_key=True)
    owner: str = ""
    claimed_at: float = 0.0


class SchemaRow(SQLModel, table=True):
    __tablename__ = "verify_schema"
    id: int = Field(default=1, primary_key=True)
    version: int = 0


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


class Store:
    """Cache of pages and embeddings in one database (a SQLite path or an SQLAlchemy URL).

    `timeout` is how long to wait for another process's write lock (default: the
    VERIFY_DB_TIMEOUT environment variable in seconds, else 30 s) before giving up with a
    CacheError. Nothing here ever deletes or rewrites a file that is not a verify cache.
    A Store used in a forked child opens its own connections (never the parent's).
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
            _refuse_foreign(path)
            url = f"sqlite:///{path}"
        else:
            url = _escaped_userinfo(url)
        _check_url(url)
        if IN_MEMORY.match(url):  # each thread would get its own empty database, and nothing is kept
            raise CacheError(f"cache database {url}: an in-memory database cannot be used; give a file path")
        self.url = url
        sqlite = url.startswith("sqlite")
        try:
            if sqlite:
                engine = create_engine(url, connect_args={"timeout": self.timeout})
            else:
                engine = create_engine(url, pool_size=2, max_overflow=2)  # a dropped connection: _retry
        except (ImportError, exc.ArgumentError, exc.NoSuchModuleError) as err:
            raise CacheError(f"cache database {_shown(url)}: cannot use this URL ({_first(err)})") from err
        self.engine: Engine = engine
        self.dialect = engine.dialect.name
        if self.dialect not in ("sqlite", "postgresql"):
            engine.dispose()
            raise CacheError(f"cache database {_shown(url)}: only SQLite and PostgreSQL are supported")
        if sqlite:
            event.listen(self.engine, "connect", partial(_sqlite_pragmas, int(self.timeout * 1000)))
        self._pid = os.getpid()
        for attempt in range(3):
            try:
                self._retry(self._prepare_schema)
                break
            except CacheError as err:
                # Two processes creating the same fresh SQLite file: the loser sees "already exists".
                if "already exists" in str(err) and attempt < 2:
                    continue
                self.engine.dispose()
                raise

    def close(self) -> None:
        self.engine.dispose()

    @property
    def shown(self) -> str:
        """The location for messages: a file path, or the URL without its password."""
        return _shown(self.url)

    # pages -------------------------------------------------------------------------------

    def get_page(self, url: str) -> CachedPage | None:
        """The cached page, or None; a body that does not match its `content_hash` (rewritten in the
        shared cache) is a miss, so it is never judged under the hash the report shows."""

        def read(session: Session) -> CachedPage | None:
            row = session.get(PageRow, url)
            return _page(row) if row else None

        page = self._with_session(read)
        if page is None or hashlib.sha256(page.body).hexdigest() != page.content_hash:
            return None
        return page

    def put_page(self, page: CachedPage) -> None:
        values = page.__dict__.copy()
        self._upsert(PageRow, [values], ["url"])

    def delete_page(self, url: str) -> None:
        """Drop one cached page (a copy that can no longer be read)."""

        def delete(session: Session) -> None:
            row = session.get(PageRow, url)
            if row is not None:
                session.delete(row)
                session.commit()

        self._with_session(delete)

    # embeddings --------------------------------------------------------------------------

    def get_embeddings(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
        def read(session: Session) -> dict[str, bytes]:
            found: dict[str, bytes] = {}
            for chunk in _chunks(list(dict.fromkeys(hashes)), 500):
                query = select(EmbeddingRow.text_hash, EmbeddingRow.vector).where(
                    EmbeddingRow.model == model,
                    EmbeddingRow.text_hash.in_(chunk),  # type: ignore[attr-defined]
                )
                found.update({h: v for h, v in session.exec(query)})
            return found

        return self._with_session(read)

    def put_embeddings(self, model: str, vectors: dict[str, bytes], dim: int) -> None:
        """Upsert the vectors and release the claims on them, in one transaction per chunk."""
        rows = [{"model": model, "text_hash": h, "dim": dim, "vector": v} for h, v in vectors.items()]
        for chunk in _chunks(sorted(rows, key=lambda r: r["text_hash"]), 500):
            done = [r["text_hash"] for r in chunk]
            release = delete(EmbeddingClaimRow).where(
                EmbeddingClaimRow.model == model,  # type: ignore[arg-type]
                EmbeddingClaimRow.text_hash.in_(done),  # type: ignore[attr-defined]
            )
            self._upsert(EmbeddingRow, chunk, ["model", "text_hash"], then=release)

    def release_claims(self, model: str, hashes: Sequence[str], owner: str) -> None:
        """Drop `owner`'s claims on these texts without writing vectors (another worker wrote them)."""

        def release(session: Session) -> None:
            for chunk in _chunks(sorted(set(hashes)), 500):
                session.execute(
                    delete(EmbeddingClaimRow).where(
                        EmbeddingClaimRow.model == model,  # type: ignore[arg-type]
                        EmbeddingClaimRow.owner == owner,  # type: ignore[arg-type]
                        EmbeddingClaimRow.text_hash.in_(chunk),  # type: ignore[attr-defined]
                    )
                )
            session.commit()

        self._with_session(release)

    def claim_embeddings(self, model: str, hashes: Sequence[str], owner: str, stale_after: float) -> set[str]:
        """The hashes `owner` may embed now: unclaimed ones, its own, and claims older than `stale_after` s.

        The others are being embedded by another process (their vectors will appear in the cache).
        """

        def claim(session: Session) -> set[str]:
            now = time.time()
            mine: set[str] = set()
            for chunk in _chunks(sorted(set(hashes)), 500):
                rows = [{"model": model, "text_hash": h, "owner": owner, "claimed_at": now} for h in chunk]
                statement = self._insert(EmbeddingClaimRow).values(rows)
                table = EmbeddingClaimRow.__table__.c  # type: ignore[attr-defined]
                statement = statement.on_conflict_do_update(
                    index_elements=["model", "text_hash"],
                    set_={"owner": statement.excluded.owner, "claimed_at": statement.excluded.claimed_at},
                    where=(table.claimed_at < now - stale_after) | (table.owner == owner),
                ).returning(table.text_hash)
                mine.update(session.execute(statement).scalars())  # new claims, own ones, stale ones
            session.commit()
            return mine

        return self._with_session(claim)

    # results -----------------------------------------------------------------------------

    def get_results(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored payloads of these keys (absent keys are left out), in one session."""

        def read(session: Session) -> dict[str, bytes]:
            found: dict[str, bytes] = {}
            for chunk in _chunks(list(dict.fromkeys(keys)), 500):
                statement = select(ResultRow.key, ResultRow.payload).where(
                    ResultRow.key.in_(chunk)  # type: ignore[attr-defined]
                )
                found.update(session.exec(statement).all())
            return found

        return self._with_session(read)

    def put_result(self, key: str, payload: bytes, created_at: str) -> None:
        self._upsert(ResultRow, [{"key": key, "payload": payload, "created_at": created_at}], ["key"])

    def counts(self) -> dict[str, int]:
        def count(session: Session) -> dict[str, int]:
            return {
                "pages": session.exec(select(func.count()).select_from(PageRow)).one(),
                "embeddings": session.exec(select(func.count()).select_from(EmbeddingRow)).one(),
            }

        return self._with_session(count)

    def schema_version(self) -> int:
        return self._with_session(lambda session: session.exec(select(SchemaRow.version)).one())

    # plumbing ----------------------------------------------------------------------------

    def _prepare_schema(self) -> None:
        """Create a fresh database, upgrade an older one, refuse a newer one (one process at a time)."""
        with self._engine().begin() as conn:
            if self.dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
            tables = set(inspect(conn).get_table_names())
            if SchemaRow.__tablename__ in tables:
                version = conn.execute(select(SchemaRow.version)).scalar() or 1
                if not isinstance(version, int):  # SQLite keeps whatever type was written
                    raise CacheError(
                        f"cache database {self.shown}: its schema version {str(version)[:40]!r} is not a "
                        "number, so this is not a verify cache; use another --db"
                    )
            else:
                version = 1 if PageRow.__tablename__ in tables else 0
            if version > SCHEMA_VERSION:
                raise CacheError(
                    f"cache database {self.shown}: its schema version {version} is newer than this "
                    f"verify understands ({SCHEMA_VERSION}); upgrade verify or use another --db"
                )
            if version == SCHEMA_VERSION and set(SQLModel.metadata.tables) <= tables:
                return  # nothing to write: opening must work while another process holds the write lock
            SQLModel.metadata.create_all(conn)
            for step in range(max(version, 1), SCHEMA_VERSION):
                UPGRADES[step](conn)
            conn.execute(delete(SchemaRow))
            conn.execute(self._insert(SchemaRow).values(id=1, version=SCHEMA_VERSION))

    def _engine(self) -> Engine:
        if os.getpid() != self._pid:  # a forked child: leave the parent's connections alone
            self.engine.dispose(close=False)
            self._pid = os.getpid()
        return self.engine

    def _insert(self, table: Any) -> Any:
        if self.dialect == "postgresql":  # imported here: SQLite runs (the default) never load this dialect
            from sqlalchemy.dialects.postgresql import insert as postgresql_insert

            return postgresql_insert(table)
        return sqlite_insert(table)

    def _with_session(self, work: Callable[[Session], T]) -> T:
        def attempt() -> T:
            with _GuardedSession(self._engine(), self.shown) as session:
                return work(session)

        return self._retry(attempt)

    def _retry(self, work: Callable[[], T]) -> T:
        """Run `work`, again after a dropped connection or a deadlock (PostgreSQL), with back-off."""
        for attempt in range(RETRIES):
            try:
                return work()
            except CacheError as err:
                cause = err.__cause__
                if attempt == RETRIES - 1 or not _transient(cause):
                    raise
                time.sleep(0.2 * 2**attempt)
            except exc.SQLAlchemyError as err:
                if attempt == RETRIES - 1 or not _transient(err):
                    raise CacheError(f"cache database {self.shown}: {_reason(err)}") from err
                time.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")

    def _upsert(self, table: Any, rows: list[dict[str, Any]], keys: list[str], then: Any = None) -> None:
        if not rows:
            return
        rows = sorted(rows, key=lambda r: tuple(r[k] for k in keys))  # one lock order for every writer
        statement = self._insert(table).values(rows)
        changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
        statement = statement.on_conflict_do_update(index_elements=keys, set_=changed)

        def write(session: Session) -> None:
            session.execute(statement)
            if then is not None:
                session.execute(then)
            session.commit()

        self._with_session(write)


UPGRADES: dict[int, Callable[[Connection], None]] = {
    # from version N to N+1, after create_all made the tables that are new as a whole
    1: lambda conn: None,  # 1 -> 2: the embedding_claims table (created by create_all)
}


class _GuardedSession(Session):
    """A session whose database errors become one-line CacheErrors."""

    def __init__(self, engine: Engine, shown: str) -> None:
        super().__init__(engine)
        self._shown = shown

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        super().__exit__(type_, value, traceback)
        if isinstance(value, exc.SQLAlchemyError):
            raise CacheError(f"cache database {self._shown}: {_reason(value)}") from value


def _transient(err: BaseException | None) -> bool:
    """A dropped connection, a server restart or a deadlock: worth another attempt."""
    if not isinstance(err, exc.DBAPIError):
        return False
    if err.connection_invalidated:
        return True
    code = getattr(getattr(err, "orig", None), "sqlstate", None) or ""
    return code in ("40P01", "40001") or code.startswith("08") or code in ("57P01", "57P02", "57P03")


def _check_url(url: str) -> None:
    """A URL SQLAlchemy cannot parse (a port that is not a number, or two ports) as a CacheError.

    The URL itself is not shown: it may hold a password, and it cannot be parsed to hide it.
    """
    if url.startswith("sqlite:"):
        return
    from sqlalchemy.engine import make_url

    try:
        make_url(url)
    except ValueError as err:  # not ArgumentError (not a ValueError): create_engine reports it, URL shown
        raise CacheError(f"cache database URL: cannot parse this URL ({_first(err)})") from None


def _shown(url: str) -> str:
    """The location for messages, without a password (in the userinfo or as a query parameter)."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    try:
        from sqlalchemy.engine import make_url

        return hide_credentials(make_url(url).render_as_string(hide_password=True))
    except exc.ArgumentError:
        return hide_credentials(url)


def _escaped_userinfo(url: str) -> str:
    """`url` with its user:password percent-encoded up to the last `@` before the query, so that an
    unescaped `@` (or `/`, `:`) in a password stays in the password: the rest of it is never taken
    for a host name, connected to, or printed as one (a `?` in a password must be escaped)."""
    scheme, sep, rest = url.partition("://")
    at = rest.split("?", 1)[0].rfind("@")
    if not sep or rest.startswith("/") or at < 0:  # no userinfo (or no host: sqlite:///path)
        return url
    user, colon, password = rest[:at].partition(":")
    return f"{scheme}://{quote(user, safe=_KEPT)}{colon}{quote(password, safe=_KEPT)}{rest[at:]}"


_KEPT = "%!$&'()*+,;=~"  # left as they are in a user name or password (`%` keeps escapes already made)


def _first(err: Exception) -> str:
    return hide_credentials((str(err) or type(err).__name__).splitlines()[0])


def _reason(err: Exception) -> str:
    orig = getattr(err, "orig", None)
    text = hide_credentials(str(orig or err).splitlines()[0])
    if "file is not a database" in text:
        return (
            "the file is not a SQLite database (corrupt, or another kind of file); use --db to pick another"
        )
    if "locked" in text:
        return "the database stayed locked by another process; try again"
    if "readonly" in text or "read-only" in text:
        return "the database is read-only"
    return text


def _refuse_foreign(path: Path) -> None:
    """CacheError when an existing SQLite file holds tables but none of verify's: another program's
    database, read without writing (opening it as a cache would switch it to WAL and add tables)."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return  # not a database at all: opening it says so, as before
    if tables and not tables & {SchemaRow.__tablename__, PageRow.__tablename__}:
        shown = ", ".join(sorted(tables)[:3])
        raise CacheError(
            f"cache database {path}: it holds other tables ({shown}), so it is not a verify cache; "
            "use another --db"
        )


IN_MEMORY = re.compile(r"^sqlite(?:\+\w+)?://(?:/?:memory:)?(?:\?.*)?$", re.I)


def _busy_timeout(timeout: float | None) -> float:
    if timeout is None:
        try:
            timeout = float(os.environ.get("VERIFY_DB_TIMEOUT", "") or BUSY_TIMEOUT_MS / 1000)
        except ValueError:
            timeout = BUSY_TIMEOUT_MS / 1000
    if not math.isfinite(timeout):  # "nan" or "inf" from the environment: the default
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
