"""Judge a claim against its ranked evidence: a verdict, a calibrated score and the reasons.

The score is a logistic model over a few signals that a reader can follow (similarity,
how much of each part of the claim the evidence covers, agreeing or conflicting numbers,
missing names), lowered by the bundled entailment model's confidence that an aligned sentence
contradicts the claim. Its coefficients, fitted on the WiCE dev split by benchmarks/calibrate.py,
and every threshold live in verify/tuning.py; nothing is downloaded.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from .align import align
from .checks import rule
from .claims import decompose
from .entail import EntailmentScorer
from .extract import hostname
from .items import Conflict, Item, Line
from .match import Pooled, Ranked
from .models import Check, Claim, ClaimPart, ClaimResult, Document, Verdict
from .text import clip, tokens
from .tuning import (
    COEFFICIENTS,
    CONTRADICTED_SCORE,
    CONTRADICTION_DAMPING,
    ENTAIL_OVERRULES,
    ENTAIL_SENTENCES,
    LENGTH_SATURATION,
    MISSING_PENALTY,
    PART_SUPPORTED,
    PRIMARY_NAME_CHARS,
    PRIMARY_TITLE_WORDS,
    SAME_SUBJECT_OVERLAP,
    SAME_SUBJECT_SIMILARITY,
    THRESHOLD_PARTIAL,
    THRESHOLD_SUPPORTED,
    VERIFIER_AGREES,
    VETO_MARGIN,
    WINDOW_NEIGHBOURS_OF,
    WINDOW_TOP,
    WORD_CONTRADICTION,
)
from .verifier import PairScorer, Support, read_all
from .verifier import support as verifier_support

ENTITY = re.compile(r"\b(?:[A-Z][\w'’-]*|\d[\d.,]*)")


def score(signals: dict[str, float]) -> float:
    """The calibrated probability that the sources support the whole claim."""
    z = COEFFICIENTS["bias"] + sum(COEFFICIENTS[k] * v for k, v in signals.items() if k in COEFFICIENTS)
    return 1 / (1 + math.exp(-z))


Score = TypeVar("Score", float, np.ndarray)  # one claim's, or many at once (benchmarks/calibrate.py)


def damped(probability: Score, contradiction: Score) -> Score:
    """The score lowered by how sure the entailment model is that an aligned sentence contradicts it."""
    return probability * (1 - CONTRADICTION_DAMPING * contradiction)


@dataclass(frozen=True)
class SourceInfo:
    """What the judge knows about a source document beyond its sentences."""

    label: str
    published: str = ""  # ISO date if the page states one; earlier sources are preferred
    cites: tuple[str, ...] = ()  # labels of the other sources this page names: it is secondary to them
    title: str = ""


def source_infos(documents: Sequence[Document]) -> list[SourceInfo]:
    """Each document's label, publication date and the other documents it cites."""
    return [SourceInfo(d.label, d.published, cited_sources(d, documents), d.title) for d in documents]


def cited_sources(document: Document, documents: Sequence[Document]) -> tuple[str, ...]:
    """The other sources a page names: by their site name, their host, or their full title."""
    own = {document.site, _host(document)}
    cited = []
    for other in documents:
        if other is document or other.label == document.label:
            continue
        names = [n for n in (other.site, _host(other)) if len(n) >= PRIMARY_NAME_CHARS and n not in own]
        if len(other.title.split()) >= PRIMARY_TITLE_WORDS:
            names.append(other.title)
        if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", document.text) for n in names):
            cited.append(other.label)
    return tuple(cited)


def _host(document: Document) -> str:
    return hostname(document.final_url or document.ref.url or "")


