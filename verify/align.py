"""Align a claim with its evidence item by item: figures, dates, names, negation, roles and words.

Each check of the registry (`verify/checks/`) looks the claim's key items up in the evidence
window. An item is *agreed* when some sentence states the same value, in *conflict* when a
same-subject sentence states a different value of the same type in the same slot (and no
sentence of that source agrees), and *missing* when no source sentence has it. The judge turns
conflicts into "contradicted", missing items into "not supported", and conflicting sources into
"sources disagree".
"""

from __future__ import annotations

from collections.abc import Sequence

from .checks import REGISTRY
from .items import Item, Line


def align(claim: str, window: Sequence[Line], everywhere: Sequence[Line] = ()) -> list[Item]:
    """Every key item of `claim` with its status against the window.

    An item the window lacks but some sentence of `everywhere` (all source sentences, and each
    source's publication date) has is `elsewhere`: not a reason against the claim.
    """
    return [item for check in REGISTRY for item in check.find(claim, window, everywhere)]
