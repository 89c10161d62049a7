"""The fact check: dates, years, money, percentages and counts of the claim against the evidence's facts."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ..facts import Fact, describe, facts, key_facts
from ..items import Conflict, Item, ItemCheck, ItemKind, KindRule, Line, Status, no_source
from ..text import tokens
from ..tuning import FACT_CONTEXT_WORDS

COVERAGE = "number_coverage"  # the judge's signal: share of the claim's figures and dates agreed
RELATIVE_YEAR = re.compile(r"\b(?:this|that|the same|last|next|the following|the previous) year\b", re.I)


@functools.lru_cache(maxsize=50_000)
def _facts(text: str) -> tuple[Fact, ...]:
    return tuple(facts(text))


def _by_source(lines: Sequence[Line]) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = {}
    for line in lines:
        found.setdefault(line.source, []).extend(_facts(line.text))
    return found


def _fact_items(claim: str, window: Sequence[Line], everywhere: Sequence[Line]) -> list[Item]:
    by_source = _by_source(window)
    anywhere: dict[str, list[Fact]] | None = None
    items = []
    for fact in key_facts(claim):
        agreeing = tuple(source for source, found in by_source.items() if _supports(fact, found))
        conflicts = tuple(
            Conflict(line.source, describe(other), line.text)
            for line in window
            if line.close and line.source not in agreeing
            for other in _facts(line.text)
            if fact.same_slot(other)
            and not fact.agrees(other)
            and not other.agrees(fact)
            and _same_role(claim, fact, line.text, other)
            and not (fact.kind == "year" and RELATIVE_YEAR.search(line.text))
        )
        status: Status = "agreed" if agreeing else "conflict" if conflicts else "missing"
        if status != "agreed" and everywhere:
            anywhere = anywhere if anywhere is not None else _by_source(everywhere)
            stated = {source for source, found in anywhere.items() if _supports(fact, found)}
            conflicts = tuple(c for c in conflicts if c.source not in stated)  # the source says both
            if stated and not conflicts:
                status = "elsewhere"
        kind: ItemKind = "date" if fact.kind in ("date", "year") else "figure"
        items.append(Item(kind, describe(fact), status, agreeing, conflicts))
    return items


def _supports(fact: Fact, others: Sequence[Fact]) -> bool:
    """Some fact of the sentence states the claim's value; a date may be stated in pieces."""
    if any(fact.agrees(o) for o in others):
        return True
    if fact.kind != "date":
        return False
    years = {y for o in others for y in range(o.year, (o.year_end or o.year) + 1) if o.year}
    months = {o.month for o in others if o.month}
    if (fact.year and fact.year not in years) or fact.month not in months:
        return False
    if not fact.day:
        return True
    return any(o.month == fact.month and o.day and _day_inside(fact, o) for o in others)


def _day_inside(fact: Fact, other: Fact) -> bool:
    lo, hi = fact.day, fact.day_end or fact.day
    return other.day <= lo and hi <= (other.day_end or other.day)


def _same_role(claim: str, fact: Fact, sentence: str, other: Fact) -> bool:
    """Dates sharing a part, counts of one noun and measures in one unit are one slot; other figures
    (measures in other units too) need shared words."""
    if fact.kind == "date" and other.kind == "date":
        shared = (fact.year and fact.year == other.year) or (fact.day and fact.day == other.day)
        return bool(shared) or bool(_context(claim, fact) & _context(sentence, other))
    if fact.kind in ("count", "duration", "ordinal") or (fact.kind == "measure" and fact.unit == other.unit):
        return True  # same_slot already required the same noun (or unit)
    return bool(_context(claim, fact) & _context(sentence, other))


def _context(text: str, fact: Fact, width: int = FACT_CONTEXT_WORDS) -> set[str]:
    before = [t for t in tokens(text[: fact.start]) if not t[0].isdigit()][-width:]
    after = [t for t in tokens(text[fact.end :]) if not t[0].isdigit()][:width]
    return set(before + after)


FACTS = ItemCheck(
    "fact",
    _fact_items,
    {  # the model is good at reading figures and dates in context: it may overrule their conflicts
        "figure": KindRule(no_source("no source gives the figure {}"), overrulable=True, coverage=COVERAGE),
        "date": KindRule(no_source("no source gives the date {}"), overrulable=True, coverage=COVERAGE),
    },
)
