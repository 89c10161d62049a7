"""Options that `verify` and its subcommands (`verify extract`, `verify archive`) share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    str | None, typer.Option("--db", help="Cache database: a SQLite file path or an SQLAlchemy URL.")
]
OfflineOption = Annotated[
    bool | None,
    typer.Option("--offline/--online", help="No network: use the cache and local files only."),
]
AllowPrivateOption = Annotated[
    bool, typer.Option("--allow-private", help="Allow fetching loopback and private-network addresses.")
]
MaxBytesOption = Annotated[
    int | None,
    typer.Option("--max-bytes", min=1024, help="Largest page read, after decompression [5 MiB]."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Config file (default: verify.toml or pyproject.toml found above)."),
]
AllowAnyFileOption = Annotated[
    bool,
    typer.Option(
        "--allow-any-file",
        help="Read local files anywhere: sources outside the article's folder or repository, "
        "and files through links that leave the checked folder.",
    ),
]
SourcesRootOption = Annotated[
    Path | None,
    typer.Option(
        "--sources-root", metavar="FOLDER", help="One more folder local source files may be read from."
    ),
]


def subcommand_app() -> typer.Typer:
    """The typer app of a subcommand, with the same conventions as `verify` itself."""
    return typer.Typer(
        add_completion=False,
        no_args_is_help=True,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
