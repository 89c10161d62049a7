"""verify/paths.py: every folder verify writes to is resolved from the environment in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify import paths
from verify.embed import OnnxEmbedder
from verify.store import default_db_path


def test_cache_folder_database_and_onnx_folder_follow_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VERIFY_CACHE_DIR", raising=False)
    monkeypatch.delenv("VERIFY_ONNX_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "verify"
    assert paths.default_db_path() == tmp_path / "xdg" / "verify" / "cache.sqlite"
    assert paths.onnx_dir() == tmp_path / "xdg" / "verify" / "onnx"
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "mine"))
    assert paths.default_db_path() == tmp_path / "mine" / "cache.sqlite"
    assert paths.onnx_dir() == tmp_path / "mine" / "onnx"
    monkeypatch.setenv("VERIFY_ONNX_DIR", str(tmp_path / "shared-onnx"))
    assert paths.onnx_dir() == tmp_path / "shared-onnx"
    assert default_db_path() == paths.default_db_path()  # the old import path still answers


def test_the_onnx_embedder_exports_into_the_onnx_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERIFY_ONNX_DIR", str(tmp_path / "onnx"))
    embedder = OnnxEmbedder("all-MiniLM-L6-v2", quantize=False)  # nothing is exported before use
    assert embedder.model_path().parent == tmp_path / "onnx"
    assert not embedder.model_path().exists()
