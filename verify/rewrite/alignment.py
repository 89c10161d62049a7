"""Which sentences of a rewrite and its original belong together (1:1, splits and merges), and copy share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..embed import Embedder
from ..models import Claim, Document
from ..text import spelled_alike, tokens

ALIGN_THRESHOLD = 0.5  # combined score (mean of cosine and word overlap) for a 1:1 pair
NEAR_COPY = 0.7  # word overlap (Dice) at which a clear best pair is aligned without the model
NEAR_COPY_MARGIN = 0.2  # ... when it beats the row's and column's other pairs by this much
PART_CONTAINMENT = 0.6  # share of a split/merged part's words that its neighbour's partner has
COPY_RUN = 5  # words in a row that count as copied
LIKELY_ORIGINAL_SHARE = 0.5  # share of the claims a source must state to be the likely original
LIKELY_ORIGINAL_CLAIMS = 6  # fewer claims than this: too short to call a source its original
NAME_SIMILARITY = 0.8  # normalised Levenshtein similarity of a garbled name to the original's
# A long original (a 0.9 MB page: 12,000 sentences) is bounded as sources are: past this many
# sentences, only the ALIGN_CANDIDATES with the most words in common with a rewrite sentence
# go through the embedding model
EMBED_ALL_UP_TO = 1000
ALIGN_CANDIDATES = 16
NOT_ALIGNED = {"boilerplate", "ai-disclosure", "photo-credit", "byline"}  # never aligned: added non-claims
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Side:
    """A sentence of either text with what alignment needs."""

    key: str | int
    text: str
    words: frozenset[str]
    alignable: bool = True
    part_only: bool = False  # a fragment: joins a neighbour's pair, never a pair of its own


def rewrite_side(c: Claim) -> Side:
    alignable = c.checkable or c.reason not in NOT_ALIGNED
    return Side(c.id, c.text, frozenset(tokens(c.text)), alignable, part_only=c.reason == "fragment")


def align_sentences(
    rewrite: Sequence[Side], source: Sequence[Side], embedder: Embedder
) -> list[tuple[list[str | int], list[str | int], float]]:
    """Groups (rewrite keys, original keys, score): 1:1 pairs by best score, then split and merged parts."""
    main = [i for i, r in enumerate(rewrite) if r.alignable and not r.part_only]
    if not main or not source:
        return []
    dice = np.array([[_dice(rewrite[i].words, s.words) for s in source] for i in main], dtype=np.float64)
    partner_r: dict[int, int] = {}
    partner_o: dict[int, int] = {}
    score = np.full_like(dice, -1.0)
    # near copies pair up on their words alone; only the other sentences go through the model
    for a, i in enumerate(main):
        j = int(dice[a].argmax())
        if dice[a, j] >= NEAR_COPY and _clear_best(dice, a, j):
            partner_r[i], partner_o[j] = j, i
            score[a, j] = (1 + dice[a, j]) / 2
    rows = [a for a, i in enumerate(main) if i not in partner_r]
    cols = [j for j in range(len(source)) if j not in partner_o]
    if rows and len(cols) > EMBED_ALL_UP_TO:
        cols = _lexical_candidates(dice, rows, cols)
    if rows and cols:
        vectors = embedder.encode([rewrite[main[a]].text for a in rows] + [source[j].text for j in cols])
        cosine = np.asarray(vectors[: len(rows)] @ vectors[len(rows) :].T, dtype=np.float64)
        score[np.ix_(rows, cols)] = (cosine + dice[np.ix_(rows, cols)]) / 2
    for flat in np.argsort(-score, axis=None):
        a, j = divmod(int(flat), len(source))
        if score[a, j] < ALIGN_THRESHOLD:
            break
        i = main[a]
        if i not in partner_r and j not in partner_o:
            partner_r[i], partner_o[j] = j, i
    # splits: an unaligned rewrite sentence whose words its neighbour's original has
    extra_r: dict[int, list[int]] = {}
    for i, r in enumerate(rewrite):
        if i in partner_r or not r.alignable:
            continue
        for n in (i - 1, i + 1, i - 2):
            if n in partner_r and _contained(r.words, source[partner_r[n]].words) >= PART_CONTAINMENT:
                extra_r.setdefault(n, []).append(i)
                break
    # merges: an unaligned original sentence whose words its neighbour's rewrite sentence has
    extra_o: dict[int, list[int]] = {}
    for j, s in enumerate(source):
        if j in partner_o:
            continue
        for n in (j - 1, j + 1):
            if n in partner_o and _contained(s.words, rewrite[partner_o[n]].words) >= PART_CONTAINMENT:
                extra_o.setdefault(partner_o[n], []).append(j)
                break
    groups: list[tuple[list[str | int], list[str | int], float]] = []
    for i, j in partner_r.items():
        rs = sorted([i, *extra_r.get(i, [])])
        os = sorted([j, *extra_o.get(i, [])])
        groups.append(
            ([rewrite[k].key for k in rs], [source[k].key for k in os], float(score[main.index(i), j]))
        )
    return groups


def _lexical_candidates(dice: np.ndarray, rows: Sequence[int], cols: Sequence[int]) -> list[int]:
    """The columns among the best ALIGN_CANDIDATES by word overlap of some row, in order."""
    free = np.asarray(cols)
    count = min(ALIGN_CANDIDATES, len(free))
    keep: set[int] = set()
    for a in rows:
        best = np.argpartition(-dice[a, free], count - 1)[:count]
        keep.update(int(j) for j in free[best])
    return sorted(keep)


def _clear_best(dice: np.ndarray, a: int, j: int) -> bool:
    """Cell (a, j) beats every other cell of its row and of its column by a clear margin."""
    best = dice[a, j]
    row = np.delete(dice[a], j)
    col = np.delete(dice[:, j], a)
    return (not row.size or row.max() <= best - NEAR_COPY_MARGIN) and (
        not col.size or col.max() <= best - NEAR_COPY_MARGIN
    )


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _contained(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of `part`'s words in `whole`; a misspelt name ("Ziqiang" for "Xiqiang") still counts."""
    if not part:
        return 0.0
    found = sum(w in whole or (len(w) >= 5 and any(spelled_alike(w, o) for o in whole)) for w in part)
    return found / len(part)


