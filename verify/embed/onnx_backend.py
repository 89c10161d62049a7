"""ONNX Runtime backend for a local sentence-transformers model (the bundled all-MiniLM-L6-v2).

The transformer is exported to ONNX on first use with torch's legacy exporter and, for the
"onnx-int8" backend, quantised to int8 with fixed activation scales (`quantize_static`); the
files are kept in the ONNX folder (verify/paths.py) and reused, so later runs load them with
onnxruntime and the `tokenizers` library and never import torch. `OnnxEmbedder` built directly
quantises unless told `quantize=False`. Nothing is downloaded: the export reads the model folder
that is already on disk.

Tokenising, pooling and normalising follow the model folder's own configuration
(sentence_bert_config.json, modules.json, 1_Pooling/config.json), so the fp32 export gives the
same vectors as sentence-transformers (to about 1e-6) and the int8 one nearly the same (mean
cosine to fp32 about 0.99 on web-page sentences), whatever else is in its batch.

Files are written under a temporary name and renamed into place, and an advisory lock keeps two
processes from exporting the same model twice at once; a reader never sees a half-written file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import UsageError
from ..paths import onnx_dir
from .model import first_line, resolve_model

EXPORT_VERSION = 1  # bump when the exported graph changes, so old cache files are not reused
OPSET = 17
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
# 1_Pooling/config.json key -> mode, in the order sentence-transformers concatenates them
POOLING_KEYS = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len",
}
BATCH_TOKENS = 512  # texts x padded length per model call (2,048 held 90 MB more: docs/performance.md)
CLIP_CHARS_PER_TOKEN = 8  # a long text is tokenised from its first 8 x max_seq_length characters
MAX_WORD_CHARS = 100  # WordPiece reads a longer word as one [UNK]
# sentences of the project's template corpus (training/calibration.py) that fix the int8 scales
CALIBRATION_TEXT = Path(__file__).resolve().parent.parent / "data" / "calibration.txt"
KNOWN_MODULES = {
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
}


class ModelLayout:
    """What the sentence-transformers folder says about tokenising, pooling and normalising."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        modules = _read_json(folder / "modules.json")
        if not isinstance(modules, list) or not modules:
            raise UsageError(f"{folder}: modules.json does not list the model's modules")
        types = [str(m.get("type", "")) for m in modules]
        unknown = [t for t in types if t not in KNOWN_MODULES]
        if unknown or types[0] != "sentence_transformers.models.Transformer":
            raise UsageError(f"{folder}: ONNX backend: only Transformer, Pooling, Normalize ({types})")
        if any(m.get("path", "") for m in modules if m.get("type", "").endswith(".Transformer")):
            raise UsageError(f"{folder}: the transformer must sit at the top of the model folder")
        self.normalize = "sentence_transformers.models.Normalize" in types
        pooling_dirs = [m.get("path", "") for m in modules if m.get("type", "").endswith(".Pooling")]
        if len(pooling_dirs) != 1:
            raise UsageError(f"{folder}: expected exactly one Pooling module")
        pooling = _read_json(folder / pooling_dirs[0] / "config.json")
        chosen = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
        unsupported = [k for k in chosen if k not in POOLING_KEYS]
        if not chosen or unsupported:
            raise UsageError(f"{folder}: unsupported pooling configuration {pooling}")
        modes = [mode for key, mode in POOLING_KEYS.items() if key in chosen]
        self.pooling = modes  # several modes are concatenated, in sentence-transformers' order
        bert = _read_json(folder / "sentence_bert_config.json")
        self.max_seq_length = int(bert.get("max_seq_length") or 512)
        self.lowercase = bool(bert.get("do_lower_case", False))
        if not (folder / "tokenizer.json").is_file():
            raise UsageError(f"{folder}: no tokenizer.json (the ONNX backend needs a fast tokenizer file)")

    def fingerprint(self) -> str:
        """Changes when the model folder's weights or configuration change."""
        digest = hashlib.sha256(f"v{EXPORT_VERSION}/opset{OPSET}".encode())
        for path in sorted(self.folder.iterdir()):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        return digest.hexdigest()[:16]


