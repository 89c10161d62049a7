"""Should every part of a compound claim be stated before the claim is supported? Replayed on reports.

    export VERIFY_VERIFIER_READ_ALL=1        # every part of a compound claim is read, against 2 windows
    python benchmarks/wice.py --out build/ra-wice
    python benchmarks/refutations.py --out build/ra-ref
    python benchmarks/summedits_verify.py --summedits FACTUALNLG/data/summedits --out build/ra-se
    python benchmarks/verifier_parts.py --wice build/ra-wice --refutations build/ra-ref \
        --summedits build/ra-se

Today the parts of a compound claim are read only when the verifier does not confirm the claim as a
whole (to name the part that is not stated). The rule replayed here reads them for every claim the
verifier confirms: when the weakest part's best P(supported) (`verifier_weakest_part`) is under a
threshold, the claim is partially supported (its score capped under THRESHOLD_SUPPORTED, as for a
missing item). "confirm" is today's rule. The threshold is not fitted here: every one is printed for
every set, so a choice can be made on the sets it is not judged by.
"""

from __future__ import annotations

from typing import Any

from verifier_veto import load_reports, print_figures, replayed, reports_parser  # benchmarks/ on sys.path

from verify.tuning import THRESHOLD_SUPPORTED, VERIFIER_AGREES, VETO_MARGIN

PART_THRESHOLDS = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5)


def parts_replayed(report: dict[str, Any], threshold: float | None) -> tuple[dict[str, Any], int]:
    """Today's report, and each confirmed claim whose weakest part is under `threshold` made partial
    (None: today's rule); with how many claims changed."""
    out = replayed(report, VERIFIER_AGREES)
    changed = 0
    for article in out.get("articles", []):
        for claim in article.get("claims", []):
            weakest = dict(claim.get("signals") or []).get("verifier_weakest_part")
            if threshold is None or claim["verdict"] != "supported" or weakest is None:
                continue
            if float(weakest) < threshold:
                claim["verdict"] = "partially_supported"
                claim["score"] = min(float(claim["score"]), THRESHOLD_SUPPORTED - VETO_MARGIN)
                changed += 1
    return out, changed


def main() -> None:
    args = reports_parser(__doc__, required=True).parse_args()
    reports, gold = load_reports(args)
    for threshold in (None, *PART_THRESHOLDS):
        replays = {name: parts_replayed(report, threshold) for name, report in reports.items()}
        counts = ", ".join(f"{name} {changed}" for name, (_, changed) in replays.items())
        under = threshold if threshold is not None else "- (today's rule: parts not read)"
        print(f"weakest part under {under}: made partial {counts}")
        print_figures({name: out for name, (out, _) in replays.items()}, gold, args.wice)


if __name__ == "__main__":
    main()
