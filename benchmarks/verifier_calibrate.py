"""Calibrate the learned verifier on WiCE dev and cross-validate the verdict it gives.

    python benchmarks/wice.py --out build/wice-verifier -- --verifier bundled
    python benchmarks/verifier_calibrate.py --out build/wice-verifier [--write]

Reads OUT/labels.jsonl and OUT/report.json (every claim carries its `signals`, `verifier` among
them: the model's highest P(supported) over the claim's windows). Fits a logistic of "supported"
on the log-odds of that signal (two numbers: a bias and a slope), in 5 folds, and prints the
cross-validated ROC AUCs, the best cross-validated balanced accuracy and its threshold, each with
the judge's entailment damping and item vetoes replayed, next to the same for the raw signal.
--write puts the fitted block into verify/tuning.py (between its VERIFIER FITTED markers).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from calibrate import DAMPING, ROOT, VETO, auc, fit, load, predict  # benchmarks/ is on sys.path

sys.path.insert(0, str(ROOT))
from verify.judge import damped
from verify.tuning import MISSING_PENALTY, VETO_MARGIN

SIGNALS = ("verifier", "verifier_local")  # best over all windows / over the local windows only
TUNING = ROOT / "verify" / "tuning.py"
BEGIN = "# BEGIN VERIFIER FITTED"
END = "# END VERIFIER FITTED"


def log_odds(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def vetoed(p: np.ndarray, vetoes: np.ndarray, threshold: float) -> np.ndarray:
    """The judge's item rule: a vetoed claim's score stays under the threshold."""
    capped = np.minimum(p, threshold - VETO_MARGIN) * MISSING_PENALTY ** np.maximum(vetoes - 1, 0)
    return np.where(vetoes > 0, capped, p)


def best_threshold(scores: np.ndarray, supported: np.ndarray, vetoes: np.ndarray) -> tuple[float, float]:
    def accuracy(t: float) -> float:
        said = (vetoed(scores, vetoes, t) >= t) & (vetoes == 0)
        return float((said[supported].mean() + (~said)[~supported].mean()) / 2)

    best = max(np.unique(scores), key=accuracy)
    return float(best), accuracy(best)


def cross_validate(
    raw: np.ndarray, gold: np.ndarray, vetoes: np.ndarray, contradiction: np.ndarray, folds: int = 5
) -> dict[str, float]:
    """Held-out scores (calibration and threshold fitted on the other folds) and their quality."""
    supported, not_supported = gold == "supported", gold == "not_supported"
    x = log_odds(raw)[:, None]
    fold = np.random.default_rng(0).permutation(len(x)) % folds
    held_out = np.zeros(len(x))
    said = np.zeros(len(x), dtype=bool)
    for k in range(folds):
        train, test = fold != k, fold == k
        w = fit(x[train], supported[train].astype(float))
        fitted = damped(predict(w, x), contradiction)
        t, _ = best_threshold(fitted[train], supported[train], vetoes[train])
        final = vetoed(fitted, vetoes, t)
        held_out[test] = final[test]
        said[test] = (final[test] >= t) & (vetoes[test] == 0)
    return {
        "auc_supported": auc(held_out, supported),
        "auc_not_supported": auc(-held_out, not_supported),
        "balanced_accuracy": float((said[supported].mean() + (~said)[~supported].mean()) / 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "wice-verifier")
    parser.add_argument("--write", action="store_true", help="write the fitted block into verify/tuning.py")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--signal", choices=SIGNALS, default=SIGNALS[0], help="the signal to fit")
    args = parser.parse_args()
    names, x, gold, _ = load(args.out)
    if args.signal not in names:
        sys.exit(f"{args.out / 'report.json'} has no '{args.signal}' signal: run verify with --verifier")
    column = {n: x[:, names.index(n)] if n in names else np.zeros(len(x)) for n in (*SIGNALS, VETO, DAMPING)}
    vetoes, contradiction = column[VETO], column[DAMPING]
    supported, not_supported = gold == "supported", gold == "not_supported"
    print(f"{len(x)} items: {supported.sum()} supported, {not_supported.sum()} not_supported")
    for signal in [s for s in SIGNALS if s in names]:
        raw = column[signal]
        print(
            f"{signal}: raw AUC supported {auc(raw, supported):.4f}, "
            f"not_supported {auc(-raw, not_supported):.4f}"
        )
        for label, damp in (("with the entailment damping", contradiction), ("without it", np.zeros(len(x)))):
            cv = cross_validate(raw, gold, vetoes, damp, args.folds)
            print(
                f"  {args.folds}-fold cross-validated, vetoes replayed, {label}: AUC supported "
                f"{cv['auc_supported']:.4f}, not_supported {cv['auc_not_supported']:.4f}, "
                f"balanced accuracy {cv['balanced_accuracy']:.4f}"
            )
    raw = column[args.signal]
    w = fit(log_odds(raw)[:, None], supported.astype(float))
    t, bal = best_threshold(damped(predict(w, log_odds(raw)[:, None]), contradiction), supported, vetoes)
    print(f"in-sample balanced accuracy {bal:.4f} at threshold {t:.3f}")
    block = f"VERIFIER_BIAS = {w[0]:.4f}\nVERIFIER_SLOPE = {w[1]:.4f}\nVERIFIER_SUPPORTED = {t:.3f}\n"
    print("\n" + block, end="")
    if args.write:
        text = TUNING.read_text(encoding="utf-8")
        start = text.index(BEGIN)
        body_start = text.index("\n", text.index("\n", start) + 1) + 1  # after the two comment lines
        end = text.index(END, start)
        TUNING.write_text(text[:body_start] + block + text[end:], encoding="utf-8")
        print(f"wrote the verifier block of {TUNING}")


if __name__ == "__main__":
    main()
