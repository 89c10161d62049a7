import pytest

from verify.facts import Fact, facts, key_facts, quantities


def one(text: str) -> Fact:
    found = facts(text)
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
    assert key_facts("GPT-4 and COVID-19 and the A320") == []


def test_a_small_amount_without_a_currency_is_not_money() -> None:
    assert one("$1.6 billion").agrees(one("1.6bn")) and one("1.6bn").same_kind(one("$1.6 billion"))
    assert not one("$5").same_kind(one("5 flights"))  # the rewrite's figure pairing uses the same rule


def test_years_are_bare_from_1800_and_in_dates_from_1000() -> None:
    assert [q.kind for q in quantities("1799 1800 2100 2101")] == ["count", "year", "year", "count"]
    assert [(f.kind, f.year) for f in facts("It fell in March 1492.")] == [("date", 1492)]


def test_half_is_a_ratio() -> None:
    assert quantities("about half that amount")[0].kind == "ratio"
