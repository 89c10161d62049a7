"""Fact-checkers' ClaimReview markup on source pages, read with extruct, and matched to claims.

A source that is itself a fact-check (PolitiFact, Full Fact, AFP, ...) carries schema.org
`ClaimReview` as JSON-LD or microdata. `read_fact_checks` collects the reviewed claim, the rating
and the fact-checker; `fact_checks_for` finds the reviews that are about a claim of the article
(most of the content words of the one are in the other), so reports can show that fact-checker's
rating beside verify's own verdict. Markup is data from the page: a broken or hostile block is
ignored, strings are clipped, and at most MAX_REVIEWS are kept per page.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator, Sequence
from typing import Any

from .models import ClaimResult, Document, FactCheck
from .text import clip, tokenize

MAX_REVIEWS = 50
MAX_TEXT = 500
MIN_SHARED = 0.8  # share of each side's content words the other must hold (four in five)
_STOP = "a an and are as at be by for from has have in is it its of on or that the this to was were will with"
STOP_WORDS = frozenset(_STOP.split(" "))


def read_fact_checks(body: bytes, encoding: str = "", url: str = "") -> tuple[FactCheck, ...]:
    """The ClaimReviews in a page's JSON-LD and microdata ((), quickly, when the page has none)."""
    if b"ClaimReview" not in body:
        return ()
    try:
        import extruct

        markup = body.decode(encoding or "utf-8", errors="replace")
        with contextlib.redirect_stderr(io.StringIO()):  # extruct logs a broken block, we skip it
            data = extruct.extract(
                markup, base_url=url or None, syntaxes=["json-ld", "microdata"], uniform=True, errors="ignore"
            )
    except Exception:  # markup that breaks the parser is a page without fact-checks, never a failed run
        return ()
    found: list[FactCheck] = []
    for item in _items(data.get("json-ld", []) + data.get("microdata", [])):
        review = _review(item)
        if review is not None and review not in found:
            found.append(review)
        if len(found) >= MAX_REVIEWS:
            break
    return tuple(found)


def fact_checks_for(result: ClaimResult, documents: Sequence[Document]) -> list[tuple[FactCheck, Document]]:
    """The fact-checks on the article's sources that review this claim."""
    if not result.claim.checkable:
        return []
    words = _content_words(result.claim.text)
    matches = []
    for document in documents:
        for check in document.fact_checks:
            theirs = _content_words(check.claim_reviewed)
            if words and theirs:
                shared = len(words & theirs)
                if shared >= MIN_SHARED * len(words) and shared >= MIN_SHARED * len(theirs):
                    matches.append((check, document))
    return matches


def describe(check: FactCheck) -> str:
    """One line: who rated the claim how."""
    return f"{check.publisher or 'a fact-checker'} rates it {check.rating!r}"


def _items(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in the extracted data (graphs, lists, nested properties), breadth-bounded by depth."""
    if depth > 12:
        return
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from _items(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            yield from _items(inner, depth + 1)


def _is_type(item: dict[str, Any], name: str) -> bool:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == name for k in kinds)


def _review(item: dict[str, Any]) -> FactCheck | None:
    if not _is_type(item, "ClaimReview"):
        return None
    claim = _text(item.get("claimReviewed"))
    rating = item.get("reviewRating")
    rating = rating[0] if isinstance(rating, list) and rating else rating
    if not claim or not isinstance(rating, dict):
        return None
    value, best, worst = (_text(rating.get(k)) for k in ("ratingValue", "bestRating", "worstRating"))
    words = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if not words and value:
        words = f"{value}/{best}" if best else value
    if not words:
        return None
    return FactCheck(
        claim_reviewed=claim,
        rating=words,
        publisher=_name(item.get("author")) or _name(item.get("publisher")),
        url=_text(item.get("url")),
        rating_value=value,
        best_rating=best,
        worst_rating=worst,
    )


def _name(value: Any) -> str:
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("@value", "")
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return clip(" ".join(str(value).split()), MAX_TEXT)


def _content_words(text: str) -> set[str]:
    return {t.low for t in tokenize(text) if t.low not in STOP_WORDS}
