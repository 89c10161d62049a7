from pathlib import Path

from verify.claims import split_claims
from verify.ingest import load_article
from verify.models import Article

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "cmsa-private-rockets.txt"


def test_origin_article_boilerplate_is_not_checkable() -> None:
    claims = split_claims(load_article(SEED))
    by_text = {c.text: c for c in claims}
    for start in ("See also:", "Read next:", "Photo by", "Engineered by", "The GPT-4-based", "Source:"):
        matches = [c for t, c in by_text.items() if t.startswith(start)]
        assert matches, start
        assert not any(c.checkable for c in matches), start
    assert not by_text["pooja princess"].checkable
    figure = next(c for c in claims if "$3.6 billion" in c.text)
    assert figure.checkable and figure.line == 5


NEWS_FURNITURE = [
    "This article was updated on November 2, 2023 to correct a typo.",
    "We use cookies to improve your experience on our site.",
    "Additional reporting by Reuters.",
    "Editor's note: This story has been updated with comment from the CMSA.",
    "Disclosure: The author holds no position in any stocks mentioned.",
    "Updated 3:45 p.m. ET",
    "Watch: The Tiangong crew returns to Earth.",
    "This article first appeared on Example News.",
]
LOOK_ALIKE_CLAIMS = [
    "The report was published in 2019 by the World Health Organization.",
    "Watchers of the sky saw the comet in 1997.",
    "Updates to the software arrived in March 2020.",
    "This report says the economy grew by 3% in 2019.",
]


def test_notes_about_the_article_are_boilerplate_and_look_alike_claims_are_not() -> None:
    text = "\n\n".join(NEWS_FURNITURE + LOOK_ALIKE_CLAIMS)
    claims = {c.text: c for c in split_claims(Article(path="a.md", raw=text, text=text, format="text"))}
    assert {t: (c.checkable, c.reason) for t, c in claims.items() if t in NEWS_FURNITURE} == {
        t: (False, "boilerplate") for t in NEWS_FURNITURE
    }
    assert all(claims[t].checkable for t in LOOK_ALIKE_CLAIMS)


def test_offsets_and_line_columns_point_at_the_file() -> None:
    article = load_article(SEED)
    for claim in split_claims(article):
        assert (
            article.raw[claim.start : claim.end] == claim.text
            or " ".join(article.raw[claim.start : claim.end].split()) == claim.text
        )
        line_start = article.raw.rfind("\n", 0, claim.start) + 1
        assert claim.column == claim.start - line_start + 1
        assert claim.line == article.raw.count("\n", 0, claim.start) + 1


def test_questions_headings_and_bylines(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "# The headline of the story\n\nBy Jane Roe\n\nIs this a question worth asking?\n\n"
        "The council approved the budget of $4 million on Monday.\n\n"
        "This article was generated with AI and reviewed by editors.\n",
        encoding="utf-8",
    )
    claims = split_claims(load_article(path))
    reasons = {c.text: c.reason for c in claims}
    assert reasons["The headline of the story"] == "heading"
    assert reasons["By Jane Roe"] == "byline"
    assert reasons["Is this a question worth asking?"] == "question"
    assert reasons["The council approved the budget of $4 million on Monday."] == ""
    assert reasons["This article was generated with AI and reviewed by editors."] == "ai-disclosure"


def test_claims_are_resolved_in_context_but_keep_their_text() -> None:
    text = (
        "The move reflects the strategy adopted by NASA with SpaceX. "
        "The latter company won a $3.6 billion cargo-flight contract in 2008."
    )
    claims = split_claims(Article(path="a.txt", raw=text, text=text, format="text"))
    assert claims[1].text.startswith("The latter company won")
    assert claims[1].resolved.startswith("SpaceX won a $3.6 billion")
    assert claims[0].resolved == ""
