"""What a newcomer meets first: usage errors, --version, help, the default baseline, source files in a
searched folder, the terminal report's shape, progress, and a run that never imports torch."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from ci_support import ARTICLE, PAGE, make_corpus, run_cli
from conftest import FIXTURES, ROOT, FakeEmbedder

import verify
from verify.config import Settings
from verify.pipeline import discover, run
from verify.policy import evaluate, with_findings
from verify.report.terminal import render

# ---- usage errors (issue 14, item 1) -----------------------------------------------------------

USAGE_CASES = {
    "unknown format": (["--format", "xml"], ["--format 'xml'", "terminal, json, html, sarif, github"]),
    "unknown fail-on level": (["--fail-on", "foo"], ["--fail-on 'foo'", "error, warning, never"]),
    "a number that is not one": (["--timeout", "abc"], ["--timeout 'abc'", "a number of at least 0.1"]),
    "an option without its value": (["-o"], ["--output needs a value", "FILE"]),
    "a choice without its value": (["--format"], ["--format needs a value", "one of terminal, json"]),
    "top-k out of range": (["--top-k", "0"], ["--top-k '0'", "a whole number from 1 to 50"]),
    "top-k above the range": (["--top-k=99"], ["--top-k '99'", "from 1 to 50"]),
    "short option glued to its value": (["-fxml"], ["--format 'xml'", "one of terminal"]),
    "unknown option": (["--bogus"], ["no such option: --bogus", "verify --help"]),
    "misspelt option": (["--formt", "json"], ["no such option: --formt", "did you mean --format?"]),
    "a --source file that does not exist": (
        ["-s", "typo-page.html"],
        ["--source typo-page.html: no such file"],
    ),
    "an empty --db (it quietly meant the shared default)": (
        ["--db", ""],
        ["--db needs a value, not an empty one"],
    ),
    "a --severity rule misspelt": (
        ["--severity", "claim.unsuported=off"],
        ["no rule is 'claim.unsuported'", "did you mean claim.unsupported?"],
    ),
    "an empty --changed-since": (["--changed-since", ""], ["--changed-since needs a git revision"]),
    "--workers with --cluster": (
        ["--workers", "2", "--cluster", "tcp://127.0.0.1:1"],
        ["--workers starts a local cluster and --cluster names a running one"],
    ),
    "an --original that does not exist": (
        ["--original", "typo.html"],
        ["--original typo.html: no such file"],
    ),
}


@pytest.mark.parametrize("case", list(USAGE_CASES))
def test_usage_error_is_one_line_naming_the_option_and_exit_2(
    case: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    args, expected = USAGE_CASES[case]
    article = make_corpus(tmp_path)
    code, out, err = run_cli([str(article), *args], monkeypatch, capsys)
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("verify: error: "), err
    for words in expected:
        assert words in err


def test_usage_error_from_the_console_script(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "verify", "a.md", "--format", "xml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "verify: error: --format 'xml' is not allowed: "
        "expected one of terminal, json, html, sarif, github, jsonl, claimreview"
    ]


# ---- --version, help (items 2, 3, 5) -----------------------------------------------------------


def test_version(monkeypatch, capsys) -> None:
    code, out, err = run_cli(["--version"], monkeypatch, capsys)
    assert (code, out, err) == (0, f"verify {verify.__version__}\n", "")


def help_text(args: list[str], monkeypatch, capsys) -> str:
    monkeypatch.setenv("COLUMNS", "100")
    code, out, err = run_cli(args, monkeypatch, capsys)
    assert code == 0 and err == ""
    return out


def test_baseline_has_its_own_help(monkeypatch, capsys) -> None:
    text = help_text(["baseline", "--help"], monkeypatch, capsys)
    assert text.startswith("Usage: verify baseline [OPTIONS] [PATHS]")
    assert "Record today's findings as signed off" in " ".join(text.split())
    assert "Check the claims" not in text
    assert "--baseline FILE" in text and "Exit codes" in text


def test_help_names_no_python_types_and_lists_exit_codes(monkeypatch, capsys) -> None:
    text = help_text(["--help"], monkeypatch, capsys)
    assert not re.search(r"<[^>]*(list|str|int|float|path|range)[^>]*>", text, re.IGNORECASE), text
    flat = " ".join(text.split())
    assert "*.markdown" in flat
    for line in (
        "0 nothing to flag",
        "1 problems found",
        "2 bad usage, configuration or unreadable input",
        "3 the cache database cannot be used",
    ):
        assert line in flat
    for option in ("--top-k N", "--timeout SECONDS", "--format FORMAT", "--source URL|FILE", "--version"):
        assert option in text


# ---- the baseline is applied by default (item 4) -----------------------------------------------


def test_the_default_baseline_is_applied_when_it_exists(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path)
    code, _, err = run_cli(["a.md", "--db", "c.sqlite"], monkeypatch, capsys)
    assert code == 1, err  # no baseline file yet: every finding counts
    code, _, err = run_cli(["baseline", "a.md", "--db", "c.sqlite"], monkeypatch, capsys)
    assert code == 0 and (tmp_path / ".verify-baseline.json").is_file(), err
    code, out, _ = run_cli(["a.md", "--db", "c.sqlite"], monkeypatch, capsys)
    assert code == 0
    assert "2 findings signed off in" in " ".join(out.split())
    code, _, _ = run_cli(["a.md", "--db", "c.sqlite", "--no-baseline"], monkeypatch, capsys)
    assert code == 1


# ---- html without --output, unreadable articles (items 8, 12) ----------------------------------


def test_html_without_output_is_refused_before_any_work(tmp_path: Path, monkeypatch, capsys) -> None:
    import verify.cli as cli

    def no_work(*args, **kwargs):
        raise AssertionError("the check ran before the options were validated")

    monkeypatch.setattr(cli, "_run", no_work)
    monkeypatch.setattr(cli, "discover_config", no_work)
    article = make_corpus(tmp_path)
    code, out, err = run_cli([str(article), "--format", "html"], monkeypatch, capsys)
    assert (code, out) == (2, "")
    assert err == "verify: error: --format html needs --output FILE.html\n"


def test_an_unreadable_article_is_reported_once(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "empty.md").write_text("")
    code, out, err = run_cli(
        [str(tmp_path / "empty.md"), "--db", str(tmp_path / "c.sqlite")], monkeypatch, capsys
    )
    assert code == 2
    assert err == f"verify: error: {tmp_path / 'empty.md'}: the file is empty\n"
    assert "the file is empty" not in out
    assert "1 file not read" in " ".join(out.split())


# ---- source files in a searched folder are not articles (item 7) -------------------------------

CITING = ARTICLE.replace("file: page.html", "file: pages/page.html")


def corpus_with_pages(folder: Path) -> Path:
    make_corpus(folder, article=CITING)
    (folder / "page.html").unlink()
    (folder / "pages").mkdir()
    (folder / "pages" / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "pages" / "unrelated.html").write_text(PAGE.replace("NASA", "ESA"), encoding="utf-8")
    return folder


def test_front_matter_sources_are_not_articles_of_the_run(tmp_path: Path, monkeypatch, capsys) -> None:
    folder = corpus_with_pages(tmp_path / "news")
    common = ["--db", str(tmp_path / "c.sqlite")]
    _, out, _ = run_cli([str(folder), *common, "-f", "json"], monkeypatch, capsys)
    paths = [Path(a["path"]).relative_to(folder).as_posix() for a in json.loads(out)["articles"]]
    assert paths == ["a.md", "pages/unrelated.html"]  # a page nobody cites is still an article
    _, out, _ = run_cli([str(folder), *common], monkeypatch, capsys)
    assert "1 file named as sources not checked as articles" in " ".join(out.split())
    # named on the command line, it is checked
    _, out, _ = run_cli(
        [str(folder / "a.md"), str(folder / "pages" / "page.html"), *common, "-f", "json"],
        monkeypatch,
        capsys,
    )
    assert len(json.loads(out)["articles"]) == 2


def test_manifest_sources_are_not_articles_of_the_run(tmp_path: Path, monkeypatch, capsys) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("SpaceX won a cargo contract worth $3.6 billion in 2008.\n")
    (folder / "archive.html").write_text(PAGE)
    manifest = tmp_path / "sources.yaml"
    manifest.write_text("- news/archive.html\n")
    _, out, _ = run_cli(
        [str(folder), "--sources", str(manifest), "--db", str(tmp_path / "c.sqlite"), "-f", "json"],
        monkeypatch,
        capsys,
    )
    articles = json.loads(out)["articles"]
    assert [Path(a["path"]).name for a in articles] == ["a.txt"]
    assert articles[0]["claims"][0]["verdict"] == "contradicted"


# ---- the terminal report (item 9) --------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_report() -> str:
    """The origin article's terminal report, piped (no colour) at 80 columns."""
    report = run(
        discover([FIXTURES / "cmsa-private-rockets.md"]), Settings(), store=None, embedder=FakeEmbedder()
    )
    shown = with_findings(report, evaluate(report, Settings()))
    buffer = io.StringIO()
    render(shown, buffer, color=False, width=80)
    return buffer.getvalue()


