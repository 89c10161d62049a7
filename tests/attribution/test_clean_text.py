"""Clean text must raise no attribution finding."""

from __future__ import annotations

import pytest
from attribution_support import SOURCE, article, only, page, rules

from verify.attribution import find_attributions

# ---------------------------------------------------------------- clean text that must raise nothing
# Each class below fired on real Wikipedia and news text (the WiCE stress set) before the rules were
# narrowed; none of these sentences garbles an attribution.


def test_quoted_titles_of_works_are_not_misquotes() -> None:
    source = page(
        "The band's tribute album to Iron Maiden came out in 2008, with covers by many bands.",
        "Kerrang! released the compilation Maiden Heaven in July.",
    )
    text = (
        'The band covered "Iron Maiden" for the "Kerrang!" tribute album '
        '"Maiden Heaven: A Tribute to Iron Maiden" the same year.'
    )
    _, findings = find_attributions(article(text), [source])
    assert findings == []


def test_quoted_phrases_without_a_speaker_are_not_misquotes() -> None:
    source = page(
        "Museums across the country are joining us to celebrate 250 years of the making, debating "
        "and exhibiting of art at the Royal Academy."
    )
    text = (
        'Museums across the country celebrated "the making, debating and exhibiting art at the Royal '
        'Academy".'
    )
    _, findings = find_attributions(article(text), [source])
    assert findings == []


def test_headline_case_quotation_after_a_reporting_verb_is_a_title() -> None:
    source = page("The Forbes list of Young Hollywood's Top Earning Stars includes her this year.")
    text = 'The Forbes article noted that she was included in "Young Hollywood\'s Top Earning-Stars".'
    _, findings = find_attributions(article(text), [source])
    assert "attribution.misquote" not in rules(findings)


def test_speech_left_open_and_credited_in_the_next_sentence_is_still_checked() -> None:
    text = (
        '"It\'s a 20-year deal and we have commitments. We will honour them," said Robert Mulcahy, '
        "the president of the authority."
    )
    _, findings = find_attributions(article(text), [SOURCE])
    assert "-[20-year]" in only(findings, "attribution.misquote").message


def test_capitalised_event_and_title_phrases_are_not_lowercased_names() -> None:
    source = page(
        "The women's team won the National Student Cup in 2019, the university said.",
        "In 2009 he became Deputy Director of the PECOS center, the university said.",
        "Arnold is Publisher and Editorial Director of Media Play News, the company said.",
    )
    text = (
        "Both teams also won the national student cup in 2019, the university said. "
        "In 2009 he was appointed deputy director of the PECOS center, the university said. "
        "Arnold is the publisher and editorial director of Media Play News, the company said."
    )
    _, findings = find_attributions(article(text), [source])
    assert "attribution.lowercased-name" not in rules(findings)


def test_a_capitalised_phrase_of_the_article_is_not_a_name_to_lowercase_check() -> None:
    text = (
        "In 1985, ICADV and its sister organization, the Illinois Coalition Against Sexual Assault, "
        "worked together for the passage of the Illinois Sexual Assault Act, which broadened the "
        "definition of sexual assault and imposed harsher punishments."
    )
    _, findings = find_attributions(article(text), [page("The coalition was founded in 1978.")])
    assert findings == []


def test_a_titled_person_written_in_lowercase_is_still_a_lowercased_name() -> None:
    source = page("The review was led by Deputy Director Lin Xiqiang of the agency.")
    text = "The review was led by deputy director lin xiqiang of the agency."
    _, findings = find_attributions(article(text), [source])
    finding = only(findings, "attribution.lowercased-name")
    assert finding.suggestion == "Lin Xiqiang" and text[finding.start : finding.end] == "lin xiqiang"


def test_acronyms_and_function_words_do_not_make_a_title_mismatch() -> None:
    source = page('"We will hold twelve debates," said Tom Perez, chairman of the DNC.')
    text = (
        '"We will hold twelve debates," said Tom Perez, the chairman for the Democratic National Committee.'
    )
    _, findings = find_attributions(article(text), [source])
    assert findings == []
    text = '"We will hold twelve debates," said Tom Perez, the treasurer of the DNC.'
    _, findings = find_attributions(article(text), [source])
    assert "chairman of the DNC" in only(findings, "attribution.title-mismatch").suggestion


@pytest.mark.parametrize(
    "text",
    [
        "The term was coined in 1944; however, reports of blind humans locating objects date back to 1749.",
        "The plant will close in May, according to reports.",
        "Media reports said the plant will close in May.",
        "Whose TV reports on the famine started the whole movement.",
        "The indictment, announced at a news conference this evening, does not assure a trial.",
        "The crash, confirmed to have been a controlled flight into terrain, killed eleven.",
        "He will be based in Downing Street, Sky's chief executive, Jeremy Darroch, said "
        "in an email to staff.",
        '"I forgot I had another race," Tjallingii, a heftily built Classics and time trial specialist '
        "who plans to retire after the ZLM Tour later this summer, said.",
        'It was "laughable," as many foreign military attachés later told me.',
        "The ministry is sometimes, as the Windrush scandal confirmed, careless.",
    ],
)
def test_nouns_participles_and_named_appositions_are_not_missing_speakers(text: str) -> None:
    _, findings = find_attributions(article(text), [])
    assert "attribution.missing-speaker" not in rules(findings)


def test_accents_and_plurals_are_not_inconsistent_names() -> None:
    text = (
        "Bahía Blanca is a port. Trains run to Bahia Blanca daily. "
        "The Industry Summit met. Previous Industry Summits were larger."
    )
    _, findings = find_attributions(article(text), [])
    assert "attribution.inconsistent-name" not in rules(findings)
