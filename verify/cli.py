"""The `verify` command: parse options, build Settings, run the pipeline, write the report.

`verify PATHS...` checks articles; `verify baseline PATHS...` records today's findings so later
runs with `--baseline` report only new ones. Exit codes: 0 nothing to flag, 1 problems found,
2 bad usage, configuration or unreadable input, 3 the cache database cannot be used. Heavy
modules are imported inside the command so that `verify --help` stays fast and never imports torch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .config import (
    DEFAULT_BASELINE,
    DEFAULT_MODEL,
    Settings,
    build_settings,
    cli_overrides,
    discover_config,
)
from .errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, VerifyError
from .sanitize import safe_text

if TYPE_CHECKING:
    from .embed import Embedder
    from .models import Report
    from .pipeline import ArticleInput
    from .policy import Outcome
    from .resultcache import ResultCache


class Format(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"
    sarif = "sarif"
    github = "github"
    jsonl = "jsonl"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


CHECK_HELP = (
    "Check the claims and attributions of articles against their sources. PATHS are article files, "
    "or folders searched for *.md, *.markdown, *.txt, *.html and *.htm."
)
EXIT_CODES = """\b
Exit codes:
  0  nothing to flag
  1  problems found at or above --fail-on
  2  bad usage, configuration or unreadable input
  3  the cache database cannot be used"""
BASELINE_HELP = (
    "Record today's findings as signed off: later checks of these articles report only new findings. "
    "Takes the options of a check; the baseline file is --baseline FILE, or the configured one, "
    f"or {DEFAULT_BASELINE} next to the config file (or in the current folder)."
)


@app.command(
    help=CHECK_HELP,
    epilog="Also: 'verify baseline PATHS... [--baseline FILE]' records today's findings as signed off "
    "(see verify baseline --help); 'verify extract PAGE_OR_URL...' shows what verify reads from pages."
    f"\n\n{EXIT_CODES}",
)
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATHS", hidden=True),  # described in CHECK_HELP: no type in the help
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", metavar="URL|FILE", help="A source URL or local file (repeatable)."),
    ] = None,
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources",
            metavar="FILE",
            help="A manifest of sources: YAML/JSON list or one URL/path per line (repeatable).",
        ),
    ] = None,
    original: Annotated[
        str | None,
        typer.Option(
            "--original",
            metavar="URL|FILE",
            help="The page the article was rewritten from: shown against it sentence by sentence.",
        ),
    ] = None,
    format: Annotated[
        Format, typer.Option("--format", "-f", metavar="FORMAT", help=f"Report format: {', '.join(Format)}.")
    ] = Format.terminal,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report here (default: stdout)."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", metavar="PATH|URL", help="Cache database: a SQLite file path or an SQLAlchemy URL."
        ),
    ] = None,
    offline: Annotated[
        bool | None,
        typer.Option("--offline/--online", help="No network: use the cache and local files only."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            metavar="NAME|PATH",
            help=f"Embedding model: the bundled default ({DEFAULT_MODEL}), a local folder or a hub name.",
        ),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            metavar="NAME",
            help="Embedding backend: auto, torch, onnx or onnx-int8 [auto: onnx if installed].",
        ),
    ] = None,
    nli_model: Annotated[
        str | None,
        typer.Option(
            "--nli-model",
            metavar="NAME|PATH",
            help="An NLI cross-encoder (folder or hub name) as one more signal.",
        ),
    ] = None,
    top_k: Annotated[
        int | None,
        typer.Option("--top-k", min=1, max=50, metavar="N", help="Evidence sentences kept per claim [5]."),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching loopback and private-network addresses.")
    ] = False,
    allow_any_file: Annotated[
        bool,
        typer.Option(
            "--allow-any-file",
            help="Read local source files anywhere, not only under the article's folder or repository.",
        ),
    ] = False,
    sources_root: Annotated[
        Path | None,
        typer.Option(
            "--sources-root", metavar="FOLDER", help="One more folder local source files may be read from."
        ),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Revalidate cached pages with the server (and recheck).")
    ] = False,
    respect_robots: Annotated[
        bool | None,
        typer.Option("--respect-robots/--ignore-robots", help="Skip pages that robots.txt disallows."),
    ] = None,
    max_sources: Annotated[
        int | None,
        typer.Option("--max-sources", min=1, metavar="N", help="Sources used per article at most [50]."),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.1, metavar="SECONDS", help="Seconds per network request [15]."),
    ] = None,
    connect_timeout: Annotated[
        float | None,
        typer.Option(
            "--connect-timeout", min=0.1, metavar="SECONDS", help="Seconds to connect [min(timeout, 10)]."
        ),
    ] = None,
    total_timeout: Annotated[
        float | None,
        typer.Option(
            "--total-timeout",
            min=0.1,
            metavar="SECONDS",
            help="Seconds per source, all redirects and retries [2 x timeout].",
        ),
    ] = None,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes", min=1024, metavar="BYTES", help="Largest page read, after decompression [5 MiB]."
        ),
    ] = None,
    db_timeout: Annotated[
        float | None,
        typer.Option(
            "--db-timeout", min=0.1, metavar="SECONDS", help="Seconds to wait for a locked cache [30]."
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            metavar="LEVEL",
            help="Exit 1 on a finding of this level or worse: error, warning or never [warning].",
        ),
    ] = None,
    severity: Annotated[
        list[str] | None,
        typer.Option(
            "--severity",
            metavar="RULE=LEVEL",
            help="Level of a rule or rule prefix: error, warning, info or off (repeatable).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", metavar="GLOB", help="Skip matching files (repeatable).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Config file (default: verify.toml or pyproject.toml found above).",
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help=f"Report only findings not in this baseline [{DEFAULT_BASELINE}, when it exists].",
        ),
    ] = None,
    no_baseline: Annotated[
        bool, typer.Option("--no-baseline", help="Ignore the configured baseline: report everything.")
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option("--changed-since", metavar="REF", help="Check only articles changed since a git ref."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Recheck every article instead of reusing stored results.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, metavar="N", help="Check in batches on a local Dask cluster of N processes."
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster", metavar="ADDRESS", help="Check in batches on a Dask cluster (tcp://host:8786)."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    problems_only: Annotated[
        bool, typer.Option("--problems-only", help="Terminal report: list only claims with findings.")
    ] = False,
    record_baseline: Annotated[bool, typer.Option("--record-baseline", hidden=True)] = False,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_show_version, help="Show the version and exit."),
    ] = False,
) -> None:
    options = dict(locals())  # every option by parameter name: the settings table picks its own
    paths = list(paths or [])
    if not paths and not changed_since:
        raise UsageError("name the articles to check: files or folders (try: verify .)")
    if format is Format.html and output is None and not record_baseline:
        raise UsageError("--format html needs --output FILE.html")
    values = discover_config(paths, config)
    settings = build_settings(values, cli_overrides(options, values))
    if output is not None:
        _check_output(output, settings)
    from .selection import set_aside_sources

    inputs, cited = set_aside_sources(select_inputs(paths, settings, changed_since), paths, settings)
    if not record_baseline and (format is Format.jsonl or (output and output.suffix == ".jsonl")):
        from dataclasses import replace

        from .report.jsonl import stream

        settings = replace(settings, baseline=settings.baseline or _default_baseline(settings))
        raise typer.Exit(
            stream(inputs, settings, output, no_baseline=no_baseline, quiet=quiet, factory=make_embedder)
        )
    report, results = _run(inputs, settings, quiet=quiet)
    for error in report.errors:
        print(f"verify: error: {safe_text(error, one_line=True)}", file=sys.stderr)

    from .policy import evaluate, has_problems

    if record_baseline:
        _record(report, settings, evaluate(report, settings))
        raise typer.Exit(EXIT_USAGE if report.errors else EXIT_OK)
    known = None
    baseline_file = settings.baseline or _default_baseline(settings)
    if baseline_file is not None and not no_baseline:
        from .baseline import load_baseline

        known = load_baseline(baseline_file)
    outcomes = evaluate(report, settings, known)
    notes = _notes(outcomes, cited, baseline_file)
    _write(report, outcomes, results, format, output, problems_only=problems_only, notes=notes)
    if report.errors:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_PROBLEMS if has_problems(outcomes, settings.fail_on) else EXIT_OK)


def _notes(outcomes: Sequence[Outcome], cited: Sequence[ArticleInput], baseline: Path | None) -> list[str]:
    """What the summary adds: files kept out as sources, and findings signed off or suppressed."""
    notes = []
    if cited:
        names = ", ".join(item.display for item in cited[:3]) + (", ..." if len(cited) > 3 else "")
        notes.append(f"{_plural(len(cited), 'file')} named as sources not checked as articles ({names})")
    signed = sum(s.kind == "external" for o in outcomes for s in o.suppressed)
    if signed:
        notes.append(f"{_plural(signed, 'finding')} signed off in {baseline}")
    hidden = sum(s.kind == "inSource" for o in outcomes for s in o.suppressed)
    if hidden:
        notes.append(f"{_plural(hidden, 'finding')} suppressed in the article")
    return notes


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class PageFormat(StrEnum):
    json = "json"
    text = "text"


extract_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@extract_app.command(
    help="Show what verify reads from pages: final URL, title, author, date, site, main text, sentences.",
    epilog="Exit codes: 0 every page was read, 2 a page could not be read (one error line each), "
    "3 the cache database cannot be used.",
)
def extract(
    pages: Annotated[
        list[str],
        typer.Argument(metavar="PAGE_OR_URL...", help="Page files, folders of pages, or http(s) URLs."),
    ],
    format: Annotated[PageFormat, typer.Option("--format", "-f", help="Output format.")] = PageFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Cache database: a SQLite file path or an SQLAlchemy URL.")
    ] = None,
    offline: Annotated[
        bool | None,
        typer.Option("--offline/--online", help="No network: use the cache and local files only."),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching loopback and private-network addresses.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Revalidate cached pages with the server.")
    ] = False,
    respect_robots: Annotated[
        bool | None,
        typer.Option("--respect-robots/--ignore-robots", help="Skip pages that robots.txt disallows."),
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", min=0.1, help="Seconds per network request [15].")
    ] = None,
    max_bytes: Annotated[
        int | None,
        typer.Option("--max-bytes", min=1024, help="Largest page read, after decompression [5 MiB]."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Config file (default: verify.toml or pyproject.toml found above)."),
    ] = None,
) -> None:
    options = dict(locals())
    from .models import Skipped
    from .pages import page_refs, read_pages, render_json, render_text
    from .store import Store, default_db_path

    settings = build_settings(discover_config([], config), cli_overrides(options, {}))
    if output is not None:
        _check_output(output, settings)
    store = Store(settings.db or default_db_path(), timeout=settings.db_timeout)
    try:
        results = read_pages(page_refs(pages), settings, store)
    finally:
        store.close()
    text = render_json(results) if format is PageFormat.json else render_text(results)
    if output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(output, text)
    failed = [r for r in results if isinstance(r, Skipped)]
    for skipped in failed:
        print(
            f"verify: error: {safe_text(f'{skipped.ref.label}: {skipped.reason}', one_line=True)}",
            file=sys.stderr,
        )
    raise typer.Exit(EXIT_USAGE if failed else EXIT_OK)


def select_inputs(paths: Sequence[Path], settings: Settings, changed_since: str | None) -> list[ArticleInput]:
    from .pipeline import discover
    from .selection import changed_since as changed
    from .selection import select

    inputs = changed(changed_since, paths) if changed_since else discover(paths)
    return select(inputs, settings.include, settings.exclude, settings.root or Path.cwd())


def make_embedder(settings: Settings) -> Embedder:
    """The model that embeds texts missing from the cache (tests replace this function)."""
    from .embed import make_embedder as build

    return build(settings.model, settings.backend)


def _run(
    inputs: Sequence[ArticleInput], settings: Settings, *, quiet: bool
) -> tuple[Report, ResultCache | None]:
    from .embed import CachedEmbedder
    from .pipeline import run
    from .resultcache import ResultCache
    from .store import Store, default_db_path

    if settings.workers or settings.cluster:
        from .distributed import run_archive

        return run_archive(inputs, settings, factory=make_embedder, quiet=quiet)
    store = Store(settings.db or default_db_path(), timeout=settings.db_timeout)
    progress = make_progress(quiet)
    try:
        inner = make_embedder(settings)
        embedder = CachedEmbedder(_Counted(inner, progress) if progress else inner, store)
        results = ResultCache(store, settings, embedder.name) if settings.result_cache else None
        report = run(inputs, settings, store=store, embedder=embedder, progress=progress, results=results)
        return report, results
    finally:
        if progress:
            progress.close()
        store.close()


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"verify {__version__}")
        raise typer.Exit(EXIT_OK)


def _default_baseline(settings: Settings) -> Path | None:
    """The baseline `verify baseline` writes by default, when it exists: applied without --baseline."""
    path = (settings.root or Path.cwd()) / DEFAULT_BASELINE
    return path if path.is_file() else None


def _record(report: Report, settings: Settings, outcomes: list[Outcome]) -> None:
    from .baseline import write_baseline

    path = settings.baseline or (settings.root or Path.cwd()) / DEFAULT_BASELINE
    count = write_baseline(path, [(o.item, o.findings) for o in outcomes])
    print(f"verify: recorded {count} finding(s) of {len(outcomes)} article(s) in {path}", file=sys.stderr)


def _write(
    report: Report,
    outcomes: list[Outcome],
    results: ResultCache | None,
    format: Format,
    output: Path | None,
    *,
    problems_only: bool = False,
    notes: Sequence[str] = (),
) -> None:
    from .policy import with_findings

    if format is Format.html:
        if output is None:
            raise UsageError("--format html needs --output FILE.html")
        from .report.html import write_html

        _check_writable(output)
        write_html(with_findings(report, outcomes, claims=False), output)
        return
    if format is Format.json:
        text = _json(report, outcomes, results)
    elif format is Format.sarif:
        from .report.sarif import render as render_sarif

        text = render_sarif(report, outcomes)
    elif format is Format.github:
        from .report.github import render as render_github

        text = render_github(outcomes, errors=report.errors)
    else:
        from .report.terminal import render as render_terminal

        shown = with_findings(report, outcomes)
        if output is None:
            render_terminal(shown, problems_only=problems_only, notes=notes)
            return
        import io

        buffer = io.StringIO()
        render_terminal(shown, buffer, color=False, width=120, problems_only=problems_only, notes=notes)
        text = buffer.getvalue()
    if output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(output, text)


def _json(report: Report, outcomes: list[Outcome], results: ResultCache | None) -> str:
    """The JSON contract, plus per-article `cached`/`suppressed` and a `cache` block."""
    import json

    from .policy import with_findings
    from .report.json import to_dict

    data: dict[str, Any] = to_dict(with_findings(report, outcomes))
    hits = set(results.hits) if results else set()
    for entry, outcome in zip(data["articles"], outcomes, strict=True):
        entry["cached"] = outcome.item.article.path in hits
        entry["suppressed"] = [
            {"rule": s.finding.rule, "line": s.finding.line, "kind": s.kind, "justification": s.justification}
            for s in outcome.suppressed
        ]
    data["cache"] = {
        "enabled": results is not None,
        "articles_from_cache": len(results.hits) if results else 0,
        "articles_checked": len(results.misses) if results else len(report.articles),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _check_output(output: Path, settings: Settings) -> None:
    """Refuse an unwritable report path, or the cache database itself, before any work."""
    from .store import default_db_path

    db = settings.db or default_db_path()
    if "://" not in str(db) and output.resolve() == Path(db).expanduser().resolve():
        raise UsageError(f"--output {output} is the cache database; the report would replace it")
    _check_writable(output)


def _check_writable(output: Path) -> None:
    if output.is_dir():
        raise UsageError(f"cannot write {output}: Is a directory")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {output}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write {output}: permission denied")


def write_text_atomic(output: Path, text: str) -> None:
    """Write through a temporary file so a failed write never leaves half a report."""
    _check_writable(output)
    tmp = output.with_name(f".{output.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc


class ProgressDisplay:
    """Bars on stderr for reading, fetching, loading the model, embedding and checking."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<13}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.tasks: dict[str, Any] = {}
        self.started = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.started:
            self.bars.start()
            self.started = True
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=total or None)
        self.bars.update(self.tasks[stage], completed=done, total=total or None)

    def close(self) -> None:
        if self.started:
            self.bars.stop()