class OnnxEmbedder:
    """Embeds with onnxruntime; exports (and quantises) the model into `cache_dir` on first use."""

    def __init__(
        self,
        model: str,
        quantize: bool = True,
        cache_dir: Path | None = None,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        key, target = resolve_model(model)
        self.folder = Path(target)
        self.key = key
        if not self.folder.is_dir():
            raise UsageError(f"the ONNX backend needs a local model folder, not {model!r}")
        self.quantize = quantize
        # "static": the dynamically quantised vectors of older versions are never served for these
        self.name = f"{key}+onnx-int8-static" if quantize else f"{key}+onnx"
        self.cache_dir = Path(cache_dir) if cache_dir is not None else onnx_dir()
        self.batch_size = batch_size
        self.threads = threads
        self.exports = 0  # how many files this object exported or quantised (tests, benchmarks)
        self._layout: ModelLayout | None = None
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: set[str] = set()
        self._pad_id = 0
        self._loading = threading.Lock()  # two threads embedding at once load the model once
        # tokens per model call at most (batch x longest text): long texts go in smaller batches,
        # so the activations (and the memory arena that keeps them) stay small
        self.batch_tokens = BATCH_TOKENS

    @property
    def loaded(self) -> bool:
        return self._session is not None

    @property
    def layout(self) -> ModelLayout:
        if self._layout is None:
            self._layout = ModelLayout(self.folder)
        return self._layout

    def model_path(self) -> Path:
        """Where this model's ONNX file lives (it may not exist yet)."""
        return self._file(self.quantize)

    def _file(self, quantized: bool) -> Path:
        label = self.folder.name if self.key.startswith("path:") else self.key
        stem = f"{_slug(label)}-{self.layout.fingerprint()}"
        return self.cache_dir / f"{stem}-{'int8-static' if quantized else 'fp32'}.onnx"

    def ensure_exported(self) -> Path:
        """The ONNX file, exporting (and quantising) it first if it is not in the cache yet."""
        final = self.model_path()
        if final.is_file():
            return final
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        fp32 = self._file(False)
        self._build(fp32, lambda tmp: _export(self.folder, tmp))
        if self.quantize:
            self._build(final, lambda tmp: quantize_static_int8(fp32, tmp, self._calibration_feeds()))
        return final

    def _calibration_feeds(self) -> list[dict[str, np.ndarray]]:
        """Model inputs of the calibration sentences, in batches as `encode` makes them."""
        texts = [t for t in CALIBRATION_TEXT.read_text(encoding="utf-8").splitlines() if t.strip()]
        return [feed for _, feed in self._batches(*self._open_tokenizer(), texts)]

    def _open_tokenizer(self) -> tuple[Any, int]:
        """The folder's tokenizer, truncating as the model reads, unpadded, and its padding id."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self.layout.max_seq_length)
        # the file's own padding is to a fixed 128; each batch is padded to its longest text instead
        padding = tokenizer.padding or {}
        pad_token = padding.get("pad_token", "[PAD]")
        pad_id = int(padding.get("pad_id", tokenizer.token_to_id(pad_token) or 0))
        tokenizer.no_padding()
        return tokenizer, pad_id

    def _build(self, path: Path, write: Callable[[Path], None]) -> None:
        if path.is_file():
            return
        with _file_lock(path.with_name(path.name + ".lock")):
            if path.is_file():  # another process made it while we waited for the lock
                return
            _atomic_write(path, write)
            self.exports += 1

    def warm(self) -> None:
        """Export if needed and load the session now (the pipeline does this while pages download)."""
        self._load()

    def _load(self) -> tuple[Any, Any]:
        if self._session is None:
            with self._loading:
                self._load_once()
        return self._session, self._tokenizer

    def _load_once(self) -> None:
        if self._session is None:
            path = self.ensure_exported()
            try:
                session = cpu_session(path, self.threads, integer_products=self.quantize)
            except Exception as exc:  # a corrupt cache file: say where it is
                raise UsageError(f"cannot load {path} ({first_line(exc)}); delete it to re-export") from exc
            tokenizer, self._pad_id = self._open_tokenizer()
            self._inputs = {i.name for i in session.get_inputs()}
            self._session, self._tokenizer = session, tokenizer

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        session, tokenizer = self._load()
        out: np.ndarray | None = None
        for rows, feed in self._batches(tokenizer, self._pad_id, texts):
            hidden = session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
            vectors = self._pool(np.asarray(hidden, dtype=np.float32), feed["attention_mask"])
            if out is None:
                out = np.empty((len(texts), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
        assert out is not None
        return out

    def _batches(
        self, tokenizer: Any, pad_id: int, texts: Sequence[str]
    ) -> Iterator[tuple[list[int], dict[str, np.ndarray]]]:
        """(rows, padded model inputs) for `texts`, cased and cut as the model reads them, in batches of
        similar length within the token budget."""
        items = [t.lower() if self.layout.lowercase else t for t in texts]
        encodings = self._tokenize(tokenizer, items)
        for rows in token_batches([len(e.ids) for e in encodings], self.batch_size, self.batch_tokens):
            yield rows, padded_batch([encodings[i] for i in rows], pad_id)

    def _tokenize(self, tokenizer: Any, items: list[str]) -> list[Any]:
        """Token ids of each text, as truncated for the model; a long text is tokenised only as far
        as the model reads it (its first CLIP_CHARS_PER_TOKEN x max_seq_length characters), unless
        the cut could change the tokens kept, then whole."""
        limit = self.layout.max_seq_length
        cap = limit * CLIP_CHARS_PER_TOKEN
        encodings = tokenizer.encode_batch([t[:cap] for t in items])
        redo = [i for i, t in enumerate(items) if len(t) > cap and not _cut_is_safe(encodings[i], limit, cap)]
        for i, encoding in zip(redo, tokenizer.encode_batch([items[i] for i in redo]), strict=True):
            encodings[i] = encoding
        return list(encodings)

    def _pool(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        weights = mask[:, :, None].astype(np.float32)
        counts = np.clip(weights.sum(axis=1), 1e-9, None)
        parts = []
        for mode in self.layout.pooling:
            if mode == "cls":
                parts.append(hidden[:, 0])
            elif mode == "max":
                parts.append(np.where(weights > 0, hidden, -1e9).max(axis=1))
            elif mode == "mean":
                parts.append((hidden * weights).sum(axis=1) / counts)
            else:  # mean_sqrt_len
                parts.append((hidden * weights).sum(axis=1) / np.sqrt(counts))
        vectors = np.concatenate(parts, axis=1) if len(parts) > 1 else parts[0]
        if self.layout.normalize:
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.clip(norms, 1e-12, None)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def token_batches(lengths: Sequence[int], batch_size: int, batch_tokens: int) -> Iterator[list[int]]:
    """Row indices in batches of similar token length: at most `batch_size` rows and about
    `batch_tokens` tokens (rows x the longest) per batch, so little padding and bounded memory."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batch: list[int] = []
    for i in order:
        # sorted by length, so the row being added is the batch's longest
        if batch and (len(batch) >= batch_size or (len(batch) + 1) * lengths[i] > batch_tokens):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def padded_batch(encodings: Sequence[Any], pad_id: int) -> dict[str, np.ndarray]:
    """The model's inputs for one batch, padded to its longest text."""
    width = max(len(e.ids) for e in encodings)
    feed = {
        "input_ids": np.full((len(encodings), width), pad_id, dtype=np.int64),
        "attention_mask": np.zeros((len(encodings), width), dtype=np.int64),
        "token_type_ids": np.zeros((len(encodings), width), dtype=np.int64),
    }
    for row, e in enumerate(encodings):
        n = len(e.ids)
        feed["input_ids"][row, :n] = e.ids
        feed["attention_mask"][row, :n] = e.attention_mask
        feed["token_type_ids"][row, :n] = e.type_ids
    return feed


def _cut_is_safe(encoding: Any, limit: int, cut: int) -> bool:
    """The text cut at `cut` characters gives the same tokens as the whole text: the model's
    `limit` was reached, and the word of the last kept token ended before the cut (a word is at
    most MAX_WORD_CHARS long, else it is one [UNK] either way)."""
    if len(encoding.ids) < limit:
        return False
    ends = [
        end
        for (_, end), special in zip(encoding.offsets, encoding.special_tokens_mask, strict=True)
        if not special
    ]
    return bool(ends) and cut - max(ends) > MAX_WORD_CHARS


def _export(folder: Path, target: Path) -> None:
    """torch.onnx.export (legacy exporter) of the Hugging Face transformer: token vectors out."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()

    class Wrapper(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            output = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return output[0]

    try:
        model = AutoModel.from_pretrained(str(folder), local_files_only=True)
    except Exception as exc:
        raise UsageError(f"cannot load {folder} for ONNX export: {first_line(exc)}") from exc
    model.eval()
    dummy = tuple(torch.ones((2, 8), dtype=torch.long) for _ in INPUT_NAMES)
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES}
    axes["token_embeddings"] = {0: "batch", 1: "sequence"}
    export_graph(Wrapper(model), dummy, target, "token_embeddings", axes)


def export_graph(module: Any, dummy: tuple[Any, ...], target: Path, output: str, axes: dict) -> None:
    """Trace `module` on `dummy` (one tensor per INPUT_NAMES) into an ONNX file with one output.

    Used for the embedder here and for the trained classifiers in training/.
    """
    import torch

    with torch.no_grad(), warnings.catch_warnings():
        # the legacy exporter is chosen on purpose: it handles these models without onnxscript
        warnings.filterwarnings("ignore", message=".*legacy TorchScript", category=DeprecationWarning)
        warnings.filterwarnings("ignore", module=r"torch\.onnx")  # notes about how ops are exported
        # shape checks in the model's Python code become constants; the graph still takes any size
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        torch.onnx.export(
            module,
            dummy,
            str(target),
            input_names=list(INPUT_NAMES),
            output_names=[output],
            dynamic_axes=axes,
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def _quantize(source: Path, target: Path) -> None:
    """Dynamic int8 (per channel): training/export.py's first step for the pair models."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet_quantizer():
        quantize_dynamic(str(source), str(target), per_channel=True, weight_type=QuantType.QInt8)


def quantize_static_int8(source: Path, target: Path, feeds: Sequence[dict[str, np.ndarray]]) -> None:
    """int8 weights (per channel, 7-bit) and int8 activations with scales fixed from `feeds`.

    Fixed scales make a text's vector independent of its batch companions (dynamic quantisation
    scales by the batch's range). Only the projections with a weight matrix are quantised, and of
    those not the feed-forward output, whose input (after GELU) has outliers that one scale per
    tensor cannot hold: quantised, the mean cosine to fp32 fell from 0.993 to 0.88
    (docs/performance.md). The weights keep 7 bits so CPUs without VNNI, whose u8 x s8 kernels
    add pairs of products in 16 bits, never saturate and compute what VNNI CPUs compute.
    """
    import onnx
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )

    graph = onnx.load(str(source), load_external_data=False).graph
    inputs = {i.name for i in graph.input}
    weights = {init.name: tuple(init.dims) for init in graph.initializer}
    skipped = [
        node.name
        for node in graph.node
        if node.op_type == "MatMul"
        and (node.input[1] not in weights or weights[node.input[1]][0] > weights[node.input[1]][1])
    ]

    class Feeds(CalibrationDataReader):
        def __init__(self) -> None:
            self.batches = iter([{k: v for k, v in feed.items() if k in inputs} for feed in feeds])

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.batches, None)

    with _quiet_quantizer():
        quantize_static(
            str(source),
            str(target),
            Feeds(),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=["MatMul"],
            nodes_to_exclude=skipped,
            per_channel=True,
            reduce_range=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
        )


