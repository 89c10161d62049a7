"""The `verify` command: parse options, build Settings, run the pipeline, write the report.

`verify PATHS...` checks articles; `verify baseline PATHS...` records today's findings so later
runs with `--baseline` report only new ones. Exit codes: 0 nothing to flag, 1 problems found,
2 bad usage, configuration or unreadable input, 3 the cache database cannot be used, 4 an internal
error, 130 interrupted (verify/errors.py names them). Heavy
modules are imported inside the command so that `verify --help` stays fast and never imports torch.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..config import (
    DEFAULT_BASELINE,
    DEFAULT_MODEL,
    GC_THRESHOLDS,
    MAX_WORKERS,
    Settings,
    build_settings,
    cli_overrides,
    discover_config,
)
from ..errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    UsageError,
    VerifyError,
)
from ..report import FORMATS, Rendering, formatter
from ..sanitize import error_text
from .extract import extract_app
from .options import AllowAnyFileOption, AllowPrivateOption, OfflineOption, SourcesRootOption
from .progress import ProgressDisplay, _Counted, make_progress
from .usage import cache_database, check_output, is_usage_error, usage_message

if TYPE_CHECKING:
    from ..embed import Embedder
    from ..models import Report
    from ..pipeline import ArticleInput
    from ..policy import Outcome
    from ..resultcache import ResultCache
    from ..selection import LoadedArticles


Format = StrEnum("Format", {name: name for name in FORMATS})  # type: ignore[misc]  # --format choices


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
  3  the cache database cannot be used
  4  internal error (a bug: please report it)
  130  interrupted"""
BASELINE_HELP = (
    "Record today's findings as signed off: later checks of these articles report only new findings. "
    "Takes the options of a check; the baseline file is --baseline FILE, or the configured one, "
    f"or {DEFAULT_BASELINE} next to the config file (or in the current folder)."
)


@app.command(
    help=CHECK_HELP,
    epilog="Also: 'verify baseline PATHS... [--baseline FILE]' records today's findings as signed off "
    "(see verify baseline --help); 'verify extract PAGE_OR_URL...' shows what verify reads from pages; "
    "'verify archive PATHS... -o FILE.warc.gz' keeps the sources of articles in a WARC file."
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
    ] = Format("terminal"),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report here (default: stdout); without --format its extension (.json, .html, "
            ".sarif, .jsonl) picks the format.",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", metavar="PATH|URL", help="Cache database: a SQLite file path or an SQLAlchemy URL."
        ),
    ] = None,
    offline: OfflineOption = None,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            metavar="FILE.warc.gz",
            help="Keep every source the run used (cached pages too) in this WARC file.",
        ),
    ] = None,
    replay: Annotated[
        Path | None,
        typer.Option(
            "--replay",
            metavar="FILE.warc.gz",
            help="Read the sources from this WARC file instead of the network.",
        ),
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
            help="Embedding backend: auto, torch, onnx or onnx-int8 [auto: onnx-int8 if installed].",
        ),
    ] = None,
    entail_model: Annotated[
        str | None,
        typer.Option(
            "--entail-model",
            metavar="PATH|none",
            help="Entailment model folder for the verdicts, or none [the bundled model].",
        ),
    ] = None,
    verifier: Annotated[
        str | None,
        typer.Option(
            "--verifier",
            metavar="PATH|bundled|none",
            help="Verifier that must confirm a supported verdict: model folder, bundled, or none [bundled].",
        ),
    ] = None,
    top_k: Annotated[
        int | None,
        typer.Option(
            "--top-k",
            min=1,
            max=50,
            metavar="N",
            help="Evidence sentences shown per claim [5]; the verdict reads its own window.",
        ),
    ] = None,
    allow_private: AllowPrivateOption = False,
    allow_any_file: AllowAnyFileOption = False,
    sources_root: SourcesRootOption = None,
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
            help="Level of a rule or rule prefix: error, warning, info or off (repeatable); a name that "
            "is no rule and starts none is refused.",
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
            "--workers",
            min=1,
            max=MAX_WORKERS,
            metavar="N",
            help=f"Check in batches on a local Dask cluster of N processes (at most {MAX_WORKERS}).",
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
    format = format_for(format, output)
    options = dict(locals())  # every option by parameter name: the settings table picks its own
    paths = list(paths or [])
    if changed_since is not None and not changed_since.strip():  # '' would quietly check everything
        raise UsageError("--changed-since needs a git revision (a branch, tag or commit), not an empty one")
    if not paths and not changed_since:
        raise UsageError("name the articles to check: files or folders (try: verify .)")
    if formatter(format.value).needs_output and output is None and not record_baseline:
        raise UsageError(f"--format {format.value} needs --output FILE.{format.value}")
    values = discover_config(paths, config)
    settings = build_settings(values, cli_overrides(options, values))
    if output is not None:
        check_output(output, settings)
    check_named_sources(settings)
    if settings.workers and settings.cluster:
        raise UsageError("--workers starts a local cluster and --cluster names a running one: give one")
    from ..selection import set_aside_sources

    parsed: LoadedArticles = {}  # each article is read once: for the two checks below and a serial run
    inputs, cited = set_aside_sources(select_inputs(paths, settings, changed_since), paths, settings, parsed)
    # never write over a file the run reads (an article, a source, the config, the cache database)
    from ..selection import files_read

    named = {config: "the config file"} if config else {}
    refuse_written(output, settings, record_baseline, {**named, **files_read(inputs, settings, parsed)})
    if output is not None and format.value == "html" and len(inputs) > 1:
        from ..report.html import check_pages_folder

        check_pages_folder(output)  # before the run, not after it
    streamed = formatter(format.value).streams or (output is not None and output.suffix == ".jsonl")
    if settings.archive is not None and (streamed or settings.workers or settings.cluster):
        raise UsageError("--archive writes one file per run: not with --format jsonl, --workers or --cluster")
    if settings.archive is not None or settings.replay is not None:
        # a stored result would skip the pages an archive must hold, or the ones a replay must read
        settings = replace(settings, result_cache=False)
    if not record_baseline and streamed:
        from ..report.jsonl import stream

        settings = replace(settings, baseline=settings.baseline or _default_baseline(settings))
        raise typer.Exit(
            stream(inputs, settings, output, no_baseline=no_baseline, quiet=quiet, factory=make_embedder)
        )
    report, results = _run(inputs, settings, quiet=quiet, loaded=parsed)
    for error in report.errors:
        print(f"verify: error: {error_text(error)}", file=sys.stderr)

    from ..policy import evaluate, has_problems

    if record_baseline:
        _record(report, settings, evaluate(report, settings))
        raise typer.Exit(EXIT_USAGE if report.errors else EXIT_OK)
    known = None
    baseline_file = settings.baseline or _default_baseline(settings)
    if baseline_file is not None and not no_baseline:
        from ..baseline import load_baseline

        known = load_baseline(baseline_file)
    outcomes = evaluate(report, settings, known)
    notes = _notes(outcomes, cited, baseline_file)
    rendering = Rendering(
        report, outcomes, results, problems_only=problems_only, notes=notes, settings=settings
    )
    if output is not None:
        from ..outputs import files_in, refuse_input

        refuse_input(output, files_in(report))  # a source found only while checking
    formatter(format.value).write(rendering, output)
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


