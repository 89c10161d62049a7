"""Hostile input, round two (issue 27, items 1-8, 11's cache half and 12): articles and pages by
link, report paths that name an input or a link, resource keys from an untrusted config, credentials
in database messages, and cache rows that do not hold what they claim.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from ci_support import PAGE, make_corpus, run_cli

SECRET = "SECRETTOKEN"


def git_checkout_with_token(folder: Path) -> Path:
    """A git checkout whose .git/config holds the token `actions/checkout` persists."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run(
        [
            "git",
            "-C",
            str(folder),
            "config",
            "--local",
            "http.https://github.com/.extraheader",
            f"AUTHORIZATION: basic {SECRET}",
        ],
        check=True,
    )
    return folder


# 1. articles found by discovery are confined like sources -------------------------------------


def test_a_symlinked_article_to_git_config_is_refused_and_the_token_never_reaches_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_checkout_with_token(tmp_path / "repo")
    make_corpus(repo / "articles")
    (repo / "articles" / "x.md").symlink_to("../.git/config")
    monkeypatch.chdir(repo)
    fixtures = monkeypatch, capsys
    code, out, err = run_cli(["articles", "--offline", "-q", "-f", "json", "-o", "r.json"], *fixtures)
    report = (repo / "r.json").read_text(encoding="utf-8")
    assert SECRET not in report + out + err
    assert [a["path"] for a in json.loads(report)["articles"]] == ["articles/a.md"]
    assert code == 2
    assert "articles/x.md: refused: a hidden file or folder" in err
    code, out, err = run_cli(["articles", "--offline", "-q"], monkeypatch, capsys)  # the terminal report
    assert SECRET not in out + err and code == 2


def test_links_out_of_the_checked_folder_and_hidden_files_are_never_read_as_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(f"The {SECRET} is kept outside.\n", encoding="utf-8")
    articles = tmp_path / "site" / "articles"
    make_corpus(articles)
    (articles / "out.md").symlink_to(outside)
    (articles / ".env.md").write_text(f"{SECRET} in a hidden file.\n", encoding="utf-8")
    (articles / ".drafts").mkdir()
    (articles / ".drafts" / "d.md").write_text(f"{SECRET} in a hidden folder.\n", encoding="utf-8")
    (articles / "linked").symlink_to(tmp_path, target_is_directory=True)  # a linked folder is not entered
    monkeypatch.chdir(tmp_path / "site")
    fixtures = monkeypatch, capsys
    code, out, err = run_cli(["articles", "--offline", "-q", "-f", "json", "-o", "r.json"], *fixtures)
    report = json.loads((tmp_path / "site" / "r.json").read_text(encoding="utf-8"))
    assert [a["path"] for a in report["articles"]] == ["articles/a.md"]
    assert SECRET not in json.dumps(report) + out + err
    assert err.count("refused") == 1 and "articles/out.md: refused: a link out of the checked folder" in err
    assert code == 2
    # the same link named on the command line (a shell glob) is refused too; --allow-any-file reads it
    code, out, err = run_cli(["articles/out.md", "--offline", "-q"], monkeypatch, capsys)
    assert code == 2 and SECRET not in out + err
    code, out, err = run_cli(["articles/out.md", "--offline", "-q", "--allow-any-file"], monkeypatch, capsys)
    assert SECRET in out


def test_a_link_that_stays_inside_the_repository_is_still_an_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_checkout_with_token(tmp_path / "repo")
    make_corpus(repo / "drafts")
    (repo / "articles").mkdir()
    (repo / "articles" / "a.md").symlink_to("../drafts/a.md")
    monkeypatch.chdir(repo)
    fixtures = monkeypatch, capsys
    _, _, err = run_cli(["articles", "--offline", "-q", "-f", "json", "-o", "r.json"], *fixtures)
    assert "refused" not in err
    assert [a["path"] for a in json.loads((repo / "r.json").read_text())["articles"]] == ["articles/a.md"]


def test_changed_since_applies_the_same_rule_to_committed_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = git_checkout_with_token(tmp_path / "repo")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    (repo / "README.md").write_text("readme\n")
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-qm", "one"], check=True, env=env)
    make_corpus(repo / "articles")
    (repo / "articles" / "x.md").symlink_to("../.git/config")
    monkeypatch.chdir(repo)
    code, out, err = run_cli(["--changed-since", "HEAD", "--offline", "-q"], monkeypatch, capsys)
    assert SECRET not in out + err
    assert "articles/x.md: refused" in err and code == 2


# 2. verify extract FOLDER ---------------------------------------------------------------------


def test_extract_of_a_folder_reads_no_link_out_of_it_and_no_hidden_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(f"<p>The {SECRET} of the runner.</p>", encoding="utf-8")
    site = tmp_path / "work" / "site"
    site.mkdir(parents=True)
    (site / "page.html").write_text(PAGE, encoding="utf-8")
    (site / "p.html").symlink_to(secret)
    (site / ".env.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (site / ".git").mkdir()
    (site / ".git" / "notes.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    code, out, err = run_cli(["extract", "site", "--offline", "-f", "json"], monkeypatch, capsys)
    records = json.loads(out)
    assert SECRET not in out + err
    assert [Path(r["path"]).name for r in records] == ["p.html", "page.html"]
    assert records[0]["error"].startswith("refused: a link out of the checked folder")
    assert code == 2
    code, out, err = run_cli(["extract", "site", "--offline", "--allow-any-file"], monkeypatch, capsys)
    assert SECRET in out and code == 0