def judge(
    claim: Claim,
    ranked: Ranked,
    pool: Sequence[Pooled],
    *,
    sources: Sequence[SourceInfo] = (),
    entailment: EntailmentScorer | None = None,
    support: PairScorer | None = None,
) -> ClaimResult:
    """Verdict, score, checks and the parts of the claim that the evidence does not cover.

    `entailment`, the sentence-pair model, decides whether a different word or name in an aligned sentence
    contradicts the claim, may overrule a typed conflict it reads as agreeing, and its contradiction
    lowers the score; it never decides a verdict alone. `support`, the learned verifier
    (verify/verifier.py), must confirm what the fitted score calls supported, when given.
    The claim is judged as resolved in context (`claim.resolved`); reports show it as written.
    """
    if not claim.checkable:
        return ClaimResult(claim, "not_checkable", 0.0, reason=f"not checked: {claim.reason}")
    if not ranked.evidence:
        reason = "no source sentences to compare with" if not pool else "no evidence found in the sources"
        return ClaimResult(claim, "unsupported", 0.0, reason=reason)
    text = claim.resolved or claim.text
    window_ids = _window(ranked, pool)
    window_words = [tokens(pool[i].text) for i in window_ids]
    window = {t for words in window_words for t in words}
    parts = _parts(text, window)
    lines = _lines(text, ranked, pool, window_ids, sources)
    items = align(text, lines, _everywhere(ranked, pool, sources, lines))
    close_lines = [line for line in lines if line.close][:ENTAIL_SENTENCES]
    pair_scores = _entail(entailment, text, close_lines)
    items = _settle_words(items, close_lines, pair_scores)
    signals = _signals(claim, text, ranked, pool, window_ids, window_words, window, parts, items)
    probability = score(signals)
    if pair_scores is not None:
        signals["entailment"] = float(pair_scores[:, 0].max())
        signals["contradiction"] = float(pair_scores[:, 2].max())
        probability = damped(probability, signals["contradiction"])
    checks = tuple(_check(item) for item in items)
    vetoes = _vetoes(items, sources, pair_scores, lines)
    signals["vetoes"] = float(vetoes.count)  # not in the logistic
    verdict, reason, probability = _verdict(probability, vetoes, parts)
    # --- the learned verifier (verify/verifier.py): what the similarity judge calls supported is
    # supported only when the verifier reads one of the claim's windows as stating it
    if support is not None and (verdict == "supported" or read_all()):
        titles = [s.title for s in sources]
        verified = verifier_support(support, text, [p.text for p in parts], ranked, pool, titles)
        signals.update(verified.signals)
        if verdict == "supported":  # (read_all: every other claim is only read, for the benchmarks)
            signals["before_verifier"] = probability  # for benchmarks/verifier_veto.py
            if verified.raw < VERIFIER_AGREES:
                parts = list(verified.parts) or parts
                verdict, reason, probability = _not_stated(verified, probability)
    # --- end of the verifier
    return ClaimResult(
        claim=claim,
        verdict=verdict,
        score=round(probability, 4),
        evidence=ranked.evidence,
        reason=reason,
        checks=checks,
        parts=tuple(parts) if len(parts) > 1 else (),
        unsupported_words=tuple(_unsupported_spans(claim.text, window)) if verdict != "supported" else (),
        disagreement=vetoes.disagreement,
        signals=tuple((k, round(v, 4)) for k, v in signals.items()),
    )


@dataclass(frozen=True)
class _Vetoes:
    """The items that keep a claim from "supported", read through their kinds' rules."""

    conflicts: list[Item]  # a source says otherwise (and the model did not overrule it)
    missing: list[Item]  # no source says it, or only apart from the rest of the claim
    disagreement: str  # sources that disagree on an item, and which is primary
    refuted_by_primary: bool  # ... and the primary source is the one that differs
    count: int


def _vetoes(
    items: Sequence[Item],
    sources: Sequence[SourceInfo],
    pair_scores: np.ndarray | None,
    lines: Sequence[Line],
) -> _Vetoes:
    published = {s.label: s.published for s in sources}
    cites = {s.label: s.cites for s in sources}
    conflicts = [item for item in items if item.status == "conflict"]
    disputed = [item for item in items if item.status == "agreed" and item.conflicts]
    missing = [item for item in items if item.status in ("missing", "unaligned")]
    count = len(conflicts) + len(missing) + len(disputed)
    refuted_by_primary = any(
        _preferred(item, published, cites)[0] in _sources_of(item.conflicts) for item in disputed
    )
    typed = [item for item in conflicts if rule(item).overrulable]
    if typed and pair_scores is not None and _entailed(pair_scores, lines, typed):
        # the model reads the sentence with the differing figure as agreeing: not a contradiction;
        # an opposite, a rank or a role found by rule stands (the model is weak on those)
        conflicts = [item for item in conflicts if item not in typed]
        missing = missing + typed
    disagreement = "; ".join(_disagreement(item, published, cites) for item in disputed)
    return _Vetoes(conflicts, missing, disagreement, refuted_by_primary, count)


