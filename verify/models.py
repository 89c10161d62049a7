"""Value types passed between pipeline stages. Database rows stay in store.py."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Verdict = Literal["supported", "partially_supported", "contradicted", "unsupported", "not_checkable"]
Severity = Literal["error", "warning", "info"]
VERDICTS: tuple[Verdict, ...] = (
    "supported",
    "partially_supported",
    "contradicted",
    "unsupported",
    "not_checkable",
)
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class SourceRef:
    """A reference page named by an article: fetched from `url`, or read from `file` when given."""

    url: str | None
    file: Path | None = None
    origin: str = "flag"  # front-matter | link | flag | manifest | config

    @property
    def label(self) -> str:
        """What reports show: the URL when there is one, else the file path, relative to the working
        folder when it lies in it (`--source page.html` is not shown as the runner's absolute path)."""
        if self.url or self.file is None:
            return self.url or str(self.file)
        return shown_path(self.file)


def shown_path(path: Path) -> str:
    """A local file as reports show it: relative to the working folder when it lies in it."""
    if path.is_absolute():
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            pass
    return str(path)


@dataclass(frozen=True)
class Article:
    """An article file: `raw` is the decoded file, `text` the prose that is analysed.

    `offsets[i]` is the position in `raw` of `text[i]`; None means text == raw.
    """

    path: str
    raw: str
    text: str
    format: Literal["text", "markdown", "html"]
    title: str = ""
    sources: tuple[SourceRef, ...] = ()
    offsets: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    headings: tuple[tuple[int, int], ...] = ()  # spans of `text` that are headings

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to the matching span of `raw`."""
        if self.offsets is None or start >= end:
            return start, end
        return self.offsets[start], self.offsets[end - 1] + 1

    def line_col(self, raw_offset: int) -> tuple[int, int]:
        """1-based line and column of a position in `raw`."""
        starts = self.line_starts or _line_starts(self.raw)
        line = bisect.bisect_right(starts, raw_offset)
        return line, raw_offset - starts[line - 1] + 1


def _line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in re.finditer("\n", text)))


def line_starts(text: str) -> tuple[int, ...]:
    """Offsets where each line of `text` begins."""
    return _line_starts(text)


@dataclass(frozen=True)
class Claim:
    """A sentence of an article; start/end/line/column point into the article's raw file."""

    id: str
    text: str
    start: int
    end: int
    line: int
    column: int
    paragraph: int = 0
    checkable: bool = True
    reason: str = ""  # why it is not checkable: boilerplate, question, heading, ...
    text_start: int = 0  # position in Article.text (used for attribution lookups)
    text_end: int = 0
    resolved: str = ""  # the sentence made self-contained from its context (matching and judging)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a source document, with offsets into Document.text."""

    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class ArchiveRecord:
    """Where a source's bytes are kept in a WARC file (`--archive`, or read back with `--replay`)."""

    file: str  # the archive's file name
    uri: str  # WARC-Target-URI of the response record
    record_id: str  # WARC-Record-ID, <urn:uuid:...>
    digest: str  # WARC-Payload-Digest, sha1:BASE32 as web archives write it
    captured: str  # WARC-Date
    replayed: bool = False  # read from the archive in this run instead of fetched


@dataclass(frozen=True)
class FactCheck:
    """A fact-checker's ClaimReview found in the markup of a source page (JSON-LD or microdata)."""

    claim_reviewed: str
    rating: str  # the rating in words (alternateName), else "value/best"
    publisher: str = ""  # the fact-checker (the review's author)
    url: str = ""  # the review's page
    rating_value: str = ""
    best_rating: str = ""
    worst_rating: str = ""


@dataclass(frozen=True)
class Document:
    """A fetched (or archived) source page, reduced to its main text."""

    ref: SourceRef
    text: str
    sentences: tuple[Sentence, ...]
    title: str = ""
    published: str = ""  # ISO 8601 date (YYYY-MM-DD) of publication, "" when the page gives none
    final_url: str = ""
    status: int | None = None
    fetched_at: str = ""
    content_hash: str = ""
    archived: bool = False  # read from a local file instead of the network
    from_cache: bool = False
    authors: tuple[str, ...] = ()  # people or organisations named in the byline
    site: str = ""  # site name (og:site_name), else the host name
    language: str = ""  # as the page declares it (html lang), e.g. "en-US"
    extractor: str = ""  # what found the main text: trafilatura | fallback | plain
    archive: ArchiveRecord | None = None  # its record in the run's WARC file
    fact_checks: tuple[FactCheck, ...] = ()  # ClaimReview markup on the page (verify/factchecks.py)

    @property
    def label(self) -> str:
        return self.ref.label

    @property
    def provenance(self) -> str:
        """Site, authors and publication date on one line ("" when the page gives none)."""
        return " · ".join(x for x in (self.site, ", ".join(self.authors), self.published) if x)


@dataclass(frozen=True)
class Fetched:
    """Raw bytes of a source page, from the network, the cache or an archived file."""

    ref: SourceRef
    body: bytes
    content_type: str
    encoding: str = ""
    final_url: str = ""
    status: int | None = None
    fetched_at: str = ""
    content_hash: str = ""
    archived: bool = False
    from_cache: bool = False
    archive: ArchiveRecord | None = None  # its record in the run's WARC file


@dataclass(frozen=True)
class Skipped:
    """A source that could not be used, and why."""

    ref: SourceRef
    reason: str


@dataclass(frozen=True)
class Evidence:
    """A source sentence (or short window of sentences) ranked as evidence for a claim."""

    source: str
    text: str
    sentence_index: int
    start: int
    end: int
    similarity: float
    lexical: float = 0.0
    score: float = 0.0


@dataclass(frozen=True)
class Check:
    """A consistency check of one figure, date, name, negation, role or word against the evidence."""

    kind: str  # an item kind of verify/items.py: figure | date | name | negation | role | word
    ok: bool
    claim_value: str
    evidence_value: str = ""
    source: str = ""
    message: str = ""


@dataclass(frozen=True)
class ClaimPart:
    """One fact of a compound claim, judged on its own."""

    text: str
    supported: bool
    score: float
    evidence: str = ""


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    verdict: Verdict
    score: float
    evidence: tuple[Evidence, ...] = ()
    reason: str = ""
    checks: tuple[Check, ...] = ()
    parts: tuple[ClaimPart, ...] = ()
    unsupported_words: tuple[tuple[int, int], ...] = ()  # spans of claim.text without support
    disagreement: str = ""  # set when sources disagree with each other
    signals: tuple[tuple[str, float], ...] = ()  # the inputs of the score, for reports and calibration


@dataclass(frozen=True)
class Attribution:
    """Who an article credits with what: speaker, title/organisation and the credited content."""

    speaker: str
    start: int  # raw offsets of the speaker mention (start == end when no speaker is named)
    end: int
    content: str
    content_start: int
    content_end: int
    verb: str = ""
    title: str = ""
    organisation: str = ""
    quote: bool = False


@dataclass(frozen=True)
class Finding:
    """A problem worth an editor's look, pointing at exact characters of the article file."""

    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    suggestion: str = ""
    claim_id: str = ""


PairKind = Literal[
    "kept", "reworded", "fact-changed", "meaning-changed", "attribution-changed", "added", "dropped"
]  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One difference between a rewrite sentence and its original, with both wordings."""

    kind: str  # figure | date | name | negation | hedge | role | speaker
    original: str
    rewrite: str
    message: str


@dataclass(frozen=True)
class AlignedPair:
    """Original sentences and the rewrite sentences they became (either side empty: added or dropped)."""

    kind: PairKind
    original: tuple[int, ...]  # sentence indexes in the original document
    rewrite: tuple[str, ...]  # claim ids of the rewrite
    original_text: str
    rewrite_text: str
    score: float = 0.0  # how closely the two sides match (embedding and word overlap)
    changes: tuple[Change, ...] = ()
    note: str = ""  # added: non-claim or which source supports it; dropped: qualifiers, credits, corrections
    claim: bool = True  # for added sentences: False when the sentence is boilerplate, not a claim


@dataclass(frozen=True)
class RewriteDiff:
    """A rewrite compared with its original, sentence by sentence (pairs in rewrite order)."""

    original: str  # label of the original document
    pairs: tuple[AlignedPair, ...]
    copy_share: float  # share of the rewrite's words in runs copied from the original
    detected: bool = False  # recognised as the likely original rather than named by the user
    shared: float = 0.0  # share of the rewrite's claims that the original also states

    def counts(self) -> dict[str, int]:
        """How many sentence pairs there are of each kind."""
        counts: dict[str, int] = {}
        for pair in self.pairs:
            counts[pair.kind] = counts.get(pair.kind, 0) + 1
        return counts


@dataclass(frozen=True)
class ArticleReport:
    article: Article
    results: tuple[ClaimResult, ...]
    findings: tuple[Finding, ...] = ()
    documents: tuple[Document, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    rewrite: RewriteDiff | None = None


@dataclass(frozen=True)
class Report:
    articles: tuple[ArticleReport, ...]
    model: str = ""
    generated_at: str = ""
    version: str = ""
    errors: tuple[str, ...] = ()  # articles that could not be read, one line each