def select_inputs(paths: Sequence[Path], settings: Settings, changed_since: str | None) -> list[ArticleInput]:
    from ..pipeline import discover
    from ..selection import changed_since as changed
    from ..selection import select

    inputs = changed(changed_since, paths) if changed_since else discover(paths)
    return select(inputs, settings.include, settings.exclude, settings.root or Path.cwd())


def make_embedder(settings: Settings) -> Embedder:
    """The model that embeds texts missing from the cache (tests replace this function); with
    --offline a model named on the hub is looked for in the local hub cache only, never fetched."""
    from ..embed import make_embedder as build

    if settings.offline:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    return build(settings.model, settings.backend)


def _run(
    inputs: Sequence[ArticleInput], settings: Settings, *, quiet: bool, loaded: LoadedArticles | None = None
) -> tuple[Report, ResultCache | None]:
    from ..embed import CachedEmbedder
    from ..pipeline import run
    from ..resultcache import ResultCache
    from ..store import Store, default_db_path

    if settings.workers or settings.cluster:
        from ..distributed import run_archive

        return run_archive(inputs, settings, factory=make_embedder, quiet=quiet)
    store = Store(settings.db or default_db_path(), timeout=settings.db_timeout)
    progress = make_progress(quiet)
    try:
        inner = make_embedder(settings)
        embedder = CachedEmbedder(_Counted(inner, progress) if progress else inner, store)
        results = ResultCache(store, settings, embedder.name) if settings.result_cache else None
        report = run(
            inputs,
            settings,
            store=store,
            embedder=embedder,
            progress=progress,
            results=results,
            loaded=loaded,
        )
        return report, results
    finally:
        if progress:
            progress.close()
        store.close()


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        print(f"verify {__version__}")
        raise typer.Exit(EXIT_OK)


FORMAT_OF_SUFFIX = {".json": "json", ".html": "html", ".htm": "html", ".sarif": "sarif", ".jsonl": "jsonl"}


def format_for(chosen: Format, output: Path | None) -> Format:
    """--format as given; when it is not given, the format the report file's extension names
    (`-o report.json` writes JSON, `-o r.sarif.json` SARIF), else the terminal report."""
    if output is None or _given_on_command_line("format"):
        return chosen
    name = output.name.lower()
    suffix = ".sarif" if name.endswith(".sarif.json") else output.suffix.lower()
    return Format(FORMAT_OF_SUFFIX.get(suffix, chosen.value))


