"""Self-contained HTML report: one page per article, no network access when opened.

Each page shows the article as written (``Article.raw``; markdown front matter is shown collapsed),
every claim highlighted by verdict with an icon and a label, attribution findings marked inline with
their message, and a panel with the evidence of the claim that is clicked or focused (``j``/``k`` or
the arrow keys move between claims, Enter moves into the evidence, Escape goes back). A summary,
verdict filters, a findings list and a sources panel complete the page.

Everything is rendered here, server side: every piece of article text, source text and every URL is
HTML-escaped, and only ``http``/``https`` URLs ever become links. The CSS and the small script are
inline and allowed by their SHA-256 hashes in a ``Content-Security-Policy`` meta tag whose
``default-src`` is ``'none'``, so the page cannot load anything, and injected markup could not run.

File layout of :func:`write_html`:

* one article: ``output`` is that article's page;
* several articles (or none): ``output`` is an index page, and each article's page is written to
  ``<output stem>-files/<article stem>.html`` beside it, e.g. ``report.html`` and
  ``report-files/cmsa-private-rockets.html``. Article pages link back to the index.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import itertools
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from verify.models import (
    SEVERITIES,
    VERDICTS,
    Article,
    ArticleReport,
    ClaimResult,
    Document,
    Evidence,
    Finding,
    Report,
)

__all__ = ["render_article", "render_index", "text_fragment_url", "write_html"]

# verdict -> (icon, label, what it means)
VERDICT_META: dict[str, tuple[str, str, str]] = {
    "contradicted": ("✗", "Contradicted", "A source says otherwise"),
    "unsupported": ("?", "Unsupported", "No source sentence backs this claim"),
    "partially_supported": ("◐", "Partly supported", "Some facts of the claim are not backed"),
    "supported": ("✓", "Supported", "A source sentence backs this claim"),
    "not_checkable": ("–", "Not checkable", "Not a checkable statement of fact"),
}
# Display order: problems first.
VERDICT_ORDER: tuple[str, ...] = (
    "contradicted",
    "unsupported",
    "partially_supported",
    "supported",
    "not_checkable",
)
SEVERITY_META: dict[str, tuple[str, str]] = {
    "error": ("✖", "Error"),
    "warning": ("⚠", "Warning"),
    "info": ("ℹ", "Info"),
}
assert set(VERDICT_META) == set(VERDICTS) and set(SEVERITY_META) == set(SEVERITIES)

_STOPWORD_TEXT = (
    "a an and are as at be been but by for from has have had he her his i in is it its of on or "
    "our she that the their them they this to was were which who will with would than then there "
    "these those not no so if into over also about after before it's s"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_URL_SAFE = "%:/?#[]@!$&'()*+,;=~"
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
_FRONT_MATTER = re.compile(
    r"\A\ufeff?(?:---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n.*?\r?\n\+\+\+)[ \t]*(?:\r?\n|\Z)",
    re.DOTALL,
)


# ---------------------------------------------------------------------------------------------
# small helpers


def _e(value: object) -> str:
    """HTML-escape anything for text and double-quoted attribute positions."""
    return html.escape(str(value), quote=True)


def _verdict(value: str) -> str:
    """A verdict safe to use in class names: unknown values are shown as not checkable."""
    return value if value in VERDICT_META else "not_checkable"


def _severity(value: str) -> str:
    return value if value in SEVERITY_META else "info"


def http_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL that may become a link, else None.

    The URL comes back with spaces, quotes, angle brackets and non-ASCII characters percent-encoded.
    """
    if not url:
        return None
    candidate = url.strip()
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(candidate, safe=_URL_SAFE)


def _fragment_part(words: Sequence[str]) -> str:
    # Text fragment syntax reserves "-", "," and "&": percent-encode everything but letters/digits/._~
    return quote(" ".join(words), safe="").replace("-", "%2D")


def text_fragment_url(url: str, sentence: str, words: int = 4) -> str:
    """`url` with a ``#:~:text=`` fragment that makes the browser scroll to and highlight `sentence`.

    Short sentences are matched whole; longer ones by their first and last `words` words
    (``text=start,end``). An existing fragment of `url` is replaced.
    """
    tokens = sentence.split()
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    if not tokens:
        return base
    if len(tokens) <= 2 * words:
        directive = _fragment_part(tokens)
    else:
        directive = f"{_fragment_part(tokens[:words])},{_fragment_part(tokens[-words:])}"
    return f"{base}#:~:text={directive}"


def _link(url: str | None, text: str | None = None, *, cls: str = "") -> str:
    """An external link when `url` is http(s); otherwise the URL as plain (escaped) text."""
    shown = text if text is not None else (url or "")
    safe = http_url(url)
    title = f' title="{_e(url)}"' if url and shown != url else ""
    if safe is None:
        return f'<span class="url-text{" " + cls if cls else ""}"{title}>{_e(shown)}</span>'
    cls_attr = f' class="{cls}"' if cls else ""
    return f'<a{cls_attr} href="{_e(safe)}"{title} rel="noopener noreferrer" target="_blank">{_e(shown)}</a>'


def _short_url(url: str, limit: int = 60) -> str:
    parts = urlsplit(url) if http_url(url) else None
    shown = (parts.netloc + parts.path) if parts else url
    if parts and parts.query:
        shown += "?" + parts.query
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _num(value: float) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.2f}"


def _meter(value: float, label: str) -> str:
    v = value if value is not None and math.isfinite(value) else 0.0
    v = min(1.0, max(0.0, v))
    return (
        f'<meter min="0" max="1" low="0.5" high="0.75" optimum="1" value="{v:.3f}" '
        f'aria-label="{_e(label)}"></meter>'
    )


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _words(text: str) -> set[str]:
    out = set()
    for m in _WORD.finditer(text):
        w = m.group(0).lower()
        if w in _STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.add(w)
    return out


def _emphasise(text: str, words: set[str]) -> str:
    """Escape `text`, wrapping the words that also appear in the claim in <strong class="match">."""
    out: list[str] = []
    pos = 0
    for m in _WORD.finditer(text):
        if m.group(0).lower() not in words:
            continue
        out.append(_e(text[pos : m.start()]))
        out.append(f'<strong class="match">{_e(m.group(0))}</strong>')
        pos = m.end()
    out.append(_e(text[pos:]))
    return "".join(out)


def _spans_markup(text: str, spans: Iterable[tuple[int, int]], cls: str) -> str:
    """Escape `text`, wrapping the given [start, end) spans in <mark class=cls>."""
    cleaned: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start >= end:
            continue
        if cleaned and start <= cleaned[-1][1]:
            cleaned[-1] = (cleaned[-1][0], max(cleaned[-1][1], end))
        else:
            cleaned.append((start, end))
    out: list[str] = []
    pos = 0
    for start, end in cleaned:
        out.append(_e(text[pos:start]))
        out.append(f'<mark class="{cls}">{_e(text[start:end])}</mark>')
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def _count_label(n: int, severity: str) -> str:
    return _plural(n, severity, "info" if severity == "info" else None)


def _verdict_pill(verdict: str, *, count: int | None = None) -> str:
    icon, label, _ = VERDICT_META[verdict]
    tail = f' <span class="count">{count}</span>' if count is not None else ""
    return (
        f'<span class="pill v-{verdict}"><span class="icon" aria-hidden="true">{icon}</span> '
        f"{_e(label)}{tail}</span>"
    )


def _severity_pill(severity: str, text: str | None = None) -> str:
    icon, label = SEVERITY_META[severity]
    return (
        f'<span class="pill s-{severity}"><span class="icon" aria-hidden="true">{icon}</span> '
        f"{_e(text if text is not None else label)}</span>"
    )


