"""The baseline file: findings an editor has signed off, so later runs report only new ones.

A finding's fingerprint is its rule, the article's path (relative to the baseline file), the
normalised text it is about (the claim, or the flagged words and their sentence) and the content
hashes of the sources it was judged against. Line numbers are left out, so edits elsewhere in the
article keep the sign-off; a change of the claim's wording or of its source page ends it.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UsageError
from .models import ArticleReport, Finding
from .outputs import replace_with_text

FORMAT_VERSION = 1


def article_key(article_path: str, base: Path) -> str:
    """The article's path relative to `base`, with forward slashes (stable across checkouts)."""
    return Path(os.path.relpath(Path(article_path).resolve(), base.resolve())).as_posix()


def fingerprint(item: ArticleReport, finding: Finding, base: Path) -> str:
    claim_text, evidence_sources = "", None
    for r in item.results:
        c = r.claim
        if (finding.claim_id and c.id == finding.claim_id) or (
            not finding.claim_id and c.start <= finding.start < c.end
        ):
            claim_text = c.text
            if finding.claim_id:
                evidence_sources = {e.source for e in r.evidence}
            break
    subject = claim_text
    if not finding.rule.startswith("claim."):
        subject = item.article.raw[finding.start : finding.end] + "\x1e" + claim_text
    documents = [d for d in item.documents if not evidence_sources or d.label in evidence_sources]
    hashes = sorted({d.content_hash for d in documents})
    parts = [finding.rule, article_key(item.article.path, base), _normal(subject), *hashes]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


class Baseline:
    """Recorded fingerprints; each recorded finding hides one matching finding of this run."""

    def __init__(self, path: Path, entries: Sequence[dict[str, Any]]) -> None:
        self.path = path
        self.base = path.resolve().parent
        self.entries = list(entries)
        self._left = Counter(str(e["fingerprint"]) for e in self.entries)

    def split(self, item: ArticleReport, findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings already in the baseline)."""
        new, known = [], []
        for f in findings:
            fp = fingerprint(item, f, self.base)
            if self._left[fp] > 0:
                self._left[fp] -= 1
                known.append(f)
            else:
                new.append(f)
        return new, known


def load_baseline(path: Path) -> Baseline:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"baseline file {path} not found (record one with: verify baseline PATHS)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read baseline file {path} ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise UsageError(f"baseline file {path} is not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    entries = data.get("findings") if isinstance(data, dict) else None
    if (
        not isinstance(entries, list)
        or data.get("version") != FORMAT_VERSION
        or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries)
    ):
        raise UsageError(f"baseline file {path} is not a verify baseline (version {FORMAT_VERSION})")
    return Baseline(path, entries)


def baseline_entries(
    items: Iterable[tuple[ArticleReport, Sequence[Finding]]], base: Path
) -> list[dict[str, Any]]:
    return [
        {
            "fingerprint": fingerprint(item, f, base),
            "rule": f.rule,
            "path": article_key(item.article.path, base),
            "line": f.line,  # for people reading the file; matching ignores it
            "message": f.message,
        }
        for item, findings in items
        for f in findings
    ]


def write_baseline(path: Path, items: Sequence[tuple[ArticleReport, Sequence[Finding]]]) -> int:
    """Record these findings; entries of articles not checked in this run are kept. Returns the count."""
    base = path.resolve().parent
    fresh = baseline_entries(items, base)
    checked = {article_key(item.article.path, base) for item, _ in items}
    kept: list[dict[str, Any]] = []
    if path.exists():
        try:
            kept = [e for e in load_baseline(path).entries if e.get("path") not in checked]
        except UsageError:
            kept = []  # an unreadable old baseline is replaced
    entries = sorted(
        kept + fresh, key=lambda e: (str(e.get("path")), int(e.get("line") or 0), str(e["rule"]))
    )
    document = {
        "version": FORMAT_VERSION,
        "tool": f"verify {__version__}",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "findings": entries,
    }
    try:
        replace_with_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write baseline file {path} ({exc.strerror or exc})") from exc
    return len(fresh)
