"""Which article files a run checks: files and folders named, include/exclude globs, --changed-since REF.

Globs are matched against the path relative to the config file's folder (or the current
folder), with `/` separators, by gitignore rules (the pathspec library): `*` stays within a
folder, `**` crosses folders, a pattern without `/` matches a file or folder name at any depth,
a pattern ending in `/` matches folders only, a pattern that matches a folder matches everything
inside it, and `!pattern` takes back what an earlier pattern of the same list matched.
A path is checked when it matches `include` (or `include` is empty) and does not match `exclude`.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pathspec

from .budget import OverBudget, time_budget
from .config import CONFIG_NAMES, Settings
from .errors import InputError, UsageError, VerifyError
from .ingest import ARTICLE_SUFFIXES, load_article
from .localfiles import checked_roots, link_problem, named_file_roots, visible_files
from .models import Article, SourceRef
from .outputs import is_report_file
from .sources import load_manifest, typed_sources


@dataclass(frozen=True)
class ArticleInput:
    path: Path
    display: str  # the path as the user named it (or as found under a named folder)
    # why the file is not read (a link out of the checked folder or to a hidden file); "" when it may be
    refused: str = ""


def discover(paths: Sequence[Path]) -> list[ArticleInput]:
    """Files as given; folders searched recursively for articles. Missing paths raise InputError.

    A folder gives its article files except hidden ones (`.git/`, `.github/`, `.env.md`) and the
    pages of verify's own HTML reports; a file that is a link is marked `refused` unless it resolves
    inside the checked folder or its repository, to a file that is not hidden (docs/security.md).
    """
    found: list[ArticleInput] = []
    for path in paths:
        if path.is_dir():
            roots = checked_roots(path)
            inside = [
                p
                for p in visible_files(path)
                if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file() and not is_report_file(p)
            ]
            if not inside:
                raise InputError(f"{path}: no articles (*.md, *.markdown, *.txt, *.html) in this folder")
            found += [ArticleInput(p, str(p), _refusal(p, roots)) for p in inside]
        elif path.exists():
            found.append(ArticleInput(path, str(path), _refusal(path, named_file_roots(path))))
        else:
            raise InputError(f"{path}: no such file or folder")
    return _once_each(found)


def _once_each(found: list[ArticleInput]) -> list[ArticleInput]:
    """Each article once, as first named: `verify a.md ./a.md .` checks a.md once, not three times."""
    seen: set[str] = set()
    unique = []
    for item in found:
        where = os.path.abspath(item.path)
        if where not in seen:
            seen.add(where)
            unique.append(item)
    return unique


def _refusal(path: Path, roots: Sequence[Path]) -> str:
    """Why an article file may not be read ("" when it may): the confinement rule of local sources."""
    problem = link_problem(path, roots)
    return f"refused: {problem}" if problem else ""


@cache
def glob_spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The patterns as one gitignore spec (a later `!pattern` takes paths back out)."""
    return pathspec.GitIgnoreSpec.from_lines(p.strip().removeprefix("./") for p in patterns)


def glob_matches(pattern: str, relative: str) -> bool:
    """True when `relative` (posix) or one of its parent folders matches the glob."""
    return glob_spec((pattern,)).match_file(relative)


def is_selected(path: Path, include: Sequence[str], exclude: Sequence[str], root: Path) -> bool:
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return True  # outside the config's folder: its globs do not speak about it
    if include and not glob_spec(tuple(include)).match_file(relative):
        return False
    return not (exclude and glob_spec(tuple(exclude)).match_file(relative))


def select(
    inputs: Sequence[ArticleInput], include: Sequence[str], exclude: Sequence[str], root: Path
) -> list[ArticleInput]:
    if not include and not exclude:
        return list(inputs)
    return [item for item in inputs if is_selected(item.path, include, exclude, root)]


# the articles of one run read so far, by path, with the seconds each reading took (None: unreadable):
# read once for the checks made before a serial run and for the run itself, which charges those
# seconds to the article's time budget
LoadedArticles = dict[Path, tuple[Article | None, float]]


