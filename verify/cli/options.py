"""Options that `verify` and `verify extract` share, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

Offline = Annotated[
    bool | None,
    typer.Option("--offline/--online", help="No network: use the cache and local files only."),
]
AllowPrivate = Annotated[
    bool, typer.Option("--allow-private", help="Allow fetching loopback and private-network addresses.")
]
AllowAnyFile = Annotated[
    bool,
    typer.Option(
        "--allow-any-file",
        help="Read local files anywhere: sources outside the article's folder or repository, "
        "and files through links that leave the checked folder.",
    ),
]
