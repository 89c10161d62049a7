"""Measure the attribution stage on the shared garbled-attribution corpus.

    python benchmarks/attribution.py [--data ../shared/data/wice/dev.jsonl] [--out build/attr-dev]

Builds the corpus with the shared builder, runs `find_attributions` on every article against
its archived source page, writes a JSON report in the CLI's contract shape and prints what
`score_attribution.py` makes of it. Uses `verify.ingest.load_article` and `verify.extract`
when they are importable, and a small stand-in for each when they are not.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verify.attribution import find_attributions  # noqa: E402
from verify.models import Article, Document, Sentence, SourceRef  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
DATA = ROOT.parent / "shared" / "data" / "wice" / "dev.jsonl"


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def load_article(path: Path) -> Article:
    real = _optional("verify.ingest", "load_article")
    if real is not None:
        return real(path)  # type: ignore[no-any-return]
    raw = path.read_text(encoding="utf-8")
    front = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    body_start = front.end() if front else 0
    sources: list[SourceRef] = []
    if front:
        for url, file in re.findall(r"-\s+url:\s*(\S+)\s*\n\s+file:\s*(\S+)", front.group(1)):
            sources.append(SourceRef(url=url, file=(path.parent / file).resolve(), origin="front-matter"))
    text = raw[body_start:]
    offsets = tuple(range(body_start, len(raw)))
    return Article(path=str(path), raw=raw, text=text, format="markdown", sources=tuple(sources),
                   offsets=offsets)


def load_document(ref: SourceRef) -> Document:
    assert ref.file is not None
    extract = _optional("verify.extract", "extract")
    fetched_type = _optional("verify.models", "Fetched")
    body = Path(ref.file).read_bytes()
    if extract is not None and fetched_type is not None:
        return extract(fetched_type(ref=ref, body=body, content_type="text/html", archived=True))  # type: ignore
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    parts: list[str] = []
    sentences: list[Sentence] = []
    pos = 0
    for index, p in enumerate(soup.find_all("p")):
        text = p.get_text(" ", strip=True)
        sentences.append(Sentence(index=index, text=text, start=pos, end=pos + len(text)))
        parts.append(text)
        pos += len(text) + 1
    return Document(ref=ref, text="\n".join(parts), sentences=tuple(sentences), title=title, archived=True)


def run(corpus: Path) -> Path:
    articles = []
    cache: dict[SourceRef, Document] = {}
    for path in sorted((corpus / "articles").glob("*.md")):
        article = load_article(path)
        refs = [ref for ref in article.sources if ref.file is not None]
        documents = [cache[ref] if ref in cache else cache.setdefault(ref, load_document(ref))
                     for ref in refs]
        _, findings = find_attributions(article, documents)
        articles.append({
            "path": str(path),
            "claims": [],
            "findings": [{"rule": f.rule, "severity": f.severity, "message": f.message, "line": f.line,
                          "column": f.column, "start": f.start, "end": f.end, "suggestion": f.suggestion}
                         for f in findings],
        })
    report = corpus / "report.json"
    report.write_text(json.dumps({"articles": articles}, indent=1), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: a temporary one)")
    parser.add_argument("--per-kind", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.out or Path(tmp) / "attr"
        subprocess.run([sys.executable, str(EVAL / "build_attribution_set.py"), str(args.data), str(corpus),
                        "--per-kind", str(args.per_kind), "--seed", str(args.seed)], check=True)
        began = time.perf_counter()
        report = run(corpus)
        elapsed = time.perf_counter() - began
        subprocess.run([sys.executable, str(EVAL / "score_attribution.py"), str(corpus / "labels.jsonl"),
                        str(report)], check=True)
        print(f"find_attributions over the corpus: {elapsed:.2f}s")


if __name__ == "__main__":
    main()
