"""A rewrite against its original, sentence by sentence: what was kept, reworded, or changed on the way.

Sentences are aligned on the embeddings and word overlap that matching uses (order may change;
one original sentence may become two, or two one). Each aligned pair is then read with the
item alignment of the verdicts (figures, dates, names, negation, roles: verify/align.py and the
checks in verify/checks/), a hedge check and the attribution parser (verify/attribution/): an
editor sees the kind of change and both wordings.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from ..attribution import find_attributions
from ..embed import Embedder
from ..entail import EntailmentScorer
from ..models import AlignedPair, Article, Attribution, Claim, ClaimResult, Document, RewriteDiff
from ..text import tokens
from .alignment import Side, align_sentences, claims_shared, copy_share, likely_original, rewrite_side
from .classify import added_pair, dropped_pair, entailment_changes, pair_changes, pair_kind
from .findings import rewrite_findings

__all__ = [
    "compare_rewrite",
    "copy_share",
    "for_article",
    "likely_original",
    "rewrite_findings",
]


def compare_rewrite(
    claims: Sequence[Claim],
    original: Document,
    embedder: Embedder,
    *,
    article: Article | None = None,
    supported_by: Mapping[str, str] | None = None,
    detected: bool = False,
    entailment: EntailmentScorer | None = None,
    credits: Sequence[Attribution] | None = None,
) -> RewriteDiff:
    """Align the rewrite's sentences (`claims`) with the original's and classify every pair.

    `supported_by` maps the id of a claim to a source (other than the original) that supports
    it; added claims are reported with it. `article` (the rewrite) lets attribution changes be
    read with the parser that reads the whole text (a speaker left dangling in its own sentence).
    `entailment`, when given, also reads kept and reworded pairs in both directions: a pair it
    finds contradictory either way is a meaning change. `credits`: the article's attributions when
    the caller has found them already (the pipeline has), so the article is not parsed again.
    """
    rewrite = [rewrite_side(c) for c in claims]
    source = [Side(s.index, s.text, frozenset(tokens(s.text))) for s in original.sentences]
    groups = align_sentences(rewrite, source, embedder)
    grouped_r = {k for rs, _, _ in groups for k in rs}
    grouped_o = {k for _, os, _ in groups for k in os}
    by_id = {c.id: c for c in claims}
    credits_r = _credits_by_claim(article, claims, credits) if article is not None else {}
    credits_o = _credits_by_sentence(original)
    pairs: list[tuple[float, AlignedPair]] = []
    order = {c.id: n for n, c in enumerate(claims)}
    for rs, os, score in groups:
        r_text = " ".join(by_id[str(k)].text for k in rs)
        o_text = " ".join(original.sentences[int(k)].text for k in os)
        changes = pair_changes(
            o_text,
            r_text,
            [a for k in os for a in credits_o.get(int(k), [])],
            [(by_id[str(k)].text, credits_r.get(str(k), [])) for k in rs],
        )
        kind = pair_kind(o_text, r_text, changes)
        pair = AlignedPair(
            kind,
            tuple(int(k) for k in os),
            tuple(str(k) for k in rs),
            o_text,
            r_text,
            round(score, 3),
            tuple(changes),
        )
        pairs.append((order[str(rs[0])], pair))
    if entailment is not None:
        pairs = entailment_changes(pairs, entailment)
    for c in claims:
        if c.id not in grouped_r:
            pairs.append((order[c.id], added_pair(c, supported_by or {})))
    placed = sorted(pairs, key=lambda p: p[0])
    out: list[AlignedPair] = []
    # a dropped sentence goes after the last pair that holds one of its predecessors in the original
    anchor = {o: n for n, (_, p) in enumerate(placed) for o in p.original}
    after: dict[int, list[AlignedPair]] = {}
    before = -1  # the running maximum over the predecessors: one pass, not one scan per sentence
    for s in original.sentences:
        if s.index not in grouped_o:
            after.setdefault(before, []).append(dropped_pair(s.index, s.text, credits_o.get(s.index, [])))
        before = max(before, anchor.get(s.index, -1))
    out += after.get(-1, [])
    for n, (_, pair) in enumerate(placed):
        out.append(pair)
        out += after.get(n, [])
    return RewriteDiff(
        original=original.label,
        pairs=tuple(out),
        copy_share=round(copy_share(" ".join(c.text for c in claims), original.text), 3),
        detected=detected,
        shared=round(claims_shared(rewrite, source), 3),
    )


def _credits_by_claim(
    article: Article, claims: Sequence[Claim], credits: Sequence[Attribution] | None = None
) -> dict[str, list[Attribution]]:
    """The article's credits, by the claim whose characters hold the speaker (or the credited words)."""
    if credits is None:
        credits = find_attributions(article, [])[0]
    out: dict[str, list[Attribution]] = {}
    for credit in credits:
        at = credit.start if credit.end > credit.start else credit.content_start
        for c in claims:
            if c.start <= at < max(c.end, c.start + 1):
                out.setdefault(c.id, []).append(credit)
                break
    return out


