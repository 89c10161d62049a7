"""The view data of a report page: what each part of the page shows, computed from the Report.

The templates lay this out; nothing here writes HTML.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from verify.factchecks import fact_checks_for
from verify.models import (
    SEVERITIES,
    ArticleReport,
    Check,
    ClaimResult,
    Document,
    Evidence,
    FactCheck,
    Finding,
)

from .labels import REWRITE_LABELS, VERDICT_META, count_label, plural, severity_key, verdict_key
from .marks import Run, claim_words, shared_words, spans, word_diff
from .urls import archive_href, http_url, text_fragment_url


class Sources:
    """Looks up the document behind an Evidence.source string."""

    def __init__(self, documents: tuple[Document, ...], base: Path | None = None):
        self.base = base  # the folder of the page, for relative links to archived copies
        self.by_key: dict[str, Document] = {}
        for doc in documents:
            for key in (doc.label, doc.ref.url or "", doc.final_url, str(doc.ref.file or "")):
                if key:
                    self.by_key.setdefault(key, doc)

    def url_for(self, source: str) -> str | None:
        doc = self.by_key.get(source)
        if doc is not None:
            return http_url(doc.final_url) or http_url(doc.ref.url)
        return http_url(source)

    def archive_for(self, source: str) -> str | None:
        """A link to the archived copy the check read (relative to the page when it is known)."""
        doc = self.by_key.get(source)
        return archive_href(doc, self.base) if doc is not None else None

    def title_for(self, source: str) -> str:
        doc = self.by_key.get(source)
        return doc.title if doc is not None else ""


@dataclass(frozen=True)
class EvidenceView:
    evidence: Evidence
    runs: list[Run]  # marked: a word the claim shares
    url: str | None  # the recorded http(s) URL, if any
    target: str  # `url` scrolled to this sentence
    archive: str | None  # the archived copy, scrolled to this sentence
    title: str
    best: bool


@dataclass(frozen=True)
class Detail:
    """The evidence panel of one claim."""

    index: int
    verdict: str
    result: ClaimResult
    claim_runs: list[Run]  # marked: words no source backs
    reason: str
    not_checkable: str  # why the claim is not checkable, when the reason above says something else
    checks: list[Check]  # failed first
    findings: list[tuple[int, Finding, str]]  # (number, finding, severity)
    top: list[EvidenceView]
    rest: list[EvidenceView]
    fact_checks: list[tuple[FactCheck, Document]] = field(
        default_factory=list
    )  # other fact-checkers' ratings


def _evidence(ev: Evidence, words: set[str], sources: Sources, best: bool) -> EvidenceView:
    url = sources.url_for(ev.source)
    archive = sources.archive_for(ev.source)
    return EvidenceView(
        ev,
        shared_words(ev.text, words),
        url,
        text_fragment_url(url, ev.text) if url else "",
        text_fragment_url(archive, ev.text) if archive else None,
        sources.title_for(ev.source),
        best,
    )


def _findings_for(i: int, item: ArticleReport) -> list[tuple[int, Finding, str]]:
    claim = item.results[i].claim
    out = []
    for n, f in enumerate(item.findings):
        if (f.claim_id and f.claim_id == claim.id) or (
            not f.claim_id and f.start < claim.end and f.end > claim.start
        ):
            out.append((n, f, severity_key(f.severity)))
    return out


def detail(i: int, item: ArticleReport, sources: Sources) -> Detail:
    result = item.results[i]
    claim = result.claim
    verdict = verdict_key(result.verdict)
    words = claim_words(claim.text)
    reason = result.reason or (claim.reason if not claim.checkable else "") or VERDICT_META[verdict][2]
    ranked = sorted(result.evidence, key=lambda ev: -(ev.score if math.isfinite(ev.score) else 0.0))
    return Detail(
        i,
        verdict,
        result,
        spans(claim.text, result.unsupported_words),
        reason,
        claim.reason if not claim.checkable and claim.reason and result.reason else "",
        sorted(result.checks, key=lambda c: c.ok),
        _findings_for(i, item),
        [_evidence(ev, words, sources, n == 0) for n, ev in enumerate(ranked[:3])],
        [_evidence(ev, words, sources, False) for ev in ranked[3:]],
        fact_checks_for(result, item.documents),
    )


# ---------------------------------------------------------------------------------------------
# summary and findings


def counts(item: ArticleReport) -> tuple[Counter[str], Counter[str]]:
    verdicts = Counter(verdict_key(r.verdict) for r in item.results)
    severities = Counter(severity_key(f.severity) for f in item.findings)
    return verdicts, severities


def headline(item: ArticleReport) -> tuple[str, str]:
    """(css class, sentence) telling at a glance how the article fares."""
    v, s = counts(item)
    checkable = sum(n for k, n in v.items() if k != "not_checkable")
    bad = [
        f"{v[k]} {label}"
        for k, label in (
            ("contradicted", "contradicted"),
            ("unsupported", "unsupported"),
            ("partially_supported", "only partly supported"),
        )
        if v[k]
    ]
    problems = s["error"] + s["warning"]
    kinds = ", ".join(count_label(s[k], k) for k in ("error", "warning") if s[k])
    note = f"{plural(problems, 'other finding')} ({kinds})" if problems else ""
    if not item.documents:
        sentence = "No source could be read, so no claim could be checked against one."
        return "bad", sentence + (f" Also {note}." if note else "")
    if bad:
        flagged = v["contradicted"] + v["unsupported"] + v["partially_supported"]
        sentence = f"{flagged} of {plural(checkable, 'checkable claim')} need attention: {', '.join(bad)}."
        if note:
            sentence += f" Also {note}."
        return ("bad" if v["contradicted"] else "warn"), sentence
    if note:
        return "warn", f"All {plural(checkable, 'checkable claim')} are supported, but: {note}."
    return "good", f"All {plural(checkable, 'checkable claim')} are supported by the sources."


@dataclass(frozen=True)
class FindingRow:
    number: int
    finding: Finding
    severity: str
    excerpt: str  # the flagged words of the article, clipped


def finding_rows(item: ArticleReport) -> list[FindingRow]:
    """The article's findings, errors first, then in article order."""
    order = {k: n for n, k in enumerate(SEVERITIES)}
    rows = []
    raw = item.article.raw
    for n, f in sorted(enumerate(item.findings), key=lambda nf: (order.get(nf[1].severity, 9), nf[1].start)):
        excerpt = raw[max(0, f.start) : max(0, f.end)]
        if len(excerpt) > 160:
            excerpt = excerpt[:159] + "…"
        rows.append(FindingRow(n, f, severity_key(f.severity), excerpt if excerpt.strip() else ""))
    return rows


