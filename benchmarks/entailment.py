"""Speed and quality of the bundled entailment model (verify/entail.py), printed as JSON.

    python benchmarks/entailment.py [--data ../shared/data/wice/dev.jsonl] [--eval ../shared/eval]
                                    [--model verify/data/entailment] [--out build/entailment.json]
                                    [--skip-speed] [--cosine]

- speed: (evidence sentence, claim) pairs per second on WiCE dev pairs, batch 32, all cores
  onnxruntime gives it (2 here), after one warm-up batch; the load average is recorded.
- WiCE dev: each claim against the gold evidence sentences marked in its row. Score = the
  highest P(entailment) over those sentences ("sentence"), or over each gold group joined into
  one premise ("group", the sentences people marked as supporting together). AUROC supported
  vs rest and not_supported vs rest (1 - score). Rows without gold sentences (30 not_supported
  claims) have no evidence to compare and are left out; their count is reported. With --cosine,
  for reference, the same AUROC of the bundled embedder's max cosine over the same sentences.
- perturbation: ../shared/eval/build_perturbation_set.py (seed 7) changes one detail of each
  supported WiCE dev claim; each claim, as written (control) or changed, is compared with the
  gold evidence of its row, premises as above ("sentence", "group"). Three measures, each as a
  mean per kind and an AUROC changed vs control: the highest P(contradiction); the "aligned"
  contradiction share P(c) / (P(e) + P(c)) at the least neutral premise (of the evidence that
  speaks to the claim, does it say the opposite?); and 1 - the highest P(entailment). Also the
  share of claims whose least neutral premise has contradiction as its most probable label.

WiCE dev is evaluation-only for this model (it is not in the training data), so these are
held-out numbers for the model; the thresholds a verdict stage puts on them are not fitted here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verify.entail import BUNDLED_DIR, EntailmentModel  # noqa: E402


def default_shared() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "eval").is_dir():
            return base / "shared"
    return ROOT.parent / "shared"


def gold_groups(row: dict, detokenize) -> list[list[str]]:
    evidence = row["evidence"]
    groups = []
    for group in row["supporting_sentences"]:
        sentences = [detokenize(evidence[i]) for i in group if i < len(evidence)]
        if sentences:
            groups.append(sentences)
    return groups


def score_claims(
    model: EntailmentModel, items: list[tuple[str, list[list[str]]]]
) -> dict[str, list[np.ndarray]]:
    """Per claim, the probability rows of each gold sentence ("sentence") and of each gold group
    joined into one premise ("group"; a one-sentence group is that sentence)."""
    pairs: list[tuple[str, str]] = []
    owners: list[tuple[int, str]] = []
    for index, (claim, groups) in enumerate(items):
        for sentence in sorted({s for g in groups for s in g}):
            pairs.append((sentence, claim))
            owners.append((index, "sentence"))
        for group in groups:
            if len(group) > 1:
                pairs.append((" ".join(group), claim))
                owners.append((index, "group"))
    probabilities = model.predict(pairs)
    rows: dict[str, list[list[np.ndarray]]] = {key: [[] for _ in items] for key in ("sentence", "group")}
    for (index, key), p in zip(owners, probabilities, strict=True):
        rows[key][index].append(p)
        if key == "sentence":
            rows["group"][index].append(p)
    return {key: [np.array(r) for r in per_claim] for key, per_claim in rows.items()}


def max_entailment(rows: np.ndarray) -> float:
    return float(rows[:, 0].max())


def max_contradiction(rows: np.ndarray) -> float:
    return float(rows[:, 2].max())


def aligned_contradiction(rows: np.ndarray) -> float:
    """P(contradiction) / (P(entailment) + P(contradiction)) at the least neutral premise: of the
    evidence that speaks to the claim at all, does it say the opposite?"""
    best = rows[rows[:, 1].argmin()]
    return float(best[2] / max(best[0] + best[2], 1e-9))


def measure_speed(model: EntailmentModel, pairs: list[tuple[str, str]]) -> dict:
    model.predict(pairs[:32])  # load and warm up
    start = time.perf_counter()
    model.predict(pairs)
    seconds = time.perf_counter() - start
    return {
        "pairs": len(pairs),
        "seconds": round(seconds, 2),
        "pairs_per_second": round(len(pairs) / seconds, 1),
    }


def wice(model: EntailmentModel, rows: list[dict], detokenize, roc_auc, cosine: bool) -> dict:
    kept = [(row, gold_groups(row, detokenize)) for row in rows]
    skipped = [row for row, groups in kept if not groups]
    kept = [(row, groups) for row, groups in kept if groups]
    items = [(detokenize(row["claim"]), groups) for row, groups in kept]
    scores = score_claims(model, items)
    labels = [row["label"] for row, _ in kept]
    result: dict = {"claims": len(kept), "left_out_without_gold": len(skipped)}
    for key, per_claim in scores.items():
        entail = [max_entailment(rows) for rows in per_claim]
        result[key] = {
            "auroc_supported_vs_rest": round(
                roc_auc(
                    [e for e, lab in zip(entail, labels, strict=True) if lab == "supported"],
                    [e for e, lab in zip(entail, labels, strict=True) if lab != "supported"],
                ),
                4,
            ),
            "auroc_not_supported_vs_rest": round(
                roc_auc(
                    [1 - e for e, lab in zip(entail, labels, strict=True) if lab == "not_supported"],
                    [1 - e for e, lab in zip(entail, labels, strict=True) if lab != "not_supported"],
                ),
                4,
            ),
        }
    if cosine:
        result["max_cosine_reference"] = cosine_reference(items, labels, roc_auc)
    return result


def cosine_reference(items: list[tuple[str, list[list[str]]]], labels: list[str], roc_auc) -> dict:
    """The bundled embedder's max cosine over the same gold sentences, for comparison."""
    from verify.embed import make_embedder

    embedder = make_embedder("all-MiniLM-L6-v2", "onnx-int8")
    best = []
    for claim, groups in items:
        sentences = sorted({s for g in groups for s in g})
        vectors = embedder.encode([claim, *sentences])
        best.append(float((vectors[1:] @ vectors[0]).max()))
    return {
        "auroc_supported_vs_rest": round(
            roc_auc(
                [b for b, lab in zip(best, labels, strict=True) if lab == "supported"],
                [b for b, lab in zip(best, labels, strict=True) if lab != "supported"],
            ),
            4,
        )
    }


