"""Config discovery ([tool.verify] / verify.toml), CLI overrides, severities and bad configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.config import Settings, build_settings, discover_config, find_config, load_config
from verify.errors import UsageError
from verify.models import Finding
from verify.policy import graded, level_for, rule_matches
from verify.selection import glob_matches, is_selected


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_found_by_walking_up_from_the_checked_files(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.verify]\nfail-on = "error"\ntop-k = 7\n')
    article = write(tmp_path / "docs" / "news" / "a.md", "Hello.")
    assert find_config(article) == tmp_path / "pyproject.toml"
    settings = build_settings(discover_config([article]))
    assert settings.fail_on == "error" and settings.top_k == 7
    assert settings.root == tmp_path.resolve()


def test_pyproject_without_tool_verify_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "verify.toml", "top-k = 3\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    article = write(tmp_path / "sub" / "a.md", "Hello.")
    assert find_config(article) == tmp_path / "verify.toml"


def test_nearest_config_wins_and_verify_toml_beats_pyproject_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.verify]\ntop-k = 2\n")
    write(tmp_path / "team" / "pyproject.toml", "[tool.verify]\ntop-k = 4\n")
    write(tmp_path / "team" / "verify.toml", "top-k = 9\n")
    article = write(tmp_path / "team" / "a.md", "Hello.")
    assert build_settings(discover_config([article])).top_k == 9


def test_no_config_found_means_defaults(tmp_path: Path) -> None:
    article = write(tmp_path / "a.md", "Hello.")
    assert build_settings(discover_config([article])) == Settings()


def test_paths_in_config_are_relative_to_its_folder(tmp_path: Path) -> None:
    write(
        tmp_path / "verify.toml",
        'db = ".cache/verify.sqlite"\nbaseline = "ci/baseline.json"\n'
        'sources = ["refs/page.html", "https://example.org/a"]\nmanifests = ["refs/sources.yaml"]\n',
    )
    values = load_config(tmp_path / "verify.toml")
    root = tmp_path.resolve()
    assert values["db"] == str(root / ".cache" / "verify.sqlite")
    assert values["baseline"] == root / "ci" / "baseline.json"
    assert values["extra_sources"] == (str(root / "refs" / "page.html"), "https://example.org/a")
    assert values["manifests"] == (root / "refs" / "sources.yaml",)


def test_cli_flags_override_config(tmp_path: Path) -> None:
    write(
        tmp_path / "verify.toml",
        'top-k = 3\nfail-on = "error"\noffline = true\n[severity]\nattribution = "info"\n',
    )
    values = discover_config([tmp_path])
    settings = build_settings(
        values,
        {"top_k": 8, "fail_on": None, "offline": False, "severity": (("attribution.misquote", "off"),)},
    )
    assert settings.top_k == 8
    assert settings.fail_on == "error"  # not given on the command line: the config's
    assert settings.offline is False
    assert settings.severity == (("attribution", "info"), ("attribution.misquote", "off"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("top-k = 0\n", "'top-k' must be an integer 1..50"),
        ("colour = 'red'\n", "unknown key 'colour'"),
        ("fail-on = 'sometimes'\n", "'fail-on' must be one of error, warning, never"),
        ("[severity]\n'claim.unsupported' = 'loud'\n", "'severity.claim.unsupported' must be one of"),
        ("include = 3\n", "'include' must be a list of strings"),
        ("top-k = [\n", "invalid TOML"),
        ("timeout = nan\n", "'timeout' must be a number > 0"),
        ("db-timeout = inf\n", "'db-timeout' must be a number > 0"),
    ],
)
def test_bad_config_is_one_clear_usage_error(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "verify.toml", text)
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace(".", r"\.")):
        discover_config([tmp_path])


def test_bad_pyproject_table_names_the_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.verify]\ntimeout = -1\n")
    with pytest.raises(UsageError, match=r"pyproject.toml \[tool.verify\]: 'timeout' must be a number > 0"):
        discover_config([tmp_path])


def test_snake_case_keys_are_accepted(tmp_path: Path) -> None:
    write(tmp_path / "verify.toml", "max_sources = 4\nrespect_robots = true\n")
    settings = build_settings(discover_config([tmp_path]))
    assert settings.max_sources == 4 and settings.respect_robots is True


def test_rule_patterns_and_most_specific_severity_wins() -> None:
    assert rule_matches("attribution", "attribution.glued-title")
    assert rule_matches("attribution.*", "attribution.glued-title")
    assert rule_matches("*", "claim.unsupported")
    assert not rule_matches("attr", "attribution.glued-title")
    assert not rule_matches("claim.unsupported", "claim.unsupported-ish")
    overrides = (("*", "info"), ("attribution", "off"), ("attribution.misquote", "error"))
    assert level_for("attribution.misquote", "warning", overrides) == "error"
    assert level_for("attribution.glued-title", "warning", overrides) == "off"
    assert level_for("claim.contradicted", "error", overrides) == "info"
    assert level_for("claim.contradicted", "error", ()) == "error"


def test_graded_drops_off_rules_and_rewrites_levels() -> None:
    findings = [
        Finding("claim.unsupported", "warning", "m", 0, 1, 1, 1),
        Finding("attribution.glued-title", "error", "m", 2, 3, 1, 3),
    ]
    out = graded(findings, (("claim.unsupported", "error"), ("attribution", "off")))
    assert [(f.rule, f.severity) for f in out] == [("claim.unsupported", "error")]


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("docs/**/*.md", "docs/a.md", True),
        ("docs/**/*.md", "docs/x/y/a.md", True),
        ("docs/*.md", "docs/x/a.md", False),
        ("drafts", "news/drafts/a.md", True),
        ("drafts/", "drafts/a.md", True),
        ("*.html", "a/b/c.html", True),
        ("news/2024", "news/2024/jan/a.md", True),
        ("news/2024", "archive/news/2024/a.md", False),
        ("a?.md", "ab.md", True),
        ("[!x]*.md", "x1.md", False),
    ],
)
def test_globs(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


def test_include_and_exclude(tmp_path: Path) -> None:
    a = write(tmp_path / "articles" / "a.md", "x")
    b = write(tmp_path / "articles" / "drafts" / "b.md", "x")
    c = write(tmp_path / "README.md", "x")
    include, exclude = ("articles",), ("drafts",)
    assert [is_selected(p, include, exclude, tmp_path) for p in (a, b, c)] == [True, False, False]


def test_network_and_cache_limits_come_from_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()  # allow-private is honoured in the repository root's config
    monkeypatch.chdir(tmp_path)
    (tmp_path / "verify.toml").write_text(
        "allow-private = true\ntotal-timeout = 4.5\nconnect-timeout = 2\ndb-timeout = 7\nmax-bytes = 65536\n",
        encoding="utf-8",
    )
    settings = build_settings(discover_config([tmp_path]))
    assert settings.allow_private is True
    assert (settings.total_timeout, settings.connect_timeout, settings.db_timeout) == (4.5, 2, 7)
    assert settings.max_bytes == 65536


def test_a_database_timeout_from_the_environment_that_is_no_number_is_the_default(monkeypatch) -> None:
    from verify.store import BUSY_TIMEOUT_MS, _busy_timeout

    for value in ("nan", "inf", "abc"):
        monkeypatch.setenv("VERIFY_DB_TIMEOUT", value)
        assert _busy_timeout(None) == BUSY_TIMEOUT_MS / 1000
    monkeypatch.setenv("VERIFY_DB_TIMEOUT", "2.5")
    assert _busy_timeout(None) == 2.5
