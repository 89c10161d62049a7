"""Reading files a user (or an article) names: regular files only, bounded, and confined.

Articles, manifests, config files and local sources are read through `read_regular_file`, so
a FIFO never blocks, a device such as /dev/zero is never read, and nothing larger than the
limit reaches memory. Local source files named by an article or a manifest must lie under an
allowed root (the article's folder, its repository root or, outside a repository, the folder
above it, a configured `sources-root`), with
symlinks resolved first; `--allow-any-file` lifts that.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

LOCAL_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
}  # the page files a local source may be, with the content type each is read as


class FileProblem(Exception):
    """A file that cannot be read; the message is one line, without the path."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, else FileProblem with the reason."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO does not wait for a writer
    except FileNotFoundError as exc:
        raise FileProblem("no such file") from exc
    except IsADirectoryError as exc:
        raise FileProblem("is a folder") from exc
    except OSError as exc:
        raise FileProblem(f"cannot read ({exc.strerror or exc})") from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"is not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise FileProblem(f"too large ({_size(info.st_size)}; the limit is {_size(limit)})")
        chunks = []
        total = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while it was read
                raise FileProblem(f"too large (over the limit of {_size(limit)})")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(f"cannot read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MiB"
    return f"{max(size // 1024, 1)} KiB" if size >= 1024 else f"{size} bytes"


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding `.git` (a folder, or a file in a worktree)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def report_root() -> Path:
    """Where the paths of annotations and SARIF results start: the repository holding the working
    folder (GitHub and code-scanning tools read them from the repository's root), else that folder."""
    here = Path.cwd().resolve()
    return repository_root(here) or here


def allowed_roots(article_folder: Path, sources_root: Path | None) -> list[Path]:
    """Where an article's local sources may live: its folder, its project, `sources-root`.

    The project is the repository holding the article; outside a repository it is the folder
    above the article's (the `articles/` + `pages/` layout of archived corpora), unless that
    folder is the filesystem root or holds the home folder.
    """
    folder = article_folder.resolve()
    roots = [folder]
    repo = repository_root(folder)
    if repo is not None:
        roots.append(repo)
    elif _may_hold_sources(folder.parent):
        roots.append(folder.parent)
    if sources_root is not None:
        roots.append(Path(sources_root).resolve())
    return roots


def _may_hold_sources(folder: Path) -> bool:
    home = Path.home().resolve()
    return folder != folder.parent and not home.is_relative_to(folder)


OUTSIDE_SOURCE_ROOTS = (
    "outside the article's folder, its repository and sources-root (use --allow-any-file to allow)"
)


def confinement_problem(path: Path, roots: Iterable[Path], outside: str = OUTSIDE_SOURCE_ROOTS) -> str | None:
    """Why the local file `path` may not be read, or None when it lies under one of `roots`.

    The path is resolved first (every `..` and every symlink), so an absolute path, a `..`
    escape or a link that leads out of the roots is refused alike (with the reason `outside`);
    so is a hidden file or folder inside a root (`.git/config` holds CI credentials, `.env`
    secrets). One rule for local sources, discovered articles and the pages of `verify extract`.
    """
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        return f"cannot resolve the path ({exc})"
    inside = [resolved.relative_to(root) for root in roots if resolved.is_relative_to(root)]
    if not inside:
        return outside
    if all(any(part.startswith(".") for part in relative.parts) for relative in inside):
        return "a hidden file or folder (.git, .env, ...) is never read (use --allow-any-file to allow)"
    return None


def visible_files(folder: Path) -> list[Path]:
    """The files under `folder`, sorted, without hidden files or folders and without entering linked
    folders (a link to a file is listed: its target is judged by `confinement_problem`)."""
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [Path(top) / name for name in names if not name.startswith(".")]
    return sorted(found)


LINK_OUT = "a link out of the checked folder and its repository (use --allow-any-file to allow)"


def checked_roots(folder: Path) -> list[Path]:
    """Where a file found in a checked `folder` may resolve to: the folder, and its repository."""
    repo = repository_root(folder)
    return [folder.resolve(), *([repo] if repo is not None else [])]


def named_file_roots(path: Path) -> list[Path]:
    """Where a file named on the command line may resolve to: its folder, its repository, the cwd."""
    return [*checked_roots(path.parent), Path.cwd().resolve()]


def link_problem(path: Path, roots: Iterable[Path]) -> str | None:
    """Why a checked file (an article, a page of `verify extract`) may not be read: a link that leaves
    `roots` or leads to a hidden file; None when it may."""
    return confinement_problem(path, roots, outside=LINK_OUT)
