from verify.align import align
from verify.checks.negation import NO_OPENING, negated
from verify.context import names, resolve_text
from verify.items import Line
from verify.roles import relations

SRC = "https://s.example/"


def items(claim: str, *sentences: str, close: bool = True) -> dict[str, tuple[str, str]]:
    window = [Line(SRC, s, close) for s in sentences]
    # a swapped name's `unsure` item (for the model) is tested apart, with swapped_names below
    return {i.value: (i.kind, i.status) for i in align(claim, window) if i.status != "unsure"}


def test_a_figure_is_compared_with_the_figure_of_the_same_kind() -> None:
    found = align(
        "The council approved 28 kilometres of new track.",
        [Line(SRC, "The council voted 7-2 to build 18 kilometres of new track.", True)],
    )
    [figure] = [i for i in found if i.kind == "figure"]
    assert figure.status == "conflict" and figure.conflicts[0].value == "18 kilometres"


def test_a_count_in_words_counts_only_against_another_count_of_its_noun() -> None:
    claim = "The Tamsin asteroid probe carries seven instruments."
    found = items(claim, "It carries five instruments, including a camera and a radar.")
    assert found["seven"] == ("figure", "conflict")
    # stated nowhere, or stated alike: no item ("two of them" is too loose to insist on)
    assert "seven" not in items(claim, "The Tamsin probe flew past an asteroid in 2021.")
    assert "seven" not in items(claim, "It carries seven instruments, including a camera.")


def test_a_difference_is_no_count_of_its_noun() -> None:
    sentence = "The United States topped the medal table with 46 gold medals, ahead of China with 38."
    for claim in (
        "American athletes won eight more gold medals than Chinese athletes.",
        "American athletes won 8 more gold medals than Chinese athletes.",
    ):
        assert not [value for value, (kind, _) in items(claim, sentence).items() if kind == "figure"]


def test_a_date_range_written_differently_is_agreed() -> None:
    assert items("The festival ran from 12 to 18 April 2019.", "The festival ran 12-18 April 2019.") == {
        "12 to 18 April 2019": ("date", "agreed")
    }


def test_a_changed_month_conflicts_and_an_absent_figure_is_missing() -> None:
    found = items(
        "The album was released on December 2, 2004, and sold 40,000 copies.",
        "The album was released on November 2, 2004.",
    )
    assert found["December 2, 2004"] == ("date", "conflict")
    assert found["40,000"] == ("figure", "missing")


def test_a_date_stated_in_pieces_is_agreed() -> None:
    found = items("They married in December 2012.", "They married in 2012.", "The wedding was in December.")
    assert found["December 2012"] == ("date", "agreed")


def test_names_must_be_in_the_aligned_sentences() -> None:
    found = items("Joan Blondell starred in the film.", "Irene Hervey starred in the film.")
    assert found["Joan Blondell"] == ("name", "missing")
    assert names("Irene Hervey starred with China’s President Xi Jinping in the Chinese capital.") == [
        "Irene Hervey",
        "China",
        "President Xi Jinping",
    ]


def test_a_capitalised_verb_after_a_name_is_not_part_of_it() -> None:
    # the seed article's garble: "Is" capitalised after the name
    found = names("China’s President Xi Jinping Is copying NASA’s strategy, as Lin Xiqiang Said.")
    assert found == ["President Xi Jinping", "NASA", "Lin Xiqiang"]
    found_items = items("President Xi Jinping Is copying NASA.", "NASA flew.")
    assert found_items["President Xi Jinping"][1] == "missing"


