"""The result cache's JSON round trip and key."""

from __future__ import annotations

import dataclasses
import json
import zlib
from pathlib import Path
from typing import Any

from ci_support import check, make_corpus
from conftest import FakeEmbedder

from verify.config import Settings
from verify.models import Skipped
from verify.resultcache import ResultCache, _dump, _load, from_data, to_data
from verify.sources import gather_sources
from verify.store import Store


def test_round_trip_gives_back_an_equal_report(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    assert item.results and item.documents
    again = _load(_dump(item), item.article)
    assert again == item
    assert from_data(type(item.documents[0]), to_data(item.documents[0])) == item.documents[0]


def test_corrupt_payload_is_a_miss(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    assert _load(b"not zlib", item.article) is None


def payload(data: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(data).encode("utf-8"))


def test_a_payload_written_before_still_decodes(tmp_path: Path) -> None:
    """What an earlier verify stored: JSON lists for tuples, a whole number in a float field, a
    field it did not have yet (its default applies) and one it had that is gone (ignored)."""
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    data = json.loads(zlib.decompress(_dump(item)))
    data["results"][0]["score"] = 1
    del data["documents"][0]["extractor"]
    data["documents"][0]["retired_field"] = "x"
    again = _load(payload(data), item.article)
    assert again is not None
    assert again.results[0].score == 1.0 and isinstance(again.results[0].score, float)
    assert isinstance(again.results[0].evidence, tuple) and isinstance(again.documents[0].sentences, tuple)
    assert again.documents[0].extractor == ""  # Document's default
    assert again.documents[0].ref.file == Path(str(item.documents[0].ref.file))
    expected = dataclasses.replace(
        item,
        results=(dataclasses.replace(item.results[0], score=1.0), *item.results[1:]),
        documents=(dataclasses.replace(item.documents[0], extractor=""), *item.documents[1:]),
    )
    assert again == expected


def test_a_payload_that_does_not_fit_the_report_is_a_clean_miss(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    good = json.loads(zlib.decompress(_dump(item)))
    unknown_verdict = json.loads(json.dumps(good))
    unknown_verdict["results"][0]["verdict"] = "mostly_true"
    missing_required = json.loads(json.dumps(good))
    del missing_required["results"][0]["claim"]["text"]
    wrong_type = json.loads(json.dumps(good))
    wrong_type["documents"][0]["sentences"] = "not a list"
    no_field = {k: v for k, v in good.items() if k != "findings"}
    for bad in (unknown_verdict, missing_required, wrong_type, no_field):
        assert _load(payload(bad), item.article) is None
    refs = gather_sources(item.article, Settings())
    store = Store(tmp_path / "c.sqlite")
    try:
        cache = ResultCache(store, Settings(), "m")
        key = cache.key(item.article, refs, [])
        assert key is not None
        store.put_result(key, payload(unknown_verdict), "2026-01-01T00:00:00+00:00")
        assert cache.lookup(item.article, refs, []) is None and cache.misses == [item.article.path]
        store.put_result(key, payload(good), "2026-01-01T00:00:00+00:00")
        assert cache.lookup(item.article, refs, []) == item and cache.hits == [item.article.path]
    finally:
        store.close()


def test_key_depends_on_settings_sources_and_text(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    refs = gather_sources(item.article, Settings())
    store = Store(tmp_path / "c.sqlite")
    try:
        base = ResultCache(store, Settings(), "m").key(item.article, refs, [])
        assert base == ResultCache(store, Settings(), "m").key(item.article, refs, [])
        assert base != ResultCache(store, Settings(top_k=3), "m").key(item.article, refs, [])
        assert base != ResultCache(store, Settings(), "other-model").key(item.article, refs, [])
        (tmp_path / "page.html").write_text("<p>Changed.</p>")
        assert base != ResultCache(store, Settings(), "m").key(item.article, refs, [])
    finally:
        store.close()


def test_a_report_whose_web_source_could_not_be_fetched_is_not_stored(tmp_path: Path, monkeypatch) -> None:
    # a failed --refresh keeps the cached page, so the key would be the successful run's: the failed
    # outcome would replace the good one and stick until --no-cache
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    settings = Settings(extra_sources=("https://example.org/x",))
    refs = gather_sources(item.article, settings)
    web = next(ref for ref in refs if ref.url == "https://example.org/x")
    monkeypatch.setattr(ResultCache, "_source_state", lambda self, ref: "page:cached")
    skip = Skipped(web, "network error: All connection attempts failed")
    failed = dataclasses.replace(item, skipped=(skip,))
    store = Store(tmp_path / "c.sqlite")
    try:
        results = ResultCache(store, settings, "m")
        results.save(item.article, refs, [], failed)
        assert results.lookup(item.article, refs, []) is None
        results.save(item.article, refs, [], item)
        assert results.lookup(item.article, refs, []) == item
        # a source left out for the source limit is no failure: that outcome is stored
        limited = dataclasses.replace(item, skipped=(Skipped(web, "over the limit of sources"),))
        results.save(item.article, refs, [limited.skipped[0]], limited)
        assert results.lookup(item.article, refs, [limited.skipped[0]]) == limited
    finally:
        store.close()


def test_uncached_online_source_has_no_key_unless_offline(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    refs = gather_sources(item.article, Settings(extra_sources=("https://example.org/x",)))
    store = Store(tmp_path / "c.sqlite")
    try:
        assert ResultCache(store, Settings(), "m").key(item.article, refs, []) is None
        assert ResultCache(store, Settings(offline=True), "m").key(item.article, refs, []) is not None
    finally:
        store.close()


def test_a_new_version_of_the_extraction_library_is_a_new_key(monkeypatch) -> None:
    import importlib.metadata

    import verify.resultcache as resultcache

    resultcache.code_digest.cache_clear()
    before = resultcache.code_digest()
    real = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "99.0" if name == "trafilatura" else real(name)
    )
    resultcache.code_digest.cache_clear()
    try:
        assert resultcache.code_digest() != before
    finally:
        monkeypatch.undo()
        resultcache.code_digest.cache_clear()


def test_a_warm_run_reads_every_stored_report_in_one_query(tmp_path: Path) -> None:
    from sqlalchemy import event

    from verify.pipeline import discover, run

    paths = [make_corpus(tmp_path, name=f"a{n}.md") for n in range(5)]
    store = Store(tmp_path / "c.sqlite")
    statements: list[str] = []
    try:
        cold_cache = ResultCache(store, Settings(), "m")
        cold = run(discover(paths), Settings(), store=store, embedder=FakeEmbedder(), results=cold_cache)
        assert len(cold_cache.misses) == 5
        event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        warm_cache = ResultCache(store, Settings(), "m")
        warm = run(discover(paths), Settings(), store=store, embedder=FakeEmbedder(), results=warm_cache)
    finally:
        store.close()
    assert len(warm_cache.hits) == 5 and not warm_cache.misses
    assert [a.results for a in warm.articles] == [a.results for a in cold.articles]
    assert sum("FROM results" in s for s in statements) == 1


WARM_RUN = """
import sys
sys.path.insert(0, sys.argv[3])
from conftest import FakeEmbedder
import verify.cli as cli
cli.make_embedder = lambda settings: FakeEmbedder()
sys.argv = ["verify", sys.argv[1], "--format", "json", "--quiet", "--db", sys.argv[2]]
try:
    cli.main()
except SystemExit:
    pass
heavy = ("verify.checking", "verify.judge", "verify.attribution", "verify.fetch")
heavy += ("httpx", "trafilatura", "onnxruntime")
print("loaded:", sorted(m for m in sys.modules if m in heavy), file=sys.stderr)
"""


def test_a_warm_run_imports_no_checking_code(tmp_path: Path) -> None:
    """Everything from the result cache: no network, extraction or model code is imported (a warm run's time
    was a third imports)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    article = make_corpus(tmp_path / "corpus")
    args = [sys.executable, "-c", WARM_RUN, str(article), str(tmp_path / "c.sqlite"), str(root / "tests")]
    env = {**os.environ, "PYTHONPATH": str(root)}
    cold = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    warm = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert '"articles_checked": 1' in cold.stdout and "verify.checking" in cold.stderr, cold.stderr
    assert '"articles_from_cache": 1' in warm.stdout, warm.stderr
    assert "loaded: []" in warm.stderr
