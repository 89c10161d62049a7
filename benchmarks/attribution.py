"""Measure the attribution stage on the shared garbled-attribution corpus.

    python benchmarks/attribution.py [--data ../shared/data/wice/dev.jsonl] [--out build/attr-dev]
    python benchmarks/attribution.py --stress [--seeds 1-5] [--per-kind 60] [--examples 5]

Builds the corpus with the shared builder, runs `find_attributions` on every article against
its archived source page, writes a JSON report in the CLI's contract shape and prints what
`score_attribution.py` makes of it. Uses `verify.ingest.load_article` and `verify.extract`
when they are importable, and a small stand-in for each when they are not.

`--stress` measures precision where it matters: it builds the garbled-attribution corpus with
several seeds and scores each with the shared scorer's logic (recall per kind, false-positive
rate on clean items, precision, and the clean items that were flagged), then runs the rules over
the WiCE corpus (one-sentence Wikipedia articles and their cited pages, none with a garbled
attribution) and counts its findings per rule with examples: every one there is suspect.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import json
import os
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


def _shared() -> Path:
    """The shared eval folder: $VERIFY_SHARED, else a `shared` folder next to the checkout or one level up."""
    if os.environ.get("VERIFY_SHARED"):
        return Path(os.environ["VERIFY_SHARED"])
    for parent in (ROOT.parent, ROOT.parent.parent):
        if (parent / "shared" / "eval").is_dir():
            return parent / "shared"
    return ROOT.parent / "shared"


EVAL = _shared() / "eval"
DATA = _shared() / "data" / "wice" / "dev.jsonl"


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def load_article(path: Path) -> Article:
    real = _optional("verify.ingest", "load_article")
    if real is not None:
        return real(path)
    raw = path.read_text(encoding="utf-8")
    front = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    body_start = front.end() if front else 0
    sources: list[SourceRef] = []
    if front:
        for url, file in re.findall(r"-\s+url:\s*(\S+)\s*\n\s+file:\s*(\S+)", front.group(1)):
            sources.append(SourceRef(url=url, file=(path.parent / file).resolve(), origin="front-matter"))
    text = raw[body_start:]
    offsets = tuple(range(body_start, len(raw)))
    return Article(
        path=str(path), raw=raw, text=text, format="markdown", sources=tuple(sources), offsets=offsets
    )


def load_document(ref: SourceRef) -> Document:
    assert ref.file is not None
    extract = _optional("verify.extract", "extract")
    fetched_type = _optional("verify.models", "Fetched")
    body = Path(ref.file).read_bytes()
    if extract is not None and fetched_type is not None:
        return extract(fetched_type(ref=ref, body=body, content_type="text/html", archived=True))
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
    report = corpus / "report.json"
    report.write_text(json.dumps({"articles": run_articles(corpus)}, indent=1), encoding="utf-8")
    return report


def run_articles(corpus: Path, timing: dict[str, float] | None = None) -> list[dict[str, Any]]:
    """Every article's findings; `timing["cpu"]` adds up the CPU seconds of `find_attributions` alone."""
    articles = []
    cache: dict[SourceRef, Document] = {}
    for path in sorted((corpus / "articles").glob("*.md")):
        article = load_article(path)
        refs = [ref for ref in article.sources if ref.file is not None]
        documents = [
            cache[ref] if ref in cache else cache.setdefault(ref, load_document(ref)) for ref in refs
        ]
        began = time.process_time()
        _, findings = find_attributions(article, documents)
        if timing is not None:
            timing["cpu"] = timing.get("cpu", 0.0) + time.process_time() - began
        lines = article.raw.splitlines()
        articles.append(
            {
                "path": str(path),
                "claims": [],
                "findings": [
                    {
                        "rule": f.rule,
                        "severity": f.severity,
                        "message": f.message,
                        "line": f.line,
                        "column": f.column,
                        "start": f.start,
                        "end": f.end,
                        "suggestion": f.suggestion,
                        "text": article.raw[f.start : f.end],
                        "context": lines[f.line - 1] if 0 < f.line <= len(lines) else "",
                    }
                    for f in findings
                ],
            }
        )
    return articles


