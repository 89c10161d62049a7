"""Inline suppressions: verify-disable-next-line, verify-disable ... verify-enable, rule prefixes."""

from __future__ import annotations

from pathlib import Path

from verify.ingest import load_article
from verify.models import Article, Finding
from verify.suppress import apply_suppressions, parse_directives

ARTICLE = """\
---
title: "T"
---

First claim is here.

<!-- verify-disable-next-line claim.unsupported -- confirmed with the press office -->
Second claim is here.

<!-- verify-disable-next-line attribution -->
Third claim is here.

<!-- verify-disable attribution.*, claim.contradicted -->
Fourth claim is here.

Fifth claim is here.
<!-- verify-enable -->

Sixth claim is here.

<!-- verify-disable -->
Seventh claim is here.
"""


def article(tmp_path: Path, text: str = ARTICLE) -> Article:
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    return load_article(path)


def finding(a: Article, words: str, rule: str) -> Finding:
    start = a.raw.index(words)
    line, column = a.line_col(start)
    return Finding(rule, "warning", "m", start, start + len(words), line, column)


def kept_rules(a: Article, findings: list[Finding]) -> list[tuple[str, str]]:
    kept, _ = apply_suppressions(findings, parse_directives(a.raw), a)
    return [(a.raw[f.start : f.end].split()[0], f.rule) for f in kept]


def test_comments_are_not_analysed_as_prose(tmp_path: Path) -> None:
    assert "verify-disable" not in article(tmp_path).text


def test_next_line_suppresses_only_the_named_rule_on_the_next_line(tmp_path: Path) -> None:
    a = article(tmp_path)
    findings = [
        finding(a, "First claim", "claim.unsupported"),
        finding(a, "Second claim", "claim.unsupported"),
        finding(a, "Second claim", "claim.contradicted"),
    ]
    assert kept_rules(a, findings) == [("First", "claim.unsupported"), ("Second", "claim.contradicted")]


def test_justification_is_kept(tmp_path: Path) -> None:
    a = article(tmp_path)
    _, hidden = apply_suppressions(
        [finding(a, "Second claim", "claim.unsupported")], parse_directives(a.raw), a
    )
    assert hidden[0][1] == "confirmed with the press office"


def test_prefix_matches_a_rule_family(tmp_path: Path) -> None:
    a = article(tmp_path)
    findings = [
        finding(a, "Third claim", "attribution.glued-title"),
        finding(a, "Third claim", "claim.unsupported"),
    ]
    assert kept_rules(a, findings) == [("Third", "claim.unsupported")]


def test_block_covers_everything_until_enable(tmp_path: Path) -> None:
    a = article(tmp_path)
    findings = [
        finding(a, "Fourth claim", "attribution.misquote"),
        finding(a, "Fifth claim", "claim.contradicted"),
        finding(a, "Fifth claim", "claim.unsupported"),
        finding(a, "Sixth claim", "attribution.misquote"),
    ]
    assert kept_rules(a, findings) == [("Fifth", "claim.unsupported"), ("Sixth", "attribution.misquote")]


def test_unclosed_block_without_rules_runs_to_the_end(tmp_path: Path) -> None:
    a = article(tmp_path)
    assert kept_rules(a, [finding(a, "Seventh claim", "anything.at-all")]) == []


def test_next_line_covers_a_sentence_spanning_several_lines(tmp_path: Path) -> None:
    a = article(
        tmp_path, "<!-- verify-disable-next-line -->\nA claim that\nspans two lines.\n\nOther line.\n"
    )
    findings = [finding(a, "A claim that\nspans two lines.", "claim.unsupported"), finding(a, "spans", "x.y")]
    findings.append(finding(a, "Other line", "claim.unsupported"))
    assert kept_rules(a, findings) == [("spans", "x.y"), ("Other", "claim.unsupported")]


def test_enable_with_rules_ends_only_blocks_naming_them(tmp_path: Path) -> None:
    text = (
        "<!-- verify-disable claim.unsupported -->\n<!-- verify-disable attribution -->\n"
        "One.\n<!-- verify-enable attribution -->\nTwo.\n"
    )
    a = article(tmp_path, text)
    findings = [
        finding(a, "One", "attribution.misquote"),
        finding(a, "Two", "attribution.misquote"),
        finding(a, "Two", "claim.unsupported"),
    ]
    assert kept_rules(a, findings) == [("Two", "attribution.misquote")]


def test_html_articles_use_the_same_comments(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(
        "<html><body><!-- verify-disable-next-line -->\n<p>Claim one.</p>\n<p>Claim two.</p></body></html>",
        encoding="utf-8",
    )
    a = load_article(path)
    findings = [finding(a, "Claim one", "claim.unsupported"), finding(a, "Claim two", "claim.unsupported")]
    assert kept_rules(a, findings) == [("Claim", "claim.unsupported")]
    kept, _ = apply_suppressions(findings, parse_directives(a.raw), a)
    assert a.raw[kept[0].start : kept[0].end] == "Claim two"


def test_no_directives_is_a_no_op(tmp_path: Path) -> None:
    a = article(tmp_path, "Plain text.\n")
    f = finding(a, "Plain", "claim.unsupported")
    assert apply_suppressions([f], parse_directives(a.raw), a) == ([f], [])


def test_disable_line_covers_its_own_line(tmp_path: Path) -> None:
    a = article(tmp_path, "A claim here. <!-- verify-disable-line claim -->\nAnother claim.\n")
    findings = [finding(a, "A claim", "claim.unsupported"), finding(a, "Another", "claim.unsupported")]
    assert kept_rules(a, findings) == [("Another", "claim.unsupported")]
