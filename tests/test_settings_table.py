"""The settings table (verify/config.py): config keys, CLI options and the result-cache key derive from it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import typer
from ci_support import check, make_corpus

import verify.cli as cli
from verify.config import (
    KEYS,
    RESULT_SETTINGS,
    SECURITY_KEYS,
    TABLE,
    Settings,
    build_settings,
    cli_overrides,
    load_config,
)
from verify.errors import UsageError
from verify.resultcache import ResultCache
from verify.sources import gather_sources
from verify.store import Store

ROOT = Path(__file__).resolve().parent.parent
# options of `verify` that steer one run instead of setting a Settings field
RUN_OPTIONS = {
    "--format",
    "--output",
    "--config",
    "--no-baseline",
    "--changed-since",
    "--quiet",
    "--problems-only",
    "--record-baseline",
    "--version",
}


def _options(app: typer.Typer) -> dict[str, str]:
    """Each option's long flag (as the table writes it) -> its parameter name."""
    command = typer.main.get_command(app)
    out = {}
    for param in command.params:
        if param.param_type_name != "option":
            continue
        long = next(o for o in param.opts if o.startswith("--"))
        flag = "/".join([long, *getattr(param, "secondary_opts", ())])
        out[flag] = param.name or ""
    return out


def test_every_flag_in_the_table_is_an_option_of_verify_and_every_option_is_in_the_table() -> None:
    options = _options(cli.app)
    flags = {spec.flag: spec.param for spec in TABLE.values() if spec.flag}
    assert {f: options.get(f) for f in flags} == flags  # declared, with the parameter name the table reads
    assert set(options) - set(flags) == RUN_OPTIONS


def test_the_extract_command_options_that_are_settings_match_the_table() -> None:
    options = _options(cli.extract_app)
    flags = {spec.flag: spec.param for spec in TABLE.values() if spec.flag}
    shared = {f: p for f, p in options.items() if f in flags}
    assert shared and all(flags[f] == p for f, p in shared.items())
    assert set(options) - set(flags) == {"--format", "--output", "--config"}


def test_every_config_key_is_parsed_into_its_field(tmp_path: Path) -> None:
    names = {spec_name for spec_name, _ in KEYS.values()}
    assert names <= set(TABLE)
    config = tmp_path / "verify.toml"
    config.write_text("top-k = 0\n")
    with pytest.raises(UsageError, match=r"'top-k' must be an integer 1\.\.50"):
        load_config(config)
    config.write_text('top-k = 7\nfail-on = "error"\nno-such-key = 1\n')
    with pytest.raises(UsageError, match=r"unknown key 'no-such-key' \(known keys: allow-any-file,"):
        load_config(config)
    assert KEYS["cache"][0] == "db"  # an alias, accepted but not listed


def test_security_keys_are_the_flagged_rows_and_docs_security_names_each() -> None:
    assert set(SECURITY_KEYS) == {
        "allow-private",
        "allow-any-file",
        "sources-root",
        "sources",
        "manifests",
        "db",
        "cache",
        "cluster",
        "model",
        "entail-model",
        "verifier",
        "archive",
        "replay",
    }
    docs = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z-]+)(?:`| = )", docs))
    assert set(SECURITY_KEYS) <= named


def test_cli_values_become_settings_as_the_table_says() -> None:
    given = {
        "allow_private": False,
        "offline": False,
        "no_cache": True,
        "exclude": ["b/*"],
        "severity": ["claim=off"],
        "top_k": None,
        "unrelated": 1,
    }
    out = cli_overrides(given, {"exclude": ("a/*",)})
    assert out == {
        "allow_private": None,  # a switch left off is not given: the config decides
        "offline": False,  # --online is given
        "result_cache": False,
        "exclude": ("a/*", "b/*"),  # added to the config's globs
        "severity": (("claim", "off"),),
        "top_k": None,
    }
    assert build_settings({"top_k": 9}, out).top_k == 9
    assert cli_overrides({"allow_private": True, "no_cache": False}, {}) == {
        "allow_private": True,
        "result_cache": None,
    }


def test_result_cache_key_covers_exactly_the_settings_that_change_results(tmp_path: Path) -> None:
    assert set(RESULT_SETTINGS) == {
        "top_k",
        "prefilter",
        "max_bytes",
        "max_sources",
        "entail_model",
        "verifier",
    }
    make_corpus(tmp_path)
    item = check([tmp_path / "a.md"]).articles[0]
    refs = gather_sources(item.article, Settings())
    store = Store(tmp_path / "c.sqlite")
    changed: dict[str, Any] = {
        "top_k": 3,
        "prefilter": 8,
        "max_bytes": 4096,
        "max_sources": 2,
        "entail_model": "none",
        "verifier": "bundled",
    }
    try:
        base = ResultCache(store, Settings(), "m").key(item.article, refs, [])
        for name, value in changed.items():
            other = ResultCache(store, replace(Settings(), **{name: value}), "m")
            assert other.key(item.article, refs, []) != base, name
        same = ResultCache(store, Settings(timeout=1.0, fail_on="never", workers=2), "m")
        assert same.key(item.article, refs, []) == base
    finally:
        store.close()
