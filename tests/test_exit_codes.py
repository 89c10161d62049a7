"""The exit codes are named once (verify/errors.py) and listed alike in the README and `verify --help`."""

from __future__ import annotations

import re
from pathlib import Path

from verify import errors
from verify.cli import EXIT_CODES

ROOT = Path(__file__).resolve().parents[1]
NAMED = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}


def test_the_readme_table_lists_every_named_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    assert {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.M)} == NAMED


def test_the_help_lists_every_named_exit_code() -> None:
    listed = EXIT_CODES.split("Exit codes:", 1)[1]
    assert {int(code) for code in re.findall(r"^\s+(\d+)\s{2}", listed, re.M)} == NAMED
    assert {errors.EXIT_INTERNAL, errors.EXIT_INTERRUPTED} == {4, 130}
