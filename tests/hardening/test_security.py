"""Security: local files confined, security settings only from trusted configs, private addresses
refused on every hop with the connection pinned to the checked address, and nothing from an
article or a page reaching a terminal or a CI log as a control sequence."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
from pathlib import Path

import httpcore
import pytest
from ci_support import PAGE, run_cli
from conftest import FakeEmbedder, Reply, Server, record_connections

import verify.netsafety as netsafety
from verify.config import Settings, build_settings, discover_config
from verify.errors import UsageError
from verify.fetch import fetch
from verify.ingest import load_article
from verify.models import Fetched, SourceRef
from verify.sanitize import safe_text
from verify.sources import collect_sources

SECRET = "SECRET-TOKEN-8f2a The runner's deploy key is stored here."


def article_with_sources(path: Path, *files: str) -> Path:
    entries = "".join(f"  - file: {f}\n" for f in files)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\nsources:\n{entries}---\n\nThe rocket flew in 2008.\n", encoding="utf-8")
    return path


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """repo/ (a git repository) with docs/ and shared/ inside, and a secret file outside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "shared").mkdir()
    (root / "docs" / "ok.html").write_text(PAGE, encoding="utf-8")
    (root / "shared" / "page.html").write_text(PAGE, encoding="utf-8")
    for name in ("secret.html", "secret2.html", "linked.html"):
        (tmp_path / name).write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    (root / "docs" / "link.html").symlink_to(tmp_path / "linked.html")
    return root


# --- 1. local source files -------------------------------------------------------------------


def test_local_sources_are_confined_to_the_article_folder_and_repository(repo: Path) -> None:
    secret = repo.parent / "secret.html"
    path = article_with_sources(
        repo / "docs" / "a.md",
        "ok.html",
        "../shared/page.html",
        str(secret),
        "../../secret2.html",
        "link.html",
    )
    kept, refused = collect_sources(load_article(path), Settings())
    assert [r.file.name for r in kept if r.file] == ["ok.html", "page.html"]
    assert [s.ref.file for s in refused] == [
        secret,
        path.parent / "../../secret2.html",
        path.parent / "link.html",
    ]
    for skip in refused:
        assert skip.reason == (
            "local file refused: outside the article's folder, its repository and sources-root "
            "(use --allow-any-file to allow)"
        )