def score(labels_path: Path, articles: list[dict[str, Any]]) -> dict[str, Any]:
    """What `score_attribution.py` computes, plus the flagged clean items and the missed ones."""
    lines = labels_path.read_text(encoding="utf-8").splitlines()
    labels = [json.loads(line) for line in lines if line.strip()]
    by_id = {Path(a["path"]).stem: a for a in articles}
    flagged: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    false_pos: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    missed: list[dict[str, Any]] = []
    for item in labels:
        findings = by_id.get(item["id"], {}).get("findings", [])
        hits = [
            f
            for f in findings
            if str(f.get("rule", "")).startswith("attribution") and f.get("line") in item["target_lines"]
        ]
        total[item["kind"]] += 1
        flagged[item["kind"]] += bool(hits)
        if hits and item["kind"] == "clean":
            false_pos.append((item, hits))
        elif not hits and item["kind"] != "clean":
            missed.append(item)
    kinds = sorted(k for k in total if k != "clean")
    true_pos = sum(flagged[k] for k in kinds)
    return {
        "flagged": flagged,
        "total": total,
        "kinds": kinds,
        "true_pos": true_pos,
        "garbled": sum(total[k] for k in kinds),
        "false_pos": false_pos,
        "missed": missed,
    }


def _parse_seeds(spec: str) -> list[int]:
    seeds: list[int] = []
    for part in spec.split(","):
        low, _, high = part.partition("-")
        seeds.extend(range(int(low), int(high or low) + 1))
    return seeds


def build_all_clean(data: Path, out: Path) -> int:
    """Every sentence the shared builder could use as a clean item, laid out as it lays them out."""
    sys.path.insert(0, str(EVAL))
    builder = importlib.import_module("build_attribution_set")
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    seen: set[str] = set()
    count = 0
    with (out / "labels.jsonl").open("w", encoding="utf-8") as labels:
        for row in rows:
            body = [s for s in row["evidence"] if not s.startswith("(meta data)")]
            page_name = f"{row['meta']['id']}.html"
            written = False
            for index in range(2, len(body)):
                sentence = builder.detokenize(body[index])
                if sentence in seen or len(sentence) > 400:
                    continue
                target = builder.garble("clean", sentence, [], None)
                if target is None:
                    continue
                seen.add(sentence)
                if not written:
                    (out / "pages" / page_name).write_text(builder.page_html(row), encoding="utf-8")
                    written = True
                item_id = f"{row['meta']['id']}-{index}-clean"
                lines = [
                    "---",
                    f'title: "{item_id}"',
                    "sources:",
                    f"  - url: https://attribution.example.org/{row['meta']['id']}",
                    f"    file: ../pages/{page_name}",
                    "---",
                    "",
                    builder.detokenize(body[index - 2]) + " " + builder.detokenize(body[index - 1]),
                    "",
                    sentence,
                    "",
                ]
                (out / "articles" / f"{item_id}.md").write_text("\n".join(lines), encoding="utf-8")
                labels.write(
                    json.dumps(
                        {
                            "id": item_id,
                            "kind": "clean",
                            "garbled": False,
                            "target_lines": [10],
                            "original": sentence,
                            "target": [sentence],
                        }
                    )
                    + "\n"
                )
                count += 1
    return count


def stress(
    data: Path, seeds: list[int], per_kind: int, examples: int, workdir: Path, self_check: bool = False
) -> None:
    flagged: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    print(f"== garbled-attribution corpus, seeds {seeds}, --per-kind {per_kind}")
    for seed in seeds:
        corpus = workdir / f"attr-seed{seed}"
        subprocess.run(
            [
                sys.executable,
                str(EVAL / "build_attribution_set.py"),
                str(data),
                str(corpus),
                "--per-kind",
                str(per_kind),
                "--seed",
                str(seed),
            ],
            check=True,
            capture_output=True,
        )
        result = score(corpus / "labels.jsonl", run_articles(corpus))
        flagged.update(result["flagged"])
        total.update(result["total"])
        by_kind = " ".join(f"{k}={result['flagged'][k]}/{result['total'][k]}" for k in result["kinds"])
        clean = result["total"]["clean"]
        false_pos = len(result["false_pos"])
        print(
            f"seed {seed}: recall={result['true_pos'] / max(result['garbled'], 1):.3f} "
            f"fp={false_pos}/{clean} ({false_pos / max(clean, 1):.3f}) {by_kind}"
        )
        for item, hits in result["false_pos"]:
            for f in hits:
                print(f"    FP {item['id']}: {f['rule']} [{f['severity']}] {f['message']}")
            print(f"       {item['target'][0][:220]}")
        for item in result["missed"][:examples]:
            print(f"    missed {item['kind']} {item['id']}: {' / '.join(item['target'])[:200]}")
    kinds = sorted(k for k in total if k != "clean")
    true_pos = sum(flagged[k] for k in kinds)
    garbled = sum(total[k] for k in kinds)
    print(
        f"all seeds: recall={true_pos / max(garbled, 1):.4f} "
        f"fp_rate={flagged['clean'] / max(total['clean'], 1):.4f} ({flagged['clean']}/{total['clean']}) "
        f"precision={true_pos / max(true_pos + flagged['clean'], 1):.4f}"
    )
    print(
        "  recall by kind: "
        + ", ".join(f"{k} {flagged[k] / max(total[k], 1):.3f} ({flagged[k]}/{total[k]})" for k in kinds)
    )

    print("\n== every clean candidate of the attribution builder (all its pages, unsampled)")
    corpus = workdir / "attr-all-clean"
    count = build_all_clean(data, corpus)
    result = score(corpus / "labels.jsonl", run_articles(corpus))
    print(
        f"{count} clean items, {len(result['false_pos'])} flagged "
        f"(fp_rate={len(result['false_pos']) / max(count, 1):.4f})"
    )
    for item, hits in result["false_pos"]:
        for f in hits:
            print(f"    FP {item['id']}: {f['rule']} [{f['severity']}] {f['message']}")
        print(f"       {item['target'][0][:220]}")

    print("\n== WiCE corpus as an all-clean stress set (every finding is suspect)")
    corpus = workdir / "wice"
    subprocess.run(
        [sys.executable, str(EVAL / "build_wice_corpus.py"), str(data), str(corpus)],
        check=True,
        capture_output=True,
    )
    _per_rule(run_articles(corpus), examples)
    if self_check:
        print("\n== every source page checked against itself (a page cannot garble itself)")
        corpus = workdir / "self"
        build_self_check(data, corpus)
        _per_rule(run_articles(corpus), examples)


