"""Split an article into claims and mark what is not worth checking (boilerplate, questions)."""

from __future__ import annotations

import re

from . import sentences
from .context import resolve
from .models import Article, Claim

BOILERPLATE_PREFIX = re.compile(
    r"^\s*(?:see also|read next|read more|related|also read|more from|recommended|up next|"
    r"source|sources|photo|photos|image|images|picture|credit|credits|photo credit|image credit|"
    r"featured image|editing by|edited by|reporting by|written by|engineered by|produced by|"
    r"follow us|subscribe|sign up|share this|click here|advertisement|sponsored|disclaimer|"
    r"copyright|tags|filed under|contact)\b\s*[:\-–—]?",
    re.I,
)
BYLINE = re.compile(r"^\s*[Bb]y\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*(?:[,|].*)?$")
PHOTO_CREDIT = re.compile(
    r"\b(?:photo|image|picture)s?\b.*\b(?:by|via|courtesy)\b"
    r"|\bon (?:shutterstock|unsplash|getty images|pexels)\b"
    r"|\((?:photo|image|credit)[^)]*\)\s*$",
    re.I,
)
AI_DISCLOSURE = re.compile(
    r"\b(?:content generation system|generated (?:by|with|using) (?:ai|artificial intelligence)|"
    r"ai[- ]generated|(?:written|produced|generated|created|drafted) (?:with the help of|with|by|using) "
    r"(?:an? )?(?:ai|artificial intelligence|gpt|chatgpt|large language model|llm)|"
    r"gpt-\d[\w.-]*[- ]based|this (?:article|story|post) was (?:written|produced|generated) (?:by|with))",
    re.I,
)
# a label and its colon opens a note about the article, not a claim ("Editor's note: ...", "Watch: ...");
# without the colon these words open claims too ("Watchers saw ...", "Updates arrived ...")
LABELLED_NOTE = re.compile(
    r"^\s*(?:editor['’]s note|note to readers|disclosure|correction|clarification|update|updated|"
    r"watch|listen|video)\s*[:\-–—]",
    re.I,
)
# the article speaking of itself, and page furniture: never a claim about the world
NOTICE = re.compile(
    r"^\s*this (?:article|story|post|piece|report|page)\b.{0,60}?\b(?:updated|corrected|amended|"
    r"appeared|published|republished)\b"
    r"|^\s*additional reporting (?:by|from)\b"
    r"|\bwe use cookies\b"
    r"|^\s*(?:last )?(?:updated|posted|published)\s+(?:on\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec)[a-z]*\b)",
    re.I,
)
COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|all rights reserved", re.I)
CALL_TO_ACTION = re.compile(
    r"^\s*(?:learn more|read more|click here|continue reading|subscribe now)\W*$", re.I
)
VERBISH = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|do|does|did|will|would|can|could|may|might|must|shall|"
    r"should|\w+(?:ed|es|s))\b",
    re.I,
)
WORD = re.compile(r"[A-Za-z0-9$€£%]+(?:[.'’-][A-Za-z0-9]+)*")


PART_SPLIT = re.compile(
    r"\s*(?:;|,?\s+(?:and|but|while|whereas|although)\s+(?=[a-z]+\s)|,\s*(?:which|who|where)\s+|"
    r",\s+(?=(?:a|an|the)\s[\w-]+(?:\s[\w-]+){0,3}\s(?:that|which|who|of|based|in)\b))",
)


def decompose(text: str) -> list[str]:
    """The facts a compound sentence asserts: coordinated clauses, relative clauses, appositives."""
    pieces = [p.strip(" ,.;") for p in PART_SPLIT.split(text)]
    pieces = [p for p in pieces if len(WORD.findall(p)) >= 3]
    return pieces if len(pieces) > 1 else [text]


def split_claims(article: Article) -> list[Claim]:
    """Every sentence of the article as a Claim, with `checkable` False for boilerplate.

    Each claim also carries `resolved`: the sentence with references to earlier ones resolved.
    """
    text = article.text
    claims: list[Claim] = []
    paragraph = 0
    prev_end = 0
    in_boilerplate_paragraph = False
    for start, end in sentences.split_spans(text):
        new_paragraph = (
            prev_end == 0 or "\n\n" in text[prev_end:start] or _blank_between(text, prev_end, start)
        )
        if new_paragraph:
            paragraph += 1
            in_boilerplate_paragraph = False
        prev_end = end
        sentence = text[start:end]
        reason = _not_checkable(article, sentence, start, end, new_paragraph)
        if reason in {"boilerplate", "ai-disclosure", "photo-credit", "byline"}:
            in_boilerplate_paragraph = True
        elif in_boilerplate_paragraph and not reason:
            reason = "boilerplate"
        raw_start, raw_end = article.raw_span(start, end)
        line, column = article.line_col(raw_start)
        claims.append(
            Claim(
                id=f"c{len(claims) + 1}",
                text=" ".join(sentence.split()),
                start=raw_start,
                end=raw_end,
                line=line,
                column=column,
                paragraph=paragraph,
                checkable=not reason,
                reason=reason,
                text_start=start,
                text_end=end,
            )
        )
    return resolve(_mark_byline_tails(claims))


def _blank_between(text: str, a: int, b: int) -> bool:
    gap = text[a:b]
    return gap.count("\n") >= 2 and not gap.strip()


def _not_checkable(article: Article, sentence: str, start: int, end: int, paragraph_start: bool) -> str:
    if any(a <= start and end <= b for a, b in article.headings):
        return "heading"
    flat = " ".join(sentence.split())
    if BOILERPLATE_PREFIX.match(flat) and (paragraph_start or len(flat) < 120):
        return "boilerplate"
    if AI_DISCLOSURE.search(flat):
        return "ai-disclosure"
    if PHOTO_CREDIT.search(flat) and len(flat) < 160:
        return "photo-credit"
    if paragraph_start and BYLINE.match(flat):
        return "byline"
    if COPYRIGHT.search(flat) or CALL_TO_ACTION.match(flat):
        return "boilerplate"
    if LABELLED_NOTE.match(flat) or NOTICE.search(flat):
        return "boilerplate"
    if flat.rstrip("\"'”’)").endswith("?"):
        return "question"
    words = WORD.findall(flat)
    if len(words) < 4 and not any(ch.isdigit() for ch in flat):
        return "fragment"
    if len(words) < 6 and not VERBISH.search(flat):
        return "fragment"
    return ""


def _mark_byline_tails(claims: list[Claim]) -> list[Claim]:
    """A short paragraph right after 'edited by' / 'written by' is the name it credits."""
    out = list(claims)
    for i in range(1, len(out)):
        prev, cur = out[i - 1], out[i]
        credits_next = re.search(r"\b(?:by|and)\s*$", prev.text, re.I) and not prev.checkable
        if credits_next and cur.checkable and len(cur.text.split()) <= 4:
            out[i] = _replace(cur, "byline")
    return out


def _replace(claim: Claim, reason: str) -> Claim:
    from dataclasses import replace

    return replace(claim, checkable=False, reason=reason)
