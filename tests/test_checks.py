"""The item-check registry: every kind has a rule, align runs every entry, the judge reads rules."""

from __future__ import annotations

from typing import get_args

import pytest

from verify import align as align_module
from verify.align import align
from verify.checks import KINDS, REGISTRY, rule
from verify.claims import split_claims
from verify.extract import extract
from verify.items import Conflict, Item, ItemCheck, ItemKind, KindRule, Line, no_source
from verify.judge import judge
from verify.match import match, pool_sentences
from verify.models import Article, Fetched, SourceRef

SRC = "https://s.example/"


def test_every_item_kind_has_exactly_one_rule() -> None:
    assert set(KINDS) == set(get_args(ItemKind))
    emitted = [kind for check in REGISTRY for kind in check.kinds]
    assert len(emitted) == len(set(emitted))  # no two checks claim one kind


def test_align_runs_the_checks_in_registry_order() -> None:
    found = align(
        "The board did not approve the 28 km line in March 2019.",
        [Line(SRC, "The board approved the 28 km line in May 2019.", True)],
    )
    order = [check.name for check in REGISTRY]
    checks_of = {kind: check.name for check in REGISTRY for kind in check.kinds}
    ran = [checks_of[item.kind] for item in found]
    assert ran == sorted(ran, key=order.index)
    assert {"figure", "date", "negation"} <= {item.kind for item in found}
    for item in found:
        assert rule(item).gap(item) and (item.status != "conflict" or rule(item).conflict(item))


def _judged(claim: str, page: bytes):
    source = extract(Fetched(ref=SourceRef(url=SRC), body=page, content_type="text/html"))
    claims = split_claims(Article(path="a.txt", raw=claim, text=claim, format="text"))
    ranked = match(claims, [source], _Embedder(), top_k=3)
    [result] = [judge(c, ranked[c.id], pool_sentences([source])) for c in claims]
    return result


class _Embedder:
    name = "fake"

    def encode(self, texts):
        import numpy as np

        return np.ones((len(texts), 4), dtype=np.float32) / 2


def test_a_new_check_in_the_registry_reaches_the_verdict_without_touching_the_judge(monkeypatch) -> None:
    def colours(claim: str, window, everywhere) -> list[Item]:
        if "red" not in claim or not window:
            return []
        line = window[0]
        return [Item("word", "red", "conflict", (), (Conflict(line.source, "blue", line.text),))]

    extra = ItemCheck("colour", colours, {"word": KindRule(no_source("no source gives the colour {}"))})
    monkeypatch.setattr(align_module, "REGISTRY", (*REGISTRY, extra))
    result = _judged("The old mill was painted red in 1998.", b"<p>The old mill was painted red in 1998.</p>")
    assert result.verdict == "contradicted"
    assert "the article says red, but https://s.example/ says blue" in result.reason
    assert any(c.kind == "word" and not c.ok and c.evidence_value == "blue" for c in result.checks)


@pytest.mark.parametrize("kind", sorted(get_args(ItemKind)))
def test_each_kind_explains_a_gap_in_words(kind: ItemKind) -> None:
    item = Item(kind, "the value", "missing")
    assert "the value" in KINDS[kind].gap(item)
