"""Rebuild a torch checkpoint from the shipped int8 entailment model, to warm-start the verifier.

    HF_HUB_OFFLINE=1 PYTHONPATH=. python -m training.dequantize verify/data/entailment build/entail-fp32

The shipped model (docs/entailment-model.md) is the MiniLM-L6 that training/train.py fine-tuned on
SNLI and the template corpus; only its int8 ONNX export was kept. Each quantised matrix is
dequantised ((q - zero point) x scale, per output channel); the word embeddings, which that
training kept frozen, are taken unchanged from the bundled all-MiniLM-L6-v2. The result is the
3-way model up to the quantisation error (its labels: entailment, neutral, contradiction).
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path


def _array(initializer: object) -> object:
    from onnx import numpy_helper

    return numpy_helper.to_array(initializer)  # type: ignore[arg-type]


def dequantize(onnx_folder: Path, out: Path) -> None:
    import numpy as np
    import onnx
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from training.data import LABELS
    from training.train import bundled_minilm

    graph = onnx.load(str(onnx_folder / "model.onnx")).graph
    weights = {i.name: _array(i) for i in graph.initializer}
    id2label = dict(enumerate(LABELS))
    model = AutoModelForSequenceClassification.from_pretrained(
        str(bundled_minilm()), num_labels=3, id2label=id2label, label2id={v: k for k, v in id2label.items()}
    )
    state = model.state_dict()
    loaded: dict[str, object] = {}

    def matrix(prefix: str) -> object:
        q = np.asarray(weights[prefix + "_quantized"], dtype=np.float32)
        zero = np.asarray(weights[prefix + "_zero_point"], dtype=np.float32)
        return (q - zero) * np.asarray(weights[prefix + "_scale"], dtype=np.float32)

    for name, value in weights.items():  # fp32 tensors kept under their torch names
        if name.startswith("inner.") and not re.search(r"_(scale|zero_point|quantized)$", name):
            loaded[name.removeprefix("inner.")] = value
    for kind in ("position", "token_type"):
        loaded[f"bert.embeddings.{kind}_embeddings.weight"] = matrix(
            f"inner.bert.embeddings.{kind}_embeddings.weight"
        )
    for module in ("bert.pooler.dense", "classifier"):
        loaded[module + ".weight"] = np.asarray(matrix(f"inner.{module}.weight_Transposed")).T
    for node in graph.node:  # the encoder's matrices: the node's output name carries the module path
        if node.op_type != "MatMulInteger":
            continue
        found = re.match(r"/inner/(.+)/MatMul_output_0", node.output[0])
        if not found:
            continue
        module = found.group(1).replace("/", ".")
        loaded[module + ".weight"] = np.asarray(matrix(node.input[1].removesuffix("_quantized"))).T
    missing = [k for k in state if k not in loaded and k != "bert.embeddings.word_embeddings.weight"]
    if missing:
        raise SystemExit(f"not found in the ONNX graph: {missing}")
    for key, value in loaded.items():
        if key in state:
            state[key] = torch.from_numpy(np.ascontiguousarray(value)).to(state[key].dtype)
    model.load_state_dict(state)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(str(bundled_minilm())).save_pretrained(out)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "onnx_folder", type=Path, help="folder with the int8 model.onnx (verify/data/entailment)"
    )
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    dequantize(args.onnx_folder, args.out)


if __name__ == "__main__":
    main()
