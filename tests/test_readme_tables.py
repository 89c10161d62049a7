"""README's option and rule tables are generated from the CLI's options and the rules registry."""

from __future__ import annotations

from pathlib import Path

from verify.cli.tables import options_table
from verify.config import TABLE
from verify.rules import markdown_table

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_readme_option_table_is_the_generated_one() -> None:
    assert options_table() in README, "paste verify.cli.tables.options_table() into README's option table"


def test_every_flag_of_the_settings_table_is_in_the_option_table() -> None:
    table = options_table()
    flags = [spec.flag.split("/")[0] for spec in TABLE.values() if spec.flag]
    missing = [flag for flag in flags if f"`{flag}" not in table]
    assert not missing
    for flag in ("--db-timeout", "--exclude", "--online", "--ignore-robots"):  # once missing from README
        assert f"`{flag}" in table


def test_the_readme_rule_table_is_the_generated_one() -> None:
    assert markdown_table() in README
