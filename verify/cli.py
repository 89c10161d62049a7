"""The `verify` command: parse options, build Settings, run the pipeline, write the report.

Exit codes: 0 nothing to flag, 1 problems found, 2 bad usage or unreadable input,
3 the cache database cannot be used. Heavy modules are imported inside the command so
that `verify --help` stays fast and never imports torch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .config import DEFAULT_MODEL, Settings
from .errors import UsageError, VerifyError

if TYPE_CHECKING:
    from .models import Report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Format(StrEnum):
    terminal = "terminal"
    json = "json"
    html = "html"


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


@app.command(help="Check the claims and attributions of articles against their sources.")
def check(
    paths: Annotated[
        list[Path], typer.Argument(help="Article files, or folders searched for *.md, *.txt, *.html.")
    ],
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="A source URL or local file (repeatable).")
    ] = None,
    sources: Annotated[
        list[Path] | None,
        typer.Option(
            "--sources", help="A manifest of sources: YAML/JSON list or one URL/path per line (repeatable)."
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.terminal,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here (default: stdout).")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Cache database: a SQLite file path or an SQLAlchemy URL.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="No network: use the cache and local files only.")
    ] = False,
    model: Annotated[
        str,
        typer.Option("--model", help="Embedding model: the bundled default, a local folder or a hub name."),
    ] = DEFAULT_MODEL,
    top_k: Annotated[
        int, typer.Option("--top-k", min=1, max=50, help="Evidence sentences kept per claim.")
    ] = 5,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow fetching loopback and private-network addresses.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Revalidate cached pages with the server.")
    ] = False,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a problem of this level (or worse) is found.")
    ] = FailOn.warning,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    settings = Settings(
        db=db,
        offline=offline,
        model=model,
        top_k=top_k,
        allow_private=allow_private,
        refresh=refresh,
        extra_sources=tuple(source or ()),
        manifests=tuple(sources or ()),
    )
    report = _run(paths, settings, quiet=quiet)
    _write(report, format, output)
    if report.errors:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_PROBLEMS if has_problems(report, fail_on.value) else EXIT_OK)


def _run(paths: list[Path], settings: Settings, *, quiet: bool) -> Report:
    from .embed import CachedEmbedder, SentenceTransformerEmbedder
    from .pipeline import discover, run
    from .store import Store, default_db_path

    inputs = discover(paths)
    store = Store(settings.db or default_db_path())
    try:
        embedder = CachedEmbedder(SentenceTransformerEmbedder(settings.model), store)
        return run(inputs, settings, store=store, embedder=embedder, progress=_progress(quiet))
    finally:
        store.close()


def has_problems(report: Report, fail_on: str) -> bool:
    """Contradicted claims and error findings are errors; other unsupported claims are warnings."""
    if fail_on == "never":
        return False
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    for item in report.articles:
        if any(f.severity in levels for f in item.findings):
            return True
        for r in item.results:
            level = "error" if r.verdict == "contradicted" else "warning"
            if r.verdict in ("contradicted", "unsupported", "partially_supported") and level in levels:
                return True
    return False


def _write(report: Report, format: Format, output: Path | None) -> None:
    if format is Format.html:
        if output is None:
            raise UsageError("--format html needs --output FILE.html")
        from .report.html import write_html

        _check_writable(output)
        write_html(report, output)
        return
    if format is Format.json:
        from .report.json import render as render_json

        text = render_json(report)
    else:
        from .report.terminal import render as render_terminal

        if output is None:
            render_terminal(report)
            return
        import io

        buffer = io.StringIO()
        render_terminal(report, buffer, color=False, width=120)
        text = buffer.getvalue()
    if output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(output, text)


def _check_writable(output: Path) -> None:
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


def _progress(quiet: bool) -> Callable[[str, int, int], None] | None:
    """A one-line live status on stderr, only for a person at a terminal."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    from rich.console import Console

    status = Console(stderr=True).status("starting")
    started = False

    def show(stage: str, done: int, total: int) -> None:
        nonlocal started
        if not started:
            status.start()
            started = True
        status.update(f"{stage} {done}/{total}" if total else stage)
        if stage == "checking" and done == total:
            status.stop()

    return show


def main() -> None:
    """Console entry point: every VerifyError ends in one line on stderr and its exit code."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except VerifyError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unforeseen: one line, no traceback
        import click

        if isinstance(exc, click.exceptions.ClickException):
            print(f"verify: error: {exc.format_message()}", file=sys.stderr)
            sys.exit(EXIT_USAGE)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        if os.environ.get("VERIFY_DEBUG"):
            raise
        print(
            f"verify: internal error: {type(exc).__name__}: {exc} (set VERIFY_DEBUG=1 for details)",
            file=sys.stderr,
        )
        sys.exit(4)
