"""Check the articles the result cache did not answer: fetch, extract, plan and embed, find the
attributions, judge. `pipeline.run` imports this module only when such an article exists, so a
warm run never loads the network, extraction and model code.
"""

from __future__ import annotations

import functools
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from .archive import fetch_pages
from .attribution import find_attributions
from .budget import OverBudget, Stopwatch, time_budget
from .claims import split_claims
from .config import Settings
from .embed import CachedEmbedder, Embedder
from .entail import EntailmentScorer, entailment_model
from .extract import extract_or_skip
from .judge import judge, source_infos
from .match import Plan, Ranked, match, pool_sentences
from .models import (
    Article,
    ArticleReport,
    Attribution,
    Claim,
    ClaimResult,
    Document,
    Fetched,
    Finding,
    Skipped,
    SourceRef,
)
from .pipeline import ArticleRun, Progress, not_checked_message
from .rewrite import for_article as rewrite_diff
from .rewrite import rewrite_findings
from .tuning import WINDOW_TOP
from .verifier import PairScorer, verifier_model

if TYPE_CHECKING:
    import httpx

    from .resultcache import ResultCache
    from .store import Store

NO_SOURCES = "no sources: nothing was checked"
_EMPTY = Ranked((), (), {})
T = TypeVar("T")


def check_runs(
    runs: Sequence[ArticleRun],
    to_check: Sequence[ArticleRun],
    settings: Settings,
    store: Store | None,
    embedder: Embedder,
    client: httpx.AsyncClient | None,
    budget: Stopwatch,
    errors: list[str],
    note: Progress,
    results: ResultCache | None,
) -> list[ArticleReport]:
    """Every article's report in input order: `to_check` checked here, the others from the cache."""
    unique = list(dict.fromkeys(ref for state in to_check for ref in state.refs))
    downloads = not settings.offline and any(ref.file is None for ref in unique)
    warm = getattr(embedder, "warm", None)
    preload = _InBackground(warm) if warm is not None and downloads else None
    note("fetching", 0, len(unique))
    fetched = dict(zip(unique, fetch_pages(unique, settings, store, client), strict=True))
    note("fetching", len(unique), len(unique))
    if preload is not None:
        preload.join()
    entail = entailment_model(settings.entail_model)
    support = verifier_model(settings.verifier)
    # the pair models' sessions load beside the page reading instead of on this thread at first use
    loading = _InBackground(functools.partial(_warm, entail, support))
    # pages are read and planned article by article while the model embeds (outside the GIL) the
    # texts already planned; then this thread finds the attributions while the embedding finishes
    stopping = threading.Event()  # set when this thread fails: the embedding stops after its batch
    embedding = _EmbeddingQueue(embedder, stopping)
    try:
        documents: dict[SourceRef, Document | Skipped] = {}
        seconds: dict[SourceRef, float] = {}
        for state in to_check:
            for ref in state.refs:
                if ref not in documents:
                    documents[ref], seconds[ref] = _read_page(fetched[ref], settings.article_timeout)
            budget.charge(state.article.path, sum(seconds[r] for r in state.refs))  # its sources' reading
            read = [documents[r] for r in state.refs]
            state.documents = [d for d in read if isinstance(d, Document)]
            state.skipped = [d for d in read if isinstance(d, Skipped)] + state.over_limit
            _in_budget(
                budget, state, functools.partial(_plan_and_queue, state, settings.prefilter, embedding)
            )
        embedding.close()
        for state in to_check:
            state.credited = _in_budget(
                budget, state, functools.partial(find_attributions, state.article, state.documents)
            )
    except BaseException:
        stopping.set()
        embedding.close()
        raise
    finally:
        fetched.clear()  # the raw pages: only their extracted text is used from here

    try:
        loading.join()
        reports = _check_all(
            runs, settings, embedder, embedding, budget, errors, note, results, entail, support
        )
    except BaseException:
        stopping.set()
        raise
    embedding.join()
    return reports