def claims_shared(rewrite: Sequence[Side], source: Sequence[Side]) -> float:
    """Share of the rewrite's claims with an original sentence holding most of their words."""
    claims = [r for r in rewrite if r.alignable and not r.part_only and r.words]
    if not claims:
        return 0.0
    hits = sum(any(_dice(r.words, s.words) >= 0.5 for s in source) for r in claims)
    return hits / len(claims)


def likely_original(claims: Sequence[Claim], documents: Sequence[Document]) -> tuple[Document, float] | None:
    """The source that states most of the article's sentences (word overlap only: cheap), if any."""
    rewrite = [rewrite_side(c) for c in claims if c.checkable]
    if len(rewrite) < LIKELY_ORIGINAL_CLAIMS:
        return None
    best: tuple[Document, float] | None = None
    for doc in documents:
        share = claims_shared(
            rewrite, [Side(s.index, s.text, frozenset(tokens(s.text))) for s in doc.sentences]
        )
        if share >= LIKELY_ORIGINAL_SHARE and (best is None or share > best[1]):
            best = (doc, share)
    return best


def copy_share(rewrite: str, original: str, run: int = COPY_RUN) -> float:
    """Share of the rewrite's words that sit in a run of `run` or more words copied from the original."""
    words = [w.lower() for w in WORD.findall(rewrite)]
    source = [w.lower() for w in WORD.findall(original)]
    if not words or len(source) < run:
        return 0.0
    shingles = {tuple(source[i : i + run]) for i in range(len(source) - run + 1)}
    copied = [False] * len(words)
    for i in range(len(words) - run + 1):
        if tuple(words[i : i + run]) in shingles:
            copied[i : i + run] = [True] * run
    return sum(copied) / len(words)
