"""The attribution stage's own data: article sentences, credits, source sentences, the findings."""

from __future__ import annotations

from dataclasses import dataclass

from verify.models import Article, Finding, Severity
from verify.sentences import split_at_capitals
from verify.text import Token


@dataclass(frozen=True)
class Sent:
    text: str
    start: int  # offset of text[0] in the containing text
    paragraph: int


def sentences_of(text: str, start: int = 0, end: int | None = None, paragraph: int = 0) -> list[Sent]:
    """The sentences of text[start:end] as the credit parser reads them (`sentences.split_at_capitals`)."""
    return [Sent(text[s:e], s, paragraph) for s, e in split_at_capitals(text, start, end)]


@dataclass
class Credit:
    """One credit found in a sentence; offsets are relative to the sentence."""

    verb: str
    verb_start: int
    verb_end: int
    speaker: str = ""
    speaker_start: int = 0
    speaker_end: int = 0
    kind: str = "none"  # name | description | pronoun | none
    content: str = ""
    content_start: int = 0
    content_end: int = 0
    title: str = ""
    organisation: str = ""
    quote: bool = False
    inverted: bool = False  # the verb comes before the speaker: '"...," said Jane Roe'


@dataclass(frozen=True)
class SourceSentence:
    doc: int
    text: str
    tokens: tuple[Token, ...]
    credits: tuple[Credit, ...]
    position: int = 0  # in Sources.sentences


class Findings:
    """Collects findings, keeping only the first of a rule at the same place."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.items: list[Finding] = []
        self._seen: set[tuple[str, int, int]] = set()
        self._flagged: list[tuple[int, int]] = []

    def add(
        self, rule: str, severity: Severity, message: str, start: int, end: int, suggestion: str = ""
    ) -> None:
        key = (rule, start, end)
        if key in self._seen:
            return
        self._seen.add(key)
        self._flagged.append((start, end))
        raw_start, raw_end = self.article.raw_span(start, max(end, start + 1))
        if end <= start:
            raw_end = raw_start
        line, column = self.article.line_col(raw_start)
        self.items.append(
            Finding(
                f"attribution.{rule}",
                severity,
                message,
                raw_start,
                raw_end,
                line,
                column,
                suggestion=suggestion,
            )
        )

    def covers(self, start: int, end: int) -> bool:
        """True when some finding already points at (part of) this span."""
        return any(s < end and start < e for s, e in self._flagged)