def blocks(text: str) -> list[str]:
    """The report cut at each claim header ('  line N  verdict')."""
    return re.split(r"(?m)^(?=  line \d+ )", text)


def test_problems_come_first_with_their_findings_on_the_claim(fixture_report: str) -> None:
    text = fixture_report
    assert text.index("Problems") < text.index("Other claims")
    glued = next(b for b in blocks(text) if "lynette tanCEO" in b)
    assert "attribution.glued-title" in glued and "attribution.lowercased-name" in glued
    assert "suggestion: Lynette Tan, CEO of Space Faculty" in " ".join(glued.split())
    other = text[text.index("Other claims") :]
    assert "attribution." not in other and "✖" not in other and "?" not in other.split("\n", 1)[1]


def test_urls_are_whole_and_reasons_on_their_own_line(fixture_report: str) -> None:
    text = fixture_report
    assert not re.search(r"https?://\S*…", text), "a URL was cut"
    for url in (
        "https://archive.example.org/2023/cmsa-private-rockets-cargo",
        "https://archive.example.org/2008/nasa-commercial-resupply-services",
    ):
        assert url in text
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert not any(line != line.rstrip() for line in lines), "trailing blanks in piped output"
    reasons = [line.strip() for line in lines if "why:" in line]
    assert reasons and all(line.startswith("why:") for line in reasons)


