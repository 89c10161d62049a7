"""Judge a claim against its ranked evidence: a verdict, a calibrated score and the reasons.

The score is a logistic model over a few signals that a reader can follow (similarity,
how much of each part of the claim the evidence covers, agreeing or conflicting numbers,
missing names). Its coefficients are fitted on the WiCE dev split by
benchmarks/calibrate.py and pasted below; nothing is downloaded.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

from .claims import decompose
from .match import Pooled, Ranked, tokens
from .models import Check, Claim, ClaimPart, ClaimResult, Evidence, Verdict
from .numbers import Quantity, key_quantities

# Fitted by benchmarks/calibrate.py on the WiCE dev split (see docs/verdicts.md).
COEFFICIENTS: dict[str, float] = {
    "bias": -5.8125,
    "similarity": 0.6073,
    "similarity_top3": 0.7635,
    "coverage_top1": 0.6032,
    "coverage": 0.9342,
    "document_coverage": 0.6873,
    "entity_coverage": 1.3827,
    "bigram_coverage": 0.6545,
    "idf_coverage": 0.5973,
    "min_part_coverage": 0.6658,
    "min_part_similarity": 0.8668,
    "name_coverage": 0.4109,
    "number_coverage": 0.5009,
    "number_conflict": -0.5698,
    "length": -0.9429,
}
THRESHOLD_SUPPORTED = 0.361  # best cross-validated balanced accuracy on WiCE dev
THRESHOLD_PARTIAL = 0.12
SAME_SUBJECT_SIMILARITY = 0.45  # evidence this close is about the same thing as the claim
SAME_SUBJECT_OVERLAP = 0.35  # ... and shares this much of the claim's wording
NEGATION_SIMILARITY = 0.75  # a negation flips the meaning only of a near-identical sentence
NEGATION_OVERLAP = 0.7
NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|denied|denies|refused)\b|n't\b", re.I)
ENTITY = re.compile(r"\b(?:[A-Z][\w'’-]*|\d[\d.,]*)")
COMMON_CAPITALISED = {"the", "a", "an", "in", "on", "at", "it", "he", "she", "they", "i"}
NAME = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)")


def score(signals: dict[str, float]) -> float:
    """The calibrated probability that the sources support the whole claim."""
    z = COEFFICIENTS["bias"] + sum(COEFFICIENTS[k] * v for k, v in signals.items() if k in COEFFICIENTS)
    return 1 / (1 + math.exp(-z))


def judge(
    claim: Claim,
    ranked: Ranked,
    pool: Sequence[Pooled],
    entailment: float | None = None,
) -> ClaimResult:
    """Verdict, score, checks and the parts of the claim that the evidence does not cover.

    `entailment`, from an optional NLI model, is averaged with the calibrated score.
    """
    if not claim.checkable:
        return ClaimResult(claim, "not_checkable", 0.0, reason=f"not checked: {claim.reason}")
    if not ranked.evidence:
        reason = "no source sentences to compare with" if not pool else "no evidence found in the sources"
        return ClaimResult(claim, "unsupported", 0.0, reason=reason)
    window_ids = _window(ranked, pool)
    window_words = [tokens(pool[i].text) for i in window_ids]
    window = {t for words in window_words for t in words}
    parts = _parts(claim.text, window)
    checks, conflict, disagreement = _number_checks(claim, ranked.evidence)
    if conflict is None and (conflict := _negation_conflict(claim, ranked.evidence)) is not None:
        checks += (conflict,)
    names = _names(claim.text)
    missing_names = [n for n in names if not set(tokens(n)) <= window]
    signals = _signals(
        claim, ranked, pool, window_ids, window_words, window, parts, names, missing_names, conflict
    )
    probability = score(signals)
    if entailment is not None:
        signals["nli_entailment"] = entailment
        probability = (probability + entailment) / 2
    checks += tuple(Check("name", False, n, message=f"the sources never name {n}") for n in missing_names)
    verdict: Verdict
    if conflict is not None:
        verdict, reason = "contradicted", conflict.message
        probability = min(probability, 0.1)
    elif disagreement:
        verdict, reason = "partially_supported", disagreement
    elif probability >= THRESHOLD_SUPPORTED:
        verdict, reason = "supported", "the evidence says the same"
    elif probability >= THRESHOLD_PARTIAL or any(p.supported for p in parts):
        verdict, reason = "partially_supported", _partial_reason(parts, missing_names)
    else:
        verdict, reason = "unsupported", "no source sentence says this"
    return ClaimResult(
        claim=claim,
        verdict=verdict,
        score=round(probability, 4),
        evidence=ranked.evidence,
        reason=reason,
        checks=checks,
        parts=tuple(parts) if len(parts) > 1 else (),
        unsupported_words=tuple(_unsupported_spans(claim.text, window)) if verdict != "supported" else (),
        disagreement=disagreement,
        signals=tuple((k, round(v, 4)) for k, v in signals.items()),
    )


def _signals(
    claim: Claim,
    ranked: Ranked,
    pool: Sequence[Pooled],
    window_ids: Sequence[int],
    window_words: Sequence[list[str]],
    window: set[str],
    parts: Sequence[ClaimPart],
    names: Sequence[str],
    missing_names: Sequence[str],
    conflict: Check | None,
) -> dict[str, float]:
    claim_tokens = tokens(claim.text)
    sims = sorted(ranked.similarities.values(), reverse=True) or [0.0]
    top1 = set(tokens(pool[ranked.pool_ids[0]].text)) if ranked.pool_ids else set()
    weights = [ranked.idf.get(t, 1.0) for t in claim_tokens]
    covered = [w for t, w in zip(claim_tokens, weights, strict=True) if t in window]
    quantities = key_quantities(claim.text)
    in_window = key_quantities(" ".join(pool[i].text for i in window_ids))
    agreeing = [q for q in quantities if any(q.agrees(o) for o in in_window)]
    return {
        "similarity": sims[0],
        "similarity_top3": sum(sims[:3]) / len(sims[:3]),
        "coverage_top1": _coverage(claim_tokens, top1),
        "coverage": _coverage(claim_tokens, window),
        "document_coverage": _coverage(claim_tokens, set(ranked.in_sources)),
        "entity_coverage": _coverage(_entity_tokens(claim.text), set(ranked.in_sources), empty=1.0),
        "bigram_coverage": _bigram_coverage(claim_tokens, window_words),
        "idf_coverage": sum(covered) / sum(weights) if weights and sum(weights) else 0.0,
        "min_part_coverage": min((p.score for p in parts), default=1.0),
        "min_part_similarity": min(ranked.part_similarities, default=sims[0]),
        "name_coverage": 1 - len(missing_names) / len(names) if names else 1.0,
        "number_coverage": len(agreeing) / len(quantities) if quantities else 1.0,
        "number_conflict": float(conflict is not None),
        "length": min(len(claim_tokens), 40) / 40,
    }


def evidence_text(ranked: Ranked, pool: Sequence[Pooled]) -> str:
    """The evidence window as one passage (the premise for an NLI model)."""
    return " ".join(pool[i].text for i in _window(ranked, pool))


def _window(ranked: Ranked, pool: Sequence[Pooled]) -> list[int]:
    """The top evidence and its neighbouring sentences (so "He said ..." after a name counts)."""
    ids: set[int] = set()
    ids.update(ranked.pool_ids[:5])
    for i in ranked.pool_ids[:3]:
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
        parts.append(ClaimPart(text=piece, supported=cov >= 0.75, score=round(cov, 3)))
    return parts


def _names(text: str) -> list[str]:
    """Capitalised names that are not merely the first word of a sentence."""
    found = []
    for m in NAME.finditer(text):
        sentence_start = m.start() == 0 or text[: m.start()].rstrip().endswith((".", "!", "?", '"', "\u201c"))
        if sentence_start or m.group(1).lower() in COMMON_CAPITALISED:
            continue
        found.append(m.group(1))
    return list(dict.fromkeys(found))


def _number_checks(claim: Claim, evidence: Sequence[Evidence]) -> tuple[tuple[Check, ...], Check | None, str]:
    """Compare each figure of the claim with same-subject evidence; a conflict is a contradiction."""
    checks: list[Check] = []
    conflict: Check | None = None
    disagreements: list[str] = []
    close = [e for e in evidence if e.similarity >= SAME_SUBJECT_SIMILARITY] or list(evidence[:1])
    for q in key_quantities(claim.text):
        agreeing = [e for e in close if any(q.agrees(o) for o in key_quantities(e.text))]
        conflicting = [
            (e, o)
            for e in close
            if _overlap(claim.text, e.text) >= SAME_SUBJECT_OVERLAP
            for o in _differing(q, key_quantities(e.text))
            if _same_slot(claim.text, q, e.text, o)
        ]
        if agreeing:
            checks.append(
                Check("number", True, q.text, q.text, agreeing[0].source, f"{agreeing[0].source} agrees")
            )
            others = [(e, o) for e, o in conflicting if e.source != agreeing[0].source]
            if others:
                e, o = others[0]
                disagreements.append(
                    f"sources disagree on {q.text}: {agreeing[0].source} agrees, {e.source} says {o.text}"
                )
        elif conflicting:
            e, o = conflicting[0]
            check = Check(
                "date" if q.kind == "year" else "number",
                False,
                q.text,
                o.text,
                e.source,
                f"the article says {q.text}, but {e.source} says {o.text}: \u201c{_clip(e.text)}\u201d",
            )
            checks.append(check)
            conflict = conflict or check
    return tuple(checks), conflict, "; ".join(disagreements)


def _overlap(claim_text: str, evidence_text: str) -> float:
    """Share of the claim's words (figures aside) that the evidence sentence has."""
    claim_words = [t for t in tokens(claim_text) if not t[0].isdigit()]
    evidence_words = set(tokens(evidence_text))
    return sum(t in evidence_words for t in claim_words) / len(claim_words) if claim_words else 0.0


