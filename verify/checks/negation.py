"""The negation check, by scope: a negated claim needs a negated sentence; a near copy of the other
polarity is a conflict."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..items import Conflict, Item, ItemCheck, KindRule, Line, close_lines, no_source
from ..text import clip, tokens
from ..tuning import NEAR_COPY_SHARE

AUXILIARY = (
    r"(?:is|was|are|were|be|been|being|has|have|had|do|does|did|will|would|could|can|should|may|might|must|"
    r"shall)"
)
CLAUSAL_NEGATION = re.compile(
    rf"\b{AUXILIARY}\s+(?:also\s+|yet\s+|ever\s+|still\s+)?(?:not|never)\b"
    r"(?!\s+(?:only|just|before|until|least|long|far|much|quite|necessarily|merely|simply|even)\b)"
    r"|\b(?:is|was|are|were|has|have|had|do|does|did|would|could|should|wo|ca)n[’']t\b"
    r"|\bnever\b(?!\s+before\b)|\bno longer\b",
    re.I,
)
CLAUSE = re.compile(r"[;:—–]|,?\s+(?:and|but|while|whereas|although|though)\s+(?=\w)|,\s+(?:which|who)\s+")
ANY_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|without|denied|denies|refused|failed|lacks?|lacked|unable"
    # words that deny by their meaning: "declined as he did not want to" / "turned down the offer"
    r"|declin(?:e|es|ed|ing)|turned down|reject(?:s|ed|ing)?|against|prohibit\w*|banned|forb[ai]d\w*"
    r"|illegal)\b"
    r"|n[’']t\b",
    re.I,
)
# a source clause opening "No bridge crosses ...", "None of ..." (not "No. 1", not the band No Doubt)
NO_OPENING = re.compile(r"^\s*(?:no|none\s+of)\s+(?=(?-i:[a-z]))", re.I)
QUOTED = re.compile(r"\"[^\"]*\"|\u201c[^\u201d]*\u201d")


def negated(text: str) -> bool:
    """The sentence negates its statement ("was not", "never won"), not a side phrase ("but not before")."""
    return bool(CLAUSAL_NEGATION.search(text))


def _negation_items(claim: str, window: Sequence[Line]) -> list[Item]:
    """A negated claim needs a negated source sentence; a near copy with the other polarity is a conflict."""
    close = close_lines(window)
    unquoted = QUOTED.sub(" ", claim)  # a negation inside quoted words is the quote's, checked as a quote
    if negated(unquoted):
        if any(ANY_NEGATION.search(line.text) for line in close):
            return [Item("negation", _negation_cue(claim), "agreed")]
        copies = [line for line in close if _near_copy(claim, line.text)]
        conflicts = tuple(Conflict(line.source, "no negation", line.text) for line in copies[:1])
        return [Item("negation", _negation_cue(claim), "conflict" if conflicts else "missing", (), conflicts)]
    if ANY_NEGATION.search(unquoted):
        return []  # "There are no bridges", "No volcano is higher": a denial in other words, not read here
    copies = [
        line
        for line in close[:1]
        if _near_copy(claim, line.text)
        and (negated(clause := _clause(claim, line.text)) or NO_OPENING.search(clause))
    ]
    if copies:
        cue = _negation_cue(copies[0].text)
        return [Item("negation", cue, "conflict", (), (Conflict(copies[0].source, cue, copies[0].text),))]
    return []


def _clause(claim: str, sentence: str) -> str:
    """The clause of `sentence` that says most of what the claim says (a negation elsewhere is another)."""
    clauses = [c for c in CLAUSE.split(sentence) if c.strip()] or [sentence]
    words = set(tokens(claim))
    return max(clauses, key=lambda c: len(words & set(tokens(c))))


def _negation_cue(text: str) -> str:
    m = CLAUSAL_NEGATION.search(text) or NO_OPENING.search(text)
    return m.group().strip() if m else "not"


def _near_copy(claim: str, sentence: str, share: float = NEAR_COPY_SHARE) -> bool:
    """The sentence has most of the claim's words (figures aside)."""
    words = [t for t in tokens(claim) if not t[0].isdigit()]
    have = set(tokens(sentence))
    return bool(words) and sum(t in have for t in words) / len(words) >= share


def _negation_conflict(item: Item) -> str:
    c = item.conflicts[0]
    side = "the article negates it" if c.value == "no negation" else f"{c.source} negates it"
    return f"the source says nearly the same but {side}: \u201c{clip(c.sentence)}\u201d"


NEGATION = ItemCheck(
    "negation",
    lambda claim, window, everywhere: _negation_items(claim, window),
    {"negation": KindRule(no_source("no source says \u201c{}\u201d here"), _negation_conflict)},
)
