"""Report formats: one Formatter interface, chosen by name from `REGISTRY` (what --format accepts).

Add a format by writing a Formatter (its `render` returns the report's text) and listing it in
REGISTRY; `FORMATS` and the CLI's --format choices follow. Each format module is imported only
when its report is written, so `verify --help` stays fast.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import UsageError

if TYPE_CHECKING:
    from ..config import Settings
    from ..models import Report
    from ..policy import Outcome
    from ..resultcache import ResultCache


@dataclass(frozen=True)
class Rendering:
    """What a report is made from: the checked articles, their graded findings and how the run went."""

    report: Report
    outcomes: list[Outcome]
    results: ResultCache | None = None  # the result cache of the run (the JSON report's `cache` block)
    problems_only: bool = False  # terminal: list only claims with findings
    notes: Sequence[str] = field(default=())  # terminal: lines the summary adds
    settings: Settings | None = None  # the run's settings (claimreview: publisher, verdicts)


class Formatter:
    """A report format: `render` gives the text; `write` sends it to stdout or a file."""

    name: ClassVar[str]
    needs_output: ClassVar[bool] = False  # cannot go to stdout: --output FILE is required
    streams: ClassVar[bool] = False  # written article by article while the run goes (not through write)

    def render(self, run: Rendering) -> str:
        raise NotImplementedError

    def write(self, run: Rendering, output: Path | None) -> None:
        text = self.render(run)
        if output is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)


class Terminal(Formatter):
    name = "terminal"

    def render(self, run: Rendering) -> str:
        buffer = io.StringIO()
        self._render(run, buffer, color=False, width=120)
        return buffer.getvalue()

    def write(self, run: Rendering, output: Path | None) -> None:
        if output is None:  # rich picks colour and width for the terminal
            self._render(run)
        else:
            super().write(run, output)

    def _render(self, run: Rendering, *args: Any, **kwargs: Any) -> None:
        from ..policy import with_findings
        from .terminal import render

        shown = with_findings(run.report, run.outcomes)
        render(shown, *args, problems_only=run.problems_only, notes=run.notes, **kwargs)


class Json(Formatter):
    name = "json"

    def render(self, run: Rendering) -> str:
        """The JSON contract, plus per-article `cached`/`suppressed` and a `cache` block."""

        from ..policy import with_findings
        from .json import dumps, to_dict

        results = run.results
        data: dict[str, Any] = to_dict(with_findings(run.report, run.outcomes))
        hits = set(results.hits) if results else set()
        for entry, outcome in zip(data["articles"], run.outcomes, strict=True):
            entry["cached"] = outcome.item.article.path in hits
            entry["suppressed"] = [
                {
                    "rule": s.finding.rule,
                    "line": s.finding.line,
                    "kind": s.kind,
                    "justification": s.justification,
                }
                for s in outcome.suppressed
            ]
        data["cache"] = {
            "enabled": results is not None,
            "articles_from_cache": len(results.hits) if results else 0,
            "articles_checked": len(results.misses) if results else len(run.report.articles),
        }
        return dumps(data, indent=2) + "\n"


class Html(Formatter):
    name = "html"
    needs_output = True

    def render(self, run: Rendering) -> str:
        raise UsageError("--format html needs --output FILE.html")

    def write(self, run: Rendering, output: Path | None) -> None:
        """A folder of pages: the index at `output`, one page per article beside it."""
        if output is None:
            raise UsageError("--format html needs --output FILE.html")
        from ..policy import with_findings
        from .html import write_html

        check_writable(output)
        write_html(with_findings(run.report, run.outcomes, claims=False), output)


class Sarif(Formatter):
    name = "sarif"

    def render(self, run: Rendering) -> str:
        from .sarif import render

        return render(run.report, run.outcomes)


class GitHub(Formatter):
    name = "github"

    def render(self, run: Rendering) -> str:
        from .github import render
        from .sarif import skipped_sources

        return render(run.outcomes, errors=run.report.errors, skipped=skipped_sources(run.report))


class ClaimReview(Formatter):
    name = "claimreview"

    def render(self, run: Rendering) -> str:
        """schema.org ClaimReview JSON-LD, one review per claim with a published verdict."""
        from ..config import Settings
        from .claimreview import render

        return render(run.report, run.settings or Settings())


class JsonLines(Formatter):
    name = "jsonl"
    streams = True  # verify/report/jsonl.py writes each article's lines as soon as it is checked

    def render(self, run: Rendering) -> str:
        raise NotImplementedError("jsonl is streamed by verify.report.jsonl.stream")


# name -> formatter, in the order --help lists them
REGISTRY: dict[str, Formatter] = {
    f.name: f for f in (Terminal(), Json(), Html(), Sarif(), GitHub(), JsonLines(), ClaimReview())
}
FORMATS = tuple(REGISTRY)


def formatter(name: str) -> Formatter:
    """The formatter called `name` (one of FORMATS)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown report format {name!r} (one of {', '.join(FORMATS)})") from None


def check_writable(output: Path) -> None:
    """Refuse a report path that cannot be written, before any work."""
    from ..outputs import refuse_special

    refuse_special(output)
    if output.is_dir():
        raise UsageError(f"cannot write {output}: Is a directory")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write {output}: permission denied")


def write_text_atomic(output: Path, text: str) -> None:
    """Write through a temporary file so a failed write never leaves half a report."""
    from ..outputs import replace_with_text

    check_writable(output)
    try:
        replace_with_text(output, text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
