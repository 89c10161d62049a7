"""Sentence embeddings: the `Embedder` protocol, two backends, the choice between them, and a cache.

    model.py          the protocol and model-name resolution (bundled copy, local folder, hub name)
    torch_backend.py  sentence-transformers (torch imported on first use)
    onnx_backend.py   onnxruntime on an export of a local model folder (fp32, or int8)
    backends.py       make_embedder(model, backend): which backend, from the name or the environment
    cached.py         CachedEmbedder: each distinct text embedded once per model, kept in the store

The modules import in that order only (nothing imports back), and no heavy library is imported
until a text needs embedding, so `verify --help` and fully cached runs never pay for them.
"""

from ..paths import bundled_model_path
from .backends import BACKEND_ENV, BACKENDS, DEFAULT_BACKEND, make_embedder, onnx_available
from .cached import CachedEmbedder, text_hash
from .model import BUNDLED_NAMES, Embedder, resolve_model
from .onnx_backend import OnnxEmbedder
from .torch_backend import SentenceTransformerEmbedder

__all__ = [
    "BACKENDS",
    "BACKEND_ENV",
    "BUNDLED_NAMES",
    "DEFAULT_BACKEND",
    "CachedEmbedder",
    "Embedder",
    "OnnxEmbedder",
    "SentenceTransformerEmbedder",
    "bundled_model_path",
    "make_embedder",
    "onnx_available",
    "resolve_model",
    "text_hash",
]
