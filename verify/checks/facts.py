"""The fact check: dates, years, money, percentages and counts of the claim against the evidence's facts."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..facts import Fact, counted_words, describe, facts, key_facts
from ..items import Conflict, Item, ItemCheck, ItemKind, KindRule, Line, Status, no_source
from ..text import tokens
from ..tuning import FACT_CONTEXT_WORDS

COVERAGE = "number_coverage"  # the judge's signal: share of the claim's figures and dates agreed
RELATIVE_YEAR = re.compile(r"\b(?:this|that|the same|last|next|the following|the previous) year\b", re.I)
# between two full dates of one sentence: they are the two ends of one period ("Apr 23, 2014 -
# May 23, 2014", "from 1 May 2019 to 3 June 2019"); "and" is left out: it also joins two dates
SPAN_JOIN = re.compile(r"\s*(?:-|–|—|to|through|until|till)\s*", re.I)
Day = tuple[int, int, int]  # year, month, day
T = TypeVar("T")


@functools.lru_cache(maxsize=50_000)
def _facts(text: str) -> tuple[Fact, ...]:
    return tuple(facts(text))


def _spans(text: str) -> tuple[tuple[Day, Day], ...]:
    """The periods a sentence gives as two full dates joined by a dash, "to", "through" or "until"."""
    dates = [f for f in _facts(text) if f.kind == "date" and f.year and f.month and f.day]
    spans = []
    for first, last in itertools.pairwise(dates):
        start, end = (first.year, first.month, first.day), (last.year, last.month, last.day_end or last.day)
        if SPAN_JOIN.fullmatch(text[first.end : last.start]) and start < end:
            spans.append((start, end))
    return tuple(spans)


def _by_source(lines: Sequence[Line], read: Callable[[str], Sequence[T]]) -> dict[str, list[T]]:
    """What `read` finds in each source's lines (its facts, its periods), by source."""
    found: dict[str, list[T]] = {}
    for line in lines:
        found.setdefault(line.source, []).extend(read(line.text))
    return found


def _in_a_span(fact: Fact, spans: Sequence[tuple[Day, Day]]) -> bool:
    """A date of the claim (a day, or a month) lies within a period the sentence gives by its two ends."""
    if fact.kind != "date" or not (fact.year and fact.month):
        return False
    first = (fact.year, fact.month, fact.day or 1)
    last = (fact.year, fact.month, (fact.day_end or fact.day) or 31)
    return any(start <= first and last <= end for start, end in spans)


def _stated_by_another(own: Sequence[Fact], fact: Fact, other: Fact) -> bool:
    """A source value that another figure or date of the claim states, the same value of the same
    kind, is that one's, not a rival of this one ("retired in 1996; served from 1997" against
    "served from 1997"; a year of the claim does not take a whole date of the source)."""
    return any(
        mine.kind == other.kind and mine.agrees(other) and other.agrees(mine)
        for mine in own
        if (mine.start, mine.end) != (fact.start, fact.end)
    )


def _fact_items(claim: str, window: Sequence[Line], everywhere: Sequence[Line]) -> list[Item]:
    by_source, spans = _by_source(window, _facts), _by_source(window, _spans)
    anywhere: dict[str, list[Fact]] | None = None
    own = _facts(claim)
    items = []
    in_words = counted_words(claim)
    loose = {(f.start, f.end) for f in in_words}
    for fact in key_facts(claim) + in_words:
        agreeing = tuple(
            source
            for source, found in by_source.items()
            if _supports(fact, found) or _in_a_span(fact, spans[source])
        )
        conflicts = tuple(
            Conflict(line.source, describe(other), line.text)
            for line in window
            if line.close and line.source not in agreeing
            for other in _facts(line.text)
            if fact.same_slot(other)
            and not fact.agrees(other)
            and not other.agrees(fact)
            and not _stated_by_another(own, fact, other)
            and _same_role(claim, fact, line.text, other)
            and not (fact.kind == "year" and RELATIVE_YEAR.search(line.text))
        )
        status: Status = "agreed" if agreeing else "conflict" if conflicts else "missing"
        if status != "agreed" and everywhere:
            anywhere = anywhere if anywhere is not None else _by_source(everywhere, _facts)
            stated = {source for source, found in anywhere.items() if _supports(fact, found)}
            conflicts = tuple(c for c in conflicts if c.source not in stated)  # the source says both
            if stated and not conflicts:
                status = "elsewhere"
        if (fact.start, fact.end) in loose and status != "conflict":
            continue  # a count in words counts only against another count of its noun
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
