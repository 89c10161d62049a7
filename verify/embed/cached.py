"""The embedding cache: each distinct text is embedded once per model, kept in memory and the store."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .model import Embedder

if TYPE_CHECKING:
    from ..store import Store


class CachedEmbedder:
    """Wraps an embedder with the store: each distinct text is embedded once per model.

    Two threads may encode at once (the pipeline embeds later articles while it judges the first):
    the store is used by one at a time; a text both miss at once may be embedded twice."""

    def __init__(self, inner: Embedder, store: Store | None) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.computed = 0  # texts actually sent to the model (distributed: BatchResult.embedded)
        self._memory: dict[str, np.ndarray] = {}
        self._store_lock = threading.Lock()

    def warm(self) -> None:
        warm = getattr(self.inner, "warm", None)
        if warm is not None:
            warm()

    def forget(self) -> None:
        """Drop the vectors held in memory (they stay in the store): flat memory over a long run."""
        self._memory.clear()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        hashes = [text_hash(t) for t in texts]
        missing = [h for h in dict.fromkeys(hashes) if h not in self._memory]
        if missing and self.store is not None:
            with self._store_lock:
                found = self.store.get_embeddings(self.name, missing)
            for h, blob in found.items():
                self._memory[h] = np.frombuffer(blob, dtype=np.float32)
            missing = [h for h in missing if h not in self._memory]
        if missing:
            by_hash = {h: t for h, t in zip(hashes, texts, strict=True)}
            self.embed_missing({h: by_hash[h] for h in missing})
        return np.vstack([self._memory[h] for h in hashes])

    def embed_missing(self, texts: dict[str, str]) -> None:
        """Run the model on texts (by hash) known to be in neither memory nor the store; store them."""
        vectors = self.inner.encode(list(texts.values()))
        self.computed += len(texts)
        fresh = {h: vectors[i] for i, h in enumerate(texts)}
        self._memory.update(fresh)
        if self.store is not None:
            blobs = {h: v.tobytes() for h, v in fresh.items()}
            with self._store_lock:
                self.store.put_embeddings(self.name, blobs, vectors.shape[1])


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
