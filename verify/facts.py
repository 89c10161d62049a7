"""Typed facts in a sentence: dates, months, years, money, percentages, counts with their noun.

A claim's fact is compared only with a fact of the same type (and, for counts and durations,
the same noun) in an aligned evidence sentence: "28 kilometres" with "18 kilometres", never
with the "7-2" of a vote; "March 6–7" is one date range, not the numbers 6 and 7.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .numbers import Quantity, quantities
from .text import ORDINAL_WORDS, tokens

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?![\w])"
)
_DASH = r"\s*(?:-|–|—|to|until|through|and)\s*"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>1[0-9]{{3}}|20[0-9]{{2}})(?!\d)"
DATE_PATTERNS = [
    # 2017-01-31
    re.compile(r"\b(?P<year>1[0-9]{3}|20[0-9]{2})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    # March 6–7, 2017 / March 6, 2017 / March 6 / March 2017 / March 6 to March 7
    re.compile(
        _MONTH.format("month")
        + r"\s+"
        + _DAY.format("day")
        + r"(?:"
        + _DASH
        + r"(?:"
        + _MONTH.format("month2")
        + r"\s+)?"
        + _DAY.format("day2")
        + r")?(?![\d:])(?:,?\s+"
        + _YEAR.format("year")
        + r")?"
    ),
    # 6–7 March 2017 / 12 to 18 April / 31 January 2017
    re.compile(
        r"(?<![\d.,])"
        + _DAY.format("day")
        + r"(?:"
        + _DASH
        + _DAY.format("day2")
        + r")?\s+(?:of\s+)?"
        + _MONTH.format("month")
        + r"(?:,?\s+"
        + _YEAR.format("year")
        + r")?"
    ),
    # March 2017 / March of 2017
    re.compile(_MONTH.format("month") + r",?\s+(?:of\s+)?" + _YEAR.format("year")),
    # a month on its own
    re.compile(_MONTH.format("month")),
]
YEAR_RANGE = re.compile(r"\b(?P<year>1[0-9]{3}|20[0-9]{2})\s?[-–/]\s?(?:\d{2}|\d{4})\b")  # 2019–20, 1939-1945
MARKER = re.compile(r"[(\[]\d{1,3}[)\]]")  # "(3)", "[12]": a reference or list marker, not a figure
SCORE = re.compile(r"(?<![\w.,])\d{1,3}\s?[-–]\s?\d{1,3}(?![\w.,%])")  # a vote or a result: 7-2, 3–1
DECADE = re.compile(r"\b(?:1[0-9]|20)\d0s\b|\b'\d0s\b")
ORDINAL = re.compile(rf"\b(?P<n>\d+)(?:st|nd|rd|th)\b|\b(?P<w>{'|'.join(ORDINAL_WORDS)})\b", re.I)
DURATION_UNITS = {"year", "month", "week", "day", "hour", "minut", "second", "decad", "centuri", "season"}
UNIT_SKIP = {"more", "than", "about", "around", "nearly", "almost", "over", "some", "of", "the", "a", "an"}
MODALS_BEFORE_MAY = re.compile(r"(?:^|[.!?]\s+|\b(?:it|he|she|they|we|you|i|this|that|which|who)\s+)$", re.I)


@dataclass(frozen=True)
class Fact:
    """A typed value found in a sentence.

    kind: date | year | decade | money | percent | count | duration | ordinal
    For dates, `year`, `month`, `day` and `day_end` are set where written (0 = not written).
    `unit` is the stemmed noun after a count or duration ("kilometr", "flight").
    """

    kind: str
    text: str
    start: int
    end: int
    value: float = 0.0
    precision: float = 0.0
    year: int = 0
    month: int = 0
    day: int = 0
    day_end: int = 0
    unit: str = ""
    year_end: int = 0  # "1939–1945", "2019–20"

    def agrees(self, other: Fact) -> bool:
        """The other fact states the same value (at the coarser precision of the two)."""
        if self.kind in ("date", "year") and other.kind in ("date", "year"):
            return _date_agrees(self, other)
        if self.kind != other.kind and {self.kind, other.kind} != {"money", "count"}:
            return False
        if self.kind != other.kind and min(self.value, other.value) < 1e5:
            return False
        step = max(self.precision, other.precision)
        if step <= 0:
            return self.value == other.value
        return round(self.value / step) == round(other.value / step)

    def same_slot(self, other: Fact) -> bool:
        """Both facts are values of the same thing, so a different value is a conflict."""
        if self.kind in ("date", "year") and other.kind in ("date", "year"):
            return _date_comparable(self, other)
        if self.kind != other.kind:
            return False
        if self.kind in ("count", "duration", "ordinal"):
            return bool(self.unit) and self.unit == other.unit
        return True


def _date_agrees(a: Fact, b: Fact) -> bool:
    """Every part that both dates write is the same; a day (range) inside the other's range agrees."""
    if a.year and b.year and not _within(a.year, a.year_end, b.year, b.year_end):
        return False
    if a.month and b.month and a.month != b.month:
        return False
    if a.day and b.day and not _within(a.day, a.day_end, b.day, b.day_end):
        return False
    # the claim's parts must all be written in the other date
    return (not a.year or bool(b.year)) and (not a.month or bool(b.month)) and (not a.day or bool(b.day))


def _within(lo: int, hi: int, other_lo: int, other_hi: int) -> bool:
    """One range (a single value when `hi` is 0) lies inside the other."""
    hi, other_hi = hi or lo, other_hi or other_lo
    return (other_lo <= lo and hi <= other_hi) or (lo <= other_lo and other_hi <= hi)


