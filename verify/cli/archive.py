"""`verify archive PATHS... --output FILE.warc.gz`: keep the sources of articles in a WARC file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..config import Settings, build_settings, cli_overrides, discover_config
from ..errors import EXIT_OK, EXIT_USAGE, InputError
from ..sanitize import safe_text
from .options import (
    AllowPrivateOption,
    ConfigOption,
    DbOption,
    MaxBytesOption,
    OfflineOption,
    SourcesRootOption,
    subcommand_app,
)
from .usage import cache_database

archive_app = subcommand_app()


@archive_app.command(
    help="Write the sources of articles into a WARC/1.1 file that 'verify --replay FILE' reads. "
    "PATHS are articles, folders of articles, or archived corpora (a folder with articles/ and pages/): "
    "a source with an archived file is kept under its URL.",
    epilog="Exit codes: 0 every source was archived, 2 a source or article could not be read "
    "(one error line each), 3 the cache database cannot be used.",
)
def archive(
    paths: Annotated[list[Path], typer.Argument(metavar="PATHS...", help="Articles, folders or corpora.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE.warc.gz", help="The WARC file to write.")
    ],
    db: DbOption = None,
    offline: OfflineOption = None,
    allow_private: AllowPrivateOption = False,
    sources_root: SourcesRootOption = None,
    max_bytes: MaxBytesOption = None,
    config: ConfigOption = None,
) -> None:
    options = dict(locals())
    from ..archive import archive_articles
    from ..store import Store, default_db_path

    values = discover_config(paths, config)
    settings = build_settings(values, cli_overrides(options, values))
    refuse_archive_target(output, paths, settings, config)
    store = Store(settings.db or default_db_path(), timeout=settings.db_timeout)
    try:
        written, skipped, errors = archive_articles(paths, settings, store, output)
    finally:
        store.close()
    for line in [*errors, *(f"{s.ref.label}: {s.reason}" for s in skipped)]:
        print(f"verify: error: {safe_text(line, one_line=True)}", file=sys.stderr)
    print(f"verify: archived {written} source(s) in {output}", file=sys.stderr)
    raise typer.Exit(EXIT_USAGE if errors or skipped else EXIT_OK)


def refuse_archive_target(output: Path, paths: list[Path], settings: Settings, config: Path | None) -> None:
    """Refuse, before any work, an archive path that is a device or pipe, or a file the run reads: an
    article, a local source, the config or the cache database."""
    from ..outputs import refuse_targets
    from ..selection import discover, files_read

    try:
        articles = discover([p / "articles" if (p / "articles").is_dir() else p for p in paths])
    except InputError:
        articles = []  # a missing path is reported by the run, one line each
    read = {**files_read(articles, settings), **cache_database(settings)}
    if config is not None:
        read[config] = "the config file"
    refuse_targets([("--output", output, "the archive")], read)
