"""The registry of item checks: each finds its items in a claim and says how the judge reads each kind.

Add a check: one module here defining an `ItemCheck` (a finder and a `KindRule` per item kind
it emits), then one entry in `REGISTRY`. `align.align` runs every entry in order; the judge
reads reasons, vetoes, the model's right to overrule and the coverage signals from `KINDS`.
"""

from __future__ import annotations

from ..items import Item, ItemCheck, ItemKind, KindRule
from .facts import FACTS
from .names import NAMES
from .negation import NEGATION
from .roles import ROLES
from .words import WORDS

REGISTRY: tuple[ItemCheck, ...] = (FACTS, NAMES, NEGATION, ROLES, WORDS)
# the word check emits "name" items too (another name in the name's slot): they read as names
KINDS: dict[ItemKind, KindRule] = {kind: rule for check in REGISTRY for kind, rule in check.kinds.items()}


def rule(item: Item) -> KindRule:
    """How the judge reads `item` (every kind a check emits has a rule: tests/test_checks.py)."""
    return KINDS[item.kind]
