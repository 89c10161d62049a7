"""Find quantities (money, percentages, counts, years) in text and compare them.

"$1.6 billion", "1.6bn", "US$1,600 million", "half", "12 flights", "41.3%", "in 2008".
Two values agree when they are equal at the coarser precision of the two, so "about
$1.6 billion" agrees with "$1,600 million" but "$3.6 billion" does not agree with "$3.5 billion".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import NUMBER_WORDS

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
    value: float
    kind: str  # money | percent | year | count | ratio
    text: str
    start: int
    end: int
    precision: float  # the value of one unit in the last written digit

    def comparable(self, other: Quantity) -> bool:
        """Same kind of quantity ("1.6bn" and "$1.6 billion" count as the same kind)."""
        if self.kind == other.kind:
            return True
        large = min(self.value, other.value) >= 1e5
        return large and {self.kind, other.kind} == {"money", "count"}

    def agrees(self, other: Quantity) -> bool:
        if not self.comparable(other):
            return False
        step = max(self.precision, other.precision)
        if step <= 0:
            return self.value == other.value
        return round(self.value / step) == round(other.value / step)


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
        elif not scale_word and not decimals and 1800 <= value <= 2100 and len(raw) == 4:
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


def key_quantities(text: str) -> list[Quantity]:
    """Quantities worth checking: money, percentages, years and counts written with digits."""
    return [q for q in quantities(text) if q.kind in ("money", "percent", "year") or q.text[:1].isdigit()]
