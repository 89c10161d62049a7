"""Usage errors as one sentence: a bad option names what it accepts; a bad --output is refused early."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from ..config import Settings
from ..errors import UsageError
from ..report import check_writable


def check_output(output: Path, settings: Settings) -> None:
    """Refuse an unwritable report path, or the cache database itself, before any work."""
    if any(output.resolve() == db.resolve() for db in cache_database(settings)):
        raise UsageError(f"--output {output} is the cache database; the report would replace it")
    check_writable(output)


def cache_database(settings: Settings) -> dict[Path, str]:
    """The cache database as a file the run reads and no output may replace (none for a URL)."""
    from ..store import default_db_path

    db = str(settings.db or default_db_path())
    return {} if "://" in db else {Path(db).expanduser(): "the cache database"}


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


def is_usage_error(exc: Exception) -> bool:
    """Typer's own usage errors (typer >= 0.2x vendors click) and click's."""
    import click

    kinds: tuple[type, ...] = (click.exceptions.UsageError,)
    vendored = getattr(getattr(typer, "_click", None), "exceptions", None)
    if vendored is not None:
        kinds += (vendored.UsageError,)
    return isinstance(exc, kinds)
