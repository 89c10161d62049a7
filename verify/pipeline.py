"""Run the stages in order: ingest, claims, sources, fetch, extract, match, judge, attribution."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx

from . import __version__
from .attribution import find_attributions
from .budget import OverBudget, Stopwatch
from .claims import split_claims
from .config import Settings
from .embed import CachedEmbedder, Embedder
from .errors import InputError
from .extract import extract_or_skip
from .fetch import fetch
from .ingest import load_article
from .judge import EntailmentScorer, SourceInfo, evidence_text, judge
from .match import Ranked, match, pool_sentences, texts_to_embed
from .models import (
    Article,
    ArticleReport,
    Attribution,
    ClaimResult,
    Document,
    Fetched,
    Finding,
    Report,
    Skipped,
    SourceRef,
)
from .nli import NliScorer
from .rewrite import for_article as rewrite_diff
from .rewrite import rewrite_findings
from .selection import ArticleInput
from .selection import discover as discover  # re-exported: the CLI, tests and benchmarks import it from here
from .sources import collect_sources
from .store import Store

if TYPE_CHECKING:
    from .resultcache import ResultCache

Progress = Callable[[str, int, int], None]  # stage, done, total
NO_SOURCES = "no sources: nothing was checked"
_EMPTY = Ranked((), (), {})


def run(
    inputs: Sequence[ArticleInput],
    settings: Settings,
    *,
    store: Store | None,
    embedder: Embedder,
    client: httpx.AsyncClient | None = None,
    progress: Progress | None = None,
    results: ResultCache | None = None,
) -> Report:
    """Check every article; with `results`, unchanged articles are reused (no fetch, no embedding)."""
    note = progress or (lambda stage, done, total: None)
    articles: list[Article] = []
    errors: list[str] = []
    budget = Stopwatch(settings.article_timeout)
    for n, item in enumerate(inputs, 1):
        try:
            with budget.run(item.display):
                articles.append(load_article(item.path, item.display, settings.max_article_bytes))
        except InputError as exc:
            errors.append(str(exc))
        except OverBudget as exc:
            errors.append(_not_checked(item.display, exc))
        note("reading", n, len(inputs))

    refs_by_article = [_confined_and_limited(a, settings) for a in articles]
    cached: dict[int, ArticleReport] = {}
    if results is not None:
        for i, (article, (refs, over_limit)) in enumerate(zip(articles, refs_by_article, strict=True)):
            hit = results.lookup(article, refs, over_limit)
            if hit is not None:
                cached[i] = hit
    unique: dict[SourceRef, None] = {}
    for i, (refs, _) in enumerate(refs_by_article):
        if i not in cached:
            unique.update(dict.fromkeys(refs))
    to_check = [i for i in range(len(articles)) if i not in cached]
    downloads = not settings.offline and any(ref.file is None for ref in unique)
    warm = getattr(embedder, "warm", None)
    preload = _InBackground(warm) if warm is not None and to_check and downloads else None
    note("fetching", 0, len(unique))
    fetched = dict(zip(unique, fetch(list(unique), settings, store, client), strict=True)) if unique else {}
    note("fetching", len(unique), len(unique))
    documents: dict[SourceRef, Document | Skipped] = {
        ref: _to_document(result) for ref, result in fetched.items()
    }
    if preload is not None:
        preload.join()
    docs_of = {
        i: [d for r in refs_by_article[i][0] if isinstance(d := documents[r], Document)] for i in to_check
    }
    # the model embeds (outside the GIL) while this thread finds the attributions
    stopping = threading.Event()  # set when this thread fails: the embedding stops after its batch
    embedding = _InBackground(
        lambda: _embed_in_batches([(articles[i], docs_of[i]) for i in to_check], embedder, settings, stopping)
    )
    credited: dict[int, tuple[list[Attribution], list[Finding]]] = {}
    over_budget: dict[int, str] = {}
    try:
        for i in to_check:
            try:
                with budget.run(articles[i].path):
                    credited[i] = find_attributions(articles[i], docs_of[i])
            except OverBudget as exc:
                over_budget[i] = _not_checked(articles[i].path, exc)
    except BaseException:
        stopping.set()
        raise
    embedding.join()

    nli = NliScorer(settings.nli_model) if settings.nli_model else None
    reports = []
    for n, article in enumerate(articles, 1):
        refs, over_limit = refs_by_article[n - 1]
        if n - 1 in cached:
            reports.append(cached[n - 1])
            note("checking", n, len(articles))
            continue
        docs = [d for r in refs if isinstance(d := documents[r], Document)]
        skipped = [d for r in refs if isinstance(d := documents[r], Skipped)] + over_limit
        try:
            if n - 1 in over_budget:
                raise OverBudget(over_budget[n - 1])
            with budget.run(article.path):
                reports.append(
                    check_article(article, docs, skipped, settings, embedder, nli, credited[n - 1])
                )
        except OverBudget as exc:
            errors.append(over_budget.get(n - 1) or _not_checked(article.path, exc))
            note("checking", n, len(articles))
            continue
        if results is not None:
            results.save(article, refs, over_limit, reports[-1])
        note("checking", n, len(articles))
    return Report(
        articles=tuple(reports),
        model=embedder.name,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        version=__version__,
        errors=tuple(errors),
    )


def check_article(
    article: Article,
    documents: Sequence[Document],
    skipped: Sequence[Skipped],
    settings: Settings,
    embedder: Embedder,
    nli: NliScorer | None = None,
    credited: tuple[list[Attribution], list[Finding]] | None = None,
    entail: EntailmentScorer | None = None,
) -> ArticleReport:
    """Claims, evidence, verdicts and attribution findings (found here unless given) for one article.

    `entail`: an optional sentence-pair entailment model for the judge (none is wired in yet).
    """
    claims = split_claims(article)
    attributions, findings = credited if credited is not None else find_attributions(article, documents)
    if not documents and not skipped:
        # nothing to check against: say so once, instead of calling every claim unsupported
        notice = Finding(
            "sources.none",
            "warning",
            f"{NO_SOURCES} (name sources in front matter, as links, or with --source)",
            0,
            0,
            1,
            1,
        )
        return ArticleReport(
            article=article,
            results=tuple(
                ClaimResult(
                    replace(c, checkable=False, reason=NO_SOURCES), "not_checkable", 0.0, reason=NO_SOURCES
                )
                if c.checkable
                else judge(c, _EMPTY, ())
                for c in claims
            ),
            findings=tuple(sorted([notice, *findings], key=lambda f: (f.start, f.rule))),
            attributions=tuple(attributions),
        )
    pool = pool_sentences(documents)
    ranked = match(claims, documents, embedder, top_k=settings.top_k, prefilter=settings.prefilter)
    entailment: dict[str, float] = {}
    if nli is not None:
        pairs = [(evidence_text(r, pool), c.text) for c in claims if (r := ranked.get(c.id)) and r.evidence]
        ids = [c.id for c in claims if (r := ranked.get(c.id)) and r.evidence]
        entailment = dict(zip(ids, nli.entailment(pairs), strict=True))
    sources = [SourceInfo(d.label, d.published) for d in documents]
    results = [
        judge(
            claim,
            ranked.get(claim.id, _EMPTY),
            pool,
            entailment.get(claim.id),
            sources=sources,
            entail=entail,
        )
        for claim in claims
    ]
    rewrite = rewrite_diff(article, claims, documents, results, embedder)
    if rewrite is not None:
        findings = [*findings, *rewrite_findings(rewrite, claims)]
    return ArticleReport(
        article=article,
        results=tuple(results),
        findings=tuple(sorted(findings, key=lambda f: (f.start, f.rule))),
        documents=tuple(documents),
        skipped=tuple(skipped),
        attributions=tuple(attributions),
        rewrite=rewrite,
    )


EMBED_BATCH = 512  # texts per call across articles: full model batches, and progress as it goes


def _embed_in_batches(
    work: Sequence[tuple[Article, list[Document]]],
    embedder: Embedder,
    settings: Settings,
    stopping: threading.Event | None = None,
) -> None:
    """Embed what every article will need in shared batches; the vectors land in the embedder's cache."""
    if not isinstance(embedder, CachedEmbedder):
        return  # without a cache the per-article calls would embed everything again
    texts = [
        t for article, docs in work for t in texts_to_embed(split_claims(article), docs, settings.prefilter)
    ]
    unique = sorted(dict.fromkeys(texts), key=len)  # similar lengths together: less padding in each batch
    for start in range(0, len(unique), EMBED_BATCH):
        if stopping is not None and stopping.is_set():
            return
        embedder.encode(unique[start : start + EMBED_BATCH])


