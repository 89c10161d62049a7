"""Hostile input, round two (issue 27, items 1-8, 11's cache half and 12): articles and pages by
link, report paths that name an input or a link, resource keys from an untrusted config, credentials
in database messages, and cache rows that do not hold what they claim.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import numpy as np
import pytest
from ci_support import PAGE, make_corpus, run_cli
from conftest import FakeEmbedder, Server, page
from hypothesis import strategies as st
from postgres_support import TempPostgres, postgres_or_skip

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


def checkout_with_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str) -> Path:
    """A checkout holding the token, with a small corpus in `folder`, as the working folder."""
    repo = git_checkout_with_token(tmp_path / "repo")
    make_corpus(repo / folder)
    monkeypatch.chdir(repo)
    return repo


# 1. articles found by discovery are confined like sources -------------------------------------


def test_a_symlinked_article_to_git_config_is_refused_and_the_token_never_reaches_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = checkout_with_articles(tmp_path, monkeypatch, "articles")
    (repo / "articles" / "x.md").symlink_to("../.git/config")
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


# 3. every format replaces the path at -o: a link there is replaced, its target never written --------


@pytest.mark.parametrize("fmt", ["html", "jsonl", "json", "sarif", "terminal", "github"])
def test_a_report_path_that_is_a_link_is_replaced_and_its_target_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    article = make_corpus(tmp_path / "work")
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "work" / f"report.{fmt}"
    link.symlink_to(target)
    monkeypatch.chdir(tmp_path / "work")
    code, _, err = run_cli([article.name, "--offline", "-q", "-f", fmt, "-o", link.name], monkeypatch, capsys)
    assert code in (0, 1), err
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert not link.is_symlink() and link.stat().st_size > 0


@pytest.mark.parametrize("fmt", ["json", "sarif", "terminal", "html"])
def test_a_link_planted_at_the_temporary_name_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """The temporary file a report is written to first had a guessable name (`.NAME.tmpPID`)."""
    article = make_corpus(tmp_path / "work")
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    (tmp_path / "work" / f".report.{fmt}.tmp{os.getpid()}").symlink_to(target)
    monkeypatch.chdir(tmp_path / "work")
    code, _, err = run_cli(
        [article.name, "--offline", "-q", "-f", fmt, "-o", f"report.{fmt}"], monkeypatch, capsys
    )
    assert code in (0, 1), err
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_html_pages_folder_that_is_a_link_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path / "work" / "articles")
    make_corpus(tmp_path / "work" / "articles", name="b.md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "work" / "report-files").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(tmp_path / "work")
    code, _, err = run_cli(
        ["articles", "--offline", "-q", "-f", "html", "-o", "report.html"], monkeypatch, capsys
    )
    assert code == 2 and "report-files: a link" in err and "Traceback" not in err
    assert list(elsewhere.iterdir()) == []


# 7. an output path that is an input is refused before anything is written -----------------------


@pytest.mark.parametrize("fmt", ["jsonl", "json", "sarif", "terminal", "html"])
def test_an_output_path_that_is_the_article_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text("The sky is blue today.\n", encoding="utf-8")
    code, _, err = run_cli(["a.txt", "--offline", "-q", "-f", fmt, "-o", "a.txt"], monkeypatch, capsys)
    assert code == 2
    assert err == "verify: error: --output a.txt is the article a.txt, read by this run; " + (
        "the report would replace it\n"
    )
    assert article.read_text(encoding="utf-8") == "The sky is blue today.\n"


@pytest.mark.parametrize(
    "output",
    ["page.html", "sub/../page.html", "hard.json", "linked.json", "verify.toml", "list.txt"],
)
def test_an_output_path_that_names_a_source_config_or_manifest_by_any_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    make_corpus(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "verify.toml").write_text("top-k = 3\n", encoding="utf-8")
    (tmp_path / "list.txt").write_text("page.html\n", encoding="utf-8")
    os.link(tmp_path / "page.html", tmp_path / "hard.json")
    (tmp_path / "linked.json").symlink_to("page.html")
    before = {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    monkeypatch.chdir(tmp_path)
    args = ["a.md", "--offline", "-q", "--sources", "list.txt", "-f", "json", "-o", output]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 2 and "read by this run; the report would replace it" in err
    assert {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_a_source_linked_from_an_html_article_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a.html").write_text(
        '<p>SpaceX won a contract in 2008, <a href="page.html">NASA says</a>.</p>', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(
        ["a.html", "--offline", "-q", "-f", "jsonl", "-o", "page.html"], monkeypatch, capsys
    )
    assert code == 2 and "a source of a.html" in err
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == PAGE


def test_extract_refuses_an_output_that_is_one_of_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["extract", "page.html", "--offline", "-o", "page.html"], monkeypatch, capsys)
    assert code == 2 and "page.html" in err
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == PAGE


# 8. the multi-article HTML report never writes over an input, and is not checked by the next run ---


def test_html_report_pages_never_replace_articles_and_later_runs_skip_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path)
    make_corpus(tmp_path, name="b.md")
    (tmp_path / "report-files").mkdir()
    mine = tmp_path / "report-files" / "a.html"
    mine.write_text("<p>SpaceX won a contract in 2008.</p>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    listings = []
    for _ in range(3):
        code, _, err = run_cli(
            [".", "--offline", "-q", "-f", "html", "-o", "report.html"], monkeypatch, capsys
        )
        assert code in (0, 1), err
        listings.append(sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*ml")))
    assert mine.read_text(encoding="utf-8") == "<p>SpaceX won a contract in 2008.</p>"
    assert listings[0] == listings[1] == listings[2]  # the folder does not grow run after run
    assert listings[0] == sorted(
        [
            "page.html",
            "report.html",
            "report-files/a.html",
            "report-files/a-2.html",
            "report-files/a-3.html",
            "report-files/b.html",
        ]
    )
    code, _, _ = run_cli([".", "--offline", "-q", "-f", "json", "-o", "r.json"], monkeypatch, capsys)
    checked = [a["path"] for a in json.loads((tmp_path / "r.json").read_text())["articles"]]
    assert checked == ["a.md", "b.md", "report-files/a.html"]  # none of verify's own pages


# property: whatever the output path, format and article set, no run modifies a file it read ----

ARTICLE_NAMES = ["a.md", "b.txt", "sub/c.md", "d.html", "report-files/e.html", "report.html", "notes.md"]
OUTPUTS = [
    "a.md", "b.txt", "sub/c.md", "sub/../a.md", "./d.html", "report.html", "report-files/e.html",
    "report-files/a.html", "page.html", "verify.toml", "list.txt", "link-to-a.json", "hard-a.json",
    "link-to-page.html", "new.json", "new.jsonl", "out/new.sarif",
]  # fmt: skip


def _corpus(root: Path, names: list[str]) -> None:
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "verify.toml").write_text("top-k = 3\n", encoding="utf-8")
    (root / "list.txt").write_text("page.html\n", encoding="utf-8")
    (root / "out").mkdir()
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        back = "../" * (len(Path(name).parts) - 1)
        if name.endswith(".html"):
            path.write_text(f'<p>SpaceX won a contract in 2008, <a href="{back}page.html">NASA</a>.</p>')
        else:
            path.write_text(
                f"---\nsources:\n  - file: {back}page.html\n---\n\nSpaceX won a contract in 2008.\n"
            )
    (root / "link-to-page.html").symlink_to("page.html")
    if (root / "a.md").exists():
        (root / "link-to-a.json").symlink_to("a.md")
        os.link(root / "a.md", root / "hard-a.json")


@hypothesis.settings(
    max_examples=30, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    names=st.lists(st.sampled_from(ARTICLE_NAMES), min_size=1, max_size=4, unique=True),
    output=st.sampled_from(OUTPUTS),
    fmt=st.sampled_from(["json", "jsonl", "sarif", "html", "terminal", "github"]),
    by_folder=st.booleans(),
    manifest=st.booleans(),
)
def test_no_run_ever_modifies_a_file_it_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    names: list[str],
    output: str,
    fmt: str,
    by_folder: bool,
    manifest: bool,
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path)).resolve()  # kept: the working folder must outlive the run
    _corpus(root, names)
    checked = names if by_folder else names[:1]
    cites = manifest or any(not name.endswith(".txt") for name in checked)  # a .txt names no sources
    read = [root / name for name in [*checked, "verify.toml"]]
    read += [root / "page.html"] * cites + [root / "list.txt"] * manifest
    before = {path: path.read_bytes() for path in read}
    monkeypatch.chdir(root)
    args = ["." if by_folder else names[0], "--offline", "-q", "-f", fmt, "-o", output]
    code, _, err = run_cli(args + (["--sources", "list.txt"] if manifest else []), monkeypatch, capsys)
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "internal error" not in err
    assert {path: path.read_bytes() for path in read} == before
    assert all(not path.is_symlink() for path in read)


# 4. resource bounds from a config among the checked articles ----------------------------------


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("workers = 3", "workers"),
        ("article-timeout = 100000", "article-timeout"),
        ("max-article-bytes = 999999999", "max-article-bytes"),
        ("max-bytes = 999999999", "max-bytes"),
        ("timeout = 9999", "timeout"),
        ("total-timeout = 9999", "total-timeout"),
        ("connect-timeout = 9999", "connect-timeout"),
        ("db-timeout = 9999", "db-timeout"),
        ("max-sources = 100000", "max-sources"),
    ],
)
def test_a_config_among_the_articles_cannot_lift_a_resource_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], line: str, key: str
) -> None:
    repo = checkout_with_articles(tmp_path, monkeypatch, "docs")
    (repo / "docs" / "verify.toml").write_text(line + "\n", encoding="utf-8")
    code, out, err = run_cli(["docs", "--offline", "-q"], monkeypatch, capsys)
    assert code == 2 and out == ""
    assert f"docs/verify.toml: '{key}' above " in err and "honoured only on the command line" in err
    if key == "workers":
        return  # honoured from a chosen config, it would start a Dask cluster
    # the same line with --config, or in the repository root's config, is the runner's choice
    (repo / "docs" / "verify.toml").rename(repo / "chosen.toml")
    code, _, err = run_cli(["docs", "--offline", "-q", "--config", "chosen.toml"], monkeypatch, capsys)
    assert "honoured only" not in err and code in (0, 1)
    (repo / "chosen.toml").rename(repo / "verify.toml")
    code, _, err = run_cli(["docs", "--offline", "-q"], monkeypatch, capsys)
    assert "honoured only" not in err and code in (0, 1)


def test_a_config_among_the_articles_may_tighten_the_bounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = checkout_with_articles(tmp_path, monkeypatch, "docs")
    (repo / "docs" / "verify.toml").write_text("timeout = 5\nmax-bytes = 65536\narticle-timeout = 30\n")
    code, _, err = run_cli(["docs", "--offline", "-q"], monkeypatch, capsys)
    assert code in (0, 1) and "honoured only" not in err


def test_workers_are_capped(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["x.md", "--workers", "100000"], monkeypatch, capsys)
    assert code == 2
    assert err == "verify: error: --workers '100000' is not allowed: expected a whole number from 1 to 64\n"


# 5. database credentials never reach a message -------------------------------------------------

CLOSED = "127.0.0.1:1"  # nothing listens on port 1: the connection is refused at once


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://u:topsecret@{CLOSED}/db",
        f"postgresql+psycopg://u@{CLOSED}/db?password=topsecret",
        f"postgresql+psycopg://u@{CLOSED}/db?sslmode=disable&password=topsecret",
        f"postgresql+psycopg://u:top@secret@{CLOSED}/db",  # an unescaped @ in the password
        f"postgresql+psycopg://u:top/secret@{CLOSED}/db",  # an unescaped / in the password
        f"postgresql+psycopg://u:topsecret@{CLOSED}/db?sslpassword=topsecret",
    ],
)
def test_a_database_password_is_never_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    article = make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli([article.name, "--offline", "-q", "--db", url], monkeypatch, capsys)
    assert code in (2, 3), err
    assert "secret" not in out + err and "***" in err
    assert len(err.splitlines()) == 1 and err.startswith("verify: error: cache database postgresql")
    if "@secret" in url or "/secret" in url:
        assert f"@{CLOSED}" in err and "Connection refused" in err  # the host is the one after the last @


def test_hide_credentials_covers_the_usual_forms() -> None:
    from verify.sanitize import hide_credentials

    assert hide_credentials("x postgresql://u:p@ss@h/db y") == "x postgresql://u:***@h/db y"
    assert hide_credentials("?password=p@ss: refused") == "?password=***: refused"
    assert hide_credentials("host=h password='a b' user=u") == "host=h password=*** user=u"
    assert hide_credentials("https://example.org/a@b and sslpassword=x&y=1") == (
        "https://example.org/a@b and sslpassword=***&y=1"
    )


@pytest.fixture(scope="module")
def postgres() -> Iterator[TempPostgres]:
    yield from postgres_or_skip()


def test_a_password_with_an_at_sign_reaches_the_right_server_and_is_never_printed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    postgres: TempPostgres,
) -> None:
    """The test server trusts local connections: any password is accepted, so the URL works once the
    host after the last @ is the one connected to; a newer schema then gives an error that names it."""
    import psycopg

    from verify.store import SCHEMA_VERSION, Store

    plain = postgres.create_database("at_sign")
    url = plain.replace("verify@", "verify:pa@ss/wo:rd@") + "?password=topsecret"
    Store(url).close()  # before: the host was "ss/wo:rd@127.0.0.1"
    with psycopg.connect(plain.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        conn.execute(f"UPDATE verify_schema SET version = {SCHEMA_VERSION + 1}")
    article = make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli([article.name, "--offline", "-q", "--db", url], monkeypatch, capsys)
    assert code == 3 and "is newer than this verify understands" in err
    assert "ss/wo" not in err and "rd@" not in err and "topsecret" not in err
    assert f"verify:***@127.0.0.1:{postgres.port}/at_sign?password=***" in err


# 6, 11, 12. cache rows are checked on read: a mismatch is a miss --------------------------------


def _url_article(folder: Path, url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "a.md"
    path.write_text(
        f"---\nsources:\n  - {url}\n---\n\nSpaceX won a contract worth about $1.6 billion in 2008.\n\n"
        "The contract covered 12 cargo flights to the International Space Station.\n",
        encoding="utf-8",
    )
    return path


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_a_page_body_rewritten_in_the_cache_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], server: Server
) -> None:
    url = server.url("/spacex.html")
    article = _url_article(tmp_path, url)
    db = tmp_path / "cache.sqlite"
    monkeypatch.chdir(tmp_path)
    base = [
        article.name,
        "--allow-private",
        "--db",
        str(db),
        "--no-cache",
        "-q",
        "-f",
        "json",
        "-o",
        "r.json",
    ]
    code, _, err = run_cli(base, monkeypatch, capsys)
    assert code in (0, 1), err
    shown = json.loads((tmp_path / "r.json").read_text())["articles"][0]["sources"][0]["content_hash"]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE pages SET body = ?", (page("Penguins built the station in 1850."),))
    code, _, err = run_cli([*base, "--offline"], monkeypatch, capsys)
    source = json.loads((tmp_path / "r.json").read_text())["articles"][0]["sources"][0]
    assert source["status"] == "skipped" and "not in the cache" in source["reason"]
    assert "Penguins" not in (tmp_path / "r.json").read_text()
    code, _, err = run_cli(base, monkeypatch, capsys)  # online: fetched again, the cache repaired
    source = json.loads((tmp_path / "r.json").read_text())["articles"][0]["sources"][0]
    assert source["status"] == "used" and source["content_hash"] == shown and not source["from_cache"]
    from verify.store import Store

    store = Store(db)
    assert store.get_page(url) is not None and b"Penguins" not in store.get_page(url).body  # type: ignore[union-attr]
    store.close()


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\x00\x80",  # a ragged byte length
        b"",  # empty
        np.ones(10, dtype=np.float32).tobytes(),  # another dimension
        np.full(256, np.nan, dtype=np.float32).tobytes(),  # NaN
        np.full(256, np.inf, dtype=np.float32).tobytes(),  # infinity
    ],
    ids=["ragged", "empty", "dimension", "nan", "inf"],
)
def test_a_damaged_vector_in_the_cache_is_a_miss_on_every_later_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], damage: bytes
) -> None:
    article = make_corpus(tmp_path)
    db = tmp_path / "cache.sqlite"
    monkeypatch.chdir(tmp_path)
    args = [article.name, "--offline", "--db", str(db), "--no-cache", "-q", "-f", "json", "-o", "r.json"]
    code, _, err = run_cli(args, monkeypatch, capsys)
    clean = _strict_json((tmp_path / "r.json").read_text())
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT text_hash FROM embeddings ORDER BY text_hash").fetchall()
        damaged = [h for (h,) in rows[::2]]  # half of them: the others stay good
        conn.executemany(
            "UPDATE embeddings SET vector = ? WHERE text_hash = ?", [(damage, h) for h in damaged]
        )
    for _ in range(2):  # this run and every later one
        for fmt, name in [("json", "r.json"), ("jsonl", "r.jsonl"), ("sarif", "r.sarif")]:
            code, _, err = run_cli([*args[:-4], "-f", fmt, "-o", name], monkeypatch, capsys)
            assert code in (0, 1), err
            for line in (
                (tmp_path / name).read_text().splitlines()
                if fmt == "jsonl"
                else [(tmp_path / name).read_text()]
            ):
                _strict_json(line)
    again = _strict_json((tmp_path / "r.json").read_text())
    assert [c["score"] for c in again["articles"][0]["claims"]] == [
        c["score"] for c in clean["articles"][0]["claims"]
    ]
    with sqlite3.connect(db) as conn:  # rewritten with the model's vectors
        vectors = dict(conn.execute("SELECT text_hash, vector FROM embeddings").fetchall())
    assert all(
        len(vectors[h]) == 256 * 4 and np.isfinite(np.frombuffer(vectors[h], np.float32)).all()
        for h in damaged
    )


def test_stored_vectors_of_two_dimensions_give_one_dimension(tmp_path: Path) -> None:
    """Before the model has run in this process, which stored dimension is right is not known:
    vectors that disagree are embedded again, and the model's dimension wins."""
    from verify.embed import CachedEmbedder, text_hash
    from verify.store import Store

    store = Store(tmp_path / "c.sqlite")
    model = FakeEmbedder(dim=8)
    texts = ["one text", "another text", "a third text"]
    store.put_embeddings(model.name, {text_hash(texts[0]): np.ones(8, np.float32).tobytes()}, 8)
    store.put_embeddings(model.name, {text_hash(t): np.ones(3, np.float32).tobytes() for t in texts[1:]}, 3)
    vectors = CachedEmbedder(model, store).encode(texts)
    assert vectors.shape == (3, 8)
    assert np.allclose(vectors, model.encode(texts))
    store.close()


