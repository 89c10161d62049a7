"""The learned support verifier: windows, the judge's use of it under the typed vetoes, determinism."""

from dataclasses import replace

import numpy as np
import pytest
from test_match_judge import document

from verify.claims import split_claims
from verify.judge import judge, source_infos
from verify.match import Pooled, Ranked, match, pool_sentences
from verify.models import Article
from verify.tuning import THRESHOLD_PARTIAL
from verify.verifier import (
    BUNDLED_DIR,
    READ_ALL_ENV,
    VerifierModel,
    joined_window,
    load_bundled,
    support,
    windows,
)

PAGE = (
    b"<html><body><article><p>The bridge opened to traffic in 1932.</p>"
    b"<p>It was designed by the engineer Ana Ruiz.</p>"
    b"<p>SpaceX won a contract worth about $1.6 billion in 2008 for 12 cargo flights.</p>"
    b"<p>The city council approved a new budget in March.</p></article></body></html>"
)


class FakeVerifier:
    """P(supported) high when window and claim hold `cue` and the claim none of the `unstated` words."""

    def __init__(self, cue: str, unstated: tuple[str, ...] = ()) -> None:
        self.cue = cue
        self.unstated = unstated
        self.read: list[tuple[str, str]] = []

    def predict(self, pairs):
        self.read.extend(pairs)
        return np.array(
            [
                0.9999
                if self.cue in window and self.cue in claim and not any(w in claim for w in self.unstated)
                else 0.0001
                for window, claim in pairs
            ]
        )


def judged(claim: str, verifier, embedder):
    source = document(PAGE, url="https://bridge.example/")
    claims = split_claims(Article(path="a.txt", raw=claim, text=claim, format="text"))
    ranked = match(claims, [source], embedder, top_k=3)
    pool = pool_sentences([source])
    [result] = [judge(c, ranked[c.id], pool, support=verifier) for c in claims if c.checkable]
    return result


def pooled(*docs: list[str]) -> list[Pooled]:
    return [Pooled(d, i, text, 0, 0) for d, sentences in enumerate(docs) for i, text in enumerate(sentences)]


def test_windows_are_the_best_sentences_with_their_neighbours_in_the_same_source() -> None:
    pool = pooled(["a0.", "a1.", "a2."], ["b0.", "b1."])
    ranked = Ranked(evidence=(), pool_ids=(3, 1, 2), similarities={})
    # b0 has no neighbour before it in its own source; a1's window and a2's are different runs
    assert windows(ranked, pool, count=3) == ["b0. b1.", "a0. a1. a2.", "a1. a2."]
    assert windows(ranked, pool, count=1) == ["b0. b1."]


def test_a_window_is_read_after_its_pages_title() -> None:
    pool = pooled(["He was born in 1950.", "He moved to Leeds."], ["Ann Lee sang.", "She toured."])
    ranked = Ranked(evidence=(), pool_ids=(0, 3), similarities={})
    titled = windows(ranked, pool, titles=["John Smith - Biography", "Ann Lee"])
    # the first page's title names who "he" is; the second's is already in its window
    assert titled == [
        "John Smith - Biography. He was born in 1950. He moved to Leeds.",
        "Ann Lee sang. She toured.",
    ]
    assert windows(ranked, pool, titles=["", "  "]) == windows(ranked, pool)
    long_title = " ".join(f"word{n}" for n in range(200))
    first = windows(ranked, pool, titles=[long_title, ""])[0]
    assert first.startswith("word0 ") and "word31. He was born in 1950." in first and "word32" not in first


def test_the_judge_gives_the_verifier_each_pages_title(fake_embedder) -> None:
    source = document(PAGE, url="https://bridge.example/")
    claim = "The bridge opened to traffic in 1932."
    claims = split_claims(Article(path="a.txt", raw=claim, text=claim, format="text"))
    ranked = match(claims, [source], fake_embedder, top_k=3)
    model = FakeVerifier(cue="bridge")
    titled = [replace(info, title="Harbour Bridge history") for info in source_infos([source])]
    judge(claims[0], ranked[claims[0].id], pool_sentences([source]), sources=titled, support=model)
    assert model.read and all(window.startswith("Harbour Bridge history. ") for window, _ in model.read)


