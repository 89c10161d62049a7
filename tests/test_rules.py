"""The rule registry: every rule the code raises is registered, documented and in the README."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from ci_support import check
from conftest import FIXTURES, ROOT

from verify.config import Settings
from verify.models import VERDICTS, Article, ArticleReport, Finding, Report
from verify.policy import Outcome, all_findings
from verify.report.github import annotation
from verify.report.sarif import to_sarif
from verify.rules import LEVELS, RULES, VERDICT_TEXT, markdown_table, rule

RULE_ID = re.compile(r"(?:attribution|claim|rewrite|sources)\.[a-z]+(?:-[a-z]+)*")
SEVERITY_WORDS = {"error", "warning", "info"}


def _literals(node: ast.expr | None) -> list[str]:
    """A string constant, or every branch of a conditional between constants."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def rule_ids_in_code() -> dict[str, str]:
    """Rule ids written in verify/ (outside the registry): full ids anywhere, and the first argument
    of every call whose second is a severity (`findings.add("glued-title", "error", ...)`), which
    the attribution checks write without their `attribution.` prefix. id -> where."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "verify").rglob("*.py")):
        if path == ROOT / "verify" / "rules.py":
            continue
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and RULE_ID.fullmatch(node.value)
            ):
                found.setdefault(node.value, where)
            if not isinstance(node, ast.Call):
                continue
            severities = _literals(_argument(node, 1, "severity"))
            if not severities or not set(severities) <= SEVERITY_WORDS:
                continue
            for name in _literals(_argument(node, 0, "rule")):
                bare = "." not in name and "attribution" in where
                found.setdefault(f"attribution.{name}" if bare else name, where)
    return found


def test_every_rule_id_in_the_code_is_registered_and_every_registered_rule_is_raised() -> None:
    in_code = rule_ids_in_code()
    # claim rules are raised by policy.claim_finding from the registry's verdict table
    in_code |= {t.rule: "verify/policy.py" for t in VERDICT_TEXT.values() if t.rule}
    unregistered = {r: where for r, where in in_code.items() if r not in RULES}
    assert not unregistered, f"add these rules to verify/rules.py: {unregistered}"
    assert set(RULES) == set(in_code), f"registered but raised nowhere: {set(RULES) - set(in_code)}"
    assert sum(r.startswith("attribution.") for r in in_code) >= 12  # the scan still reads the checks


def test_the_bundled_fixtures_raise_registered_rules_at_their_levels(tmp_path: Path) -> None:
    article = FIXTURES / "cmsa-private-rockets.md"
    nothing_cited = tmp_path / "no-sources.md"
    nothing_cited.write_text("SpaceX won a cargo contract worth $1.6 billion in 2008.\n", encoding="utf-8")
    original = str(FIXTURES / "rewrite" / "cmsa-original.html")
    reports = [check([article], Settings(offline=True, original=original)), check([nothing_cited])]
    raised = {
        (f.rule, f.severity) for report in reports for item in report.articles for f in all_findings(item)
    }
    assert {r.split(".", 1)[0] for r, _ in raised} == {"attribution", "claim", "rewrite", "sources"}
    for rule_id, severity in raised:
        assert rule_id in RULES, f"{rule_id} is raised but not in verify/rules.py"
        assert severity in (RULES[rule_id].severity, *RULES[rule_id].also), (rule_id, severity)


def test_readme_has_the_registry_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "paste verify.rules.markdown_table() into README's Rules section"
    rows = {m.group(1) for m in re.finditer(r"^\| \[`([a-z.-]+)`\]", readme, re.M)}
    assert rows == set(RULES)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_rule_links_to_a_heading_that_exists() -> None:
    for r in RULES.values():
        path, _, anchor = r.docs.partition("#")
        text = (ROOT / path).read_text(encoding="utf-8")
        slugs = {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, re.M)}
        assert anchor in slugs, f"{r.id}: no heading #{anchor} in {path}"
        assert r.help.endswith(".") and "\n" not in r.help and r.severity in LEVELS
        assert set(r.also) <= set(LEVELS) - {r.severity}


def _outcome(*findings: Finding) -> Outcome:
    text = "Jane Doe said the rocket flew. John Roe said it did not."
    item = ArticleReport(Article("a.md", text, text, "text"), (), findings)
    return Outcome(item, findings)


def test_sarif_rules_take_help_and_default_level_from_the_registry(tmp_path: Path) -> None:
    first = Finding("attribution.unknown-speaker", "error", "'Jane Doe' appears in no source", 0, 8, 1, 1)
    second = Finding("attribution.unknown-speaker", "warning", "'John Roe' is not named", 31, 39, 1, 32)
    log = to_sarif(Report(articles=(), version="0"), [_outcome(first, second)], tmp_path)
    run = log["runs"][0]
    (entry,) = run["tool"]["driver"]["rules"]
    registered = RULES["attribution.unknown-speaker"]
    assert entry["defaultConfiguration"] == {"level": "warning"}  # the registry's, not the first finding's
    assert entry["shortDescription"]["text"] == registered.help
    assert (
        entry["helpUri"].endswith("/docs/attribution.md#rules")
        and entry["name"] == "AttributionUnknownSpeaker"
    )
    assert [r["level"] for r in run["results"]] == ["error", "warning"]  # each result keeps its own level


def test_an_unregistered_rule_still_renders() -> None:
    made_up = rule("experimental.new-check", "info")
    assert made_up.help == "Experimental problem: new check." and made_up.severity == "info"
    finding = Finding("experimental.new-check", "info", "m", 0, 1, 1, 1)
    assert annotation("a.md", finding, 1, 2).startswith("::notice ")


def test_verdict_words_are_defined_once_for_every_verdict() -> None:
    assert tuple(VERDICT_TEXT) == VERDICTS
    claim_rules = {t.rule for t in VERDICT_TEXT.values() if t.rule}
    assert claim_rules == {r for r in RULES if r.startswith("claim.")}
    assert all(t.finding for t in VERDICT_TEXT.values() if t.rule)


def test_suppress_does_not_import_policy() -> None:
    code = "import sys, verify.suppress; print('verify.policy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