def _check_all(
    runs: Sequence[ArticleRun],
    settings: Settings,
    embedder: Embedder,
    embedding: _EmbeddingQueue,
    budget: Stopwatch,
    errors: list[str],
    note: Progress,
    results: ResultCache | None,
    entail: EntailmentScorer | None,
    support: PairScorer | None,
) -> list[ArticleReport]:
    """Each article's report in input order, judged as soon as its own texts are embedded."""
    reports: list[ArticleReport] = []
    for n, state in enumerate(runs, 1):
        if state.cached is not None:
            reports.append(state.cached)
        elif state.not_checked:
            errors.append(state.not_checked)
        else:
            embedding.wait(state.queued)  # its texts are embedded (later ones may still be going)
            try:
                with budget.run(state.article.path):
                    report = check_article(
                        state.article,
                        state.documents,
                        state.skipped,
                        settings,
                        embedder,
                        state.credited,
                        entail,
                        claims=state.claims,
                        plan=state.plan,
                        support=support,
                    )
                state.plan = None  # its pool and BM25 index are not needed again
            except OverBudget as exc:
                errors.append(not_checked_message(state.article.path, exc))
            else:
                reports.append(report)
                if results is not None:
                    results.save(state.article, state.refs, state.over_limit, report)
        note("checking", n, len(runs))
    return reports


def _in_budget(budget: Stopwatch, state: ArticleRun, stage: Callable[[], T]) -> T | None:
    """A stage of one article within its time budget; past it, the article is marked not checked.

    None, and the stage not run, once the article is marked (its budget spent in a stage before).
    """
    if state.not_checked:
        return None
    try:
        with budget.run(state.article.path):
            return stage()
    except OverBudget as exc:
        state.not_checked = not_checked_message(state.article.path, exc)
        return None


def check_article(
    article: Article,
    documents: Sequence[Document],
    skipped: Sequence[Skipped],
    settings: Settings,
    embedder: Embedder,
    credited: tuple[list[Attribution], list[Finding]] | None = None,
    entail: EntailmentScorer | None = None,
    claims: Sequence[Claim] | None = None,
    plan: Plan | None = None,
    support: PairScorer | None = None,
) -> ArticleReport:
    """Claims, evidence, verdicts and attribution findings (found here unless given) for one article.

    `entail`: the sentence-pair entailment model the judge reads aligned sentences with (if any).
    `claims`: the article's claims when the caller has split them already; `plan`: their BM25
    stage, when the caller has made it (from the same claims, documents and prefilter).
    `support`: the learned verifier that decides support (verify/verifier.py), if any.
    """
    claims = split_claims(article) if claims is None else claims
    attributions, findings = credited if credited is not None else find_attributions(article, documents)
    if not documents:
        # nothing to check against: say so once, instead of calling every claim unsupported (and a
        # network outage is not the article's fault: its claims are not checked, not unsupported)
        hint = (
            f"none of its {len(skipped)} source(s) could be read; see the skipped sources"
            if skipped
            else "name sources in front matter, as links, or with --source"
        )
        notice = Finding("sources.none", "warning", f"{NO_SOURCES} ({hint})", 0, 0, 1, 1)
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
            skipped=tuple(skipped),
            attributions=tuple(attributions),
        )
    pool = plan.pool if plan is not None else pool_sentences(documents)
    shown = settings.top_k
    ranked = match(
        claims, documents, embedder, top_k=max(shown, WINDOW_TOP), prefilter=settings.prefilter, plan=plan
    )
    sources = source_infos(documents)
    results = []
    for claim in claims:
        best = ranked.get(claim.id, _EMPTY)
        read = replace(best, evidence=best.evidence[:WINDOW_TOP], pool_ids=best.pool_ids[:WINDOW_TOP])
        result = judge(claim, read, pool, sources=sources, entailment=entail, support=support)
        # the judge always reads the window it was calibrated on; --top-k only sets what is shown
        results.append(replace(result, evidence=best.evidence[:shown]) if result.evidence else result)
    rewrite = rewrite_diff(article, claims, documents, results, embedder, attributions)
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


