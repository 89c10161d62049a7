"""JSON Lines: one JSON object per article, written as each batch finishes (archive-sized runs).

Each line is the article object of the JSON report (shared/eval/README.md) plus `cached` and
`suppressed`, as in `--format json`. Nothing is kept once written, so the coordinating process
holds only the batches in flight however large the archive. An unreadable article is reported on
stderr as it comes and as a line `{"error": "empty.md: the file is empty"}`, so a reader of the file
alone sees it too (as the JSON report's `errors`). Lines are in input order, serially or on Dask.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import Settings
from ..distributed import BatchResult, EmbedderFactory, iter_results
from ..errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from ..models import Report
from ..pipeline import ArticleInput
from ..policy import Outcome, evaluate, has_problems, with_findings
from ..sanitize import error_text
from .json import dumps, to_dict


def stream(
    inputs: Sequence[ArticleInput],
    settings: Settings,
    output: Path | None,
    *,
    no_baseline: bool = False,
    quiet: bool = True,
    factory: EmbedderFactory | None = None,
) -> int:
    """Check `inputs` in batches (on Dask with settings.workers/cluster) writing lines; the exit code."""
    known = None
    if settings.baseline is not None and not no_baseline:
        from ..baseline import load_baseline

        known = load_baseline(settings.baseline)
    results = iter_results(
        inputs, settings, workers=settings.workers, cluster=settings.cluster, factory=factory, quiet=quiet
    )
    problems = errors = False
    with _open(output) as out:
        for result in results:
            for error in result.errors:
                print(f"verify: error: {error_text(error)}", file=sys.stderr)
                out.write(dumps({"error": error_text(error)}, separators=(",", ":")) + "\n")
            errors = errors or bool(result.errors)
            outcomes = evaluate(Report(articles=tuple(result.reports)), settings, known)
            problems = problems or has_problems(outcomes, settings.fail_on)
            for line in lines(result, outcomes, cached=settings.result_cache):
                out.write(line)
            out.flush()
    return EXIT_USAGE if errors else EXIT_PROBLEMS if problems else EXIT_OK


def lines(result: BatchResult, outcomes: Sequence[Outcome], *, cached: bool = True) -> list[str]:
    report = with_findings(Report(articles=tuple(o.item for o in outcomes)), outcomes)
    hits = set(result.hits) if cached else set()
    out = []
    for entry, outcome in zip(to_dict(report)["articles"], outcomes, strict=True):
        entry["cached"] = outcome.item.article.path in hits
        entry["suppressed"] = [
            {"rule": s.finding.rule, "line": s.finding.line, "kind": s.kind, "justification": s.justification}
            for s in outcome.suppressed
        ]
        out.append(dumps(entry, separators=(",", ":")) + "\n")
    return out


def _open(output: Path | None) -> Any:
    if output is None:
        return contextlib.nullcontext(sys.stdout)
    from ..errors import UsageError
    from ..outputs import open_replacing

    try:  # a new file replaces the path: a link there is replaced, never written through
        return open(open_replacing(output), "w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