@contextlib.contextmanager
def _quiet_quantizer() -> Iterator[None]:
    root = logging.getLogger()
    hint = _DropMessage("pre-processing before quantization")  # onnxruntime's general advice
    root.addFilter(hint)
    try:
        yield
    finally:
        root.removeFilter(hint)


class _DropMessage(logging.Filter):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        return self.text not in record.getMessage()


def _atomic_write(final: Path, write: Callable[[Path], None]) -> None:
    """`write(tmp)` makes the file under a unique temporary name; then it is renamed into place."""
    fd, name = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=".tmp.onnx", dir=final.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)  # mkstemp makes it private; the cache folder decides who reads it
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock where the platform has one (else the rename alone keeps files whole)."""
    try:
        import fcntl
    except ImportError:  # Windows: two processes may both export; the last rename wins
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"{path} not found (not a sentence-transformers model folder?)") from exc
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in text)[:60] or "model"


def cpu_session(path: Path, threads: int | None = None, integer_products: bool = False) -> Any:
    """An onnxruntime CPU session with every graph optimisation and only error logs (embedder, entailment).

    `integer_products`: the graph's activations are quantised with fixed scales (the static int8
    embedder), so its int8 products are fused into integer kernels; otherwise every product is float.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # idle pool threads sleep instead of spinning: on two shared cores the spinning cost about a
    # third more CPU per text and slowed the Python thread that runs beside the model
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    # int8 weights stay weights (keep_activations_float): left to itself, onnxruntime fuses each
    # DequantizeLinear -> MatMul into MatMulNBits, whose kernels quantise the activations again
    # (a verifier logit moved by 0.07, by CPU kernel); this keeps every product in float
    if not integer_products:
        options.add_session_config_entry("session.disable_quant_qdq", "1")
    if threads:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def keep_activations_float(source: Path, target: Path) -> None:
    """Rewrite a dynamically quantised graph so only its weights stay int8 and every product is fp32.

    Dynamic quantisation scales each batch's activations by that batch's range, so a pair's output
    moved with its batch companions (by up to 0.17) and with the CPU's int8 kernels (VNNI or not).
    Here each `DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scale)` chain becomes
    `MatMul(x, DequantizeLinear(w))`: the file keeps its int8 weights, the arithmetic is float.
    """
    import onnx
    from onnx import helper

    model = onnx.load(str(source))
    graph = model.graph
    original = list(graph.node)  # one list of the nodes: their ids below stay theirs
    producer = {out: node for node in original for out in node.output}
    consumers: dict[str, list[Any]] = {}
    for node in original:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    replaced: dict[int, list[Any]] = {}  # index of the Mul that ends a chain -> its float nodes
    dropped: set[int] = set()
    index = {id(node): i for i, node in enumerate(original)}
    for node in original:
        if node.op_type != "MatMulInteger":
            continue
        quantized_x, weight, _, weight_zero = node.input
        activation = producer[quantized_x].input[0]  # DynamicQuantizeLinear's float input
        (cast,) = consumers[node.output[0]]
        (rescale,) = consumers[cast.output[0]]
        scales = producer[next(i for i in rescale.input if i != cast.output[0])]
        weight_scale = next(i for i in scales.input if producer.get(i) is None)
        dequantized = f"{weight}_float"
        replaced[index[id(rescale)]] = [
            helper.make_node("DequantizeLinear", [weight, weight_scale, weight_zero], [dequantized], axis=1),
            helper.make_node("MatMul", [activation, dequantized], [rescale.output[0]]),
        ]
        dropped.update(index[id(n)] for n in (node, cast, scales))
    nodes: list[Any] = []
    for i, node in enumerate(original):
        if i in replaced:
            nodes.extend(replaced[i])
        elif i not in dropped:
            nodes.append(node)
    used = {name for node in nodes for name in node.input} | {out.name for out in graph.output}
    nodes = [n for n in nodes if n.op_type != "DynamicQuantizeLinear" or n.output[0] in used]
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
