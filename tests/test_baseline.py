"""The baseline: recorded findings are hidden later, until the claim or its source changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_support import ARTICLE, PAGE, check, make_corpus

from verify.baseline import load_baseline, write_baseline
from verify.config import Settings
from verify.errors import UsageError
from verify.policy import evaluate


def record(folder: Path) -> Path:
    report = check([folder / "a.md"])
    path = folder / ".verify-baseline.json"
    count = write_baseline(path, [(o.item, o.findings) for o in evaluate(report, Settings())])
    assert count == 2
    return path


def new_rules(folder: Path, baseline: Path) -> list[str]:
    report = check([folder / "a.md"])
    outcomes = evaluate(report, Settings(), load_baseline(baseline))
    return [f.rule for o in outcomes for f in o.findings]


def test_recorded_findings_are_hidden(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    baseline = record(tmp_path)
    data = json.loads(baseline.read_text())
    assert data["version"] == 1
    assert {e["path"] for e in data["findings"]} == {"a.md"}
    assert new_rules(tmp_path, baseline) == []


def test_edits_elsewhere_keep_the_sign_off(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    baseline = record(tmp_path)
    moved = ARTICLE.replace("---\n\n", "---\n\nA new opening paragraph was added here today.\n\n", 1)
    make_corpus(tmp_path, moved)
    assert new_rules(tmp_path, baseline) == ["claim.unsupported"]  # only the new, unsupported sentence
    report = check([tmp_path / "a.md"])
    lines = [f.line for o in evaluate(report, Settings(), load_baseline(baseline)) for f in o.findings]
    assert lines == [7]


def test_changed_claim_is_reported_again(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    baseline = record(tmp_path)
    make_corpus(tmp_path, ARTICLE.replace("$3.6 billion", "$3.7 billion"))
    assert new_rules(tmp_path, baseline) == ["claim.contradicted"]


def test_changed_source_invalidates_the_sign_off(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    baseline = record(tmp_path)
    make_corpus(tmp_path, page=PAGE.replace("</article>", "<p>NASA renewed the deal in 2016.</p></article>"))
    assert len(new_rules(tmp_path, baseline)) == 2


def test_rerecording_part_of_the_corpus_keeps_other_articles(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    make_corpus(tmp_path, name="b.md")
    report = check([tmp_path / "a.md", tmp_path / "b.md"])
    path = tmp_path / "base.json"
    write_baseline(path, [(o.item, o.findings) for o in evaluate(report, Settings())])
    only_a = check([tmp_path / "a.md"])
    write_baseline(path, [(o.item, ()) for o in evaluate(only_a, Settings())])  # a.md signed clean
    paths = [e["path"] for e in json.loads(path.read_text())["findings"]]
    assert paths == ["b.md", "b.md"]


@pytest.mark.parametrize(
    ("text", "message"),
    [("{", "not valid JSON"), ('{"version": 9, "findings": []}', "not a verify baseline")],
)
def test_bad_baseline_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(UsageError, match=message):
        load_baseline(path)


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="record one with: verify baseline"):
        load_baseline(tmp_path / "nope.json")
