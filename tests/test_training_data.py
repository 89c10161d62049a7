"""The synthetic training pairs of training/data.py change exactly the detail they claim to change."""

from __future__ import annotations

import json
import random
import re

import pytest

from training.data import (
    CONTRADICTION,
    ENTAILMENT,
    NEUTRAL,
    Pair,
    add_negation,
    change_month,
    change_name,
    change_number,
    mixed_stream,
    reformat,
    remove_negation,
    shortenings,
    swap_antonym,
    swap_roles,
    synthetic_pairs,
)
from training.verifier import with_teacher
from training.verifier_data import Example, word_swaps

SENTENCE = "Senator Jane Miller said on Tuesday that the agency was founded in 1958 with 12 employees."
ARTICLE = SENTENCE + " Her rival, Robert Stone, disagreed. The vote is in October."


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def test_a_changed_number_differs_only_in_that_number() -> None:
    for seed in range(20):
        changed = change_number(SENTENCE, random.Random(seed), ARTICLE)
        assert changed is not None and changed != SENTENCE
        assert re.sub(r"\d+", "#", changed) == re.sub(r"\d+", "#", SENTENCE)
        assert _digits(changed) != _digits(SENTENCE)


def test_month_name_negation_roles_and_antonym_changes() -> None:
    rng = random.Random(3)
    assert change_month(SENTENCE, rng, ARTICLE) not in (None, SENTENCE)
    assert "Tuesday" not in str(change_month(SENTENCE, rng, ARTICLE))
    named = change_name(SENTENCE, rng, ARTICLE)
    assert named is not None and "Robert Stone" in named
    negated = add_negation(SENTENCE, rng, ARTICLE)
    assert negated in (
        SENTENCE.replace("was founded", "was not founded"),
        SENTENCE.replace("was founded", "was never founded"),
    )
    assert add_negation("The agency was not founded in 1958.", rng, "") is None  # already negated
    assert (
        remove_negation("The senator did not vote for the bill.", rng, "")
        == "The senator did vote for the bill."
    )
    assert remove_negation("They won't win.", rng, "") == "They will win."
    assert swap_roles("Polls show that Clinton defeated Sanders in the primary.", rng, "") == (
        "Polls show that Sanders defeated Clinton in the primary."
    )
    assert swap_antonym("The Senate approved the bill.", rng, "") == "The Senate rejected the bill."


def test_shortenings_drop_optional_parts_only() -> None:
    found = shortenings("The agency, which was founded in 1958, ordered rockets (three of them) from SpaceX.")
    assert "The agency ordered rockets (three of them) from SpaceX." in found
    assert "The agency, which was founded in 1958, ordered rockets from SpaceX." in found
    found = shortenings("In March, the council approved the plan, according to the mayor.")
    assert "In March, the council approved the plan." in found
    assert "The council approved the plan, according to the mayor." in found


def test_reformat_keeps_the_values() -> None:
    text = "It cost 1,200 dollars from 12-18 April, up 5 percent."
    for seed in range(10):
        changed = reformat(text, random.Random(seed))
        assert changed != text
        assert "".join(_digits(changed)) == "".join(_digits(text))


def test_pairs_are_seeded_and_labelled() -> None:
    sentences = [
        SENTENCE,
        "Her rival, Robert Stone, who ran in 2012, disagreed with the plan on Wednesday.",
        "The committee will vote on the proposal in October, officials said.",
        "Supporters of the measure gathered outside the building for three hours.",
    ]
    first = synthetic_pairs(sentences, " ".join(sentences), random.Random(5))
    again = synthetic_pairs(sentences, " ".join(sentences), random.Random(5))
    assert first == again and first
    for pair in first:
        assert pair.label in (ENTAILMENT, NEUTRAL, CONTRADICTION)
        if pair.label == CONTRADICTION:
            assert pair.hypothesis not in pair.premise


def test_the_mixed_stream_keeps_every_pair_once() -> None:
    a = [Pair(str(i), "h", 0, "snli") for i in range(50)]
    b = [Pair(str(i), "h", 2, "number") for i in range(30)]
    stream = mixed_stream(a, b, 0.5, seed=1)
    assert sorted(stream, key=repr) == sorted(a + b, key=repr)
    assert 5 <= sum(p.kind == "number" for p in stream[:40]) <= 35


def test_a_teachers_scores_become_soft_targets_mixed_with_the_label(tmp_path) -> None:
    stream = [Example("w1", "c1", 1, "snli"), Example("w2", "c2", 0, "wice-topic")]
    cache = tmp_path / "teacher.json"
    cache.write_text(json.dumps([0.2, 0.9]))  # scored before: no model is loaded
    soft = with_teacher(stream, tmp_path / "no-model", 0.7, cache)
    assert [e.target for e in soft] == pytest.approx([0.7 * 0.2 + 0.3, 0.7 * 0.9])
    assert [e.label for e in soft] == [1, 0]
    with pytest.raises(SystemExit, match="2 teacher scores for a stream of 3"):
        with_teacher([*stream, stream[0]], tmp_path / "no-model", 0.7, cache)


def test_word_swaps_put_a_far_sentences_word_into_a_sentence_the_window_holds() -> None:
    sentences = [
        "The orchestra hired a young violinist from Vienna for the spring season.",
        "Its conductor praised the hall for its warm and clear acoustics.",
        "Tickets for the opening night sold out within two hours.",
        "Critics later named the concert the finest performance of the year.",
        "A local pianist joined them for the second half of the programme.",
    ]
    swaps = word_swaps(sentences, seed=3, group="doc", limit=5)
    assert swaps and all(e.label == 0 and e.kind == "edit-word-swap" for e in swaps)
    for e in swaps:
        [(original, changed)] = [
            (s, [b for a, b in zip(s.split(), e.claim.split(), strict=True) if a != b])
            for s in sentences
            if len(s.split()) == len(e.claim.split())
            and sum(a != b for a, b in zip(s.split(), e.claim.split(), strict=True)) == 1
        ]
        assert original in e.window  # read against the window of the sentence it came from
        new = changed[0].strip(".,")
        assert new not in e.window.lower() and any(new in s for s in sentences)
    assert word_swaps(sentences, seed=3, group="doc", limit=5) == swaps  # seeded
    assert word_swaps(sentences, seed=3, group="doc", limit=0) == []