class _InBackground:
    """Runs `target` on a thread; join() waits and re-raises what it raised.

    Not a daemon: when the run stops early (a cache error, Ctrl-C) the interpreter waits for the
    thread instead of killing it while native code (ONNX Runtime loading) is mid-way, which
    aborted the process ("terminate called without an active exception", exit 134).
    """

    def __init__(self, target: Callable[[], object]) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(target,), daemon=False)
        self.thread.start()

    def _run(self, target: Callable[[], object]) -> None:
        try:
            target()
        except BaseException as exc:  # re-raised on the calling thread by join()
            self.error = exc

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


def _to_document(result: Fetched | Skipped) -> Document | Skipped:
    document = extract_or_skip(result)
    if isinstance(document, Skipped):
        return document
    if not document.sentences:
        return Skipped(result.ref, "the page has no readable text")
    return document


def _not_checked(path: str, exc: OverBudget) -> str:
    return f"{path}: not checked: {exc} (the time budget per article, article-timeout)"


def _confined_and_limited(article: Article, settings: Settings) -> tuple[list[SourceRef], list[Skipped]]:
    """The sources to fetch; refused local files and those over the limit come back as skips."""
    refs, refused = collect_sources(article, settings)
    kept, over = _limit(refs, settings.max_sources)
    return kept, refused + over


def _limit(refs: list[SourceRef], limit: int) -> tuple[list[SourceRef], list[Skipped]]:
    if len(refs) <= limit:
        return refs, []
    return refs[:limit], [Skipped(r, f"over the limit of {limit} sources per article") for r in refs[limit:]]
