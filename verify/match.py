"""Rank source sentences as evidence for each claim: BM25 first, then embeddings.

BM25 over all source sentences is cheap and catches names and numbers; only a budget of its
candidates per claim goes through the embedding model: the best CORE_CANDIDATES, and those of
its best `prefilter` that share a figure with the claim (their neighbours do not: the judge
reads them as context around the evidence).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .claims import decompose
from .embed import Embedder
from .models import Claim, Document, Evidence
from .text import tokens
from .tuning import BM25_B, BM25_K1, CORE_CANDIDATES, LEXICAL_WEIGHT


@dataclass(frozen=True)
class Pooled:
    """A source sentence in the pool of all of an article's documents."""

    doc: int
    index: int  # sentence index within its document
    text: str
    start: int
    end: int


class BM25:
    def __init__(self, docs: Sequence[list[str]], k1: float = BM25_K1, b: float = BM25_B) -> None:
        self.k1, self.b = k1, b
        self.lengths = np.array([len(d) for d in docs], dtype=np.float32)
        self.avg = float(self.lengths.mean()) if len(docs) else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(docs):
            for term, count in Counter(doc).items():
                self.postings.setdefault(term, []).append((i, count))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        self.n = n
        self.max_idf = math.log(1 + (n + 0.5) / 0.5)  # a word that no source sentence has

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.lengths / (self.avg or 1.0))
        for term in dict.fromkeys(query):  # in query order: float sums never depend on the hash seed
            for i, count in self.postings.get(term, ()):
                out[i] += self.idf[term] * count * (self.k1 + 1) / (count + norm[i])
        return out


def pool_sentences(documents: Sequence[Document]) -> list[Pooled]:
    return [
        Pooled(doc=d, index=s.index, text=s.text, start=s.start, end=s.end)
        for d, doc in enumerate(documents)
        for s in doc.sentences
    ]


@dataclass(frozen=True)
class Ranked:
    """All that the judge needs about one claim's candidates."""

    evidence: tuple[Evidence, ...]
    pool_ids: tuple[int, ...]  # pool positions of the evidence, best first
    similarities: dict[int, float]  # pool position -> cosine, for every embedded candidate
    idf: dict[str, float] = field(default_factory=dict)  # weight of each claim token in these sources
    in_sources: frozenset[str] = frozenset()  # claim tokens found anywhere in the sources
    part_similarities: tuple[float, ...] = ()  # best cosine of each part of a compound claim


def match(
    claims: Sequence[Claim],
    documents: Sequence[Document],
    embedder: Embedder,
    *,
    top_k: int = 5,
    prefilter: int = 16,
    plan: Plan | None = None,
) -> dict[str, Ranked]:
    """Evidence for every checkable claim, keyed by claim id (`plan`: the lexical stage, if made already)."""
    plan = plan if plan is not None else Plan(claims, documents, prefilter)
    pool, checkable, index = plan.pool, plan.checkable, plan.index
    if index is None:
        return {c.id: Ranked((), (), {}) for c in checkable}
    candidates, lexical, parts, part_texts, needed = (
        plan.candidates,
        plan.lexical,
        plan.parts,
        plan.part_texts,
        plan.needed,
    )
    vectors = embedder.encode(plan.texts)
    claim_vecs = vectors[: len(checkable)]
    part_vecs = dict(zip(part_texts, vectors[len(checkable) : len(checkable) + len(part_texts)], strict=True))
    offset = len(checkable) + len(part_texts)
    pool_vecs = {i: vectors[offset + n] for n, i in enumerate(needed)}
    out: dict[str, Ranked] = {}
    for row, claim in enumerate(checkable):
        ids = candidates[claim.id]
        sims = {i: float(claim_vecs[row] @ pool_vecs[i]) for i in ids}
        part_sims = tuple(
            max(float(part_vecs[p] @ pool_vecs[i]) for i in ids) for p in parts[claim.id] if p in part_vecs
        )
        combined = {
            i: (1 - LEXICAL_WEIGHT) * sims[i] + LEXICAL_WEIGHT * float(lexical[claim.id][i]) for i in ids
        }
        best = sorted(ids, key=lambda i: -combined[i])[:top_k]
        evidence = tuple(
            Evidence(
                source=documents[pool[i].doc].label,
                text=pool[i].text,
                sentence_index=pool[i].index,
                start=pool[i].start,
                end=pool[i].end,
                similarity=round(sims[i], 4),
                lexical=round(float(lexical[claim.id][i]), 4),
                score=round(combined[i], 4),
            )
            for i in best
        )
        claim_tokens = tokens(claim.resolved or claim.text)
        idf = {t: index.idf.get(t, index.max_idf) for t in claim_tokens}
        present = frozenset(t for t in claim_tokens if t in index.postings)
        out[claim.id] = Ranked(evidence, tuple(best), sims, idf, present, part_sims)
    return out