def make_progress(quiet: bool) -> ProgressDisplay | None:
    """A progress display only for a person at a terminal: not with --quiet, in CI, or when piped."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    return ProgressDisplay()


class _Counted:
    """Passes texts to the model and reports loading the model and how many texts were embedded so far."""

    CHUNK = 64  # texts per report: the display moves every second or so even on a busy CPU

    def __init__(self, inner: Embedder, progress: ProgressDisplay) -> None:
        self.inner = inner
        self.name = inner.name
        self.progress = progress
        self.done = 0
        self.loaded = False

    def warm(self) -> None:
        """Load the model (a few seconds on a cold start) under its own progress line."""
        if self.loaded:
            return
        warm = getattr(self.inner, "warm", None)
        if warm is not None:
            self.progress("loading model", 0, 1)
            warm()
            self.progress("loading model", 1, 1)
        self.loaded = True

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        if not len(texts):
            return self.inner.encode(texts)
        self.warm()
        self.progress("embedding", self.done, 0)
        parts = []
        for start in range(0, len(texts), self.CHUNK):
            chunk = texts[start : start + self.CHUNK]
            parts.append(self.inner.encode(chunk))
            self.done += len(chunk)
            self.progress("embedding", self.done, 0)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]


def translate(argv: Sequence[str]) -> list[str]:
    """`verify baseline ARGS` runs the check command in recording mode."""
    args = list(argv)
    if args and args[0] == "baseline":
        return ["--record-baseline", *args[1:]]
    return args


def command_for(args: Sequence[str]) -> tuple[Any, str]:
    """The click command and program name: `verify baseline` gets its own help text."""
    command = typer.main.get_command(app)
    if "--record-baseline" in args:
        command.help = BASELINE_HELP
        command.epilog = EXIT_CODES
        return command, "verify baseline"
    return command, "verify"


def usage_message(exc: Exception, args: Sequence[str], params: Sequence[Any] = ()) -> str:
    """A click/typer usage error as one sentence that names the option and what it accepts."""
    option_name = getattr(exc, "option_name", None)
    possibilities = getattr(exc, "possibilities", None)
    if option_name and possibilities is not None:  # an unknown option
        hint = f"; did you mean {' or '.join(sorted(possibilities))}?" if possibilities else ""
        return f"no such option: {option_name}{hint} (see verify --help)"
    param = getattr(exc, "param", None)
    if param is None and option_name:
        param = next((p for p in params if option_name in _names(p)), None)
    if param is None or getattr(param, "param_type_name", "") != "option":
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        return message[:1].lower() + message[1:]
    name = max(param.opts, key=len)
    accepted = _accepted(param)
    value = _given(args, _names(param))
    if value is None:
        return f"{name} needs a value: {accepted}"
    return f"{name} {value!r} is not allowed: expected {accepted}"


def _names(param: Any) -> list[str]:
    return [*param.opts, *getattr(param, "secondary_opts", ())]


def _accepted(param: Any) -> str:
    """What an option accepts, from its declaration: choices, a number range, or its metavar."""
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None) or getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return "one of " + ", ".join(str(getattr(c, "value", c)) for c in choices)
    annotation = getattr(descriptor, "annotation", None)
    if annotation in (int, float):
        kind = "a whole number" if annotation is int else "a number"
        low, high = getattr(param, "min", None), getattr(param, "max", None)
        if low is not None and high is not None:
            return f"{kind} from {low} to {high}"
        if low is not None:
            return f"{kind} of at least {low}"
        return kind
    return param.metavar or "a value"


def _given(args: Sequence[str], names: Sequence[str]) -> str | None:
    """The value given to the last use of an option in `args` (None when it has none)."""
    value = None
    for n, arg in enumerate(args):
        for name in names:
            if arg == name:
                following = args[n + 1] if n + 1 < len(args) else None
                value = following if following is not None and _is_value(following) else None
            elif name.startswith("--") and arg.startswith(name + "="):
                value = arg[len(name) + 1 :]
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                value = arg[len(name) :]
    return value


def _is_value(arg: str) -> bool:
    return not arg.startswith("-") or arg[1:].replace(".", "", 1).isdigit()


def main() -> None:
    """Console entry point: every VerifyError ends in one line on stderr and its exit code."""
    if sys.argv[1:2] == ["extract"]:
        args, command, prog_name = sys.argv[2:], typer.main.get_command(extract_app), "verify extract"
    else:
        args = translate(sys.argv[1:])
        command, prog_name = command_for(args)
    try:
        code = command.main(args=args, prog_name=prog_name, standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except VerifyError as exc:
        print(f"verify: error: {safe_text(str(exc), one_line=True)}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unforeseen: one line, no traceback
        if _is_usage_error(exc):
            message = usage_message(exc, args, command.params)
            print(f"verify: error: {safe_text(message, one_line=True)}", file=sys.stderr)
            sys.exit(EXIT_USAGE)
        if type(exc).__name__ == "Abort":
            sys.exit(130)
        if os.environ.get("VERIFY_DEBUG"):
            raise
        print(
            f"verify: internal error: {type(exc).__name__}: {safe_text(str(exc), one_line=True)} "
            "(set VERIFY_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(4)


def _is_usage_error(exc: Exception) -> bool:
    """Typer's own usage errors (typer >= 0.2x vendors click) and click's."""
    import click

    kinds: tuple[type, ...] = (click.exceptions.UsageError,)
    vendored = getattr(getattr(typer, "_click", None), "exceptions", None)
    if vendored is not None:
        kinds += (vendored.UsageError,)
    return isinstance(exc, kinds)
