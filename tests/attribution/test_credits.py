"""Finding who said what: credits, cues and speakers in real-news shapes (verify/attribution/credits.py)."""

from __future__ import annotations

import pytest
from attribution_support import NEWS, article, only, page

from verify.attribution import find_attributions
from verify.models import Article

# ---------------------------------------------------------------- finding the credits


def test_inverted_said_gives_speaker_title_organisation_and_content() -> None:
    text = 'Intro line.\n\n"We are ready," said Jane Roe, chief engineer at Acme Rockets.'
    attributions, findings = find_attributions(article(text), [])
    (credit,) = attributions
    assert credit.speaker == "Jane Roe"
    assert text[credit.start : credit.end] == "Jane Roe"
    assert credit.verb == "said"
    assert credit.title == "chief engineer at Acme Rockets"
    assert credit.organisation == "Acme Rockets"
    assert credit.content == "We are ready"
    assert text[credit.content_start : credit.content_end] == "We are ready"
    assert credit.quote
    assert findings == []


def test_name_before_verb_according_to_and_pronouns() -> None:
    text = (
        "Chief executive Ivan Gazidis said the club would grow. Prices rose, according to Jane Roe. "
        '"It works," she said.'
    )
    attributions, _ = find_attributions(article(text), [])
    by_verb = {a.verb: a for a in attributions}
    assert by_verb["said"].speaker in ("Ivan Gazidis", "she")
    speakers = [a.speaker for a in attributions]
    assert speakers == ["Ivan Gazidis", "Jane Roe", "she"]
    assert attributions[0].title == "Chief executive"
    assert attributions[0].content == "the club would grow"
    assert attributions[1].content == "Prices rose"


def test_verbs_inside_quotations_are_not_credits() -> None:
    text = '"When Ralph said yes, we knew it," said Glenn Adilman.'
    attributions, _ = find_attributions(article(text), [])
    assert [a.speaker for a in attributions] == ["Glenn Adilman"]


def test_offsets_point_into_the_raw_file() -> None:
    raw = "---\ntitle: x\n---\n\nThe plan failed, said.\n"
    body = raw.index("The plan")
    prose = raw[body:]
    art = Article(path="a.md", raw=raw, text=prose, format="markdown", offsets=tuple(range(body, len(raw))))
    _, findings = find_attributions(art, [])
    finding = only(findings, "attribution.missing-speaker")
    assert raw[finding.start : finding.end] == "said"
    assert (finding.line, finding.column) == (5, raw.index("said") - body + 1)


# ---------------------------------------------------------------- real-news cues and speakers


@pytest.mark.parametrize(
    ("text", "verb", "speaker"),
    [
        ('"We will win the state," Maria Okafor tweeted on Sunday.', "tweeted", "Maria Okafor"),
        ("Paul Dreyer argues that the levy hurts farmers.", "argues", "Paul Dreyer"),
        ("Tomas Riva has repeatedly claimed the count was rigged.", "claimed", "Tomas Riva"),
        ("Nadia Brandt hasn't said whether she will run again.", "said", "Nadia Brandt"),
        ("Sen. Ada Whitcomb (D-Ore.), also stated her intention to vote no.", "stated", "Ada Whitcomb"),
        ('"The bill is dead," posted Rep. Colin Mabry (R-Ky.), a panel member.', "posted", "Colin Mabry"),
        (
            'The union released the following statement: "We regret the delay."',
            "released the following statement",
            "The union",
        ),
        (
            'At the forum, Ines Halloran compared herself to the mayor, saying, "I listen."',
            "saying",
            "Ines Halloran",
        ),
        ("A citizen, whose name is redacted, wrote that the park should stay open.", "wrote", "A citizen"),
        (
            "Lena Marsh, assistant secretary for refugees, migration, and aid, said on the same call.",
            "said",
            "Lena Marsh",
        ),
        ('"Prices will rise," said Sen. Hal Oduya, who chairs the panel.', "said", "Hal Oduya"),
    ],
)
def test_real_news_cues_find_their_speaker(text: str, verb: str, speaker: str) -> None:
    attributions, findings = find_attributions(article(text), [])
    assert (verb, speaker) in [(a.verb, a.speaker) for a in attributions]
    assert [f for f in findings if f.severity != "info"] == []