def set_aside_sources(
    inputs: Sequence[ArticleInput],
    named: Sequence[Path],
    settings: Settings,
    parsed: LoadedArticles | None = None,
) -> tuple[list[ArticleInput], list[ArticleInput]]:
    """(articles, source files): a file that an article's front matter, a --source flag or a manifest
    names as a source is evidence for that article, not an article of the same run, unless it was
    named on the command line itself. Unreadable articles and manifests are left to the pipeline to report.
    """
    cited: set[Path] = set()
    for item in inputs:
        if item.refused and not settings.allow_any_file:
            continue
        if item.path.suffix.lower() in {".md", ".markdown"}:
            cited |= {file.resolve() for file in article_source_files(item, settings, parsed) or ()}
    cited |= {ref.file.resolve() for ref in _named_sources(settings) if ref.file}
    explicit = {p.resolve() for p in named if p.is_file()}
    articles: list[ArticleInput] = []
    sources: list[ArticleInput] = []
    for item in inputs:
        resolved = item.path.resolve()
        (sources if resolved in cited and resolved not in explicit else articles).append(item)
    return articles, sources


def _named_sources(settings: Settings) -> list[SourceRef]:
    """The sources every article gets: --source flags and the manifests (an unreadable one: none)."""
    refs = [ref for option, _, ref in typed_sources(settings) if option == "--source"]
    for manifest in settings.manifests:
        try:
            refs += load_manifest(manifest)
        except VerifyError:
            continue  # the run reports it
    return refs


def files_read(
    inputs: Sequence[ArticleInput], settings: Settings, parsed: LoadedArticles | None = None
) -> dict[Path, str]:
    """Every local file a run over `inputs` reads (path -> what it is): the articles, their local
    sources (front matter, links, --source, --original, manifests), the manifests, config, baseline
    and replay archive."""
    read: dict[Path, str] = {Path(item.path): f"the article {item.display}" for item in inputs}
    for manifest in settings.manifests:
        read.setdefault(Path(manifest), "a sources manifest")
    for config in [settings.root / name for name in CONFIG_NAMES] if settings.root else []:
        if config.is_file():
            read.setdefault(config, "the config file")
    if settings.baseline is not None:
        read.setdefault(Path(settings.baseline), "the baseline")
    if settings.replay is not None:
        read.setdefault(Path(settings.replay), "the replay archive")
    original = [ref for option, _, ref in typed_sources(settings) if option == "--original"]
    for ref in _named_sources(settings) + original:
        if ref.file is not None:
            read.setdefault(Path(ref.file), "a source named for every article")
    for item in inputs:
        if item.refused and not settings.allow_any_file:
            continue
        for file in article_source_files(item, settings, parsed) or ():
            read.setdefault(file, f"a source of {item.display}")
    return read


def article_source_files(
    item: ArticleInput, settings: Settings, parsed: LoadedArticles | None = None
) -> tuple[Path, ...] | None:
    """The local files an article names as its sources (front matter, links), None when it cannot be read.

    `parsed` holds the articles already read in this run: both checks made before a run ask this of
    every article, and the run reads them from there too.
    """
    if parsed is not None and item.path in parsed:
        article = parsed[item.path][0]
    else:
        started = time.monotonic()
        try:
            with time_budget(settings.article_timeout):  # a hostile article: its run will say so
                article = load_article(item.path, item.display, settings.max_article_bytes)
        except (VerifyError, OverBudget):
            article = None  # the run reports it; what it names is not read
        if parsed is not None:
            parsed[item.path] = (article, time.monotonic() - started)
    if article is None:
        return None
    return tuple(Path(ref.file) for ref in article.sources if ref.file is not None)


def changed_since(ref: str, paths: Sequence[Path], cwd: Path | None = None) -> list[ArticleInput]:
    """Articles under `paths` (or the whole repository) changed since `ref`, plus untracked ones."""
    cwd = (cwd or Path.cwd()).resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    names = _git(["diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", ref, "--"], top).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    roots = [p.resolve() for p in paths] or [top]
    found: list[ArticleInput] = []
    for name in sorted(set(filter(None, names))):
        path = top / name
        if path.suffix.lower() not in ARTICLE_SUFFIXES or not path.is_file():
            continue
        if not any(path == r or r in path.parents for r in roots):
            continue
        if any(part.startswith(".") for part in Path(name).parts) or is_report_file(path):
            continue
        found.append(ArticleInput(path, _display(path, cwd), _refusal(path, [top.resolve()])))
    return found


def _display(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return str(path)


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except FileNotFoundError as exc:
        raise UsageError("--changed-since needs git, and git is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise UsageError("--changed-since: git did not answer within 60 s") from exc
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0].removeprefix("fatal: ").strip() if lines else f"git exited with {done.returncode}"
        raise UsageError(f"--changed-since: {reason}")
    return done.stdout
