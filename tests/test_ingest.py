from pathlib import Path

import pytest

from verify.errors import InputError
from verify.ingest import load_article
from verify.models import line_starts


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_markdown_front_matter_sources_and_links(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.md",
        "---\ntitle: Rockets\nsources:\n  - https://a.example/x\n  - pages/b.html\n"
        "  - url: https://c.example/y\n    file: pages/c.html\n---\n\n"
        "# Heading\n\nSpaceX won a [contract](https://d.example/z) worth **$1.6 billion**. See https://e.example/w\n",
    )
    article = load_article(path)
    assert article.title == "Rockets"
    urls = [s.url for s in article.sources]
    assert urls == [
        "https://a.example/x",
        None,
        "https://c.example/y",
        "https://d.example/z",
        "https://e.example/w",
    ]
    assert article.sources[1].file == tmp_path / "pages/b.html"
    assert article.sources[2].file == tmp_path / "pages/c.html"
    assert "SpaceX won a contract worth $1.6 billion." in article.text
    start = article.text.index("SpaceX")
    raw_start, _ = article.raw_span(start, start + 6)
    assert article.raw[raw_start : raw_start + 6] == "SpaceX"
    line, column = article.line_col(raw_start)
    assert (line, column) == (12, 1)
    assert article.headings and article.text[slice(*article.headings[0])] == "Heading"


def test_utf8_bom_and_cp1252(tmp_path: Path) -> None:
    bom = load_article(write(tmp_path, "bom.txt", "\ufeffChina\u2019s rocket flew.".encode()))
    assert bom.text == "China\u2019s rocket flew."
    cp = load_article(
        write(tmp_path, "cp.txt", "China\u2019s \u201crocket\u201d flew \u2014 fast.".encode("cp1252"))
    )
    assert cp.text == "China\u2019s \u201crocket\u201d flew \u2014 fast."


def test_html_article_keeps_offsets_into_the_file(tmp_path: Path) -> None:
    raw = (
        "<html><head><title>T</title><script>var x = 1;</script></head><body><nav>Menu</nav>"
        "<article><h1>Big news</h1><p>SpaceX won a <a href='https://a.example/'>contract</a> worth "
        "$1.6&nbsp;billion.</p></article></body></html>"
    )
    article = load_article(write(tmp_path, "a.html", raw))
    assert article.title == "T"
    assert "Menu" not in article.text and "var x" not in article.text
    assert "SpaceX won a contract worth $1.6\xa0billion." in article.text
    start = article.text.index("SpaceX")
    a, _ = article.raw_span(start, start + 6)
    assert raw[a : a + 6] == "SpaceX"
    assert [s.url for s in article.sources] == ["https://a.example/"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"  \n", "empty"),
        ("bin.txt", b"\x00\x01\x02binary\x00", "binary"),
        ("bad.md", "---\ntitle: [unclosed\n---\nText here.\n", "invalid front matter"),
    ],
)
def test_unreadable_articles_raise_one_line_errors(
    tmp_path: Path, name: str, data: bytes | str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as info:
        load_article(write(tmp_path, name, data))
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "nope.md")


def test_toml_front_matter_gives_the_same_title_and_sources_as_yaml(tmp_path: Path) -> None:
    body = "# Heading\n\nSpaceX won a contract worth $1.6 billion.\n"
    yaml_article = load_article(
        write(
            tmp_path,
            "y.md",
            "---\ntitle: Rockets\noriginal: https://o.example/\nsources:\n  - https://a.example/x\n"
            "  - url: https://c.example/y\n    file: pages/c.html\n---\n" + body,
        )
    )
    toml_article = load_article(
        write(
            tmp_path,
            "t.md",
            '+++\ntitle = "Rockets"\noriginal = "https://o.example/"\nsources = [\n  "https://a.example/x",\n'
            '  { url = "https://c.example/y", file = "pages/c.html" },\n]\n+++\n' + body,
        )
    )
    assert toml_article.title == yaml_article.title == "Rockets"
    assert toml_article.sources == yaml_article.sources
    assert toml_article.sources[0].origin == "original"
    # the front matter is not prose: no claim is made of `title = ...` or the +++ lines
    assert toml_article.text == yaml_article.text
    assert "+++" not in toml_article.text and "title" not in toml_article.text


