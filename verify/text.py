"""Small text helpers shared by the stages: the word tokeniser, the number-word table, clipping."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A word with its inner apostrophes and hyphens: "Roe's", "co-founder", "O’Brien".
WORD = re.compile(r"\w+(?:['’\-]\w+)*")


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


# Number words and the value they stand for; ordinals ("first") included.
NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}


def clip(text: str, limit: int = 160) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis when longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
