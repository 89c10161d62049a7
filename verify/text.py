"""The text foundation every stage shares: words, the ranker's stemmed tokens, stopwords, number and
ordinal words, clipping.

`tokenize` keeps words as written with their offsets (attribution, quotes); `tokens` gives the
lower-cased, stemmed content words that matching, alignment, facts, roles and the judge compare.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import snowballstemmer
from rapidfuzz.distance import OSA

# A word with its inner apostrophes and hyphens: "Roe's", "co-founder", "O’Brien".
WORD = re.compile(r"\w+(?:['’\-]\w+)*")
# A word in letters of any script, or a run of digits: "second-largest" is two words (word diffs).
LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")
# A token of `tokens`: lower-case letters and digits, a decimal or thousands part kept ("3.6", "1,600").
TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # offsets into the string the token was taken from
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def tokenize(text: str) -> list[Token]:
    """The words of `text` with their offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


# Number words and the value they stand for.
CARDINAL_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12,
}  # fmt: skip
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
# The words a quantity may be written with ("twelve flights", "the first"): ordinals up to tenth.
NUMBER_WORDS: dict[str, int] = CARDINAL_WORDS | {w: n for w, n in ORDINAL_WORDS.items() if n <= 10}

# Words `tokens` drops: function words, auxiliaries, pronouns and reporting verbs.
_STOPWORD_TEXT = """
    a an the and or but if of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when
    where why how all any both each few more most other some such no nor not only own same so than
    too very s t can will just don should now is are was were be been being have has had having do
    does did doing i me my we our you your he him his she her it its they them their what which who
    whom this that these those am as until while also would could may might must shall said says
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Number words `tokens` writes as digits, so "three flights" matches "3 flights".
_TOKEN_NUMBERS = {w: str(n) for w, n in CARDINAL_WORDS.items() if 1 <= n <= 12 and w != "dozen"} | {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
}
_STEMMER = snowballstemmer.stemmer("english")


def tokens(text: str) -> list[str]:
    """Lower-cased content words, stemmed (Snowball), with number words as digits."""
    return [_stem(tok) for tok in TOKEN.findall(text.lower()) if tok not in STOPWORDS]


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    if word[0].isdigit():
        return word
    return _TOKEN_NUMBERS.get(word) or _STEMMER.stemWord(word)


def spelling_edits(word: str) -> int:
    """Letter edits that still spell `word` nearly the same: one up to five letters, two from six."""
    return 1 if len(word) <= 5 else 2


def spelled_alike(word: str, other: str) -> bool:
    """The two words are spelt nearly the same: within `spelling_edits` of the longer one (a swapped
    pair of letters counts as one edit), case aside. The one such test for names ("Sands" and
    "Sanders", "Xiqiang" and "Ziqiang")."""
    a, b = word.lower(), other.lower()
    edits = spelling_edits(max(a, b, key=len))
    return abs(len(a) - len(b)) <= edits and OSA.distance(a, b, score_cutoff=edits) <= edits


def clip(text: str, limit: int = 160) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis when longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
