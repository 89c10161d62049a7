"""Align a claim with its evidence item by item: figures, dates, names, negation and roles.

Each key item of the claim is looked up in the evidence window. It is *agreed* when some
sentence states the same value, in *conflict* when a same-subject sentence states a different
value of the same type in the same slot (and no sentence of that source agrees), and *missing*
when no source sentence has it. The judge turns conflicts into "contradicted", missing items
into "not supported", and conflicting sources into "sources disagree".
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

from .context import DEMONYM, names
from .facts import Fact, describe, facts, key_facts
from .roles import VERB, Relation, relations
from .text import LETTERS_OR_DIGITS, ORDINAL_WORDS, tokens
from .tuning import (
    FACT_CONTEXT_WORDS,
    NAME_CONTEXT_WORDS,
    NEAR_COPY_SHARE,
    SLOT_CONTEXT,
    SLOT_COPY_SHARE,
    SUBSTITUTION_WORDS,
    SWAP_CONTEXT_WORDS,
    TOPIC_MENTIONS,
)

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


RELATIVE_YEAR = re.compile(r"\b(?:this|that|the same|last|next|the following|the previous) year\b", re.I)


@dataclass(frozen=True)
class Conflict:
    source: str
    value: str  # the differing value as the source writes it
    sentence: str


@dataclass(frozen=True)
class Item:
    """One key item of a claim and how the evidence stands on it."""

    kind: str  # figure | date | name | negation | role | word
    value: str  # as the claim writes it
    status: str  # agreed | elsewhere | conflict | missing | unaligned (a name found only apart from the rest)
    agreeing: tuple[str, ...] = ()  # sources that state the same value
    conflicts: tuple[Conflict, ...] = field(default=())


@dataclass(frozen=True)
class Line:
    """A sentence of the evidence window, with its source and whether it is about the claim's subject."""

    source: str
    text: str
    close: bool  # same subject as the claim: conflicts are read only from these
    near: bool = True  # a close sentence or its neighbour: names are looked for here


def align(claim: str, window: Sequence[Line], everywhere: Sequence[Line] = ()) -> list[Item]:
    """Every key item of `claim` with its status against the window.

    An item the window lacks but some sentence of `everywhere` (all source sentences, and each
    source's publication date) has is `elsewhere`: not a reason against the claim.
    """
    return (
        _fact_items(claim, window, everywhere)
        + _name_items(claim, window, everywhere)
        + _negation_items(claim, window)
        + _role_items(claim, window, everywhere)
        + _word_items(claim, window)
    )


@functools.lru_cache(maxsize=50_000)
def _relations(text: str) -> tuple[Relation, ...]:
    return tuple(relations(text)) if VERB.search(text) else ()


@functools.lru_cache(maxsize=50_000)
def _words(text: str) -> frozenset[str]:
    return frozenset(tokens(text))


@functools.lru_cache(maxsize=50_000)
def _facts(text: str) -> tuple[Fact, ...]:
    return tuple(facts(text))


def _by_source(lines: Sequence[Line]) -> dict[str, list[Fact]]:
    found: dict[str, list[Fact]] = {}
    for line in lines:
        found.setdefault(line.source, []).extend(_facts(line.text))
    return found


def _fact_items(claim: str, window: Sequence[Line], everywhere: Sequence[Line]) -> list[Item]:
    by_source = _by_source(window)
    anywhere: dict[str, list[Fact]] | None = None
    items = []
    for fact in key_facts(claim):
        agreeing = tuple(source for source, found in by_source.items() if _supports(fact, found))
        conflicts = tuple(
            Conflict(line.source, describe(other), line.text)
            for line in window
            if line.close and line.source not in agreeing
            for other in _facts(line.text)
            if fact.same_slot(other)
            and not fact.agrees(other)
            and not other.agrees(fact)
            and _same_role(claim, fact, line.text, other)
            and not (fact.kind == "year" and RELATIVE_YEAR.search(line.text))
        )
        status = "agreed" if agreeing else "conflict" if conflicts else "missing"
        if status != "agreed" and everywhere:
            anywhere = anywhere if anywhere is not None else _by_source(everywhere)
            stated = {source for source, found in anywhere.items() if _supports(fact, found)}
            conflicts = tuple(c for c in conflicts if c.source not in stated)  # the source says both
            if stated and not conflicts:
                status = "elsewhere"
        kind = "date" if fact.kind in ("date", "year") else "figure"
        items.append(Item(kind, describe(fact), status, agreeing, conflicts))
    return items


def _supports(fact: Fact, others: Sequence[Fact]) -> bool:
    """Some fact of the sentence states the claim's value; a date may be stated in pieces."""
    if any(fact.agrees(o) for o in others):
        return True
    if fact.kind != "date":
        return False
    years = {y for o in others for y in range(o.year, (o.year_end or o.year) + 1) if o.year}
    months = {o.month for o in others if o.month}
    if (fact.year and fact.year not in years) or fact.month not in months:
        return False
    if not fact.day:
        return True
    return any(o.month == fact.month and o.day and _day_inside(fact, o) for o in others)


