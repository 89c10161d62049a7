from verify.facts import quantities
from verify.text import NUMBER_WORDS, clip, tokenize


def test_tokenize_keeps_inner_apostrophes_and_hyphens_with_offsets() -> None:
    text = "O’Brien's co-founder said: 'no.'"
    words = tokenize(text)
    assert [w.text for w in words] == ["O’Brien's", "co-founder", "said", "no"]
    assert all(text[w.start : w.end] == w.text for w in words)
    assert words[1].low == "co-founder" and tokenize("CEO")[0].low == "ceo"


def test_number_words_are_the_ones_quantities_read() -> None:
    assert NUMBER_WORDS["twelve"] == 12 and NUMBER_WORDS["third"] == 3
    found = quantities("twelve flights and a dozen rockets")
    assert [(q.text, q.value) for q in found] == [("twelve", 12.0), ("dozen", 12.0)]


def test_clip_flattens_white_space_and_cuts_with_an_ellipsis() -> None:
    assert clip("a\n  b") == "a b"
    assert clip("x" * 200, 10) == "x" * 9 + "\u2026"
    assert len(clip("y " * 100)) == 160