def test_the_best_sentences_far_apart_are_also_read_joined() -> None:
    pool = pooled(["a0.", "a1.", "a2.", "a3.", "a4."], ["b0."])
    assert joined_window(Ranked(evidence=(), pool_ids=(4, 0, 5), similarities={}), pool) == "a0. a4. b0."
    # three neighbours: the local window around the middle one already holds them
    assert joined_window(Ranked(evidence=(), pool_ids=(2, 1, 3), similarities={}), pool) is None


def test_the_score_is_the_best_window_and_a_part_not_stated_is_named() -> None:
    pool = pooled(["The bridge opened in 1932.", "Filler one.", "Filler two.", "Filler three.", "It is red."])
    ranked = Ranked(evidence=(), pool_ids=(0, 4), similarities={})
    stated = support(
        FakeVerifier(cue="bridge"),
        "The bridge opened in 1932.",
        ["The bridge opened", "in 1932"],
        ranked,
        pool,
    )
    assert stated.raw == pytest.approx(0.9999)
    assert stated.parts == ()  # stated as a whole: its parts are not read
    model = FakeVerifier(cue="bridge", unstated=("cafe",))
    claim = "The bridge opened in 1932 and it has a cafe."
    result = support(model, claim, ["The bridge opened", "it has a cafe"], ranked, pool)
    assert result.raw == pytest.approx(0.0001)
    supported = {p.text: p.supported for p in result.parts}
    assert supported == {"The bridge opened": True, "it has a cafe": False}


def test_supported_needs_the_verifier_to_read_the_claim_as_stated(fake_embedder) -> None:
    claim = "The bridge was opened to traffic in 1932."
    confirmed = judged(claim, FakeVerifier(cue="bridge"), fake_embedder)
    assert confirmed.verdict == "supported"
    assert dict(confirmed.signals)["verifier"] == pytest.approx(0.9999)
    # the same words on the page, but the verifier reads no window as stating the claim
    doubted = judged(claim, FakeVerifier(cue="no such words"), fake_embedder)
    assert doubted.verdict == "unsupported"
    assert "on the topic but no passage states this" in doubted.reason
    assert dict(doubted.signals)["verifier"] == pytest.approx(0.0001)
    assert dict(doubted.signals)["before_verifier"] >= confirmed.score * 0.99
    assert doubted.score < THRESHOLD_PARTIAL


def test_the_verifier_is_asked_only_about_claims_the_similarity_judge_supports(fake_embedder) -> None:
    verifier = FakeVerifier(cue="bridge")
    result = judged("The city zoo bought two new elephants from a circus in Lyon.", verifier, fake_embedder)
    assert result.verdict != "supported"
    assert verifier.read == []  # no model time spent on a claim it could not make supported
    assert "verifier" not in dict(result.signals)


def test_the_benchmark_switch_reads_every_claim_and_changes_no_verdict(fake_embedder, monkeypatch) -> None:
    claim = "The city zoo bought two new elephants from a circus in Lyon."
    before = judged(claim, FakeVerifier(cue="bridge"), fake_embedder)
    monkeypatch.setenv(READ_ALL_ENV, "1")
    verifier = FakeVerifier(cue="zoo")
    after = judged(claim, verifier, fake_embedder)
    assert verifier.read  # read although the similarity judge does not call it supported
    assert dict(after.signals)["verifier"] == pytest.approx(0.0001)
    assert "before_verifier" not in dict(after.signals)
    assert (after.verdict, after.score) == (before.verdict, before.score)


