"""Run the stages in order: ingest, sources, the result cache, then the checking (verify/checking.py).

What a warm run needs (reading the articles, their sources and the stored reports) is imported
here; the checking code (network, extraction, models) only when some article must be checked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from . import __version__
from .budget import OverBudget, Stopwatch
from .config import Settings
from .errors import InputError
from .ingest import load_article
from .models import (
    Article,
    ArticleReport,
    Attribution,
    Claim,
    Document,
    Finding,
    Report,
    Skipped,
    SourceRef,
)
from .sanitize import hide_credentials
from .selection import ArticleInput, LoadedArticles
from .selection import discover as discover  # re-exported: the CLI, tests and benchmarks import it from here
from .sources import collect_sources

if TYPE_CHECKING:
    import httpx

    from .embed import Embedder
    from .match import Plan
    from .resultcache import ResultCache
    from .store import Store

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass
class ArticleRun:
    """One article's state through `run`: its sources, then what each stage made of it."""

    article: Article
    refs: list[SourceRef]  # the sources to fetch
    over_limit: list[Skipped]  # refused local files and sources over the limit
    cached: ArticleReport | None = None  # the report reused from the result cache
    claims: list[Claim] = field(default_factory=list)  # split once, for the embedding and the check
    plan: Plan | None = None  # BM25 candidates, made once: its texts are embedded, then `match` uses it
    queued: int = 0  # its number in the embedding queue (0: not queued)
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
    loaded: LoadedArticles | None = None,
) -> Report:
    """Check every article; with `results`, unchanged articles are reused (no fetch, no embedding).

    When every article comes from the result cache, nothing is fetched or archived and no model is
    loaded (the CLI turns the result cache off for --archive and --replay). `loaded`: the articles
    this run has read already, with the seconds each took (the CLI reads them for their sources).
    """
    note = progress or (lambda stage, done, total: None)
    errors: list[str] = []
    budget = Stopwatch(settings.article_timeout)
    articles = _read_articles(inputs, settings, budget, errors, note, loaded or {})
    runs = [ArticleRun(article, *_confined_and_limited(article, settings)) for article in articles]
    if results is not None:
        found = results.lookup_all([(state.article, state.refs, state.over_limit) for state in runs])
        for state, cached in zip(runs, found, strict=True):
            state.cached = cached
    to_check = [state for state in runs if state.cached is None]
    if to_check:  # the checking code (network, extraction, models) is imported only when needed
        from .checking import check_runs

        reports = check_runs(runs, to_check, settings, store, embedder, client, budget, errors, note, results)
    else:
        reports = [state.cached for state in runs if state.cached is not None]
    return Report(
        articles=tuple(reports),
        model=embedder.name,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        version=__version__,
        errors=tuple(hide_credentials(e) for e in errors),  # reports are uploaded: no password in them
    )


def _read_articles(
    inputs: Sequence[ArticleInput],
    settings: Settings,
    budget: Stopwatch,
    errors: list[str],
    note: Progress,
    loaded: LoadedArticles,
) -> list[Article]:
    """The articles that could be read (each within its budget); why the others could not goes to errors."""
    articles: list[Article] = []
    for n, item in enumerate(inputs, 1):
        if item.refused and not settings.allow_any_file:  # a link out of the checked folder: never read
            errors.append(f"{item.display}: {item.refused}")
            note("reading", n, len(inputs))
            continue
        article, seconds = loaded.get(item.path, (None, 0.0))
        if article is not None:  # read before the run: its reading counts against its budget all the same
            budget.charge(item.display, seconds)
            articles.append(article)
            note("reading", n, len(inputs))
            continue
        try:  # unread yet, or unreadable before: read (again) here, so the run reports why
            with budget.run(item.display):
                article = load_article(item.path, item.display, settings.max_article_bytes)
            articles.append(article)  # not before the budget is checked: a worker thread checks on exit
        except InputError as exc:
            errors.append(str(exc))
        except OverBudget as exc:
            errors.append(not_checked_message(item.display, exc))
        note("reading", n, len(inputs))
    return articles


def not_checked_message(path: str, exc: OverBudget) -> str:
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
