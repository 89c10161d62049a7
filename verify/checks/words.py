"""The word check: a word of the claim put in another's place in a close sentence (an opposite, a lost
rank, another ordinal; another word or name is left to the entailment model as `unsure`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from ..context import names
from ..items import Conflict, Item, ItemCheck, KindRule, Line, Status, close_lines, no_source
from ..lexicon import DEMONYM
from ..text import LETTERS_OR_DIGITS, ORDINAL_WORDS, tokens
from ..tuning import (
    NEAR_COPY_SHARE,
    SLOT_CLAIM_WORDS,
    SLOT_CONTEXT,
    SLOT_COPY_SHARE,
    SLOT_SENTENCES,
    SUBSTITUTION_WORDS,
)

# Word pairs of opposite meaning: one put in the other's place in a near copy reverses the statement.
OPPOSITE_PAIRS = """
    before/after earlier/later earliest/latest first/last former/latter largest/smallest
    biggest/smallest highest/lowest longest/shortest oldest/youngest older/younger larger/smaller
    bigger/smaller higher/lower longer/shorter heavier/lighter most/least more/less more/fewer
    increase/decrease increased/decreased increases/decreases rise/fall rose/fell rising/falling
    risen/fallen won/lost win/lose wins/loses winning/losing winner/loser winners/losers
    victory/defeat profit/loss profits/losses gained/lost public/private north/south east/west
    northern/southern eastern/western upper/lower above/below inside/outside import/export
    imports/exports imported/exported buy/sell bought/sold buyer/seller buys/sells
    accepted/rejected approved/rejected approve/reject
    accept/reject allowed/banned legal/illegal opened/closed open/closed began/ended started/ended
    start/end joined/left arrived/departed maximum/minimum always/never male/female men/women
    husband/wife father/mother son/daughter brother/sister king/queen internal/external
    domestic/foreign positive/negative success/failure succeeded/failed ancient/modern hot/cold
    wet/dry upstream/downstream included/excluded hired/fired raised/lowered minority/majority
    senior/junior supported/opposed support/oppose supports/opposes alive/dead born/died birth/death
    offensive/defensive ally/enemy allies/enemies entered/exited increasing/decreasing
    expanded/reduced strengthened/weakened gain/loss