def texts_to_embed(claims: Sequence[Claim], documents: Sequence[Document], prefilter: int = 16) -> list[str]:
    """What `match` will ask the embedder for, so a caller can embed many articles in one batch."""
    return Plan(claims, documents, prefilter).texts


class Plan:
    """The lexical stage: BM25 candidates per claim, and the texts that need vectors.

    Made once per article: the pipeline queues `texts` for the embedder and hands the same plan
    to `match`."""

    def __init__(self, claims: Sequence[Claim], documents: Sequence[Document], prefilter: int) -> None:
        self.pool = pool_sentences(documents)
        self.checkable = [c for c in claims if c.checkable]
        self.index: BM25 | None = None
        self.candidates: dict[str, list[int]] = {}
        self.lexical: dict[str, np.ndarray] = {}
        self.parts: dict[str, list[str]] = {}
        self.part_texts: list[str] = []
        self.needed: list[int] = []
        self.texts: list[str] = []
        if not self.pool or not self.checkable:
            return
        pool_tokens = [tokens(p.text) for p in self.pool]
        self.index = BM25(pool_tokens)
        token_sets = [set(t) for t in pool_tokens]
        for claim in self.checkable:
            claim_tokens = tokens(claim.resolved or claim.text)
            scores = self.index.scores(claim_tokens)
            top = float(scores.max()) if len(scores) else 0.0
            self.lexical[claim.id] = scores / top if top > 0 else scores
            numbers = [t for t in dict.fromkeys(claim_tokens) if t[0].isdigit()]
            self.candidates[claim.id] = _candidates(scores, prefilter, numbers, token_sets)
        self.needed = sorted({i for ids in self.candidates.values() for i in ids})
        self.parts = {c.id: decompose(c.resolved or c.text) for c in self.checkable}
        self.part_texts = [p for c in self.checkable if len(self.parts[c.id]) > 1 for p in self.parts[c.id]]
        self.texts = (
            [c.resolved or c.text for c in self.checkable]
            + self.part_texts
            + [self.pool[i].text for i in self.needed]
        )


def _candidates(
    scores: np.ndarray, prefilter: int, numbers: Sequence[str] = (), pool_tokens: Sequence[set[str]] = ()
) -> list[int]:
    """The BM25 best: only these reach the embedding model (the judge still reads their neighbours).

    The budget: the best CORE_CANDIDATES, and of the rest of the best `prefilter` those that share
    a figure with the claim (`numbers`, its number tokens)."""
    if len(scores) <= CORE_CANDIDATES:
        return list(range(len(scores)))
    best = [int(i) for i in np.argsort(-scores, kind="stable")[:prefilter]]
    kept = best[:CORE_CANDIDATES]
    if numbers:
        kept += [i for i in best[CORE_CANDIDATES:] if any(n in pool_tokens[i] for n in numbers)]
    return sorted(kept)