def test_yaml_front_matter_may_end_with_dots(tmp_path: Path) -> None:
    article = load_article(write(tmp_path, "a.md", "---\ntitle: Rockets\n...\n\nThe rocket flew.\n"))
    assert article.title == "Rockets"
    assert article.text.strip() == "The rocket flew."


def test_invalid_toml_front_matter_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"invalid front matter \(TOML") as info:
        load_article(write(tmp_path, "a.md", '+++\ntitle = "unclosed\n+++\nText here.\n'))
    assert "\n" not in str(info.value)


def _nested(depth: int) -> str:
    """A mapping whose innermost value sits `depth` nodes deep (the mapping itself is the first)."""
    return "sources: " + "[" * (depth - 2) + "x" + "]" * (depth - 2) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        "title: Rockets\ndate: 2021-03-04\nsources:\n  - https://example.org/a\n"
        "  - {url: 'x', file: b.html}\n",
        "title: 'Zoë: “quoted”'\ncount: 12\nratio: 0.5\nflag: yes\nempty:\n",
        _nested(50),
    ],
)
def test_libyaml_loads_plain_front_matter_as_the_python_loader_does(text: str) -> None:
    import yaml

    from verify.frontmatter import _BoundedLoader, _plain_for_libyaml, load_yaml

    assert _plain_for_libyaml(text)
    assert load_yaml(text) == yaml.load(text, Loader=_BoundedLoader)


def test_front_matter_too_deep_for_libyaml_is_left_to_the_python_loader() -> None:
    from verify.frontmatter import _plain_for_libyaml, load_yaml

    assert not _plain_for_libyaml(_nested(51))
    assert not _plain_for_libyaml("a: &x 1\nb: *x\n")
    assert not _plain_for_libyaml("title: [unclosed\n")
    with pytest.raises(Exception, match="nested deeper than 50 levels"):
        load_yaml(_nested(51))


