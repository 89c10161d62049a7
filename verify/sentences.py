"""Rule-based sentence segmentation with character offsets, shared by claims, extract and attribution.

`split_spans` (claims, extract): a period ends a sentence unless it belongs to an abbreviation
("Dr.", "Pte Ltd., a ..."), an initial ("J. Smith"), an initialism ("U.S.") followed by a
non-starter word, a month before a day ("Oct. 25"), or a decimal ("$1.2 billion"). Quotes and
brackets that close a sentence stay with it. Blank lines always end a sentence.

`split_at_capitals` (attribution) cuts finer: at every end mark before a capital or a digit,
inside a quotation too, so the credit parser reads each quoted sentence on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Abbreviations after which a period does not end a sentence (compared lower-case, no dot).
TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "cmdr",
    "adm",
    "maj",
    "rev",
    "fr",
    "st",
    "mt",
    "hon",
    "pres",
    "supt",
    "insp",
    "messrs",
    "mme",
    "mlle",
    "sr",
    "jr",
    "ft",
    "no",
    "nos",
    "vol",
    "vols",
    "p",
    "pp",
    "fig",
    "figs",
    "eq",
    "ch",
    "art",
    "sec",
    "approx",
    "est",
    "dept",
    "univ",
    "assn",
    "bros",
    "vs",
    "v",
    "etc",
    "al",
    "cf",
    "ca",
    "viz",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "ave",
    "blvd",
    "rd",
    "hwy",
    "inc",
    "ltd",
    "co",
    "corp",
    "plc",
    "llc",
    "pte",
    "bhd",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "pty",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "ph.d",
    "m.d",
    "b.a",
    "m.a",
}
# These may end a sentence when a capitalised word follows ("... Space Faculty Pte Ltd. The firm").
COMPANY_SUFFIXES = {"inc", "ltd", "co", "corp", "plc", "llc", "bhd", "gmbh", "ag", "sa", "nv", "pty", "etc"}
MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# Words that start a new sentence even right after an initialism such as "U.S.".
STARTERS = {
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "however",
    "meanwhile",
    "there",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "as",
    "after",
    "before",
    "when",
    "while",
    "if",
    "although",
    "since",
    "for",
    "with",
    "by",
    "from",
    "to",
    "of",
    "some",
    "many",
    "most",
    "all",
    "one",
    "two",
    "three",
}

# The lookbehind starts a candidate only at the first mark of a run, so a run of 80,000 dots
# is scanned once (linear), not once from each of its dots (quadratic).
_CANDIDATE = re.compile(r"(?<![.!?\u2026])[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n[ \t\r]*\n\s*")
_WORD_BEFORE = re.compile(r"([\w.&'-]+)$")
_NEXT_WORD = re.compile(r"\s*[\"'\u201c\u2018(\[]*([\w$€£¥%-]+)")


def split_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each sentence of text[start:end], trimmed of surrounding white space."""
    end = len(text) if end is None else end
    begin = start
    for match in _CANDIDATE.finditer(text, start, end):
        if match.group().startswith("\n"):
            cut = match.start()
        elif _is_boundary(text, match.start(), match.end(), end) and not _inside_quote(
            text, begin, match.end(), end
        ):
            cut = match.end()
        else:
            continue
        span = _trim(text, begin, cut)
        if span:
            yield span
        begin = cut
    span = _trim(text, begin, end)
    if span:
        yield span


def split(text: str) -> list[str]:
    """The sentences of `text` as strings."""
    return [text[a:b] for a, b in split_spans(text)]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _inside_quote(text: str, begin: int, at: int, limit: int) -> bool:
    """True when `at` sits inside a quotation that closes later in the same paragraph."""
    opened = text.count("\u201c", begin, at) - text.count("\u201d", begin, at)
    straight = text.count('"', begin, at) % 2
    if opened <= 0 and not straight:
        return False
    window_end = min(limit, at + 400)
    paragraph_end = text.find("\n\n", at, window_end)
    window_end = paragraph_end if paragraph_end != -1 else window_end
    closer = "\u201d" if opened > 0 else '"'
    return text.find(closer, at, window_end) != -1


def _is_boundary(text: str, mark_start: int, mark_end: int, limit: int) -> bool:
    marks = text[mark_start:mark_end]
    if not marks.startswith("."):
        return True  # ! ? and ellipsis
    before = _WORD_BEFORE.search(text, max(0, mark_start - 60), mark_start)
    word = before.group(1) if before else ""
    nxt = _NEXT_WORD.match(text, mark_end, limit)
    next_word = nxt.group(1) if nxt else ""
    if not next_word:
        return True
    lowered = word.lower().rstrip(".")
    bare = lowered.split("-")[-1]
    if next_word[0].islower():
        return False  # "Pte Ltd., a Singapore-based ..." or "approx. five"
    if bare in MONTHS and next_word[0].isdigit():
        return False  # "Oct. 25"
    if bare in COMPANY_SUFFIXES:
        return True
    if bare in TITLES:
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. Smith"
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return next_word.lower() in STARTERS  # "U.S. officials" vs "the U.S. The next"
    return True


# The attribution parser's cut (`split_at_capitals`) and its name runs do not stop after these.
# fmt: off
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gov", "sen", "rep", "st", "jr", "sr", "gen", "lt", "col", "capt",
    "sgt", "dist", "atty", "ald", "inc", "ltd", "co", "corp", "no", "vs", "etc", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "calif", "mass", "fla", "ill", "pa",
    "va", "wash", "rev", "hon", "u.s", "u.k", "e.g", "i.e", "mt", "ft", "approx", "dept", "univ", "pte",
})
# fmt: on
# A paragraph: a run of lines without a blank line between them.
PARAGRAPH = re.compile(r"\S(?:[^\n]|\n(?![ \t]*(?:\n|$)))*")
_CAPITAL_END = r"[.!?]+[\"”’')\]]*\s+(?=(?:''|[\"“‘'(\[])?[A-Z0-9])"
# Only at the first mark of a run: a run of 80,000 dots is scanned once, not once per dot.
_CAPITAL_END_RUN = re.compile("(?<![.!?])" + _CAPITAL_END)
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.$")


def split_at_capitals(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], cut at every end mark before a capital or a digit.

    The cut the attribution parser needs: inside quotations too ('"We won. We are strong," Roe said' is
    two sentences), never after an abbreviation of `ABBREVIATIONS`, an initial or an initialism, and
    never before a lowercase word. Spans keep their leading white space and lose their trailing one.
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    for m in _CAPITAL_END_RUN.finditer(text, start, end):
        before = _WORD_BEFORE_DOT.search(text[max(pos, m.start() - 80) : m.start() + 1])  # bounded: linear
        if text[m.start()] == "." and before:
            word = before.group(1).lower()
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                continue
        cut = m.end() - len(m.group()) + len(m.group().rstrip())
        out.append((pos, cut))
        pos = m.end()
    tail = text[pos:end].rstrip()
    if tail.strip():
        out.append((pos, pos + len(tail)))
    return out
