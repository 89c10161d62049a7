"""The rewrite diff: alignment (splits, merges, order), change kinds, copy share, likely original."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import FakeEmbedder

from verify.claims import split_claims
from verify.entail import FakeEntailment
from verify.extract import extract
from verify.ingest import load_article
from verify.models import Article, Claim, ClaimResult, Document, Fetched, RewriteDiff, Sentence, SourceRef
from verify.rewrite import compare_rewrite, copy_share, for_article, likely_original, rewrite_findings
from verify.sentences import split_spans

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _document(text: str, label: str = "https://example.org/original") -> Document:
    spans = list(split_spans(text))
    sentences = tuple(Sentence(n, text[a:b], a, b) for n, (a, b) in enumerate(spans))
    return Document(SourceRef(label), text, sentences)


def _article(text: str) -> Article:
    return Article("rewrite.md", text, text, "text")


def _diff(original: str, rewrite: str) -> tuple[RewriteDiff, list[Claim]]:
    article = _article(rewrite)
    claims = split_claims(article)
    return compare_rewrite(claims, _document(original), FakeEmbedder(), article=article), claims


def test_order_split_and_merge_are_aligned() -> None:
    original = (
        "The council approved the new budget for the harbour district on Monday. "
        "The mayor said the plan would create hundreds of jobs in the port. "
        "Construction of the new ferry terminal begins in the spring. "
        "The terminal will serve the islands."
    )
    rewrite = (
        "The mayor said the plan would create hundreds of jobs in the port. "
        "On Monday the council approved the new budget. It covers the harbour district. "
        "Construction of the new ferry terminal, which will serve the islands, begins in the spring."
    )
    diff, claims = _diff(original, rewrite)
    pairs = {p.rewrite: p.original for p in diff.pairs if p.rewrite and p.original}
    ids = [c.id for c in claims]
    assert pairs[(ids[0],)] == (1,)
    assert pairs[(ids[1], ids[2])] == (0,)  # split
    assert pairs[(ids[3],)] == (2, 3)  # merge
    assert not [p for p in diff.pairs if p.kind in ("added", "dropped")]


def test_change_kinds_with_both_wordings() -> None:
    original = (
        "The company won a $1.6 billion contract in 2008. "
        "The agency could award contracts to private rocket makers next year. "
        "The ministry did not approve the merger of the two airlines. "
        "The state is weighing whether to finance private firms for the missions. "
        "The results were announced by the board in a short statement."
    )
    rewrite = (
        "The company won a $3.6 billion contract in 2008. "
        "The agency will award contracts to private rocket makers next year. "
        "The ministry approved the merger of the two airlines. "
        "The state is weighing private firms funding the missions. "
        "The results were announced by the board in a short statement."
    )
    diff, _ = _diff(original, rewrite)
    kinds = [p.kind for p in diff.pairs]
    assert kinds == ["fact-changed", "meaning-changed", "meaning-changed", "meaning-changed", "kept"]
    figure = diff.pairs[0].changes[0]
    assert (figure.original, figure.rewrite) == ("$1.6 billion", "$3.6 billion")
    assert (
        "hedge dropped" in diff.pairs[1].changes[0].message
        and "'could' → 'will'" in diff.pairs[1].changes[0].message
    )
    assert diff.pairs[2].changes[0].kind == "negation"
    assert diff.pairs[3].changes[0].kind == "role"


def test_speaker_swapped_and_dropped() -> None:
    original = (
        "The bridge will close for repairs in June, said Maria Lopez, the city engineer. "
        "Traffic will be diverted through the old town, said Peter Novak, a council spokesman."
    )
    rewrite = (
        "The bridge will close for repairs in June, said Peter Novak, the city engineer. "
        "Traffic will be diverted through the old town, officials said."
    )
    diff, _ = _diff(original, rewrite)
    messages = [c.message for p in diff.pairs for c in p.changes]
    assert [p.kind for p in diff.pairs] == ["attribution-changed", "attribution-changed"]
    assert messages[0].startswith("speaker swapped: 'Peter Novak'") and "Maria Lopez" in messages[0]
    assert messages[1].startswith("speaker dropped") and "Peter Novak, council spokesman" in messages[1]


def test_added_and_dropped_sentences() -> None:
    original = (
        "The museum reopened on Saturday after a two-year renovation. "
        "Visitors may see the restored ceiling, the director said, according to a statement. "
        "Correction: an earlier version misstated the year the museum opened."
    )
    rewrite = (
        "The museum reopened on Saturday after a two-year renovation. "
        "Tickets cost twelve euros for adults and are sold online only. "
        "Photo by Jane Roe on Shutterstock"
    )
    article = _article(rewrite)
    claims = split_claims(article)
    diff = compare_rewrite(
        claims,
        _document(original),
        FakeEmbedder(),
        article=article,
        supported_by={claims[1].id: "https://example.org/tickets"},
    )
    added = [p for p in diff.pairs if p.kind == "added"]
    dropped = [p for p in diff.pairs if p.kind == "dropped"]
    assert [(p.claim, p.note) for p in added] == [
        (True, "supported by https://example.org/tickets"),
        (False, "not a claim (boilerplate)"),
    ]
    assert "qualifier 'may'" in dropped[0].note
    assert "correction" in dropped[1].note
    assert not [
        f for f in rewrite_findings(diff, claims) if f.rule == "rewrite.added"
    ]  # supported, or not a claim


def test_copy_share_counts_runs_of_copied_words() -> None:
    original = "one two three four five six seven eight nine ten"
    assert copy_share("one two three four five six", original) == 1.0
    assert copy_share("one two three four nine", original) == 0.0
    assert copy_share("alpha one two three four five beta gamma delta epsilon", original) == 0.5


def _origin() -> tuple[Article, Document]:
    article = load_article(FIXTURES / "cmsa-private-rockets.md", "cmsa-private-rockets.md")
    path = FIXTURES / "rewrite" / "cmsa-original.html"
    return article, extract(
        Fetched(SourceRef("https://archive.example.org/original", path), path.read_bytes(), "text/html")
    )


def test_a_speaker_kept_without_its_descriptor_is_not_a_change() -> None:
    original = (
        "Startups are projected to raise about half that amount this year, "
        "according to the research firm China Space Monitor."
    )
    rewrite = (
        "Startups are projected to raise about half that amount this year, according to China Space Monitor."
    )
    diff, _ = _diff(original, rewrite)
    assert [p.kind for p in diff.pairs] == ["kept"] or all(
        c.kind != "speaker" for p in diff.pairs for c in p.changes
    )


def test_origin_article_against_its_original() -> None:
    article, original = _origin()
    claims = split_claims(article)
    diff = compare_rewrite(claims, original, FakeEmbedder(), article=article)
    by_text = {p.rewrite_text: p for p in diff.pairs if p.rewrite}
    lin = next(p for p in diff.pairs if p.rewrite_text.endswith("Lin Ziqiang,"))
    assert (
        lin.kind == "attribution-changed"
        and "Lin Xiqiang, deputy director of the CMSA" in lin.changes[0].original
    )
    tan = next(p for p in diff.pairs if "lynette tanCEO" in p.rewrite_text)
    assert tan.kind == "attribution-changed"
    assert tan.changes[0].rewrite == "lynette tanCEO" and tan.changes[0].original.startswith(
        "Lynette Tan, CEO"
    )
    funding = next(p for t, p in by_text.items() if "private companies funding" in t)
    assert funding.kind == "meaning-changed" and funding.changes[0].kind == "role"
    # the role reader's words, not a quotation the original does not hold
    assert funding.changes[0].message.startswith("roles inverted: in the original, ")
    assert "'" not in funding.changes[0].message
    bloomberg = next(p for t, p in by_text.items() if "Bloomberg reported" in t)
    assert bloomberg.kind in ("kept", "reworded") and "Bloomberg reported" in bloomberg.original_text
    for start in ("See also", "Read next", "Photo by", "The GPT-4-based"):
        pair = next(p for t, p in by_text.items() if t.startswith(start))
        assert pair.kind == "added" and not pair.claim, start
    assert 0.3 < diff.copy_share < 0.8
    rules = {f.rule for f in rewrite_findings(diff, claims)}
    assert {"rewrite.attribution-changed", "rewrite.meaning-changed"} <= rules
    assert likely_original(claims, [original]) is not None


def test_an_optional_entailment_model_flags_what_the_rules_miss() -> None:
    original = "The Blues won the final against a strong side on Sunday. The stadium was full."
    rewrite = "The Reds won the final against a strong side on Sunday. The stadium was full."
    article = _article(rewrite)
    claims = split_claims(article)
    model = FakeEntailment(cue="Reds")  # contradiction when the premise names the Reds
    diff = compare_rewrite(claims, _document(original), FakeEmbedder(), article=article, entailment=model)
    assert [p.kind for p in diff.pairs] == ["meaning-changed", "kept"]
    assert diff.pairs[0].changes[-1].kind == "entailment"
    assert len(model.pairs) == 4  # both directions of both pairs
    assert [p.kind for p in compare_rewrite(claims, _document(original), FakeEmbedder()).pairs][1] == "kept"


def test_an_error_the_original_already_made_is_inherited() -> None:
    original = (
        "SpaceX won a $3.6 billion cargo contract from NASA in 2008. The first flight followed in 2012."
    )
    rewrite = (
        "SpaceX won a $3.6 billion cargo contract from NASA in 2008. Its rockets are reusable and cheap."
    )
    article = _article(rewrite)
    claims = split_claims(article)
    doc = replace(_document(original), ref=SourceRef("https://example.org/original", origin="original"))
    results = [
        ClaimResult(claims[0], "contradicted", 0.1, reason="the 2008 report says $1.6 billion"),
        ClaimResult(
            claims[1],
            "contradicted",
            0.1,
            reason="the explainer says expendable: \u201cIt was expendable.\u201d",
        ),
    ]
    diff = for_article(article, claims, [doc], results, FakeEmbedder())
    assert diff is not None and not diff.detected
    assert diff.pairs[0].note == "error inherited from the original: the 2008 report says $1.6 billion"
    added = next(p for p in diff.pairs if p.kind == "added")
    assert added.note == "not in the original, and contradicted by the sources: the explainer says expendable"