def test_terminal_summary_counts_are_the_json_counts(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    common = [str(article), "--db", str(tmp_path / "c.sqlite")]
    _, out, _ = run_cli([*common, "-f", "json"], monkeypatch, capsys)
    counts = json.loads(out)["summary"]["findings"]
    _, out, _ = run_cli(common, monkeypatch, capsys)
    summary = " ".join(out.strip().splitlines()[-3:])
    shown = {m.group(2): int(m.group(1)) for m in re.finditer(r"(\d+) (error|warning|info)s?\b", summary)}
    assert shown == counts and sum(counts.values()) >= 2


def test_problems_only(tmp_path: Path, monkeypatch, capsys) -> None:
    article = make_corpus(tmp_path)
    common = [str(article), "--db", str(tmp_path / "c.sqlite")]
    _, full, _ = run_cli(common, monkeypatch, capsys)
    _, short, _ = run_cli([*common, "--problems-only"], monkeypatch, capsys)
    assert "Other claims" in full and "Other claims" not in short
    assert "1 other claim not shown (--problems-only)" in short
    assert "$3.6 billion" in short


# ---- progress for every stage that takes time (item 10) ----------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def close(self) -> None:
        pass


class SlowToLoad(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.loads = 0

    def warm(self) -> None:
        self.loads += 1


def test_progress_shows_loading_the_model_and_embedding(tmp_path: Path, monkeypatch, capsys) -> None:
    import verify.cli as cli

    recorder = Recorder()
    monkeypatch.setattr(cli, "make_progress", lambda quiet: recorder)
    embedder = SlowToLoad()
    article = make_corpus(tmp_path)
    run_cli([str(article), "--db", str(tmp_path / "c.sqlite")], monkeypatch, capsys, embedder=embedder)
    stages = [stage for stage, _, _ in recorder.calls]
    assert embedder.loads == 1
    assert ("loading model", 0, 1) in recorder.calls and ("loading model", 1, 1) in recorder.calls
    assert stages.index("loading model") < stages.index("embedding")
    first = next(c for c in recorder.calls if c[0] == "embedding")
    assert first == ("embedding", 0, 0)  # shown before the model works
    assert stages[-1] == "checking"


def test_embedding_progress_moves_in_chunks() -> None:
    from verify.cli import _Counted

    recorder = Recorder()
    counted = _Counted(FakeEmbedder(), recorder)  # type: ignore[arg-type]
    vectors = counted.encode([f"text number {n}" for n in range(150)])
    assert vectors.shape == (150, 256)
    assert [done for stage, done, _ in recorder.calls if stage == "embedding"] == [0, 64, 128, 150]


# ---- no torch at run time with the default backend (item 13) -----------------------------------


@pytest.mark.model
def test_a_cold_check_with_the_default_backend_never_imports_torch(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    from verify.embed.onnx_backend import OnnxEmbedder

    onnx_dir = Path(os.environ["VERIFY_ONNX_DIR"])
    OnnxEmbedder("all-MiniLM-L6-v2", quantize=False, cache_dir=onnx_dir).ensure_exported()  # once per session
    script = textwrap.dedent(
        f"""
        import sys
        import verify.cli as cli
        sys.argv = ["verify", {str(FIXTURES / "cmsa-private-rockets.md")!r}, "--offline", "-q", "-f", "json",
                    "--no-cache", "--db", {str(tmp_path / "c.sqlite")!r}]
        try:
            cli.main()
        except SystemExit as exc:
            assert exc.code == 1, exc.code
        print(sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VERIFY_ONNX_DIR": str(onnx_dir)}
    env.pop("VERIFY_EMBED_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "[]", f"imported {lines[-1]}"
    assert json.loads("\n".join(lines[:-1]))["articles"][0]["claims"]


def test_a_run_collects_garbage_less_often_and_gives_the_caller_its_thresholds_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command raises the collector's thresholds for its run (8-13 % of a run's CPU went to
    re-scanning long-lived objects); a process that calls it keeps its own."""
    import gc

    from verify.config import GC_THRESHOLDS

    seen: list[tuple[int, int, int]] = []

    class Watching(FakeEmbedder):
        def encode(self, texts):
            seen.append(gc.get_threshold())
            return super().encode(texts)

    before = gc.get_threshold()
    make_corpus(tmp_path)
    code, _, err = run_cli(
        [str(tmp_path / "a.md"), "--db", str(tmp_path / "c.sqlite"), "-q"], monkeypatch, capsys, Watching()
    )
    assert code in (0, 1), err
    assert seen and all(threshold == GC_THRESHOLDS for threshold in seen)
    assert gc.get_threshold() == before != GC_THRESHOLDS


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("r.json", '{\n  "tool"'),
        ("r.sarif.json", '{\n  "$schema"'),
        ("r.html", "<!DOCTYPE html>"),
        ("r.txt", "a.md"),
    ],
)
def test_the_report_files_extension_picks_its_format_unless_one_is_given(
    tmp_path: Path, monkeypatch, capsys, name: str, start: str
) -> None:
    make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, _ = run_cli(["a.md", "--offline", "-q", "-o", name], monkeypatch, capsys)
    assert code in (0, 1) and (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    code, _, _ = run_cli(["a.md", "--offline", "-q", "-f", "terminal", "-o", name], monkeypatch, capsys)
    assert (tmp_path / name).read_text(encoding="utf-8").startswith("a.md")


def seed_report(monkeypatch, capsys, tmp_path: Path, columns: int | None = None) -> tuple[int, str]:
    """The seed article's terminal report (exit code, text), at `columns` wide when given."""
    if columns is not None:
        monkeypatch.setenv("COLUMNS", str(columns))
    seed = FIXTURES / "cmsa-private-rockets.md"
    code, out, _ = run_cli([str(seed), "--offline", "--db", str(tmp_path / "c.sqlite")], monkeypatch, capsys)
    return code, out


def test_the_not_checked_counts_of_the_terminal_report_add_up(monkeypatch, capsys, tmp_path: Path) -> None:
    code, out = seed_report(monkeypatch, capsys, tmp_path)
    assert code == 1
    shown = len(re.findall(r"· not checked \(", out))  # listed under Problems for a finding
    listed = re.search(r"^(\d+) (more )?sentences? not checked", out, re.M)
    total = re.search(r"(\d+) not checked;", " ".join(out.split()))
    assert shown and listed and listed.group(2) and total
    assert shown + int(listed.group(1)) == int(total.group(1))


def test_a_url_longer_than_the_line_stays_whole_and_a_change_reason_hangs_under_its_label(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    code, out = seed_report(monkeypatch, capsys, tmp_path, columns=60)
    assert code == 1
    lines = out.splitlines()
    seed = FIXTURES / "cmsa-private-rockets.md"
    for url in re.findall(r"url: (https://\S+)", seed.read_text(encoding="utf-8")):
        assert any(url in line for line in lines), url  # never folded across two lines
    assert max(len(line) for line in lines if "https://" not in line) <= 60
    change = next(n for n, line in enumerate(lines) if "attribution changed speaker garbled" in line)
    assert lines[change + 1].startswith(" " * 12)  # the reason's next line hangs under its label


def test_findings_that_are_not_attributions_are_not_called_attribution_findings(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    _, out = seed_report(monkeypatch, capsys, tmp_path)
    seed = FIXTURES / "cmsa-private-rockets.md"
    line_12 = next(line for line in out.splitlines() if line.startswith("  line 12"))
    assert line_12.endswith("· 1 finding")  # rewrite.added: a change from the original
    assert "attribution finding" not in out
    html = tmp_path / "r.html"
    run_cli(
        [str(seed), "--offline", "--db", str(tmp_path / "c.sqlite"), "-o", str(html)], monkeypatch, capsys
    )
    assert "Attribution findings" not in html.read_text(encoding="utf-8")


def test_wrapped_headers_and_skipped_sources_hang_under_their_first_line(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    make_corpus(tmp_path)
    (tmp_path / "a.md").write_text(
        "---\nsources: [page.html, a-page-that-was-moved-away-long-ago.html]\n---\n\n"
        "The probe carried seven instruments and a very long antenna, engineers said in 2020.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    _, out, _ = run_cli(["a.md", "--offline", "--db", "c.sqlite"], monkeypatch, capsys)
    lines = out.splitlines()
    skipped = next(n for n, line in enumerate(lines) if line.startswith("skipped source"))
    assert lines[skipped + 1].startswith("  ") and lines[skipped + 1].strip()
    assert all(not line.endswith(" ") for line in lines)


def test_a_terminal_claiming_to_be_enormous_gets_lines_of_at_most_200_columns(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    _, out = seed_report(monkeypatch, capsys, tmp_path, columns=100000)
    assert max(len(line) for line in out.splitlines()) <= 200


def test_the_changes_from_the_original_list_what_the_rewrite_dropped(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    _, out = seed_report(monkeypatch, capsys, tmp_path, columns=200)
    changes = out.split("Changes from the likely original", 1)[1].split("sources used:", 1)[0]
    assert "The approach resembles the strategy NASA adopted when it contracted SpaceX" in changes
    assert changes.count("dropped\n") == 3  # "3 dropped" in its tally, each listed


def test_a_supported_claim_listed_for_its_findings_shows_the_evidence(fixture_report: str) -> None:
    problems = fixture_report[: fixture_report.index("Other claims")]
    supported = [b for b in blocks(problems) if "✔ supported" in b.split("\n", 1)[0]]
    assert supported, "the origin article has supported claims with attribution findings"
    for block in supported:
        assert re.search(r"(?m)^    evidence: ", block) and "archive.example.org" in block
        assert "why:" not in block
