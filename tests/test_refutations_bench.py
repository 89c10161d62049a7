"""benchmarks/refutations.py: loading, building and scoring the refutations dev set (no model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import refutations as bench

PAGE: dict[str, Any] = {
    "id": "p01",
    "title": "Harbour Town",
    "paragraphs": [
        ["Harbour Town was founded in 1820.", "It has 4,000 inhabitants."],
        ["Its mayor is Ann Lee."],
    ],
    "claims": [
        {"id": "p01-c1", "claim": "Harbour Town dates from 1820.", "label": "SUPPORTED"},
        {"id": "p01-c2", "claim": "About 4,000 people live in Harbour Town.", "label": "SUPPORTED"},
        {"id": "p01-c3", "claim": "Harbour Town was founded in 1830.", "label": "REFUTED", "kind": "date",
         "evidence": ["Harbour Town was founded in 1820."]},
        {"id": "p01-c4", "claim": "Ann Lee elected Harbour Town.", "label": "REFUTED", "kind": "role",
         "evidence": ["Its mayor is Ann Lee."]},
        {"id": "p01-c5", "claim": "Harbour Town has a port.", "label": "NOT ENOUGH INFO"},
        {"id": "p01-c6", "claim": "Harbour Town has 400 inhabitants.", "label": "REFUTED", "kind": "number",
         "evidence": ["It has 4,000 inhabitants."]},
    ],
}  # fmt: skip


def result(score: float, verdict: str) -> dict:
    return {"score": score, "verdict": verdict, "reason": "", "evidence": "a sentence"}


def test_scores_a_hand_computed_case() -> None:
    claims = [{**claim, "page": "p01"} for claim in PAGE["claims"]]
    results = {
        "p01-c1": result(0.9, "supported"),
        "p01-c2": result(0.4, "contradicted"),
        "p01-c3": result(0.1, "contradicted"),
        "p01-c4": result(0.5, "supported"),
        "p01-c5": result(0.3, "contradicted"),
        # p01-c6 is missing from the report
    }
    summary = bench.score(claims, results)
    # supported scores 0.9, 0.4 against refuted 0.1, 0.5: 3 of the 4 pairs are ordered right
    assert summary["auroc_supported_vs_refuted"] == 0.75
    assert summary["missing"] == 1
    assert summary["counts"] == {"SUPPORTED": 2, "REFUTED": 2, "NOT ENOUGH INFO": 1}
    assert summary["refuted_called_contradicted"] == 0.5
    assert summary["refuted_called_supported"] == 0.5
    assert summary["contradicted_verdicts"] == 3
    assert summary["contradicted_precision"] == 0.3333  # one of c2, c3, c5 is a refutation
    assert summary["supported_called_contradicted"] == 0.5
    assert summary["supported_called_supported"] == 0.5
    assert summary["nei_called_contradicted"] == 1.0
    assert summary["by_kind"] == {
        "date": {"n": 1, "contradicted": 1.0, "supported": 0.0, "mean_score": 0.1},
        "role": {"n": 1, "contradicted": 0.0, "supported": 1.0, "mean_score": 0.5},
    }
    assert summary["targets_met"] == {
        "auroc_supported_vs_refuted": True,
        "contradicted_precision": False,
        "supported_called_contradicted": False,
    }
    assert [row["id"] for row in bench.missed(claims, results)] == ["p01-c4"]
    assert bench.missed(claims, results)[0]["page_sentence"] == "Its mayor is Ann Lee."


def test_roc_auc_counts_ties_half() -> None:
    assert bench.roc_auc([0.5, 0.8], [0.5, 0.2]) == 0.875
    assert bench.roc_auc([], [0.1]) != bench.roc_auc([], [0.1])  # nan without a positive


def test_claim_results_take_the_weakest_part_and_any_contradiction() -> None:
    report = {
        "articles": [
            {
                "path": "/x/articles/p01-c1.md",
                "claims": [
                    {"verdict": "supported", "score": 0.8, "evidence": [{"text": "first"}]},
                    {"verdict": "partially_supported", "score": 0.3, "evidence": [{"text": "second"}]},
                ],
            },
            {
                "path": "/x/articles/p01-c3.md",
                "claims": [
                    {"verdict": "contradicted", "score": 0.5, "evidence": [{"text": "conflict"}]},
                    {"verdict": "unsupported", "score": 0.2, "evidence": []},
                ],
            },
            {"path": "/x/articles/p01-c5.md", "claims": []},
        ]
    }
    results = bench.claim_results(report)
    assert set(results) == {"p01-c1", "p01-c3"}
    assert results["p01-c1"]["score"] == 0.3
    assert results["p01-c1"]["verdict"] == "partially_supported"
    assert results["p01-c1"]["evidence"] == "second"
    assert results["p01-c3"]["score"] == 0.2
    assert results["p01-c3"]["verdict"] == "contradicted"
    assert results["p01-c3"]["evidence"] == "conflict"


def test_load_build_and_split(tmp_path: Path) -> None:
    pages = [PAGE, {**PAGE, "id": "p02", "claims": []}, {**PAGE, "id": "p03", "claims": []}]
    data = tmp_path / "set.jsonl"
    data.write_text("".join(json.dumps(page) + "\n" for page in reversed(pages)), encoding="utf-8")
    loaded = bench.load(data)
    assert [page["id"] for page in bench.split_pages(loaded, "a")] == ["p01", "p03"]
    assert [page["id"] for page in bench.split_pages(loaded, "b")] == ["p02"]
    assert len(bench.split_pages(loaded, "all")) == 3

    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    (out / "articles" / "old.md").write_text("left over", encoding="utf-8")
    claims = bench.build([PAGE], out)
    assert [claim["page"] for claim in claims] == ["p01"] * 6
    assert sorted(path.name for path in (out / "articles").iterdir()) == [f"p01-c{i}.md" for i in range(1, 7)]
    article = (out / "articles" / "p01-c3.md").read_text(encoding="utf-8")
    assert "file: ../pages/p01.html" in article
    assert article.rstrip().endswith("Harbour Town was founded in 1830.")
    page = (out / "pages" / "p01.html").read_text(encoding="utf-8")
    assert "<p>Harbour Town was founded in 1820. It has 4,000 inhabitants.</p>" in page


def test_load_rejects_a_refuted_claim_without_kind(tmp_path: Path) -> None:
    broken = {**PAGE, "claims": [{"id": "x", "claim": "y", "label": "REFUTED"}]}
    data = tmp_path / "set.jsonl"
    data.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a kind"):
        bench.load(data)


def test_the_shipped_set_is_consistent() -> None:
    pages = bench.load(bench.DATA)
    assert len(pages) >= 40
    assert len({page["id"] for page in pages}) == len(pages)
    claims = [claim for page in pages for claim in page["claims"]]
    assert len({claim["id"] for claim in claims}) == len(claims)
    shares = {
        label: sum(c["label"] == label for c in claims) / len(claims)
        for label in (bench.SUPPORTED, bench.REFUTED)
    }
    assert 0.3 <= shares[bench.SUPPORTED] <= 0.5 and 0.3 <= shares[bench.REFUTED] <= 0.5
    for page in pages:
        sentences = {sentence for paragraph in page["paragraphs"] for sentence in paragraph}
        for claim in page["claims"]:
            assert claim["claim"] not in sentences  # a claim is never a copy of the page
            for sentence in claim.get("evidence", []):
                assert sentence in sentences, claim["id"]