def test_negation_by_scope_not_by_keyword() -> None:
    assert negated("The album was not released in 2004.")
    assert negated("She never appeared in the film.")
    assert not negated("The team won the cup, but not before losing twice.")
    assert not negated("He was not only a singer but an actor.")
    found = items("The album was not released in 2004.", "The album was released in 2004 by the label.")
    assert found["was not"] == ("negation", "conflict")
    assert items("The team won the cup, but not before losing twice.", "The team won the cup.") == {}
    # a source clause that opens with "No <noun>" denies what the claim asserts ...
    found = items(
        "Several bridges cross the Amazon along its course.", "No bridge crosses the Amazon along its course."
    )
    assert found["No"] == ("negation", "conflict")
    # ... but not a claim that denies it in other words, nor "No. 1" or a band called No Doubt
    denial = "There are no bridges across the Amazon along its course."
    assert [
        v
        for v in items(denial, "No bridge crosses the Amazon along its course.").values()
        if v[0] == "negation"
    ] == []
    charts = items("The single was No. 1 in the charts.", "The single was No. 1 in the charts.")
    assert "negation" not in {kind for kind, _ in charts.values()}
    assert NO_OPENING.search("No bridge crosses it.") and not NO_OPENING.search("No Doubt played the arena.")


def test_a_denial_in_other_words_agrees_and_a_quoted_negation_is_the_quotes() -> None:
    found = items(
        "Oliva declined because he did not want to leave the band.",
        "Oliva turned down the offer and kept playing for the band.",
    )
    assert found["did not"] == ("negation", "agreed")
    assert items("Tobacco is not allowed.", "Tobacco is prohibited.")["is not"] == ("negation", "agreed")
    quoted = items('He said that "he hasn\'t done much" in office.', "He said he had done much in office.")
    assert [v for v in quoted.values() if v[0] == "negation"] == []


def test_roles_inverted_agent_and_recipient() -> None:
    [claim] = relations("Acme funds Beta Labs.")
    [inverted] = relations("Beta Labs funds Acme.")
    [passive] = relations("Beta Labs was funded by Acme.")
    assert inverted.inverts(claim) and not inverted.agrees(claim)
    assert passive.agrees(claim) and not passive.inverts(claim)
    funding = "The CMSA is considering private companies funding future space missions."
    assert role_statuses(funding, "The CMSA is weighing whether to finance private firms.") == ["conflict"]
    built = "The CMSA is considering using rockets built by private companies for future missions."
    assert role_statuses(funding, built) == ["missing"]


def role_statuses(claim: str, sentence: str) -> list[str]:
    return [status for kind, status in items(claim, sentence).values() if kind == "role"]


def test_a_participle_clause_keeps_its_subject_as_the_agent() -> None:
    # "X was elected, defeating the mayor, Y": X defeated Y (the appositive names the recipient)
    page = "Okafor was elected in 2018, defeating the sitting mayor, Gordon Pyle, by 4,000 votes."
    assert role_statuses("Gordon Pyle defeated Ruth Okafor in the 2018 mayoral election.", page) == [
        "conflict"
    ]
    assert role_statuses("Ruth Okafor defeated Gordon Pyle in the 2018 mayoral election.", page) == ["agreed"]


def test_references_are_resolved_from_the_sentences_before() -> None:
    before = ["The move reflects the strategy adopted by NASA with SpaceX."]
    assert resolve_text("The latter company won a contract.", before) == "SpaceX won a contract."
    assert resolve_text("The former agency paid.", before) == "NASA paid."
    agency = ["The China Manned Space Agency (CMSA) is considering private rockets."]
    assert resolve_text("As he said, the agency is reviewing proposals.", agency).startswith(
        "As he said, China Manned Space Agency is"
    )
    people = ["Lynette Tan leads Space Faculty Pte Ltd."]
    assert resolve_text("She said it would grow.", people) == "Lynette Tan said it would grow."
    assert resolve_text("She said it would grow.", ["Nobody was named."]) == "She said it would grow."


