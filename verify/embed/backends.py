"""Which backend embeds: `make_embedder(model, backend)`.

"torch" (sentence-transformers), "onnx" (onnxruntime, fp32), "onnx-int8" (onnxruntime, int8 with
fixed activation scales) or "auto": onnx-int8 where onnxruntime and onnx are installed and the
model is a local folder, else torch. fp32 ONNX gives the same vectors as torch (to about 3e-7) at
about twice the speed; int8 embeds about 1.5x cheaper again, batch-independent, and kept the WiCE
dev figures and recall@5 within 0.004 of fp32 (docs/performance.md).
With no backend given, the environment variable VERIFY_EMBED_BACKEND decides, else
DEFAULT_BACKEND. The backends have different names, so vectors cached by one are never served
to another.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from ..errors import UsageError
from .model import Embedder, resolve_model

BACKENDS = ("torch", "onnx", "onnx-int8", "auto")
BACKEND_ENV = "VERIFY_EMBED_BACKEND"
DEFAULT_BACKEND = "auto"


def make_embedder(model: str, backend: str | None = None) -> Embedder:
    """The embedder for `model` on `backend` (None: $VERIFY_EMBED_BACKEND, else DEFAULT_BACKEND)."""
    choice = (backend or os.environ.get(BACKEND_ENV, "").strip() or DEFAULT_BACKEND).lower()
    if choice not in BACKENDS:
        raise UsageError(f"unknown embedding backend {choice!r} (choose from {', '.join(BACKENDS)})")
    if choice == "auto":
        choice = "onnx-int8" if onnx_available(model) else "torch"
    if choice == "torch":
        from .torch_backend import SentenceTransformerEmbedder

        return SentenceTransformerEmbedder(model)
    from .onnx_backend import OnnxEmbedder

    return OnnxEmbedder(model, quantize=choice == "onnx-int8")


def onnx_available(model: str) -> bool:
    """onnxruntime and onnx are installed (not imported here) and `model` is a local folder."""
    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None:
        return False
    try:
        return Path(resolve_model(model)[1]).is_dir()
    except UsageError:
        return False
