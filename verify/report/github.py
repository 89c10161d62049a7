"""GitHub Actions workflow commands: one `::error|warning|notice file=...::message` line per finding.

Escaping follows the runner's rules: in the message `%`, CR and LF are percent-encoded; in
property values `:` and `,` are too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..localfiles import report_root
from ..models import Finding
from ..policy import Outcome
from ..rules import LEVELS
from ..sanitize import safe_text


def escape_data(text: str) -> str:
    """Also shows control and bidi characters as escapes: ESC never reaches the log raw."""
    return safe_text(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, f: Finding, end_line: int, end_column: int) -> str:
    props = [f"file={escape_property(path)}", f"line={f.line}"]
    if end_line == f.line:  # GitHub reads columns only on single-line annotations
        props += [f"col={f.column}", f"endLine={end_line}", f"endColumn={end_column}"]
    else:
        props.append(f"endLine={end_line}")
    props.append(f"title={escape_property(f'verify {f.rule}')}")
    message = f.message + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")
    level = LEVELS.get(f.severity)
    command = level.github if level is not None else "warning"
    return f"::{command} {','.join(props)}::{escape_data(message)}"


def render(
    outcomes: list[Outcome], base: Path | None = None, errors: Sequence[str] = (), skipped: Sequence[str] = ()
) -> str:
    """Annotations for the reported findings, then one `::error` per article that could not be read and
    one `::warning` per source that could not be used (a CI log then says why claims went unchecked)."""
    base = (base or report_root()).resolve()
    lines = []
    for outcome in outcomes:
        article = outcome.item.article
        path = _relative(article.path, base)
        for f in outcome.findings:
            end = max(f.start, f.end)
            while end > f.start + 1 and article.raw[end - 1 : end].isspace():
                end -= 1
            end_line, end_col = article.line_col(end) if end > f.start else (f.line, f.column)
            lines.append(annotation(path, f, end_line, end_col))
    lines += [f"::error title={escape_property('verify')}::{escape_data(e)}" for e in errors]
    lines += [f"::warning title={escape_property('verify')}::{escape_data(s)}" for s in skipped]
    return "".join(line + "\n" for line in lines)


def _relative(path: str, base: Path) -> str:
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return path
