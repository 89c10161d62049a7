"""Attribution checks: who the article credits with what, and whether its sources agree.

Everything here is rule-based so an editor can follow why a finding was raised:
reporting verbs and quotation marks locate the credits (`credits.py`, with the word lists of
`verify/lexicon.py` and the name shapes of `names.py`), the names found in the source pages act as the
dictionary (`sources.py`), and the rules (`checks.py` on the article alone, `sourcechecks.py`
against the sources) tell a misspelled, lowercased, glued or swapped name apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from verify.attribution.checks import (
    check_dangling,
    check_glued,
    check_inconsistent,
    check_lowercased,
    check_missing_speaker,
)
from verify.attribution.credits import parse_credits
from verify.attribution.model import Credit, Findings, Sent, sentences_of
from verify.attribution.sourcechecks import (
    check_against_sources,
    check_misquotes,
    check_second_hand,
    spoken_quotes,
)
from verify.attribution.sources import Sources, evident_persons, known_names
from verify.models import Article, Attribution, Document, Finding
from verify.sentences import PARAGRAPH

__all__ = ["find_attributions"]


def find_attributions(
    article: Article, documents: Sequence[Document]
) -> tuple[list[Attribution], list[Finding]]:
    """Find every credit in the article and the problems with it, in the sources' light when given."""
    text = article.text
    sentences = _article_sentences(text)
    sources = Sources(documents)
    known = known_names(text, sources)
    findings = Findings(article)
    attributions: list[Attribution] = []
    parsed: list[tuple[Sent, list[Credit]]] = []
    for sent in sentences:
        credits = parse_credits(sent.text, known.low_tokens)
        parsed.append((sent, credits))
        for credit in credits:
            attributions.append(_to_attribution(article, sent, credit))
    known = replace(known, persons=evident_persons(text, parsed, sources, known))

    for sent, credits in parsed:
        check_glued(findings, sent, credits, sources, known)
        check_lowercased(findings, sent, credits, known)
        check_missing_speaker(findings, sent, credits, sources, text)
    check_dangling(findings, parsed, sources, known)
    check_inconsistent(findings, text, sources)
    if documents:
        for number, (sent, credits) in enumerate(parsed):
            check_against_sources(findings, sent, credits, sources, known)
            check_misquotes(findings, sent, spoken_quotes(parsed, number), sources)
            check_second_hand(findings, sent, credits, sources, documents)
    findings.items.sort(key=lambda f: (f.start, f.rule))
    return attributions, findings.items


def _article_sentences(text: str) -> list[Sent]:
    out: list[Sent] = []
    for number, para in enumerate(PARAGRAPH.finditer(text)):
        out.extend(sentences_of(text, para.start(), para.end(), number))
    return out


def _to_attribution(article: Article, sent: Sent, credit: Credit) -> Attribution:
    base = sent.start
    s, e = article.raw_span(base + credit.speaker_start, base + credit.speaker_end)
    if credit.speaker_end <= credit.speaker_start:
        s = e = article.raw_span(base + credit.verb_start, base + credit.verb_end)[0]
    cs, ce = article.raw_span(base + credit.content_start, base + credit.content_end)
    return Attribution(
        speaker=credit.speaker if credit.kind != "none" else "",
        start=s,
        end=e,
        content=credit.content,
        content_start=cs,
        content_end=ce,
        verb=credit.verb,
        title=credit.title,
        organisation=credit.organisation,
        quote=credit.quote,
    )
