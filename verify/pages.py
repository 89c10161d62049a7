"""`verify extract`: what verify reads from pages (main text, metadata, sentences), as JSON or text.

Pages go through the same fetch stage as a check (cache, --offline, address and robots rules,
size and time limits) and the same extractor, so this shows exactly the text claims are judged
against.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import InputError
from .extract import extract_or_skip
from .fetch import fetch
from .frontmatter import source_from_string
from .localfiles import LOCAL_TYPES, checked_roots, link_problem, named_file_roots, visible_files
from .models import Document, Skipped, SourceRef
from .report.json import dumps
from .sanitize import safe_text
from .store import Store


def page_refs(items: Sequence[str], *, allow_any_file: bool = False) -> list[SourceRef | Skipped]:
    """URLs as given; files relative to the working folder; folders give their pages, sorted.

    Files follow the rule of articles (docs/security.md): a folder gives no hidden file and does not
    enter linked folders; a link that leaves the folder (or, for a named file, its folder, its
    repository and the working folder) or leads to a hidden file is Skipped, never read.
    """
    refs: list[SourceRef | Skipped] = []
    for item in items:
        ref = source_from_string(item, Path.cwd(), "flag")
        if ref.file is not None and ref.file.is_dir():
            roots = checked_roots(ref.file)
            inside = [p for p in visible_files(ref.file) if p.suffix.lower() in LOCAL_TYPES and p.is_file()]
            if not inside:  # as for articles: a folder that gives nothing is the user's mistake
                kinds = ", ".join(f"*{suffix}" for suffix in sorted(LOCAL_TYPES))
                raise InputError(f"{item}: no pages ({kinds}) in this folder")
            refs += [_confined(SourceRef(None, p, origin="flag"), roots, allow_any_file) for p in inside]
        elif ref.file is not None:
            refs.append(_confined(ref, named_file_roots(ref.file), allow_any_file))
        else:
            refs.append(ref)
    return refs


def _confined(ref: SourceRef, roots: Sequence[Path], allow_any_file: bool) -> SourceRef | Skipped:
    problem = None if allow_any_file or ref.file is None else link_problem(ref.file, roots)
    return Skipped(ref, f"refused: {problem}") if problem else ref


def read_pages(
    refs: Sequence[SourceRef | Skipped], settings: Settings, store: Store | None
) -> list[Document | Skipped]:
    """Fetch (or read) every page in one go, then extract each; results in the order of `refs`."""
    wanted = [ref for ref in refs if isinstance(ref, SourceRef)]
    read = iter([extract_or_skip(fetched) for fetched in fetch(wanted, settings, store)] if wanted else [])
    return [next(read) if isinstance(ref, SourceRef) else ref for ref in refs]


def to_record(result: Document | Skipped) -> dict[str, Any]:
    """One page as a JSON object: `url` or `path`, metadata, text and sentences (or `error`)."""
    ref = result.ref
    record: dict[str, Any] = {"url": ref.url} if ref.url else {"path": str(ref.file)}
    if ref.url and ref.file:
        record["path"] = str(ref.file)
    if isinstance(result, Skipped):
        record["error"] = result.reason
        return record
    record.update(
        final_url=result.final_url,
        status=result.status,
        title=result.title,
        author="; ".join(result.authors) or None,
        authors=list(result.authors),
        published=result.published or None,
        site=result.site,
        language=result.language,
        extractor=result.extractor,
        from_cache=result.from_cache,
        content_hash=result.content_hash,
        text=result.text,
        sentences=[
            {"index": s.index, "start": s.start, "end": s.end, "text": s.text} for s in result.sentences
        ],
    )
    return record


def render_json(results: Sequence[Document | Skipped]) -> str:
    return dumps([to_record(r) for r in results], indent=2) + "\n"


def render_text(results: Sequence[Document | Skipped]) -> str:
    blocks = []
    for result in results:
        record = to_record(result)
        lines = [f"== {result.ref.label}"]
        if "error" in record:
            lines.append(f"error: {record['error']}")
        else:
            for key in ("final_url", "title", "author", "published", "site", "language", "extractor"):
                lines.append(f"{key.replace('_', ' ')}: {record[key] if record[key] is not None else '-'}")
            lines += [
                "",
                record["text"] or "(no readable text)",
                "",
                f"sentences ({len(record['sentences'])}):",
            ]
            lines += [f"  [{s['index']}] {s['start']}-{s['end']} {s['text']}" for s in record["sentences"]]
        blocks.append("\n".join(lines) + "\n")
    return safe_text("\n".join(blocks))  # page text and file names never reach a terminal raw
