"""Old import path of the ONNX backend (training/export.py uses it): see verify/embed/onnx_backend.py."""

from .embed.onnx_backend import INPUT_NAMES, OPSET, ModelLayout, OnnxEmbedder, _quantize
from .paths import onnx_dir as default_cache_dir

__all__ = ["INPUT_NAMES", "OPSET", "ModelLayout", "OnnxEmbedder", "_quantize", "default_cache_dir"]
