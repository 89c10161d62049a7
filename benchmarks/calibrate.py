"""Refit the verdict score on WiCE dev: logistic regression over the judge's signals.

    python benchmarks/calibrate.py [--out build/wice-dev]

Reads OUT/labels.jsonl and OUT/report.json (made by benchmarks/wice.py; every claim carries
its `signals`), fits an L2-regularised logistic regression of "supported" on the signals,
and prints: each signal's own ROC AUC, 5-fold cross-validated AUCs (an honest estimate for
unseen data), the threshold with the best cross-validated balanced accuracy, and the
COEFFICIENTS block to paste into verify/judge.py. Only numpy is used.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
L2 = 1.0
VETO = "vetoes"  # key items the evidence does not state: a rule of the judge, not a fitted signal
CAP = 0.36  # the judge caps a vetoed claim's score just under its threshold ...
PENALTY = 0.7  # ... and multiplies it by this for each further vetoing item


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    pos, neg = scores[positive], scores[~positive]
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Newton's method on the penalised log-likelihood (the bias is not penalised)."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-xb @ w))
        gradient = xb.T @ (p - y) + penalty * w
        hessian = xb.T @ (xb * (p * (1 - p))[:, None]) + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(w[0] + x @ w[1:])))


def load(out: Path, report_path: Path | None = None) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    labels = {}
    for line in (out / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[row["id"]] = row["label"]
    report = json.loads((report_path or out / "report.json").read_text(encoding="utf-8"))
    names: list[str] = []
    rows, gold = [], []
    for article in report["articles"]:
        claims = [c for c in article["claims"] if c.get("signals")]
        if not claims:
            continue
        if not names:
            names = list(claims[0]["signals"])
        # the article's score is its weakest claim's, as the scorer takes it
        weakest = min(claims, key=lambda c: c["score"])
        rows.append([weakest["signals"][n] for n in names])
        gold.append(labels[Path(article["path"]).stem])
    return names, np.array(rows, dtype=float), np.array(gold), names


def with_vetoes(p: np.ndarray, vetoes: np.ndarray) -> np.ndarray:
    """The judge's score after its item rule: a vetoed claim stays under the threshold."""
    capped = np.minimum(p, CAP) * PENALTY ** np.maximum(vetoes - 1, 0)
    return np.where(vetoes > 0, capped, p)


def balanced(scores: np.ndarray, supported: np.ndarray, vetoes: np.ndarray) -> tuple[float, float]:
    """The threshold with the best balanced accuracy of 'supported' verdicts (never for a vetoed claim)."""

    def accuracy(t: float) -> float:
        said = (scores >= t) & (vetoes == 0)
        return float((said[supported].mean() + (~said)[~supported].mean()) / 2)

    best = max(np.unique(scores), key=accuracy)
    return float(best), accuracy(best)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "wice-dev")
    parser.add_argument("--report", type=Path, default=None, help="default: OUT/report.json")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    names, x, gold, _ = load(args.out, args.report)
    vetoes = x[:, names.index(VETO)] if VETO in names else np.zeros(len(x))
    if VETO in names:
        x = np.delete(x, names.index(VETO), axis=1)
        names = [n for n in names if n != VETO]
    supported = gold == "supported"
    not_supported = gold == "not_supported"
    print(f"{len(x)} items: {supported.sum()} supported, {not_supported.sum()} not_supported")
    for i, name in enumerate(names):
        print(f"  signal {name:22s} AUC supported={auc(x[:, i], supported):.3f}")

    rng = np.random.default_rng(0)
    folds = rng.permutation(len(x)) % args.folds
    held_out = np.zeros(len(x))
    for k in range(args.folds):
        w = fit(x[folds != k], supported[folds != k].astype(float))
        held_out[folds == k] = predict(w, x[folds == k])
    print(f"cross-validated AUC supported vs rest:     {auc(held_out, supported):.4f}")
    print(f"cross-validated AUC not_supported vs rest: {auc(-held_out, not_supported):.4f}")
    best = max(
        np.unique(held_out),
        key=lambda t: ((held_out >= t)[supported].mean() + (held_out < t)[~supported].mean()) / 2,
    )
    bal = ((held_out >= best)[supported].mean() + (held_out < best)[~supported].mean()) / 2
    print(f"best threshold {best:.3f}: cross-validated balanced accuracy {bal:.4f}")
    final = with_vetoes(held_out, vetoes)
    t, bal_vetoed = balanced(final, supported, vetoes)
    print(
        f"with the item vetoes ({int((vetoes > 0).sum())} items vetoed): cross-validated AUC supported "
        f"{auc(final, supported):.4f}, not_supported {auc(-final, not_supported):.4f}, "
        f"balanced accuracy {bal_vetoed:.4f} at threshold {t:.3f}"
    )

    w = fit(x, supported.astype(float))
    full = predict(w, x)
    print(
        f"in-sample AUC supported {auc(full, supported):.4f}, not_supported {auc(-full, not_supported):.4f}"
    )
    print("\nCOEFFICIENTS: dict[str, float] = {")
    print(f'    "bias": {w[0]:.4f},')
    for name, value in zip(names, w[1:], strict=True):
        print(f'    "{name}": {value:.4f},')
    print("}")
    print(f"THRESHOLD_SUPPORTED = {best:.3f}")


if __name__ == "__main__":
    main()
