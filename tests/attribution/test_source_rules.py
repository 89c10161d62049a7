"""Attribution rules against the sources: misspelled, swapped or misquoted speakers (sourcechecks.py)."""

from __future__ import annotations

from attribution_support import SOURCE, article, only, page

from verify.attribution import find_attributions

# ---------------------------------------------------------------- rules against the sources


def test_misspelled_speaker_gets_the_source_spelling() -> None:
    text = '"We suggested it," said Lou Gamoriello, the president of the Devils.'
    _, findings = find_attributions(article(text), [SOURCE])
    finding = only(findings, "attribution.unknown-speaker")
    assert finding.suggestion == "Lamoriello" and finding.severity == "error"
    assert text[finding.start : finding.end] == "Gamoriello"


def test_speaker_in_no_source_without_a_near_name() -> None:
    text = '"Nobody asked us," said Harriet Quimby, a pilot.'
    _, findings = find_attributions(article(text), [SOURCE])
    finding = only(findings, "attribution.unknown-speaker")
    assert finding.severity == "warning" and finding.suggestion == ""


def test_swapped_speaker_is_a_wrong_speaker() -> None:
    text = (
        '"It\'s a 12-year deal and we have commitments," said Michael Rowe, the president of the authority.'
    )
    _, findings = find_attributions(article(text), [SOURCE])
    finding = only(findings, "attribution.wrong-speaker")
    assert finding.suggestion == "Robert Mulcahy"
    assert "Robert Mulcahy" in finding.message


def test_correct_credits_raise_nothing() -> None:
    text = (
        "The authority met on Monday.\n\n"
        '"It\'s a 12-year deal and we have commitments," said Robert Mulcahy, '
        "the president of the authority."
    )
    _, findings = find_attributions(article(text), [SOURCE])
    assert findings == []


def test_lowercased_name_against_the_source() -> None:
    text = '"We will think about more," said michael rowe, the general manager of the arena.'
    _, findings = find_attributions(article(text), [SOURCE])
    assert only(findings, "attribution.lowercased-name").suggestion == "Michael Rowe"


def test_glued_title_against_the_source() -> None:
    text = "It was welcome, said Gautam Bhatiaa Delhi-based lawyer."
    _, findings = find_attributions(article(text), [SOURCE])
    assert only(findings, "attribution.glued-title").suggestion == "Gautam Bhatia, a Delhi-based lawyer"


def test_missing_speaker_suggests_who_the_source_credits() -> None:
    text = '"We will think about more," said.'
    _, findings = find_attributions(article(text), [SOURCE])
    assert only(findings, "attribution.missing-speaker").suggestion == "said Michael Rowe"


def test_title_mismatch() -> None:
    text = '"We suggested it," said Lou Lamoriello, the owner of the Rangers.'
    _, findings = find_attributions(article(text), [SOURCE])
    finding = only(findings, "attribution.title-mismatch")
    assert "president of the Devils" in finding.suggestion


def test_misquote_shows_a_word_diff() -> None:
    text = (
        '"It\'s a 20-year deal and we have commitments," said Robert Mulcahy, the president of the authority.'
    )
    _, findings = find_attributions(article(text), [SOURCE])
    finding = only(findings, "attribution.misquote")
    assert "-[20-year]" in finding.message and "+[12-year]" in finding.message
    assert finding.severity == "error"


def test_second_hand_credit_is_info_unless_the_outlet_is_a_source() -> None:
    text = (
        "Astronauts returned on Tuesday, Bloomberg reported. "
        "Funding slowed, according to China Space Monitor."
    )
    _, findings = find_attributions(article(text), [SOURCE])
    second = [f for f in findings if f.rule == "attribution.second-hand"]
    assert [text[f.start : f.end] for f in second] == ["Bloomberg", "China Space Monitor"]
    assert {f.severity for f in findings} == {"info"}
    bloomberg = page("Astronauts returned on Tuesday.", url="https://www.bloomberg.com/news/x")
    _, findings = find_attributions(article(text), [bloomberg])
    assert [text[f.start : f.end] for f in findings] == ["China Space Monitor"]
    relayed = page("Funding slowed, according to the research firm China Space Monitor.")
    _, findings = find_attributions(article(text), [relayed])
    assert [text[f.start : f.end] for f in findings] == ["Bloomberg"], "the source itself credits the outlet"