def test_a_name_the_page_has_elsewhere_must_fill_its_slot_in_the_aligned_sentence() -> None:
    claim = "Mara Quint coached the Harbor Owls in the Eastern Rowing League since 2019."
    aligned = "Mara Quint coached the Harbor Owls in the Northern Coast League since 2019."
    nearby = "The Eastern Rowing League met with the Harbor Owls and their coach in spring."
    window = [Line(SRC, aligned, True), Line(SRC, nearby, False)]
    [item] = [i for i in align(claim, window) if i.value == "Eastern Rowing League"]
    assert item.status == "unaligned" and item.conflicts[0].value == "Northern Coast League"
    # the same page stating the claim's own name in that slot is agreement
    kept = align(claim.replace("Eastern Rowing", "Northern Coast"), window)
    assert [i.status for i in kept if i.value == "Northern Coast League"] == ["agreed"]


def test_a_page_topic_name_in_another_names_slot_is_not_excused_as_elsewhere() -> None:
    claim = "The fight took place in Albuquerque, Silver Falls Arena."
    aligned = "The fight took place in Albuquerque, New Mexico."
    page = [Line(SRC, f"Silver Falls Arena hosted event {n}.", False) for n in range(4)]
    [item] = [i for i in align(claim, [Line(SRC, aligned, True)], page) if i.value == "Silver Falls Arena"]
    assert item.status == "unaligned" and item.conflicts[0].value == "New Mexico"
    # a topic name that no other name displaces stays excused
    plain = align("He lost at Silver Falls Arena.", [Line(SRC, "He lost the fight there.", True)], page)
    assert [i.status for i in plain if i.value == "Silver Falls Arena"] == ["elsewhere"]


def word_items(claim: str, sentence: str, kind: str = "word") -> list[tuple[str, str, str]]:
    """(claim's value, status, the sentence's value) of each substitution item of `kind`."""
    return [
        (i.value, i.status, i.conflicts[0].value)
        for i in align(claim, [Line("s", sentence, True)])
        if i.kind == kind and (kind == "word" or i.status == "unsure")
    ]


def test_a_near_copy_with_an_opposite_word_is_a_conflict() -> None:
    assert word_items(
        "The Beatles gave their first paid concert at Candlestick Park in 1966.",
        "The Beatles gave their last paid concert at Candlestick Park in 1966.",
    ) == [("first", "conflict", "last")]
    assert word_items(
        "The river is the longest in the region.", "The river is the second longest in the region."
    ) == [("longest", "conflict", "second longest")]
    assert word_items(
        "The reef is the world's second-largest coral reef system.",
        "The reef is the world's largest coral reef system, made up of 2,900 reefs.",
    ) == [("second largest", "conflict", "largest")]
    # the same slot in a looser copy: the words on both sides of the opposite match
    assert word_items(
        "The First Folio was published seven years before his death, in London.",
        "His plays, known as the First Folio, came out in 1623, seven years after his death.",
    ) == [("before", "conflict", "after")]


def test_another_word_in_a_near_copy_is_left_to_the_model_and_a_paraphrase_is_no_copy() -> None:
    assert word_items(
        "The council bought the old mill in 1998.", "The council acquired the old mill in 1998."
    ) == [("bought", "unsure", "acquired")]
    assert (
        word_items("The mill was sold to the council.", "In 1998 the council took over the building.") == []
    )
    # one nationality for another is for the model; a name for a description is more exact, not different
    assert word_items(
        "Feldbrand is a Danish knitwear maker based in Oslo.",
        "Feldbrand is a Norwegian knitwear maker based in Oslo.",
    ) == [("Danish", "unsure", "Norwegian")]
    assert (
        word_items(
            "Rockets fly cargo to the Chinese space station each year.",
            "Rockets fly cargo to the Tiangong space station each year.",
        )
        == []
    )
    # the claim's word is in the sentence too: no substitution
    assert word_items("Sales rose in May.", "Sales rose in May, after they fell in April.") == []


def test_another_ordinal_in_the_same_slot_is_a_conflict_and_a_name_is_no_word_item() -> None:
    assert word_items(
        "Mars is the third planet from the Sun.", "Mars is the fourth planet from the Sun."
    ) == [("third", "conflict", "fourth")]
    assert word_items("Joan Blondell starred in the film.", "Irene Hervey starred in the film.") == []


