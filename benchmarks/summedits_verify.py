"""SummEdits through the whole checker: is a minimally edited summary told from a consistent one?

    python benchmarks/summedits_verify.py --summedits FACTUALNLG/data/summedits --out build/se \
        [--domains sales_email scitldr] [--rows 150] [-- VERIFY OPTIONS]

benchmarks/summedits.py scores (window, sentence) pairs with the models alone; this runs `verify`
itself. Each sampled summary becomes a one-article file whose front matter cites its document
(OUT/pages/<id>.html, one paragraph per line of the document), `verify --offline --format json`
runs once over the folder, and per domain it prints:

- the ROC AUC of the article's weakest claim score, consistent vs edited;
- the balanced accuracy of "every claim supported" as the call "consistent";
- the share of edited summaries with a claim called contradicted, and of consistent ones.

The domains are out of the fitted judge's data (fitted on WiCE dev) whichever are chosen; the
verifier was trained on five of them, so only sales_email and scitldr compare it fairly. The news
domain is held out for the project and never read. The sample is summedits.py's (seeded).
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
from pathlib import Path

from refutations import ROOT, claim_results, roc_auc, share  # benchmarks/ is on sys.path
from summedits import add_sample_arguments, sampled


def build(rows_by_domain: dict[str, list[dict]], out: Path) -> dict[str, tuple[str, bool]]:
    """Write OUT/pages and OUT/articles; article stem -> (domain, consistent)."""
    for folder in ("articles", "pages"):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for stale in (out / folder).iterdir():
            stale.unlink()
    gold: dict[str, tuple[str, bool]] = {}
    for domain, rows in rows_by_domain.items():
        for number, row in enumerate(rows):
            stem = f"{domain}-{number:04d}"
            lines = [line.strip() for line in str(row["doc"]).splitlines() if line.strip()]
            body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
            (out / "pages" / f"{stem}.html").write_text(
                f'<!doctype html><html><head><meta charset="utf-8"><title>{stem}</title></head>'
                f"<body><article>\n{body}\n</article></body></html>\n",
                encoding="utf-8",
            )
            summary = " ".join(str(row["summary"]).split())
            (out / "articles" / f"{stem}.md").write_text(
                f'---\ntitle: "{stem}"\nsources:\n  - url: https://summedits.example.org/{stem}\n'
                f"    file: ../pages/{stem}.html\n---\n\n{summary}\n",
                encoding="utf-8",
            )
            gold[stem] = (domain, str(row["label"]) == "1")
    return gold


def all_verdicts(report: dict) -> dict[str, list[str]]:
    return {
        Path(a["path"]).stem: [str(c.get("verdict", "")) for c in a.get("claims", [])]
        for a in report.get("articles", [])
    }


def summedits_figures(report: dict, gold: dict[str, tuple[str, bool]]) -> dict[str, dict[str, float]]:
    """Per domain: AUC of the weakest claim score, balanced accuracy of "every claim supported", and
    the shares of edited and consistent summaries with a claim called contradicted."""
    results, verdicts = claim_results(report), all_verdicts(report)
    figures: dict[str, dict[str, float]] = {}
    for domain in sorted({d for d, _ in gold.values()}):
        stems = [s for s, (d, _) in gold.items() if d == domain and s in results]
        good = [s for s in stems if gold[s][1]]
        edited = [s for s in stems if not gold[s][1]]
        said_good = {s: all(v == "supported" for v in verdicts[s]) for s in stems}
        figures[domain] = {
            "summaries": len(stems),
            "edited": len(edited),
            "auc": round(
                roc_auc([results[s]["score"] for s in good], [results[s]["score"] for s in edited]), 4
            ),
            "balanced_accuracy": round(
                (share(said_good[s] for s in good) + share(not said_good[s] for s in edited)) / 2, 4
            ),
            "edited_with_contradicted": round(share("contradicted" in verdicts[s] for s in edited), 4),
            "consistent_with_contradicted": round(share("contradicted" in verdicts[s] for s in good), 4),
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_sample_arguments(parser, rows=150)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "summedits-verify")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("verify_args", nargs="*", help="after --: options passed to verify")
    args = parser.parse_args()
    gold = build({d: sampled(args.summedits, d, args.rows, args.seed) for d in args.domains}, args.out)
    report_path = args.out / "report.json"
    command = [sys.executable, "-m", "verify", str(args.out / "articles"), "--offline", "-q"]
    command += ["--format", "json", "--output", str(report_path), "--db", str(args.out / "cache.sqlite")]
    done = subprocess.run([*command, *args.verify_args], cwd=ROOT)
    if done.returncode not in (0, 1):
        raise SystemExit(f"verify failed with exit code {done.returncode}")
    (args.out / "gold.json").write_text(json.dumps(gold, indent=1) + "\n", encoding="utf-8")
    figures = summedits_figures(json.loads(report_path.read_text(encoding="utf-8")), gold)
    for domain, row in figures.items():
        print(domain, json.dumps(row))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