# ---------------------------------------------------------------------------------------------
# rewrite, attributions, sources


@dataclass(frozen=True)
class RewriteRow:
    kind: str
    label: str
    left: list[Run]  # marked: only in the original
    right: list[Run]  # marked: only in the rewrite
    where: str  # "line N" of the rewrite
    notes: list[str]


@dataclass(frozen=True)
class RewriteView:
    heading: str
    original: str
    copy_share: float  # percent
    filters: list[tuple[str, str, int]]  # (kind, label, pairs)
    rows: list[RewriteRow]


def rewrite(item: ArticleReport) -> RewriteView | None:
    """Original | rewrite, one aligned row per pair, with the word diff."""
    diff = item.rewrite
    if diff is None:
        return None
    kinds: Counter[str] = Counter(p.kind for p in diff.pairs)
    lines = {r.claim.id: r.claim.line for r in item.results}
    rows = []
    for pair in diff.pairs:
        left, right = word_diff(pair.original_text, pair.rewrite_text)
        if pair.kind == "added":
            left = []
        notes = [c.message for c in pair.changes] + ([pair.note] if pair.note else [])
        where = f"line {lines[pair.rewrite[0]]}" if pair.rewrite and pair.rewrite[0] in lines else ""
        rows.append(
            RewriteRow(pair.kind, REWRITE_LABELS.get(pair.kind, pair.kind), left, right, where, notes)
        )
    which = (
        "likely original (recognised: it states most of the article's sentences)"
        if diff.detected
        else "original"
    )
    filters = [(kind, label, kinds[kind]) for kind, label in REWRITE_LABELS.items() if kinds[kind]]
    return RewriteView(f"Against the {which}", diff.original, diff.copy_share * 100, filters, rows)


@dataclass(frozen=True)
class AttributionRow:
    speaker: str
    role: str
    verb: str
    kind: str
    content: str


def attribution_rows(item: ArticleReport) -> list[AttributionRow]:
    rows = []
    for a in item.attributions:
        role = ", ".join(x for x in (a.title, a.organisation) if x)
        content = a.content if len(a.content) <= 200 else a.content[:199] + "…"
        kind = "quote" if a.quote else "paraphrase"
        rows.append(AttributionRow(a.speaker or "— unnamed —", role or "—", a.verb or "—", kind, content))
    return rows


@dataclass(frozen=True)
class SourceRow:
    doc: Document
    url: str  # as named: a URL or a file
    final: str  # where redirects ended, when somewhere else
    status: str
    status_class: str
    digest: str
    digest_short: str
    copy: str  # archived copy, cache or live


def source_rows(item: ArticleReport) -> list[SourceRow]:
    rows = []
    for d in item.documents:
        copy = "archived copy" if d.archived else ("cache" if d.from_cache else "live")
        if d.archived and d.ref.file:
            copy += f" ({d.ref.file})"
        short = d.content_hash.split(":", 1)[-1]
        rows.append(
            SourceRow(
                d,
                d.ref.url or (str(d.ref.file) if d.ref.file else ""),
                d.final_url if d.final_url and d.final_url != d.ref.url else "",
                "—" if d.status is None else str(d.status),
                "ok" if d.status is not None and 200 <= d.status < 300 else ("bad" if d.status else ""),
                d.content_hash,
                short[:12] + ("…" if len(short) > 12 else ""),
                copy,
            )
        )
    return rows


@dataclass(frozen=True)
class IndexRow:
    """One article in the index of a multi-article report."""

    item: ArticleReport
    href: str
    title: str
    verdicts: Counter[str]
    severities: Counter[str]
    headline: str


def index_row(item: ArticleReport, href: str) -> IndexRow:
    v, s = counts(item)
    title = item.article.title or Path(item.article.path).name
    return IndexRow(item, href, title, v, s, headline(item)[1])
