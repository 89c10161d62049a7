"""Inline suppressions written as HTML comments in the article (Markdown or HTML).

    <!-- verify-disable-next-line claim.unsupported -- confirmed by phone with the press office -->
    <!-- verify-disable attribution -->  ...  <!-- verify-enable -->

No rule means every rule. Several rules are separated by commas or spaces; a rule may be a
prefix (`attribution`, `attribution.*`). Text after ` -- ` is the justification (kept in SARIF).
`verify-disable-next-line` covers the next non-blank line; `verify-disable` covers everything
up to the next `verify-enable` naming one of its rules (or a bare `verify-enable`), or the end.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Article, Finding
from .rules import rule_matches

_DIRECTIVE = re.compile(
    r"<!--\s*verify-(?P<kind>disable-next-line|disable-line|disable|enable)(?![\w-])(?P<body>.*?)-->",
    re.DOTALL,
)


@dataclass(frozen=True)
class Directive:
    """Rules (empty: all) silenced over raw offsets [start, end) or over lines [first, last]."""

    rules: tuple[str, ...]
    start: int = 0
    end: int = 0
    first_line: int = 0
    last_line: int = 0
    justification: str = ""

    def covers(self, finding: Finding, last_line: int) -> bool:
        if self.rules and not any(rule_matches(r, finding.rule) for r in self.rules):
            return False
        if self.first_line:
            return finding.line <= self.last_line and last_line >= self.first_line
        return self.start <= finding.start < self.end


def parse_directives(raw: str) -> list[Directive]:
    """Every suppression comment of an article's raw text, resolved to what it covers."""
    if "verify-" not in raw:
        return []
    lines = raw.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    out: list[Directive] = []
    open_blocks: list[tuple[tuple[str, ...], int, str]] = []
    for m in _DIRECTIVE.finditer(raw):
        rules, why = _parse_body(m.group("body"))
        kind = m.group("kind")
        if kind == "disable-next-line":
            target = _line_of(starts, m.end() - 1) + 1
            while target <= len(lines) and not lines[target - 1].strip():
                target += 1
            out.append(Directive(rules, first_line=target, last_line=target, justification=why))
        elif kind == "disable-line":
            first, last = _line_of(starts, m.start()), _line_of(starts, m.end() - 1)
            out.append(Directive(rules, first_line=first, last_line=last, justification=why))
        elif kind == "disable":
            open_blocks.append((rules, m.end(), why))
        else:
            still_open = []
            for block_rules, start, block_why in open_blocks:
                closes = not rules or any(r in rules for r in block_rules)
                if closes:
                    out.append(Directive(block_rules, start, m.start(), justification=block_why))
                else:
                    still_open.append((block_rules, start, block_why))
            open_blocks = still_open
    out += [Directive(r, start, len(raw), justification=why) for r, start, why in open_blocks]
    return out


def apply_suppressions(
    findings: Sequence[Finding], directives: Sequence[Directive], article: Article
) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """(findings still reported, [(suppressed finding, justification)])."""
    if not directives:
        return list(findings), []
    kept: list[Finding] = []
    hidden: list[tuple[Finding, str]] = []
    for f in findings:
        last_line = article.line_col(max(f.start, f.end - 1))[0]
        hit = next((d for d in directives if d.covers(f, last_line)), None)
        if hit is None:
            kept.append(f)
        else:
            hidden.append((f, hit.justification))
    return kept, hidden


def _parse_body(body: str) -> tuple[tuple[str, ...], str]:
    parts = re.split(r"(?:^|\s)--(?:\s|$)", body.strip(), maxsplit=1)
    why = parts[1].strip() if len(parts) > 1 else ""
    rules = tuple(r for r in re.split(r"[,\s]+", parts[0]) if r)
    return (() if any(r in ("*", "all") for r in rules) else rules), why


def _line_of(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)
