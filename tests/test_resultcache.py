"""The result cache's JSON round trip and key."""

from __future__ import annotations

from pathlib import Path

from ci_support import check, make_corpus

from verify.config import Settings
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
