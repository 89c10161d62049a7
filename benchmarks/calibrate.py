"""Refit the verdict score on WiCE dev: logistic regression over the judge's signals.

    python benchmarks/calibrate.py [--out build/wice-dev] [--save] [--write]
    python benchmarks/calibrate.py --data benchmarks/calibration/wice-dev.json [--write]

Reads OUT/labels.jsonl and OUT/report.json (made by benchmarks/wice.py; every claim carries
its `signals`), or the committed calibration data (--data: each article's weakest claim's
signals and gold label, saved from such a run with --save). Fits an L2-regularised logistic
regression of "supported" on the signals and prints: each signal's own ROC AUC, 5-fold
cross-validated AUCs (an honest estimate for unseen data; the fitted score is first lowered by
the entailment model's `contradiction`, as the judge does), the threshold with the best
cross-validated balanced accuracy, the same with the judge's item vetoes replayed (the
`vetoes` signal: key items no source states, conflicts; such a claim is never "supported" and
its score is capped under the threshold), and the fitted block of verify/tuning.py, which
--write puts in place (tests/verdict/test_tuning.py checks that the committed block is what this
script fits from the committed data). Only numpy and verify itself are used.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
L2 = 1.0
VETO = "vetoes"  # key items the evidence does not state: a rule of the judge, not a fitted signal
DAMPING = "contradiction"  # the entailment model's, which lowers the fitted score: replayed, not fitted
# reported by the entailment model but kept out of the score (verify/tuning.py says why)
NOT_FITTED = ("entailment", "nli_entailment", "verifier", "verifier_local", "before_verifier")
sys.path.insert(0, str(ROOT))
from verify.judge import damped  # noqa: E402  (the judge's rule, called on arrays)
from verify.tuning import MISSING_PENALTY as PENALTY  # noqa: E402  (the judge's rule, replayed here)
from verify.tuning import THRESHOLD_SUPPORTED, VETO_MARGIN  # noqa: E402

CAP = THRESHOLD_SUPPORTED - VETO_MARGIN  # a vetoed claim's score stays just under the threshold
DATA = ROOT / "benchmarks" / "calibration" / "wice-dev.json"
TUNING = ROOT / "verify" / "tuning.py"
BEGIN = "# BEGIN FITTED by benchmarks/calibrate.py --write"
END = "# END FITTED"


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
            names = [n for n in claims[0]["signals"] if n not in NOT_FITTED]
            names += [DAMPING] if DAMPING not in names else []  # 0 for a run without the model
        # the article's score is its weakest claim's, as the scorer takes it
        weakest = min(claims, key=lambda c: c["score"])
        rows.append([weakest["signals"].get(n, 0.0) for n in names])
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


def save_data(path: Path, names: list[str], x: np.ndarray, gold: np.ndarray) -> None:
    """The calibration data: signal names, one row per article (its weakest claim), gold labels."""
    rows = [[float(v) for v in row] for row in x]
    data = {"source": "benchmarks/wice.py on WiCE dev", "signals": names, "gold": list(map(str, gold))}
    path.parent.mkdir(parents=True, exist_ok=True)
    body = ",\n".join(json.dumps(row) for row in rows)
    text = json.dumps(data, indent=1)[:-2] + ',\n "rows": [\n' + body + "\n ]\n}\n"
    path.write_text(text, encoding="utf-8")


def load_data(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["signals"]), np.array(data["rows"], dtype=float), np.array(data["gold"])


def calibrate(names: list[str], x: np.ndarray, gold: np.ndarray, folds: int = 5, show: bool = True) -> str:
    """Fit the score, print the cross-validated quality, and return the fitted block of verify/tuning.py."""
    say = print if show else (lambda *a, **k: None)
    replayed = {}
    for name in (VETO, DAMPING):
        replayed[name] = x[:, names.index(name)] if name in names else np.zeros(len(x))
        if name in names:
            x = np.delete(x, names.index(name), axis=1)
            names = [n for n in names if n != name]
    vetoes, contradiction = replayed[VETO], replayed[DAMPING]
    supported = gold == "supported"
    not_supported = gold == "not_supported"
    say(f"{len(x)} items: {supported.sum()} supported, {not_supported.sum()} not_supported")
    for i, name in enumerate(names):
        say(f"  signal {name:22s} AUC supported={auc(x[:, i], supported):.3f}")

    rng = np.random.default_rng(0)
    fold = rng.permutation(len(x)) % folds
    held_out = np.zeros(len(x))
    for k in range(folds):
        w = fit(x[fold != k], supported[fold != k].astype(float))
        held_out[fold == k] = predict(w, x[fold == k])
    held_out = damped(held_out, contradiction)
    say(f"cross-validated AUC supported vs rest:     {auc(held_out, supported):.4f}")
    say(f"cross-validated AUC not_supported vs rest: {auc(-held_out, not_supported):.4f}")
    best = max(
        np.unique(held_out),
        key=lambda t: ((held_out >= t)[supported].mean() + (held_out < t)[~supported].mean()) / 2,
    )
    bal = ((held_out >= best)[supported].mean() + (held_out < best)[~supported].mean()) / 2
    say(f"best threshold {best:.3f}: cross-validated balanced accuracy {bal:.4f}")
    final = with_vetoes(held_out, vetoes)
    t, bal_vetoed = balanced(final, supported, vetoes)
    say(
        f"with the item vetoes ({int((vetoes > 0).sum())} items vetoed): cross-validated AUC supported "
        f"{auc(final, supported):.4f}, not_supported {auc(-final, not_supported):.4f}, "
        f"balanced accuracy {bal_vetoed:.4f} at threshold {t:.3f}"
    )

    w = fit(x, supported.astype(float))
    full = damped(predict(w, x), contradiction)
    say(f"in-sample AUC supported {auc(full, supported):.4f}, not_supported {auc(-full, not_supported):.4f}")
    lines = ["COEFFICIENTS: dict[str, float] = {", f'    "bias": {w[0]:.4f},']
    lines += [f'    "{name}": {value:.4f},' for name, value in zip(names, w[1:], strict=True)]
    lines += ["}", f"THRESHOLD_SUPPORTED = {t:.3f}"]
    return "\n".join(lines) + "\n"


def fitted_block(text: str) -> str:
    """The lines between the FITTED markers of verify/tuning.py's text (the markers' comments excluded)."""
    start = text.index(BEGIN)
    body = text[start : text.index(END, start)]
    return "".join(line for line in body.splitlines(keepends=True) if not line.startswith("#"))


def write_block(text: str, block: str) -> str:
    """verify/tuning.py's text with the fitted block replaced."""
    old = fitted_block(text)
    start = text.index(BEGIN)
    at = text.index(old, start)
    return text[:at] + block + text[at + len(old) :]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "wice-dev")
    parser.add_argument("--report", type=Path, default=None, help="default: OUT/report.json")
    parser.add_argument(
        "--data", type=Path, default=None, help=f"calibration data to fit (e.g. {DATA.relative_to(ROOT)})"
    )
    parser.add_argument(
        "--save", action="store_true", help=f"save the run's calibration data to {DATA.relative_to(ROOT)}"
    )
    parser.add_argument("--write", action="store_true", help="write the fitted block into verify/tuning.py")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if args.data is not None:
        names, x, gold = load_data(args.data)
    else:
        names, x, gold, _ = load(args.out, args.report)
        if args.save:
            save_data(DATA, names, x, gold)
            print(f"saved {len(x)} items to {DATA}")
    block = calibrate(names, x, gold, args.folds)
    print("\n" + block, end="")
    if args.write:
        TUNING.write_text(write_block(TUNING.read_text(encoding="utf-8"), block), encoding="utf-8")
        print(f"wrote the fitted block of {TUNING}")


if __name__ == "__main__":
    main()
