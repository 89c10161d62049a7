"""The support verifier: P(supported | claim, evidence window), read over the claim's best windows.

A window is a run of consecutive sentences of one source: each of the claim's best-ranked evidence
sentences with its neighbours, as MiniCheck and AlignScore chunk a document. Similarity only
chooses which windows are read; the model decides support, and a claim's raw score is the highest
P(supported) over its windows. `calibrated` maps it onto the verdict's scale (a logistic fitted by
benchmarks/verifier_calibrate.py, in verify/tuning.py). A compound claim's parts are read too,
so a partially supported verdict can name the part no window states.

The bundled model (verify/data/verifier/, docs/verifier-model.md) is a MiniLM-L6 cross-encoder
trained by training/verifier.py, exported to ONNX with fp32 compute: a pair's score does not
depend on the pairs batched with it. It runs with onnxruntime and `tokenizers`; torch is never
imported.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .entail import LABELS_FILE, PairModel, has_model_files, read_labels_file
from .errors import UsageError
from .match import Pooled, Ranked
from .models import ClaimPart
from .tuning import (
    VERIFIER_BIAS,
    VERIFIER_JOINED,
    VERIFIER_PART_WINDOWS,
    VERIFIER_RADIUS,
    VERIFIER_SLOPE,
    VERIFIER_SUPPORTED,
    VERIFIER_WINDOWS,
)

BUNDLED_DIR = Path(__file__).parent / "data" / "verifier"
SUPPORTED_LABEL = "supported"


class PairScorer(Protocol):
    """P(supported) of each (window, claim) pair."""

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


class VerifierModel:
    """The ONNX cross-encoder; loads on first use. One pair's score is the same in any batch."""

    def __init__(self, folder: Path, batch_size: int = 16, threads: int | None = None) -> None:
        self.folder = Path(folder)
        meta = read_labels_file(self.folder)
        labels = [str(label).lower() for label in meta.get("labels", [])]
        if SUPPORTED_LABEL not in labels:
            raise UsageError(f"{self.folder / LABELS_FILE}: no '{SUPPORTED_LABEL}' label")
        self.column = labels.index(SUPPORTED_LABEL)
        # the window gives way, never the claim (as in training)
        max_length = int(meta.get("max_length", 256))
        self.model = PairModel(self.folder, "verifier model", max_length, "only_first", batch_size, threads)

    def warm(self) -> None:
        self.model.load()

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """P(supported) of each (window, claim), shape (n,)."""
        if not pairs:
            return np.zeros(0, dtype=np.float64)
        return self.model.probabilities(pairs)[:, self.column]


def load_bundled() -> VerifierModel | None:
    """The model shipped in the package, or None when its files are absent."""
    return VerifierModel(BUNDLED_DIR) if has_model_files(BUNDLED_DIR) else None


@functools.lru_cache(maxsize=4)
def verifier_model(choice: str | None) -> VerifierModel | None:
    """The `verifier` setting: None or "none" no verifier, "bundled" the shipped model, else a folder."""
    if choice is None or choice.strip().lower() == "none":
        return None
    if choice.strip().lower() == "bundled":
        model = load_bundled()
        if model is None:
            raise UsageError("verifier: this installation has no bundled verifier model")
        return model
    folder = Path(choice).expanduser()
    if not folder.is_dir():
        raise UsageError(f"verifier: {choice} is not a folder (a model folder, bundled or none)")
    return VerifierModel(folder)


# ---------------------------------------------------------------- windows and the claim's score


def windows(ranked: Ranked, pool: Sequence[Pooled], count: int = VERIFIER_WINDOWS) -> list[str]:
    """The text of the windows around the `count` best evidence sentences (duplicates once)."""
    seen: set[tuple[int, ...]] = set()
    out = []
    for i in ranked.pool_ids[:count]:
        ids = tuple(
            j
            for j in range(i - VERIFIER_RADIUS, i + VERIFIER_RADIUS + 1)
            if 0 <= j < len(pool) and pool[j].doc == pool[i].doc
        )
        if ids in seen:
            continue
        seen.add(ids)
        out.append(" ".join(pool[j].text for j in ids))
    return out


def joined_window(ranked: Ranked, pool: Sequence[Pooled]) -> str | None:
    """The best VERIFIER_JOINED sentences joined in source order (a claim stated across a page), or
    None when one local window holds them all."""
    joined = sorted(ranked.pool_ids[:VERIFIER_JOINED])
    if len(joined) < 2 or (
        joined[-1] - joined[0] <= 2 * VERIFIER_RADIUS and len({pool[j].doc for j in joined}) == 1
    ):
        return None
    return " ".join(pool[j].text for j in joined)


def calibrated(raw: float) -> float:
    """The verifier's highest P(supported) on the verdict's scale (a logistic over its log-odds)."""
    p = min(max(raw, 1e-6), 1 - 1e-6)
    z = VERIFIER_BIAS + VERIFIER_SLOPE * math.log(p / (1 - p))
    return 1 / (1 + math.exp(-z))


@dataclass(frozen=True)
class Support:
    score: float  # calibrated P(supported) of the whole claim
    raw: float  # the model's highest P(supported) over the windows
    parts: tuple[ClaimPart, ...]  # each part of a compound claim, judged alone (empty for one part)
    signals: dict[str, float]  # for the report: the raw score, and the best over local windows only


def support(
    model: PairScorer, claim: str, parts: Sequence[str], ranked: Ranked, pool: Sequence[Pooled]
) -> Support:
    """Score the claim (and each of its parts, if several) against its best windows."""
    local = windows(ranked, pool)
    joined = joined_window(ranked, pool)
    texts = local + ([joined] if joined else [])
    if not texts:
        return Support(0.0, 0.0, (), {"verifier": 0.0, "verifier_local": 0.0})
    part_texts = texts[:VERIFIER_PART_WINDOWS] if len(parts) > 1 else []
    pairs = [(w, claim) for w in texts] + [(w, p) for p in parts if len(parts) > 1 for w in part_texts]
    scores = model.predict(pairs)
    raw = float(scores[: len(texts)].max())
    local_best = float(scores[: len(local)].max())
    judged = []
    for n, part in enumerate(parts if len(parts) > 1 else []):
        row = scores[len(texts) + n * len(part_texts) : len(texts) + (n + 1) * len(part_texts)]
        best = int(row.argmax())
        p = calibrated(float(row[best]))
        judged.append(ClaimPart(part, p >= VERIFIER_SUPPORTED, round(p, 3), part_texts[best]))
    signals = {"verifier": raw, "verifier_local": local_best}
    return Support(calibrated(raw), raw, tuple(judged), signals)
