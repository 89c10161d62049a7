"""Text cut into marked runs for the templates: the article with its claims and findings, the words a
claim shares with its evidence, the words no source backs, and the word diff of a rewrite.

Nothing here writes HTML: each function returns runs of plain text with what marks them, and the
templates (``_text.html``) turn them into escaped markup.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from verify.models import Article, ArticleReport, ClaimResult, Finding

from .labels import SEVERITY_META, plural, severity_key, verdict_key

_STOPWORD_TEXT = (
    "a an and are as at be been but by for from has have had he her his i in is it its of on or "
    "our she that the their them they this to was were which who will with would than then there "
    "these those not no so if into over also about after before it's s"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
_DIFF_WORD = re.compile(r"\S+\s*")
_FRONT_MATTER = re.compile(
    r"\A\ufeff?(?:---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n.*?\r?\n\+\+\+)[ \t]*(?:\r?\n|\Z)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Run:
    """A piece of text, `marked` or not (what the mark means depends on where it is shown)."""

    text: str
    marked: bool = False


def claim_words(text: str) -> set[str]:
    """The words of a claim worth emphasising in its evidence (no stopwords, no single letters)."""
    out = set()
    for m in _WORD.finditer(text):
        w = m.group(0).lower()
        if w in _STOPWORDS or (len(w) < 2 and not w.isdigit()):
            continue
        out.add(w)
    return out


def shared_words(text: str, words: set[str]) -> list[Run]:
    """`text` with the words that also appear in the claim marked."""
    out: list[Run] = []
    pos = 0
    for m in _WORD.finditer(text):
        if m.group(0).lower() not in words:
            continue
        out.append(Run(text[pos : m.start()]))
        out.append(Run(m.group(0), True))
        pos = m.end()
    out.append(Run(text[pos:]))
    return out


def spans(text: str, marked: Iterable[tuple[int, int]]) -> list[Run]:
    """`text` with the given [start, end) spans marked (overlapping spans merged)."""
    cleaned: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in marked):
        if start >= end:
            continue
        if cleaned and start <= cleaned[-1][1]:
            cleaned[-1] = (cleaned[-1][0], max(cleaned[-1][1], end))
        else:
            cleaned.append((start, end))
    out: list[Run] = []
    pos = 0
    for start, end in cleaned:
        out.append(Run(text[pos:start]))
        out.append(Run(text[start:end], True))
        pos = end
    out.append(Run(text[pos:]))
    return out


def word_diff(before: str, after: str) -> tuple[list[Run], list[Run]]:
    """Both sides word by word; marked: only in the original (left) or only in the rewrite (right)."""
    a, b = _DIFF_WORD.findall(before), _DIFF_WORD.findall(after)
    matcher = difflib.SequenceMatcher(None, [w.strip().lower() for w in a], [w.strip().lower() for w in b])
    left: list[Run] = []
    right: list[Run] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(Run(old))
            right.append(Run(new))
            continue
        if old:
            left.append(Run(old, True))
        if new:
            right.append(Run(new, True))
    return left, right


# ---------------------------------------------------------------------------------------------
# the article text with claims and findings marked


@dataclass(frozen=True)
class FindingMark:
    """A finding wrapped around a run of article text; `anchor`: the run carries ``id="fmark-N"``."""

    severity: str
    index: int
    anchor: bool


@dataclass(frozen=True)
class TextRun:
    """Article text; `findings` wrap it outermost first, `unsup`: no source supports these words."""

    text: str
    unsup: bool
    findings: tuple[FindingMark, ...]
    kind: str = "text"


@dataclass(frozen=True)
class Badge:
    """The note after the word a finding ends in: icon, the rule's words, the message as a tooltip."""

    severity: str
    index: int
    anchor: bool
    icon: str
    label: str
    words: str
    message: str
    kind: str = "badge"


@dataclass(frozen=True)
class ClaimRun:
    """A claim shown inline: its text (runs and badges) and its verdict."""

    index: int
    verdict: str
    nodes: tuple[TextRun | Badge, ...]
    kind: str = "claim"


Node = TextRun | Badge | ClaimRun


@dataclass(frozen=True)
class ArticleText:
    """The article as written: front matter (collapsed), then the body with claims in place."""

    front_matter: tuple[TextRun | Badge, ...]
    front_matter_lines: str  # "3 lines"; empty when the article has no front matter
    body: tuple[Node, ...]


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