def _verdict(probability: float, vetoes: _Vetoes, parts: Sequence[ClaimPart]) -> tuple[Verdict, str, float]:
    """The verdict, its reason and the score capped to agree with it: vetoes first, then the score."""
    verdict: Verdict
    if vetoes.conflicts:
        first = vetoes.conflicts[0]
        return "contradicted", rule(first).conflict(first), min(probability, CONTRADICTED_SCORE)
    if vetoes.refuted_by_primary:
        return "contradicted", vetoes.disagreement, min(probability, CONTRADICTED_SCORE)
    if vetoes.disagreement:
        return "partially_supported", vetoes.disagreement, min(probability, THRESHOLD_SUPPORTED - VETO_MARGIN)
    if vetoes.missing:
        capped = min(probability, THRESHOLD_SUPPORTED - VETO_MARGIN)
        probability = capped * MISSING_PENALTY ** (len(vetoes.missing) - 1)
        partial = probability >= THRESHOLD_PARTIAL or any(p.supported for p in parts)
        verdict = "partially_supported" if partial else "unsupported"
        return verdict, _missing_reason(vetoes.missing), probability
    if probability >= THRESHOLD_SUPPORTED:
        return "supported", "the evidence says the same", probability
    if probability >= THRESHOLD_PARTIAL or any(p.supported for p in parts):
        return "partially_supported", _partial_reason(parts), probability
    return "unsupported", "no source sentence says this", probability


def _lines(
    text: str,
    ranked: Ranked,
    pool: Sequence[Pooled],
    window_ids: Sequence[int],
    sources: Sequence[SourceInfo],
) -> list[Line]:
    """The window's sentences with their source; top evidence about the claim's subject is `close`."""
    label = {pool[i].doc: e.source for i, e in zip(ranked.pool_ids, ranked.evidence, strict=True)}
    if sources:
        label.update({d: s.label for d, s in enumerate(sources)})
    close = [
        i
        for n, (i, e) in enumerate(zip(ranked.pool_ids, ranked.evidence, strict=True))
        if n == 0
        or (e.similarity >= SAME_SUBJECT_SIMILARITY and _overlap(text, e.text) >= SAME_SUBJECT_OVERLAP)
    ]
    near = {j for i in close for j in (i - 1, i, i + 1) if 0 <= j < len(pool) and pool[j].doc == pool[i].doc}
    order = close + [i for i in sorted(set(window_ids) | near) if i not in close]
    return [
        Line(label.get(pool[i].doc, f"source {pool[i].doc + 1}"), pool[i].text, i in close, i in near)
        for i in order
    ]


def _everywhere(
    ranked: Ranked, pool: Sequence[Pooled], sources: Sequence[SourceInfo], lines: Sequence[Line]
) -> list[Line]:
    """Every source sentence, and each source's publication date (a page's dateline gives a claim's year)."""
    label = {pool[i].doc: e.source for i, e in zip(ranked.pool_ids, ranked.evidence, strict=True)}
    label.update({d: s.label for d, s in enumerate(sources)})
    dated = [Line(s.label, s.published[:10], False) for s in sources if s.published]
    return dated + [Line(label.get(p.doc, f"source {p.doc + 1}"), p.text, False) for p in pool]


def _entail(scorer: EntailmentScorer | None, claim: str, lines: Sequence[Line]) -> np.ndarray | None:
    if scorer is None or not lines:
        return None
    return np.asarray(scorer.predict([(line.text, claim) for line in lines]), dtype=float).reshape(
        len(lines), 3
    )


def _settle_words(items: list[Item], close: Sequence[Line], pair_scores: np.ndarray | None) -> list[Item]:
    """A different word in a near copy (`unsure`) is a conflict only when the model reads that sentence
    as contradicting the claim; without a model it is left out, and so it is when the sentence also
    gives another figure or date than the claim (the model's contradiction may be that figure's: "first"
    for "inaugural" in a sentence with "$3.6 billion" for "$1.6 billion")."""
    typed = {c.sentence for item in items if item.kind in ("figure", "date") for c in item.conflicts}
    settled = []
    for item in items:
        if item.status != "unsure":
            settled.append(item)
            continue
        if item.conflicts[0].sentence in typed:
            continue
        row = next((n for n, line in enumerate(close) if line.text == item.conflicts[0].sentence), None)
        if pair_scores is None or row is None or row >= len(pair_scores):
            continue
        entails, contradicts = pair_scores[row, 0], pair_scores[row, 2]
        if contradicts >= WORD_CONTRADICTION and contradicts > entails:
            settled.append(replace(item, status="conflict"))
    return settled