def test_old_mac_line_ends_read_as_lines_with_the_same_offsets(tmp_path: Path) -> None:
    text = "---\ntitle: CR\nsources:\n  - page.html\n---\n\nThe sky is blue.\n\nThe sea is green.\n"
    path = tmp_path / "cr.md"
    path.write_bytes(text.replace("\n", "\r").encode())
    article = load_article(path)
    assert article.title == "CR" and [s.file for s in article.sources] == [tmp_path / "page.html"]
    at = article.raw.index("The sea")
    assert path.read_bytes().decode()[at:].startswith("The sea")  # offsets still point into the file
    assert article.line_starts == line_starts(text)  # "The sea" is on line 9, as in the LF file


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_front_matter_that_never_closes_is_one_line_error(tmp_path: Path, fence: str) -> None:
    path = tmp_path / "open.md"
    path.write_text(f"{fence}\ntitle: x\nsources:\n  - page.html\n\nThe sky is blue.\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"invalid front matter: it opens with '\\{fence[0]}"):
        load_article(path)
    # a thematic break at the top is no front matter
    path.write_text("---\n\nThe sky is blue today, the agency said.\n", encoding="utf-8")
    assert "The sky is blue" in load_article(path).text


MARKDOWN_CONSTRUCTS = """Intro: NASA flew 12 missions in 2008.[^1]

| Company | Contract |
| :--- | ---: |
| SpaceX | $5 billion in 2001 |
| [Orbital](https://orbital.example/) | **$1.9 billion** in 2008 |

[^1]: NASA paid $99 billion in 1800.

<details><summary>More</summary>Hidden text claims 77 rockets.</details>
"""


def test_tables_footnotes_and_html_blocks_read_as_claims(tmp_path: Path) -> None:
    from verify.claims import split_claims

    path = tmp_path / "a.md"
    path.write_text(MARKDOWN_CONSTRUCTS, encoding="utf-8")
    article = load_article(path)
    claims = {c.text: c for c in split_claims(article)}
    # a row reads with its column labels; the header is a heading; no pipe or rule survives
    assert claims["Company: SpaceX; Contract: $5 billion in 2001"].checkable
    assert claims["Company: Orbital; Contract: $1.9 billion in 2008"].checkable
    assert claims["Company; Contract"].reason == "heading"
    assert not any("|" in text or "---" in text for text in claims)
    # a footnote's text is checked, and its mark is not part of the sentence that cites it
    assert claims["NASA paid $99 billion in 1800."].checkable
    assert "Intro: NASA flew 12 missions in 2008." in claims
    # a block tag ends a sentence: the summary and the hidden text are two
    assert claims["Hidden text claims 77 rockets."].checkable
    assert "https://orbital.example/" in [s.url for s in article.sources]
    row = claims["Company: SpaceX; Contract: $5 billion in 2001"]
    assert article.raw[row.start : row.end] == "SpaceX | $5 billion in 2001"  # points into the file


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("original: 3", "'original' must be a list of URLs, paths or {url, file} entries"),
        ("title: [a, b]", "invalid front matter: 'title' must be text"),
    ],
)
def test_a_front_matter_value_of_the_wrong_kind_names_its_key(
    tmp_path: Path, front: str, message: str
) -> None:
    path = tmp_path / "a.md"
    path.write_text(f"---\n{front}\n---\n\nThe sky is blue.\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_article(path)
    assert str(raised.value) == f"{path}: {message}"


def test_a_key_written_twice_in_front_matter_is_an_error_not_a_lost_list(tmp_path: Path) -> None:
    import yaml

    from verify.frontmatter import _BoundedLoader

    path = tmp_path / "twice.md"
    path.write_text("---\nsources:\n  - a.html\nsources:\n  - b.html\n---\nText here.\n")
    expected = r"invalid front matter \(line 4\): the key 'sources' is written twice"
    with pytest.raises(InputError, match=expected):
        load_article(path)
    # the Python loader (front matter libyaml is not given) refuses it too
    with pytest.raises(yaml.YAMLError, match="written twice"):
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=_BoundedLoader)


def test_a_key_written_twice_in_a_sources_manifest_is_an_error(tmp_path: Path) -> None:
    from verify.sources import load_manifest

    manifest = tmp_path / "sources.yaml"
    manifest.write_text("sources:\n  - a.html\nsources:\n  - b.html\n")
    with pytest.raises(InputError, match="written twice"):
        load_manifest(manifest)


def test_an_indented_code_block_is_not_read_but_an_indented_list_paragraph_is(tmp_path: Path) -> None:
    path = tmp_path / "code.md"
    path.write_text(
        "Intro paragraph about NASA.\n\n"
        "    NASA ordered 99 flights in 1999, says the code sample.\n"
        "\n"
        "    x = compute(12)\n\n"
        "The agency paid $1.6 billion.\n"
        "    an indented line inside a paragraph continues it.\n\n"
        "- a list item says NASA bought 12 rockets.\n\n"
        "    Its second paragraph says NASA bought 14 more.\n\n"
        "After the list, text at the margin.\n\n"
        "\tTabbed code line with 7 figures.\n"
    )
    text = load_article(path).text
    assert "99 flights" not in text and "compute" not in text and "7 figures" not in text
    for kept in ("Intro paragraph", "continues it", "bought 12 rockets", "bought 14 more", "at the margin"):
        assert kept in text


def test_a_bom_is_not_counted_in_offsets_but_lines_are_the_files(tmp_path: Path) -> None:
    from verify.claims import split_claims

    path = tmp_path / "bom.md"
    text = "\ufeff---\ntitle: BOM\n---\nNASA ordered 12 flights.\n\nThe agency paid $1.6 billion.\n"
    path.write_bytes(text.encode())
    article = load_article(path)
    as_editors_show_it = path.read_bytes().decode("utf-8-sig")
    claims = split_claims(article)
    assert [c.line for c in claims] == [4, 6]
    for claim in claims:
        assert as_editors_show_it[claim.start : claim.end] == claim.text
