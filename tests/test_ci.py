"""The CLI in CI: result cache, formats, exit codes, config errors, baseline, --changed-since, progress."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from ci_support import ARTICLE, make_corpus, run_cli
from conftest import FakeEmbedder, Server

from verify.config import Settings

ONLINE = """\
---
title: "Cargo"
sources:
  - {url}
---

SpaceX won a cargo contract worth $3.6 billion in 2008.

The contract covered 12 cargo flights to the International Space Station.
"""


class RefusingEmbedder(FakeEmbedder):
    """Fails the test if anything needs embedding."""

    def encode(self, texts):
        raise AssertionError(f"embedded {len(texts)} texts on a warm run")


def online_corpus(tmp_path: Path, server: Server, count: int = 3) -> list[Path]:
    url = server.url("/spacex.html")
    paths = []
    for n in range(count):
        path = tmp_path / "news" / f"a{n}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ONLINE.format(url=url) + f"\nStory number {n} was filed on time.\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_warm_run_fetches_nothing_and_embeds_nothing(
    tmp_path: Path, server: Server, monkeypatch, capsys
) -> None:
    paths = online_corpus(tmp_path, server)
    db = str(tmp_path / "cache.sqlite")
    args = [str(tmp_path / "news"), "--allow-private", "--db", db, "-f", "json", "-q"]
    first_embedder = FakeEmbedder()
    code, out, err = run_cli(args, monkeypatch, capsys, first_embedder)
    assert code == 1, err
    cold = json.loads(out)
    assert server.hits["/spacex.html"] == 1 and sum(first_embedder.calls) > 0
    assert cold["cache"] == {"enabled": True, "articles_from_cache": 0, "articles_checked": 3}

    code, out, err = run_cli(args, monkeypatch, capsys, RefusingEmbedder())
    assert code == 1, err
    warm = json.loads(out)
    assert server.hits["/spacex.html"] == 1  # not fetched again
    assert warm["cache"] == {"enabled": True, "articles_from_cache": 3, "articles_checked": 0}
    assert all(a["cached"] for a in warm["articles"])
    for key in ("claims", "findings", "sources", "attributions"):
        assert [a[key] for a in warm["articles"]] == [a[key] for a in cold["articles"]]

    paths[1].write_text(paths[1].read_text() + "\nA new sentence about rockets was added.\n")
    counting = FakeEmbedder()
    code, out, _ = run_cli(args, monkeypatch, capsys, counting)
    edited = json.loads(out)
    assert [a["cached"] for a in edited["articles"]] == [True, False, True]
    assert server.hits["/spacex.html"] == 1  # the page is in the page cache
    assert sum(counting.calls) == 1  # only the new sentence needed a vector

    code, out, _ = run_cli([*args, "--no-cache"], monkeypatch, capsys, FakeEmbedder())
    assert json.loads(out)["cache"]["articles_from_cache"] == 0


def test_result_cache_follows_archived_source_changes(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    args = [str(article), "--db", str(tmp_path / "c.sqlite"), "-f", "json", "-q"]
    run_cli(args, monkeypatch, capsys)
    page = tmp_path / "page.html"
    page.write_text(page.read_text().replace("$1.6 billion", "$3.6 billion"))
    _, out, _ = run_cli(args, monkeypatch, capsys)
    data = json.loads(out)
    assert data["articles"][0]["cached"] is False
    assert data["articles"][0]["claims"][0]["verdict"] != "contradicted"


def test_warm_run_does_not_import_torch(tmp_path: Path) -> None:
    article = make_corpus(tmp_path)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from conftest import FakeEmbedder
        import verify.cli as cli

        class Refuse(FakeEmbedder):
            def encode(self, texts):
                raise SystemExit("embedding on a warm run")

        cli.make_embedder = lambda settings: Refuse() if sys.argv[1] == "warm" else FakeEmbedder()
        sys.argv = ["verify", {str(article)!r}, "--db", {str(tmp_path / "c.sqlite")!r}, "-q", "-f", "json"]
        try:
            cli.main()
        except SystemExit as exc:
            assert exc.code in (0, 1), exc.code
        print("TORCH" if "torch" in sys.modules else "NO-TORCH", file=sys.stderr)
        """
    )
    env = {**os.environ, "VERIFY_CACHE_DIR": str(tmp_path)}
    for mode in ("cold", "warm"):
        done = subprocess.run(
            [sys.executable, "-c", script, mode], capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith("NO-TORCH")


def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    (tmp_path / "verify.toml").write_text('fail-on = "sometimes"\n')
    code, out, err = run_cli([str(article)], monkeypatch, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("verify: error: ")
    assert "'fail-on' must be one of error, warning, never" in err


def test_bad_severity_flag(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    code, _, err = run_cli([str(article), "--severity", "claim.unsupported"], monkeypatch, capsys)
    assert code == 2 and "expected RULE=LEVEL" in err


def test_config_severity_and_fail_on_drive_the_exit_code(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    db = ["--db", str(tmp_path / "c.sqlite"), "-q", "-f", "json"]
    assert run_cli([str(article), *db], monkeypatch, capsys)[0] == 1
    (tmp_path / "pyproject.toml").write_text(
        '[tool.verify]\nfail-on = "error"\n[tool.verify.severity]\n"claim.contradicted" = "warning"\n'
    )
    code, out, _ = run_cli([str(article), *db], monkeypatch, capsys)
    assert code == 0
    levels = {f["rule"]: f["severity"] for f in json.loads(out)["articles"][0]["findings"]}
    assert levels == {"claim.contradicted": "warning", "claim.unsupported": "warning"}
    assert run_cli([str(article), *db, "--fail-on", "warning"], monkeypatch, capsys)[0] == 1
    assert (
        run_cli([str(article), *db, "--severity", "claim=off", "--fail-on", "warning"], monkeypatch, capsys)[
            0
        ]
        == 0
    )
    assert (
        run_cli([str(article), *db, "--severity", "claim=error", "--fail-on", "never"], monkeypatch, capsys)[
            0
        ]
        == 0
    )


def test_json_contract_keeps_claims_and_adds_claim_findings(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    _, out, _ = run_cli([str(article), "--db", str(tmp_path / "c.sqlite"), "-f", "json"], monkeypatch, capsys)
    item = json.loads(out)["articles"][0]
    assert [c["verdict"] for c in item["claims"]] == ["contradicted", "supported", "unsupported"]
    assert [(f["rule"], f["line"], f["claim_id"]) for f in item["findings"]] == [
        ("claim.contradicted", 7, item["claims"][0]["id"]),
        ("claim.unsupported", 11, item["claims"][2]["id"]),
    ]


def test_sarif_and_github_formats_from_the_cli(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path)
    code, _, _ = run_cli(["a.md", "--db", "c.sqlite", "-f", "sarif", "-o", "out.sarif"], monkeypatch, capsys)
    assert code == 1
    log = json.loads((tmp_path / "out.sarif").read_text())
    assert log["version"] == "2.1.0" and len(log["runs"][0]["results"]) == 2
    code, out, _ = run_cli(["a.md", "--db", "c.sqlite", "-f", "github"], monkeypatch, capsys)
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::error", "::warning"]


def test_baseline_command_then_only_new_findings(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.verify]\nbaseline = '.verify-baseline.json'\n")
    common = ["--db", "c.sqlite", "-f", "json"]
    code, _, err = run_cli(["baseline", "a.md", *common], monkeypatch, capsys)
    assert code == 0 and "recorded 2 finding(s)" in err
    assert (tmp_path / ".verify-baseline.json").exists()
    code, out, _ = run_cli(["a.md", *common], monkeypatch, capsys)
    item = json.loads(out)["articles"][0]
    assert code == 0 and item["findings"] == []
    assert [s["kind"] for s in item["suppressed"]] == ["external", "external"]
    (tmp_path / "a.md").write_text(ARTICLE + "\nThe rocket was painted green by Elon Musk.\n")
    code, out, _ = run_cli(["a.md", *common], monkeypatch, capsys)
    assert code == 1
    assert [f["line"] for f in json.loads(out)["articles"][0]["findings"]] == [13]
    code, out, _ = run_cli(["a.md", *common, "--no-baseline"], monkeypatch, capsys)
    assert len(json.loads(out)["articles"][0]["findings"]) == 3


def test_missing_baseline_file_is_a_usage_error(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    code, _, err = run_cli([str(article), "--baseline", str(tmp_path / "none.json")], monkeypatch, capsys)
    assert code == 2 and "verify baseline" in err


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_changed_since_checks_only_changed_and_untracked_articles(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    repo = tmp_path / "repo"
    make_corpus(repo / "docs", name="a.md")
    make_corpus(repo / "docs", name="b.md")
    (repo / "notes.txt").write_text("Not under docs.\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    (repo / "docs" / "b.md").write_text(ARTICLE + "\nOne more line was written.\n")
    make_corpus(repo / "docs", name="c.md")
    (repo / "notes.txt").write_text("Changed, but not asked for.\n")
    monkeypatch.chdir(repo)
    common = ["--db", str(tmp_path / "c.sqlite"), "-f", "json", "--changed-since", "HEAD"]
    code, out, err = run_cli(["docs", *common], monkeypatch, capsys)
    assert code == 1, err
    assert [a["path"] for a in json.loads(out)["articles"]] == ["docs/b.md", "docs/c.md"]
    code, out, _ = run_cli(common, monkeypatch, capsys)  # no paths: the whole repository
    assert [a["path"] for a in json.loads(out)["articles"]] == ["docs/b.md", "docs/c.md", "notes.txt"]
    code, out, err = run_cli(["docs", *common[:-1], "no-such-ref"], monkeypatch, capsys)
    assert code == 2 and err.startswith("verify: error: --changed-since: ") and err.count("\n") == 1


def test_changed_since_outside_git_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run_cli([".", "--changed-since", "main"], monkeypatch, capsys)
    assert code == 2 and err.startswith("verify: error: --changed-since: not a git repository")


def test_include_exclude_from_config(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "articles" / "pages", name="skip.md")
    make_corpus(tmp_path / "articles", article=ARTICLE.replace("page.html", "pages/page.html"))
    make_corpus(tmp_path / "articles" / "drafts", name="d.md")
    (tmp_path / "verify.toml").write_text('include = ["articles/**/*.md"]\nexclude = ["drafts", "pages"]\n')
    _, out, _ = run_cli([".", "--db", "c.sqlite", "-f", "json"], monkeypatch, capsys)
    assert [a["path"] for a in json.loads(out)["articles"]] == ["articles/a.md"]
    _, out, _ = run_cli([".", "--db", "c.sqlite", "-f", "json", "--exclude", "a.md"], monkeypatch, capsys)
    assert json.loads(out)["articles"] == []


def test_fetch_flags_reach_settings(tmp_path: Path, monkeypatch, capsys) -> None:
    import verify.cli as cli

    seen: list[Settings] = []

    def fake_run(inputs, settings, *, quiet, loaded=None):
        seen.append(settings)
        raise SystemExit(0)

    monkeypatch.setattr(cli, "_run", fake_run)
    article = make_corpus(tmp_path)
    (tmp_path / "verify.toml").write_text("timeout = 3\nmax-sources = 7\n")
    run_cli([str(article)], monkeypatch, capsys)
    run_cli([str(article), "--respect-robots", "--max-sources", "2", "--timeout", "4.5"], monkeypatch, capsys)
    assert [(s.respect_robots, s.max_sources, s.timeout) for s in seen] == [(False, 7, 3.0), (True, 2, 4.5)]


def test_progress_only_for_a_person_at_a_terminal(monkeypatch) -> None:
    from verify.cli import ProgressDisplay, make_progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    display = make_progress(quiet=False)
    assert isinstance(display, ProgressDisplay)
    display("fetching", 0, 2)
    display("fetching", 2, 2)
    display("embedding", 40, 0)
    display.close()
    assert make_progress(quiet=True) is None
    monkeypatch.setenv("CI", "true")
    assert make_progress(quiet=False) is None
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert make_progress(quiet=False) is None


def test_help_lists_ci_options_and_does_not_import_torch() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom verify.cli import main\nsys.argv=['verify','--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('torch' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    for flag in ("--format", "sarif", "github", "--baseline", "--changed-since", "--severity", "--config"):
        assert flag in done.stdout
    assert done.stdout.strip().endswith("False")


def test_every_finding_inside_a_claim_names_it_in_json(tmp_path: Path, monkeypatch, capsys) -> None:
    seed = Path(__file__).resolve().parent.parent / "fixtures" / "cmsa-private-rockets.md"
    _, out, _ = run_cli(
        [str(seed), "--offline", "--db", str(tmp_path / "c.sqlite"), "-f", "json"], monkeypatch, capsys
    )
    item = json.loads(out)["articles"][0]
    spans = {c["id"]: (c["start"], c["end"]) for c in item["claims"]}
    attribution = [f for f in item["findings"] if f["rule"].startswith("attribution.")]
    assert attribution and all(f.get("claim_id") in spans for f in attribution)
    for f in attribution:
        start, end = spans[f["claim_id"]]
        assert start <= f["start"] < end