def _entailed(pair_scores: np.ndarray, lines: Sequence[Line], conflicts: Sequence[Item]) -> bool:
    """The model is sure that a sentence the facts conflict with entails the claim after all."""
    close = [line.text for line in lines if line.close]
    said = {c.sentence for item in conflicts for c in item.conflicts}
    return any(
        pair_scores[n, 0] >= ENTAIL_OVERRULES for n, t in enumerate(close[: len(pair_scores)]) if t in said
    )


def _check(item: Item) -> Check:
    if item.status == "agreed" and item.conflicts:  # sources that disagree: not a passing check
        c, source = item.conflicts[0], item.agreeing[0] if item.agreeing else ""
        message = f"sources disagree: {source} says {item.value}, {c.source} says {c.value}"
        return Check(item.kind, False, item.value, c.value, c.source, message)
    if item.status in ("agreed", "elsewhere"):
        source = item.agreeing[0] if item.agreeing else ""
        return Check(item.kind, True, item.value, item.value, source, f"{source} agrees" if source else "")
    if item.status == "conflict":
        c = item.conflicts[0]
        return Check(item.kind, False, item.value, c.value, c.source, rule(item).conflict(item))
    return Check(item.kind, False, item.value, message=_missing_reason([item]))


def _missing_reason(items: Sequence[Item]) -> str:
    return "; ".join(rule(item).gap(item) for item in items)


def _sources_of(conflicts: Sequence[Conflict]) -> list[str]:
    return list(dict.fromkeys(c.source for c in conflicts))


