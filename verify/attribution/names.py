"""Name shapes: runs of name words, titles before names, glued names, people's names vs organisations."""

from __future__ import annotations

import re
import unicodedata

from verify.lexicon import NOT_NAMES, PARTICLES, TITLE_WORDS, org_like, person_like
from verify.sentences import ABBREVIATIONS
from verify.text import WORD, tokenize

_CAMEL_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")


_NAME_RUN = re.compile(r"\b([A-Z][a-z][\w\-]*(?:['’][A-Za-z][\w\-]*)?(?:\s+[A-Z][a-z][\w'’\-]*){1,2})\b")


def is_name_token(tok: str, low_known: set[str]) -> bool:
    if tok[0].isupper():
        return tok not in NOT_NAMES
    return tok in PARTICLES or tok.lower() in low_known


def split_glue(tok: str) -> tuple[str, str] | None:
    """'tanCEO' -> ('tan', 'CEO') when a word runs straight into a title word."""
    for cut in _CAMEL_GLUE.finditer(tok):
        head, tail = tok[: cut.start()], tok[cut.start() :]
        first = re.match(r"[A-Z]+(?![a-z])|[A-Z][a-z]*", tail)
        if first and first.group().lower() in TITLE_WORDS and len(head) >= 2:
            return head, tail
    return None


def name_run_before(text: str, end: int, low_known: set[str]) -> tuple[int, int]:
    """Start and end of the run of name words that ends right before `end` (start == end when none)."""
    toks = tokenize(text[:end])
    run_start = end
    last_end = end
    for tok in reversed(toks):
        gap = text[tok.end : last_end]
        if gap.strip() not in ("", ".") or "\n" in gap:
            break
        if not (is_name_token(tok.text, low_known) or split_glue(tok.text)):
            break
        run_start = tok.start
        last_end = tok.start
    return run_start, end


def name_run_after(text: str, start: int, low_known: set[str]) -> tuple[int, int]:
    """Start and end of the run of name words that begins at `start` (after spaces)."""
    pos = start
    run_start = run_end = -1
    for m in WORD.finditer(text, start):
        gap = text[pos : m.start()]
        prev_word = text[run_start:pos].split()[-1].lower() if run_start >= 0 else ""
        abbreviated = text[pos - 1 : pos] == "." or prev_word in ABBREVIATIONS or len(prev_word) == 1
        if gap.strip() not in ("", ".") or (run_start >= 0 and "." in gap and not abbreviated):
            break
        tok = m.group()
        if not (is_name_token(tok, low_known) or split_glue(tok)):
            break
        if run_start < 0:
            run_start = m.start()
        run_end = m.end()
        pos = m.end()
        if split_glue(tok):
            break
    if run_start < 0:
        return start, start
    return run_start, run_end


def strip_titles(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Drop leading title words ('Gov.', 'President') from a name run; return the span and the title."""
    toks = [t for t in tokenize(text[start:end])]
    cut = 0
    while cut < len(toks) - 1 and toks[cut].low in TITLE_WORDS:
        cut += 1
    if cut == 0:
        return start, end, ""
    return start + toks[cut].start, end, text[start : start + toks[cut - 1].end].strip()


_NAME_WORDS = (
    r"[A-Z][a-z][\w'’\-]*(?:\s+(?:[A-Z]\.|[A-Z][a-z][\w'’\-]*"
    r"|(?:van|von|de|da|di|del|bin|al)(?=\s+[A-Z]))){1,3}"
)


NAME_AT = re.compile(_NAME_WORDS)


def capitalised_names(text: str) -> list[str]:
    """Runs of two or three capitalised words that could be a person's name; none from headline case."""
    words = tokenize(text)
    if len(words) < 4 or sum(w.text[:1].isupper() for w in words) > 0.6 * len(words):
        return []
    out = []
    for m in _NAME_RUN.finditer(text):
        name = re.sub(r"['’]s$", "", m.group(1))
        if name.split()[0] not in NOT_NAMES and person_like(name):
            out.append(name)
    return out


HONORIFIC_NAME = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof|Rev|Lt|Sgt|Capt|Col|Adm)\.?\s+([A-Z][\w'’\-]+)"
)


_NAME_BEFORE = re.compile(rf"(?<![\w'’\-.])({_NAME_WORDS})$")


def titled_names(text: str) -> list[str]:
    """Names marked as people's by their context: 'Gov. Jane Roe', 'director Jane Roe', 'Jane Roe, the
    chief'."""
    found: list[str] = []
    for tok in tokenize(text):
        if tok.low in TITLE_WORDS:
            gap = re.match(r"\.?,?\s+", text[tok.end :])
            m = NAME_AT.match(text, tok.end + gap.end()) if gap else None
            if m:
                found.append(m.group())
    for comma in re.finditer(r",\s+(?:the\s+|a\s+|an\s+)?", text):
        if any(t.low in TITLE_WORDS for t in tokenize(text[comma.end() : comma.end() + 60])[:3]):
            m = _NAME_BEFORE.search(text, 0, comma.start())
            if m:
                found.append(m.group(1))
    out: list[str] = []
    for name in found:
        words = re.sub(r"['’]s$", "", name).split()
        while words and (words[0] in NOT_NAMES or words[0].lower().rstrip(".") in TITLE_WORDS):
            words = words[1:]
        name = " ".join(words)
        if len(words) >= 2 and person_like(name) and not org_like(name):
            out.append(name)
    return out


def variant(a: str, b: str) -> bool:
    """One word written another accepted way: accents ('Lagacé'), a plural or a demonym ('Genies',
    'American')."""
    a, b = plain(a), plain(b)
    short, long = sorted((a, b), key=len)
    return a == b or (long.startswith(short) and long[len(short) :] in ("s", "es", "n", "an", "'s", "’s"))


def plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