def test_without_a_repository_the_folder_above_the_articles_is_allowed(tmp_path: Path) -> None:
    """The articles/ + pages/ layout of archived corpora, but nothing two levels up."""
    (tmp_path / "corpus" / "pages").mkdir(parents=True)
    (tmp_path / "corpus" / "pages" / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    path = article_with_sources(
        tmp_path / "corpus" / "articles" / "a.md", "../pages/page.html", "../../page.html"
    )
    kept, refused = collect_sources(load_article(path), Settings())
    assert [r.file.name for r in kept if r.file] == ["page.html"]
    assert [s.ref.file for s in refused] == [path.parent / "../../page.html"]


def test_the_home_folder_is_never_the_project_of_a_loose_article(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text(SECRET, encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    path = article_with_sources(home / "Downloads" / "a.md", "../.ssh/id_rsa")
    kept, refused = collect_sources(load_article(path), Settings())
    assert kept == [] and len(refused) == 1


def test_allow_any_file_and_sources_root_lift_the_confinement(repo: Path) -> None:
    secret = repo.parent / "secret.html"
    path = article_with_sources(repo / "docs" / "a.md", str(secret), "link.html")
    article = load_article(path)
    kept, refused = collect_sources(article, Settings(allow_any_file=True))
    assert len(kept) == 2 and refused == []
    kept, refused = collect_sources(article, Settings(sources_root=repo.parent))
    assert len(kept) == 2 and refused == []


def test_a_secret_file_never_reaches_the_report(repo: Path, monkeypatch, capsys) -> None:
    path = article_with_sources(repo / "docs" / "a.md", str(repo.parent / "secret.html"), "link.html")
    monkeypatch.chdir(repo)
    code, out, err = run_cli([str(path), "--offline", "-f", "json", "-q"], monkeypatch, capsys)
    assert code in (0, 1) and "SECRET-TOKEN" not in out + err
    [article] = json.loads(out)["articles"]
    skipped = [s["reason"].split(":")[0] for s in article["sources"] if s["status"] == "skipped"]
    assert skipped == ["local file refused"] * 2
    _code, out, err = run_cli(
        [str(path), "--offline", "-f", "json", "-q", "--allow-any-file"], monkeypatch, capsys
    )
    [article] = json.loads(out)["articles"]
    assert [s["status"] for s in article["sources"]] != ["skipped"] * 2  # lifted on purpose: read


def test_manifest_and_config_sources_are_confined_too(repo: Path, monkeypatch) -> None:
    article = load_article(article_with_sources(repo / "docs" / "a.md", "ok.html"))
    manifest = repo / "docs" / "sources.txt"
    manifest.write_text(f"{repo.parent / 'secret.html'}\n../shared/page.html\n", encoding="utf-8")
    kept, refused = collect_sources(article, Settings(manifests=(manifest,)))
    assert [r.file.name for r in kept if r.file] == ["ok.html", "page.html"]
    assert len(refused) == 1
    monkeypatch.chdir(repo)
    kept, refused = collect_sources(article, Settings(extra_sources=(str(repo.parent / "secret.html"),)))
    assert len(refused) == 1  # a --source path must be under the cwd or an allowed root as well


# --- 1b. security settings only from trusted configs -----------------------------------------


@pytest.mark.parametrize("key", ["allow-private = true", "allow-any-file = true", 'sources-root = "/"'])
def test_a_config_inside_the_checked_content_cannot_lift_a_guard(
    repo: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    docs = repo / "docs"
    (docs / "verify.toml").write_text(key + "\n", encoding="utf-8")
    article_with_sources(docs / "a.md", "ok.html")
    monkeypatch.chdir(repo)
    with pytest.raises(
        UsageError, match="is honoured only on the command line, in a config named with --config"
    ):
        discover_config([docs / "a.md"])
    # the same file named on the command line, or the repository root's config, is trusted
    assert build_settings(discover_config([docs / "a.md"], docs / "verify.toml")) != Settings()
    (docs / "verify.toml").unlink()
    (repo / "verify.toml").write_text(key + "\n", encoding="utf-8")
    assert build_settings(discover_config([docs / "a.md"])) != Settings()


def test_a_planted_git_folder_does_not_make_a_config_trusted(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = repo / "docs"
    (docs / ".git").mkdir()
    (docs / "verify.toml").write_text("allow-private = true\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    with pytest.raises(UsageError, match="'allow-private' is honoured only"):
        discover_config([docs / "a.md"])


def test_an_untrusted_config_is_one_error_line(repo: Path, monkeypatch, capsys) -> None:
    (repo / "docs" / "verify.toml").write_text("allow-private = true\n", encoding="utf-8")
    path = article_with_sources(repo / "docs" / "a.md", "ok.html")
    monkeypatch.chdir(repo)
    code, _out, err = run_cli([str(path), "--offline", "-q"], monkeypatch, capsys)
    assert code == 2
    assert err.startswith("verify: error: ") and "'allow-private' is honoured only" in err
    assert len(err.splitlines()) == 1


# --- 2. private addresses and DNS rebinding --------------------------------------------------


def fetch_one(url: str, settings: Settings) -> Fetched | str:
    result = fetch([SourceRef(url)], settings, None)[0]
    return result if isinstance(result, Fetched) else result.reason


def test_allow_private_toggles_loopback(server: Server) -> None:
    url = server.url("/spacex.html")
    refused = fetch_one(url, Settings(timeout=1.0))
    assert (
        refused
        == "refused: 127.0.0.1 resolves to the non-public address 127.0.0.1 (use --allow-private to allow)"
    )
    assert "/spacex.html" not in server.hits
    allowed = fetch_one(url, Settings(timeout=1.0, allow_private=True))
    assert isinstance(allowed, Fetched) and allowed.status == 200


def test_a_client_from_elsewhere_still_gets_the_address_check(server: Server) -> None:
    """pipeline.run(client=...) may be handed a plain httpx client without GuardedBackend."""
    import httpx

    from verify.fetch import fetch_async

    async def go() -> str:
        async with httpx.AsyncClient(trust_env=False) as client:
            [result] = await fetch_async(
                [SourceRef(server.url("/spacex.html"))], Settings(timeout=1.0), None, client
            )
        assert not isinstance(result, Fetched)
        return result.reason

    assert asyncio.run(go()).startswith("refused: 127.0.0.1 resolves to the non-public address 127.0.0.1")
    assert "/spacex.html" not in server.hits


@pytest.mark.parametrize("host", ["[::127.0.0.1]", "[::ffff:127.0.0.1]", "[::ffff:0:127.0.0.1]", "[::1]"])
def test_ipv6_spellings_of_loopback_are_refused_without_a_connection(
    server: Server, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    connected: list[str] = []

    async def connect(self: object, host: str, port: int, **kwargs: object) -> object:
        connected.append(host)
        raise httpcore.ConnectError("test: no connection expected")

    monkeypatch.setattr(httpcore.AnyIOBackend, "connect_tcp", connect)
    port = server.base.rsplit(":", 1)[1]
    reason = fetch_one(f"http://{host}:{port}/spacex.html", Settings(timeout=1.0))
    assert isinstance(reason, str) and reason.startswith(
        f"refused: {host.strip('[]')} resolves to the non-public"
    )
    assert connected == []


def test_the_connection_goes_to_the_checked_address_dns_rebinding(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A resolver that answers 'public' first and 'private' after: verify resolves once per
    connection, checks that answer and connects to it, so a second answer is never used."""
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])
    lookups: list[str] = []

    async def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        lookups.append(host)
        return [ipaddress.ip_address(next(answers))]

    real = netsafety.is_public
    monkeypatch.setattr(netsafety, "resolve", resolve)
    monkeypatch.setattr(netsafety, "is_public", lambda a: str(a) == "127.0.0.1" or real(a))
    connected = record_connections(monkeypatch)
    port = server.base.rsplit(":", 1)[1]
    result = fetch_one(f"http://rebind.test:{port}/spacex.html", Settings(timeout=1.0))
    assert isinstance(result, Fetched) and result.status == 200
    assert lookups == ["rebind.test"] and connected == ["127.0.0.1"]


def test_every_redirect_hop_is_checked_and_pinned(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public first hop that redirects to a name resolving to a private address is refused."""
    real_resolve = netsafety.resolve

    async def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        if host == "inside.test":
            return [ipaddress.ip_address("10.0.0.7")]
        return await real_resolve(host, port)

    real = netsafety.is_public
    monkeypatch.setattr(netsafety, "resolve", resolve)
    monkeypatch.setattr(netsafety, "is_public", lambda a: str(a) == "127.0.0.1" or real(a))
    url = server.add("/hop", Reply(302, headers={"Location": "http://inside.test/admin"}))
    reason = fetch_one(url, Settings(timeout=1.0))
    assert reason == (
        "refused: redirected to inside.test resolves to the non-public address 10.0.0.7 "
        "(use --allow-private to allow)"
    )


# --- 3. terminal and annotation output -------------------------------------------------------

HOSTILE = (
    "Clear\x1b[2J title\x1b]0;owned\x07 link\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\ "
    "clip\x1b]52;c;ZXZpbA==\x07 rtl\u202eabc"
)


def test_safe_text_shows_control_and_bidi_characters() -> None:
    shown = safe_text(HOSTILE)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\\x1b[2J" in shown and "\\x1b]52;c;" in shown and "\\u202e" in shown
    assert safe_text("tab\tand\nnewline") == "tab\tand\nnewline"
    assert safe_text("name\udcff.md") == "name\\udcff.md"  # an undecodable file name byte
    assert safe_text("a\nb\tc\x9b", one_line=True) == "a\\x0ab\\x09c\\x9b"


def hostile_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html").write_text(
        f"<html><body><article><p>SpaceX won a contract in 2008. {HOSTILE}.</p></article></body></html>",
        encoding="utf-8",
    )
    path = folder / "a\x1b]0;x\x07.md"
    path.write_text(
        f'---\ntitle: "T\\e[31m\\u202e"\nsources:\n  - file: page.html\n---\n\n'
        f'SpaceX won a contract in 2008, said Jane Roe. {HOSTILE}.\n\nHe said "{HOSTILE}" in 2009.\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("fmt", ["terminal", "github"])
def test_no_escape_sequence_reaches_the_terminal_or_the_log(
    tmp_path: Path, monkeypatch, capsys, fmt: str
) -> None:
    path = hostile_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(
        [str(path), "--offline", "-q", "-f", fmt, "--fail-on", "never"], monkeypatch, capsys
    )
    assert code == 0, err
    for text in (out, err):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b" in out  # shown, not dropped


def test_the_error_line_escapes_a_file_name(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    name = "evil\x1b]52;c;ZXZpbA==\x07\u202e.md"
    code, _out, err = run_cli([name, "--offline", "-q"], monkeypatch, capsys)
    assert code == 2
    assert err == "verify: error: evil\\x1b]52;c;ZXZpbA==\\x07\\u202e.md: no such file or folder\n"


def test_rich_terminal_report_keeps_text_escaped_when_coloured(tmp_path: Path) -> None:
    import io

    from verify.pipeline import discover, run
    from verify.report.terminal import render

    path = hostile_corpus(tmp_path)
    report = run(discover([path]), Settings(offline=True), store=None, embedder=FakeEmbedder())
    buffer = io.StringIO()
    render(report, buffer, color=True, width=200)
    text = buffer.getvalue()
    # colour codes are the report's own (ESC[...m); nothing else starting with ESC survives
    assert all(re.match(r"\[[0-9;]*m", seq) for seq in text.split("\x1b")[1:])
    assert "\u202e" not in text and "\x07" not in text
