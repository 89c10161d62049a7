"""The template corpus of training/corpus.py: a person's nationality and profession are facts it
states and changes (the "category" and "nationality" errors of a fact-checker)."""

from __future__ import annotations

import random

from training.corpus import (
    FRAME,
    NATIONALITIES,
    PROFESSIONS,
    Fact,
    change_value,
    corpus_pairs,
    entity_pool,
    render,
)
from training.data import CONTRADICTION, ENTAILMENT


def profile(nationality: tuple[str, str], profession: str) -> Fact:
    person = entity_pool("train").people[0]
    return Fact("profile", person, None, {"nationality": nationality, "profession": profession})


def test_a_profile_reads_in_every_template_with_the_right_article() -> None:
    fact = profile(("Italian", "Italy"), "astrophysicist")
    rendered = {render(fact, template, random.Random(1)) for template in FRAME["profile"].templates}
    assert any(" is an Italian astrophysicist" in text for text in rendered)
    assert any(" is an astrophysicist from Italy" in text for text in rendered)
    assert any(" works as an astrophysicist and is Italian" in text for text in rendered)
    assert all(" a astrophysicist" not in text and " a Italian" not in text for text in rendered)


def test_a_changed_profession_or_nationality_is_another_of_its_kind() -> None:
    fact = profile(("Danish", "Denmark"), "pianist")
    rng = random.Random(3)
    for _ in range(20):
        other = change_value(fact, "profession", entity_pool("train"), rng)
        assert other is not None and other.values["profession"] in PROFESSIONS
        assert other.values["profession"] != "pianist" and other.values["nationality"] == (
            "Danish",
            "Denmark",
        )
        moved = change_value(fact, "nationality", entity_pool("train"), rng)
        assert moved is not None and moved.values["nationality"] in NATIONALITIES
        assert moved.values["nationality"] != ("Danish", "Denmark")


def test_the_corpus_has_category_and_nationality_contradictions() -> None:
    pairs = corpus_pairs("train", seed=14, articles=600, categories=True)
    kinds = {p.kind: p.label for p in pairs}
    assert kinds["t-category"] == CONTRADICTION and kinds["t-nationality"] == CONTRADICTION
    assert kinds["t-paraphrase"] == ENTAILMENT
    # without `categories` the corpus is the one the shipped model was trained on
    assert not {"t-category", "t-nationality"} & {
        p.kind for p in corpus_pairs("train", seed=14, articles=600)
    }
