"""The name check: each name of the claim in a sentence next to the aligned ones that says the rest too."""

from __future__ import annotations

from collections.abc import Sequence, Set

from ..context import names
from ..items import Conflict, Item, ItemCheck, KindRule, Line, Status, close_lines, word_set
from ..text import tokens
from ..tuning import NAME_CONTEXT_WORDS, SWAP_CONTEXT_WORDS, SWAP_SENTENCES, TOPIC_MENTIONS


def _name_items(claim: str, window: Sequence[Line], everywhere: Sequence[Line]) -> list[Item]:
    """A name must be in a sentence next to the aligned ones that also says something of the rest."""
    claim_words = set(tokens(claim))
    close = close_lines(window)
    items = []
    for name in names(claim):
        parts = [t for t in tokens(name) if t]
        if not parts:
            continue
        rest = claim_words - set(parts)
        agreeing = tuple(
            dict.fromkeys(
                line.source
                for line in window
                if line.near
                and _has_name(parts, said := word_set(line.text))
                and len(rest & said) >= min(NAME_CONTEXT_WORDS, len(rest))
            )
        )
        if agreeing:
            # the aligned sentence may put another name in its slot ("Y starred" for "X starred")
            top = close[:1]
            displaced = (
                _swapped_name(claim, name, top, 1)
                if top and len(parts) >= 2 and not _has_name(parts, word_set(top[0].text))
                else None
            )
            if displaced:
                items.append(Item("name", name, "unaligned", (), (displaced,)))
            else:
                items.append(Item("name", name, "agreed", agreeing))
            continue
        best = close[:SWAP_SENTENCES]
        swapped = _swapped_name(claim, name, best)
        mentions = sum(_has_name(parts, word_set(line.text)) for line in everywhere)
        if not mentions and _has_name(parts, {t for line in everywhere for t in word_set(line.text)}):
            mentions = 1  # written in pieces ("Msgr. Scanlan ... the high school")
        # the page's own subject is often "he" or "the company" in the sentence that supports the claim
        # a one-word name ("England", "Libyan", "Tribute") is too often a title or an adjective to insist on
        full_name = len(name.split()) >= 2
        status: Status = (
            "missing"
            if not mentions
            else "unaligned"
            if full_name and (mentions < TOPIC_MENTIONS or _swapped_name(claim, name, best, 1))
            else "elsewhere"
        )
        items.append(Item("name", name, status, (), (swapped,) if swapped else ()))
    return items


def _has_name(parts: Sequence[str], words: Set[str]) -> bool:
    found = sum(t in words for t in parts)
    return found == len(parts) or (len(parts) >= 3 and found >= len(parts) - 1)


def _swapped_name(
    claim: str, name: str, close: Sequence[Line], width: int = SWAP_CONTEXT_WORDS
) -> Conflict | None:
    """A best sentence that names someone else where the claim has `name` (the words around both match).

    With `width` 1 the other name must sit in the same slot: the content word right before it, or
    right after it, is the one next to `name` in the claim ("coached by X in" / "coached by Y in").
    """
    at = claim.find(name)
    if at < 0:
        return None
    before = set(tokens(claim[:at])[-width:])
    after = set(tokens(claim[at + len(name) :])[:width])
    claim_words = set(tokens(claim))
    for line in close:
        for other in names(line.text):
            words = set(tokens(other))
            # a name sharing one generic word ("... League") is another; "Nazir Razak" for "Nazir" is not
            if len(other.split()) < 2 or 2 * len(words & claim_words) >= len(words):
                continue
            i = line.text.find(other)
            around_before = set(tokens(line.text[:i])[-width:])
            around_after = set(tokens(line.text[i + len(other) :])[:width])
            if before & around_before or after & around_after:
                return Conflict(line.source, other, line.text)
    return None


def _name_gap(item: Item) -> str:
    if item.conflicts:
        c = item.conflicts[0]
        return f"{c.source} names {c.value} where the article names {item.value}"
    if item.status == "unaligned":
        return f"the sources name {item.value} only apart from the rest of the claim"
    return f"the sources never name {item.value}"


NAMES = ItemCheck("name", _name_items, {"name": KindRule(_name_gap, coverage="name_coverage")})
