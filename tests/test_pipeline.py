"""The pipeline's own work: one embedding batch across articles, model loading beside fetching."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import FakeEmbedder, Server

from verify.config import Settings
from verify.embed import CachedEmbedder
from verify.errors import UsageError
from verify.pipeline import discover, run
from verify.store import Store

# the same fact in different words: each article's claim is a text of its own
CLAIMS = (
    "SpaceX won a cargo contract worth about $1.6 billion in 2008.",
    "In 2008, SpaceX won a cargo contract worth about $1.6 billion.",
    "SpaceX won a contract for cargo flights worth about $1.6 billion in 2008.",
)


def write_articles(folder: Path, source: str, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = folder / f"a{n}.md"
        path.write_text(f"---\nsources:\n  - {source}\n---\n\n{CLAIMS[n]}\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_articles_share_one_embedding_batch(tmp_path: Path, server: Server) -> None:
    write_articles(tmp_path, server.url("/spacex.html"), 3)
    fake = FakeEmbedder()
    store = Store(tmp_path / "cache.sqlite")
    report = run(
        discover([tmp_path]), Settings(allow_private=True), store=store, embedder=CachedEmbedder(fake, store)
    )
    assert len(report.articles) == 3
    assert all(r.verdict == "supported" for a in report.articles for r in a.results if r.claim.checkable)
    assert len(fake.calls) == 1, "the three articles should be embedded in one call to the model"
    assert fake.calls[0] == len({*fake_texts(report)}), "each distinct text is embedded once"


def fake_texts(report) -> set[str]:
    from verify.claims import split_claims
    from verify.match import texts_to_embed

    texts: set[str] = set()
    for item in report.articles:
        texts.update(texts_to_embed(split_claims(item.article), list(item.documents)))
    return texts


class Warming(FakeEmbedder):
    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.fail = fail
        self.warmed_on: str | None = None

    def warm(self) -> None:
        self.warmed_on = threading.current_thread().name
        if self.fail:
            raise UsageError("cannot load embedding model 'broken'")


def test_the_model_loads_on_another_thread_while_pages_download(tmp_path: Path, server: Server) -> None:
    write_articles(tmp_path, server.url("/spacex.html"), 1)
    warming = Warming()
    store = Store(tmp_path / "cache.sqlite")
    run(
        discover([tmp_path]),
        Settings(allow_private=True),
        store=store,
        embedder=CachedEmbedder(warming, store),
    )
    assert warming.warmed_on is not None and warming.warmed_on != threading.main_thread().name


def test_a_model_that_fails_to_load_in_the_background_still_stops_the_run(
    tmp_path: Path, server: Server
) -> None:
    write_articles(tmp_path, server.url("/spacex.html"), 1)
    store = Store(tmp_path / "cache.sqlite")
    with pytest.raises(UsageError, match="broken"):
        run(
            discover([tmp_path]),
            Settings(allow_private=True),
            store=store,
            embedder=CachedEmbedder(Warming(fail=True), store),
        )


def test_no_preload_when_nothing_is_downloaded(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>SpaceX won a cargo contract worth about $1.6 billion in 2008.</p>", encoding="utf-8")
    write_articles(tmp_path, "page.html", 1)
    warming = Warming()
    store = Store(tmp_path / "cache.sqlite")
    run(discover([tmp_path / "a0.md"]), Settings(), store=store, embedder=CachedEmbedder(warming, store))
    assert warming.warmed_on is None


def test_the_pair_models_load_beside_the_page_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not on the main thread at their first pair: there the load added to the run's wall time."""
    import numpy as np

    import verify.checking as checking

    class PairModel(Warming):
        def predict(self, pairs):
            return np.tile([0.9, 0.05, 0.05], (len(pairs), 1))

    entail = PairModel()
    monkeypatch.setattr(checking, "entailment_model", lambda choice: entail)
    page = tmp_path / "page.html"
    page.write_text("<p>SpaceX won a cargo contract worth about $1.6 billion in 2008.</p>", encoding="utf-8")
    write_articles(tmp_path, "page.html", 1)
    store = Store(tmp_path / "cache.sqlite")
    run(
        discover([tmp_path / "a0.md"]),
        Settings(verifier="none"),
        store=store,
        embedder=CachedEmbedder(FakeEmbedder(), store),
    )
    assert entail.warmed_on is not None and entail.warmed_on != threading.main_thread().name

    failing = PairModel(fail=True)
    monkeypatch.setattr(checking, "entailment_model", lambda choice: failing)
    (tmp_path / "a0.md").write_text("SpaceX won a cargo contract in 2008.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="broken"):
        run(
            discover([tmp_path / "a0.md"]),
            Settings(verifier="none"),
            store=store,
            embedder=CachedEmbedder(FakeEmbedder(), store),
        )


def test_the_entail_model_setting_chooses_the_bundled_model_none_or_a_folder(tmp_path) -> None:
    import pytest

    from verify.entail import entailment_model, load_bundled
    from verify.errors import UsageError

    assert entailment_model("none") is None and entailment_model(" None ") is None
    bundled = load_bundled()
    assert (entailment_model(None) is None) == (bundled is None)
    with pytest.raises(UsageError, match="not a folder"):
        entailment_model(str(tmp_path / "missing"))


def test_each_article_is_planned_once(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The BM25 plan feeds both the embedding queue and `match`."""
    import verify.match as match

    write_articles(tmp_path, server.url("/spacex.html"), 3)
    plans: list[int] = []
    real_init = match.Plan.__init__

    def counted(self, *args, **kwargs):
        plans.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(match.Plan, "__init__", counted)
    store = Store(tmp_path / "cache.sqlite")
    report = run(
        discover([tmp_path]),
        Settings(allow_private=True),
        store=store,
        embedder=CachedEmbedder(FakeEmbedder(), store),
    )
    assert len(report.articles) == 3
    assert len(plans) == 3


def test_the_first_articles_are_judged_while_later_ones_are_embedded(
    tmp_path: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import verify.checking as checking

    events: list[str] = []

    class Slow(FakeEmbedder):
        def encode(self, texts):
            time.sleep(0.3)
            events.append("embedded")
            return super().encode(texts)

    real = checking.check_article

    def checked(article, *args, **kwargs):
        events.append("checked")
        return real(article, *args, **kwargs)

    monkeypatch.setattr(checking, "EMBED_BATCH", 1)
    monkeypatch.setattr(checking, "check_article", checked)
    write_articles(tmp_path, server.url("/spacex.html"), 3)
    store = Store(tmp_path / "cache.sqlite")
    embedder = CachedEmbedder(Slow(), store)
    report = run(discover([tmp_path]), Settings(allow_private=True), store=store, embedder=embedder)
    assert all(r.verdict == "supported" for a in report.articles for r in a.results if r.claim.checkable)
    assert events.count("checked") == 3
    assert events.index("checked") < len(events) - 1 - events[::-1].index("embedded")


def test_top_k_sets_the_evidence_shown_not_the_window_the_judge_reads(tmp_path: Path) -> None:
    """The judge is calibrated on its own window (tuning.WINDOW_TOP): --top-k 1 or 8 moves no verdict."""
    page = tmp_path / "page.html"
    sentences = [
        "SpaceX won a cargo contract worth about $1.6 billion in 2008.",
        "The contract covered twelve flights to the space station.",
        "NASA signed a second contract with Orbital Sciences the same year.",
        "Orbital's contract was worth about $1.9 billion.",
        "Both companies later flew cargo to the station.",
        "The first SpaceX cargo flight launched in 2012.",
        "Critics said the contracts favoured new companies.",
        "The agency defended the awards in a statement.",
    ]
    page.write_text("".join(f"<p>{s}</p>" for s in sentences), encoding="utf-8")
    (tmp_path / "a0.md").write_text(
        "---\nsources:\n  - page.html\n---\n\n"
        "SpaceX won a cargo contract worth about $1.6 billion in 2008, "
        "and its first cargo flight launched in 2012.\n",
        encoding="utf-8",
    )
    reports = {}
    for top_k in (1, 5, 8):
        store = Store(tmp_path / f"cache{top_k}.sqlite")
        settings = Settings(top_k=top_k, result_cache=False, entail_model="none")
        report = run(
            discover([tmp_path / "a0.md"]),
            settings,
            store=store,
            embedder=CachedEmbedder(FakeEmbedder(), store),
        )
        store.close()
        reports[top_k] = [r for a in report.articles for r in a.results if r.claim.checkable]
    assert reports[5], "the article has checkable claims"
    for top_k, results in reports.items():
        assert [(r.verdict, r.score) for r in results] == [(r.verdict, r.score) for r in reports[5]]
        assert all(len(r.evidence) <= top_k for r in results)
    assert any(len(r.evidence) > 5 for r in reports[8])
    assert [r.evidence[0] for r in reports[1]] == [r.evidence[0] for r in reports[5]]