def swapped_names(claim: str, sentence: str) -> list[tuple[str, str, str]]:
    return word_items(claim, sentence, kind="name")


def test_another_name_in_the_names_slot_is_left_to_the_model() -> None:
    # a place written with letters beyond ASCII stays one word
    assert swapped_names(
        "Marie Curie was born in Kraków in 1867.", "Marie Curie was a chemist born in Warsaw in 1867."
    ) == [("Kraków", "unsure", "Warsaw")]
    assert swapped_names(
        "The crew splashed down in the Atlantic Ocean on 24 July 1969.",
        "The crew splashed down in the Pacific Ocean on 24 July 1969.",
    ) == [("Atlantic", "unsure", "Pacific")]
    # a common word in the name's place, or a name elsewhere in the sentence, is no swap
    assert (
        swapped_names("Marie Curie was born in Kraków in 1867.", "Marie Curie was born poor in 1867.") == []
    )
    assert (
        swapped_names("Marie Curie was born in Kraków in 1867.", "In 1867 Warsaw saw Marie Curie born.") == []
    )


def test_a_function_word_in_another_place_is_no_substitution() -> None:
    assert word_items("Sales were strong in May this year.", "Sales were strong during May this year.") == []


def test_only_one_word_for_one_word_goes_to_the_model() -> None:
    # a phrase reworded ("he died" / "his death") is how paraphrase looks, not a changed fact
    assert (
        word_items(
            "The First Folio appeared seven years after he died.",
            "The First Folio appeared seven years after his death.",
        )
        == []
    )


def test_an_abbreviation_is_resolved_as_the_article_introduced_it() -> None:
    from verify.context import abbreviations

    intro = "The Lunar Survey Agency (LSA) is considering private rockets."
    assert abbreviations(intro) == {"LSA": "Lunar Survey Agency"}
    later = ["Although LSA has not disclosed the value, the move is new."]
    assert resolve_text("The agency is reviewing proposals.", later) == "The agency is reviewing proposals."
    assert resolve_text("The agency is reviewing proposals.", later, {"LSA": "Lunar Survey Agency"}) == (
        "LSA is reviewing proposals."
    )
    assert (
        resolve_text("The agency is reviewing proposals.", [intro, *later]) == "LSA is reviewing proposals."
    )


def test_a_day_inside_a_period_given_by_its_two_ends_is_agreed() -> None:
    period = "The campaign ran Apr 23, 2014 - May 23, 2014 on the site."
    assert items("The campaign was funded on May 22, 2014.", period)["May 22, 2014"] == ("date", "agreed")
    assert items("The campaign was funded in May 2014.", period)["May 2014"] == ("date", "agreed")
    assert items("The campaign was funded on May 24, 2014.", period)["May 24, 2014"] == ("date", "conflict")
    # "and" joins two dates as often as it bounds a period: no period
    listed = "The campaign ran on Apr 23, 2014 and May 23, 2014."
    assert items("The campaign was funded on May 22, 2014.", listed)["May 22, 2014"] == ("date", "conflict")


def test_a_value_the_claim_states_for_another_item_is_no_rival() -> None:
    found = items(
        "After the conductor retired in 1996, Eiji Oue served as music director from 1997 to 2003.",
        "Oue served as music director of the festival from 1997 to 2003.",
    )
    assert found["1996"] == ("date", "missing")
    assert found["1997"] == ("date", "agreed")
    changed = items(
        "Eiji Oue served as music director from 1995 to 2003.",
        "Oue served as music director of the festival from 1997 to 2003.",
    )
    assert changed["1995"] == ("date", "conflict")


def test_a_year_of_the_claim_does_not_take_a_whole_date_of_the_source() -> None:
    found = items(
        "On February 22, 2017, he was selected for the team to play at the AmeriCup 2017.",
        "TORONTO (August 22, 2017) - he was selected for the team to play at the AmeriCup.",
    )
    assert found["February 22, 2017"] == ("date", "conflict")