def _given_on_command_line(parameter: str) -> bool:
    import importlib

    # typer >= 0.2x vendors click as typer._click; an older typer runs on click itself
    module = importlib.import_module("typer._click.globals" if hasattr(typer, "_click") else "click")
    source = module.get_current_context().get_parameter_source(parameter)
    return source is not None and source.name == "COMMANDLINE"


def check_named_sources(settings: Settings) -> None:
    """A local source named for every article (--source, the config's sources, --original) that does
    not exist is a usage error: a typo would otherwise pass unseen in CI as one skipped source."""
    from ..sources import typed_sources

    for option, value, ref in typed_sources(settings):
        if ref.file is not None and not os.path.lexists(ref.file):
            raise UsageError(f"{option} {value}: no such file")


def refuse_written(
    output: Path | None, settings: Settings, record_baseline: bool, read: dict[Path, str]
) -> None:
    """Refuse, before any work, a report, archive or recorded baseline that would replace a file the
    run reads, the cache database, a device or pipe, or another of the run's own outputs."""
    from ..outputs import refuse_targets

    targets: list[tuple[str, Path, str]] = []
    if output is not None:
        targets.append(("--output", output, "the report"))
    if settings.archive is not None:
        targets.append(("--archive", settings.archive, "the archive"))
    if record_baseline:
        baseline = settings.baseline or (settings.root or Path.cwd()) / DEFAULT_BASELINE
        read = {path: what for path, what in read.items() if what != "the baseline"}  # it is rewritten
        targets.append(("--baseline", baseline, "the baseline"))
    refuse_targets(targets, {**read, **cache_database(settings)})


def _default_baseline(settings: Settings) -> Path | None:
    """The baseline `verify baseline` writes by default, when it exists: applied without --baseline."""
    path = (settings.root or Path.cwd()) / DEFAULT_BASELINE
    return path if path.is_file() else None


def _record(report: Report, settings: Settings, outcomes: list[Outcome]) -> None:
    from ..baseline import write_baseline

    path = settings.baseline or (settings.root or Path.cwd()) / DEFAULT_BASELINE
    count = write_baseline(path, [(o.item, o.findings) for o in outcomes])
    print(f"verify: recorded {count} finding(s) of {len(outcomes)} article(s) in {path}", file=sys.stderr)


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


def main() -> None:
    """Console entry point: every VerifyError ends in one line on stderr and its exit code."""
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        _main()
    finally:
        gc.set_threshold(*previous)  # a caller that runs the command in-process (tests) keeps its own


def _main() -> None:
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show a character gets "?" for it
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if sys.argv[1:2] == ["extract"]:
        args, command, prog_name = sys.argv[2:], typer.main.get_command(extract_app), "verify extract"
    elif sys.argv[1:2] == ["archive"]:
        from .archive import archive_app

        args, command, prog_name = sys.argv[2:], typer.main.get_command(archive_app), "verify archive"
    else:
        args = translate(sys.argv[1:])
        command, prog_name = command_for(args)
    try:
        code = command.main(args=args, prog_name=prog_name, standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except VerifyError as exc:
        print(f"verify: error: {error_text(str(exc))}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # click usage errors and anything unforeseen: one line, no traceback
        refused = system_refusal(exc)
        if refused:
            print(f"verify: error: {error_text(refused)}", file=sys.stderr)
            sys.exit(EXIT_USAGE)
        if is_usage_error(exc):
            message = usage_message(exc, args, command.params)
            print(f"verify: error: {error_text(message)}", file=sys.stderr)
            sys.exit(EXIT_USAGE)
        if type(exc).__name__ == "Abort":
            sys.exit(EXIT_INTERRUPTED)
        if os.environ.get("VERIFY_DEBUG"):
            raise
        print(
            f"verify: internal error: {type(exc).__name__}: {error_text(str(exc))} "
            "(set VERIFY_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)


def system_refusal(exc: Exception) -> str | None:
    """One line for what the system refused the user's request (a full disk, a closed pipe, a link that
    points back to itself), else None: those are no bugs of verify."""
    if isinstance(exc, RuntimeError) and str(exc).startswith("Symlink loop from "):  # Path.resolve
        return f"{str(exc).removeprefix('Symlink loop from ').strip(chr(39))}: a symbolic link loop"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else f"cannot write or read: {exc.strerror}"
    return None


__all__ = [  # what tests and callers use: the commands, and the functions tests replace
    "ProgressDisplay",
    "_Counted",
    "app",
    "extract_app",
    "main",
    "make_embedder",
    "make_progress",
    "usage_message",
]
