"""The JSON report (the contract in shared/eval/README.md, with more fields)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..factchecks import fact_checks_for
from ..models import ArticleReport, ClaimResult, Document, Finding, Report, RewriteDiff, Skipped, shown_path


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "tool": {"name": "verify", "version": report.version, "model": report.model},
        "generated_at": report.generated_at,
        "summary": summary(report),
        "errors": list(report.errors),
        "articles": [_article(item) for item in report.articles],
    }


def render(report: Report) -> str:
    return dumps(to_dict(report), indent=2) + "\n"


def dumps(data: Any, **options: Any) -> str:
    """JSON that strict parsers accept: a NaN or an infinity (a score from a broken vector) is null."""
    return json.dumps(finite(data), allow_nan=False, ensure_ascii=False, **options)


def finite(data: Any) -> Any:
    """`data` with every float that is not finite replaced by None, in dicts, lists and tuples."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data


def summary(report: Report) -> dict[str, Any]:
    verdicts: dict[str, int] = {}
    severities: dict[str, int] = {}
    for item in report.articles:
        for r in item.results:
            verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
        for f in item.findings:
            severities[f.severity] = severities.get(f.severity, 0) + 1
    return {
        "articles": len(report.articles),
        "claims": verdicts,
        "findings": severities,
        "sources_used": sum(len(a.documents) for a in report.articles),
        "sources_skipped": sum(len(a.skipped) for a in report.articles),
    }


def _article(item: ArticleReport) -> dict[str, Any]:
    out = _article_fields(item)
    if item.rewrite is not None:
        out["rewrite"] = _rewrite(item.rewrite)
    return out


def _rewrite(diff: RewriteDiff) -> dict[str, Any]:
    """The alignment with the original: summary numbers, then every pair in rewrite order."""
    return {
        "original": diff.original,
        "detected": diff.detected,
        "shared": diff.shared,
        "copy_share": diff.copy_share,
        "counts": diff.counts(),
        "pairs": [asdict(p) for p in diff.pairs],
    }


def _article_fields(item: ArticleReport) -> dict[str, Any]:
    return {
        "path": item.article.path,
        "title": item.article.title,
        "format": item.article.format,
        "claims": [_with_fact_checks(_claim(r), r, item.documents) for r in item.results],
        "findings": [_finding(f, _claim_at(f, item)) for f in item.findings],
        "attributions": [asdict(a) for a in item.attributions],
        "sources": [_document(d) for d in item.documents] + [_skipped(s) for s in item.skipped],
    }


def _claim(r: ClaimResult) -> dict[str, Any]:
    c = r.claim
    out: dict[str, Any] = {
        "id": c.id,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "line": c.line,
        "column": c.column,
        "verdict": r.verdict,
        "score": r.score,
        "reason": r.reason,
        "evidence": [
            {
                "text": e.text,
                "source": e.source,
                "similarity": e.similarity,
                "lexical": e.lexical,
                "score": e.score,
                "sentence": e.sentence_index,
            }
            for e in r.evidence
        ],
    }
    if not c.checkable:
        out["not_checkable_reason"] = c.reason
    if r.checks:
        out["checks"] = [asdict(k) for k in r.checks]
    if r.parts:
        out["parts"] = [asdict(p) for p in r.parts]
    if r.unsupported_words:
        out["unsupported_words"] = [
            {"start": a, "end": b, "text": c.text[a:b]} for a, b in r.unsupported_words
        ]
    if r.disagreement:
        out["disagreement"] = r.disagreement
    if r.signals:
        out["signals"] = dict(r.signals)
    return out


def _with_fact_checks(out: dict[str, Any], r: ClaimResult, documents: Sequence[Document]) -> dict[str, Any]:
    """Fact-checkers' ratings of the claim found as ClaimReview markup on its sources."""
    found = fact_checks_for(r, documents)
    if found:
        out["fact_checks"] = [{**asdict(check), "source": document.label} for check, document in found]
    return out


def _finding(f: Finding, claim_id: str) -> dict[str, Any]:
    out = asdict(f)
    if not f.suggestion:
        out.pop("suggestion")
    out["claim_id"] = claim_id
    if not claim_id:
        out.pop("claim_id")
    return out


def _claim_at(f: Finding, item: ArticleReport) -> str:
    """The finding's claim: its own, else the claim it lies in (an attribution finding inside a claim's
    sentence), else none."""
    if f.claim_id:
        return f.claim_id
    return next((r.claim.id for r in item.results if r.claim.start <= f.start < r.claim.end), "")


def _document(d: Document) -> dict[str, Any]:
    return {
        "url": d.label,
        "status": "used",
        "final_url": d.final_url,
        "http_status": d.status,
        "fetched_at": d.fetched_at,
        "content_hash": d.content_hash,
        "archived": d.archived,
        "archived_file": shown_path(d.ref.file) if d.ref.file else None,
        "from_cache": d.from_cache,
        "title": d.title,
        "published": d.published or None,
        "authors": list(d.authors),
        "site": d.site,
        "language": d.language,
        "sentences": len(d.sentences),
        "archive": asdict(d.archive) if d.archive else None,  # its WARC record (--archive, --replay)
    }


def _skipped(s: Skipped) -> dict[str, Any]:
    return {"url": s.ref.label, "status": "skipped", "reason": s.reason}