class _EmbeddingQueue:
    """Embeds, on its own thread, the texts articles queue, in shared batches of EMBED_BATCH.

    Each distinct text is sent once; the vectors land in the embedder's cache, where `match`
    finds them. `wait(n)` returns once the texts of the first n articles queued are embedded, so
    the first articles are judged while the model embeds the texts of the later ones. Without a
    cache nothing is embedded here (`match` would embed everything again).
    """

    def __init__(self, embedder: Embedder, stopping: threading.Event) -> None:
        self.embedder = embedder if isinstance(embedder, CachedEmbedder) else None
        self.stopping = stopping
        self.pending: queue.SimpleQueue[list[str] | None] = queue.SimpleQueue()
        self.closed = False
        self.queued = 0  # articles queued (put) so far
        self.embedded = 0  # of these, how many have all their texts embedded
        self.ready = threading.Condition()
        self.finished = False  # the embedding thread has ended (done, stopped or failed)
        self.worker = _InBackground(self._run) if self.embedder is not None else None

    def put(self, texts: list[str]) -> int:
        """Queue one article's texts; its number for `wait`."""
        self.queued += 1
        self.pending.put(texts if self.worker is not None else None)
        return self.queued

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.pending.put(None)

    def wait(self, article: int) -> None:
        """Until the texts of the first `article` articles are embedded; re-raises what the
        embedding raised."""
        if self.worker is None:
            return
        with self.ready:
            self.ready.wait_for(lambda: self.embedded >= article or self.finished)
        if self.worker.error is not None:
            raise self.worker.error

    def join(self) -> None:
        if self.worker is not None:
            self.worker.join()

    def _run(self) -> None:
        try:
            self._embed()
        finally:
            with self.ready:
                self.finished = True
                self.ready.notify_all()

    def _embed(self) -> None:
        assert self.embedder is not None
        position: dict[str, int] = {}  # each distinct text's place in the stream sent to the model
        stream: list[str] = []
        ends: list[int] = []  # per article queued: the stream length once all its texts are embedded
        sent = 0  # texts of the stream embedded so far
        while True:
            texts = self.pending.get()
            if texts is not None:
                for text in texts:
                    if text not in position:
                        position[text] = len(stream)
                        stream.append(text)
                ends.append(max((position[t] + 1 for t in texts), default=0))
            closing = texts is None and self.closed
            while len(stream) - sent >= EMBED_BATCH or (closing and sent < len(stream)):
                if self.stopping.is_set():
                    return
                batch = stream[sent : sent + EMBED_BATCH]
                self.embedder.encode(batch)
                sent += len(batch)
                self._done(ends, sent)
            self._done(ends, sent)
            if closing:
                return

    def _done(self, ends: list[int], sent: int) -> None:
        done = self.embedded
        while done < len(ends) and ends[done] <= sent:
            done += 1
        if done != self.embedded:
            with self.ready:
                self.embedded = done
                self.ready.notify_all()


def _warm(*models: object) -> None:
    for model in models:
        warm = getattr(model, "warm", None)
        if warm is not None:
            warm()


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


def _read_page(result: Fetched | Skipped, limit: float) -> tuple[Document | Skipped, float]:
    """A page's Document (or why it is skipped) and the seconds its reading took.

    A page gets at most `limit` seconds (the budget of one article): past it, it is skipped.
    The seconds count against the budget of every article that cites the page, so an article
    whose pages took its whole budget to read is not checked.
    """
    started = time.monotonic()
    try:
        with time_budget(limit):
            document = _to_document(result)
    except OverBudget:
        document = Skipped(result.ref, f"reading the page took longer than {limit:g} s (article-timeout)")
    return document, time.monotonic() - started  # on a thread without a timer it may pass `limit`


def _plan_and_queue(state: ArticleRun, prefilter: int, embedding: _EmbeddingQueue) -> None:
    """Split the article's claims, plan its BM25 stage and queue its texts for the model."""
    state.claims = split_claims(state.article)
    state.plan = Plan(state.claims, state.documents, prefilter)
    state.queued = embedding.put(state.plan.texts)


def _to_document(result: Fetched | Skipped) -> Document | Skipped:
    document = extract_or_skip(result)
    if isinstance(document, Skipped):
        return document
    if not document.sentences:
        return Skipped(result.ref, "the page has no readable text")
    return document