def _hash_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# ---------------------------------------------------------------------------------------------
# the article text with claims and findings marked


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: str  # finding | unsup
    index: int = -1  # finding number
    severity: str = "info"
    message: str = ""
    rule: str = ""
    badge_at: int = -1  # where its badge goes: the end of the word the mark ends in


def _word_end(raw: str, pos: int) -> int:
    """`pos` moved to the end of the word it falls in, so a badge never splits a word ("tan|CEO")."""
    while 0 < pos < len(raw) and raw[pos].isalnum() and raw[pos - 1].isalnum():
        pos += 1
    return pos


class _ArticleMarkup:
    """Renders spans of ``Article.raw`` with claims as the outer layer and findings inside."""

    def __init__(self, raw: str, findings: Sequence[Finding]):
        self.raw = raw
        n = len(raw)
        self.findings: list[_Mark] = []
        for i, f in enumerate(findings):
            start = min(max(0, f.start), n)
            end = min(max(start, f.end), n)
            self.findings.append(
                _Mark(
                    start,
                    end,
                    "finding",
                    i,
                    _severity(f.severity),
                    f"{f.rule}: {f.message}",
                    f.rule,
                    _word_end(raw, end),
                )
            )
        self._anchored: set[int] = set()
        self._badged: set[int] = set()

    def region(self, a: int, b: int, extra: Sequence[_Mark] = ()) -> str:
        """Markup for raw[a:b] with the findings (and `extra` marks) that fall inside it."""
        marks = [
            m for m in (*self.findings, *extra) if (m.start < b and m.end > a) or a <= m.start == m.end <= b
        ]
        cuts = {a, b}
        for m in marks:
            cuts.update(p for p in (m.start, m.end, m.badge_at) if a < p < b)
        points = sorted(cuts)
        out: list[str] = [self._badges(marks, a)]
        for x, y in itertools.pairwise(points):
            covering = [m for m in marks if m.start <= x and m.end >= y and m.start < m.end]
            piece = _e(self.raw[x:y])
            if any(m.kind == "unsup" for m in covering):
                piece = f'<mark class="unsup" title="No source supports these words">{piece}</mark>'
            for m in covering:
                if m.kind != "finding":
                    continue
                anchor = ""
                if m.index not in self._anchored:
                    self._anchored.add(m.index)
                    anchor = f' id="fmark-{m.index}"'
                piece = f'<span class="fmark s-{m.severity}"{anchor} data-finding="{m.index}">{piece}</span>'
            out.append(piece)
            out.append(self._badges(marks, y))
        # a mark that ends here but whose word runs on past the region: its badge at the region's end
        out.append(self._badges([m for m in marks if m.end <= b < m.badge_at], b, late=True))
        return "".join(out)

    def _badges(self, marks: Iterable[_Mark], at: int, *, late: bool = False) -> str:
        out = []
        for m in marks:
            if m.kind != "finding" or m.index in self._badged:
                continue
            if not late and m.badge_at != at:
                continue
            self._badged.add(m.index)
            anchor = ""
            if m.index not in self._anchored:
                self._anchored.add(m.index)
                anchor = f' id="fmark-{m.index}"'
            icon, label = SEVERITY_META[m.severity]
            words = m.rule.rsplit(".", 1)[-1].replace("-", " ") or label.lower()
            out.append(
                f'<span class="fnote s-{m.severity}"{anchor} title="#{m.index + 1} {_e(m.message)}">'
                f'<span aria-hidden="true">{icon}</span><span class="fname">{_e(words)}</span>'
                f'<span class="tip" role="note"><span class="sr-only">{label} #{m.index + 1}: </span>'
                f"{_e(m.message)}</span></span>"
            )
        return "".join(out)


def _front_matter_end(article: Article) -> int:
    if article.format != "markdown":
        return 0
    m = _FRONT_MATTER.match(article.raw)
    return m.end() if m else 0


def _placed_claims(results: Sequence[ClaimResult], lo: int, hi: int) -> list[tuple[int, int, int]]:
    """(index, start, end) of each claim that can be shown inline, clipped so none overlap."""
    spans = []
    for i, r in enumerate(results):
        start = min(max(lo, r.claim.start), hi)
        end = min(max(start, r.claim.end), hi)
        spans.append((start, end, i))
    spans.sort()
    placed: list[tuple[int, int, int]] = []
    pos = lo
    for start, end, i in spans:
        start = max(start, pos)
        if start >= end:
            continue
        placed.append((i, start, end))
        pos = end
    return placed


def _claim_label(verdict: str) -> str:
    icon, label, _ = VERDICT_META[verdict]
    if verdict in ("not_checkable", "supported"):
        text = f'<span class="sr-only">{_e(label)}</span>'
    else:
        text = f'<span class="blabel">{_e(label)}</span>'
    return f'<span class="badge v-{verdict}"><span aria-hidden="true">{icon}</span>{text}</span>'


def _article_body(item: ArticleReport) -> str:
    article = item.article
    raw = article.raw
    markup = _ArticleMarkup(raw, item.findings)
    fm_end = _front_matter_end(article)
    out: list[str] = []
    if fm_end:
        lines = raw[:fm_end].count("\n")
        out.append(
            '<details class="front-matter"><summary>Front matter '
            f'<span class="muted">({_plural(lines, "line")})</span></summary>'
            f'<pre class="article-text">{markup.region(0, fm_end)}</pre></details>'
        )
    body: list[str] = []
    pos = fm_end
    for i, start, end in _placed_claims(item.results, fm_end, len(raw)):
        result = item.results[i]
        body.append(markup.region(pos, start))
        verdict = _verdict(result.verdict)
        unsup: list[_Mark] = []
        if result.unsupported_words and raw[start:end] == result.claim.text:
            unsup = [_Mark(start + s, start + e, "unsup") for s, e in result.unsupported_words if s < e]
        body.append(
            f'<span class="claim v-{verdict}" id="claim-{i}" tabindex="0" role="button" '
            f'aria-pressed="false" aria-controls="detail-{i}" data-detail="detail-{i}" '
            f'data-verdict="{verdict}">{markup.region(start, end, unsup)}{_claim_label(verdict)}</span>'
        )
        pos = end
    body.append(markup.region(pos, len(raw)))
    out.append(f'<div class="article-text" id="article-text">{"".join(body)}</div>')
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# evidence panel


class _Sources:
    """Looks up the document behind an Evidence.source string."""

    def __init__(self, documents: Sequence[Document], base: Path | None = None):
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


def archive_href(doc: Document, base: Path | None) -> str | None:
    """href of a document's archived file: relative to `base`, else an absolute file: URL."""
    if not doc.archived or doc.ref.file is None:
        return None
    path = Path(doc.ref.file).resolve()
    if base is None:
        return path.as_uri()
    return "./" + quote(Path(os.path.relpath(path, base.resolve())).as_posix())


