from verify.sentences import PARAGRAPH, split, split_at_capitals, split_spans


def test_abbreviations_and_amounts_do_not_end_sentences() -> None:
    text = (
        "As noted by Lynette Tan, CEO of Space Faculty Pte Ltd., a Singapore-based company. "
        "The U.S. contract was signed on Oct. 25 for $1.2 billion. Dr. Smith agreed."
    )
    assert split(text) == [
        "As noted by Lynette Tan, CEO of Space Faculty Pte Ltd., a Singapore-based company.",
        "The U.S. contract was signed on Oct. 25 for $1.2 billion.",
        "Dr. Smith agreed.",
    ]


def test_company_suffix_and_initialism_can_end_a_sentence() -> None:
    assert split("It hired Acme Corp. The deal closed.") == ["It hired Acme Corp.", "The deal closed."]
    assert split("It moved to the U.S. The end came later.") == [
        "It moved to the U.S.",
        "The end came later.",
    ]
    assert split("The U.S. Army came.") == ["The U.S. Army came."]


def test_quotes_and_parentheses_stay_with_their_sentence() -> None:
    text = '\u201cWe won. Again,\u201d she said. He left (see p. 5). "Done." Next one.'
    assert split(text) == [
        "\u201cWe won. Again,\u201d she said.",
        "He left (see p. 5).",
        '"Done."',
        "Next one.",
    ]


def test_initials_and_blank_lines() -> None:
    assert split("J. R. R. Tolkien wrote it.\n\nA new paragraph") == [
        "J. R. R. Tolkien wrote it.",
        "A new paragraph",
    ]


def test_spans_point_into_the_text() -> None:
    text = "  First one.  Second one?\n\nThird!  "
    spans = list(split_spans(text))
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one?", "Third!"]


def test_split_at_capitals_cuts_inside_quotations_where_split_spans_does_not() -> None:
    text = '"We won. We are strong," Roe said. It rained.'
    assert split(text) == ['"We won. We are strong," Roe said.', "It rained."]
    cut = [text[a:b] for a, b in split_at_capitals(text)]
    assert cut == ['"We won.', 'We are strong," Roe said.', "It rained."]


def test_split_at_capitals_keeps_abbreviations_initials_and_lowercase_continuations() -> None:
    text = "Sen. Ted Cruz met J. Smith in the U.S. on Monday. it went on! Then Calif. Gov. Roe spoke."
    cut = [text[a:b] for a, b in split_at_capitals(text)]
    assert cut == [
        "Sen. Ted Cruz met J. Smith in the U.S. on Monday. it went on!",
        "Then Calif. Gov. Roe spoke.",
    ]


def test_split_at_capitals_spans_within_a_range_and_paragraphs() -> None:
    text = "First one. Second one.\n\nThird one."
    paragraphs = [(m.start(), m.end()) for m in PARAGRAPH.finditer(text)]
    assert [text[a:b] for a, b in paragraphs] == ["First one. Second one.", "Third one."]
    start, end = paragraphs[0]
    assert [text[a:b] for a, b in split_at_capitals(text, start, end)] == ["First one.", "Second one."]
