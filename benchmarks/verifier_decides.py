"""Should the verifier decide support, not only confirm it? Replayed on reports, chosen across sets.

    export VERIFY_VERIFIER_READ_ALL=1        # every claim with evidence is read, against every window
    python benchmarks/wice.py --out build/ra-wice -- --verifier MODEL
    python benchmarks/refutations.py --out build/ra-ref -- --verifier MODEL
    python benchmarks/summedits_verify.py --summedits FACTUALNLG/data/summedits --out build/ra-se \
        -- --verifier MODEL
    python benchmarks/verifier_decides.py --wice build/ra-wice --refutations build/ra-ref \
        --summedits build/ra-se

Each claim of the three reports carries the similarity judge's score and verdict before the verifier
(`before_verifier` when it proposed "supported"), its typed vetoes (`vetoes`) and the verifier's best
P(supported) over its windows (`verifier`). Three rules are replayed:

- **off**: the similarity judge alone;
- **confirm**: today's rule, a proposed "supported" stands when the verifier reaches VERIFIER_AGREES;
- **decide**: every claim without a typed veto or conflict gets P(supported) = sigmoid(a + b logit(verifier)
  [+ c logit(similarity score)]), supported at a threshold; a claim with a veto keeps its verdict, its
  score capped by that P. The weights and the threshold are fitted on the *other* sets only
  (WiCE dev and the refutations set predict each other; both predict SummEdits; WiCE dev is also
  5-fold cross-validated), so no figure printed is fitted on its own data.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from calibrate import auc, fit  # benchmarks/ is on sys.path
from refutations import DATA, SUPPORTED, load
from verifier_veto import print_figures, replayed, reports_parser, wice_figures

EPS = 1e-4
THRESHOLDS = np.linspace(0.02, 0.98, 49)


@dataclass
class Row:
    """One claim: where it is in its report, its gold label (1 supported), and what the judge read."""

    article: int
    claim: int
    gold: int
    verdict: str  # the similarity judge's verdict, before the verifier
    similarity: float  # the similarity judge's score, before the verifier
    verifier: float
    vetoed: bool  # a typed veto or conflict: the verifier may not make it supported


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.log(p / (1 - p))


def rows_of(report: dict[str, Any], gold_of: dict[str, int]) -> list[Row]:
    rows = []
    for a, article in enumerate(report.get("articles", [])):
        stem = Path(article["path"]).stem
        if stem not in gold_of:
            continue
        for c, claim in enumerate(article.get("claims", [])):
            if claim.get("verdict") == "not_checkable":
                continue
            signals = dict(claim.get("signals") or [])
            proposed = "before_verifier" in signals
            verdict = "supported" if proposed else str(claim["verdict"])
            similarity = float(signals["before_verifier"]) if proposed else float(claim["score"])
            vetoed = verdict == "contradicted" or float(signals.get("vetoes", 0)) > 0
            rows.append(
                Row(a, c, gold_of[stem], verdict, similarity, float(signals.get("verifier", 0.0)), vetoed)
            )
    return rows


def features(rows: list[Row], with_similarity: bool) -> np.ndarray:
    columns = [logit(np.array([r.verifier for r in rows]))]
    if with_similarity:
        columns.append(logit(np.array([r.similarity for r in rows])))
    return np.stack(columns, axis=1)


@dataclass
class Rule:
    weights: np.ndarray
    threshold: float
    with_similarity: bool

    def probability(self, rows: list[Row]) -> np.ndarray:
        x = features(rows, self.with_similarity)
        return 1 / (1 + np.exp(-(self.weights[0] + x @ self.weights[1:])))

    def apply(self, rows: list[Row]) -> tuple[list[str], np.ndarray]:
        p = self.probability(rows)
        verdicts, scores = [], []
        for row, q in zip(rows, p, strict=True):
            if row.vetoed:
                verdicts.append(row.verdict)
                scores.append(min(q, row.similarity))
            elif q >= self.threshold:
                verdicts.append("supported")
                scores.append(q)
            else:
                verdicts.append("unsupported" if row.verdict == "unsupported" else "partially_supported")
                scores.append(q)
        return verdicts, np.array(scores)


def balanced_accuracy(said: np.ndarray, gold: np.ndarray) -> float:
    return float((said[gold == 1].mean() + (~said[gold == 0]).mean()) / 2)


def fitted(rows: list[Row], with_similarity: bool) -> Rule:
    """Weights on the claims the rule decides; the threshold of best balanced accuracy over all rows."""
    free = [r for r in rows if not r.vetoed]
    weights = fit(features(free, with_similarity), np.array([r.gold for r in free], dtype=float), l2=1.0)
    gold = np.array([r.gold for r in rows])

    def accuracy(threshold: float) -> float:
        verdicts, _ = Rule(weights, threshold, with_similarity).apply(rows)
        return balanced_accuracy(np.array([v == "supported" for v in verdicts]), gold)

    return Rule(weights, float(max(THRESHOLDS, key=accuracy)), with_similarity)


def decide(out: dict[str, Any], rows: list[Row], rule: Rule) -> None:
    """Write the rule's verdict and score into each row's claim of the report `out`."""
    verdicts, scores = rule.apply(rows)
    for row, verdict, score in zip(rows, verdicts, scores, strict=True):
        claim = out["articles"][row.article]["claims"][row.claim]
        claim["verdict"], claim["score"] = verdict, round(float(score), 4)


def applied(report: dict[str, Any], rows: list[Row], rule: Rule) -> dict[str, Any]:
    out = copy.deepcopy(report)
    decide(out, rows, rule)
    return out


def describe(rule: Rule) -> str:
    names = ["bias", "logit(verifier)"] + (["logit(similarity)"] if rule.with_similarity else [])
    weights = ", ".join(f"{n} {w:+.2f}" for n, w in zip(names, rule.weights, strict=True))
    return f"{weights}; supported at {rule.threshold:.2f}"


def main() -> None:
    parser = reports_parser(__doc__, required=True)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    reports = {
        name: json.loads((folder / "report.json").read_text(encoding="utf-8"))
        for name, folder in (("wice", args.wice), ("ref", args.refutations), ("se", args.summedits))
    }
    wice_gold = {
        row["id"]: int(row["label"] == "supported")
        for row in map(json.loads, (args.wice / "labels.jsonl").read_text().splitlines())
    }
    ref_gold = {c["id"]: int(c["label"] == SUPPORTED) for p in load(DATA) for c in p["claims"]}
    se_labels = {k: (v[0], v[1]) for k, v in json.loads((args.summedits / "gold.json").read_text()).items()}
    rows = {
        "wice": rows_of(reports["wice"], wice_gold),
        "ref": rows_of(reports["ref"], ref_gold),
        "se": rows_of(reports["se"], {k: int(v[1]) for k, v in se_labels.items()}),
    }

    def show(title: str, wice: dict[str, Any], ref: dict[str, Any], se: dict[str, Any]) -> None:
        print(title)
        print_figures({"refutations": ref, "summedits": se, "wice": wice}, se_labels, args.wice)

    print("ROC AUC of each signal, gold supported vs the rest (all claims; those the judge proposes)")
    for name, report, gold_of in (("wice", reports["wice"], wice_gold), ("ref", reports["ref"], ref_gold)):
        print(f"  {name:5} {signal_aucs(report, gold_of)}")
    for name, threshold in (("off", None), ("confirm (VERIFIER_AGREES)", 0.05)):
        show(name, *(replayed(reports[k], threshold) for k in ("wice", "ref", "se")))
    for with_similarity in (False, True):
        kind = "verifier and similarity" if with_similarity else "verifier alone"
        on_wice, on_ref = fitted(rows["wice"], with_similarity), fitted(rows["ref"], with_similarity)
        on_both = fitted(rows["wice"] + rows["ref"], with_similarity)
        print(f"decide, {kind}: fitted on WiCE dev: {describe(on_wice)}")
        print(f"  fitted on refutations: {describe(on_ref)}; on both: {describe(on_both)}")
        show(
            "  each set scored by the rule fitted on the other (SummEdits: on both)",
            applied(reports["wice"], rows["wice"], on_ref),
            applied(reports["ref"], rows["ref"], on_wice),
            applied(reports["se"], rows["se"], on_both),
        )
        folds = cross_validated(reports["wice"], rows["wice"], args.folds, with_similarity)
        figures = wice_figures(folds, args.wice / "labels.jsonl")
        print(f"  wice dev, {args.folds}-fold cross-validated: {figures}")


SIGNALS = ("verifier", "entailment", "coverage", "similarity")


def signal_aucs(report: dict[str, Any], gold_of: dict[str, int]) -> str:
    """How well each signal ranks the claims by itself: over all claims, and over the proposed ones."""
    claims = [
        (gold_of[Path(a["path"]).stem], dict(c.get("signals") or []))
        for a in report.get("articles", [])
        if Path(a["path"]).stem in gold_of
        for c in a.get("claims", [])
        if c.get("verdict") != "not_checkable"
    ]
    proposed = [(g, s) for g, s in claims if "before_verifier" in s]
    out = []
    for signal in SIGNALS:
        figures = []
        for subset in (claims, proposed):
            gold = np.array([g == 1 for g, _ in subset])
            figures.append(auc(np.array([float(s.get(signal, 0.0)) for _, s in subset]), gold))
        out.append(f"{signal} {figures[0]:.3f} ({figures[1]:.3f})")
    return f"{len(claims)} claims ({len(proposed)} proposed): " + ", ".join(out)


def cross_validated(report: dict[str, Any], rows: list[Row], folds: int, with_similarity: bool) -> dict:
    """The report with each article's claims decided by the rule fitted on the other folds."""
    out = copy.deepcopy(report)
    fold_of = {a: i % folds for i, a in enumerate(sorted({r.article for r in rows}))}
    for k in range(folds):
        rule = fitted([r for r in rows if fold_of[r.article] != k], with_similarity)
        decide(out, [r for r in rows if fold_of[r.article] == k], rule)
    return out


if __name__ == "__main__":
    main()
