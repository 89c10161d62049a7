"""Bad input, a broken or locked cache, processes sharing one cache, and offsets for any text.

Bad input is tested through the real command in a subprocess: one `verify: error:` line on
stderr, the documented exit code, no traceback, and the cache left exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Reply, Server, page
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from verify import sentences
from verify.claims import split_claims
from verify.errors import CacheError, InputError
from verify.ingest import load_article
from verify.store import CachedPage, Store

ROOT = Path(__file__).resolve().parent.parent
EXIT_USAGE, EXIT_CACHE = 2, 3


def verify_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """`python -m verify ...` as a user would run it (no terminal, so no progress display)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1", **(env or {})}
    full_env.pop("VERIFY_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "verify", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_error_line(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.stderr.splitlines() == [f"verify: error: {message}"], result.stderr
    assert result.returncode == code


# --- a populated cache that every failure must leave alone -------------------------------------


def populate(db: Path) -> None:
    store = Store(db)
    for i in range(3):
        body = page(f"Cached page number {i}.")
        store.put_page(
            CachedPage(
                url=f"https://example.org/{i}",
                final_url=f"https://example.org/{i}",
                status=200,
                content_type="text/html",
                encoding="utf-8",
                etag=f'"e{i}"',
                last_modified="",
                fetched_at="2024-01-01T00:00:00+00:00",
                content_hash=hashlib.sha256(body).hexdigest(),
                body=body,
            )
        )
    store.put_embeddings("m", {f"h{i}": bytes([i]) * 16 for i in range(5)}, dim=4)
    store.close()


def snapshot(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        pages = conn.execute("SELECT * FROM pages ORDER BY url").fetchall()
        embeddings = conn.execute("SELECT * FROM embeddings ORDER BY model, text_hash").fetchall()
    return pages, embeddings


def integrity(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def make_work(folder: Path) -> Path:
    """A folder with one good article and a populated cache at cache.sqlite."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text("The sky over Paris was blue on 3 May 2024, the agency said.\n")
    populate(folder / "cache.sqlite")
    return folder


@pytest.fixture()
def work(tmp_path: Path) -> Path:
    return make_work(tmp_path / "work")


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _enormous(folder: Path) -> list[str]:
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(21 * 1024 * 1024)  # sparse: 21 MiB on paper, nothing on disk
    return ["huge.txt"]


def _with(name: str, data: bytes | str, *args: str) -> Callable[[Path], list[str]]:
    """Write `name` into the work folder, then run with `args`."""

    def setup(folder: Path) -> list[str]:
        _write(folder, name, data)
        return list(args)

    return setup


def _mkdir(name: str, *args: str) -> Callable[[Path], list[str]]:
    def setup(folder: Path) -> list[str]:
        (folder / name).mkdir()
        return list(args)

    return setup


NOT_SQLITE = "the file is not a SQLite database (corrupt, or another kind of file); use --db to pick another"

# name: (setup -> command-line arguments, --db value, exit code, the stderr message)
CASES: dict[str, tuple[Callable[[Path], list[str]], str, int, str]] = {
    "missing path": (lambda d: ["nowhere.md"], "cache.sqlite", 2, "nowhere.md: no such file or folder"),
    "folder with no articles": (
        _mkdir("empty", "empty"),
        "cache.sqlite",
        2,
        "empty: no articles (*.md, *.markdown, *.txt, *.html) in this folder",
    ),
    "malformed YAML manifest": (
        _with("m.yaml", "- a\n  b: [\n", "good.txt", "--sources", "m.yaml"),
        "cache.sqlite",
        2,
        "m.yaml: malformed sources manifest (line 2): mapping values are not allowed here",
    ),
    "malformed JSON manifest": (
        _with("m.json", '{"sources": [1,', "good.txt", "--sources", "m.json"),
        "cache.sqlite",
        2,
        "m.json: malformed sources manifest (line 1): Expecting value",
    ),
    "manifest that is not a list": (
        _with("m.yaml", "sources: 3\n", "good.txt", "--sources", "m.yaml"),
        "cache.sqlite",
        2,
        "m.yaml: a sources manifest must be a list, or a map with a 'sources:' list",
    ),
    "binary manifest": (
        _with("m.txt", b"\x00\x01\x02PK", "good.txt", "--sources", "m.txt"),
        "cache.sqlite",
        2,
        "m.txt: malformed sources manifest (binary data, not text)",
    ),
    "missing manifest": (
        lambda d: ["good.txt", "--sources", "nope.yaml"],
        "cache.sqlite",
        2,
        "nope.yaml: sources manifest not found",
    ),
    "invalid URL in a manifest": (
        _with("m.txt", "https://ok.example/\nhttp://[::1/broken\n", "good.txt", "--sources", "m.txt"),
        "cache.sqlite",
        2,
        "m.txt: 'http://[::1/broken' not a usable source URL: invalid URL (Invalid IPv6 URL)",
    ),
    "invalid URL flag": (
        lambda d: ["good.txt", "--source", "http://exa mple.org/"],
        "cache.sqlite",
        2,
        "--source 'http://exa mple.org/': not a usable source URL: "
        "invalid URL: contains white space or control characters",
    ),
    "unsupported scheme flag": (
        lambda d: ["good.txt", "--source", "ftp://example.org/a"],
        "cache.sqlite",
        2,
        "--source 'ftp://example.org/a': not a usable source URL: "
        "unsupported URL scheme ftp:; only http and https",
    ),
    "output folder missing": (
        lambda d: ["good.txt", "-f", "json", "-o", "no/such/report.json"],
        "cache.sqlite",
        2,
        "cannot write no/such/report.json: folder no/such does not exist",
    ),
    "output is the cache database": (
        lambda d: ["good.txt", "-f", "json", "-o", "cache.sqlite"],
        "cache.sqlite",
        2,
        "--output cache.sqlite is the cache database; the report would replace it",
    ),
    "output is a folder": (
        _mkdir("out", "good.txt", "-f", "json", "-o", "out"),
        "cache.sqlite",
        2,
        "cannot write out: Is a directory",
    ),
    "cache is not SQLite": (
        _with("notes.sqlite", b"My notes, not a database.\n" * 100, "good.txt"),
        "notes.sqlite",
        3,
        f"cache database notes.sqlite: {NOT_SQLITE}",
    ),
    "cache with a corrupt header": (
        _with("broken.sqlite", b"SQLite format 3\x00" + bytes(range(256)) * 32, "good.txt"),
        "broken.sqlite",
        3,
        f"cache database broken.sqlite: {NOT_SQLITE}",
    ),
    "cache path is a folder": (
        _mkdir("folder", "good.txt"),
        "folder",
        3,
        "cache database folder: is a folder, not a database file",
    ),
    "cache folder blocked by a file": (
        lambda d: ["good.txt"],
        "good.txt/cache.sqlite",
        3,
        "cache database good.txt/cache.sqlite: a file is in the way of its folder",
    ),
    "cache URL with an unknown driver": (
        lambda d: ["good.txt"],
        "nosuch+driver://x",
        3,
        "cache database nosuch+driver://x: cannot use this URL "
        "(Can't load plugin: sqlalchemy.dialects:nosuch.driver)",
    ),
}
# Unreadable articles: the run goes on with the other articles, the exit code is 2.
ARTICLE_CASES: dict[str, tuple[Callable[[Path], list[str]], str, int, str]] = {
    "empty file": (_with("empty.md", "", "empty.md"), "cache.sqlite", 2, "empty.md: the file is empty"),
    "blank file": (
        _with("blank.txt", " \n\n\t\n", "blank.txt"),
        "cache.sqlite",
        2,
        "blank.txt: the file is empty",
    ),
    "binary file": (
        _with("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "photo.txt"),
        "cache.sqlite",
        2,
        "photo.txt: looks like a binary file, not an article",
    ),
    "enormous file": (_enormous, "cache.sqlite", 2, "huge.txt: too large (21 MiB; the limit is 2 MiB)"),
    "invalid front matter": (
        _with("fm.md", "---\ntitle: [unclosed\n---\nBody.\n", "fm.md"),
        "cache.sqlite",
        2,
        "fm.md: invalid front matter (line 2): expected ',' or ']', but got '<stream end>'",
    ),
    "front matter that is not a map": (
        _with("list.md", "---\n- a\n- b\n---\nBody.\n", "list.md"),
        "cache.sqlite",
        2,
        "list.md: invalid front matter: expected 'key: value' lines",
    ),
    "malformed sources in front matter": (
        _with("src.md", "---\nsources:\n  - {url: 5}\n---\nBody.\n", "src.md"),
        "cache.sqlite",
        2,
        "src.md: a source 'url' must be a string, got 5",
    ),
}


class Run:
    def __init__(self, folder: Path, args: list[str]) -> None:
        self.folder = folder
        self.args = args
        self.rows = snapshot(folder / "cache.sqlite")
        self.files = {
            p: p.read_bytes()
            for p in folder.iterdir()
            if p.is_file() and p.stat().st_blocks and not p.name.startswith("cache.sqlite")
        }
        self.result: subprocess.CompletedProcess[str] | None = None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every bad-input case, run at once (each a real `python -m verify` process)."""
    from concurrent.futures import ThreadPoolExecutor

    out: dict[str, Run] = {}
    for name, (setup, db, _, _) in (CASES | ARTICLE_CASES).items():
        folder = make_work(tmp_path_factory.mktemp("case"))
        out[name] = Run(folder, [*setup(folder), "--offline", "--db", db])
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = pool.map(lambda run: verify_cli(*run.args, cwd=run.folder), out.values())
        for run, result in zip(out.values(), results, strict=True):
            run.result = result
    return out


def assert_nothing_lost(run: Run) -> None:
    assert snapshot(run.folder / "cache.sqlite") == run.rows
    assert integrity(run.folder / "cache.sqlite") == "ok"
    for path, data in run.files.items():
        assert path.read_bytes() == data, f"{path.name} changed"


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_stderr_line_with_its_exit_code(runs: dict[str, Run], case: str) -> None:
    _, _, code, message = CASES[case]
    run = runs[case]
    assert run.result is not None
    assert_one_error_line(run.result, code, message)
    assert_nothing_lost(run)


@pytest.mark.parametrize("case", list(ARTICLE_CASES))
def test_unreadable_article_exits_2_without_traceback(runs: dict[str, Run], case: str) -> None:
    _, _, code, message = ARTICLE_CASES[case]
    result = runs[case].result
    assert result is not None
    assert result.returncode == code
    assert "Traceback" not in result.stderr + result.stdout
    assert_nothing_lost(runs[case])
    assert result.stderr.splitlines() == [f"verify: error: {message}"]


def test_a_locked_cache_is_exit_3_and_keeps_its_rows(work: Path) -> None:
    db = work / "cache.sqlite"
    before = snapshot(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # rollback mode: an exclusive lock blocks readers too
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = verify_cli(
            "good.txt", "--offline", "--db", "cache.sqlite", cwd=work, env={"VERIFY_DB_TIMEOUT": "0.5"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_one_error_line(
        result,
        EXIT_CACHE,
        "cache database cache.sqlite: the database stayed locked by another process; try again",
    )
    assert snapshot(db) == before
    assert integrity(db) == "ok"


def test_a_write_lock_in_wal_mode_still_lets_readers_read(work: Path) -> None:
    db = work / "cache.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a writer in another connection (WAL: readers carry on)
    try:
        store = Store(db, timeout=0.3)
        assert store.get_page("https://example.org/1") is not None
        with pytest.raises(CacheError, match="stayed locked by another process"):
            store.put_embeddings("m", {"new": b"\x00" * 16}, dim=4)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.put_embeddings("m", {"new": b"\x00" * 16}, dim=4)
    assert store.counts() == {"pages": 3, "embeddings": 6}
    store.close()
    assert integrity(db) == "ok"


def test_db_timeout_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VERIFY_DB_TIMEOUT", "2.5")
    assert Store(tmp_path / "a.sqlite").timeout == 2.5
    assert Store(tmp_path / "b.sqlite", timeout=1).timeout == 1
    monkeypatch.setenv("VERIFY_DB_TIMEOUT", "soon")
    assert Store(tmp_path / "c.sqlite").timeout == 30


# --- several processes on one cache ------------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import hashlib, sys, time
    from verify.store import CachedPage, Store

    db, worker, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    time.sleep(max(0.0, start - time.time()))  # all workers open a fresh database at once
    store = Store(db)
    for i in range(120):
        n = (i * 7 + worker) % 40
        body = f"<p>page {n}</p>".encode() * 50
        store.put_page(CachedPage(f"https://example.org/{n}", f"https://example.org/{n}", 200, "text/html",
                                  "utf-8", "", "", f"w{worker}", hashlib.sha256(body).hexdigest(), body))
        keys = [f"t{(i + k) % 300}" for k in range(10)]
        store.put_embeddings("m", {k: hashlib.sha256(k.encode()).digest()[:16] for k in keys}, dim=4)
        assert store.get_page(f"https://example.org/{n}") is not None
    store.close()
    """
)


def test_processes_writing_one_fresh_cache_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite"
    start = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), str(w), str(start)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(3)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        pages = conn.execute("SELECT url, body, content_hash FROM pages").fetchall()
        embeddings = conn.execute("SELECT model, text_hash, vector FROM embeddings").fetchall()
    assert len(pages) == 40 and len({url for url, _, _ in pages}) == 40
    for url, body, content_hash in pages:
        n = url.rsplit("/", 1)[1]
        assert body == f"<p>page {n}</p>".encode() * 50 and hashlib.sha256(body).hexdigest() == content_hash
    expected = {f"t{k}" for i in range(120) for k in range(i, i + 10)}
    assert len(embeddings) == len(expected) and {h for _, h, _ in embeddings} == expected
    assert all(v == hashlib.sha256(h.encode()).digest()[:16] for _, h, v in embeddings)


@pytest.mark.model
def test_verify_processes_sharing_one_cache(server: Server, tmp_path: Path) -> None:
    facts = {
        "shared-a": "SpaceX won a cargo contract worth about $1.6 billion in 2008.",
        "shared-b": "The contract covered 12 cargo flights to the International Space Station.",
        **{
            f"own-{w}": f"Worker {w} reports that the station received {w + 3} visiting vehicles."
            for w in range(3)
        },
    }
    urls = {
        name: server.add(f"/{name}.html", Reply(body=page(text, title=name))) for name, text in facts.items()
    }
    for w in range(3):
        sources = "".join(f"  - {urls[n]}\n" for n in ("shared-a", "shared-b", f"own-{w}"))
        (tmp_path / f"a{w}.md").write_text(
            f"---\ntitle: Article {w}\nsources:\n{sources}---\n\n"
            f"SpaceX won a cargo contract worth about $1.6 billion in 2008. "
            f"The contract covered 12 cargo flights. The station received {w + 3} visiting vehicles.\n"
        )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "1"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "verify",
                f"a{w}.md",
                "--allow-private",
                "--db",
                "shared.sqlite",
                "-f",
                "json",
                "-o",
                f"r{w}.json",
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(3)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode in (0, 1) for p in procs), outputs
    assert all("error" not in err.lower() for _, err in outputs), outputs
    for w in range(3):
        report = json.loads((tmp_path / f"r{w}.json").read_text())
        assert report["summary"]["sources_used"] == 3 and report["summary"]["sources_skipped"] == 0
    db = tmp_path / "shared.sqlite"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        pages = dict(conn.execute("SELECT url, body FROM pages").fetchall())
        rows = conn.execute("SELECT model, text_hash, dim, length(vector) FROM embeddings").fetchall()
    assert pages == {url: page(facts[name], title=name) for name, url in urls.items()}
    assert len({(m, h) for m, h, _, _ in rows}) == len(rows) > 0
    assert {(dim, size) for _, _, dim, size in rows} == {(384, 384 * 4)}
    assert all(server.hits[f"/{n}.html"] <= 3 for n in facts)
    # Nothing was lost: an offline run finds every page and embedding it needs in the cache.
    again = verify_cli(
        "a0.md", "a1.md", "a2.md", "--offline", "--db", "shared.sqlite", "-f", "json", cwd=tmp_path
    )
    assert again.returncode in (0, 1), again.stderr
    assert json.loads(again.stdout)["summary"]["sources_used"] == 9
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM embeddings").fetchone()[0] == len(rows)


# --- offsets, for any input (hypothesis) -------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hypothesis")


PROPERTY = hyp_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text_chars = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"
) | st.sampled_from([*".!?…\"'“”‘’()[] \n\n\t\r", "\u00a0", "\u2028"])


def _load(path: Path, text: str) -> object:
    path.write_bytes(text.encode("utf-8"))
    try:
        return load_article(path)
    except InputError:
        assume(False)
        raise


def _line_col(raw: str, offset: int) -> tuple[int, int]:
    line_start = raw.rfind("\n", 0, offset) + 1
    return raw.count("\n", 0, offset) + 1, offset - line_start + 1


def _check_claims(article: object) -> None:
    from verify.models import Article

    assert isinstance(article, Article)
    claims = split_claims(article)
    previous_end = 0
    for claim in claims:
        assert 0 <= previous_end <= claim.start < claim.end <= len(article.raw)
        assert " ".join(article.raw[claim.start : claim.end].split()) == claim.text
        assert (claim.line, claim.column) == _line_col(article.raw, claim.start)
        assert claim.text == " ".join(article.text[claim.text_start : claim.text_end].split())
        previous_end = claim.end


@given(st.text(text_chars, min_size=1, max_size=400))
@PROPERTY
def test_split_spans_cover_every_word_in_order(text: str) -> None:
    spans = list(sentences.split_spans(text))
    covered: set[int] = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        previous_end = end
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@given(st.text(text_chars, min_size=1, max_size=400))
@PROPERTY
def test_txt_claim_offsets_slice_the_file_back_to_the_claim(scratch: Path, text: str) -> None:
    _check_claims(_load(scratch / "article.txt", text))


_md_word = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=8)
_md_punct = st.sampled_from([".", ",", "!", "?", ";", ":", "'", '"', "“", "”", "(", ")", "$", "%", "€", "…"])
_md_line = st.lists(st.one_of(_md_word, _md_word, _md_punct, st.just(" ")), min_size=1, max_size=25).map(
    "".join
)
_md_paragraph = st.lists(_md_line, min_size=1, max_size=4).map("\n".join)
_md_document = st.lists(_md_paragraph, min_size=1, max_size=5).map("\n\n".join)


@given(_md_document)
@PROPERTY
def test_markdown_claim_offsets_slice_the_file_back_to_the_claim(scratch: Path, text: str) -> None:
    # Plain paragraphs only: no line may read as a list item, heading rule or ordered list.
    assume(not any(line.lstrip()[:1].isdigit() for line in text.splitlines()))
    _check_claims(_load(scratch / "article.md", text))
