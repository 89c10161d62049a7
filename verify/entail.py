"""The one entailment seam: does an evidence sentence entail, leave open or contradict a claim?

`EntailmentScorer` is the protocol every reader of sentence pairs uses (the judge, the rewrite
comparison); `entailment_model` is the one loader (the `entail-model` setting); `FakeEntailment`
is the one deterministic stand-in for tests.

The bundled model (verify/data/entailment/) is the all-MiniLM-L6-v2 transformer fine-tuned as a
3-way cross-encoder, first on SNLI, then on SNLI mixed with a template corpus written for this
project (news-like sentences about fictional entities: the same fact in other words -> entailment;
a changed figure, date, name, negation or inverted agent and recipient -> contradiction; a claim
saying more, or another fact -> neutral), exported to int8 ONNX by training/export.py. It runs
with onnxruntime and the `tokenizers` library only; torch is never imported. See
docs/entailment-model.md for its data, licences, training and measured quality.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .embed.model import first_line
from .embed.onnx_backend import cpu_session, padded_batch, token_batches
from .errors import UsageError

BUNDLED_DIR = Path(__file__).parent / "data" / "entailment"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
LABELS_FILE = "labels.json"
COLUMNS = ("entailment", "neutral", "contradiction")  # the column order of predict()
# pairs x padded length per model call: attention memory grows with its square, so long pairs go a
# few at a time (batches of 16-32 pairs of 256 word pieces held 170-380 MB more and ran 10-30 % slower)
PAIR_BATCH_TOKENS = 512
_cores_share: int | None = None  # onnxruntime threads per pair model in this process (None: every core)


def share_cores(threads: int | None) -> None:
    """Give each pair model loaded from now on this many threads: a local Dask worker's share of the cores."""
    global _cores_share
    _cores_share = threads


class EntailmentScorer(Protocol):
    """A sentence-pair model: P(entailment), P(neutral), P(contradiction) per (premise, hypothesis)."""

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


class PairModel:
    """An ONNX sequence-pair classifier folder (model.onnx, tokenizer.json): the softmax over its
    outputs for (first, second) text pairs, in the model's own label order; loads on first use."""

    def __init__(
        self, folder: Path, what: str, max_length: int, truncation: str, batch_size: int, threads: int | None
    ) -> None:
        self.folder, self.what = Path(folder), what
        self.max_length, self.truncation = max_length, truncation
        self.batch_size, self.threads = batch_size, threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: set[str] = set()
        self._pad_id = 0
        self._loading = threading.Lock()  # runs on threads (a run's warm-up, workers) load it once

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def load(self) -> tuple[Any, Any]:
        with self._loading:
            return self._load()

    def _load(self) -> tuple[Any, Any]:
        if self._session is None:
            from tokenizers import Tokenizer

            path = self.folder / MODEL_FILE
            try:
                # every core unless told: the pairs are judged after most embedding is done, so a
                # second thread cut a cold WiCE dev run on two cores from 41.5 to 36.4 s (+2 % CPU)
                session = cpu_session(path, self.threads or _cores_share)
            except Exception as exc:
                raise UsageError(f"cannot load the {self.what} {path}: {first_line(exc)}") from exc
            tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
            tokenizer.enable_truncation(max_length=self.max_length, strategy=self.truncation)
            padding = tokenizer.padding or {}
            pad_token = padding.get("pad_token", "[PAD]")
            self._pad_id = padding.get("pad_id", tokenizer.token_to_id(pad_token) or 0)
            tokenizer.no_padding()  # each batch is padded to its own longest pair (padded_batch)
            self._inputs = {i.name for i in session.get_inputs()}
            self._session, self._tokenizer = session, tokenizer
        return self._session, self._tokenizer

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """An (n, labels) float64 array, batched by length (a pair's answer does not depend on its batch)."""
        session, tokenizer = self.load()
        out: np.ndarray | None = None
        encodings = tokenizer.encode_batch(list(pairs))
        for rows in token_batches([len(e.ids) for e in encodings], self.batch_size, PAIR_BATCH_TOKENS):
            feed = padded_batch([encodings[i] for i in rows], self._pad_id)
            logits = np.asarray(session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0])
            logits = logits.astype(np.float64)
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            if out is None:
                out = np.zeros((len(pairs), logits.shape[1]), dtype=np.float64)
            out[rows] = shifted / shifted.sum(axis=1, keepdims=True)
        return out if out is not None else np.zeros((0, 0))


class EntailmentModel:
    """P(entailment), P(neutral), P(contradiction) for (premise, hypothesis) pairs; loads on first use."""

    def __init__(self, folder: Path, batch_size: int = 32, threads: int | None = None) -> None:
        self.folder = Path(folder)
        meta = read_labels_file(self.folder)
        labels = [str(label).lower() for label in meta.get("labels", [])]
        missing = [c for c in COLUMNS if c not in labels]
        if missing:
            raise UsageError(f"{self.folder / LABELS_FILE}: no {', '.join(missing)} label")
        self.order = [labels.index(c) for c in COLUMNS]  # model output index of each column
        self.max_length = int(meta.get("max_length", 128))
        self.model = PairModel(
            self.folder, "entailment model", self.max_length, "longest_first", batch_size, threads
        )

    @property
    def loaded(self) -> bool:
        return self.model.loaded

    def warm(self) -> None:
        """Load the session now (e.g. on a background thread while pages download)."""
        self.model.load()

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """An (n, 3) array: P(entailment), P(neutral), P(contradiction) of each (premise, hypothesis)."""
        if not pairs:
            return np.zeros((0, len(COLUMNS)), dtype=np.float32)
        return self.model.probabilities(pairs)[:, self.order].astype(np.float32)


def load_bundled() -> EntailmentModel | None:
    """The model shipped in the package, or None when its files are absent."""
    return EntailmentModel(BUNDLED_DIR) if has_model_files(BUNDLED_DIR) else None


def has_model_files(folder: Path) -> bool:
    """Whether `folder` holds a pair model's three files (model.onnx, tokenizer.json, labels.json)."""
    return all((folder / name).is_file() for name in (MODEL_FILE, TOKENIZER_FILE, LABELS_FILE))


@lru_cache(maxsize=4)
def entailment_model(choice: str | None) -> EntailmentScorer | None:
    """The `entail-model` setting: None the bundled model (if shipped), "none" no model, else a folder."""
    if choice is None:
        return load_bundled()
    if choice.strip().lower() == "none":
        return None
    folder = Path(choice).expanduser()
    if not folder.is_dir():
        raise UsageError(f"entail-model: {choice} is not a folder (a model folder, or none)")
    return EntailmentModel(folder)


class FakeEntailment:
    """A deterministic stand-in for tests: contradiction when the premise contains `cue`, else entailment.

    It records every pair it was asked about in `pairs`.
    """

    CONTRADICTS = (0.02, 0.03, 0.95)
    ENTAILS = (0.96, 0.02, 0.02)

    def __init__(self, cue: str = "vetoed") -> None:
        self.cue = cue
        self.pairs: list[tuple[str, str]] = []

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.pairs += list(pairs)
        rows = [self.CONTRADICTS if self.cue in premise else self.ENTAILS for premise, _ in pairs]
        return np.array(rows, dtype=float).reshape(len(rows), len(COLUMNS))


def read_labels_file(folder: Path) -> dict[str, Any]:
    """A pair model folder's labels.json (labels, max_length, ...); a bad one is a UsageError."""
    path = folder / LABELS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a JSON object")
    return data
