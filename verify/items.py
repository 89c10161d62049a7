"""What the item checks find and how the judge reads it: items, kinds, statuses, the registry entry type.

A claim's key items (its figures, dates, names, negation, roles, a word put in another's place)
are each looked up in the evidence window by one check of the registry (`verify/checks/`); the
judge reads every item through the `KindRule` of its kind and never branches on kind strings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .text import clip, tokens

ItemKind = Literal["figure", "date", "name", "negation", "role", "word"]
# agreed: a source states it; elsewhere: only apart from the aligned sentences (no reason against);
# conflict: a same-subject sentence states another value in its slot; missing: no source has it;
# unaligned: a name found only apart from the rest of the claim; unsure: another word in a near
# copy, a conflict only when the entailment model reads that sentence as contradicting the claim
Status = Literal["agreed", "elsewhere", "conflict", "missing", "unaligned", "unsure"]


@dataclass(frozen=True)
class Conflict:
    source: str
    value: str  # the differing value as the source writes it
    sentence: str


@dataclass(frozen=True)
class Item:
    """One key item of a claim and how the evidence stands on it."""

    kind: ItemKind
    value: str  # as the claim writes it
    status: Status
    agreeing: tuple[str, ...] = ()  # sources that state the same value
    conflicts: tuple[Conflict, ...] = field(default=())


@dataclass(frozen=True)
class Line:
    """A sentence of the evidence window, with its source and whether it is about the claim's subject."""

    source: str
    text: str
    close: bool  # same subject as the claim: conflicts are read only from these
    near: bool = True  # a close sentence or its neighbour: names are looked for here


def says_otherwise(item: Item) -> str:
    """The usual reason of a conflict: both values and the source's sentence."""
    c = item.conflicts[0]
    return f"the article says {item.value}, but {c.source} says {c.value}: \u201c{clip(c.sentence)}\u201d"


def no_source(template: str) -> Callable[[Item], str]:
    """The reason of a gap from a template with {} for the claim's value."""
    return lambda item: template.format(item.value)


@dataclass(frozen=True)
class KindRule:
    """How the judge reads the items of one kind."""

    gap: Callable[[Item], str]  # why an item the sources do not state (missing, unaligned) matters
    conflict: Callable[[Item], str] = says_otherwise  # why a conflict makes the claim contradicted
    overrulable: bool = False  # the entailment model may overrule a conflict it reads as agreeing
    coverage: str = ""  # the judge's signal that is the share of these items the evidence states


Finder = Callable[[str, Sequence[Line], Sequence[Line]], list[Item]]  # (claim, window, everywhere)


@dataclass(frozen=True)
class ItemCheck:
    """One check of the registry: finds its items in a claim and says how each kind of them is read."""

    name: str
    find: Finder
    kinds: Mapping[ItemKind, KindRule]


def close_lines(window: Sequence[Line]) -> list[Line]:
    """The window's sentences about the claim's subject, best first."""
    return [line for line in window if line.close]


@functools.lru_cache(maxsize=50_000)
def word_set(text: str) -> frozenset[str]:
    """The stemmed content words of a sentence (cached: every check reads the same window)."""
    return frozenset(tokens(text))