def _credits_by_sentence(document: Document) -> dict[int, list[Attribution]]:
    text = document.text
    credits, _ = find_attributions(Article(document.label, text, text, "text"), [])
    out: dict[int, list[Attribution]] = {}
    for credit, n in _holders(credits, [(s.start, s.end) for s in document.sentences]):
        out.setdefault(document.sentences[n].index, []).append(credit)
    return out


def _holders(
    credits: Sequence[Attribution], spans: Sequence[tuple[int, int]]
) -> Iterator[tuple[Attribution, int]]:
    """Each credit with the first span whose characters hold its speaker; `spans` in text order,
    not overlapping (sentences). A binary search: a long original has thousands of both."""
    starts = [start for start, _ in spans]
    for credit in credits:
        at = credit.start if credit.end > credit.start else credit.content_start
        n = bisect.bisect_right(starts, at) - 1
        while n > 0 and starts[n - 1] == starts[n]:
            n -= 1  # spans of equal start: the first that holds it, as a scan in order finds
        for k in range(max(n, 0), len(spans)):
            start, end = spans[k]
            if start > at:
                break
            if start <= at < max(end, start + 1):
                yield credit, k
                break


def for_article(
    article: Article,
    claims: Sequence[Claim],
    documents: Sequence[Document],
    results: Sequence[ClaimResult],
    embedder: Embedder,
    credits: Sequence[Attribution] | None = None,
) -> RewriteDiff | None:
    """The diff against the named original (a source of origin "original"), else the likely original.

    `credits`: the article's attributions, when the caller has found them already."""
    named = next((d for d in documents if d.ref.origin == "original"), None)
    if named is None and any(r.origin == "original" for r in article.sources):
        return None  # named but not readable: the skipped source says why
    found = (named, 1.0) if named is not None else likely_original(claims, documents)
    if found is None:
        return None
    original = found[0]
    supported_by = {
        r.claim.id: e.source
        for r in results
        if r.verdict in ("supported", "partially_supported")
        for e in r.evidence[:1]
        if e.source != original.label
    }
    diff = compare_rewrite(
        claims,
        original,
        embedder,
        article=article,
        supported_by=supported_by,
        detected=named is None,
        credits=credits,
    )
    return _with_inherited(diff, results)


def _with_inherited(diff: RewriteDiff, results: Sequence[ClaimResult]) -> RewriteDiff:
    """A contradicted claim that the original states the same way: the error came with the original."""
    # the claim's reason without the source sentence it quotes: the claim's own report quotes it
    contradicted = {
        r.claim.id: r.reason.split(": \u201c", 1)[0] for r in results if r.verdict == "contradicted"
    }
    pairs = []
    for pair in diff.pairs:
        why = next((contradicted[k] for k in pair.rewrite if k in contradicted), None)
        if why is not None and pair.kind in ("kept", "reworded"):
            pair = replace(pair, note=f"error inherited from the original: {why}")
        elif why is not None and pair.kind == "added" and pair.claim:
            pair = replace(pair, note=f"not in the original, and contradicted by the sources: {why}")
        pairs.append(pair)
    return replace(diff, pairs=tuple(pairs))
