"""The real `verify` command with the real (bundled, offline) model, as a user runs it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, Reply, Server

pytestmark = pytest.mark.model


def verify(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "verify", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def test_origin_article_flags_the_wrong_figure_and_no_boilerplate(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = verify(
        str(FIXTURES / "cmsa-private-rockets.md"), "--offline", "--format", "json", "-o", str(out)
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [article] = json.loads(out.read_text())["articles"]
    claims = article["claims"]
    figure = next(c for c in claims if "$3.6 billion" in c["text"])
    # "the latter company" is SpaceX; a later page repeats the wrong figure, the 2008 report is preferred
    assert figure["verdict"] == "contradicted"
    assert figure["reason"].startswith("sources disagree on $3.6 billion")
    assert "nasa-commercial-resupply-services (2008-12-23) says $1.6 billion" in figure["reason"]
    assert "space-startups-explainer (2023-11-02) says $3.6 billion" in figure["reason"]
    funding = next(c for c in claims if "private companies funding" in c["text"])
    assert funding["verdict"] != "supported" and "funding" in funding["reason"]
    assert sum(c["verdict"] == "supported" for c in claims) >= 8
    # the only contradiction is the figure: "the Chinese space station" is the page's Tiangong
    assert [c["text"][:24] for c in claims if c["verdict"] == "contradicted"] == [figure["text"][:24]]
    boilerplate = ("See also:", "Read next:", "Photo by", "Engineered by", "The GPT-4-based", "Source:")
    for claim in claims:
        if claim["text"].startswith(boilerplate):
            assert claim["verdict"] == "not_checkable", claim["text"]
    assert figure["line"] == 16 and figure["evidence"][0]["source"].startswith("https://archive.example.org/")
    rules = {(f["rule"], f["line"]) for f in article["findings"]}
    assert ("attribution.glued-title", 24) in rules
    assert ("attribution.dangling-name", 14) in rules
    # the README shows the example report: it must say what verify says now
    assert _verdict_counts(claims) == _committed_example_counts(), (
        "reports/cmsa-private-rockets.html is stale: run python scripts/make_example_report.py"
    )


def test_the_seed_article_with_its_figure_corrected_is_no_longer_contradicted(tmp_path: Path) -> None:
    # the later page still says $3.6 billion in a sentence with "first" where the article has
    # "inaugural": the model's contradiction there is the figure's, not the word's
    seed = (FIXTURES / "cmsa-private-rockets.md").read_text(encoding="utf-8")
    shutil.copytree(FIXTURES / "pages", tmp_path / "pages")
    article = tmp_path / "corrected.md"
    article.write_text(
        seed.replace("$3.6 billion cargo-flight", "$1.6 billion cargo-flight"), encoding="utf-8"
    )
    out = tmp_path / "report.json"
    result = verify(str(article), "--offline", "--format", "json", "-o", str(out), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    [report] = json.loads(out.read_text())["articles"]
    figure = next(c for c in report["claims"] if "$1.6 billion" in c["text"])
    assert figure["verdict"] == "partially_supported"  # the primary agrees; the later page differs
    assert figure["reason"].startswith("sources disagree on $1.6 billion")
    assert not [c for c in figure["checks"] if c["kind"] == "word"]
    [check] = [c for c in figure["checks"] if c["kind"] == "figure"]
    assert not check["ok"] and check["evidence_value"] == "$3.6 billion"  # disagreeing sources never pass


def test_sources_from_a_live_server_with_failures_reported(tmp_path: Path, server: Server) -> None:
    missing = server.url("/missing.html")
    server.add("/moved", Reply(301, headers={"Location": "/spacex.html"}))
    article = tmp_path / "a.md"
    article.write_text(
        "---\nsources:\n"
        f"  - {server.url('/moved')}\n  - {missing}\n"
        f"  - {server.url('/file.pdf')}\n  - {server.url('/plain.txt')}\n"
        "---\n\nSpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008.\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    db = tmp_path / "cache.sqlite"
    first = verify(str(article), "--allow-private", "--db", str(db), "--format", "json", "-o", str(out))
    assert first.returncode in (0, 1), first.stderr
    [report] = json.loads(out.read_text())["articles"]
    sources = {s["url"]: s for s in report["sources"]}
    assert sources[server.url("/moved")]["status"] == "used"
    assert sources[server.url("/moved")]["final_url"].endswith("/spacex.html")
    assert sources[missing]["status"] == "skipped" and "404" in sources[missing]["reason"]
    assert "content type application/pdf" in sources[server.url("/file.pdf")]["reason"]
    [claim] = report["claims"]
    assert claim["verdict"] == "supported"
    assert claim["evidence"][0]["source"] == server.url("/moved")

    hits_before = dict(server.hits)
    second = verify(str(article), "--allow-private", "--db", str(db), "--format", "json", "-o", str(out))
    assert second.returncode == first.returncode
    assert server.hits.get("/spacex.html") == hits_before.get("/spacex.html"), (
        "a cached page was fetched again"
    )
    assert json.loads(out.read_text())["articles"][0]["claims"][0]["verdict"] == "supported"


def test_terminal_report_and_exit_codes(tmp_path: Path) -> None:
    result = verify(
        str(FIXTURES / "cmsa-private-rockets.txt"), "--sources", str(FIXTURES / "sources.yaml"), "--offline"
    )
    assert result.returncode == 1
    assert "contradicted" in result.stdout
    assert "glued-title" in result.stdout
    missing = verify(str(tmp_path / "nope.md"))
    assert missing.returncode == 2
    assert (
        missing.stderr.strip().startswith("verify: error:") and len(missing.stderr.strip().splitlines()) == 1
    )


def _verdict_counts(claims: list[dict[str, object]]) -> dict[str, int]:
    return dict(Counter(str(c["verdict"]) for c in claims))


def _committed_example_counts() -> dict[str, int]:
    """The verdicts of the example report committed for the README (each claim is marked once)."""
    page = (FIXTURES.parent / "reports" / "cmsa-private-rockets.html").read_text(encoding="utf-8")
    return dict(Counter(re.findall(r'<span class="claim [^"]*"[^>]*\bdata-verdict="([a-z_]+)"', page)))
