"""Attribution rules on the article's text alone (verify/attribution/checks.py)."""

from __future__ import annotations

from attribution_support import article, only, rules

from verify.attribution import find_attributions

# ---------------------------------------------------------------- rules on the text alone


def test_glued_title_is_split_and_the_name_capitalised() -> None:
    text = "Sales will rise, as noted lynette tanCEO of Space Faculty, a training firm."
    _, findings = find_attributions(article(text), [])
    glued = only(findings, "attribution.glued-title")
    assert glued.suggestion == "Lynette Tan, CEO of Space Faculty"
    assert text[glued.start : glued.end] == "lynette tanCEO"
    lowered = only(findings, "attribution.lowercased-name")
    assert lowered.suggestion == "Lynette Tan"
    assert glued.severity == lowered.severity == "error"


def test_camel_case_brand_names_are_not_glued_titles() -> None:
    text = '"It sells," said Ray McDonald, who runs the YouTube channel at McKinsey.'
    _, findings = find_attributions(article(text), [])
    assert findings == []


def test_lowercase_speaker_after_said() -> None:
    text = '"We had to improve," said alec scheiner, the Browns\' president.'
    _, findings = find_attributions(article(text), [])
    assert only(findings, "attribution.lowercased-name").suggestion == "Alec Scheiner"


def test_lowercase_common_nouns_after_said_are_left_alone() -> None:
    text = '"We had to improve," said the team. "It is fine," said police officials.'
    _, findings = find_attributions(article(text), [])
    assert findings == []


def test_lowercase_form_of_a_name_used_elsewhere_in_the_article() -> None:
    text = "Berry Gordy founded the label.\n\nFormer Motown head berry gordy said Jackson raised the bar."
    _, findings = find_attributions(article(text), [])
    lowered = only(findings, "attribution.lowercased-name")
    assert lowered.suggestion == "Berry Gordy"
    assert lowered.line == 3


def test_dangling_name_is_linked_to_the_unnamed_speaker() -> None:
    text = (
        "Some context here.\n\nAs the deputy director said, the agency is reviewing proposals.\n\n"
        "Lin Ziqiang,\n"
    )
    _, findings = find_attributions(article(text), [])
    dangling = only(findings, "attribution.dangling-name")
    assert dangling.line == 5
    assert "line 3" in dangling.message
    assert dangling.suggestion == "As Lin Ziqiang, deputy director, said"
    missing = only(findings, "attribution.missing-speaker")
    assert missing.line == 3 and missing.severity == "warning"


def test_name_trailing_a_paragraph_is_dangling() -> None:
    text = "The agency reviews proposals for cargo missions. Lin Ziqiang,"
    _, findings = find_attributions(article(text), [])
    assert text[only(findings, "attribution.dangling-name").start :].startswith("Lin Ziqiang")


def test_a_heading_or_complete_sentence_is_not_dangling() -> None:
    text = "Space News\n\nLin Ziqiang leads the programme.\n\nJane Roe said the plan works."
    _, findings = find_attributions(article(text), [])
    assert "attribution.dangling-name" not in rules(findings)


def test_said_without_a_speaker() -> None:
    text = 'He was cool and collected under fire," said.'
    _, findings = find_attributions(article(text), [])
    finding = only(findings, "attribution.missing-speaker")
    assert finding.severity == "error"
    assert text[finding.start : finding.end] == "said"


def test_pronoun_and_named_title_speakers_are_not_missing() -> None:
    text = (
        'Jane Roe, deputy director of the agency, spoke first. "It is fine," she said. '
        "As the deputy director said, the launch is on time. As noted above, the rest waits."
    )
    _, findings = find_attributions(article(text), [])
    assert "attribution.missing-speaker" not in rules(findings)


def test_inconsistent_spellings_of_one_name() -> None:
    text = 'Pat Patterson opened the event.\n\n"Thank you all," Pat Batterson said.'
    _, findings = find_attributions(article(text), [])
    finding = only(findings, "attribution.inconsistent-name")
    assert finding.suggestion == "Pat Patterson" and finding.line == 3


def test_relatives_with_one_surname_are_not_inconsistent() -> None:
    text = 'Barbara Olson called. "She called from the plane," Theodore Olson said.'
    _, findings = find_attributions(article(text), [])
    assert "attribution.inconsistent-name" not in rules(findings)
