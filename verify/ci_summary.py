"""`python -m verify.ci_summary REPORT.json`: the GitHub job summary and step outputs of a check.

The GitHub Action (action.yml) checks the articles once as JSON, then calls this module: with
`--outputs` it prints `name=value` lines for `$GITHUB_OUTPUT` (verdict and finding counts),
otherwise the Markdown for `$GITHUB_STEP_SUMMARY` (verdict counts, the problems, a link to the
HTML report uploaded as an artifact). Text from articles is escaped: it never becomes Markdown
or HTML in the summary.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from typing import Any

from .models import Verdict
from .rules import VERDICT_TEXT

VERDICTS: tuple[Verdict, ...] = ("supported", "partially_supported", "contradicted", "unsupported")
MAX_PROBLEMS = 50
MAX_REPORT_BYTES = 200 * 1024 * 1024


def counts(report: dict[str, Any]) -> dict[str, int]:
    """The step outputs: articles, claims by verdict, findings by severity."""
    articles = report.get("articles", [])
    claims = [c for a in articles for c in a.get("claims", [])]
    findings = [f for a in articles for f in a.get("findings", [])]
    out = {"articles": len(articles), "claims": sum(c.get("verdict") != "not_checkable" for c in claims)}
    for verdict in VERDICTS:
        out[verdict.replace("_", "-")] = sum(c.get("verdict") == verdict for c in claims)
    for severity in ("error", "warning", "info"):
        out[f"{severity}s" if severity != "info" else "notes"] = sum(
            f.get("severity") == severity for f in findings
        )
    return out


def markdown(report: dict[str, Any] | None, artifact_url: str = "", exit_code: str = "") -> str:
    """The job summary."""
    if report is None:
        reason = f" (exit code {exit_code})" if exit_code else ""
        return f"## verify\n\nverify did not write a report{reason}: see the step's log.\n"
    n = counts(report)
    lines = [
        f"## verify: {_plural(n['articles'], 'article')}, {_plural(n['claims'], 'claim')} checked",
        "",
        "| verdict | claims |",
        "| --- | ---: |",
    ]
    lines += [
        f"| {VERDICT_TEXT[v].mark} {VERDICT_TEXT[v].label} | {n[v.replace('_', '-')]} |" for v in VERDICTS
    ]
    lines += ["", f"**Findings:** {n['errors']} errors, {n['warnings']} warnings, {n['notes']} notes", ""]
    problems = [
        (a.get("path", ""), f)
        for a in report.get("articles", [])
        for f in a.get("findings", [])
        if f.get("severity") in ("error", "warning")
    ]
    if problems:
        lines += ["### Problems", "", "| | where | rule | message |", "| --- | --- | --- | --- |"]
        for path, f in problems[:MAX_PROBLEMS]:
            mark = "✖" if f.get("severity") == "error" else "⚠"
            where = f"{_cell(path)}:{int(f.get('line') or 0)}"
            lines.append(
                f"| {mark} | {where} | `{_cell(f.get('rule', ''))}` | {_cell(f.get('message', ''))} |"
            )
        if len(problems) > MAX_PROBLEMS:
            lines.append(f"\n… and {len(problems) - MAX_PROBLEMS} more in the report.")
        lines.append("")
    elif n["articles"]:
        lines += ["No problems found.", ""]
    else:
        lines += ["No article changed: nothing to check.", ""]
    errors = report.get("errors", [])
    if errors:
        lines += ["### Not checked", ""] + [f"- {_cell(e)}" for e in errors[:MAX_PROBLEMS]] + [""]
    if artifact_url.startswith("https://"):
        lines.append(f"The HTML report (evidence for every claim): [download the artifact]({artifact_url}).")
    else:
        lines.append("The HTML report is uploaded as the run's artifact.")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Article text as plain words in a table cell: no Markdown, HTML, or line breaks."""
    flat = " ".join(str(text).split())[:300]
    escaped = html.escape(flat, quote=False)
    for char in "\\|`*_[]~#!":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def load(path: Path) -> dict[str, Any] | None:
    """The JSON report, or None when verify did not write one (or wrote something else)."""
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verify.ci_summary", description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="the JSON report of the check")
    parser.add_argument("--outputs", action="store_true", help="print name=value lines for $GITHUB_OUTPUT")
    parser.add_argument("--artifact-url", default="", help="where the HTML report was uploaded")
    parser.add_argument("--exit-code", default="", help="verify's exit code, for a run without a report")
    args = parser.parse_args(argv)
    report = load(args.report)
    if args.outputs:
        values = counts(report) if report is not None else {}
        sys.stdout.write("".join(f"{name}={value}\n" for name, value in values.items()))
    else:
        sys.stdout.write(markdown(report, args.artifact_url, args.exit_code))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
