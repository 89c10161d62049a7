"""Gather the reference pages of an article: front matter, links, --source flags, manifests."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .config import Settings
from .errors import InputError
from .frontmatter import load_yaml, parse_source_entries, source_from_string
from .ingest import decode
from .localfiles import FileProblem, allowed_roots, confinement_problem, read_regular_file
from .models import Article, Skipped, SourceRef
from .urls import url_problem

MANIFEST_MAX_BYTES = 5 * 1024 * 1024


def collect_sources(article: Article, settings: Settings) -> tuple[list[SourceRef], list[Skipped]]:
    """The sources to use, and the local files refused because they lie outside the allowed roots."""
    refs = gather_sources(article, settings, confined=False)
    if settings.allow_any_file:
        return refs, []
    roots = allowed_roots(Path(article.path).parent, settings.sources_root)
    flag_roots = [*roots, Path.cwd().resolve()]  # a path typed on the command line may be under the cwd
    typed = {ref for _, _, ref in typed_sources(settings)}
    kept, refused = [], []
    for ref in refs:
        problem = None
        if ref.file is not None:
            on_command_line = ref in typed
            problem = confinement_problem(ref.file, flag_roots if on_command_line else roots)
        if problem:
            refused.append(Skipped(ref, f"local file refused: {problem}"))
        else:
            kept.append(ref)
    return kept, refused


def gather_sources(article: Article, settings: Settings, *, confined: bool = True) -> list[SourceRef]:
    """The article's own sources first, then --source flags and manifests, without repeats."""
    if confined:
        return collect_sources(article, settings)[0]
    typed = [
        _checked(ref, f"{option} {value!r}" if option == "--source" else option)
        for option, value, ref in typed_sources(settings)
    ]
    refs = [ref for ref in typed if ref.origin == "original"] + list(article.sources)
    refs += [ref for ref in typed if ref.origin != "original"]
    for manifest in settings.manifests:
        refs += [_checked(ref, str(manifest)) for ref in load_manifest(manifest)]
    seen: set[tuple[str | None, str | None]] = set()
    unique = []
    for ref in refs:
        key = (ref.url, str(Path(ref.file).resolve()) if ref.file else None)
        if key not in seen:
            seen.add(key)
            unique.append(ref)
    return unique


def typed_sources(settings: Settings) -> list[tuple[str, str, SourceRef]]:
    """The sources named for every article (--original, then each --source or the config's sources),
    each with the option and the value that named it; a relative path starts at the working folder."""
    typed = [("--original", settings.original, "original")] if settings.original else []
    typed += [("--source", value, "flag") for value in settings.extra_sources]
    return [(option, value, source_from_string(value, Path.cwd(), origin)) for option, value, origin in typed]


def _checked(ref: SourceRef, where: str) -> SourceRef:
    """A URL the user typed (flag or manifest) must be fetchable; a bad one stops the run."""
    problem = url_problem(ref.url) if ref.url else None
    if problem:
        what = "" if where.startswith("--source") else f" {ref.url!r}"
        raise InputError(f"{where}:{what} not a usable source URL: {problem}")
    return ref


def load_manifest(path: Path) -> list[SourceRef]:
    """A manifest is YAML or JSON (a list, or a map with `sources:`), or one URL/path per line."""
    try:
        raw = read_regular_file(path, MANIFEST_MAX_BYTES)
    except FileProblem as exc:
        if str(exc) == "no such file":
            raise InputError(f"{path}: sources manifest not found") from exc
        raise InputError(f"{path}: cannot read sources manifest ({exc})") from exc
    try:
        text = decode(raw, path)
    except InputError as exc:
        raise InputError(f"{path}: malformed sources manifest (binary data, not text)") from exc
    folder = path.parent
    if path.suffix.lower() in {".yaml", ".yml", ".json"}:
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text)
        except (RecursionError, ValueError) as exc:  # nesting too deep, an integer too long
            if not isinstance(exc, json.JSONDecodeError):
                raise InputError(f"{path}: malformed sources manifest: {_reason(exc)}") from exc
            raise _manifest_error(path, exc) from exc
        except yaml.YAMLError as exc:
            raise _manifest_error(path, exc) from exc
        if isinstance(data, dict):
            data = data.get("sources")
        if not isinstance(data, list):
            raise InputError(f"{path}: a sources manifest must be a list, or a map with a 'sources:' list")
        return parse_source_entries(data, folder, origin="manifest", where=str(path))
    lines = [
        line.split("#", 1)[0].strip() if not line.lstrip().startswith("http") else line.strip()
        for line in text.splitlines()
    ]
    return [
        source_from_string(line, folder, "manifest") for line in lines if line and not line.startswith("#")
    ]


def _manifest_error(path: Path, exc: Exception) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    line = getattr(exc, "lineno", None) or (mark.line + 1 if mark is not None else None)
    problem = " ".join(str(getattr(exc, "problem", None) or getattr(exc, "msg", None) or exc).split())
    where = f" (line {line})" if line else ""
    return InputError(f"{path}: malformed sources manifest{where}: {problem}")


def _reason(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return " ".join(str(exc).split())[:200]
