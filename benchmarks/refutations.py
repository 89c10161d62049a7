"""Refutations dev set: are false claims called contradicted, and true ones left alone?

    python benchmarks/refutations.py [--data FILE] [--out build/refutations] [--split all|a|b]
                                     [--json FILE] [--db PATH] [--missed N] [-- VERIFY OPTIONS]

The set (benchmarks/data/refutations.jsonl, written for this project) holds short
encyclopedia-style pages, each with claims labelled SUPPORTED, REFUTED (with the `kind` of
error: a wrong date, figure, place, nationality, swapped roles, an added or dropped negation,
...) or NOT ENOUGH INFO. For every page this writes OUT/pages/<page>.html, for every claim a
one-sentence article OUT/articles/<claim>.md whose front matter cites that page (the shared
eval's contract, ../shared/eval/README.md), runs `verify` once over the folder (--format json
--offline) and scores the report:

- ROC AUC of the claim score, SUPPORTED vs REFUTED;
- the share of refuted claims called contradicted, and per kind of error;
- the precision of "contradicted" (share of contradicted verdicts that are refutations);
- the share of supported claims called contradicted, and called supported.

`--split a` / `--split b` keep every other page (by sorted page id), so a change fitted on one
half can be checked on the other.
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "refutations.jsonl"
SUPPORTED, REFUTED, NEI = "SUPPORTED", "REFUTED", "NOT ENOUGH INFO"
# issue 11, "real refutations": the targets this set measures
TARGETS = {
    "auroc_supported_vs_refuted": 0.72,
    "contradicted_precision": 0.5,
    "supported_called_contradicted": 0.02,
}


def load(path: Path) -> list[dict]:
    """The pages of the set, each with its paragraphs and labelled claims."""
    pages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for page in pages:
        for claim in page["claims"]:
            if claim["label"] not in (SUPPORTED, REFUTED, NEI):
                raise ValueError(f"{claim['id']}: unknown label {claim['label']!r}")
            if claim["label"] == REFUTED and not claim.get("kind"):
                raise ValueError(f"{claim['id']}: a refuted claim needs a kind")
    return pages


def split_pages(pages: list[dict], half: str) -> list[dict]:
    """Half `a` (pages 1st, 3rd, ... by sorted id), half `b` (2nd, 4th, ...), or `all`."""
    if half == "all":
        return pages
    ordered = sorted(pages, key=lambda page: page["id"])
    start = {"a": 0, "b": 1}[half]
    return ordered[start::2]


def page_html(page: dict) -> str:
    title = html.escape(page["title"])
    body = "\n".join("<p>" + html.escape(" ".join(paragraph)) + "</p>" for paragraph in page["paragraphs"])
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head><body><article>\n<h1>{title}</h1>\n{body}\n</article></body></html>\n"
    )


def article_md(claim: dict, page: dict) -> str:
    return (
        "---\n"
        f'title: "{claim["id"]}"\n'
        "sources:\n"
        f"  - url: https://encyclopedia.example.org/{page['id']}\n"
        f"    file: ../pages/{page['id']}.html\n"
        "---\n\n"
        f"{claim['claim']}\n"
    )


def build(pages: list[dict], out: Path) -> list[dict]:
    """Write the pages and one article per claim under OUT; return the claims (with their page)."""
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for stale in (out / "articles").glob("*.md"):
        stale.unlink()  # a previous run with another split must not leak into this one
    claims = []
    for page in pages:
        (out / "pages" / f"{page['id']}.html").write_text(page_html(page), encoding="utf-8")
        for claim in page["claims"]:
            (out / "articles" / f"{claim['id']}.md").write_text(article_md(claim, page), encoding="utf-8")
            claims.append({**claim, "page": page["id"]})
    return claims


def claim_results(report: dict) -> dict[str, dict]:
    """Per article (named by claim id): the lowest claim score, the verdict and its best evidence.

    An article normally holds one claim; if `verify` splits it, the weakest part decides, and any
    contradicted part makes the article contradicted.
    """
    results: dict[str, dict] = {}
    for article in report.get("articles", []):
        claims = [c for c in article.get("claims", []) if c.get("score") is not None]
        if not claims:
            continue
        weakest = min(claims, key=lambda c: c["score"])
        contradicted = [c for c in claims if c.get("verdict") == "contradicted"]
        decisive = contradicted[0] if contradicted else weakest
        evidence = decisive.get("evidence") or [{}]
        results[Path(article["path"]).stem] = {
            "score": float(weakest["score"]),
            "verdict": decisive.get("verdict", ""),
            "reason": decisive.get("reason", ""),
            "evidence": evidence[0].get("text", ""),
        }
    return results


def roc_auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else float("nan")


def score(claims: list[dict], results: dict[str, dict]) -> dict:
    """The benchmark's numbers for gold claims and the per-claim results of a report."""
    found = [c for c in claims if c["id"] in results]
    by_label = {label: [c for c in found if c["label"] == label] for label in (SUPPORTED, REFUTED, NEI)}

    def verdict(claim: dict) -> str:
        return str(results[claim["id"]]["verdict"])

    contradicted = [c for c in found if verdict(c) == "contradicted"]
    kinds = sorted({c["kind"] for c in by_label[REFUTED]})
    summary: dict[str, Any] = {
        "claims": len(claims),
        "missing": len(claims) - len(found),
        "counts": {label: len(items) for label, items in by_label.items()},
        "auroc_supported_vs_refuted": round(
            roc_auc(
                [results[c["id"]]["score"] for c in by_label[SUPPORTED]],
                [results[c["id"]]["score"] for c in by_label[REFUTED]],
            ),
            4,
        ),
        "refuted_called_contradicted": round(
            share(verdict(c) == "contradicted" for c in by_label[REFUTED]), 4
        ),
        "refuted_called_supported": round(share(verdict(c) == "supported" for c in by_label[REFUTED]), 4),
        "contradicted_verdicts": len(contradicted),
        "contradicted_precision": round(share(c["label"] == REFUTED for c in contradicted), 4),
        "supported_called_contradicted": round(
            share(verdict(c) == "contradicted" for c in by_label[SUPPORTED]), 4
        ),
        "supported_called_supported": round(share(verdict(c) == "supported" for c in by_label[SUPPORTED]), 4),
        "nei_called_supported": round(share(verdict(c) == "supported" for c in by_label[NEI]), 4),
        "nei_called_contradicted": round(share(verdict(c) == "contradicted" for c in by_label[NEI]), 4),
        "verdicts": {
            label: {v: sum(verdict(c) == v for c in items) for v in sorted({verdict(c) for c in items})}
            for label, items in by_label.items()
        },
        "by_kind": {
            kind: {
                "n": len(items),
                "contradicted": round(share(verdict(c) == "contradicted" for c in items), 4),
                "supported": round(share(verdict(c) == "supported" for c in items), 4),
                "mean_score": round(sum(results[c["id"]]["score"] for c in items) / len(items), 4),
            }
            for kind in kinds
            for items in [[c for c in by_label[REFUTED] if c["kind"] == kind]]
        },
    }
    summary["targets_met"] = {
        "auroc_supported_vs_refuted": summary["auroc_supported_vs_refuted"]
        >= TARGETS["auroc_supported_vs_refuted"],
        "contradicted_precision": summary["contradicted_precision"] >= TARGETS["contradicted_precision"],
        "supported_called_contradicted": summary["supported_called_contradicted"]
        <= TARGETS["supported_called_contradicted"],
    }
    return summary


