"""What verify writes: never over a file it read, never through a link, and its own pages known again.

A report path that names an input (an article, a local source, a manifest, the config or the
baseline) is refused before any work; a report replaces its path (a link there is replaced, not
followed, so its target is never written); verify's HTML pages carry a generator mark so that a
later run over the same folder does not check them as articles.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

GENERATOR = '<meta name="generator" content="verify">'  # in the head of every HTML report page
_MARK_WITHIN = 512  # bytes from the start of a page where the mark is looked for


def is_report_page(path: Path) -> bool:
    """Whether `path` is a page of a verify HTML report (by the generator mark near its start)."""
    if path.suffix.lower() not in {".html", ".htm"}:
        return False
    try:
        with open(path, "rb") as page:
            return GENERATOR.encode() in page.read(_MARK_WITHIN)
    except OSError:
        return False


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through links, `..` or a hard link)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(os.path.abspath(a)) == Path(os.path.abspath(b))


def read_file_named(output: Path, inputs: Iterable[Path]) -> Path | None:
    """The input that `output` would overwrite, or None."""
    return next((path for path in inputs if same_file(output, path)), None)


def open_replacing(output: Path) -> int:
    """A descriptor open for writing a new file that has replaced `output` (a link there is replaced,
    not followed; a hard link keeps its old content), so the file can be streamed into as it grows."""
    tmp = output.with_name(f".{output.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        os.replace(tmp, output)
    except OSError:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return fd