def _same_slot(claim_text: str, q: Quantity, evidence_text: str, o: Quantity) -> bool:
    """Two figures fill the same slot when the words around them overlap ("$X billion contract")."""
    return bool(_context(claim_text, q.start, q.end) & _context(evidence_text, o.start, o.end))


def _context(text: str, start: int, end: int, width: int = 4) -> set[str]:
    before = [t for t in tokens(text[:start]) if not t[0].isdigit()][-width:]
    after = [t for t in tokens(text[end:]) if not t[0].isdigit()][:width]
    return set(before + after)


def _differing(q: Quantity, others: Sequence[Quantity]) -> list[Quantity]:
    same_kind = [o for o in others if q.comparable(o)]
    if any(q.agrees(o) for o in same_kind):
        return []
    return same_kind


def _partial_reason(parts: Sequence[ClaimPart], missing_names: Sequence[str]) -> str:
    unsupported = [p.text for p in parts if not p.supported]
    bits = []
    if unsupported and len(parts) > 1:
        bits.append("no support for: " + "; ".join(f"\u201c{_clip(t, 80)}\u201d" for t in unsupported))
    if missing_names:
        bits.append("the sources never name " + ", ".join(missing_names))
    return "; ".join(bits) or "the evidence says only part of this"


def _unsupported_spans(text: str, window: set[str]) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[A-Za-z0-9$€£%][\w$€£%.,'’-]*", text):
        word = m.group().rstrip(".,")
        toks = tokens(word)
        if toks and not any(t in window for t in toks):
            spans.append((m.start(), m.start() + len(word)))
    return spans


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def negated(text: str) -> bool:
    return bool(NEGATION.search(text))


def _negation_conflict(claim: Claim, evidence: Sequence[Evidence]) -> Check | None:
    """The best evidence says nearly the same words but one side negates them."""
    if not evidence:
        return None
    best = evidence[0]
    if best.similarity < NEGATION_SIMILARITY or _overlap(claim.text, best.text) < NEGATION_OVERLAP:
        return None
    if negated(claim.text) == negated(best.text):
        return None
    side = "the article negates it" if negated(claim.text) else f"{best.source} negates it"
    return Check(
        "negation",
        False,
        claim.text,
        best.text,
        best.source,
        f"the source says nearly the same but {side}: \u201c{_clip(best.text)}\u201d",
    )
