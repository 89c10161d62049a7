"""The origin article against its source, and the shape of every finding for any text."""

from __future__ import annotations

import pytest
from attribution_support import NEWS, SEED, SOURCE, article, only, page
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.attribution import find_attributions
from verify.models import SEVERITIES

# ---------------------------------------------------------------- the origin article


@pytest.mark.skipif(not SEED.exists(), reason="origin article fixture not present")
def test_origin_article_against_its_source() -> None:
    text = SEED.read_text(encoding="utf-8")
    source = page(
        "China is weighing commercial rockets for cargo missions.",
        "Lin Xiqiang, deputy director of the CMSA, said the agency is currently reviewing proposals to use "
        "privately developed rockets for cargo transport missions to the Chinese space station.",
        "CMSA contracts could potentially boost Chinese industry, similar to the boost SpaceX received from "
        "NASA, Lynette Tan, CEO of Space Faculty Pte Ltd., said.",
    )
    _, findings = find_attributions(article(text), [source])
    dangling = only(findings, "attribution.dangling-name")
    assert text[dangling.start : dangling.end] == "Lin Ziqiang"
    assert "Lin Xiqiang" in dangling.suggestion and "Lin Xiqiang" in dangling.message
    glued = only(findings, "attribution.glued-title")
    assert glued.suggestion.startswith("Lynette Tan, CEO of Space Faculty")
    assert only(findings, "attribution.lowercased-name").suggestion == "Lynette Tan"
    for name in ("Bloomberg", "China Space Monitor"):
        credited = [f for f in findings if text[f.start : f.end] == name]
        assert [(f.rule, f.severity) for f in credited] == [("attribution.second-hand", "info")]
    errors = {(f.line, f.rule) for f in findings if f.severity == "error"}
    assert errors == {
        (3, "attribution.dangling-name"),
        (13, "attribution.glued-title"),
        (13, "attribution.lowercased-name"),
    }


# ---------------------------------------------------------------- shape of every finding


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([*'abcXYZ ,."\n', "said ", "Jane Roe", "according to ", "CEO", "tan"]), max_size=60
    ).map("".join)
)
def test_any_text_gives_well_formed_findings(text: str) -> None:
    attributions, findings = find_attributions(article(text), [SOURCE])
    for finding in findings:
        assert finding.rule.startswith("attribution.")
        assert finding.severity in SEVERITIES
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.line >= 1 and finding.column >= 1
    for credit in attributions:
        assert 0 <= credit.start <= credit.end <= len(text)


def test_a_person_put_for_another_in_a_sentence_without_a_cue() -> None:
    text = "Dan Pruitt said she would oppose the bill."
    _, findings = find_attributions(article(text), [NEWS])
    assert only(findings, "attribution.wrong-speaker").suggestion == "Ruth Abernathy"
    source = page("Ruth Abernathy needs to win Ohio, and Dan Pruitt needs to win Texas.")
    text = "Dan Pruitt needs to win Ohio, and Dan Pruitt needs to win Texas."
    _, findings = find_attributions(article(text), [source])
    finding = only(findings, "attribution.wrong-name")
    assert finding.suggestion == "Ruth Abernathy" and finding.start == 0
    _, findings = find_attributions(article("A later Pruitt rally needs to win Ohio."), [source])
    assert findings == [], "a different sentence, not a swapped name"


def test_a_different_adjective_in_a_credited_sentence_is_no_swapped_name() -> None:
    source = page("The agency reviews rockets for missions to the Tiangong space station, said Lin Xiqiang.")
    text = "The agency reviews rockets for missions to the Chinese space station, said Lin Xiqiang."
    _, findings = find_attributions(article(text), [source])
    assert findings == []


def test_a_misspelled_surname_after_an_honorific() -> None:
    source = page(
        "Polls tightened as Mr. Sanders campaigned in Ohio.",
        "Mr. Sanders, after first saying he would not advertise, bought airtime.",
    )
    text = "On Friday Mr. Sands bought airtime across California."
    _, findings = find_attributions(article(text), [source])
    assert [(f.rule, f.suggestion) for f in findings] == [("attribution.misspelled-name", "Sanders")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Ada Whitcomb, the Republican candidate, has said there should be a pause.", "Ada Whitcomb"),
        ("In a brief interview, Ms. Whitcomb rejected the idea and said that the plan stands.", "Whitcomb"),
    ],
)
def test_speaker_behind_an_aside_and_an_auxiliary_or_a_first_verb(text: str, speaker: str) -> None:
    attributions, _ = find_attributions(article(text), [])
    assert [a.speaker for a in attributions if a.verb == "said"] == [speaker]


def test_a_dangling_name_belongs_to_the_description_left_after_the_verb() -> None:
    text = "The talks were productive, said the ambassador to Chile. Gordon Keele,\nThe budget comes next."
    _, findings = find_attributions(article(text), [NEWS])
    dangling = only(findings, "attribution.dangling-name")
    assert text[dangling.start : dangling.end] == "Gordon Keele"
    assert dangling.suggestion == "said Gordon Keele, the ambassador to Chile"
