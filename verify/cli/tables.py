"""README's option table, generated from the options of `verify` (tests/test_readme_tables.py checks it).

Paste `python -c 'from verify.cli.tables import options_table; print(options_table())'` into the
README's option table after adding or changing an option.
"""

from __future__ import annotations

from typing import Any

import typer


def options_table() -> str:
    """A Markdown table of every visible option of `verify`: its flags, metavar and help text."""
    from . import app

    command = typer.main.get_command(app)
    rows = ["| option | meaning |", "| --- | --- |"]
    for param in command.params:
        if (
            param.param_type_name != "option"
            or getattr(param, "hidden", False)
            or param.name in ("help", "version")
        ):
            continue
        rows.append(f"| {_flags(param)} | {_cell(getattr(param, 'help', None) or '')} |")
    return "\n".join(rows)


def _flags(option: Any) -> str:
    long = [o for o in option.opts if o.startswith("--")]
    short = [o for o in option.opts if not o.startswith("--")]
    metavar = "" if option.is_flag else f" {option.metavar or option.name.upper()}"
    written = [f"`{long[0]}{metavar}`" if long else "", *(f"`{o}`" for o in option.secondary_opts)]
    return _cell(" / ".join(w for w in written if w) + "".join(f", `{o}`" for o in short))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
