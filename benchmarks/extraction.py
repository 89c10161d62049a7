"""Main-text extraction quality and speed on news-shaped pages: the old BeautifulSoup path vs the new one.

    python benchmarks/extraction.py [--repeat 3] [--write DIR] [--json OUT]

The pages come from benchmarks/news_pages.py (48 pages in twelve shapes of real news sites,
written for this benchmark, with exact gold text). For each extractor it prints the mean token
F1 against the gold text (and precision, recall), the pages whose body was dropped (recall
below 0.5), the pages whose publication date came out as the right ISO 8601 date, the pages
that name an author where the extractor found every named author, and pages per second.
`--write DIR` saves the pages and a gold.jsonl there, so `verify extract DIR --format json`
can be scored the same way by an outside script.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import types
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OLD_REV = "0fa8dda"  # the last commit before trafilatura: the extractor being replaced
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from news_pages import Page, build_pages  # noqa: E402

from verify.extract import iso_date, read_html  # noqa: E402
from verify.htmltext import html_main_text_bs4  # noqa: E402

Result = tuple[str, str, tuple[str, ...]]  # text, published, authors
WORD = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(WORD.findall(text.lower()))


def prf(found: str, gold: str) -> tuple[float, float, float]:
    got, want = tokens(found), tokens(gold)
    overlap = sum((got & want).values())
    precision = overlap / max(1, sum(got.values()))
    recall = overlap / max(1, sum(want.values()))
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def bs4_path(main_text: Callable[[str], tuple[str, str, str]]) -> Callable[[str], Result]:
    def run(markup: str) -> Result:
        _title, published, text = main_text(markup)
        return text, published[:10], ()  # the old extractor kept the raw meta value and no author

    return run


def extractor_at(rev: str) -> Callable[[str], tuple[str, str, str]]:
    """The BeautifulSoup main-text function as it was at git revision `rev` (verify/htmltext.py,
    or verify/extract.py before it moved there)."""
    for name in ("htmltext", "extract"):
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:verify/{name}.py"], capture_output=True, text=True
        )
        if shown.returncode == 0:
            break
    module = types.ModuleType(f"verify._{name}_at_rev")
    module.__package__ = "verify"
    exec(compile(shown.stdout, f"{rev}:verify/{name}.py", "exec"), module.__dict__)
    return module.__dict__.get("html_main_text_bs4") or module.__dict__["_html_main_text"]


def new_path(markup: str) -> Result:
    page = read_html(markup)
    return page.text, page.published, page.authors


def timed(extractors: list[Callable[[str], Result]], pages: list[Page], repeat: int) -> list[float]:
    """Seconds per pass over the pages for each extractor: the fastest of `repeat` interleaved
    passes, so one-time imports and other load on the machine weigh on no extractor in particular."""
    best = [float("inf")] * len(extractors)
    for _ in range(repeat):
        for i, extractor in enumerate(extractors):
            started = time.perf_counter()
            for p in pages:
                extractor(p.html)
            best[i] = min(best[i], time.perf_counter() - started)
    return best


def score(name: str, extractor: Callable[[str], Result], pages: list[Page], seconds: float) -> dict[str, Any]:
    results = [extractor(p.html) for p in pages]
    scores = [prf(text, p.gold_text) for (text, _, _), p in zip(results, pages, strict=True)]
    dated = [
        iso_date(published) == published == p.published
        for (_, published, _), p in zip(results, pages, strict=True)
    ]
    with_author = [(authors, p) for (_, _, authors), p in zip(results, pages, strict=True) if p.authors]
    authors_ok = [
        {a.lower() for a in p.authors} <= {a.lower() for a in authors} for authors, p in with_author
    ]
    return {
        "extractor": name,
        "pages": len(pages),
        "f1": round(mean(f for _, _, f in scores), 4),
        "precision": round(mean(p for p, _, _ in scores), 4),
        "recall": round(mean(r for _, r, _ in scores), 4),
        "body_dropped": sum(r < 0.5 for _, r, _ in scores),
        "body_dropped_rate": round(sum(r < 0.5 for _, r, _ in scores) / len(pages), 4),
        "iso_date_rate": round(sum(dated) / len(pages), 4),
        "author_rate": round(sum(authors_ok) / max(1, len(with_author)), 4),
        "pages_with_author": len(with_author),
        "pages_per_second": round(len(pages) / seconds, 1),
        "ms_per_page": round(1000 * seconds / len(pages), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed passes over the pages (the fastest counts)"
    )
    parser.add_argument("--old-rev", default=OLD_REV, help=f"git revision of the old extractor [{OLD_REV}]")
    parser.add_argument("--write", type=Path, help="also save the pages and gold.jsonl in this folder")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args()
    pages = build_pages()
    if args.write:
        args.write.mkdir(parents=True, exist_ok=True)
        with (args.write / "gold.jsonl").open("w", encoding="utf-8") as gold:
            for p in pages:
                (args.write / f"{p.name}.html").write_text(p.html, encoding="utf-8")
                record = {
                    "path": f"{p.name}.html",
                    "text": p.gold_text,
                    "published": p.published,
                    "authors": p.authors,
                }
                gold.write(json.dumps(record) + "\n")
    extractors = {
        f"beautifulsoup @{args.old_rev} (old)": bs4_path(extractor_at(args.old_rev)),
        "beautifulsoup fallback (now)": bs4_path(html_main_text_bs4),
        "trafilatura + fallback (new)": new_path,
    }
    seconds = timed(list(extractors.values()), pages, args.repeat)
    rows = [score(name, run, pages, s) for (name, run), s in zip(extractors.items(), seconds, strict=True)]
    for row in rows:
        print(
            f"{row['extractor']:<32} F1 {row['f1']:.3f} (P {row['precision']:.3f} R {row['recall']:.3f})  "
            f"body dropped {row['body_dropped']}/{row['pages']}  ISO date {row['iso_date_rate']:.0%}  "
            f"author {row['author_rate']:.0%} of {row['pages_with_author']}  "
            f"{row['pages_per_second']} pages/s ({row['ms_per_page']} ms/page)"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
