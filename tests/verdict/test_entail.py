"""The bundled entailment model: loads offline from the package, sees a changed detail and an inverted
role, needs no torch; and the runtime's handling of absent or bad model files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import pytest

from verify import entail
from verify.entail import COLUMNS, EntailmentModel, load_bundled
from verify.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
E, N, C = (COLUMNS.index(name) for name in ("entailment", "neutral", "contradiction"))

EVIDENCE = "NASA ordered 12 flights from SpaceX in 2008, valued at about $1.6 billion."
SENATE = "The Senate approved the budget bill on Tuesday after a long debate."


@pytest.fixture(scope="module")
def model() -> EntailmentModel:
    bundled = load_bundled()
    assert bundled is not None, "the model files are missing from verify/data/entailment/"
    return bundled


def test_probabilities_have_one_row_per_pair_and_sum_to_one(model: EntailmentModel) -> None:
    pairs = [(EVIDENCE, EVIDENCE), (SENATE, "The budget bill was approved."), ("Hi", "A dog runs.")]
    probabilities = model.predict(pairs)
    assert probabilities.shape == (3, 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert model.predict([]).shape == (0, 3)


def test_batching_and_order_do_not_change_the_answer(model: EntailmentModel) -> None:
    pairs = [
        (EVIDENCE, EVIDENCE),
        (SENATE, "The Senate rejected the budget bill."),
        (SENATE, " ".join(["word"] * 300)),
    ]
    together = model.predict(pairs)
    assert np.allclose(model.predict(pairs[::-1]), together[::-1], atol=1e-6)
    # the 300-word pair pads the others to 128 word pieces; their answers must not move
    one_by_one = np.vstack([model.predict([pair]) for pair in pairs])
    assert np.abs(together - one_by_one).max() < 1e-4
    small_batches = EntailmentModel(model.folder, batch_size=1).predict(pairs)
    assert np.abs(together - small_batches).max() < 1e-4


def test_long_pairs_are_read_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model call holds about PAIR_BATCH_TOKENS word pieces: 16 pairs of 128 padded together held
    170 MB more and ran slower; short pairs still share a call."""
    model = EntailmentModel(entail.BUNDLED_DIR, batch_size=32)
    session, _ = model.model.load()
    shapes: list[tuple[int, int]] = []

    class Recording:
        def run(self, outputs: object, feed: dict[str, np.ndarray]) -> object:
            shapes.append(feed["input_ids"].shape)
            return session.run(outputs, feed)

    monkeypatch.setattr(model.model, "_session", Recording())
    long_pairs = [(" ".join(["word"] * 300), f"Claim number {i}.") for i in range(8)]
    short_pairs = [(SENATE, f"The bill passed {i} times.") for i in range(8)]
    model.predict(long_pairs + short_pairs)
    assert all(rows * width <= entail.PAIR_BATCH_TOKENS for rows, width in shapes if rows > 1)
    assert max(rows for rows, _ in shapes) > 1  # short pairs are batched
    assert sum(rows for rows, _ in shapes) == 16


def test_the_shipped_graph_multiplies_in_float() -> None:
    """Dynamic int8 activations made answers depend on batch companions and on the CPU's int8 kernels
    (VNNI or not): the shipped graph keeps int8 weights only."""
    import onnx

    graph = onnx.load(str(entail.BUNDLED_DIR / entail.MODEL_FILE)).graph
    operators = {node.op_type for node in graph.node}
    assert "MatMul" in operators
    assert not operators & {"DynamicQuantizeLinear", "MatMulInteger", "ConvInteger"}
    int8_weights = [w for w in graph.initializer if w.data_type == onnx.TensorProto.INT8]
    assert len(int8_weights) >= 30  # the weights stay int8: the file is no larger than before


def test_the_session_computes_what_the_graph_says(model: EntailmentModel) -> None:
    """onnxruntime's optimiser fuses DequantizeLinear -> MatMul into MatMulNBits, which quantises the
    activations again (logits moved by up to 0.07, by the CPU's kernels): verify's session keeps the
    float products, so its answer is the unoptimised graph's."""
    import onnxruntime as ort

    from verify.embed.onnx_backend import cpu_session

    path = entail.BUNDLED_DIR / entail.MODEL_FILE
    plain = ort.SessionOptions()
    plain.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    reference = ort.InferenceSession(str(path), plain, providers=["CPUExecutionProvider"])
    session = cpu_session(path)
    feed = {
        "input_ids": np.array([[101, 2198, 2001, 2182, 102, 2198, 2003, 2182, 102]], dtype=np.int64),
        "attention_mask": np.ones((1, 9), dtype=np.int64),
        "token_type_ids": np.array([[0, 0, 0, 0, 0, 1, 1, 1, 1]], dtype=np.int64),
    }
    feed = {k: v for k, v in feed.items() if k in {i.name for i in session.get_inputs()}}
    assert np.abs(session.run(None, feed)[0] - reference.run(None, feed)[0]).max() < 1e-4


def test_a_sentence_entails_itself_and_its_shortening(model: EntailmentModel) -> None:
    probabilities = model.predict([(EVIDENCE, EVIDENCE), (SENATE, "The Senate approved the budget bill.")])
    assert (probabilities.argmax(axis=1) == E).all()