def _evidence_item(ev: Evidence, claim_words: set[str], sources: _Sources, best: bool) -> str:
    url = sources.url_for(ev.source)
    archive = sources.archive_for(ev.source)
    links = []
    if url:
        target = text_fragment_url(url, ev.text)
        links.append(
            f'<a class="src-link" href="{_e(target)}" rel="noopener noreferrer" target="_blank" '
            f'title="Open the recorded URL at this sentence">{_e(_short_url(url))}'
            '<span aria-hidden="true"> ↗</span></a>'
        )
    else:
        links.append(f'<span class="src-link url-text">{_e(ev.source)}</span>')
    if archive:
        links.append(
            f'<a class="archive-link" href="{_e(text_fragment_url(archive, ev.text))}" target="_blank" '
            'rel="noopener noreferrer" title="Open the archived copy this check read, at this sentence">'
            'archived copy<span aria-hidden="true"> ↗</span></a>'
        )
    link = ' <span class="muted">·</span> '.join(links)
    title = sources.title_for(ev.source)
    title_html = f'<div class="src-title">{_e(title)}</div>' if title else ""
    return (
        f'<li class="evidence{" best" if best else ""}">'
        f'<blockquote class="ev-text">{_emphasise(ev.text, claim_words)}</blockquote>'
        '<div class="ev-meta">'
        f'<span class="metric">{_meter(ev.similarity, "similarity")} similarity '
        f"<b>{_num(ev.similarity)}</b></span>"
        f'<span class="metric">lexical <b>{_num(ev.lexical)}</b></span>'
        f'<span class="metric">score <b>{_num(ev.score)}</b></span>'
        f'<span class="metric">sentence #{ev.sentence_index + 1}</span>'
        "</div>"
        f'<div class="ev-source">{title_html}<div>{link}</div></div>'
        "</li>"
    )


def _checks(result: ClaimResult) -> str:
    if not result.checks:
        return ""
    NONE = '<span class="muted">—</span>'
    items = []
    for c in sorted(result.checks, key=lambda c: c.ok):
        icon, word = ("✓", "matches") if c.ok else ("✗", "differs")
        kind = c.kind.capitalize() or "Value"
        source = f'<span class="muted small">in {_e(_short_url(c.source))}</span>' if c.source else ""
        message = f'<div class="small">{_e(c.message)}</div>' if c.message else ""
        theirs = f"<code>{_e(c.evidence_value)}</code>" if c.evidence_value else NONE
        items.append(
            f'<li class="check {"check-ok" if c.ok else "check-bad"}"><div class="check-head">'
            f'<span class="verdict-word"><span aria-hidden="true">{icon}</span> {_e(kind)} {word}</span>'
            f"{source}</div>"
            f'<div class="check-values"><span class="muted">article</span> <code>{_e(c.claim_value)}</code>'
            f' <span class="muted">source</span> {theirs}</div>{message}</li>'
        )
    return f'<h4>Checks</h4><ul class="checks">{"".join(items)}</ul>'


def _parts(result: ClaimResult) -> str:
    if not result.parts:
        return ""
    items = []
    for p in result.parts:
        mark = (
            '<span class="ok"><span aria-hidden="true">✓</span> supported</span>'
            if p.supported
            else '<span class="bad"><span aria-hidden="true">✗</span> not supported</span>'
        )
        evidence = f'<div class="muted small">Closest: “{_e(p.evidence)}”</div>' if p.evidence else ""
        items.append(
            f'<li class="{"part-ok" if p.supported else "part-bad"}">{mark} <span class="muted">score '
            f"{_num(p.score)}</span><div>{_e(p.text)}</div>{evidence}</li>"
        )
    return f'<h4>Facts in this claim</h4><ul class="parts">{"".join(items)}</ul>'


def _findings_for(i: int, item: ArticleReport) -> list[tuple[int, Finding]]:
    claim = item.results[i].claim
    out = []
    for n, f in enumerate(item.findings):
        if (f.claim_id and f.claim_id == claim.id) or (
            not f.claim_id and f.start < claim.end and f.end > claim.start
        ):
            out.append((n, f))
    return out


