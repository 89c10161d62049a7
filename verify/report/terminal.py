"""The terminal report: a table per article, findings, skipped sources and a summary line."""

from __future__ import annotations

from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..models import ArticleReport, Report
from .json import summary

STYLE = {
    "supported": ("green", "✔ supported"),
    "partially_supported": ("yellow", "◐ partial"),
    "contradicted": ("bold red", "✖ contradicted"),
    "unsupported": ("magenta", "? unsupported"),
    "not_checkable": ("dim", "· not checked"),
}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(
    report: Report, file: IO[str] | None = None, *, color: bool | None = None, width: int | None = None
) -> None:
    console = Console(file=file, no_color=color is False, force_terminal=color, width=width, highlight=False)
    for item in report.articles:
        _article(console, item)
    for error in report.errors:
        console.print(f"[bold red]error[/] {escape(error)}")
    console.print(_summary_line(report))


def _article(console: Console, item: ArticleReport) -> None:
    title = f" — {escape(item.article.title)}" if item.article.title else ""
    console.rule(f"[bold]{escape(item.article.path)}[/]{title}", align="left")
    checked = [r for r in item.results if r.verdict != "not_checkable"]
    if checked:
        table = Table(show_lines=True, expand=True)
        table.add_column("line", justify="right", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
        table.add_column("score", justify="right", no_wrap=True)
        table.add_column("claim", ratio=3)
        table.add_column("best evidence", ratio=3)
        for r in checked:
            style, label = STYLE[r.verdict]
            best = r.evidence[0] if r.evidence else None
            evidence = (
                f"{escape(_clip(best.text, 220))}\n[dim]{escape(best.source)} · sim {best.similarity:.2f}[/]"
                if best
                else "[dim]—[/]"
            )
            claim = escape(_clip(r.claim.text, 260))
            if r.verdict != "supported" and r.reason:
                claim += f"\n[{style}]{escape(_clip(r.reason, 300))}[/]"
            table.add_row(str(r.claim.line), f"[{style}]{label}[/]", f"{r.score:.2f}", claim, evidence)
        console.print(table)
    skipped_claims = len(item.results) - len(checked)
    if skipped_claims:
        reasons = sorted({r.claim.reason for r in item.results if r.verdict == "not_checkable"})
        console.print(f"[dim]{skipped_claims} sentence(s) not checked ({', '.join(reasons)})[/]")
    for f in item.findings:
        style = SEVERITY_STYLE.get(f.severity, "")
        fix = f"\n    [green]suggestion:[/] {escape(f.suggestion)}" if f.suggestion else ""
        console.print(
            f"{escape(item.article.path)}:{f.line}:{f.column} [{style}]{f.severity}[/] "
            f"[bold]{escape(f.rule)}[/] {escape(f.message)}{fix}"
        )
    for s in item.skipped:
        console.print(f"[yellow]skipped source[/] {escape(s.ref.label)}: {escape(s.reason)}")
    if item.documents:
        used = ", ".join(
            escape(d.label)
            + (f" [{escape(d.provenance)}]" if d.provenance else "")
            + (" (archived)" if d.archived else "")
            for d in item.documents
        )
        console.print(f"[dim]sources used: {used}[/]")
    console.print()


def _summary_line(report: Report) -> str:
    s = summary(report)
    claims = s["claims"]
    parts = [
        f"{claims.get(v, 0)} {label.split(' ', 1)[1]}" for v, (_, label) in STYLE.items() if claims.get(v)
    ]
    findings = ", ".join(f"{n} {sev}" for sev, n in sorted(s["findings"].items())) or "no findings"
    return (
        f"[bold]{s['articles']} article(s):[/] {', '.join(parts) or 'no claims'}; {findings}; "
        f"{s['sources_used']} source(s) used, {s['sources_skipped']} skipped"
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