def perturbation(model: EntailmentModel, rows: list[dict], eval_dir: Path, detokenize, roc_auc) -> dict:
    by_id = {row["meta"]["id"]: row for row in rows}
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "perturb"
        data = Path(folder) / "dev.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        subprocess.run(
            [
                sys.executable,
                str(eval_dir / "build_perturbation_set.py"),
                str(data),
                str(corpus),
                "--seed",
                "7",
            ],
            check=True,
            capture_output=True,
        )
        labels = [
            json.loads(line) for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines()
        ]
    items = []
    for label in labels:
        source_id = label["pair"].rsplit("-", 1)[0]
        items.append((label["claim"], gold_groups(by_id[source_id], detokenize)))
    scores = score_claims(model, items)
    kinds = sorted({label["kind"] for label in labels})
    measures = {
        "max_p_contradiction": max_contradiction,
        "aligned_contradiction": aligned_contradiction,
        "not_entailed": lambda rows: 1 - max_entailment(rows),
    }
    result: dict = {"n": {k: sum(label["kind"] == k for label in labels) for k in kinds}}
    for key, per_claim in scores.items():
        control = [i for i, label in enumerate(labels) if label["kind"] == "control"]
        entry: dict = {}
        for name, measure in measures.items():
            values = np.array([measure(rows) for rows in per_claim])
            by_kind: dict = {"control_mean": round(float(values[control].mean()), 3)}
            for kind in [*kinds, "all_changed"]:
                if kind == "control":
                    continue
                chosen = [
                    i
                    for i, label in enumerate(labels)
                    if (label["kind"] != "control" if kind == "all_changed" else label["kind"] == kind)
                ]
                by_kind[kind] = {
                    "mean": round(float(values[chosen].mean()), 3),
                    "auroc_vs_control": round(roc_auc(list(values[chosen]), list(values[control])), 4),
                }
            entry[name] = by_kind
        most_probable = np.array([rows[rows[:, 1].argmin()].argmax() for rows in per_claim])
        entry["contradiction_most_probable_at_aligned_premise"] = {
            kind: round(
                float(
                    (most_probable[[i for i, lab in enumerate(labels) if lab["kind"] == kind]] == 2).mean()
                ),
                3,
            )
            for kind in kinds
        }
        result[key] = entry
    return result


def main() -> None:
    shared = default_shared()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=shared / "data" / "wice" / "dev.jsonl")
    parser.add_argument(
        "--eval", type=Path, default=shared / "eval", help="folder of the shared eval scripts"
    )
    parser.add_argument("--model", type=Path, default=BUNDLED_DIR)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--cosine", action="store_true", help="also the embedder's max cosine, for reference")
    args = parser.parse_args()

    sys.path.insert(0, str(args.eval))
    from build_wice_corpus import detokenize
    from score_wice import roc_auc

    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    model = EntailmentModel(args.model)
    result: dict = {"model": str(args.model), "load_before": os.getloadavg()[0]}
    if not args.skip_speed:
        pairs = [
            (detokenize(sentence), detokenize(row["claim"]))
            for row in rows
            for group in row["supporting_sentences"]
            for sentence in [row["evidence"][i] for i in group if i < len(row["evidence"])]
        ][:512]
        result["speed"] = measure_speed(model, pairs)
    result["wice_dev"] = wice(model, rows, detokenize, roc_auc, args.cosine)
    result["perturbation_dev"] = perturbation(model, rows, args.eval, detokenize, roc_auc)
    result["load_after"] = os.getloadavg()[0]
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