def _day_inside(fact: Fact, other: Fact) -> bool:
    lo, hi = fact.day, fact.day_end or fact.day
    return other.day <= lo and hi <= (other.day_end or other.day)


def _same_role(claim: str, fact: Fact, sentence: str, other: Fact) -> bool:
    """Dates sharing a part and counts of one noun are one slot; other figures need shared words."""
    if fact.kind == "date" and other.kind == "date":
        shared = (fact.year and fact.year == other.year) or (fact.day and fact.day == other.day)
        return bool(shared) or bool(_context(claim, fact) & _context(sentence, other))
    if fact.kind in ("count", "duration", "ordinal"):
        return True  # same_slot already required the same noun
    return bool(_context(claim, fact) & _context(sentence, other))


def _context(text: str, fact: Fact, width: int = FACT_CONTEXT_WORDS) -> set[str]:
    before = [t for t in tokens(text[: fact.start]) if not t[0].isdigit()][-width:]
    after = [t for t in tokens(text[fact.end :]) if not t[0].isdigit()][:width]
    return set(before + after)


def _name_items(claim: str, window: Sequence[Line], everywhere: Sequence[Line]) -> list[Item]:
    """A name must be in a sentence next to the aligned ones that also says something of the rest."""
    claim_words = set(tokens(claim))
    close = [line for line in window if line.close]
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
                and _has_name(parts, words := _words(line.text))
                and len(rest & words) >= min(NAME_CONTEXT_WORDS, len(rest))
            )
        )
        if agreeing:
            # the aligned sentence may put another name in its slot ("Y starred" for "X starred")
            top = close[:1]
            displaced = (
                _swapped_name(claim, name, top, 1)
                if top and len(parts) >= 2 and not _has_name(parts, _words(top[0].text))
                else None
            )
            if displaced:
                items.append(Item("name", name, "unaligned", (), (displaced,)))
            else:
                items.append(Item("name", name, "agreed", agreeing))
            continue
        swapped = _swapped_name(claim, name, close[:2])
        mentions = sum(_has_name(parts, _words(line.text)) for line in everywhere)
        if not mentions and _has_name(parts, {t for line in everywhere for t in _words(line.text)}):
            mentions = 1  # written in pieces ("Msgr. Scanlan ... the high school")
        # the page's own subject is often "he" or "the company" in the sentence that supports the claim
        # a one-word name ("England", "Libyan", "Tribute") is too often a title or an adjective to insist on
        full_name = len(name.split()) >= 2
        status = (
            "missing"
            if not mentions
            else "unaligned"
            if full_name and (mentions < TOPIC_MENTIONS or _swapped_name(claim, name, close[:2], 1))
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


def negated(text: str) -> bool:
    """The sentence negates its statement ("was not", "never won"), not a side phrase ("but not before")."""
    return bool(CLAUSAL_NEGATION.search(text))


def _negation_items(claim: str, window: Sequence[Line]) -> list[Item]:
    """A negated claim needs a negated source sentence; a near copy with the other polarity is a conflict."""
    close = [line for line in window if line.close]
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


def _role_items(claim: str, window: Sequence[Line], everywhere: Sequence[Line]) -> list[Item]:
    """Who does what to whom: a claim relation must be stated with the same agent and recipient."""
    items = []
    for rel in relations(claim):
        if not rel.agent or not rel.recipient:
            continue
        same_action = [
            (line, other) for line in window for other in _relations(line.text) if other.action == rel.action
        ]
        agreeing = tuple(dict.fromkeys(line.source for line, other in same_action if other.agrees(rel)))
        conflicts = tuple(
            Conflict(line.source, other.describe(), line.text)
            for line, other in same_action
            if line.source not in agreeing and other.inverts(rel)
        )
        status = "agreed" if agreeing else "conflict" if conflicts else "missing"
        if status == "missing" and any(
            r.action == rel.action for line in everywhere for r in _relations(line.text)
        ):
            status = "elsewhere"
        items.append(Item("role", rel.describe(), status, agreeing, conflicts))
    return items


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
    if len(claim_words) < 4:
        return []
    lowered = [w.lower() for w in claim_words]
    named = {w for name in names(claim) for w in WORD.findall(name.lower())}  # the name items' own
    for line in [line for line in window if line.close][:2]:
        found = WORD.findall(line.text)
        other = [w.lower() for w in found]
        matcher = difflib.SequenceMatcher(None, lowered, other, autojunk=False)
        shared = sum(b.size for b in matcher.get_matching_blocks()) / len(lowered)
        if shared < SLOT_COPY_SHARE:
            continue
        codes = matcher.get_opcodes()
        items = []
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
