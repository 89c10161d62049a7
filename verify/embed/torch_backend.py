"""The sentence-transformers (torch) backend; torch is imported only when a text needs embedding."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from .model import first_line, resolve_model


class SentenceTransformerEmbedder:
    """Loads the model on first use; local folders load with the Hugging Face hub offline."""

    def __init__(self, model: str, batch_size: int = 32, device: str = "cpu") -> None:
        self.name, self._target = resolve_model(model)
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def warm(self) -> None:
        """Load the model now (the pipeline does this while pages download)."""
        self._load()

    def _load(self) -> Any:
        if self._model is None:
            if Path(self._target).exists():
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.set_verbosity_error()
            transformers_logging.disable_progress_bar()

            try:
                self._model = SentenceTransformer(self._target, device=self.device)
            except Exception as exc:  # any loader failure is the user's model choice
                raise UsageError(f"cannot load embedding model {self._target!r}: {first_line(exc)}") from exc
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)