def missed(claims: list[dict], results: dict[str, dict]) -> list[dict]:
    """Refuted claims that `verify` called supported, highest score first."""
    rows = [
        {
            "id": c["id"],
            "kind": c["kind"],
            "claim": c["claim"],
            "page_sentence": (c.get("evidence") or [""])[0],
            "score": results[c["id"]]["score"],
            "top_evidence": results[c["id"]]["evidence"],
        }
        for c in claims
        if c["label"] == REFUTED and c["id"] in results and results[c["id"]]["verdict"] == "supported"
    ]
    return sorted(rows, key=lambda row: -row["score"])


def run_verify(out: Path, db: Path, extra: list[str]) -> dict:
    report = out / "report.json"
    command = [
        sys.executable, "-m", "verify", str(out / "articles"),
        "--format", "json", "--output", str(report), "--offline", "--quiet", "--db", str(db),
        "--sources-root", str(out / "pages"), *extra,
    ]  # fmt: skip
    result = subprocess.run(command, check=False)
    if result.returncode not in (0, 1):
        sys.exit(f"verify failed with exit code {result.returncode}")
    return dict(json.loads(report.read_text(encoding="utf-8")))


def print_summary(summary: dict) -> None:
    print(f"claims={summary['claims']} {summary['counts']} missing={summary['missing']}")
    for kind, stats in summary["by_kind"].items():
        print(
            f"  {kind:12s} n={stats['n']:3d} contradicted={stats['contradicted']:.3f} "
            f"supported={stats['supported']:.3f} mean_score={stats['mean_score']:.3f}"
        )
    s = summary
    print(
        f"auroc_supported_vs_refuted={s['auroc_supported_vs_refuted']:.3f} "
        f"refuted: contradicted={s['refuted_called_contradicted']:.3f} "
        f"supported={s['refuted_called_supported']:.3f} | "
        f"contradicted precision={s['contradicted_precision']:.3f} (of {s['contradicted_verdicts']}) | "
        f"supported: contradicted={s['supported_called_contradicted']:.3f} "
        f"supported={s['supported_called_supported']:.3f} | "
        f"nei: supported={s['nei_called_supported']:.3f} contradicted={s['nei_called_contradicted']:.3f}"
    )
    print("targets met: " + ", ".join(f"{name}={ok}" for name, ok in summary["targets_met"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "refutations")
    parser.add_argument("--split", choices=("all", "a", "b"), default="all", help="every page, or one half")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers to this file")
    parser.add_argument("--db", type=Path, default=None, help="cache database (default: OUT/cache.sqlite)")
    parser.add_argument(
        "--missed", type=int, default=10, help="list this many refuted claims called supported"
    )
    parser.add_argument("extra", nargs="*", help="more options for verify, after --")
    args = parser.parse_args()
    pages = split_pages(load(args.data), args.split)
    claims = build(pages, args.out)
    started = time.perf_counter()
    report = run_verify(args.out, args.db or args.out / "cache.sqlite", args.extra)
    wall = time.perf_counter() - started
    results = claim_results(report)
    summary = {"split": args.split, "pages": len(pages), **score(claims, results)}
    summary["refuted_called_supported_examples"] = missed(claims, results)
    print_summary(summary)
    for row in summary["refuted_called_supported_examples"][: args.missed]:
        print(f"  missed [{row['kind']}] {row['claim']}\n      page: {row['page_sentence']}")
    print(f"wall time of the verify run: {wall:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