def test_the_benchmark_switch_reads_the_parts_of_a_confirmed_claim(fake_embedder, monkeypatch) -> None:
    # benchmarks/verifier_parts.py: the weakest part of a claim the verifier confirms as a whole
    claim = "The bridge opened to traffic in 1932, and it later hosted a famous jazz festival."
    before = judged(claim, FakeVerifier(cue="bridge"), fake_embedder)
    assert "verifier_weakest_part" not in dict(before.signals)
    monkeypatch.setenv(READ_ALL_ENV, "1")
    after = judged(claim, FakeVerifier(cue="bridge"), fake_embedder)
    signals = dict(after.signals)
    assert signals["verifier"] == pytest.approx(0.9999)
    assert signals["verifier_weakest_part"] == pytest.approx(0.0)  # "it later hosted ...": no cue
    assert (after.verdict, after.score) == (before.verdict, before.score)


def test_the_part_the_verifier_does_not_find_stated_is_named(fake_embedder) -> None:
    result = judged(
        "The bridge opened to traffic in 1932 and it was designed by the engineer Ana Ruiz.",
        FakeVerifier(cue="bridge", unstated=("Ruiz",)),
        fake_embedder,
    )
    assert result.verdict == "partially_supported"
    assert {p.supported for p in result.parts} == {True, False}
    assert "Ana Ruiz" in result.reason and "1932" not in result.reason


def test_a_typed_conflict_vetoes_the_verifier(fake_embedder) -> None:
    # the verifier reads the window as support, but the figure differs: the rule stands
    result = judged(
        "SpaceX won a contract worth about $3.6 billion in 2008.", FakeVerifier(cue="SpaceX"), fake_embedder
    )
    assert result.verdict == "contradicted"
    assert "$3.6 billion" in result.reason and "$1.6 billion" in result.reason


def test_partially_supported_names_the_part_the_verifier_does_not_find(fake_embedder) -> None:
    result = judged(
        "The bridge opened to traffic in 1932, and the bridge later hosted a famous jazz festival.",
        FakeVerifier(cue="bridge", unstated=("jazz",)),
        fake_embedder,
    )
    assert result.verdict == "partially_supported"
    assert "jazz festival" in result.reason


@pytest.mark.skipif(load_bundled() is None, reason="the package was built without the verifier model")
def test_a_pairs_score_does_not_depend_on_its_batch() -> None:
    model = VerifierModel(BUNDLED_DIR)
    pair = (
        "The bridge opened to traffic in 1932. It was designed by Ana Ruiz.",
        "The bridge opened in 1932.",
    )
    long_window = " ".join(["The council met on Tuesday and discussed the budget at length."] * 30)
    companions = [
        (long_window, "The council approved the budget."),
        ("Short.", "A claim about something else."),
    ]
    alone = model.predict([pair])[0]
    batched = model.predict([*companions, pair, *companions])[2]
    assert 0.0 <= alone <= 1.0
    assert batched == pytest.approx(alone, abs=1e-4)


def test_a_best_window_that_settles_the_claim_is_read_alone() -> None:
    pool = pooled(["The bridge opened in 1932.", "Filler one.", "Filler two.", "Filler three.", "It is red."])
    ranked = Ranked(evidence=(), pool_ids=(0, 4), similarities={})
    sure = FakeVerifier(cue="bridge")
    assert support(sure, "The bridge opened in 1932.", [], ranked, pool).raw == pytest.approx(0.9999)
    assert len(sure.read) == 1
    doubtful = FakeVerifier(cue="no such words")
    support(doubtful, "The bridge opened in 1932.", [], ranked, pool)
    assert len(doubtful.read) == len(windows(ranked, pool)) + (joined_window(ranked, pool) is not None) > 1


def test_reference_marks_are_not_read_as_part_of_the_claim() -> None:
    pool = pooled(["The bridge opened in 1932.[4]", "It is red."])
    ranked = Ranked(evidence=(), pool_ids=(0,), similarities={})
    model = FakeVerifier(cue="bridge", unstated=("[",))
    result = support(
        model, "The bridge opened in 1932.[3][12] It has a cafe[citation needed].", [], ranked, pool
    )
    assert result.raw == pytest.approx(0.9999)
    assert all("[" not in window + claim for window, claim in model.read)
