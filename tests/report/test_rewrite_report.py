"""The rewrite diff through the CLI: --original, `original:` front matter, likely original, every report."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from ci_support import run_cli
from conftest import FIXTURES

from verify.models import shown_path

ORIGINAL = FIXTURES / "rewrite" / "cmsa-original.html"
ARTICLE = FIXTURES / "cmsa-private-rockets.md"


def _json(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "report.json"
    code, _, err = run_cli(
        [*args, "--offline", "--no-cache", "-q", "-f", "json", "-o", str(out)], monkeypatch, capsys
    )
    assert "Traceback" not in err
    return code, json.loads(out.read_text())["articles"][0]


def test_original_flag_gives_the_alignment_and_rewrite_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, article = _json([str(ARTICLE), "--original", str(ORIGINAL)], tmp_path, monkeypatch, capsys)
    assert code == 1
    diff = article["rewrite"]
    # shown relative to the working folder, as the runner's absolute path would leak into CI artifacts
    assert diff["original"] == shown_path(ORIGINAL) and diff["detected"] is False
    assert not Path(diff["original"]).is_absolute()
    assert diff["counts"]["attribution-changed"] == 2 and diff["counts"]["meaning-changed"] == 1
    assert 0 < diff["copy_share"] < 1
    pair = next(p for p in diff["pairs"] if "lynette tanCEO" in p["rewrite_text"])
    assert pair["changes"][0]["original"].startswith("Lynette Tan, CEO") and pair["original"]
    found = {(f["rule"], f["line"]) for f in article["findings"]}
    assert {("rewrite.attribution-changed", 14), ("rewrite.attribution-changed", 24)} <= found
    assert ("rewrite.meaning-changed", 14) in found
    assert any(s["url"] == shown_path(ORIGINAL) and s["status"] == "used" for s in article["sources"])


def test_rewrite_rule_severities_are_configurable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(ARTICLE), "--original", str(ORIGINAL), "--severity", "rewrite.attribution-changed=off",
            "--severity", "rewrite.meaning-changed=info"]  # fmt: skip
    _, article = _json(args, tmp_path, monkeypatch, capsys)
    rules = {f["rule"]: f["severity"] for f in article["findings"]}
    assert "rewrite.attribution-changed" not in rules and rules["rewrite.meaning-changed"] == "info"


def test_original_in_front_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pages").mkdir()
    shutil.copy(ORIGINAL, tmp_path / "pages" / "original.html")
    text = ARTICLE.read_text(encoding="utf-8")
    entry = "original:\n  url: https://news.example.org/china-weighs-funding\n  file: pages/original.html\n"
    (tmp_path / "a.md").write_text(text.replace("sources:\n", entry + "sources:\n", 1), encoding="utf-8")
    _, article = _json([str(tmp_path / "a.md")], tmp_path, monkeypatch, capsys)
    assert article["rewrite"]["original"] == "https://news.example.org/china-weighs-funding"
    assert article["rewrite"]["detected"] is False


def test_a_source_sharing_most_sentences_is_the_likely_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, article = _json([str(ARTICLE)], tmp_path, monkeypatch, capsys)
    diff = article["rewrite"]
    assert diff["detected"] is True and diff["shared"] >= 0.5
    assert diff["original"] == "https://archive.example.org/2023/cmsa-private-rockets-cargo"


def test_terminal_sarif_and_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base = [str(ARTICLE), "--original", str(ORIGINAL), "--offline", "--no-cache", "-q"]
    _, out, _ = run_cli(base, monkeypatch, capsys)
    listed = out[out.index("Changes from the original") :]
    assert "meaning changed" in listed and "lynette tanCEO" in listed and "not claims (boilerplate)" in listed
    assert "reworded" not in listed.split("\n", 2)[2]  # only non-trivial changes are listed
    sarif = tmp_path / "r.sarif"
    run_cli([*base, "-f", "sarif", "-o", str(sarif)], monkeypatch, capsys)
    rules = {r["id"]: r for r in json.loads(sarif.read_text())["runs"][0]["tool"]["driver"]["rules"]}
    assert "rewrite.meaning-changed" in rules and "rewrite.attribution-changed" in rules
    _, annotations, _ = run_cli([*base, "-f", "github"], monkeypatch, capsys)
    assert re.search(r"^::error file=.*,line=14,.*title=verify rewrite\.meaning-changed::", annotations, re.M)
    page = tmp_path / "r.html"
    run_cli([*base, "-f", "html", "-o", str(page)], monkeypatch, capsys)
    html = page.read_text()
    assert html.count('class="rw-row"') >= 20 and 'data-rw-filter value="meaning-changed"' in html
    assert "<del>" in html and "<ins>" in html
    script = re.search(r"<script>(.*?)</script>", html, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', html)
    assert csp is not None and f"'sha256-{digest}'" in unescape(csp.group(1))  # the script is allowed


def test_the_diff_survives_the_result_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    args = [str(ARTICLE), "--original", str(ORIGINAL), "--offline", "-q", "-f", "json", "-o", str(out)]
    run_cli(args, monkeypatch, capsys)
    first = json.loads(out.read_text())["articles"][0]["rewrite"]
    run_cli(args, monkeypatch, capsys, embedder=_Refusing())
    assert json.loads(out.read_text())["articles"][0]["rewrite"] == first


class _Refusing:
    """Fails the test if the second run embeds anything: its report must come from the cache."""

    name = "fake-embedder"

    def encode(self, texts: object) -> object:
        raise AssertionError("the cached report should have been reused")


def test_the_rewrite_reuses_the_articles_credits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With an original, the article is parsed for attributions once (not again by the rewrite)."""
    import verify.checking as checking
    import verify.rewrite as rewrite

    parsed: list[str] = []
    real = checking.find_attributions

    def counted(article, documents):
        parsed.append(article.path)
        return real(article, documents)

    monkeypatch.setattr(checking, "find_attributions", counted)
    monkeypatch.setattr(rewrite, "find_attributions", counted)
    _, article = _json([str(ARTICLE), "--original", str(ORIGINAL)], tmp_path, monkeypatch, capsys)
    assert article["rewrite"]["counts"]["attribution-changed"] == 2
    assert sorted(parsed) == sorted([article["path"], shown_path(ORIGINAL)])  # each once
