"""The ONNX Runtime backend: same vectors as sentence-transformers, exported once, no torch to load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from verify import embed
from verify.embed import SentenceTransformerEmbedder, make_embedder, onnx_backend
from verify.embed.onnx_backend import OnnxEmbedder
from verify.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    "The cat sat on the mat.",
    "SpaceX launched 42 satellites in 2021, according to the FAA.",
    "Revenue fell 3.5% in the second quarter.",
    "Hi",
    "Élan vital: a naïve café in São Paulo.",
    "The committee, which met on Tuesday, said the report would be published next spring.",
    " ".join(f"word{i}" for i in range(300)),  # longer than the tokenizer file's own 128 limit
]


# ---- without the model -------------------------------------------------------------------------


def test_factory_names_backends_and_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(embed.BACKEND_ENV, raising=False)
    assert isinstance(make_embedder("all-MiniLM-L6-v2", "torch"), SentenceTransformerEmbedder)
    monkeypatch.setenv(embed.BACKEND_ENV, "torch")
    assert isinstance(make_embedder("all-MiniLM-L6-v2"), SentenceTransformerEmbedder)
    monkeypatch.setenv(embed.BACKEND_ENV, "tensorflow")
    with pytest.raises(UsageError, match="unknown embedding backend"):
        make_embedder("all-MiniLM-L6-v2")
    # an explicit choice wins over the environment
    assert isinstance(make_embedder("all-MiniLM-L6-v2", "torch"), SentenceTransformerEmbedder)


def test_onnx_backends_have_their_own_cache_names(tmp_path: Path) -> None:
    torch_name = SentenceTransformerEmbedder("all-MiniLM-L6-v2").name
    fp32 = make_embedder("all-MiniLM-L6-v2", "onnx")
    int8 = make_embedder("all-MiniLM-L6-v2", "onnx-int8")
    assert isinstance(fp32, OnnxEmbedder) and isinstance(int8, OnnxEmbedder)
    assert len({torch_name, fp32.name, int8.name}) == 3
    assert int8.name == "all-MiniLM-L6-v2+onnx-int8-static"  # never the dynamic int8 of older versions
    assert not fp32.loaded and not int8.loaded  # nothing is loaded or exported before use


def test_auto_falls_back_to_torch_for_a_hub_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(make_embedder("someone/not-a-local-folder", "auto"), SentenceTransformerEmbedder)
    monkeypatch.setattr(embed.backends, "onnx_available", lambda model: False)
    assert isinstance(make_embedder("all-MiniLM-L6-v2", "auto"), SentenceTransformerEmbedder)


def test_onnx_needs_a_local_folder() -> None:
    with pytest.raises(UsageError, match="local model folder"):
        OnnxEmbedder("someone/not-a-local-folder")


def test_two_builders_at_once_export_once_and_never_show_a_partial_file(tmp_path: Path) -> None:
    calls = []

    def slow_write(tmp: Path) -> None:
        calls.append(tmp)
        tmp.write_bytes(b"half")
        time.sleep(0.3)
        tmp.write_bytes(b"whole file")

    target = tmp_path / "cache" / "model.onnx"
    target.parent.mkdir()
    embedders = [OnnxEmbedder(str(tmp_path), cache_dir=target.parent) for _ in range(2)]
    seen: list[bytes] = []

    def watch() -> None:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            if target.exists():
                seen.append(target.read_bytes())
            time.sleep(0.01)

    threads = [threading.Thread(target=e._build, args=(target, slow_write)) for e in embedders]
    threads.append(threading.Thread(target=watch))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and sum(e.exports for e in embedders) == 1
    assert target.read_bytes() == b"whole file" and set(seen) == {b"whole file"}
    assert not [p for p in target.parent.iterdir() if p.suffix == ".tmp" or ".tmp." in p.name]


def test_a_failed_export_leaves_nothing_behind(tmp_path: Path) -> None:
    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise RuntimeError("exporter crashed")

    target = tmp_path / "model.onnx"
    with pytest.raises(RuntimeError):
        OnnxEmbedder(str(tmp_path), cache_dir=tmp_path)._build(target, broken)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []


# ---- with the real model -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def onnx_dir() -> Path:
    """The session's shared export folder (conftest), so the model is exported once per run."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    return Path(os.environ["VERIFY_ONNX_DIR"])


@pytest.fixture(scope="session")
def torch_vectors() -> np.ndarray:
    return SentenceTransformerEmbedder("all-MiniLM-L6-v2").encode(SENTENCES)


@pytest.fixture(scope="session")
def fp32(onnx_dir: Path) -> OnnxEmbedder:
    embedder = OnnxEmbedder("all-MiniLM-L6-v2", quantize=False, cache_dir=onnx_dir)
    embedder.ensure_exported()
    return embedder


@pytest.fixture(scope="session")
def int8(onnx_dir: Path, fp32: OnnxEmbedder) -> OnnxEmbedder:
    embedder = OnnxEmbedder("all-MiniLM-L6-v2", quantize=True, cache_dir=onnx_dir)
    embedder.ensure_exported()
    return embedder


