"""What every embedding backend shares: the `Embedder` protocol and how a model name is resolved."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from ..paths import bundled_model_path

BUNDLED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "bundled", "default"}


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def resolve_model(name: str) -> tuple[str, str]:
    """(cache key, what to load): the bundled copy, a local folder, or a hub name."""
    if name.lower() in BUNDLED_NAMES:
        return "all-MiniLM-L6-v2", str(bundled_model_path())
    path = Path(name).expanduser()
    if path.exists():
        return f"path:{path.resolve()}", str(path.resolve())
    return name, name


def first_line(exc: Exception) -> str:
    """The first line of an exception's message, for a one-line `verify: error:`."""
    return (str(exc) or type(exc).__name__).splitlines()[0][:300]