class _ArticleMarks:
    """Cuts spans of ``Article.raw`` into runs, with claims as the outer layer and findings inside.

    The first run or badge of each finding carries its anchor, so regions must be asked for in page order.
    """

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
                    severity_key(f.severity),
                    f"{f.rule}: {f.message}",
                    f.rule,
                    _word_end(raw, end),
                )
            )
        self._anchored: set[int] = set()
        self._badged: set[int] = set()

    def _anchor(self, index: int) -> bool:
        if index in self._anchored:
            return False
        self._anchored.add(index)
        return True

    def region(self, a: int, b: int, extra: Sequence[_Mark] = ()) -> list[TextRun | Badge]:
        """Runs of raw[a:b] with the findings (and `extra` marks) that fall inside it."""
        marks = [
            m for m in (*self.findings, *extra) if (m.start < b and m.end > a) or a <= m.start == m.end <= b
        ]
        cuts = {a, b}
        for m in marks:
            cuts.update(p for p in (m.start, m.end, m.badge_at) if a < p < b)
        out: list[TextRun | Badge] = self._badges(marks, a)
        for x, y in itertools.pairwise(sorted(cuts)):
            covering = [m for m in marks if m.start <= x and m.end >= y and m.start < m.end]
            unsup = any(m.kind == "unsup" for m in covering)
            wraps = [
                FindingMark(m.severity, m.index, self._anchor(m.index))
                for m in covering
                if m.kind == "finding"
            ]
            out.append(TextRun(self.raw[x:y], unsup, tuple(reversed(wraps))))
            out.extend(self._badges(marks, y))
        # a mark that ends here but whose word runs on past the region: its badge at the region's end
        out.extend(self._badges([m for m in marks if m.end <= b < m.badge_at], b, late=True))
        return out

    def _badges(self, marks: Iterable[_Mark], at: int, *, late: bool = False) -> list[TextRun | Badge]:
        out: list[TextRun | Badge] = []
        for m in marks:
            if m.kind != "finding" or m.index in self._badged:
                continue
            if not late and m.badge_at != at:
                continue
            self._badged.add(m.index)
            icon, label = SEVERITY_META[m.severity]
            words = m.rule.rsplit(".", 1)[-1].replace("-", " ") or label.lower()
            out.append(Badge(m.severity, m.index, self._anchor(m.index), icon, label, words, m.message))
        return out


def _front_matter_end(article: Article) -> int:
    if article.format != "markdown":
        return 0
    m = _FRONT_MATTER.match(article.raw)
    return m.end() if m else 0


def _placed_claims(results: Sequence[ClaimResult], lo: int, hi: int) -> list[tuple[int, int, int]]:
    """(index, start, end) of each claim that can be shown inline, clipped so none overlap."""
    found = []
    for i, r in enumerate(results):
        start = min(max(lo, r.claim.start), hi)
        end = min(max(start, r.claim.end), hi)
        found.append((start, end, i))
    found.sort()
    placed: list[tuple[int, int, int]] = []
    pos = lo
    for start, end, i in found:
        start = max(start, pos)
        if start >= end:
            continue
        placed.append((i, start, end))
        pos = end
    return placed


def article_text(item: ArticleReport) -> ArticleText:
    """The article's raw text cut into runs, claims and finding badges, in page order."""
    raw = item.article.raw
    marks = _ArticleMarks(raw, item.findings)
    fm_end = _front_matter_end(item.article)
    front = marks.region(0, fm_end) if fm_end else []
    lines = plural(raw[:fm_end].count("\n"), "line") if fm_end else ""
    body: list[Node] = []
    pos = fm_end
    for i, start, end in _placed_claims(item.results, fm_end, len(raw)):
        result = item.results[i]
        body.extend(marks.region(pos, start))
        unsup: list[_Mark] = []
        if result.unsupported_words and raw[start:end] == result.claim.text:
            unsup = [_Mark(start + s, start + e, "unsup") for s, e in result.unsupported_words if s < e]
        body.append(ClaimRun(i, verdict_key(result.verdict), tuple(marks.region(start, end, unsup))))
        pos = end
    body.extend(marks.region(pos, len(raw)))
    return ArticleText(tuple(front), lines, tuple(body))