@pytest.mark.parametrize(
    "claim",
    [
        "NASA ordered 12 flights from SpaceX in 2011, valued at about $1.6 billion.",  # a changed year
        "NASA did not order 12 flights from SpaceX in 2008.",  # an inserted "not"
        pytest.param(
            "SpaceX ordered 12 flights from NASA in 2008.",  # agent and recipient inverted
            marks=pytest.mark.xfail(
                strict=True, reason="known limit of the shipped model: inverted roles read as entailed"
            ),
        ),
    ],
)
def test_a_changed_detail_is_more_contradicted_than_entailed(model: EntailmentModel, claim: str) -> None:
    changed, same = model.predict([(EVIDENCE, claim), (EVIDENCE, EVIDENCE)])
    assert changed[C] > changed[E]
    assert changed[C] > same[C]


def test_the_same_fact_in_the_passive_is_entailed(model: EntailmentModel) -> None:
    (passive,) = model.predict([(EVIDENCE, "SpaceX received an order for 12 flights from NASA.")])
    assert passive[E] > passive[C]


def test_an_inserted_not_turns_entailment_into_contradiction(model: EntailmentModel) -> None:
    kept, negated = model.predict(
        [(SENATE, SENATE), (SENATE, "The Senate did not approve the budget bill on Tuesday.")]
    )
    assert kept[E] > kept[C]
    assert negated[C] > negated[E]


def test_columns_follow_the_label_names_of_the_model_folder(tmp_path: Path, model: EntailmentModel) -> None:
    for name in (entail.MODEL_FILE, entail.TOKENIZER_FILE):
        (tmp_path / name).symlink_to(entail.BUNDLED_DIR / name)
    meta = json.loads((entail.BUNDLED_DIR / entail.LABELS_FILE).read_text(encoding="utf-8"))
    meta["labels"] = list(reversed(meta["labels"]))  # the same outputs under reversed names
    (tmp_path / entail.LABELS_FILE).write_text(json.dumps(meta), encoding="utf-8")
    pairs = [(EVIDENCE, EVIDENCE), (SENATE, "The Senate rejected the budget bill.")]
    assert np.allclose(EntailmentModel(tmp_path).predict(pairs), model.predict(pairs)[:, ::-1], atol=1e-5)


def test_the_model_files_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["verify"]
    for name in (entail.MODEL_FILE, entail.TOKENIZER_FILE, entail.LABELS_FILE):
        assert (entail.BUNDLED_DIR / name).is_file()
        relative = f"data/entailment/{name}"
        assert any(fnmatch(relative, pattern) and "/" in pattern for pattern in patterns), relative


def test_load_bundled_is_none_without_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entail, "BUNDLED_DIR", tmp_path)
    assert load_bundled() is None


def test_a_label_file_without_contradiction_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / entail.LABELS_FILE).write_text(
        json.dumps({"labels": ["entailment", "neutral"]}), encoding="utf-8"
    )
    with pytest.raises(UsageError, match="contradiction"):
        EntailmentModel(tmp_path)


def test_the_model_runs_offline_without_importing_torch(model: EntailmentModel) -> None:
    code = (
        "import sys\n"
        "import verify.entail\n"
        "assert 'torch' not in sys.modules, 'import'\n"
        "model = verify.entail.load_bundled()\n"
        "assert model.folder == verify.entail.BUNDLED_DIR\n"
        "model.predict([('A man plays a guitar.', 'A man plays music.')])\n"
        "assert not {'torch', 'transformers'} & set(sys.modules), 'predict'\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "HF_HUB_OFFLINE": "1",
        "HTTPS_PROXY": "http://127.0.0.1:9",  # any attempt to reach the network would fail
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_threads_that_load_at_once_share_one_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run warms the model on a background thread while workers may reach for it: one load."""
    import threading
    import time

    calls: list[int] = []
    real = entail.cpu_session

    def slow_session(path: Path, threads: int | None = None) -> object:
        calls.append(1)
        time.sleep(0.2)
        return real(path, threads)

    monkeypatch.setattr(entail, "cpu_session", slow_session)
    model = EntailmentModel(entail.BUNDLED_DIR)
    loaders = [threading.Thread(target=model.warm) for _ in range(3)]
    for thread in loaders:
        thread.start()
    for thread in loaders:
        thread.join()
    assert len(calls) == 1 and model.loaded


def test_pair_models_use_every_core_unless_the_process_shares_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain run's pair models take onnxruntime's default (every core); a Dask worker's take its share."""
    from verify.verifier import VerifierModel
    from verify.verifier import load_bundled as bundled_verifier

    asked: list[int | None] = []
    real = entail.cpu_session

    def recorded(path: Path, threads: int | None = None) -> object:
        asked.append(threads)
        return real(path, 1)

    monkeypatch.setattr(entail, "cpu_session", recorded)
    monkeypatch.setattr(entail, "_cores_share", None)
    EntailmentModel(entail.BUNDLED_DIR).warm()
    entail.share_cores(3)
    EntailmentModel(entail.BUNDLED_DIR).warm()
    verifier = bundled_verifier()
    assert isinstance(verifier, VerifierModel)
    verifier.warm()
    EntailmentModel(entail.BUNDLED_DIR, threads=1).warm()  # a model made for one thread keeps it
    assert asked == [None, 3, 3, 1]