@pytest.mark.parametrize(
    "text",
    [
        "The measure won a majority in 20 different states.",
        "She kept all her ''work-related'' emails.",
        "The candidate's claims drew fire, and the campaign's remarks did not help.",
        "As the Cape Herald's investigative unit reported, the contract was never signed.",
        'But as the nationalist Daily Courier tabloid noted in an op-ed, the plan "has fans abroad."',
        "As the paper noted, the vote surprised nobody.",
        "A citizen, whose name is redacted, wrote that the park should stay open.",
        "A spokesperson who asked not to be named said the talks had stalled.",
        "Yet Democratic economists, like their Republican peers, say taxing consumption encourages savings.",
        "The mayor was making a joke to reporters, as one of them, The Daily Courier's Lena Marsh, reported.",
    ],
)
def test_clean_real_news_shapes_raise_nothing(text: str) -> None:
    _, findings = find_attributions(article(text), [page(text)])
    assert [f for f in findings if f.severity != "info"] == []
    _, findings = find_attributions(article(text), [])
    assert [f for f in findings if f.severity != "info"] == []


@pytest.mark.parametrize(
    ("text", "glued", "suggestion"),
    [
        (
            '"Tariffs are a tax on families," said chad rowntreeexpert on trade at the Harbor Institute.',
            "chad rowntreeexpert",
            "Chad Rowntree, expert on trade at the Harbor Institute",
        ),
        (
            "gordon keeleCanada's ambassador to Chile, said the talks went well.",
            "gordon keeleCanada's",
            "Gordon Keele, Canada's ambassador to Chile",
        ),
        (
            "will darrowprofessor of history at Lakeside College, said the archive was unique.",
            "will darrowprofessor",
            "Will Darrow, professor of history at Lakeside College",
        ),
    ],
)
def test_glued_names_with_any_title_shape(text: str, glued: str, suggestion: str) -> None:
    _, findings = find_attributions(article(text), [NEWS])
    finding = only(findings, "attribution.glued-title")
    assert text[finding.start : finding.end] == glued
    assert finding.suggestion == suggestion
    assert f"the source has '{suggestion}'" in finding.message


def test_a_name_misspelled_outside_a_credit_is_a_near_match_of_the_source() -> None:
    text = "On Wednesday, Abernahty also stated her intention to vote against the budget."
    _, findings = find_attributions(article(text), [NEWS])
    flagged = [f for f in findings if text[f.start : f.end] == "Abernahty"]
    assert flagged and flagged[0].suggestion == "Abernathy" and "Abernathy" in flagged[0].message
    text = "Mayor Dan Priutt welcomed it, and his aides cheered."
    _, findings = find_attributions(article(text), [NEWS])
    finding = only(findings, "attribution.misspelled-name")
    assert finding.suggestion == "Pruitt" and text[finding.start : finding.end] == "Priutt"


def test_the_source_credits_the_statement_to_the_other_person() -> None:
    text = 'Dan Pruitt said: "We cannot afford another delay."'
    _, findings = find_attributions(article(text), [NEWS])
    finding = only(findings, "attribution.wrong-speaker")
    assert finding.suggestion == "Ruth Abernathy"
    assert "the source credits this to Ruth Abernathy" in finding.message


def test_a_pronoun_in_the_source_stands_for_the_last_person_credited() -> None:
    text = "Ruth Abernathy added that the vote on the appeal was close."
    _, findings = find_attributions(article(text), [NEWS])
    finding = only(findings, "attribution.wrong-speaker")
    assert finding.suggestion == "Pruitt" and "credits this to Pruitt" in finding.message


def test_a_name_swapped_beside_any_cue_is_caught() -> None:
    text = "Pruitt also stated her intention to vote against the budget on Wednesday."
    _, findings = find_attributions(article(text), [NEWS])
    finding = only(findings, "attribution.wrong-speaker")
    assert finding.suggestion == "Abernathy" and text[finding.start : finding.end] == "Pruitt"
    text = "Ruth Abernathy also stated her intention to vote against the budget on Wednesday."
    _, findings = find_attributions(article(text), [NEWS])
    assert findings == [], "the same person by her full name"


def test_a_dangling_surname_points_at_the_verb_that_lost_it() -> None:
    source = page('"The city will appeal," said Pruitt. "The vote was close."')
    text = "''The city will appeal,'' said. ''The vote was close.'' Pruitt,"
    _, findings = find_attributions(article(text), [source])
    dangling = only(findings, "attribution.dangling-name")
    assert text[dangling.start : dangling.end] == "Pruitt"
    assert "'said'" in dangling.message and dangling.suggestion == "said Pruitt"
    assert only(findings, "attribution.missing-speaker").suggestion == "said Pruitt"
