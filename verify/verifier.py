"""The support verifier: P(supported | claim, evidence window), read over the claim's best windows.

A window is a run of consecutive sentences of one source: each of the claim's best-ranked evidence
sentences with its neighbours, as MiniCheck and AlignScore chunk a document, after the page's title
(which names the subject its sentences call "he" or "the company"). Similarity chooses
which windows are read, and the claim's reading is the model's highest P(supported) over them. The
judge asks it of every claim it would call supported: under VERIFIER_AGREES (verify/tuning.py) the
claim is not stated, only its words are (an on-topic passage). A compound claim's parts are read
too, so the partially supported verdict that follows names the part no window states.

The bundled model (verify/data/verifier/, docs/verifier-model.md) is a MiniLM-L6 cross-encoder
trained by training/verifier.py, exported to ONNX with fp32 compute: a pair's score does not
depend on the pairs batched with it. It runs with onnxruntime and `tokenizers`; torch is never
imported.
"""

from __future__ import annotations

import functools
import os
import re
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
    VERIFIER_AGREES,
    VERIFIER_JOINED,
    VERIFIER_PART_WINDOWS,
    VERIFIER_RADIUS,
    VERIFIER_SURE,
    VERIFIER_TITLE_WORDS,
    VERIFIER_WINDOWS,
)

BUNDLED_DIR = Path(__file__).parent / "data" / "verifier"
# footnote and reference marks ("[3]", "[12][13]", "[a]", "[citation needed]"): not what a text says,
# and the model reads them as something unstated ("... in 2008.[3]": 0.93 -> 0.08)
REFERENCE_MARK = re.compile(
    r"\s*\[(?:\d{1,3}|[a-z]|citation needed|note \d{1,3}|nb \d{1,3})\]", re.IGNORECASE
)
SUPPORTED_LABEL = "supported"
# a benchmark switch, not a user setting: read every claim that has evidence against every window,
# whatever its verdict, so benchmarks/verifier_decides.py can replay rules that let the verifier decide
READ_ALL_ENV = "VERIFY_VERIFIER_READ_ALL"


def read_all() -> bool:
    """Whether the benchmark switch READ_ALL_ENV is on."""
    return os.environ.get(READ_ALL_ENV, "") not in ("", "0")


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
    """The `verifier` setting: None the shipped model (when installed), "none" no verifier, "bundled"
    the shipped model (an error when it is absent), else a model folder."""
    if choice is None:
        return load_bundled()
    if choice.strip().lower() == "none":
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


def windows(
    ranked: Ranked, pool: Sequence[Pooled], count: int = VERIFIER_WINDOWS, titles: Sequence[str] = ()
) -> list[str]:
    """The text of the windows around the `count` best evidence sentences (duplicates once), each
    after its page's title when `titles` (one per document of the pool) gives one."""
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
        out.append(_titled(" ".join(pool[j].text for j in ids), pool[i].doc, titles))
    return out


def _titled(window: str, doc: int, titles: Sequence[str]) -> str:
    """The window with its page's title in front (unless it holds it): the title names the subject
    that a window's sentences call "he" or "the company"."""
    title = titles[doc].strip() if doc < len(titles) else ""
    if not title or title in window:
        return window
    # a long title would push the window's own sentences past the words the model reads
    return " ".join(title.split()[:VERIFIER_TITLE_WORDS]) + ". " + window


def joined_window(ranked: Ranked, pool: Sequence[Pooled]) -> str | None:
    """The best VERIFIER_JOINED sentences joined in source order (a claim stated across a page), or
    None when one local window holds them all."""
    joined = sorted(ranked.pool_ids[:VERIFIER_JOINED])
    if len(joined) < 2 or (
        joined[-1] - joined[0] <= 2 * VERIFIER_RADIUS and len({pool[j].doc for j in joined}) == 1
    ):
        return None
    return " ".join(pool[j].text for j in joined)


@dataclass(frozen=True)
class Support:
    raw: float  # the model's highest P(supported) over the windows
    parts: tuple[ClaimPart, ...]  # each part of a compound claim not stated as a whole, judged alone
    signals: dict[str, float]  # for the report: the raw score, and the best over local windows only


def support(
    model: PairScorer,
    claim: str,
    parts: Sequence[str],
    ranked: Ranked,
    pool: Sequence[Pooled],
    titles: Sequence[str] = (),
) -> Support:
    """Read the claim against its best windows (the best one alone when that settles it); when no
    window states it, each part of a compound claim too, to name the part that is not stated."""
    claim, parts = _unmarked(claim), [_unmarked(p) for p in parts]
    local = [_unmarked(w) for w in windows(ranked, pool, titles=titles)]
    joined = joined_window(ranked, pool)
    texts = local + ([_unmarked(joined)] if joined else [])
    if not texts:
        return Support(0.0, (), {"verifier": 0.0, "verifier_local": 0.0})
    scores = model.predict([(texts[0], claim)])
    if scores[0] < VERIFIER_SURE or read_all():  # the best window alone does not settle it: read the others
        scores = np.concatenate([scores, model.predict([(w, claim) for w in texts[1:]])])
    raw = float(scores.max())
    signals = {"verifier": raw, "verifier_local": float(scores[: len(local)].max())}
    if len(parts) < 2:
        return Support(raw, (), signals)
    if raw >= VERIFIER_AGREES:
        if read_all():  # for the benchmarks: how well the weakest part of a confirmed claim is stated
            signals["verifier_weakest_part"] = min(p.score for p in _read_parts(model, parts, texts))
        return Support(raw, (), signals)
    return Support(raw, _read_parts(model, parts, texts), signals)


def _read_parts(model: PairScorer, parts: Sequence[str], texts: Sequence[str]) -> tuple[ClaimPart, ...]:
    """Each part of a compound claim read alone against the best windows: stated or not, and where."""
    part_texts = texts[:VERIFIER_PART_WINDOWS]
    rows = model.predict([(w, p) for p in parts for w in part_texts]).reshape(len(parts), len(part_texts))
    judged = []
    for part, row in zip(parts, rows, strict=True):
        best = int(row.argmax())
        judged.append(
            ClaimPart(part, float(row[best]) >= VERIFIER_AGREES, round(float(row[best]), 3), part_texts[best])
        )
    return tuple(judged)


def _unmarked(text: str) -> str:
    return REFERENCE_MARK.sub("", text)
