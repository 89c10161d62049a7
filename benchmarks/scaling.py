"""How time and memory grow with article length and with the number and size of sources.

    python benchmarks/scaling.py [--backend onnx-int8] [--repeat 1] [--out build/scaling.json]

Builds synthetic articles and sources from WiCE dev source sentences (as verify splits them;
the corpus is built into build/wice-speed if missing), then times a cold `verify` run (new,
empty cache database) on each, in a fresh process, with the same launcher and stage timestamps
as benchmarks/speed.py. Three series, each varying one thing from a middle setting of 40 claims
and 4 sources of 200 sentences:

- claims in the article: 10, 40, 160, 640
- number of sources: 1, 4, 16, 48
- sentences per source: 50, 200, 800, 3200

Half of an article's claims are sentences copied from its sources (supported), half come from
other pages. Prints JSON: for every size, wall time, peak RSS, texts embedded, time by stage.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed  # the sibling benchmark: launcher, process timing, WiCE sentences)

MIDDLE = {"claims": 40, "sources": 4, "sentences": 200}
SERIES = {
    "claims": [10, 40, 160, 640],
    "sources": [1, 4, 16, 48],
    "sentences": [50, 200, 800, 3200],
}


def make_case(folder: Path, pool: list[str], claims: int, sources: int, sentences: int, seed: int) -> Path:
    """An article with `claims` sentences and `sources` local pages of `sentences` sentences each."""
    rng = random.Random(seed)
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    chosen = rng.sample(pool, min(len(pool), sources * sentences + claims))
    source_texts = [chosen[i * sentences : (i + 1) * sentences] for i in range(sources)]
    others = chosen[sources * sentences :]
    entries = []
    for n, texts in enumerate(source_texts):
        body = "\n".join(f"<p>{html.escape(' '.join(texts[i : i + 5]))}</p>" for i in range(0, len(texts), 5))
        page = pages / f"s{n}.html"
        page.write_text(
            f"<html><head><title>Source {n}</title></head><body><article>{body}</article></body></html>"
        )
        entries.append(f"  - url: https://scaling.example.org/s{n}\n    file: ../pages/s{n}.html")
    supported = [rng.choice(rng.choice(source_texts)) for _ in range(claims // 2)]
    lines = supported + others[: claims - len(supported)]
    rng.shuffle(lines)
    paragraphs = ["\n".join(lines[i : i + 4]) for i in range(0, len(lines), 4)]
    article = folder / "articles" / "article.md"
    article.parent.mkdir(exist_ok=True)
    front = '---\ntitle: "Scaling test"\nsources:\n' + "\n".join(entries) + "\n---\n\n"
    article.write_text(front + "# Scaling test\n\n" + "\n\n".join(paragraphs) + "\n")
    return article


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", default="onnx-int8")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=speed.ROOT / "build" / "wice-speed")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    speed._build_corpus(args.corpus)
    pool = sorted({s for s in speed._source_sentences(args.corpus) if 40 <= len(s) <= 300})
    result: dict[str, Any] = {"backend": args.backend, "load_before": os.getloadavg(), "middle": MIDDLE}
    for axis, sizes in SERIES.items():
        rows = []
        for size in sizes:
            setting = {**MIDDLE, axis: size}
            runs = []
            for r in range(args.repeat):
                with tempfile.TemporaryDirectory() as scratch:
                    article = make_case(Path(scratch), pool, seed=r, **setting)
                    verify_args = [
                        str(article),
                        "--offline",
                        "--quiet",
                        "--format",
                        "json",
                        "--no-cache",
                        "--max-sources",
                        "1000",
                        "--db",
                        str(Path(scratch) / "cache.sqlite"),
                        "--output",
                        str(Path(scratch) / "report.json"),
                    ]
                    runs.append(speed._run_cli(verify_args, args.backend, stages=True))
                    report = json.loads((Path(scratch) / "report.json").read_text())
            runs.sort(key=lambda x: x["wall_s"])
            middle = runs[len(runs) // 2]
            claims = sum(len(a["claims"]) for a in report["articles"])
            rows.append(
                {
                    **setting,
                    "wall_s": middle["wall_s"],
                    "peak_rss_mb": max(x["peak_rss_mb"] for x in runs),
                    "claims_found": claims,
                    "stages": middle.get("stages"),
                }
            )
            print(f"{axis}={size}: {middle['wall_s']:.1f} s, {rows[-1]['peak_rss_mb']} MB", file=sys.stderr)
        result[axis] = rows
    speed.finish(result, args.out)


if __name__ == "__main__":
    main()
