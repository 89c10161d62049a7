"""Optional natural-language-inference signal from a sentence-transformers CrossEncoder.

`--nli-model NAME_OR_PATH` names any NLI cross-encoder the user has (a local folder, or a hub
name when online). Its entailment probability for (evidence, claim) becomes one more signal;
the default run uses none, so it stays fully offline.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError


class NliScorer:
    """Entailment probability of a claim given its evidence, loaded on first use."""

    def __init__(self, model: str) -> None:
        self.model_name = model
        self._model: Any = None
        self._entailment = -1

    def _load(self) -> Any:
        if self._model is None:
            local = Path(self.model_name).expanduser()
            target = str(local) if local.exists() else self.model_name
            if local.exists():
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import CrossEncoder

            try:
                self._model = CrossEncoder(target, device="cpu")
            except Exception as exc:  # the user's model choice: one clear line
                text = (str(exc) or type(exc).__name__).splitlines()[0]
                raise UsageError(f"cannot load NLI model {self.model_name!r}: {text}") from exc
            self._entailment = _entailment_index(self._model)
        return self._model

    def entailment(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """P(entailment) for each (premise, hypothesis) pair."""
        if not pairs:
            return []
        model = self._load()
        logits = np.asarray(model.predict(list(pairs), apply_softmax=False, show_progress_bar=False))
        if logits.ndim == 1:  # a single-logit model scores entailment directly
            return [float(1 / (1 + np.exp(-x))) for x in logits]
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities = shifted / shifted.sum(axis=1, keepdims=True)
        return [float(p[self._entailment]) for p in probabilities]


def _entailment_index(model: Any) -> int:
    """Which output is 'entailment', from the model's own label names."""
    config = getattr(getattr(model, "model", None), "config", None)
    labels = getattr(config, "id2label", None) or {}
    for index, label in labels.items():
        if "entail" in str(label).lower():
            return int(index)
    raise UsageError("the NLI model names no 'entailment' label in its config (id2label)")