def test_json_reports_never_hold_nan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A model that gives NaN (nothing verify can check before it is used) still gives strict JSON."""

    class Broken(FakeEmbedder):
        def encode(self, texts):
            return np.full((len(texts), self.dim), np.nan, dtype=np.float32)

    article = make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    for fmt, name in [("json", "r.json"), ("jsonl", "r.jsonl"), ("sarif", "r.sarif")]:
        code, _, err = run_cli(
            [article.name, "--offline", "-q", "-f", fmt, "-o", name], monkeypatch, capsys, Broken()
        )
        assert code in (0, 1), err
        text = (tmp_path / name).read_text()
        assert "NaN" not in text
        for line in text.splitlines() if fmt == "jsonl" else [text]:
            _strict_json(line)


def test_pages_of_reports_written_before_the_generator_mark_are_not_articles_either(tmp_path: Path) -> None:
    from verify.selection import discover

    make_corpus(tmp_path)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src data:">',
        "<title>verify — a.md</title>",
    ]
    (tmp_path / "old-report.html").write_text("\n".join(head), encoding="utf-8")
    (tmp_path / "mine.html").write_text("<title>verify — my own notes</title><p>Text.</p>", encoding="utf-8")
    assert sorted(item.path.name for item in discover([tmp_path])) == ["a.md", "mine.html", "page.html"]


def test_a_terminal_report_saved_in_the_checked_folder_is_not_read_as_an_article_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    first, _, _ = run_cli([".", "--offline", "-q", "-o", "report.txt"], monkeypatch, capsys)
    assert first in (0, 1) and "\n\n1 article: " in (tmp_path / "report.txt").read_text(encoding="utf-8")
    # the second run over the same folder replaces its own report instead of refusing it as an input
    second, _, err = run_cli([".", "--offline", "-q", "-o", "report.txt"], monkeypatch, capsys)
    assert second == first and err == ""
    again = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert "\n\n1 article: " in again and "report.txt" not in again
