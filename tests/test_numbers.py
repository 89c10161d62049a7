import pytest

from verify.numbers import key_quantities, quantities


def one(text: str):
    found = quantities(text)
    assert found, text
    return found[0]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$1.6 billion", "US$1,600 million"),
        ("$1.6 billion", "1.6bn"),
        ("41.3%", "41.3 percent"),
        ("12", "12"),
    ],
)
def test_same_amount_written_differently_agrees(a: str, b: str) -> None:
    assert one(a).agrees(one(b))


@pytest.mark.parametrize(
    ("a", "b"), [("$3.6 billion", "$3.5 billion"), ("$3.6 billion", "$1.6 billion"), ("12%", "21%")]
)
def test_different_amounts_disagree(a: str, b: str) -> None:
    assert not one(a).agrees(one(b))


def test_kinds_and_years() -> None:
    found = quantities("The company won a $3.6 billion contract in 2008, two years after, with 41% growth.")
    kinds = [(q.text, q.kind) for q in found]
    assert ("$3.6 billion", "money") in kinds
    assert ("2008", "year") in kinds
    assert ("two", "count") in kinds
    assert ("41%", "percent") in kinds


def test_numbers_inside_names_are_not_quantities() -> None:
    assert key_quantities("GPT-4 and COVID-19 and the A320") == []


def test_half_is_a_ratio() -> None:
    assert one("about half that amount").kind == "ratio"