def _date_comparable(a: Fact, b: Fact) -> bool:
    """Two dates can contradict when they write the same parts and agree on one of the others."""
    if a.kind == "year" or b.kind == "year":
        return a.kind == b.kind  # a bare year is compared with bare years only
    return bool(a.month and b.month and ((a.year and b.year) or (a.day and b.day)))


def facts(text: str) -> list[Fact]:
    """Every typed fact in `text`, left to right; dates and tallies claim their digits first."""
    found: list[Fact] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in taken)

    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            fact = _date(text, m)
            if fact is not None:
                found.append(fact)
                taken.append((m.start(), m.end()))
    for m in YEAR_RANGE.finditer(text):
        if free(m.start(), m.end()):
            year, tail = int(m.group("year")), re.split(r"[-–/]", m.group())[-1].strip()
            end_year = int(tail) if len(tail) == 4 else year // 100 * 100 + int(tail)
            found.append(
                Fact("year", m.group(), m.start(), m.end(), float(year), 1.0, year=year, year_end=end_year)
            )
            taken.append((m.start(), m.end()))
    for m in MARKER.finditer(text):
        taken.append((m.start(), m.end()))
    for m in SCORE.finditer(text):
        if free(m.start(), m.end()):
            taken.append((m.start(), m.end()))  # a tally is not a figure of anything else
    for m in DECADE.finditer(text):
        if free(m.start(), m.end()):
            found.append(Fact("decade", m.group(), m.start(), m.end(), value=float(m.group()[-5:-1] or 0)))
            taken.append((m.start(), m.end()))
    for m in ORDINAL.finditer(text):
        if free(m.start(), m.end()):
            n = int(m.group("n")) if m.group("n") else ORDINAL_WORDS[m.group("w").lower()]
            found.append(Fact("ordinal", m.group(), m.start(), m.end(), float(n), unit=_unit(text, m.end())))
            taken.append((m.start(), m.end()))
    for q in quantities(text):
        if not free(q.start, q.end):
            continue
        found.append(_from_quantity(text, q))
        taken.append((q.start, q.end))
    return sorted(found, key=lambda f: f.start)


def key_facts(text: str) -> list[Fact]:
    """Facts worth checking: dates, months, years, money, percentages, figures written with digits."""
    return [
        f
        for f in facts(text)
        if f.kind in ("date", "year", "money", "percent")
        or (f.kind in ("count", "duration") and f.text[:1].isdigit())
    ]


def _from_quantity(text: str, q: Quantity) -> Fact:
    if q.kind == "year":
        return Fact("year", q.text, q.start, q.end, q.value, 1.0, year=int(q.value))
    unit = _unit(text, q.end) if q.kind in ("count", "ratio") else ""
    kind = "duration" if unit in DURATION_UNITS and q.kind == "count" else q.kind
    return Fact(kind, q.text, q.start, q.end, q.value, q.precision, unit=unit)


def _unit(text: str, end: int) -> str:
    """The stemmed noun after a figure ("12 cargo flights" -> "flight"), skipping hedges and one adjective."""
    words = re.findall(r"[A-Za-z][\w-]*", text[end : end + 40])
    stems = [t for w in words[:3] if w.lower() not in UNIT_SKIP for t in tokens(w)][:2]
    if not stems:
        return ""
    # "12 cargo flights": the noun is the second word when the first is a modifier of it
    if len(stems) == 2 and stems[0] not in DURATION_UNITS and _looks_plural(words, stems[1]):
        return stems[1]
    return stems[0]


def _looks_plural(words: Sequence[str], stem: str) -> bool:
    return any(w.lower().endswith("s") and tokens(w) == [stem] for w in words[1:3])


def _date(text: str, m: re.Match[str]) -> Fact | None:
    groups = m.groupdict()
    month = 0
    if groups.get("mnum"):
        month = int(groups["mnum"])
    elif groups.get("month"):
        word = groups["month"].rstrip(".")
        if word[0].islower():
            return None
        month = MONTHS.get(word.lower(), 0)
        if (
            word == "May"
            and not (groups.get("day") or groups.get("year"))
            and MODALS_BEFORE_MAY.search(text[: m.start()])
        ):
            return None  # "It may ..." at a sentence start, not the month
        if word.lower() in (
            "mar",
            "dec",
            "jan",
            "jun",
            "jul",
            "oct",
            "nov",
            "sep",
            "aug",
            "apr",
            "feb",
        ) and not (groups.get("day") or groups.get("year")):
            return None  # a bare abbreviation is too often something else
    if groups.get("month2") and MONTHS.get(groups["month2"].rstrip(".").lower()) != month:
        month2_range = True
    else:
        month2_range = False
    day = int(groups["day"]) if groups.get("day") else 0
    day_end = int(groups["day2"]) if groups.get("day2") else 0
    if (day and not 1 <= day <= 31) or (day_end and not (1 <= day_end <= 31 and day_end >= day)):
        return None
    if month2_range:
        day, day_end = 0, 0  # "March 30 to April 2": keep the first month, drop the days
    year = int(groups["year"]) if groups.get("year") else 0
    if not month:
        return None
    return Fact("date", m.group(), m.start(), m.end(), year=year, month=month, day=day, day_end=day_end)


def describe(fact: Fact) -> str:
    """The fact as written, for messages."""
    return " ".join(fact.text.split())
