"""Findings for the changes of a rewrite diff, at the rewrite's words; counts per kind of pair."""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Claim, Finding, RewriteDiff
from ..rules import RULES

# pair kind -> rule (dropped sentences are not in the rewrite: nothing to point at, no finding)
RULE_OF_KIND = {
    "fact-changed": "rewrite.fact-changed",
    "meaning-changed": "rewrite.meaning-changed",
    "attribution-changed": "rewrite.attribution-changed",
    "added": "rewrite.added",
}


def rewrite_findings(diff: RewriteDiff, claims: Sequence[Claim]) -> list[Finding]:
    """One finding per change of an aligned pair, and per added unsupported claim, at the rewrite's words."""
    by_id = {c.id: c for c in claims}
    where = "the likely original" if diff.detected else "the original"
    found = []
    for pair in diff.pairs:
        if pair.kind == "dropped":
            continue  # not in the rewrite: nothing to point at (listed in the reports)
        first = by_id.get(pair.rewrite[0]) if pair.rewrite else None
        if first is None:
            continue
        if pair.kind == "added":
            if not pair.claim or pair.note.startswith("supported by"):
                continue
            rule = RULES[RULE_OF_KIND["added"]]
            found.append(
                Finding(
                    rule.id,
                    rule.severity,
                    f"Not in {where} ({diff.original}): {pair.note}",
                    first.start,
                    first.end,
                    first.line,
                    first.column,
                    claim_id=first.id,
                )
            )
            continue
        last = by_id.get(pair.rewrite[-1], first)
        for change in pair.changes:
            kind: str = {
                "speaker": "attribution-changed",
                "figure": "fact-changed",
                "date": "fact-changed",
                "name": "fact-changed",
            }.get(change.kind, "meaning-changed")
            rule = RULES[RULE_OF_KIND[kind]]
            suggestion = f"{where} reads: {pair.original_text}"
            found.append(
                Finding(
                    rule.id,
                    rule.severity,
                    f"Changed from {where}: {change.message}",
                    first.start,
                    max(last.end, first.end),
                    first.line,
                    first.column,
                    suggestion,
                    first.id,
                )
            )
    return found
