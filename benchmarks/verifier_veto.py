"""Choose the verifier's agreement threshold (VERIFIER_AGREES) by replaying it on reports.

    python benchmarks/refutations.py --out build/ref-v -- --verifier bundled
    python benchmarks/summedits_verify.py --summedits FACTUALNLG/data/summedits --out build/se-v \
        -- --verifier bundled
    python benchmarks/wice.py --out build/wice-v -- --verifier bundled
    python benchmarks/verifier_veto.py --refutations build/ref-v --summedits build/se-v --wice build/wice-v

With the verifier on, every claim the similarity judge calls supported carries the verifier's
best P(supported) (`verifier`) and its score before the verifier was asked (`before_verifier`).
For each threshold this replays the judge's rule (under the threshold: not supported, the score
capped under THRESHOLD_PARTIAL, as for a claim with no part stated) and scores the replayed
report: the refutations dev set (AUROC supported vs refuted, and how often each label is called
supported), the SummEdits domains left out of the verifier's training (AUC and balanced
accuracy per domain), and WiCE dev by ../shared/eval/score_wice.py. "off" is the judge without
the verifier. Choose on refutations and SummEdits; WiCE dev checks that the choice holds there.
Thresholds above VERIFIER_SURE replay only from reports written with VERIFY_VERIFIER_READ_ALL=1
(every window read): say so with --all-windows.
"""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from refutations import DATA, ROOT, claim_results, load, score  # benchmarks/ is on sys.path
from summedits_verify import summedits_figures

sys.path.insert(0, str(ROOT))
from verify.tuning import THRESHOLD_PARTIAL, VERIFIER_AGREES, VERIFIER_SURE, VETO_MARGIN

EVAL = ROOT.parent / "shared" / "eval"
# a claim whose best window reached VERIFIER_SURE had its other windows unread: thresholds above it
# cannot be replayed (the run with VERIFIER_SURE 0.5 gave 0.2 and 0.3 in docs/verdicts.md),
# unless the reports were written with VERIFY_VERIFIER_READ_ALL=1 (--all-windows)
EVERY_THRESHOLD = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3)
THRESHOLDS = tuple(t for t in EVERY_THRESHOLD if t <= VERIFIER_SURE)


def replayed(report: dict[str, Any], threshold: float | None) -> dict[str, Any]:
    """The report as the judge would have written it with VERIFIER_AGREES = threshold (None: off)."""
    out = copy.deepcopy(report)
    for article in out.get("articles", []):
        for claim in article.get("claims", []):
            signals = dict(claim.get("signals") or [])
            if "before_verifier" not in signals:
                continue  # the similarity judge did not call it supported: the verifier was not asked
            before = float(signals["before_verifier"])
            if threshold is not None and float(signals["verifier"]) < threshold:
                claim["verdict"], claim["score"] = "unsupported", min(before, THRESHOLD_PARTIAL - VETO_MARGIN)
            else:
                claim["verdict"], claim["score"] = "supported", before
    return out


def refutation_figures(report: dict[str, Any]) -> str:
    claims = [{**c, "page": p["id"]} for p in load(DATA) for c in p["claims"]]
    s = score(claims, claim_results(report))
    return (
        f"AUROC {s['auroc_supported_vs_refuted']:.3f}, called supported: "
        f"SUPPORTED {s['supported_called_supported']:.3f} REFUTED {s['refuted_called_supported']:.3f} "
        f"NEI {s['nei_called_supported']:.3f}"
    )


def wice_figures(report: dict[str, Any], labels: Path) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(report, f)
    done = subprocess.run(
        [sys.executable, str(EVAL / "score_wice.py"), str(labels), f.name], capture_output=True, text=True
    )
    Path(f.name).unlink()
    s = json.loads(done.stdout[: done.stdout.rindex("}") + 1])
    return (
        f"AUROC {s['auroc_supported_vs_rest']:.3f} / {s['auroc_not_supported_vs_rest']:.3f}, "
        f"balanced accuracy {s['balanced_accuracy_verdicts']:.3f}"
    )


def print_figures(
    reports: dict[str, dict[str, Any]], gold: dict[str, tuple[str, bool]], wice: Path | None
) -> None:
    """The figures of each report, named refutations, summedits or wice (with WICE/labels.jsonl)."""
    for name, report in reports.items():
        if name == "refutations":
            print(f"  refutations  {refutation_figures(report)}")
        elif name == "summedits":
            for domain, row in summedits_figures(report, gold).items():
                figures = f"AUC {row['auc']:.3f}, balanced accuracy {row['balanced_accuracy']:.3f}"
                print(f"  summedits    {domain}: {figures}")
        elif wice is not None:
            print(f"  wice dev     {wice_figures(report, wice / 'labels.jsonl')}")


def reports_parser(description: str | None, required: bool = False) -> argparse.ArgumentParser:
    """The options naming the three benchmarks' OUT folders (their report.json, written verifier on)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--refutations", type=Path, required=required, help="OUT of benchmarks/refutations.py"
    )
    parser.add_argument(
        "--summedits", type=Path, required=required, help="OUT of benchmarks/summedits_verify.py"
    )
    parser.add_argument("--wice", type=Path, required=required, help="OUT of benchmarks/wice.py")
    return parser


def load_reports(args: argparse.Namespace) -> tuple[dict[str, dict[str, Any]], dict[str, tuple[str, bool]]]:
    """Each given folder's report, named refutations, summedits or wice; SummEdits' gold labels."""
    sets = {
        name: json.loads((folder / "report.json").read_text(encoding="utf-8"))
        for name, folder in (
            ("refutations", args.refutations),
            ("summedits", args.summedits),
            ("wice", args.wice),
        )
        if folder is not None
    }
    gold: dict[str, tuple[str, bool]] = {}
    if args.summedits:
        gold = {k: (v[0], v[1]) for k, v in json.loads((args.summedits / "gold.json").read_text()).items()}
    return sets, gold


def main() -> None:
    parser = reports_parser(__doc__)
    parser.add_argument(
        "--all-windows", action="store_true", help="every window was read (VERIFY_VERIFIER_READ_ALL=1)"
    )
    args = parser.parse_args()
    sets, gold = load_reports(args)
    for threshold in (None, *(EVERY_THRESHOLD if args.all_windows else THRESHOLDS)):
        mark = " (VERIFIER_AGREES)" if threshold == VERIFIER_AGREES else ""
        print(f"threshold {'off' if threshold is None else threshold}{mark}")
        print_figures({name: replayed(report, threshold) for name, report in sets.items()}, gold, args.wice)


if __name__ == "__main__":
    main()
