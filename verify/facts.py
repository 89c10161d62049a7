"""Typed facts in a sentence: dates, months, years, money, percentages, counts with their noun.

The one place quantities are read ("$1.6 billion", "1.6bn", "US$1,600 million", "half",
"12 flights", "41.3%", "in 2008") and compared: two values agree when they are equal at the
coarser precision of the two, so "about $1.6 billion" agrees with "$1,600 million" but
"$3.6 billion" does not agree with "$3.5 billion".

A claim's fact is compared only with a fact of the same type (and, for counts and durations,
the same noun) in an aligned evidence sentence: "28 kilometres" with "18 kilometres", never
with the "7-2" of a vote; "March 6–7" is one date range, not the numbers 6 and 7.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .text import CARDINAL_WORDS, NUMBER_WORDS, ORDINAL_WORDS, tokens
from .tuning import MONEY_AS_COUNT, UNIT_TOLERANCE, UNIT_WINDOW_CHARS

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
# A year: four digits from 1000 to 2099 where a date or a range says it is one ("March 1492",
# "1939-1945"); a bare four-digit number is read as a year only from 1800 to 2100 (BARE_YEARS).
YEAR = r"1[0-9][0-9][0-9]|20[0-9][0-9]"  # no braces: the date patterns are str.format templates
BARE_YEARS = (1800, 2100)
_YEAR = rf"(?P<{{0}}>{YEAR})(?!\d)"
DATE_PATTERNS = [
    # 2017-01-31
    re.compile(rf"\b(?P<year>{YEAR})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
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
YEAR_RANGE = re.compile(rf"\b(?P<year>{YEAR})\s?[-–/]\s?(?:\d{{2}}|\d{{4}})\b")  # 2019–20, 1939-1945
MARKER = re.compile(r"[(\[]\d{1,3}[)\]]")  # "(3)", "[12]": a reference or list marker, not a figure
SCORE = re.compile(r"(?<![\w.,])\d{1,3}\s?[-–]\s?\d{1,3}(?![\w.,%])")  # a vote or a result: 7-2, 3–1
DECADE = re.compile(r"\b(?:1[0-9]|20)\d0s\b|\b'\d0s\b")
ORDINAL = re.compile(rf"\b(?P<n>\d+)(?:st|nd|rd|th)\b|\b(?P<w>{'|'.join(ORDINAL_WORDS)})\b", re.I)


@dataclass(frozen=True)
class Unit:
    """A unit of measure: its dimension, and value in base units = value x scale + offset."""

    dimension: str
    scale: float
    offset: float = 0.0


# Base units: the metre, the kilogram, the degree Celsius. Only units no other reading competes for:
# "m" may be millions, "pounds" money, "in" a preposition.
UNITS: dict[str, Unit] = {
    "km": Unit("length", 1000.0),
    "metre": Unit("length", 1.0),
    "cm": Unit("length", 0.01),
    "mile": Unit("length", 1609.344),
    "foot": Unit("length", 0.3048),
    "kg": Unit("mass", 1.0),
    "tonne": Unit("mass", 1000.0),
    "lb": Unit("mass", 0.45359237),
    "°C": Unit("temperature", 1.0),
    "°F": Unit("temperature", 5 / 9, -160 / 9),
}
UNIT_NAMES = {  # every way a unit is written (lower case), and its name in UNITS
    **dict.fromkeys(["km", "kilometre", "kilometres", "kilometer", "kilometers"], "km"),
    **dict.fromkeys(["metre", "metres", "meter", "meters"], "metre"),
    **dict.fromkeys(["cm", "centimetre", "centimetres", "centimeter", "centimeters"], "cm"),
    **dict.fromkeys(["mi", "mile", "miles"], "mile"),
    **dict.fromkeys(["ft", "foot", "feet"], "foot"),
    **dict.fromkeys(["kg", "kilogram", "kilograms", "kilogramme", "kilogrammes"], "kg"),
    **dict.fromkeys(["tonne", "tonnes", "metric ton", "metric tons"], "tonne"),
    **dict.fromkeys(["lb", "lbs"], "lb"),
    **dict.fromkeys(["°c", "ºc", "° c", "degrees celsius", "degree celsius", "degrees c"], "°C"),
    **dict.fromkeys(["°f", "ºf", "° f", "degrees fahrenheit", "degree fahrenheit", "degrees f"], "°F"),
}
MEASURE = re.compile(
    r"(?:\s|-)?(?P<unit>"
    + "|".join(re.escape(w) for w in sorted(UNIT_NAMES, key=len, reverse=True))
    + r")(?![\w])",
    re.I,
)


def _unit_name(written: str) -> str:
    return UNIT_NAMES[" ".join(written.lower().split())]


DURATION_UNITS = {"year", "month", "week", "day", "hour", "minut", "second", "decad", "centuri", "season"}
DIFFERENCE_AFTER = re.compile(r"\s+(?:more|fewer|less)\b", re.I)  # "8 more gold medals than ..."
UNIT_SKIP = {"more", "than", "about", "around", "nearly", "almost", "over", "some", "of", "the", "a", "an"}
MODALS_BEFORE_MAY = re.compile(r"(?:^|[.!?]\s+|\b(?:it|he|she|they|we|you|i|this|that|which|who)\s+)$", re.I)


SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "crore": 1e7,
    "lakh": 1e5,
}
FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "double": 2.0, "twice": 2.0, "triple": 3.0}
CURRENCY = r"(?:US\$|A\$|C\$|HK\$|S\$|\$|€|£|¥|₹|USD\s?|EUR\s?|GBP\s?|RMB\s?|CNY\s?|yuan\s)"
NUMBER = re.compile(
    rf"(?P<cur>{CURRENCY})?(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mln|bln|bn|mn|tn|crore|lakh|[kmb])\b)?"
    r"(?P<pct>\s?(?:%|percent|per cent))?",
    re.I,
)
WORD_NUMBER = re.compile(
    r"\b(?P<word>" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
    r"(?:\s(?P<scale>thousand|million|billion|trillion)\b)?",
    re.I,
)
FRACTION = re.compile(r"\b(?P<word>half|quarter|double|twice|triple)\b", re.I)


@dataclass(frozen=True)
class Quantity:
    """A number as written, before it becomes a typed `Fact`."""

    value: float
    kind: str  # money | percent | year | count | ratio
    text: str
    start: int
    end: int
    precision: float  # the value of one unit in the last written digit


def quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, left to right."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in NUMBER.finditer(text):
        scale_end = m.end("scale") if m.group("scale") else m.end("num")
        if _inside_word(text, m.start(), scale_end):
            continue
        raw = m.group("num").replace(",", "")
        value = float(raw)
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        precision = 10.0**-decimals
        scale_word = (m.group("scale") or "").lower()
        if scale_word in ("m", "b", "k") and not m.group("cur"):
            scale_word = ""  # "5 m" is more likely metres; only currency amounts take the bare letters
        scale = SCALES.get(scale_word, 1.0)
        end = m.end() if scale_word else m.end("num")
        if m.group("pct"):
            kind, end = "percent", m.end()
        elif m.group("cur"):
            kind = "money"
        elif not scale_word and not decimals and BARE_YEARS[0] <= value <= BARE_YEARS[1] and len(raw) == 4:
            kind = "year"
        else:
            kind = "count"
        if not decimals and not scale_word and value >= 1000 and "," in m.group("num"):
            precision = _trailing_zero_precision(raw)
        found.append(Quantity(value * scale, kind, text[m.start() : end], m.start(), end, precision * scale))
        taken.append((m.start(), end))
    for m in WORD_NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        word = m.group("word").lower()
        scale = SCALES.get((m.group("scale") or "").lower(), 1.0)
        found.append(Quantity(NUMBER_WORDS[word] * scale, "count", m.group(), m.start(), m.end(), scale))
    for m in FRACTION.finditer(text):
        found.append(
            Quantity(FRACTIONS[m.group("word").lower()], "ratio", m.group(), m.start(), m.end(), 0.0)
        )
    return sorted(found, key=lambda q: q.start)


def _inside_word(text: str, start: int, end: int) -> bool:
    """Digits that are part of a token like 'GPT-4', 'A320', 'COVID-19' or a date '2019-10-05'."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isalpha() or (before == "-" and start > 1 and text[start - 2].isalnum()) or after.isalpha()


