"""`--format claimreview`: schema.org ClaimReview JSON-LD, the markup fact-checkers publish.

One ClaimReview per checked claim whose verdict is in `claimreview-verdicts`: the claim
(`claimReviewed`, `itemReviewed` as a `Claim` with its `appearance` in the article, its
`firstAppearance` when the article copies it from an original, its `author` when the article
credits a speaker with it), the verdict as a `Rating` on a 1-4 scale with the verdict in words
(`alternateName`) and why (`ratingExplanation`), the publishing organisation (`author`, from the
`publisher` settings), and the sources behind the verdict as `citation`s with their WARC records.

Everything taken from articles and pages is a JSON string value under a key this module names:
no text becomes a key, an `@id` or an `@context`, IRIs are kept only when absolute http(s),
file or urn, and `<`, `>`, `&` are escaped so the output can sit inside a `<script>` element.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from ..checks.negation import negated
from ..config import Settings
from ..lexicon import NAME_LINKS, person_name
from ..models import ArticleReport, Attribution, ClaimResult, Document, Report, Verdict
from ..rules import VERDICT_TEXT
from .json import dumps as json_text

CONTEXT = "https://schema.org"
RATING: dict[Verdict, int] = {"contradicted": 1, "unsupported": 2, "partially_supported": 3, "supported": 4}
BEST, WORST = 4, 1
DEFAULT_PUBLISHER = ("verify", "https://github.com/verify-project/verify")
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render(report: Report, settings: Settings) -> str:
    return dumps(claim_reviews(report, settings))


def dumps(document: dict[str, Any]) -> str:
    """JSON that stays data inside an HTML `<script type="application/ld+json">` element too."""
    text = json_text(document, indent=2)  # strict JSON: a non-finite number becomes null
    return re.sub("[<>&\u2028\u2029]", lambda m: _UNSAFE[m.group()], text) + "\n"


def claim_reviews(report: Report, settings: Settings) -> dict[str, Any]:
    published = set(settings.claimreview_verdicts)
    date = report.generated_at[:10]
    author = organisation(settings)
    reviews = [
        review(result, item, settings, author, date)
        for item in report.articles
        for result in item.results
        if result.verdict in published and result.claim.checkable
    ]
    return {"@context": CONTEXT, "@graph": reviews}


def organisation(settings: Settings) -> dict[str, Any]:
    name, url = (settings.publisher, settings.publisher_url) if settings.publisher else DEFAULT_PUBLISHER
    out: dict[str, Any] = {"@type": "Organization", "name": name}
    if _iri(url or settings.publisher_url):
        out["url"] = url or settings.publisher_url
    return out


def article_url(item: ArticleReport, settings: Settings) -> str:
    """Where the article is read: under `publisher-url` when set, else its file."""
    path = Path(item.article.path)
    if settings.publisher_url:
        relative = quote(path.as_posix().lstrip("/").removeprefix("./"))
        return urljoin(settings.publisher_url.rstrip("/") + "/", relative)
    return path.resolve().as_uri()


def review(
    result: ClaimResult, item: ArticleReport, settings: Settings, author: dict[str, Any], date: str
) -> dict[str, Any]:
    claim = result.claim
    page = article_url(item, settings)
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": page}
    if item.article.title:
        appearance["headline"] = item.article.title
    reviewed: dict[str, Any] = {"@type": "Claim", "appearance": [appearance]}
    first = _first_appearance(result, item)
    if first:
        reviewed["firstAppearance"] = {"@type": "CreativeWork", "url": first}
    speaker = _speaker(result, item)
    if speaker:
        reviewed["author"] = speaker
    rating: dict[str, Any] = {
        "@type": "Rating",
        "ratingValue": RATING[result.verdict],
        "bestRating": BEST,
        "worstRating": WORST,
        "alternateName": VERDICT_TEXT[result.verdict].label,
    }
    if result.reason:
        rating["ratingExplanation"] = result.reason
    out: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": f"{page}#{quote(claim.id)}",
        "claimReviewed": " ".join(claim.text.split()),
        "itemReviewed": reviewed,
        "reviewRating": rating,
        "author": author,
        "datePublished": date,
    }
    citations = [_citation(d) for d in _cited(result, item)]
    if citations:
        out["citation"] = citations
    return out


def _cited(result: ClaimResult, item: ArticleReport) -> list[Document]:
    """The sources whose sentences the verdict rests on, in the order of the evidence."""
    labels = list(dict.fromkeys(e.source for e in result.evidence))
    by_label = {d.label: d for d in item.documents}
    return [by_label[label] for label in labels if label in by_label]


def _citation(document: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "CreativeWork"}
    url = document.ref.url or document.final_url
    if _iri(url):
        out["url"] = url
    if document.title:
        out["name"] = document.title
    if document.published:
        out["datePublished"] = document.published
    record = document.archive
    if record is not None:
        out["identifier"] = [
            _value("WARC-Record-ID", record.record_id.strip("<>")),
            _value("WARC-Payload-Digest", record.digest),
            _value("WARC-Date", record.captured),
            _value("WARC-Filename", record.file),
        ]
    return out


def _value(name: str, value: str) -> dict[str, Any]:
    return {"@type": "PropertyValue", "propertyID": name, "value": value}


def _first_appearance(result: ClaimResult, item: ArticleReport) -> str:
    """The original's URL when the claim is copied (kept or reworded) from the page it rewrites."""
    diff = item.rewrite
    if diff is None or not _iri(diff.original):
        return ""
    copied = any(result.claim.id in p.rewrite for p in diff.pairs if p.kind in ("kept", "reworded"))
    return diff.original if copied else ""


def _speaker(result: ClaimResult, item: ArticleReport) -> dict[str, Any] | None:
    """Who the article credits with the claim's words, when an attribution covers them: a person
    (two or three capitalised words that name no organisation), else an organisation ("Bloomberg
    reported", "according to China Space Monitor"). A published review names no author rather than a
    wrong one: not a description ("the deputy director"), not a garbled name ("lynette tan"), not a
    speaker whose verb is denied ("CMSA has not disclosed ...")."""
    claim = result.claim
    for credit in item.attributions:
        if credit.speaker and credit.content_start < claim.end and claim.start < credit.content_end:
            name = credit.speaker
            if not all(w[:1].isupper() or w in NAME_LINKS for w in name.split()) or _denied(credit, item):
                return None
            return {"@type": "Person" if person_name(name) else "Organization", "name": name}
    return None


def _denied(credit: Attribution, item: ArticleReport) -> bool:
    """The reporting verb is negated between the speaker and the credited words ("has not disclosed")."""
    between = item.article.raw[min(credit.end, credit.content_start) : max(credit.end, credit.content_start)]
    return negated(between)


def _iri(value: str) -> bool:
    """An absolute IRI of a kind a reader can follow; never a keyword or a relative reference."""
    if not value or any(c.isspace() or ord(c) < 32 or c in '<>"{}|\\^`' for c in value):
        return False
    parts = urlsplit(value)
    return (parts.scheme in ("http", "https") and bool(parts.netloc)) or parts.scheme in ("file", "urn")