def _detail(i: int, item: ArticleReport, sources: _Sources) -> str:
    result = item.results[i]
    claim = result.claim
    verdict = _verdict(result.verdict)
    _, _, meaning = VERDICT_META[verdict]
    claim_words = _words(claim.text)
    parts: list[str] = [
        f'<section class="claim-detail v-{verdict}" id="detail-{i}" tabindex="-1" hidden '
        f'aria-labelledby="detail-{i}-h">',
        '<div class="detail-head">',
        _verdict_pill(verdict),
        f'<span class="muted">score <b>{_num(result.score)}</b></span>' if verdict != "not_checkable" else "",
        f'<span class="muted loc">line {claim.line}, col {claim.column} · {_e(claim.id)}</span>',
        "</div>",
        f'<h3 id="detail-{i}-h" class="sr-only">Claim {_e(claim.id)}: {_e(VERDICT_META[verdict][1])}</h3>',
        f'<blockquote class="claim-text">{_spans_markup(claim.text, result.unsupported_words, "unsup")}'
        "</blockquote>",
    ]
    if result.unsupported_words:
        parts.append(
            '<p class="legend small"><mark class="unsup">highlighted words</mark> '
            "are not backed by any source.</p>"
        )
    reason = result.reason or (claim.reason if not claim.checkable else "") or meaning
    parts.append(f'<p class="reason"><b>Why:</b> {_e(reason)}</p>')
    if not claim.checkable and claim.reason and result.reason:
        parts.append(f'<p class="muted small">Not checkable: {_e(claim.reason)}</p>')
    if result.disagreement:
        parts.append(
            '<div class="callout disagreement" role="note"><b><span aria-hidden="true">⚡</span> '
            f"Sources disagree:</b> {_e(result.disagreement)}</div>"
        )
    parts.append(_checks(result))
    parts.append(_parts(result))
    found = _findings_for(i, item)
    if found:
        items = "".join(
            f'<li>{_severity_pill(_severity(f.severity))} <a href="#finding-{n}">#{n + 1}</a> '
            f"<code>{_e(f.rule)}</code> {_e(f.message)}</li>"
            for n, f in found
        )
        parts.append(f'<h4>Attribution findings</h4><ul class="plain">{items}</ul>')
    if result.evidence:
        ranked = sorted(result.evidence, key=lambda ev: -(ev.score if math.isfinite(ev.score) else 0.0))
        top, rest = ranked[:3], ranked[3:]
        items = "".join(_evidence_item(ev, claim_words, sources, n == 0) for n, ev in enumerate(top))
        parts.append(
            f'<h4>Evidence <span class="muted">(best first)</span></h4><ol class="evidence-list">{items}</ol>'
        )
        if rest:
            more = "".join(_evidence_item(ev, claim_words, sources, False) for ev in rest)
            parts.append(
                f'<details class="more"><summary>{_plural(len(rest), "more sentence")}</summary>'
                f'<ol class="evidence-list" start="4">{more}</ol></details>'
            )
    elif claim.checkable:
        parts.append('<p class="muted">No source sentence came close to this claim.</p>')
    parts.append(f'<a class="back-to-claim" href="#claim-{i}">↑ Back to the claim in the article</a>')
    parts.append("</section>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# summary, findings list, sources panel


def _counts(item: ArticleReport) -> tuple[Counter[str], Counter[str]]:
    verdicts = Counter(_verdict(r.verdict) for r in item.results)
    severities = Counter(_severity(f.severity) for f in item.findings)
    return verdicts, severities


def _headline(item: ArticleReport) -> tuple[str, str]:
    """(css class, sentence) telling at a glance how the article fares."""
    v, s = _counts(item)
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
    kinds = ", ".join(_count_label(s[k], k) for k in ("error", "warning") if s[k])
    note = f"{_plural(problems, 'attribution problem')} ({kinds})" if problems else ""
    if not item.documents:
        sentence = "No source could be read, so no claim could be checked against one."
        return "bad", sentence + (f" Also {note}." if note else "")
    if bad:
        flagged = v["contradicted"] + v["unsupported"] + v["partially_supported"]
        sentence = f"{flagged} of {_plural(checkable, 'checkable claim')} need attention: {', '.join(bad)}."
        if note:
            sentence += f" Also {note}."
        return ("bad" if v["contradicted"] else "warn"), sentence
    if note:
        return "warn", f"All {_plural(checkable, 'checkable claim')} are supported, but: {note}."
    return "good", f"All {_plural(checkable, 'checkable claim')} are supported by the sources."


def _summary(item: ArticleReport) -> str:
    v, s = _counts(item)
    cls, sentence = _headline(item)
    chips = "".join(
        f'<label class="filter v-{k}"><input type="checkbox" data-filter="verdict" value="{k}" checked>'
        f"{_verdict_pill(k, count=v[k])}</label>"
        for k in VERDICT_ORDER
    )
    sev = "".join(
        f'<a class="sev-count" href="#findings">{_severity_pill(k, _count_label(s[k], k))}</a>'
        for k in SEVERITIES
    )
    used, failed = len(item.documents), len(item.skipped)
    archived = sum(1 for d in item.documents if d.archived)
    src_note = f' <span class="muted">({archived} archived)</span>' if archived else ""
    return (
        '<section class="summary" aria-label="Summary">'
        f'<p class="headline h-{cls}" role="status">{_e(sentence)}</p>'
        '<div class="cards">'
        f'<fieldset class="card filters"><legend>Claims by verdict <span class="filter-hint">— '
        f"untick to hide</span></legend>{chips}</fieldset>"
        f'<div class="card"><div class="card-title">Attribution findings</div>{sev}</div>'
        '<div class="card"><div class="card-title">Sources</div>'
        f'<a class="src-count" href="#sources"><b>{used}</b> used{src_note}</a> · '
        f'<a class="src-count{" failed" if failed else ""}" href="#sources"><b>{failed}</b> failed</a></div>'
        "</div></section>"
    )


def _findings_list(item: ArticleReport) -> str:
    if not item.findings:
        return (
            '<section class="panel" id="findings" aria-labelledby="findings-h">'
            '<h2 id="findings-h">Attribution findings</h2><p class="muted">None.</p></section>'
        )
    order = {k: n for n, k in enumerate(SEVERITIES)}
    rows = []
    raw = item.article.raw
    for n, f in sorted(enumerate(item.findings), key=lambda nf: (order.get(nf[1].severity, 9), nf[1].start)):
        sev = _severity(f.severity)
        excerpt = raw[max(0, f.start) : max(0, f.end)]
        if len(excerpt) > 160:
            excerpt = excerpt[:159] + "…"
        quote_html = f'<blockquote class="excerpt">{_e(excerpt)}</blockquote>' if excerpt.strip() else ""
        suggestion = f'<p class="small"><b>Suggestion:</b> {_e(f.suggestion)}</p>' if f.suggestion else ""
        rows.append(
            f'<li class="finding s-{sev}" id="finding-{n}">'
            f'<div class="finding-head">{_severity_pill(sev)} <span class="fnum-big">#{n + 1}</span> '
            f"<code>{_e(f.rule)}</code> "
            f'<a class="muted small" href="#fmark-{n}">line {f.line}, col {f.column} — show in article</a>'
            "</div>"
            f"<p>{_e(f.message)}</p>{quote_html}{suggestion}</li>"
        )
    return (
        '<section class="panel" id="findings" aria-labelledby="findings-h">'
        f'<h2 id="findings-h">Attribution findings</h2><ol class="findings">{"".join(rows)}</ol></section>'
    )


REWRITE_LABELS = {
    "kept": "kept",
    "reworded": "reworded",
    "fact-changed": "fact changed",
    "meaning-changed": "meaning changed",
    "attribution-changed": "attribution changed",
    "added": "added",
    "dropped": "dropped",
}
_DIFF_WORD = re.compile(r"\S+\s*")


def _word_diff(before: str, after: str) -> tuple[str, str]:
    """Both sides as HTML, words only in the original in <del>, words only in the rewrite in <ins>."""
    a, b = _DIFF_WORD.findall(before), _DIFF_WORD.findall(after)
    matcher = difflib.SequenceMatcher(None, [w.strip().lower() for w in a], [w.strip().lower() for w in b])
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = _e("".join(a[i1:i2])), _e("".join(b[j1:j2]))
        if op == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(f"<del>{old}</del>")
        if new:
            right.append(f"<ins>{new}</ins>")
    return "".join(left), "".join(right)


def _rewrite_panel(item: ArticleReport) -> str:
    """Original | rewrite, one aligned row per pair, word diff marked, filters by kind of change."""
    diff = item.rewrite
    if diff is None:
        return ""
    counts: Counter[str] = Counter(p.kind for p in diff.pairs)
    lines = {r.claim.id: r.claim.line for r in item.results}
    filters = "".join(
        f'<label class="filter"><input type="checkbox" data-rw-filter value="{kind}" checked>'
        f'<span class="pill rw-{kind}">{_e(label)} <span class="count">{counts[kind]}</span></span></label>'
        for kind, label in REWRITE_LABELS.items()
        if counts[kind]
    )
    rows = []
    for pair in diff.pairs:
        left, right = _word_diff(pair.original_text, pair.rewrite_text)
        if pair.kind == "added":
            left = ""
        notes = [c.message for c in pair.changes] + ([pair.note] if pair.note else [])
        where = f"line {lines[pair.rewrite[0]]}" if pair.rewrite and pair.rewrite[0] in lines else ""
        what = "".join(f"<li>{_e(n)}</li>" for n in notes)
        label = REWRITE_LABELS.get(pair.kind, pair.kind)
        rows.append(
            f'<tr class="rw-row" data-kind="{_e(pair.kind)}" tabindex="0">'
            f'<td class="rw-old">{left}</td><td class="rw-new">{right}</td>'
            f'<td class="rw-kind"><span class="pill rw-{_e(pair.kind)}">{_e(label)}</span>'
            f' <span class="muted small">{_e(where)}</span>'
            f"{f'<ul class=rw-notes>{what}</ul>' if what else ''}</td></tr>"
        )
    which = (
        "likely original (recognised: it states most of the article's sentences)"
        if diff.detected
        else "original"
    )
    return (
        '<section class="panel" id="rewrite" aria-labelledby="rewrite-h">'
        f'<h2 id="rewrite-h">Against the {_e(which)}</h2>'
        f"<p>{_link(http_url(diff.original), diff.original)} · copy share {_num(diff.copy_share * 100)} % "
        "of the rewrite's words in runs copied from the original "
        '<span class="keys">· <kbd>j</kbd> <kbd>k</kbd> / <kbd>↑</kbd> <kbd>↓</kbd> move between rows'
        "</span></p>"
        '<fieldset class="card filters rw-filters"><legend>Pairs by kind of change</legend>'
        f"{filters}</fieldset>"
        '<table class="rw"><thead><tr><th scope="col">Original</th><th scope="col">Rewrite</th>'
        f'<th scope="col">Change</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _attributions(item: ArticleReport) -> str:
    if not item.attributions:
        return ""
    rows = []
    for a in item.attributions:
        who = a.speaker or "— unnamed —"
        role = ", ".join(x for x in (a.title, a.organisation) if x)
        content = a.content if len(a.content) <= 200 else a.content[:199] + "…"
        rows.append(
            f"<tr><td>{_e(who)}</td><td>{_e(role) or '—'}</td><td>{_e(a.verb) or '—'}</td>"
            f"<td>{'quote' if a.quote else 'paraphrase'}</td><td>{_e(content)}</td></tr>"
        )
    return (
        '<details class="panel attributions"><summary><h2>Attributions '
        f'<span class="muted">({len(rows)})</span></h2></summary>'
        '<table><thead><tr><th scope="col">Speaker</th><th scope="col">Title / organisation</th>'
        '<th scope="col">Verb</th><th scope="col">Kind</th><th scope="col">Credited with</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def _sources_panel(item: ArticleReport) -> str:
    SAME = '<span class="muted">same</span>'
    rows = []
    for d in item.documents:
        url = d.ref.url or (str(d.ref.file) if d.ref.file else "")
        final = d.final_url if d.final_url and d.final_url != d.ref.url else ""
        copy = "archived copy" if d.archived else ("cache" if d.from_cache else "live")
        if d.archived and d.ref.file:
            copy += f" ({d.ref.file})"
        title = f'<div class="small muted">{_e(d.title)}</div>' if d.title else ""
        if d.provenance:
            title += f'<div class="small muted provenance">{_e(d.provenance)}</div>'
        digest = d.content_hash
        short = digest.split(":", 1)[-1]
        digest_html = (
            f'<code title="{_e(digest)}">{_e(short[:12])}{"…" if len(short) > 12 else ""}</code>'
            if digest
            else "—"
        )
        status = "—" if d.status is None else _e(d.status)
        status_cls = "ok" if d.status is not None and 200 <= d.status < 300 else ("bad" if d.status else "")
        rows.append(
            f"<tr><td>{_link(url, _short_url(url, 70))}{title}</td>"
            f"<td>{_link(final, _short_url(final, 70)) if final else SAME}</td>"
            f'<td class="{status_cls}">{status}</td><td class="nowrap">{_e(d.fetched_at) or "—"}</td>'
            f'<td class="nowrap">{digest_html}</td><td>{_e(copy)}</td><td>{len(d.sentences)}</td></tr>'
        )
    used = (
        '<table class="sources"><thead><tr><th scope="col">Source</th><th scope="col">Final URL</th>'
        '<th scope="col">HTTP</th><th scope="col">Fetched at</th><th scope="col">Content hash</th>'
        '<th scope="col">Copy</th><th scope="col">Sentences</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="muted">No source was read.</p>'
    )
    skipped = ""
    if item.skipped:
        srows = "".join(
            f"<tr><td>{_link(s.ref.url or str(s.ref.file or ''), _short_url(s.ref.label, 70))}</td>"
            f"<td>{_e(s.ref.origin)}</td><td>{_e(s.reason)}</td></tr>"
            for s in item.skipped
        )
        skipped = (
            '<h3>Skipped sources</h3><table class="sources skipped"><thead><tr><th scope="col">Source</th>'
            '<th scope="col">Named in</th><th scope="col">Reason</th></tr></thead>'
            f"<tbody>{srows}</tbody></table>"
        )
    return (
        '<section class="panel" id="sources" aria-labelledby="sources-h">'
        f'<h2 id="sources-h">Sources</h2>{used}{skipped}</section>'
    )


# ---------------------------------------------------------------------------------------------
# page assembly

CSS = """
:root{--fg:#1f2328;--muted:#59636e;--bg:#f6f8fa;--card:#fff;--line:#d1d9e0;--accent:#0969da;
--sup:#1a7f37;--sup-bg:#dafbe1;--par:#9a6700;--par-bg:#fff1c2;--con:#cf222e;--con-bg:#ffe0e0;
--uns:#8250df;--uns-bg:#efe6ff;--nc:#59636e;--err:#cf222e;--warn:#9a6700;--info:#0969da;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","DejaVu Sans",Arial,sans-serif;
--serif:Charter,"Bitstream Charter","Sitka Text",Cambria,"Noto Serif","DejaVu Serif",Georgia,serif;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 var(--sans)}
a{color:var(--accent)}
a:focus-visible,[tabindex]:focus-visible,summary:focus-visible,input:focus-visible{
  outline:3px solid var(--accent);outline-offset:2px}
code{font:0.88em var(--mono);background:#eff2f5;border-radius:4px;padding:0 4px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
  clip:rect(0 0 0 0);white-space:nowrap;border:0}
.muted{color:var(--muted)}
.small{font-size:13px}
.skip{position:absolute;left:-999px;top:0}.skip:focus{left:8px;top:8px;background:#fff;
  padding:6px 10px;z-index:10}
.topbar{background:#fff;border-bottom:1px solid var(--line);padding:14px 28px;display:flex;gap:16px;
  align-items:baseline;flex-wrap:wrap}
.brand{font-weight:700;letter-spacing:.02em;color:#fff;background:var(--fg);border-radius:6px;
  padding:2px 8px;font-size:13px}
.topbar h1{font-size:20px;margin:0;font-weight:650}
.topbar .meta{margin:0;color:var(--muted);font-size:13px;flex-basis:100%}
.topbar .back{margin-left:auto;font-size:14px}
.wrap{max-width:1440px;margin:0 auto;padding:18px 28px 48px}
.banner{background:var(--con-bg);border:1px solid var(--con);border-radius:8px;padding:8px 14px;
  margin-bottom:14px}
.summary .headline{font-size:17px;font-weight:600;margin:0 0 12px;padding:10px 14px;
  border-radius:8px;border-left:5px solid}
.h-bad{background:var(--con-bg);border-color:var(--con)}.h-warn{background:var(--par-bg);
  border-color:var(--par)}
.h-good{background:var(--sup-bg);border-color:var(--sup)}
.cards{display:grid;grid-template-columns:minmax(0,1fr) auto auto;gap:12px;margin-bottom:16px}
@media (max-width:1100px){.cards{grid-template-columns:1fr 1fr}.cards .filters{grid-column:1/-1}}
.nowrap{white-space:nowrap}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 14px;
  margin:0;min-width:0}
.card legend,.card-title{font-size:12px;font-weight:600;text-transform:uppercase;
  letter-spacing:.05em;color:var(--muted);padding:0;margin-bottom:6px}
fieldset.card legend{float:left;width:100%}
.filter-hint{text-transform:none;letter-spacing:0;font-weight:400}
.filter{display:inline-flex;align-items:center;gap:4px;margin:0 8px 4px 0;cursor:pointer}
.filter input{margin:0;width:16px;height:16px;accent-color:var(--fg)}
.filter input:not(:checked)+.pill{opacity:.45;text-decoration:line-through}
.sev-count{text-decoration:none;margin-right:8px}
.src-count{color:var(--fg);text-decoration:none}.src-count.failed b{color:var(--con)}
.pill{display:inline-flex;align-items:center;gap:4px;border-radius:999px;padding:2px 10px;
  font-size:13px;font-weight:600;border:1px solid;white-space:nowrap;line-height:1.35}
.pill .count{font-variant-numeric:tabular-nums;background:rgba(255,255,255,.7);border-radius:999px;
  padding:0 6px;margin-left:2px}
.pill.v-supported{color:#116329;background:var(--sup-bg);border-color:#4ac26b}
.pill.v-partially_supported{color:#7d4e00;background:var(--par-bg);border-color:#d4a72c}
.pill.v-contradicted{color:#a40e26;background:var(--con-bg);border-color:#ff8182}
.pill.v-unsupported{color:#6639ba;background:var(--uns-bg);border-color:#c297ff}
.pill.v-not_checkable{color:#424a53;background:#eff2f5;border-color:#afb8c1}
.pill.s-error{color:#a40e26;background:var(--con-bg);border-color:#ff8182}
.pill.s-warning{color:#7d4e00;background:var(--par-bg);border-color:#d4a72c}
.pill.s-info{color:#0550ae;background:#ddf4ff;border-color:#80ccff}
.layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(360px,38%);gap:20px;
  align-items:start}
.doc,.panel,.evidence-panel{background:var(--card);border:1px solid var(--line);border-radius:10px}
.doc{padding:22px 30px 28px}
.doc-head{display:flex;justify-content:space-between;gap:12px;align-items:baseline;
  border-bottom:1px solid var(--line);padding-bottom:8px;margin-bottom:14px}
.doc-head h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);
  margin:0}
.keys{font-size:12px;color:var(--muted)}
kbd{font:11px var(--mono);border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;
  padding:0 4px;background:#f6f8fa;color:var(--fg)}
.article-text{font:17px/1.75 var(--serif);white-space:pre-wrap;overflow-wrap:anywhere;margin:0;
  max-width:78ch}
.front-matter{margin-bottom:14px;border:1px dashed var(--line);border-radius:8px;padding:6px 12px;
  font-size:13px}
.front-matter summary{cursor:pointer;color:var(--muted)}
.front-matter pre{font:13px/1.5 var(--mono);margin:8px 0 0}
.claim{border-radius:3px;padding:1px 1px;cursor:pointer;-webkit-box-decoration-break:clone;
  box-decoration-break:clone;border-bottom:2px solid transparent;transition:background .1s}
.claim.v-supported{border-bottom-color:#4ac26b}
.claim.v-partially_supported{background:#fff4d1;border-bottom-color:#d4a72c}
.claim.v-contradicted{background:#ffe5e5;border-bottom-color:var(--con)}
.claim.v-unsupported{background:#f3ecff;border-bottom-color:var(--uns)}
.claim.v-not_checkable{border-bottom:2px dotted #afb8c1}
.claim:hover{filter:brightness(.97)}
.claim.active{outline:2px solid var(--fg);outline-offset:1px}
.claim:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.badge{display:inline-flex;align-items:center;gap:3px;font:600 11px/1.3 var(--sans);
  border-radius:999px;padding:1px 7px;margin:0 1px 0 5px;vertical-align:2px;color:#fff;
  white-space:nowrap;letter-spacing:.01em}
.badge.v-supported{background:var(--sup)}.badge.v-partially_supported{background:var(--par)}
.badge.v-contradicted{background:var(--con)}.badge.v-unsupported{background:var(--uns)}
.badge.v-not_checkable{background:#fff;color:var(--nc);border:1px solid #afb8c1;padding:0 5px}
.badge.v-supported{background:#fff;color:var(--sup);border:1px solid #4ac26b;padding:0 5px}
.hide-supported .claim.v-supported,.hide-partially_supported .claim.v-partially_supported,
.hide-contradicted .claim.v-contradicted,.hide-unsupported .claim.v-unsupported,
.hide-not_checkable .claim.v-not_checkable{background:none;border-bottom-color:transparent;
  cursor:auto;outline:none}
.hide-supported .claim.v-supported .badge,.hide-partially_supported .claim.v-partially_supported .badge,
.hide-contradicted .claim.v-contradicted .badge,.hide-unsupported .claim.v-unsupported .badge,
.hide-not_checkable .claim.v-not_checkable .badge{display:none}
mark.unsup{background:none;color:inherit;text-decoration:underline wavy var(--uns);
  text-decoration-thickness:1.5px;text-underline-offset:3px}
.fmark{text-decoration:underline wavy;text-decoration-thickness:1.5px;text-underline-offset:4px;
  text-decoration-skip-ink:none}
.fmark.s-error{text-decoration-color:var(--err)}.fmark.s-warning{text-decoration-color:#bf8700}
.fmark.s-info{text-decoration-color:var(--info)}
.fnote{position:relative;display:inline-flex;align-items:center;gap:2px;
  font:700 11px/1.3 var(--sans);border-radius:4px;padding:1px 5px;margin:0 2px 0 3px;
  vertical-align:2px;cursor:help;white-space:nowrap}
.fnote.s-error{background:var(--err);color:#fff}.fnote.s-warning{background:#ffd33d;color:#3b2300}
.fnote.s-info{background:var(--info);color:#fff}
.fnote .tip{display:none;position:absolute;left:0;top:calc(100% + 6px);z-index:5;width:max-content;
  max-width:340px;white-space:normal;background:var(--fg);color:#fff;font:400 13px/1.45 var(--sans);
  padding:8px 10px;border-radius:6px;box-shadow:0 4px 14px rgba(0,0,0,.2)}
.fnote:hover .tip{display:block}
.evidence-panel{position:sticky;top:14px;max-height:calc(100vh - 28px);overflow:auto;
  padding:16px 18px}
.evidence-panel>h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);
  margin:0 0 10px}
.empty{color:var(--muted);font-size:14px}
.empty ul{padding-left:18px}
.detail-head{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:8px}
.detail-head .loc{margin-left:auto;font-size:12px}
.claim-detail:focus{outline:none}
.claim-detail h4{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);
  margin:18px 0 6px}
.claim-text{margin:0;padding:8px 12px;border-left:4px solid var(--line);background:#f6f8fa;
  border-radius:0 6px 6px 0;font:16px/1.6 var(--serif)}
.claim-detail.v-supported .claim-text{border-left-color:var(--sup)}
.claim-detail.v-partially_supported .claim-text{border-left-color:var(--par)}
.claim-detail.v-contradicted .claim-text{border-left-color:var(--con)}
.claim-detail.v-unsupported .claim-text{border-left-color:var(--uns)}
.legend{margin:4px 0 0;color:var(--muted)}
.reason{margin:10px 0 0}
.callout{margin:10px 0 0;padding:8px 12px;border-radius:6px;background:var(--par-bg);
  border:1px solid #d4a72c}
table{border-collapse:collapse;width:100%;font-size:13px}
th{text-align:left;font-weight:600;color:var(--muted);border-bottom:1px solid var(--line);
  padding:4px 8px 4px 0}
td{border-bottom:1px solid #eaeef2;padding:6px 8px 6px 0;vertical-align:top;overflow-wrap:anywhere}
.ok{color:#116329}.bad{color:#a40e26;font-weight:600}
.parts,.plain{list-style:none;padding:0;margin:0}
.parts li,.plain li{padding:6px 0;border-bottom:1px solid #eaeef2}
.evidence-list{padding-left:20px;margin:0}
.evidence{margin-bottom:12px}
.ev-text{margin:0;font:15px/1.55 var(--serif)}
.evidence.best .ev-text{background:#f6f8fa;border-radius:6px;padding:6px 10px;margin-left:-10px}
strong.match{font-weight:700;background:#fff8c5;border-radius:2px}
.ev-meta{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);margin-top:4px;
  align-items:center}
.ev-meta b{color:var(--fg);font-variant-numeric:tabular-nums}
meter{width:60px;height:9px;vertical-align:middle}
.ev-source{font-size:13px;margin-top:2px;overflow-wrap:anywhere}
.src-title{color:var(--muted)}
.checks{list-style:none;padding:0;margin:0}
.check{padding:6px 10px;border-radius:6px;margin-bottom:6px;border:1px solid #eaeef2}
.check-bad{background:#fff5f5;border-color:#ffc1c0}
.check-head{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.verdict-word{font-weight:600}.check-bad .verdict-word{color:#a40e26}.check-ok .verdict-word{color:#116329}
.check-values{margin-top:2px}.check-values code{font-size:13px}
.url-text{color:var(--muted);overflow-wrap:anywhere}
.panel{padding:16px 20px;margin-top:20px}
.panel h2{font-size:16px;margin:0 0 10px;display:inline}
.panel>h2{display:block}
.panel h3{font-size:14px;margin:16px 0 6px}
.findings{list-style:none;padding:0;margin:0}
.finding{padding:10px 0;border-bottom:1px solid #eaeef2}
.finding:target{background:#fff8c5}
.finding p{margin:6px 0 0}
.finding-head{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.fnum-big{font-weight:700}
.excerpt{margin:6px 0 0;padding:4px 10px;border-left:3px solid var(--line);
  font:14px/1.5 var(--serif);color:#424a53}
.attributions summary{cursor:pointer}
td.ok{font-weight:600}td.bad{font-weight:700}
footer{color:var(--muted);font-size:12px;margin-top:24px}
.index-table td,.index-table th{padding:8px 10px 8px 0}
.index-table td:first-child{min-width:240px}
@media (max-width:1000px){.layout{grid-template-columns:1fr}.evidence-panel{position:static;
  max-height:none}.doc{padding:16px}}
.fname{font-weight:600;letter-spacing:.01em}
.back-to-claim{display:none;font-size:14px;margin-top:12px}
@media (max-width:1000px){.back-to-claim{display:inline-block}}
@media (max-width:640px){
.topbar{padding:10px 14px}.wrap{padding:12px 10px 32px}.doc{padding:12px 14px}
.evidence-panel,.panel{padding:12px 14px}
.cards{grid-template-columns:minmax(0,1fr)}
.article-text{font-size:16px}
.detail-head .loc{margin-left:0}
.fnote .tip{max-width:min(340px,calc(100vw - 40px))}
.index-table td:first-child{min-width:0}
table.sources,table.sources tbody,table.sources tr,table.sources td,.index-table,.index-table tbody,
.index-table tr,.index-table td,.attributions table,.attributions tbody,.attributions tr,
.attributions td{display:block;width:auto}
table.sources thead,.index-table thead,.attributions thead{display:none}
table.sources tr,.index-table tr,.attributions tr{border-bottom:1px solid var(--line);padding:6px 0}
table.sources td,.index-table td,.attributions td{border:none;padding:1px 0}
table.sources td:empty,.index-table td:empty{display:none}
table.sources:not(.skipped) td:nth-child(2)::before{content:"Final URL: "}
table.sources:not(.skipped) td:nth-child(3)::before{content:"HTTP "}
table.sources:not(.skipped) td:nth-child(4)::before{content:"Fetched "}
table.sources:not(.skipped) td:nth-child(5)::before{content:"Content hash "}
table.sources:not(.skipped) td:nth-child(6)::before{content:"Copy: "}
table.sources:not(.skipped) td:nth-child(7)::before{content:"Sentences: "}
table.sources.skipped td:nth-child(2)::before{content:"Named in: "}
table.sources.skipped td:nth-child(3)::before{content:"Reason: "}
.attributions td:nth-child(2)::before{content:"Title: "}
.attributions td:nth-child(3)::before{content:"Verb: "}
.attributions td:nth-child(4)::before{content:"Kind: "}
table td::before{color:var(--muted);font-weight:400}
}
body:not(.js) .claim-detail[hidden]{display:block;border-top:1px solid var(--line);padding-top:12px;
  margin-top:12px}
body:not(.js) .empty,body:not(.js) .keys,body:not(.js) .filters input,body:not(.js) .filter-hint{
  display:none}
.rw{width:100%;border-collapse:collapse;table-layout:fixed;font-size:14px}
.rw th{text-align:left;border-bottom:2px solid var(--line);padding:6px 8px}
.rw td{vertical-align:top;border-bottom:1px solid var(--line);padding:6px 8px;overflow-wrap:anywhere}
.rw th:last-child,.rw td.rw-kind{width:28%}
.rw-row:focus{outline:2px solid var(--accent);outline-offset:-2px}
.rw del{background:#ffebe9;color:#a40e26}
.rw ins{background:#dafbe1;color:#116329;text-decoration:none}
.rw-notes{margin:4px 0 0;padding-left:18px;font-size:13px}
.pill.rw-kept,.pill.rw-reworded{color:#424a53;background:#eff2f5;border-color:#afb8c1}
.pill.rw-fact-changed,.pill.rw-meaning-changed{color:#a40e26;background:var(--con-bg);border-color:#ff8182}
.pill.rw-attribution-changed{color:#7d4e00;background:var(--par-bg);border-color:#d4a72c}
.pill.rw-added{color:#6639ba;background:var(--uns-bg);border-color:#c297ff}
.pill.rw-dropped{color:#0550ae;background:#ddf4ff;border-color:#54aeff}
.rw-hide-kept .rw-row[data-kind="kept"]{display:none}
.rw-hide-reworded .rw-row[data-kind="reworded"]{display:none}
.rw-hide-fact-changed .rw-row[data-kind="fact-changed"]{display:none}
.rw-hide-meaning-changed .rw-row[data-kind="meaning-changed"]{display:none}
.rw-hide-attribution-changed .rw-row[data-kind="attribution-changed"]{display:none}
.rw-hide-added .rw-row[data-kind="added"]{display:none}
.rw-hide-dropped .rw-row[data-kind="dropped"]{display:none}
@media print{
body{background:#fff;font-size:12px}
.filters input,.filter-hint,.keys,.skip,.empty,.back,.fnote .tip{display:none!important}
.filter input:not(:checked)+.pill{opacity:1;text-decoration:none}
.wrap{padding:0;max-width:none}
.layout{display:block}
.doc,.panel,.evidence-panel,.card{border:none;padding:0;box-shadow:none}
.evidence-panel{position:static;max-height:none;overflow:visible;margin-top:18px}
.claim-detail,.claim-detail[hidden]{display:block!important;break-inside:avoid;
  border-top:1px solid var(--line);padding-top:10px;margin-top:10px}
.claim.active{outline:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit}
.article-text{max-width:none;font-size:13px}
details.attributions{display:block}
}
"""

JS = """
(function () {
  "use strict";
  var body = document.body;
  body.classList.add("js");
  var claims = Array.prototype.slice.call(document.querySelectorAll(".claim[data-detail]"));
  var empty = document.getElementById("evidence-empty");
  var current = null;
  function shown(el) { return !body.classList.contains("hide-" + el.getAttribute("data-verdict")); }
  function detailOf(el) { return document.getElementById(el.getAttribute("data-detail")); }
  function select(el) {
    if (current === el) { return; }
    if (current) {
      current.classList.remove("active");
      current.setAttribute("aria-pressed", "false");
      var old = detailOf(current);
      if (old) { old.hidden = true; }
    }
    current = el;
    if (empty) { empty.hidden = !!el; }
    if (!el) { return; }
    el.classList.add("active");
    el.setAttribute("aria-pressed", "true");
    var det = detailOf(el);
    if (det) { det.hidden = false; }
    var panel = document.getElementById("evidence-panel");
    if (panel) { panel.scrollTop = 0; }
  }
  function reveal(el) {
    // one column (a phone): the evidence sits below the article, so bring it into view
    var det = detailOf(el);
    if (!det) { return; }
    var top = det.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) { det.scrollIntoView({block: "start"}); }
  }
  function move(delta) {
    var list = claims.filter(shown);
    if (!list.length) { return; }
    var i = current ? list.indexOf(current) : -1;
    var j = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + delta));
    list[j].focus();
    select(list[j]);
  }
  claims.forEach(function (el) {
    el.addEventListener("click", function () { select(el); reveal(el); });
    el.addEventListener("focus", function () { if (shown(el)) { select(el); } });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        select(el);
        var det = detailOf(el);
        if (det) { det.focus(); }
      } else if (ev.key === "ArrowDown" || ev.key === "ArrowRight") {
        ev.preventDefault(); move(1);
      } else if (ev.key === "ArrowUp" || ev.key === "ArrowLeft") {
        ev.preventDefault(); move(-1);
      }
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) { return; }
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) { return; }
    if (ev.key === "j") { ev.preventDefault(); move(1); }
    else if (ev.key === "k") { ev.preventDefault(); move(-1); }
    else if (ev.key === "Escape" && current) {
      if (current.contains(document.activeElement) || document.activeElement === current) { select(null); }
      else { current.focus(); }
    }
  });
  var rows = Array.prototype.slice.call(document.querySelectorAll(".rw-row"));
  function rowShown(el) { return !body.classList.contains("rw-hide-" + el.getAttribute("data-kind")); }
  rows.forEach(function (el) {
    el.addEventListener("keydown", function (ev) {
      var down = ev.key === "j" || ev.key === "ArrowDown", up = ev.key === "k" || ev.key === "ArrowUp";
      var step = down ? 1 : up ? -1 : 0;
      if (!step || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
      ev.preventDefault();
      var list = rows.filter(rowShown);
      var j = Math.min(list.length - 1, Math.max(0, list.indexOf(el) + step));
      if (list[j]) { list[j].focus(); }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-rw-filter]"), function (box) {
    box.addEventListener("change", function () {
      body.classList.toggle("rw-hide-" + box.value, !box.checked);
      rows.forEach(function (el) { el.tabIndex = rowShown(el) ? 0 : -1; });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    box.addEventListener("change", function () {
      body.classList.toggle("hide-" + box.value, !box.checked);
      claims.forEach(function (el) {
        var on = shown(el);
        el.tabIndex = on ? 0 : -1;
        if (on) { el.setAttribute("role", "button"); } else { el.removeAttribute("role"); }
      });
      if (current && !shown(current)) { select(null); }
    });
  });
})();
"""

_CSP = (
    "default-src 'none'; style-src {style}; script-src {script}; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _page(title: str, body: str, *, script: bool) -> str:
    style_hash = _hash_source(CSS)
    script_hash = _hash_source(JS) if script else "'none'"
    csp = _CSP.format(style=style_hash, script=script_hash)
    script_html = f"<script>{JS}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="color-scheme" content="light">'
        '<link rel="icon" href="data:,">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>\n"
        f"<body>{body}{script_html}</body></html>\n"
    )


def _meta_line(item: ArticleReport | None, report: Report) -> str:
    bits = []
    if item is not None:
        bits.append(f"<code>{_e(item.article.path)}</code> ({_e(item.article.format)})")
    if report.generated_at:
        bits.append(f"generated {_e(report.generated_at)}")
    if report.model:
        bits.append(f"model <code>{_e(report.model)}</code>")
    if report.version:
        bits.append(f"verify {_e(report.version)}")
    return " · ".join(bits)


def render_article(
    item: ArticleReport, report: Report, *, index_href: str | None = None, base: Path | None = None
) -> str:
    """One self-contained HTML page for one article's results.

    `index_href`, when given, is a relative link back to the index page of a multi-article report;
    `base`, the folder the page is written to, makes links to archived copies relative.
    """
    article = item.article
    title = article.title or Path(article.path).name or "article"
    sources = _Sources(item.documents, base)
    back = f'<a class="back" href="{_e(quote(index_href))}">← All articles</a>' if index_href else ""
    errors = (
        '<div class="banner" role="alert"><b>Some articles could not be read:</b><ul>'
        + "".join(f"<li>{_e(err)}</li>" for err in report.errors)
        + "</ul></div>"
        if report.errors and not index_href
        else ""
    )
    details = "".join(_detail(i, item, sources) for i in range(len(item.results)))
    keys = (
        '<span class="keys">Click a claim or use <kbd>Tab</kbd> / <kbd>j</kbd> <kbd>k</kbd> / '
        "<kbd>↑</kbd> <kbd>↓</kbd> to see its evidence, <kbd>Enter</kbd> to read it</span>"
    )
    legend_items = "".join(f"<li>{_verdict_pill(k)} {_e(VERDICT_META[k][2])}</li>" for k in VERDICT_ORDER)
    body = (
        '<a class="skip" href="#article-text">Skip to article</a>'
        '<header class="topbar"><span class="brand">verify</span>'
        f"<h1>{_e(title)}</h1>{back}"
        f'<p class="meta">{_meta_line(item, report)}</p></header>'
        f'<main class="wrap">{errors}{_summary(item)}'
        '<div class="layout">'
        '<article class="doc" aria-labelledby="doc-h">'
        f'<div class="doc-head"><h2 id="doc-h">Article as written</h2>{keys}</div>'
        f"{_article_body(item)}</article>"
        '<aside class="evidence-panel" id="evidence-panel" aria-labelledby="evidence-h">'
        '<h2 id="evidence-h">Evidence</h2>'
        '<div class="empty" id="evidence-empty"><p>Select a highlighted claim to see the source sentences '
        f'that back or contradict it.</p><ul class="plain">{legend_items}</ul></div>'
        f"{details}</aside></div>"
        f"{_findings_list(item)}{_rewrite_panel(item)}{_attributions(item)}{_sources_panel(item)}"
        f"<footer>Report made by verify. This page is self-contained and loads nothing from the network."
        "</footer></main>"
    )
    return _page(f"verify — {title}", body, script=True)


def render_index(report: Report, links: Sequence[str]) -> str:
    """The index page of a multi-article report; `links[i]` is the relative URL of article i's page."""
    rows = []
    for item, href in zip(report.articles, links, strict=True):
        v, s = _counts(item)
        _, sentence = _headline(item)
        title = item.article.title or Path(item.article.path).name
        pills = " ".join(_verdict_pill(k, count=v[k]) for k in VERDICT_ORDER if v[k])
        sev = " ".join(_severity_pill(k, _count_label(s[k], k)) for k in SEVERITIES if s[k])
        rows.append(
            f'<tr><td><a href="{_e(quote(href))}">{_e(title)}</a><div class="small muted">'
            f"<code>{_e(item.article.path)}</code></div></td><td>{pills}</td><td>{sev or '—'}</td>"
            f"<td>{len(item.documents)} used · {len(item.skipped)} failed</td>"
            f'<td class="small">{_e(sentence)}</td></tr>'
        )
    errors = (
        '<div class="banner" role="alert"><b>Could not be read:</b><ul>'
        + "".join(f"<li>{_e(err)}</li>" for err in report.errors)
        + "</ul></div>"
        if report.errors
        else ""
    )
    table = (
        '<table class="index-table"><thead><tr><th scope="col">Article</th><th scope="col">Claims</th>'
        '<th scope="col">Findings</th><th scope="col">Sources</th><th scope="col">Summary</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else '<p class="muted">No article was checked.</p>'
    )
    body = (
        '<header class="topbar"><span class="brand">verify</span>'
        f"<h1>{_plural(len(report.articles), 'article')}</h1>"
        f'<p class="meta">{_meta_line(None, report)}</p></header>'
        f'<main class="wrap">{errors}<section class="panel" aria-label="Articles">{table}</section>'
        "<footer>Report made by verify. These pages are self-contained and load nothing from the network."
        "</footer></main>"
    )
    return _page("verify — report", body, script=False)


def _slug(path: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(path).stem).strip("-.") or "article"
    slug, n = stem, 2
    while slug.lower() in taken:
        slug, n = f"{stem}-{n}", n + 1
    taken.add(slug.lower())
    return slug


def write_html(report: Report, output: Path) -> list[Path]:
    """Write the HTML report; returns the files written, the page to open first.

    One article: `output` is its page. Otherwise `output` is an index page and the article pages go
    to ``<output stem>-files/<article stem>.html``.
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if len(report.articles) == 1:
        output.write_text(render_article(report.articles[0], report, base=output.parent), encoding="utf-8")
        return [output]
    folder = output.with_name(output.stem + "-files")
    taken: set[str] = set()
    pages = [folder / f"{_slug(item.article.path, taken)}.html" for item in report.articles]
    if pages:
        folder.mkdir(parents=True, exist_ok=True)
    back = f"../{output.name}"
    for item, page in zip(report.articles, pages, strict=True):
        page.write_text(render_article(item, report, index_href=back, base=folder), encoding="utf-8")
    links = [f"{folder.name}/{page.name}" for page in pages]
    output.write_text(render_index(report, links), encoding="utf-8")
    return [output, *pages]
