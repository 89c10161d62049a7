"""`verify extract PAGE_OR_URL...`: show what verify reads from pages."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ..config import build_settings, cli_overrides, discover_config
from ..errors import EXIT_OK, EXIT_USAGE
from ..report import write_text_atomic
from ..sanitize import error_text
from .options import (
    AllowAnyFileOption,
    AllowPrivateOption,
    ConfigOption,
    DbOption,
    MaxBytesOption,
    OfflineOption,
    subcommand_app,
)
from .usage import check_output


class PageFormat(StrEnum):
    json = "json"
    text = "text"


extract_app = subcommand_app()


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
    db: DbOption = None,
    offline: OfflineOption = None,
    allow_private: AllowPrivateOption = False,
    allow_any_file: AllowAnyFileOption = False,
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
    max_bytes: MaxBytesOption = None,
    config: ConfigOption = None,
) -> None:
    options = dict(locals())
    from ..models import Skipped, SourceRef
    from ..pages import page_refs, read_pages, render_json, render_text
    from ..store import Store, default_db_path

    settings = build_settings(discover_config([], config), cli_overrides(options, {}))
    if output is not None:
        check_output(output, settings)
    refs = page_refs(pages, allow_any_file=settings.allow_any_file)
    if output is not None:  # never write over a page this run reads
        from ..outputs import refuse_input

        files = [ref.file for ref in refs if isinstance(ref, SourceRef) and ref.file is not None]
        refuse_input(output, {file: f"the page {file}" for file in files})
    store = Store(settings.db or default_db_path(), timeout=settings.db_timeout)
    try:
        results = read_pages(refs, settings, store)
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
            f"verify: error: {error_text(f'{skipped.ref.label}: {skipped.reason}')}",
            file=sys.stderr,
        )
    raise typer.Exit(EXIT_USAGE if failed else EXIT_OK)