def _trailing_zero_precision(raw: str) -> float:
    digits = raw.split(".")[0]
    zeros = len(digits) - len(digits.rstrip("0"))
    return 10.0 ** min(zeros, len(digits) - 1)


@dataclass(frozen=True)
class Fact:
    """A typed value found in a sentence.

    kind: date | year | decade | money | percent | count | duration | ordinal | measure
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
    dimension: str = ""  # a measure's: length | mass | temperature (its value and precision in base units)

    def agrees(self, other: Fact) -> bool:
        """The other fact states the same value (at the coarser precision of the two)."""
        if self.kind in ("date", "year") and other.kind in ("date", "year"):
            return _date_agrees(self, other)
        if {self.kind, other.kind} == {"measure", "count"}:  # "108 m" (m: maybe millions) and "108 metres"
            return _as_written(self).agrees(_as_written(other))
        if not self.same_kind(other):
            return False
        if self.kind == "measure" and self.unit != other.unit:
            return _converted_agrees(self, other)
        step = max(self.precision, other.precision)
        if step <= 0:
            return self.value == other.value
        return round(self.value / step) == round(other.value / step)

    def same_kind(self, other: Fact) -> bool:
        """Values of one kind: a date with a date, a figure with a figure of its type ("1.6bn" written
        without a currency is money when it is large enough)."""
        if self.kind in ("date", "year", "measure") or other.kind in ("date", "year", "measure"):
            return self.kind == other.kind and self.dimension == other.dimension
        if self.kind == other.kind:
            return True
        large = min(self.value, other.value) >= MONEY_AS_COUNT
        return large and {self.kind, other.kind} == {"money", "count"}

    def same_slot(self, other: Fact) -> bool:
        """Both facts are values of the same thing, so a different value is a conflict."""
        if self.kind in ("date", "year") and other.kind in ("date", "year"):
            return _date_comparable(self, other)
        if self.kind != other.kind:
            return False
        if self.kind in ("count", "duration", "ordinal"):
            return bool(self.unit) and self.unit == other.unit
        return self.dimension == other.dimension


def _as_written(fact: Fact) -> Fact:
    """A measure as the count it is written with ("28 km" -> 28); other facts as they are."""
    if fact.kind != "measure":
        return fact
    unit = UNITS[fact.unit]
    value, precision = (fact.value - unit.offset) / unit.scale, fact.precision / unit.scale
    return replace(fact, kind="count", value=value, precision=precision, dimension="")


def _converted_agrees(a: Fact, b: Fact) -> bool:
    """Measures in different units agree within the rounding of either or of a conversion in prose."""
    allowed = max(a.precision, b.precision) / 2, UNIT_TOLERANCE * max(abs(a.value), abs(b.value))
    return abs(a.value - b.value) <= max(allowed)


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
        fact = _from_quantity(text, q)
        found.append(fact)
        taken.append((fact.start, fact.end))
    return sorted(found, key=lambda f: f.start)


def key_facts(text: str) -> list[Fact]:
    """Facts worth checking: dates, months, years, money, percentages, figures written with digits
    (not a difference: "8 more medals" is no count of medals)."""
    return [
        f
        for f in facts(text)
        if f.kind in ("date", "year", "money", "percent")
        or (f.kind in ("count", "duration", "measure") and f.text[:1].isdigit() and not _difference(text, f))
    ]


def _difference(text: str, fact: Fact) -> bool:
    """A figure followed by "more", "fewer" or "less" states a difference, not the amount itself."""
    return bool(DIFFERENCE_AFTER.match(text, fact.end))


def counted_words(text: str) -> list[Fact]:
    """Counts written as words from two up, with the noun they count ("seven instruments", "three
    years"): a figure when a close sentence gives another count of that noun, but too often loose
    ("two of them", "a few") to insist that a source states it."""
    return [
        f
        for f in facts(text)
        if f.kind in ("count", "duration")
        and f.unit
        and CARDINAL_WORDS.get(f.text.lower(), 0) >= 2
        and not _difference(text, f)
    ]


def _from_quantity(text: str, q: Quantity) -> Fact:
    measure = MEASURE.match(text, q.end) if q.kind in ("count", "year") else None
    if measure is not None:
        name = _unit_name(measure.group("unit"))
        scale = UNITS[name]
        end = measure.end()
        value, precision = q.value * scale.scale + scale.offset, q.precision * scale.scale
        return Fact(
            "measure",
            text[q.start : end],
            q.start,
            end,
            value,
            precision,
            unit=name,
            dimension=scale.dimension,
        )
    if q.kind == "year":
        return Fact("year", q.text, q.start, q.end, q.value, 1.0, year=int(q.value))
    unit = _unit(text, q.end) if q.kind in ("count", "ratio") else ""
    kind = "duration" if unit in DURATION_UNITS and q.kind == "count" else q.kind
    return Fact(kind, q.text, q.start, q.end, q.value, q.precision, unit=unit)


def _unit(text: str, end: int) -> str:
    """The stemmed noun after a figure ("12 cargo flights" -> "flight"), skipping hedges and one adjective."""
    words = re.findall(r"[A-Za-z][\w-]*", text[end : end + UNIT_WINDOW_CHARS])
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