def _preferred(item: Item, published: dict[str, str], cites: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """The primary source and why: one the others cite, else the earliest dated one (undated come last)."""
    named = list(dict.fromkeys([*item.agreeing, *_sources_of(item.conflicts)]))
    cited = [s for s in named if any(s in cites.get(other, ()) for other in named if other != s)]
    uncited = [s for s in cited if not set(cites.get(s, ())) & set(named)]
    if uncited:
        return uncited[0], "the source the other cites"
    dated = sorted((published.get(s) or "9999", n) for n, s in enumerate(named))
    return named[dated[0][1]], "the earlier source"


def _disagreement(item: Item, published: dict[str, str], cites: dict[str, tuple[str, ...]]) -> str:
    c = item.conflicts[0]
    preferred, why = _preferred(item, published, cites)

    def dated(source: str) -> str:
        day = (published.get(source) or "")[:10]
        return f"{source} ({day})" if day else source

    agreeing = ", ".join(dated(s) for s in item.agreeing)
    text = f"sources disagree on {item.value}: {agreeing} says {item.value}, {dated(c.source)} says {c.value}"
    if preferred == c.source:
        return f"{text}; {why} says {c.value}: \u201c{clip(c.sentence)}\u201d"
    return text


def _signals(
    claim: Claim,
    text: str,
    ranked: Ranked,
    pool: Sequence[Pooled],
    window_ids: Sequence[int],
    window_words: Sequence[list[str]],
    window: set[str],
    parts: Sequence[ClaimPart],
    items: Sequence[Item],
) -> dict[str, float]:
    claim_tokens = tokens(text)
    sims = sorted(ranked.similarities.values(), reverse=True) or [0.0]
    top1 = set(tokens(pool[ranked.pool_ids[0]].text)) if ranked.pool_ids else set()
    weights = [ranked.idf.get(t, 1.0) for t in claim_tokens]
    covered = [w for t, w in zip(claim_tokens, weights, strict=True) if t in window]
    return {
        "similarity": sims[0],
        "similarity_top3": sum(sims[:3]) / len(sims[:3]),
        "coverage_top1": _coverage(claim_tokens, top1),
        "coverage": _coverage(claim_tokens, window),
        "document_coverage": _coverage(claim_tokens, set(ranked.in_sources)),
        "entity_coverage": _coverage(_entity_tokens(text), set(ranked.in_sources), empty=1.0),
        "bigram_coverage": _bigram_coverage(claim_tokens, window_words),
        "idf_coverage": sum(covered) / sum(weights) if weights and sum(weights) else 0.0,
        "min_part_coverage": min((p.score for p in parts), default=1.0),
        "min_part_similarity": min(ranked.part_similarities, default=sims[0]),
        "name_coverage": _share([i for i in items if rule(i).coverage == "name_coverage"], "agreed"),
        "number_coverage": _share([i for i in items if rule(i).coverage == "number_coverage"], "agreed"),
        "number_conflict": float(any(i.status == "conflict" for i in items)),
        "items_missing": 1 - _share(items, "agreed", "elsewhere"),
        "length": min(len(claim_tokens), LENGTH_SATURATION) / LENGTH_SATURATION,
    }


def _share(items: Sequence[Item], *status: str) -> float:
    return sum(i.status in status for i in items) / len(items) if items else 1.0


def _window(ranked: Ranked, pool: Sequence[Pooled]) -> list[int]:
    """The top evidence and its neighbouring sentences (so "He said ..." after a name counts)."""
    ids: set[int] = set()
    ids.update(ranked.pool_ids[:WINDOW_TOP])
    for i in ranked.pool_ids[:WINDOW_NEIGHBOURS_OF]:
        ids.update(j for j in (i - 1, i + 1) if 0 <= j < len(pool) and pool[j].doc == pool[i].doc)
    return sorted(ids)


def _coverage(claim_tokens: list[str], window: set[str], empty: float = 0.0) -> float:
    """Share of the claim's words that `window` has."""
    if not claim_tokens:
        return empty
    return sum(1 for t in claim_tokens if t in window) / len(claim_tokens)


def _bigram_coverage(claim_tokens: list[str], sentences: Sequence[list[str]]) -> float:
    """Share of the claim's adjacent word pairs that some evidence sentence also has."""
    pairs = set(itertools.pairwise(claim_tokens))
    seen = {pair for words in sentences for pair in itertools.pairwise(words)}
    return len(pairs & seen) / len(pairs) if pairs else 1.0


def _entity_tokens(text: str) -> list[str]:
    """Words of names and figures: capitalised words past the first, and numbers."""
    return [t for m in ENTITY.finditer(text) if m.start() > 0 for t in tokens(m.group())]


def _parts(text: str, window: set[str]) -> list[ClaimPart]:
    """The facts a compound sentence asserts, each with the share of its words the evidence has."""
    parts = []
    for piece in decompose(text):
        cov = _coverage(tokens(piece), window)
        parts.append(ClaimPart(text=piece, supported=cov >= PART_SUPPORTED, score=round(cov, 3)))
    return parts


def _overlap(claim_text: str, evidence_text: str) -> float:
    """Share of the claim's words (figures aside) that the evidence sentence has."""
    claim_words = [t for t in tokens(claim_text) if not t[0].isdigit()]
    evidence_words = set(tokens(evidence_text))
    return sum(t in evidence_words for t in claim_words) / len(claim_words) if claim_words else 0.0


def _not_stated(verified: Support, probability: float) -> tuple[Verdict, str, float]:
    """A claim whose words the evidence holds but which no window states, by the verifier's reading:
    partially supported when it reads some part as stated (naming the others), else unsupported."""
    if any(p.supported for p in verified.parts):
        return (
            "partially_supported",
            _partial_reason(verified.parts),
            min(probability, THRESHOLD_SUPPORTED - VETO_MARGIN),
        )
    reason = f"the evidence is on the topic but no passage states this (verifier {verified.raw:.2f})"
    return "unsupported", reason, min(probability, THRESHOLD_PARTIAL - VETO_MARGIN)


def _partial_reason(parts: Sequence[ClaimPart]) -> str:
    unsupported = [p.text for p in parts if not p.supported]
    if unsupported and len(parts) > 1:
        return "no support for: " + "; ".join(f"\u201c{clip(t, 80)}\u201d" for t in unsupported)
    return "the evidence says only part of this"


def _unsupported_spans(text: str, window: set[str]) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[A-Za-z0-9$€£%][\w$€£%.,'’-]*", text):
        word = m.group().rstrip(".,")
        toks = tokens(word)
        if toks and not any(t in window for t in toks):
            spans.append((m.start(), m.start() + len(word)))
    return spans
