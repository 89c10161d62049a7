"""The role check: who does what to whom, stated with the same agent and recipient."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ..items import Conflict, Item, ItemCheck, KindRule, Line, Status, no_source
from ..roles import VERB, Relation, relations


@functools.lru_cache(maxsize=50_000)
def _relations(text: str) -> tuple[Relation, ...]:
    return tuple(relations(text)) if VERB.search(text) else ()


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
        status: Status = "agreed" if agreeing else "conflict" if conflicts else "missing"
        if status == "missing" and any(
            r.action == rel.action for line in everywhere for r in _relations(line.text)
        ):
            status = "elsewhere"
        items.append(Item("role", rel.describe(), status, agreeing, conflicts))
    return items


# Word pairs of opposite meaning: one put in the other's place in a near copy reverses the statement.


ROLES = ItemCheck("role", _role_items, {"role": KindRule(no_source("no source says {}"))})
