"""SummEdits domains left out of the verifier's training: are consistent summaries told from edited ones?

    python benchmarks/summedits.py --summedits FACTUALNLG/data/summedits \
        [--domains sales_email scitldr] [--verifier verify/data/verifier] [--rows 300]

SummEdits (salesforce/factualNLG, Apache-2.0): documents with summaries, some minimally edited to
become inconsistent. The news domain is held out for the project and never read. For each summary
sentence the windows are the 4 runs of 3 consecutive document sentences that share most words with
it (as training/verifier_data.py builds them); a summary's score is its weakest sentence's highest
score over its windows. Prints, per domain, the ROC AUC consistent vs not and the balanced accuracy
at the threshold fitted on the other domains listed, and the CPU time a pair took, for the
verifier, the bundled entailment model's P(entailment) over the same windows, and the share of the
sentence's words the best window has (a similarity baseline).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from calibrate import ROOT, auc  # benchmarks/ is on sys.path

sys.path.insert(0, str(ROOT))
from training.verifier_data import HELD_OUT_SUMMEDITS, content_words, ranked_centres, window
from verify.entail import load_bundled
from verify.sentences import split
from verify.verifier import VerifierModel

WINDOWS = 4


def sampled(folder: Path, domain: str, rows: int, seed: int) -> list[dict]:
    """`rows` summaries of a domain, drawn with `seed` (the news domain is refused: held out)."""
    if domain in HELD_OUT_SUMMEDITS:
        raise SystemExit(f"SummEdits {domain} is held out: never read it")
    data = json.loads((folder / f"summedits_{domain}.json").read_text(encoding="utf-8"))
    return random.Random(seed).sample(data, min(rows, len(data)))


def add_sample_arguments(parser: argparse.ArgumentParser, rows: int) -> None:
    """--summedits, --domains, --rows and --seed: which summaries are read."""
    parser.add_argument(
        "--summedits", type=Path, required=True, help="data/summedits of salesforce/factualNLG"
    )
    parser.add_argument("--domains", nargs="+", default=["sales_email", "scitldr"])
    parser.add_argument("--rows", type=int, default=rows, help="summaries sampled per domain")
    parser.add_argument("--seed", type=int, default=0)


def items(folder: Path, domain: str, rows: int, seed: int) -> list[tuple[list[tuple[str, str]], bool]]:
    """Each sampled summary: its (window, sentence) pairs and whether it is consistent."""
    out = []
    for row in sampled(folder, domain, rows, seed):
        sentences = split(row["doc"])
        claims = split(row["summary"])
        if not sentences or not claims:
            continue
        pairs = [
            (window(sentences, centre), claim)
            for claim in claims
            for centre in ranked_centres(sentences, claim)[:WINDOWS]
        ]
        out.append((pairs, str(row["label"]) == "1"))
    return out


def summary_scores(
    data: list[tuple[list[tuple[str, str]], bool]], scores: dict[tuple[str, str], float]
) -> np.ndarray:
    out = []
    for pairs, _ in data:
        by_claim: dict[str, float] = {}
        for pair in pairs:
            by_claim[pair[1]] = max(by_claim.get(pair[1], 0.0), scores[pair])
        out.append(min(by_claim.values()))
    return np.array(out)


def balanced(scores: np.ndarray, gold: np.ndarray, t: float) -> float:
    said = scores >= t
    return float((said[gold].mean() + (~said)[~gold].mean()) / 2)


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    return float(max(np.unique(scores), key=lambda t: balanced(scores, gold, t)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_sample_arguments(parser, rows=300)
    parser.add_argument("--verifier", type=Path, default=ROOT / "verify" / "data" / "verifier")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    data = {d: items(args.summedits, d, args.rows, args.seed) for d in args.domains}
    pairs = sorted({p for rows in data.values() for pairs, _ in rows for p in pairs})
    print(f"{sum(len(r) for r in data.values())} summaries, {len(pairs)} distinct (window, sentence) pairs")
    scorers = {"verifier": lambda ps: VerifierModel(args.verifier).predict(ps)}
    entail = load_bundled()
    if entail is not None:
        scorers["entailment model"] = lambda ps: entail.predict(ps)[:, 0]
    scorers["word overlap"] = lambda ps: np.array(
        [len(content_words(c) & content_words(w)) / max(1, len(content_words(c))) for w, c in ps]
    )
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, scorer in scorers.items():
        started = time.process_time()
        table = dict(zip(pairs, (float(s) for s in scorer(pairs)), strict=True))
        cpu = time.process_time() - started
        ms_per_pair = 1000 * cpu / max(1, len(pairs))
        print(f"{name:17s} {cpu:.1f} CPU s, {ms_per_pair:.1f} ms a pair")
        per_domain = {d: summary_scores(rows, table) for d, rows in data.items()}
        gold = {d: np.array([g for _, g in rows]) for d, rows in data.items()}
        results[name] = {}
        for d in args.domains:
            others = [o for o in args.domains if o != d] or [d]
            t = best_threshold(
                np.concatenate([per_domain[o] for o in others]), np.concatenate([gold[o] for o in others])
            )
            results[name][d] = {
                "cpu_ms_per_pair": ms_per_pair,
                "auc": auc(per_domain[d], gold[d]),
                "balanced_accuracy": balanced(per_domain[d], gold[d], t),
                "threshold": t,
            }
            r = results[name][d]
            print(
                f"{name:17s} {d:12s} AUC {r['auc']:.3f}  balanced accuracy {r['balanced_accuracy']:.3f} "
                f"(threshold {t:.3f} from {', '.join(others)})"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