def build_self_check(data: Path, out: Path) -> None:
    """Each cited page's body as an article, one paragraph per page paragraph, with the page as source."""
    sys.path.insert(0, str(EVAL))
    builder = importlib.import_module("build_attribution_set")
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        body = [builder.detokenize(s) for s in row["evidence"] if not s.startswith("(meta data)")]
        page_name = f"{row['meta']['id']}.html"
        (out / "pages" / page_name).write_text(builder.page_html(row), encoding="utf-8")
        front = [
            "---",
            f'title: "{row["meta"]["id"]}"',
            "sources:",
            f"  - url: https://self.example.org/{row['meta']['id']}",
            f"    file: ../pages/{page_name}",
            "---",
            "",
        ]
        text = "\n".join(front + [p for s in body for p in (s, "")])
        (out / "articles" / f"{row['meta']['id']}.md").write_text(text, encoding="utf-8")


def _per_rule(articles: list[dict[str, Any]], examples: int) -> None:
    per_rule: collections.Counter[tuple[str, str]] = collections.Counter()
    shown: dict[str, list[str]] = collections.defaultdict(list)
    for art in articles:
        for f in art["findings"]:
            per_rule[f["rule"], f["severity"]] += 1
            shown[f["rule"]].append(f"{Path(art['path']).stem}: {f['message']} | {f['context'][:200]}")
    flagged_articles = sum(bool(a["findings"]) for a in articles)
    print(f"{len(articles)} articles, {flagged_articles} with a finding, {sum(per_rule.values())} findings")
    for (rule, severity), count in sorted(per_rule.items()):
        print(f"  {rule} [{severity}]: {count}")
    for rule, lines in sorted(shown.items()):
        print(f"  -- {rule}")
        for line in lines[:examples]:
            print(f"     {line}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=None, help="corpus folder (default: a temporary one)")
    parser.add_argument("--per-kind", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--stress",
        action="store_true",
        help="several seeds of the attribution corpus, then WiCE as an all-clean set",
    )
    parser.add_argument("--seeds", default="1-5", help="seeds for --stress, e.g. 1-5 or 1,3,7")
    parser.add_argument("--examples", type=int, default=5, help="examples shown per rule with --stress")
    parser.add_argument(
        "--self-check", action="store_true", help="with --stress, also check every source page against itself"
    )
    args = parser.parse_args()
    if args.stress:
        with tempfile.TemporaryDirectory() as tmp:
            per_kind = args.per_kind if args.per_kind != parser.get_default("per_kind") else 60
            stress(
                args.data,
                _parse_seeds(args.seeds),
                per_kind,
                args.examples,
                args.out or Path(tmp),
                args.self_check,
            )
        return
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.out or Path(tmp) / "attr"
        subprocess.run(
            [
                sys.executable,
                str(EVAL / "build_attribution_set.py"),
                str(args.data),
                str(corpus),
                "--per-kind",
                str(args.per_kind),
                "--seed",
                str(args.seed),
            ],
            check=True,
        )
        began = time.perf_counter()
        report = run(corpus)
        elapsed = time.perf_counter() - began
        subprocess.run(
            [sys.executable, str(EVAL / "score_attribution.py"), str(corpus / "labels.jsonl"), str(report)],
            check=True,
        )
        print(f"find_attributions over the corpus: {elapsed:.2f}s")


if __name__ == "__main__":
    main()
