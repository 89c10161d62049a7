"""Main text and metadata of saved pages shaped like real news sites (tests/pages/)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import verify.extract as extract_module
from verify.extract import clean_authors, extract, iso_date, read_html
from verify.htmltext import html_main_text_bs4
from verify.models import Document, Fetched, Sentence, SourceRef

PAGES = Path(__file__).resolve().parents[1] / "pages"


def read_page(name: str, encoding: str = "", url: str = "") -> Document:
    path = PAGES / name
    ref = SourceRef(url=url or f"https://news.example.com/{name}", file=path)
    body = path.read_bytes()
    return extract(
        Fetched(ref=ref, body=body, content_type="text/html", encoding=encoding, final_url=ref.url or "")
    )


# page, sentences of the article that must be read, boilerplate that must not
CASES = [
    (
        "news_article.html",
        [
            "The Harbour Bridge reopened to traffic on Tuesday morning, two years after engineers found "
            "corrosion in its main cables.",
            "Buses will return to the bridge from Monday, and a weight limit of 18 tonnes remains in place "
            "until the final inspection in July.",
        ],
        ["We use cookies", "Ferry fares to rise", "Sign up for our free daily newsletter", "rights reserved"],
    ),
    (
        "news_no_article.html",
        [
            "Fruit growers in the upper valley lost up to half of their apple blossom when temperatures fell "
            "to minus four degrees on Sunday night.",
            "The regional government will decide next month whether growers can apply for emergency support.",
        ],
        ["Most read", "School bus timetable", "Cheese festival", "Advertise with us", "Tags:"],
    ),
    (
        "aspnet_form.html",
        [
            "The county board voted five to two on Monday to build a new water treatment plant on the east "
            "bank of the river.",
            "Board chair Denise Walker said the current plant, built in 1964, can no longer meet state "
            "limits on nitrates.",
        ],
        ["Press releases", "Services", "County Government Center", "VIEWSTATE"],
    ),
    (
        "ad_wrapper.html",
        [
            "The state Senate passed a bill on Tuesday that requires insurers to keep offering policies in "
            "areas with high wildfire risk.",
            'Insurance commissioner Rosa Mendez called the vote "a first step, not a solution" and said her '
            "office would publish the new rules by January.",
        ],
        ["Advertisement", "Terms of Service"],
    ),
    (
        "modal_wrapper.html",
        [
            "The transit authority postponed a planned 15-cent subway fare increase on Monday, saying it "
            "would wait for the state budget.",
            "Riders' groups welcomed the delay, while the authority's finance chief warned of a $600 million "
            "gap next year.",
        ],
        ["Subscribe now", "Share on Facebook", "All Rights Reserved"],
    ),
    (
        "penci_sidebar.html",
        [
            "A twelve-person agency from Leeds won the national public service advertising award on Tuesday "
            "for a campaign that doubled glass recycling in its city.",
            'Jury chair Helen Carter said the work showed "that a small budget and a clear idea still beat a '
            'big media spend."',
        ],
        ["Popular posts", "Follow us", "PenciDesign"],
    ),
    (
        "comments.html",
        [
            "The central library will stay open until 8 p.m. on Saturdays and Sundays from March, the town "
            "council announced on Tuesday.",
            "Librarian Omar Haddad said the extra hours would be covered by two new part-time posts.",
        ],
        ["About time", "council tax", "Leave a reply", "14 comments"],
    ),
    (
        "cp1252.html",
        [
            "Le musée des Beaux-Arts a rouvert vendredi après dix-huit mois de travaux qui ont coûté "
            "7,5 millions d’euros.",
            "L’entrée coûtera 8 € pour les adultes et restera gratuite pour les moins de 18 ans.",
        ],
        ["Accueil", "Mentions légales", "\ufffd"],
    ),
]


@pytest.mark.parametrize(("name", "wanted", "unwanted"), CASES, ids=[c[0] for c in CASES])
def test_article_sentences_are_read_and_boilerplate_is_not(
    name: str, wanted: list[str], unwanted: list[str]
) -> None:
    document = read_page(name)
    assert document.extractor == "trafilatura"
    sentences = [s.text for s in document.sentences]
    for sentence in wanted:
        assert sentence in sentences
    for junk in unwanted:
        assert junk not in document.text


def test_sentence_offsets_point_into_the_extracted_text() -> None:
    document = read_page("news_article.html")
    assert len(document.sentences) >= 5
    for sentence in document.sentences:
        assert document.text[sentence.start : sentence.end] == sentence.text
    assert "\n\n" in document.text  # paragraphs stay apart, so a heading never joins a sentence
    assert "Work ran late" in [s.text for s in document.sentences]


@pytest.mark.parametrize(
    ("name", "title", "authors", "published", "site", "language"),
    [
        (
            "news_article.html",
            "Harbour bridge reopens after two-year repair",
            ("Eleanor Briggs",),
            "2024-05-14",
            "Northern Courier",
            "en-GB",
        ),
        (
            "news_no_article.html",
            "Valley farmers count the cost of the late frost",
            ("Tomas Novak",),
            "2024-04-23",
            "news.example.com",
            "en",
        ),
        (
            "ad_wrapper.html",
            "State lawmakers pass wildfire insurance bill",
            ("Daniel Okafor",),
            "2023-09-12",
            "Pacific Ledger",
            "en-US",
        ),
        (
            "modal_wrapper.html",
            "Subway fare rise delayed until spring",
            ("Kevin Marsh",),
            "2024-01-08",
            "Metro Post",
            "en",
        ),
        (
            "cp1252.html",
            "Le musée rouvre ses portes après travaux",
            ("Hélène Dubois",),
            "2023-06-02",
            "Journal de la Côte",
            "fr",
        ),
    ],
)
def test_provenance_metadata(
    name: str, title: str, authors: tuple[str, ...], published: str, site: str, language: str
) -> None:
    document = read_page(name)
    assert (document.title, document.authors, document.published, document.site, document.language) == (
        title,
        authors,
        published,
        site,
        language,
    )


def test_page_trafilatura_finds_nothing_in_is_read_by_the_fallback() -> None:
    document = read_page("letters_fallback.html")
    assert document.extractor == "fallback"
    assert [s.text for s in document.sentences] == [
        "Sir, the new parking charges at the hospital will hit night-shift nurses hardest, since the free "
        "car park closes at 6 p.m.",
        "Sir, the council should publish the full cost of the ring road before it asks residents to pay "
        "for it.",
    ]
    assert document.title == "Letters to the editor, 4 March"


def test_a_failing_trafilatura_falls_back_to_beautifulsoup(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    document = read_page("ad_wrapper.html")
    assert document.extractor == "fallback"
    # the fallback keeps a wrapper whose class merely contains "ad" when it holds the article
    assert "The measure passed 31 to 8 after an amendment that lets companies raise premiums by up to 12 " \
        "percent a year." in [s.text for s in document.sentences]  # fmt: skip
    assert "Advertisement" not in document.text


def test_fallback_keeps_an_aspnet_form_body() -> None:
    markup = (PAGES / "aspnet_form.html").read_text(encoding="utf-8")
    _title, _published, text = html_main_text_bs4(markup)
    assert "The plant will cost $62 million" in text


def test_plain_text_pages_are_paragraphs() -> None:
    ref = SourceRef(url="https://a.example/notes.txt")
    document = extract(Fetched(ref=ref, body=b"First line.\n\nSecond  one.", content_type="text/plain"))
    assert document.text == "First line.\n\nSecond one."
    assert document.extractor == "plain"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Jane Doe; John Smith", ("Jane Doe", "John Smith")),
        ("By Jane Doe and John Smith", ("Jane Doe", "John Smith")),
        ("Associated Press", ("Associated Press",)),
        ("Ludwig van Beethoven", ("Ludwig van Beethoven",)),
        ("王小明", ("王小明",)),
        ("Jane Doe, Senior Reporter", ("Jane Doe",)),
        ("Jane Doe is a reporter", ()),
        ("Staff Writer", ()),
        ("https://www.indiewire.com/author/erichkohn/", ()),
        ("posted by admin", ()),
        ("jane doe", ()),
        ("", ()),
    ],
)
def test_author_sanity_filter(byline: str, names: tuple[str, ...]) -> None:
    assert clean_authors(byline) == names


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-05-14T07:30:00+01:00", "2024-05-14"),
        ("2024-5-4", "2024-05-04"),
        ("May 14, 2024", "2024-05-14"),
        ("14 May 2024", "2024-05-14"),
        ("2024/05/14", "2024-05-14"),
        ("2024-02-30", ""),
        ("yesterday", ""),
        ("", ""),
    ],
)
def test_iso_date(value: str, iso: str) -> None:
    assert iso_date(value) == iso


def test_library_warnings_do_not_leak() -> None:
    markup = (
        "<html><head><meta property='article:published_time' content='2014-03-18T13:03:00PDT'></head>"
        + "<body><article>"
        + "<p>The regional water board approved the dam plan on Wednesday after two years of review.</p>" * 3
        + "</article></body></html>"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = read_html(markup)
    assert [str(w.message) for w in caught] == []  # dateutil's "tzname PDT identified but not understood"
    assert page.extractor == "trafilatura"
    assert page.published == "2014-03-18"


def test_date_in_visible_text_only() -> None:
    markup = (
        "<html><body><article><h1>Dam plan approved</h1><p class='date'>Published March 3, 2021</p>"
        + "<p>The regional water board approved the dam plan on Wednesday after two years of review.</p>" * 3
        + "</article></body></html>"
    )
    assert read_html(markup).published == "2021-03-03"


def test_byline_markup_when_the_metadata_has_no_author() -> None:
    markup = (
        "<html><body><article><h1>Agency wins award</h1><div class='post-box-meta-single'>"
        "<span class='author vcard'>by <a class='author-url url fn n' href='/author/s/'>Sofia Russo</a>"
        "</span></div>"
        + "<p>A twelve-person agency won the national public service advertising award on Tuesday.</p>" * 4
        + "</article></body></html>"
    )
    assert read_html(markup).authors == ("Sofia Russo",)


def test_list_items_are_sentences_as_on_the_page() -> None:
    markup = (
        "<html><body><article><h1>What the plan covers</h1>"
        + "<p>The regional water board approved the dam plan on Wednesday after two years of review.</p>" * 2
        + "<ul><li>A new spillway on the east side of the dam.</li>"
        + "<li>Two pumping stations by 2027.</li></ul>"
        + "</article></body></html>"
    )
    sentences = [s.text for s in read_html_sentences(markup)]
    assert "A new spillway on the east side of the dam." in sentences
    assert "Two pumping stations by 2027." in sentences


def read_html_sentences(markup: str) -> tuple[Sentence, ...]:
    ref = SourceRef(url="https://a.example/plan")
    return extract(Fetched(ref=ref, body=markup.encode(), content_type="text/html")).sentences


def test_a_short_fast_result_gets_the_full_cascade(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []

    def fake(markup: str, url: str, *, tables: bool, fast: bool = True) -> dict[str, object]:
        calls.append(fast)
        text = "A caption." if fast else "The whole article, found by readability. " * 20
        return {"text": text, "title": "T"}

    monkeypatch.setattr(extract_module, "_bare_extraction", fake)
    page = read_html("<html><body><p>whatever</p></body></html>")
    assert calls == [True, False]
    assert page.text.startswith("The whole article, found by readability.")


def test_date_in_words_in_the_declared_language() -> None:
    markup = (
        "<html lang='fr'><body><article><h1>Barrage</h1><p class='date'>Publié le 3 mars 2021</p>"
        + "<p>Le conseil régional de l'eau a approuvé le projet de barrage mercredi dernier.</p>" * 3
        + "</article></body></html>"
    )
    assert read_html(markup).published == "2021-03-03"


def test_dates_in_words_are_read_in_the_page_language_and_english_only() -> None:
    """dateparser tried all of its 205 languages on every date-like string: half the extraction time."""
    import htmldate.extractors

    from verify.extract import date_parser

    read_html("<html><body><p>The water board met.</p></body></html>")  # installs the page-language parser
    assert htmldate.extractors.get_external_parser() is date_parser("")
    assert date_parser("").languages == ["en"]
    assert date_parser("fr-CA").languages == ["fr", "en"]
    assert date_parser("en-GB").languages == ["en"]
    assert date_parser("xx").languages == ["en"]  # not a language dateparser knows