@pytest.mark.model
def test_fp32_matches_sentence_transformers(fp32: OnnxEmbedder, torch_vectors: np.ndarray) -> None:
    vectors = fp32.encode(SENTENCES)
    assert vectors.shape == torch_vectors.shape == (len(SENTENCES), 384)
    assert vectors.dtype == np.float32
    assert float(np.abs(vectors - torch_vectors).max()) < 1e-5
    assert float((vectors * torch_vectors).sum(axis=1).min()) > 0.9999
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the order of the input and the batch size do not change a text's vector
    single = np.vstack([fp32.encode([s]) for s in reversed(SENTENCES)])[::-1]
    assert float(np.abs(single - vectors).max()) < 1e-5


@pytest.mark.model
def test_int8_stays_close_to_fp32(fp32: OnnxEmbedder, int8: OnnxEmbedder) -> None:
    cosines = (fp32.encode(SENTENCES) * int8.encode(SENTENCES)).sum(axis=1)
    assert float(cosines.mean()) > 0.98 and float(cosines.min()) > 0.95
    assert int8.model_path().stat().st_size < fp32.model_path().stat().st_size
    assert int8.model_path().name.endswith("-int8-static.onnx")


@pytest.mark.model
def test_int8_vectors_do_not_depend_on_the_batch(int8: OnnxEmbedder) -> None:
    """Fixed activation scales: a text's vector alone is its vector beside any companions."""
    companions = [" ".join(["The council approved the budget."] * n) for n in (3, 9, 20)]
    alone = np.vstack([int8.encode([s]) for s in SENTENCES])
    int8.batch_tokens = 10**6  # one call for everything, padded to the longest companion
    try:
        together = int8.encode(companions + SENTENCES)[len(companions) :]
    finally:
        int8.batch_tokens = onnx_backend.BATCH_TOKENS
    assert float(np.abs(alone - together).max()) < 1e-6


@pytest.mark.model
def test_int8_integer_products_run_as_integer_kernels(int8: OnnxEmbedder) -> None:
    """The session keeps onnxruntime's int8 fusions for this graph (pair models' sessions turn them off)."""
    session, _ = int8._load()
    with pytest.raises(Exception, match="does not have configuration"):
        session.get_session_options().get_session_config_entry("session.disable_quant_qdq")
    float_products = onnx_backend.cpu_session(int8.model_path())
    assert float_products.get_session_options().get_session_config_entry("session.disable_quant_qdq") == "1"


@pytest.mark.model
def test_the_export_is_reused(int8: OnnxEmbedder, onnx_dir: Path) -> None:
    path = int8.model_path()
    before = {p.name: p.stat().st_mtime_ns for p in onnx_dir.iterdir()}
    again = OnnxEmbedder("all-MiniLM-L6-v2", quantize=True, cache_dir=onnx_dir)
    assert again.encode(["A second process finds the file."]).shape == (1, 384)
    assert again.exports == 0 and again.model_path() == path
    assert {p.name: p.stat().st_mtime_ns for p in onnx_dir.iterdir()} == before


@pytest.mark.model
def test_loading_an_export_does_not_import_torch(int8: OnnxEmbedder, onnx_dir: Path) -> None:
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from verify.embed import make_embedder\n"
        "e = make_embedder('all-MiniLM-L6-v2', 'onnx-int8')\n"
        f"e.cache_dir = Path({str(onnx_dir)!r})\n"
        "v = e.encode(['No torch here.'])\n"
        "heavy = sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules)\n"
        "print(json.dumps({'shape': list(v.shape), 'exports': e.exports, 'heavy': heavy}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"shape": [1, 384], "exports": 0, "heavy": []}


# ---- batching and long texts (issue 25) --------------------------------------------------------


def test_token_batches_group_similar_lengths_within_a_token_budget() -> None:
    from verify.embed.onnx_backend import token_batches

    lengths = [5, 250, 7, 6, 256, 40, 8, 255, 9] * 10
    batches = list(token_batches(lengths, batch_size=32, batch_tokens=2048))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))  # every row once
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) <= 32
        assert len(batch) == 1 or len(batch) * longest <= 2048  # long texts go in small batches
    # similar lengths together: the short texts never share a batch with the long ones
    assert all(max(lengths[i] for i in b) - min(lengths[i] for i in b) <= 40 for b in batches)


@pytest.mark.model
def test_long_texts_are_cut_only_where_the_model_would_not_read(fp32: OnnxEmbedder) -> None:
    from verify.embed import onnx_backend

    whole = OnnxEmbedder("all-MiniLM-L6-v2", quantize=False, cache_dir=fp32.cache_dir)
    long_texts = [
        " ".join(f"word{i}" for i in range(3000)),  # cut: the model reads its first 256 tokens
        "start " + " " * 5000 + "end " * 400,  # a cut inside the spaces would lose tokens: whole
        "x" * 4000 + " after",  # one long word: [UNK] either way
    ]
    old = onnx_backend.CLIP_CHARS_PER_TOKEN
    try:
        onnx_backend.CLIP_CHARS_PER_TOKEN = 10**6  # never cut: the reference
        reference = whole.encode(long_texts + SENTENCES)
    finally:
        onnx_backend.CLIP_CHARS_PER_TOKEN = old
    assert float(np.abs(fp32.encode(long_texts + SENTENCES) - reference).max()) == 0.0
