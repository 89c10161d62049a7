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

    A stored vector is used only when it is what the model gives: float32, finite, of the model's
    dimension; anything else (a cache written by another tool, or tampered with) is a miss: the
    text is embedded again and its row rewritten.

    Two threads may encode at once (the pipeline embeds later articles while it judges the first):
    the store is used by one at a time; a text both miss at once may be embedded twice.
    """

    def __init__(self, inner: Embedder, store: Store | None) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.computed = 0  # texts actually sent to the model (distributed: BatchResult.embedded)
        self.dim: int | None = None  # the model's dimension, once it has embedded a text
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
        by_hash = dict(zip(hashes, texts, strict=True))
        missing = [h for h in by_hash if h not in self._memory]
        if missing:
            found = self._load(missing)
            missing = [h for h in missing if h not in found]
        if missing:
            self.embed_missing({h: by_hash[h] for h in missing})
        shapes = {self._memory[h].shape for h in by_hash}
        if len(shapes) > 1 or (self.dim is not None and shapes != {(self.dim,)}):
            self._settle_dimension(by_hash)  # stored vectors of another dimension
        return np.vstack([self._memory[h] for h in hashes])

    def embed_missing(self, texts: dict[str, str]) -> None:
        """Run the model on texts (by hash) known to be in neither memory nor the store; store them."""
        if not texts:
            return
        vectors = self.inner.encode(list(texts.values()))
        self.computed += len(texts)
        self.dim = int(vectors.shape[1])
        fresh = {h: vectors[i] for i, h in enumerate(texts)}
        self._memory.update(fresh)
        if self.store is not None:
            blobs = {h: v.tobytes() for h, v in fresh.items()}
            with self._store_lock:
                self.store.put_embeddings(self.name, blobs, vectors.shape[1])

    def _load(self, hashes: list[str]) -> set[str]:
        """Put the usable stored vectors of `hashes` in memory; the hashes found (the rest are misses)."""
        if self.store is None or not hashes:
            return set()
        found = set()
        with self._store_lock:
            stored = self.store.get_embeddings(self.name, hashes)
        for h, blob in stored.items():
            vector = usable_vector(blob, self.dim)
            if vector is not None:
                self._memory[h] = vector
                found.add(h)
        return found

    def _settle_dimension(self, by_hash: dict[str, str]) -> None:
        """Vectors of several dimensions for one call: the model's is right, the others are embedded again."""
        if self.dim is None:
            first = next(iter(by_hash))
            self.embed_missing({first: by_hash[first]})
        self.embed_missing({h: t for h, t in by_hash.items() if self._memory[h].shape != (self.dim,)})


def usable_vector(blob: bytes, dim: int | None) -> np.ndarray | None:
    """The stored vector `blob` as float32, or None when it cannot be the model's: an empty or ragged
    byte length, another dimension than `dim` (when known), a NaN or an infinity."""
    if not isinstance(blob, bytes | bytearray | memoryview) or not len(blob) or len(blob) % 4:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    if (dim is not None and vector.shape != (dim,)) or not np.isfinite(vector).all():
        return None
    return vector


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