"""
OPPOSITES = {frozenset(pair.split("/")) for pair in re.findall(r"\S+", OPPOSITE_PAIRS)}
ORDINAL_MODIFIERS = {w for w, n in ORDINAL_WORDS.items() if 2 <= n <= 5}  # "second-largest"
ORDINALS = {w for w, n in ORDINAL_WORDS.items() if n <= 10}
WORD = LETTERS_OR_DIGITS  # "second-largest" is two words


def _word_items(claim: str, window: Sequence[Line]) -> list[Item]:
    """A word of the claim put in another's place in a close sentence: an opposite ("before" /
    "after") or a lost rank ("largest" / "second-largest") between the same words on both sides is a
    conflict; another word in a near copy is left to the judge's model (`unsure`)."""
    claim_words = WORD.findall(claim)
    if len(claim_words) < SLOT_CLAIM_WORDS:
        return []
    lowered = [w.lower() for w in claim_words]
    named = {w for name in names(claim) for w in WORD.findall(name.lower())}  # the name items' own
    for line in close_lines(window)[:SLOT_SENTENCES]:
        found = WORD.findall(line.text)
        other = [w.lower() for w in found]
        matcher = difflib.SequenceMatcher(None, lowered, other, autojunk=False)
        shared = sum(b.size for b in matcher.get_matching_blocks()) / len(lowered)
        if shared < SLOT_COPY_SHARE:
            continue
        codes = matcher.get_opcodes()
        items = []
        status: Status
        for n, (tag, i1, i2, j1, j2) in enumerate(codes):
            said, says = lowered[i1:i2], other[j1:j2]
            if tag == "equal" or len(said) > SUBSTITUTION_WORDS or any(w in other for w in said):
                continue  # the sentence has the claim's word too, elsewhere
            value, theirs = " ".join(claim_words[i1:i2]), " ".join(found[j1:j2])
            before, after = _equal_words(codes, n - 1), _equal_words(codes, n + 1)
            bounded = (before or i1 == 0) and (after or i2 == len(lowered))
            same_slot = bounded and before + after >= SLOT_CONTEXT
            ranked = after and i2 < len(lowered) and _superlative(lowered[i2])  # "largest" comes next
            if set(said) & named:
                # another name in the name's place ("born in Warsaw" for "born in Kraków"): the model decides
                if tag == "replace" and same_slot and _name_for_name(found[j1:j2], said, says):
                    conflict = Conflict(line.source, theirs, line.text)
                    items.append(Item("name", value, "unsure", (), (conflict,)))
                continue
            if (
                tag == "replace"
                and len(says) <= SUBSTITUTION_WORDS
                and same_slot
                and any(frozenset((a, b)) in OPPOSITES for a in said for b in says)
            ):
                status = "conflict"
            elif (
                tag == "replace" and same_slot and len(said) == len(says) == 1 and {*said, *says} <= ORDINALS
            ):
                status = "conflict"  # "the second spacecraft" where the source says "the first spacecraft"
            elif tag == "insert" and says[-1] in ORDINAL_MODIFIERS and ranked:
                status, value, theirs = "conflict", claim_words[i2], f"{found[j2 - 1]} {claim_words[i2]}"
            elif tag == "delete" and said[-1] in ORDINAL_MODIFIERS and ranked:
                status, value, theirs = (
                    "conflict",
                    f"{claim_words[i2 - 1]} {claim_words[i2]}",
                    claim_words[i2],
                )
            elif (
                tag == "replace"
                and len(said) == len(says) == 1  # "be awarded" / "win", "he died" / "his death": rewording
                and (same_slot or shared >= NEAR_COPY_SHARE)
                and not any(w.isdigit() for w in said + says)
                and _content(said)
                and _content(says)
                and set(tokens(" ".join(said))) != set(tokens(" ".join(says)))
                # "the Chinese space station" / "the Tiangong space station": a name for a description
                # (or back) says the same more or less exactly; "Danish" / "Norwegian" is name for name
                and (i1 == 0 or j1 == 0 or _word_class(claim_words[i1]) == _word_class(found[j1]))
            ):
                status = "unsure"  # a different word in the same place: the model decides, if there is one
            else:
                continue
            items.append(Item("word", value, status, (), (Conflict(line.source, theirs, line.text),)))
        if items:
            return items
    return []


def _name_for_name(found: Sequence[str], said: Sequence[str], says: Sequence[str]) -> bool:
    """A short capitalised replacement of a name part (the caller keeps `said` short), no figures."""
    return (
        len(says) <= SUBSTITUTION_WORDS
        and all(w[0].isupper() for w in found)
        and not any(w.isdigit() for w in [*said, *says])
    )


def _word_class(word: str) -> str:
    """A common word, a demonym ("Chinese", "Danish") or another name ("Tiangong")."""
    return "common" if word[0].islower() else "demonym" if DEMONYM.match(word) else "name"


def _equal_words(codes: Sequence[tuple[str, int, int, int, int]], n: int) -> int:
    """How many words opcode `n` keeps equal (0 when it is not an equal run, or out of range)."""
    if 0 <= n < len(codes) and codes[n][0] == "equal":
        return codes[n][2] - codes[n][1]
    return 0


def _content(words: Sequence[str]) -> bool:
    """The words carry meaning of their own ("turned down", not "in", "the", "was")."""
    return bool(tokens(" ".join(words)))


def _superlative(word: str) -> bool:
    return word in ("most", "least") or (word.endswith("est") and len(word) > 4)


WORDS = ItemCheck(
    "word",
    lambda claim, window, everywhere: _word_items(claim, window),
    {"word": KindRule(no_source("no source says \u201c{}\u201d here"))},
)
