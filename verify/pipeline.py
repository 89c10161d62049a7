"""Run the stages in order: ingest, claims, sources, fetch, extract, match, judge, attribution."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from . import __version__
from .attribution import find_attributions
from .budget import OverBudget, Stopwatch
from .claims import split_claims
from .config import Settings
from .embed import CachedEmbedder, Embedder
from .entail import EntailmentModel, load_bundled
from .errors import InputError, UsageError
from .extract import extract_or_skip, hostname
from .fetch import fetch
from .ingest import load_article
from .judge import EntailmentScorer, SourceInfo, evidence_text, judge
from .match import Ranked, match, pool_sentences, texts_to_embed
from .models import (
    Article,
    ArticleReport,
    Attribution,
    Claim,
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
from .verifier import PairScorer, verifier_model

if TYPE_CHECKING:
    from .resultcache import ResultCache

Progress = Callable[[str, int, int], None]  # stage, done, total
NO_SOURCES = "no sources: nothing was checked"
_EMPTY = Ranked((), (), {})


@dataclass
class ArticleRun:
    """One article's state through `run`: its sources, then what each stage made of it."""

    article: Article
    refs: list[SourceRef]  # the sources to fetch
    over_limit: list[Skipped]  # refused local files and sources over the limit
    cached: ArticleReport | None = None  # the report reused from the result cache
    claims: list[Claim] = field(default_factory=list)  # split once, for the embedding and the check
    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    credited: tuple[list[Attribution], list[Finding]] | None = None
    not_checked: str = ""  # why it was not checked (its time budget ran out)


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
    errors: list[str] = []
    budget = Stopwatch(settings.article_timeout)
    articles: list[Article] = []
    for n, item in enumerate(inputs, 1):
        try:
            with budget.run(item.display):
                articles.append(load_article(item.path, item.display, settings.max_article_bytes))
        except InputError as exc:
            errors.append(str(exc))
        except OverBudget as exc:
            errors.append(_not_checked(item.display, exc))
        note("reading", n, len(inputs))

    runs = [ArticleRun(article, *_confined_and_limited(article, settings)) for article in articles]
    if results is not None:
        for state in runs:
            state.cached = results.lookup(state.article, state.refs, state.over_limit)
    to_check = [state for state in runs if state.cached is None]
    unique = list(dict.fromkeys(ref for state in to_check for ref in state.refs))
    downloads = not settings.offline and any(ref.file is None for ref in unique)
    warm = getattr(embedder, "warm", None)
    preload = _InBackground(warm) if warm is not None and to_check and downloads else None
    note("fetching", 0, len(unique))
    fetched = dict(zip(unique, fetch(unique, settings, store, client), strict=True)) if unique else {}
    note("fetching", len(unique), len(unique))
    documents: dict[SourceRef, Document | Skipped] = {
        ref: _to_document(result) for ref, result in fetched.items()
    }
    for state in to_check:
        state.documents = [d for r in state.refs if isinstance(d := documents[r], Document)]
        state.skipped = [d for r in state.refs if isinstance(d := documents[r], Skipped)] + state.over_limit
        with _in_budget(budget, state):
            state.claims = split_claims(state.article)
    if preload is not None:
        preload.join()
    # the model embeds (outside the GIL) while this thread finds the attributions
    stopping = threading.Event()  # set when this thread fails: the embedding stops after its batch
    embedding = _InBackground(lambda: _embed_in_batches(to_check, embedder, settings, stopping))
    try:
        for state in to_check:
            if not state.not_checked:
                with _in_budget(budget, state):
                    state.credited = find_attributions(state.article, state.documents)
    except BaseException:
        stopping.set()
        raise
    embedding.join()

    nli = NliScorer(settings.nli_model) if settings.nli_model else None
    entail = entailment_model(settings.entail_model)
    support = verifier_model(settings.verifier)
    reports = []
    for n, state in enumerate(runs, 1):
        if state.cached is not None:
            reports.append(state.cached)
        elif state.not_checked:
            errors.append(state.not_checked)
        else:
            try:
                with budget.run(state.article.path):
                    report = check_article(
                        state.article,
                        state.documents,
                        state.skipped,
                        settings,
                        embedder,
                        nli,
                        state.credited,
                        entail,
                        claims=state.claims,
                        support=support,
                    )
            except OverBudget as exc:
                errors.append(_not_checked(state.article.path, exc))
            else:
                reports.append(report)
                if results is not None:
                    results.save(state.article, state.refs, state.over_limit, report)
        note("checking", n, len(runs))
    return Report(
        articles=tuple(reports),
        model=embedder.name,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        version=__version__,
        errors=tuple(errors),
    )


@contextmanager
def _in_budget(budget: Stopwatch, state: ArticleRun) -> Iterator[None]:
    """A stage of one article within its time budget; past it, the article is marked not checked."""
    try:
        with budget.run(state.article.path):
            yield
    except OverBudget as exc:
        state.not_checked = _not_checked(state.article.path, exc)


def check_article(
    article: Article,
    documents: Sequence[Document],
    skipped: Sequence[Skipped],
    settings: Settings,
    embedder: Embedder,
    nli: NliScorer | None = None,
    credited: tuple[list[Attribution], list[Finding]] | None = None,
    entail: EntailmentScorer | None = None,
    claims: Sequence[Claim] | None = None,
    support: PairScorer | None = None,
) -> ArticleReport:
    """Claims, evidence, verdicts and attribution findings (found here unless given) for one article.

    `entail`: the sentence-pair entailment model the judge reads aligned sentences with (if any).
    `claims`: the article's claims when the caller has split them already.
    `support`: the learned verifier that decides support (verify/verifier.py), if any.
    """
    claims = split_claims(article) if claims is None else claims
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
    sources = [SourceInfo(d.label, d.published, cited_sources(d, documents)) for d in documents]
    results = [
        judge(
            claim,
            ranked.get(claim.id, _EMPTY),
            pool,
            entailment.get(claim.id),
            sources=sources,
            entail=entail,
            support=support,
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
    work: Sequence[ArticleRun],
    embedder: Embedder,
    settings: Settings,
    stopping: threading.Event | None = None,
) -> None:
    """Embed what every article will need in shared batches; the vectors land in the embedder's cache."""
    if not isinstance(embedder, CachedEmbedder):
        return  # without a cache the per-article calls would embed everything again
    texts = [t for state in work for t in texts_to_embed(state.claims, state.documents, settings.prefilter)]
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


@functools.lru_cache(maxsize=4)
def entailment_model(choice: str | None) -> EntailmentScorer | None:
    """The `entail-model` setting: None the bundled model (if shipped), "none" no model, else a folder."""
    if choice is None:
        return load_bundled()
    if choice.strip().lower() == "none":
        return None
    folder = Path(choice).expanduser()
    if not folder.is_dir():
        raise UsageError(f"entail-model: {choice} is not a folder (a model folder, or none)")
    return EntailmentModel(folder)


def cited_sources(document: Document, documents: Sequence[Document]) -> tuple[str, ...]:
    """The other sources a page names: by their site name, their host, or their full title."""
    own = {document.site, _host(document)}
    cited = []
    for other in documents:
        if other is document or other.label == document.label:
            continue
        names = [n for n in (other.site, _host(other)) if len(n) >= 3 and n not in own]
        if len(other.title.split()) >= 4:
            names.append(other.title)
        if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", document.text) for n in names):
            cited.append(other.label)
    return tuple(cited)


def _host(document: Document) -> str:
    return hostname(document.final_url or document.ref.url or "")
