"""What a run reports: claim verdicts as findings, severity overrides, inline suppressions, baseline.

The pipeline's ArticleReport is left as computed (and as cached); this module decides, per run
and per config, which findings are shown, at which level, and which fail the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from .models import ArticleReport, ClaimResult, Finding, Report
from .rules import RULES, VERDICT_TEXT, rank, rule_matches
from .suppress import apply_suppressions, parse_directives
from .text import clip as _clip

if TYPE_CHECKING:
    from .baseline import Baseline
    from .config import Settings

SuppressionKind = Literal["inSource", "external"]


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    kind: SuppressionKind  # inSource: a verify-disable comment; external: the baseline file
    justification: str = ""


@dataclass(frozen=True)
class Outcome:
    """One article's result as this run reports it."""

    item: ArticleReport
    findings: tuple[Finding, ...]  # attribution and claim findings, severities applied, by position
    suppressed: tuple[Suppressed, ...] = ()


def level_for(rule: str, default: str, overrides: Sequence[tuple[str, str]]) -> str:
    """The most specific override wins (exact rule over prefix over `*`); later entries break ties."""
    best, best_len = default, -1
    for pattern, level in overrides:
        if rule_matches(pattern, rule):
            specificity = 10_000 if pattern == rule else len(pattern.removesuffix(".*").strip("*"))
            if specificity >= best_len:
                best, best_len = level, specificity
    return best


def claim_finding(result: ClaimResult) -> Finding | None:
    """A problem verdict as a finding that points at the whole claim."""
    text = VERDICT_TEXT[result.verdict]
    if not text.rule:
        return None
    rule = RULES[text.rule]
    c = result.claim
    message = f"{text.finding} (score {result.score:.2f})"
    if result.reason:
        message += f": {result.reason}"
    suggestion = ""
    if result.evidence and result.evidence[0].text not in result.reason:
        best = result.evidence[0]
        suggestion = f"closest evidence ({best.source}): {_clip(best.text, 300)}"
    return Finding(rule.id, rule.severity, message, c.start, c.end, c.line, c.column, suggestion, c.id)


def all_findings(item: ArticleReport) -> list[Finding]:
    """Attribution findings and claim findings, by position in the article."""
    found = list(item.findings)
    found += [f for r in item.results if (f := claim_finding(r)) is not None]
    return sorted(found, key=lambda f: (f.start, f.rule))


def graded(findings: Iterable[Finding], overrides: Sequence[tuple[str, str]]) -> list[Finding]:
    """Findings at their configured level; rules set to `off` are dropped."""
    out = []
    for f in findings:
        level = level_for(f.rule, f.severity, overrides)
        if level == "off":
            continue
        out.append(f if level == f.severity else replace(f, severity=level))  # type: ignore[arg-type]
    return out


def evaluate(report: Report, settings: Settings, baseline: Baseline | None = None) -> list[Outcome]:
    """Every article's reported findings after severities, inline suppressions and the baseline."""
    outcomes = []
    for item in report.articles:
        findings = graded(all_findings(item), settings.severity)
        directives = parse_directives(item.article.raw)
        findings, hidden = apply_suppressions(findings, directives, item.article)
        suppressed = [Suppressed(f, "inSource", why) for f, why in hidden]
        if baseline is not None:
            findings, known = baseline.split(item, findings)
            suppressed += [Suppressed(f, "external", "recorded in the baseline") for f in known]
        outcomes.append(Outcome(item, tuple(findings), tuple(suppressed)))
    return outcomes


def has_problems(outcomes: Iterable[Outcome], fail_on: str) -> bool:
    """True when a reported finding is at `fail_on` level or worse (`never`: never)."""
    if fail_on == "never":
        return False
    floor = rank("error") if fail_on == "error" else rank("warning")
    return any(rank(f.severity) >= floor for o in outcomes for f in o.findings)


def with_findings(report: Report, outcomes: Sequence[Outcome], *, claims: bool = True) -> Report:
    """The report whose articles carry the reported findings (claim.* ones only when `claims`)."""
    articles = tuple(
        replace(o.item, findings=tuple(f for f in o.findings if claims or not f.rule.startswith("claim.")))
        for o in outcomes
    )
    return replace(report, articles=articles)
