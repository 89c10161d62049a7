"""What verify writes: never over a file it read, never through a link, and its own pages known again.

A path verify writes (a report, an archive, a baseline) that names an input (an article, a local
source, a manifest, the config, the baseline, the replay archive, the cache database) is refused
before any work, and so is one that is not a regular file (a device, a FIFO, a socket, or a link
to one); a report replaces its path (a link there is replaced, not followed, so its target is
never written); verify's HTML pages carry a generator mark so that a later run over the same
folder does not check them as articles.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .models import Report

GENERATOR = '<meta name="generator" content="verify">'  # in the head of every HTML report page
# the head of the pages verify wrote before they carried GENERATOR: its CSP, then its title
_EARLIER = (
    b'<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;',
    "<title>verify — ".encode(),
)
_MARK_WITHIN = 1024  # bytes from the start of a page where the mark is looked for
# the closing summary of a terminal report written to a file ("1 article: ...; 3 sources used, 0
# skipped", wrapped at the report's width, then notes)
_TEXT_REPORT_END = re.compile(rb"\n\n\d+ articles?: .{0,600}?used,\s+\d+\s+skipped", re.DOTALL)
_END_WITHIN = 2048  # bytes from the end of a text file where that summary is looked for


def is_report_page(path: Path) -> bool:
    """Whether `path` is a page of a verify HTML report (by the generator mark near its start)."""
    if path.suffix.lower() not in {".html", ".htm"}:
        return False
    try:
        with open(path, "rb") as page:
            head = page.read(_MARK_WITHIN)
    except OSError:
        return False
    return GENERATOR.encode() in head or all(mark in head for mark in _EARLIER)


def is_report_file(path: Path) -> bool:
    """Whether `path` is a report verify wrote: a page of its HTML report, or its terminal report
    saved as text (by its closing summary line), so a later run over the folder does not read it."""
    if path.suffix.lower() != ".txt":
        return is_report_page(path)
    try:
        with open(path, "rb") as text:
            text.seek(max(0, text.seek(0, os.SEEK_END) - _END_WITHIN))
            tail = text.read()
    except OSError:
        return False
    return bool(_TEXT_REPORT_END.search(b"\n" + tail))


def identity(path: Path) -> tuple[int, int] | None:
    """The (device, inode) of the file `path` names, through links; None when there is none."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def refuse_input(
    output: Path, read: Mapping[Path, str], option: str = "--output", written: str = "the report"
) -> None:
    """UsageError when `output` names a file of `read` (path -> what it is to the run), through a link,
    `..` or a hard link, or names where one would be: nothing is written."""
    target, where = identity(output), os.path.abspath(output)
    for path, what in read.items():
        if (target is not None and identity(path) == target) or os.path.abspath(path) == where:
            raise UsageError(f"{option} {output} is {what}, read by this run; {written} would replace it")


def refuse_targets(targets: Sequence[tuple[str, Path, str]], read: Mapping[Path, str]) -> None:
    """Refuse, before any work, each path a run will write (option, path, what it writes there) that
    is a device or a pipe, a file the run reads, or another of these paths."""
    for n, (option, path, written) in enumerate(targets):
        refuse_special(path, option)
        refuse_input(path, read, option, written)
        for other_option, other, _ in targets[n + 1 :]:
            same = identity(path) == identity(other) is not None
            if same or os.path.abspath(path) == os.path.abspath(other):
                raise UsageError(f"{option} {path} is also the {other_option} file: one file holds one")


SPECIAL_FILES = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


SYSTEM_FOLDERS = ("/dev/", "/proc/")


def refuse_special(output: Path, option: str = "--output") -> None:
    """UsageError when `output` is, or links to, a device, a named pipe or a socket: writing would
    replace that node with a file ("-o /dev/null" as root would remove /dev/null for everyone)."""
    named, reached = os.path.abspath(output), os.path.realpath(output)
    if any(where.startswith(SYSTEM_FOLDERS) for where in (named, reached)):
        # "/dev/stdout" links to /proc/self/fd/1, which may be a regular file: the link would be replaced
        raise UsageError(f"{option} {output} is under /dev or /proc: verify writes only regular files")
    try:
        mode = os.stat(output).st_mode  # through links
    except (OSError, ValueError):
        return  # nothing there (or a dangling link): a new file is made
    kind = SPECIAL_FILES.get(stat.S_IFMT(mode))
    if kind:
        raise UsageError(f"{option} {output} is {kind}, not a file: verify writes only regular files")


def files_in(report: Report) -> dict[Path, str]:
    """The local files a finished run read: its articles and their local sources."""
    read: dict[Path, str] = {}
    for item in report.articles:
        read.setdefault(Path(item.article.path), f"the article {item.article.path}")
        for ref in [d.ref for d in item.documents] + [s.ref for s in item.skipped]:
            if ref.file is not None:
                read.setdefault(Path(ref.file), f"a source of {item.article.path}")
    return read


def open_replacing(output: Path) -> int:
    """A descriptor open for writing a new file that has replaced `output` (a link there is replaced,
    not followed; a hard link keeps its old content), so the file can be streamed into as it grows."""
    refuse_special(output)
    fd, tmp = _new_file_beside(output)
    try:
        os.replace(tmp, output)
    except OSError:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return fd


def replace_with_text(output: Path, text: str) -> None:
    """Write `text` to a new file beside `output`, then rename it over `output`: a reader never sees
    half of it, and a link at `output` (or at a guessable temporary name) is never written through."""
    refuse_special(output)
    fd, tmp = _new_file_beside(output)
    try:
        with open(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file_beside(output: Path) -> tuple[int, Path]:
    """A new file of an unguessable name in `output`'s folder, created exclusively (never a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    tmp = output.with_name(f".{output.name}.{secrets.token_hex(6)}.tmp")
    return os.open(tmp, flags, 0o666), tmp
