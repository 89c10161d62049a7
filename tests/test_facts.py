import pytest

from verify.facts import facts, key_facts


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in facts(text)]


def test_a_vote_tally_is_not_a_figure_and_counts_keep_their_noun() -> None:
    [distance] = facts("The council voted 7-2 to build 18 kilometres of track.")
    assert distance.kind == "measure" and distance.value == 18_000 and distance.unit == "km"
    [claim] = facts("The line is 28 kilometres long.")
    assert claim.same_slot(distance) and not claim.agrees(distance)


def test_counts_of_different_things_are_not_the_same_slot() -> None:
    [players] = facts("There were 11 players.")
    [points] = facts("He scored 28 points.")
    assert not players.same_slot(points)


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "day_end"),
    [
        ("January 31, 2017", 2017, 1, 31, 0),
        ("31 January 2017", 2017, 1, 31, 0),
        ("March 6–7", 0, 3, 6, 7),
        ("12 to 18 April", 0, 4, 12, 18),
        ("12-18 April 2020", 2020, 4, 12, 18),
        ("December 2012", 2012, 12, 0, 0),
        ("2017-01-31", 2017, 1, 31, 0),
    ],
)
def test_dates_in_any_order_and_ranges(text: str, year: int, month: int, day: int, day_end: int) -> None:
    [date] = facts(f"It happened on {text} in the city.")
    assert (date.kind, date.year, date.month, date.day, date.day_end) == ("date", year, month, day, day_end)


def test_the_same_range_written_differently_agrees_and_a_day_inside_a_range_agrees() -> None:
    [a] = facts("from 12 to 18 April")
    [b] = facts("on 12-18 April")
    [inside] = facts("on 14 April")
    assert a.agrees(b) and inside.agrees(b)
    [other] = facts("March 13-14")
    [first] = facts("March 6–7")
    assert not other.agrees(first) and other.same_slot(first) is True


def test_a_day_is_never_compared_with_a_stray_number() -> None:
    [date] = facts("on January 31, 2017")
    assert all(not date.same_slot(f) for f in facts("He won 4 games."))


def test_a_changed_month_or_year_is_the_same_slot_with_a_different_value() -> None:
    [claim] = facts("released on December 2, 2004")
    [source] = facts("released on November 2, 2004")
    assert claim.same_slot(source) and not claim.agrees(source)


def test_may_the_verb_is_not_a_month_and_key_facts_skip_ordinals() -> None:
    assert kinds("It may rain.") == []
    assert ("date", "May 1") in kinds("The vote was held on May 1.")
    assert [f.kind for f in key_facts("His third album sold 2 million copies in 1999.")] == ["count", "year"]


def test_year_ranges_contain_their_years() -> None:
    [season] = facts("the 2019–20 season")
    [year] = facts("in 2020")
    assert year.agrees(season)
    [war] = facts("during 1939-1945")
    assert facts("in 1945")[0].agrees(war) and not facts("in 1950")[0].agrees(war)


def test_reference_markers_are_not_figures() -> None:
    assert [f.text for f in key_facts("SpaceX won a contract in 2008 (3) and another [12].")] == ["2008"]
    assert [f.text for f in key_facts("It won 3 (4) awards in 2008 [12].")] == ["3", "2008"]


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("28 km", "17.4 miles"),
        ("100 kg", "220 lb"),
        ("37 °C", "98.6 °F"),
        ("20 degrees Celsius", "68 degrees Fahrenheit"),
        ("100 km", "about 60 miles"),  # a conversion rounded in prose
        ("a 28-kilometre line", "28 kilometres"),
    ],
)
def test_a_measure_in_other_units_agrees(claim: str, source: str) -> None:
    [a], [b] = facts(f"The line is {claim} long."), facts(f"The line is {source} long.")
    assert a.kind == b.kind == "measure" and a.agrees(b) and b.agrees(a)


@pytest.mark.parametrize(
    ("claim", "source"), [("28 km", "28 miles"), ("100 kg", "100 lb"), ("20°C", "20°F"), ("5 km", "4 km")]
)
def test_the_same_number_in_another_unit_is_another_measure(claim: str, source: str) -> None:
    [a], [b] = facts(f"The line is {claim} long."), facts(f"The line is {source} long.")
    assert a.same_slot(b) and not a.agrees(b) and not b.agrees(a)


def test_measures_of_other_dimensions_or_plain_counts_are_not_compared() -> None:
    [length] = facts("It is 28 km long.")
    [mass] = facts("It weighs 28 kg.")
    [count] = facts("It has 28 stations.")
    assert not length.same_kind(mass) and not length.same_slot(mass) and not length.same_slot(count)
    [written], [metres] = facts("It is 108 m long."), facts("It is 108 metres long.")
    assert written.kind == "count" and metres.kind == "measure"  # "m" may be millions: only a count
    assert written.agrees(metres) and metres.agrees(written)  # ... which agrees with the measure as written
    assert [f.kind for f in facts("He was 5 m tall and spent 5 pounds.")] == ["count", "count"]  # ambiguous


def test_the_fact_check_reads_units_in_the_evidence() -> None:
    from verify.align import align
    from verify.items import Line

    claim = "The new tram line is 28 km long."
    same = align(claim, [Line("s", "The new tram line is 17.4 miles long.", True)])
    other = align(claim, [Line("s", "The new tram line is 28 miles long.", True)])
    figures = [(i.status, i.conflicts[0].value if i.conflicts else "") for i in other if i.kind == "figure"]
    assert [(i.kind, i.status) for i in same] == [("figure", "agreed")]
    assert figures == [("conflict", "28 miles")]
