"""SARIF 2.1.0: for GitHub code scanning and any other SARIF viewer.

Suppressed findings stay in the log with a `suppressions` entry (inSource for verify-disable
comments, external for the baseline), as the standard asks, so viewers can show them as closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..baseline import fingerprint
from ..localfiles import report_root
from ..models import Finding, Report
from ..policy import Outcome, Suppressed
from ..rules import LEVELS, PROJECT_URL, rule
from .json import dumps

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFO_URI = PROJECT_URL


def skipped_sources(report: Report) -> list[str]:
    """One line per source a run could not use, and why (once each, in report order)."""
    lines = [f"skipped source {s.ref.label}: {s.reason}" for item in report.articles for s in item.skipped]
    return list(dict.fromkeys(lines))


def to_sarif(report: Report, outcomes: list[Outcome], base: Path | None = None) -> dict[str, Any]:
    base = (base or report_root()).resolve()
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for outcome in outcomes:
        entries: list[tuple[Finding, Suppressed | None]] = [(f, None) for f in outcome.findings]
        entries += [(s.finding, s) for s in outcome.suppressed]
        for finding, suppression in sorted(entries, key=lambda p: (p[0].start, p[0].rule)):
            if finding.rule not in rules:
                rules[finding.rule] = _rule(finding, len(rules))
            result = _result(outcome, finding, rules[finding.rule]["_index"], base)
            if suppression is not None:
                entry: dict[str, Any] = {"kind": suppression.kind, "status": "accepted"}
                if suppression.justification:
                    entry["justification"] = suppression.justification
                result["suppressions"] = [entry]
            results.append(result)
    driver: dict[str, Any] = {
        "name": "verify",
        "version": report.version,
        "semanticVersion": report.version,
        "informationUri": INFO_URI,
        "rules": [{k: v for k, v in r.items() if k != "_index"} for r in rules.values()],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error}} for error in report.errors
                ]
                + [{"level": "warning", "message": {"text": text}} for text in skipped_sources(report)],
            }
        ],
        "results": results,
        "properties": {
            "model": report.model,
            "generatedAt": report.generated_at,
            "sources": _sources(report),
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, outcomes: list[Outcome], base: Path | None = None) -> str:
    return dumps(to_sarif(report, outcomes, base), indent=2) + "\n"


def _rule(finding: Finding, index: int) -> dict[str, Any]:
    """The registry's rule: its help, docs link and default level (the run's levels are on the results)."""
    r = rule(finding.rule, finding.severity)
    return {
        "_index": index,
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.help},
        "help": {"text": f"{r.help} See {r.url}", "markdown": f"{r.help} [Details]({r.url})"},
        "helpUri": r.url,
        "defaultConfiguration": {"level": _level(r.severity)},
        "properties": {"tags": [r.family]},
    }


def _level(severity: str) -> str:
    level = LEVELS.get(severity)
    return level.sarif if level is not None else "warning"


def _result(outcome: Outcome, f: Finding, rule_index: int, base: Path) -> dict[str, Any]:
    article = outcome.item.article
    end = max(f.start, f.end)
    while end > f.start + 1 and article.raw[end - 1 : end].isspace():
        end -= 1  # a span that ends with a newline would otherwise end on the next line
    end_line, end_col = article.line_col(end) if end > f.start else (f.line, f.column)
    region: dict[str, Any] = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": max(end_col, f.column + 1) if end_line == f.line else end_col,
        "charOffset": f.start,
        "charLength": max(0, end - f.start),
    }
    snippet = article.raw[f.start : end]
    if snippet:
        region["snippet"] = {"text": snippet}
    text = f.message + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": _level(f.severity),
        "message": {"text": text},
        "locations": [
            {"physicalLocation": {"artifactLocation": _artifact(article.path, base), "region": region}}
        ],
        "partialFingerprints": {"verifyFinding/v1": fingerprint(outcome.item, f, base)},
    }


def _sources(report: Report) -> list[dict[str, Any]]:
    """Provenance of every source read, once each: what the findings were checked against."""
    seen: dict[str, dict[str, Any]] = {}
    for item in report.articles:
        for d in item.documents:
            seen.setdefault(
                d.label,
                {
                    "url": d.label,
                    "title": d.title,
                    "authors": list(d.authors),
                    "published": d.published or None,
                    "site": d.site,
                    "language": d.language,
                },
            )
    return list(seen.values())


def _artifact(path: str, base: Path) -> dict[str, Any]:
    resolved = Path(path).resolve()
    try:
        relative = resolved.relative_to(base)
    except ValueError:
        return {"uri": resolved.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": "%SRCROOT%"}
