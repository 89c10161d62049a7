"""The terminal report: per article the problems first (claims with findings, each finding on its
claim), then the other claims one line each, the sources, and a summary line whose counts are the
JSON report's."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from rich.console import Console
from rich.markup import escape as escape_markup
from rich.text import Text

from ..factchecks import describe, fact_checks_for
from ..models import ArticleReport, ClaimResult, Document, Finding, Report
from ..rules import VERDICT_TEXT, rank
from ..sanitize import safe_text
from ..text import clip as _clip
from .json import summary

COLOUR = {
    "supported": "green",
    "partially_supported": "yellow",
    "contradicted": "bold red",
    "unsupported": "magenta",
    "not_checkable": "dim",
}
# verdict -> (colour, label); the labels are the registry's (verify/rules.py)
STYLE = {v: (COLOUR[v], f"{t.mark} {t.short}") for v, t in VERDICT_TEXT.items()}


def escape(text: str) -> str:
    """Article and page text for the console: control and bidi characters shown, markup escaped."""
    return escape_markup(safe_text(text))


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
INDENT = 4
SHOWN_DROPPED = 5  # sentences of the original left out by the rewrite, listed before 'and N more'
MAX_WIDTH = 200  # columns at most, however wide the terminal says it is


def render(
    report: Report,
    file: IO[str] | None = None,
    *,
    color: bool | None = None,
    width: int | None = None,
    problems_only: bool = False,
    notes: Sequence[str] = (),
) -> None:
    """`report` carries the reported findings (claim.* ones included); `notes` end the summary.

    Unreadable articles (`report.errors`) are counted in the summary only: the CLI prints them on stderr.
    """
    console = Console(file=file, no_color=color is False, force_terminal=color, width=width, highlight=False)
    console.width = min(console.width, MAX_WIDTH)  # COLUMNS=100000 would draw each rule 100,000 wide
    for item in report.articles:
        _article(console, item, problems_only)
    _block(console, _summary_line(report, notes), 0)


def claim_findings(item: ArticleReport) -> list[tuple[ClaimResult, list[Finding]]]:
    """Every claim with the findings inside it (by claim id, or by position for attribution ones)."""
    rows: list[tuple[ClaimResult, list[Finding]]] = [(r, []) for r in item.results]
    by_id = {r.claim.id: found for r, found in rows}
    for f in item.findings:
        if f.claim_id and f.claim_id in by_id:
            by_id[f.claim_id].append(f)
            continue
        for r, found in rows:
            if r.claim.start <= f.start < r.claim.end:
                found.append(f)
                break
    return rows


def _article(console: Console, item: ArticleReport, problems_only: bool) -> None:
    title = f" — {escape(item.article.title)}" if item.article.title else ""
    console.rule(f"[bold]{escape(item.article.path)}[/]{title}", align="left")
    rows = claim_findings(item)
    attached = {id(f) for _, found in rows for f in found}
    loose = [f for f in item.findings if id(f) not in attached]
    problems = [(r, found) for r, found in rows if found]
    quiet = [r for r, found in rows if not found and r.verdict != "not_checkable"]
    if problems or loose:
        console.print(f"[bold]Problems[/] ({_count(len(problems), 'claim')} with findings)")
        for r, found in problems:
            _problem(console, r, found)
            _fact_checks(console, r, item.documents)
        for f in loose:
            _finding(console, f)
    else:
        console.print("[green]No problems.[/]")
    if quiet and problems_only:
        console.print(f"[dim]{_count(len(quiet), 'other claim')} not shown (--problems-only)[/]")
    elif quiet:
        console.print(f"[bold]Other claims[/] ({len(quiet)})")
        for r in quiet:
            style, label = STYLE[r.verdict]
            line = Text.assemble(
                (f"  line {r.claim.line:<4} ", "dim"),
                (f"{label:<15}", style),
                (f"{r.score:.2f}  ", "dim"),
                safe_text(" ".join(r.claim.text.split())),
            )
            console.print(line, no_wrap=True, overflow="ellipsis")
            _fact_checks(console, r, item.documents)
    if item.rewrite is not None:
        _rewrite(console, item)
    skipped_claims = [r for r, found in rows if not found and r.verdict == "not_checkable"]
    if skipped_claims:
        reasons = sorted({r.claim.reason for r in skipped_claims})
        # sentences not checked but shown above for a finding are counted in the summary, not here
        shown = any(found and r.verdict == "not_checkable" for r, found in rows)
        noun = "more sentence" if shown else "sentence"
        console.print(f"[dim]{_count(len(skipped_claims), noun)} not checked ({', '.join(reasons)})[/]")
    for s in item.skipped:
        _block(console, f"[yellow]skipped source[/] {escape(s.ref.label)}: {escape(s.reason)}", 0, hang=2)
    if item.documents:
        console.print("[dim]sources used:[/]")
        for d in item.documents:
            provenance = escape(f" [{d.provenance}]") if d.provenance else ""
            _block(console, f"[dim]{escape(d.label)}{provenance}{' (archived)' if d.archived else ''}[/]", 2)
    console.print()


def _fact_checks(console: Console, r: ClaimResult, documents: Sequence[Document]) -> None:
    """Other fact-checkers' ratings of the claim (ClaimReview markup on its sources)."""
    for check, document in fact_checks_for(r, documents):
        _block(
            console,
            f"[cyan]fact-check:[/] {escape(describe(check))} [dim]({escape(document.label)})[/]",
            INDENT,
        )


def _problem(console: Console, r: ClaimResult, found: list[Finding]) -> None:
    style, label = STYLE[r.verdict]
    checked = r.verdict != "not_checkable"
    detail = f"[dim]score {r.score:.2f}[/]" if checked else f"[dim]({escape(r.claim.reason)})[/]"
    credits = [f for f in found if not f.rule.startswith("claim.")]
    worst = max(credits, key=lambda f: rank(f.severity)).severity if credits else ""
    tally = f" · [{SEVERITY_STYLE.get(worst, '')}]{_count(len(credits), 'finding')}[/]"
    _block(
        console,
        f"[dim]line[/] {r.claim.line}  [{style}]{label}[/] {detail}{tally if credits else ''}",
        2,
        hang=2,
    )
    _block(console, escape(" ".join(r.claim.text.split())), INDENT)
    if checked and r.verdict != "supported" and r.reason:
        _block(console, f"[{style}]why:[/] {escape(r.reason)}", INDENT)
    best = r.evidence[0] if r.evidence else None
    if best and checked and (r.verdict == "supported" or best.text not in r.reason):
        # a supported claim is listed for its findings: the sentence that supports it shows why
        lead = "evidence" if r.verdict == "supported" else "closest evidence"
        _block(
            console,
            f"[dim]{lead}:[/] {escape(_clip(best.text, 300))} "
            f"[dim]({escape(best.source)}, sim {best.similarity:.2f})[/]",
            INDENT,
        )
    for f in found:
        if not f.rule.startswith("claim."):
            _finding(console, f, INDENT)


CHANGE_STYLE = {
    "fact-changed": "bold red",
    "meaning-changed": "bold red",
    "attribution-changed": "yellow",
    "added": "magenta",
    "dropped": "cyan",
}


def _rewrite(console: Console, item: ArticleReport) -> None:
    """The changes from the original that an editor should read; kept and reworded sentences are counted."""
    diff = item.rewrite
    assert diff is not None
    counts = diff.counts()
    which = "likely original" if diff.detected else "original"
    tally = ", ".join(f"{n} {kind.replace('-', ' ')}" for kind, n in counts.items())
    _block(console, f"[bold]Changes from the {which}[/] {escape(diff.original)}", 0)
    _block(console, f"[dim]copy share {diff.copy_share:.0%}; {tally}[/]", 2)
    lines = {r.claim.id: r.claim.line for r in item.results}
    dropped = 0  # sentences of the original the rewrite left out: the first few are shown
    for pair in diff.pairs:
        inherited = pair.note.startswith("error inherited")
        if pair.kind in ("kept", "reworded") and not inherited:
            continue
        if pair.kind == "added" and (not pair.claim or pair.note.startswith("supported by")):
            continue  # boilerplate and claims another source supports: counted above
        if pair.kind == "dropped" and not pair.note:
            dropped += 1
            if dropped > SHOWN_DROPPED:
                continue
        where = f"line {lines.get(pair.rewrite[0], 0):<4}" if pair.rewrite else "         "
        style = CHANGE_STYLE.get(pair.kind, "bold red" if inherited else "")
        label = "inherited" if inherited else pair.kind.replace("-", " ")
        what = "; ".join(c.message for c in pair.changes) or pair.note
        text = pair.original_text if pair.kind == "dropped" else pair.rewrite_text
        _block(console, f"[dim]{where}[/] [{style}]{label}[/] {escape(what)}", 2, hang=INDENT + 6)
        _block(console, f"[dim]{escape(_clip(text, 200))}[/]", INDENT + 8)
    if dropped > SHOWN_DROPPED:
        _block(console, f"[dim]and {_count(dropped - SHOWN_DROPPED, 'more dropped sentence')}[/]", 2)
    boilerplate = sum(p.kind == "added" and not p.claim for p in diff.pairs)
    if boilerplate:
        _block(console, f"[dim]{_count(boilerplate, 'added line')} that are not claims (boilerplate)[/]", 2)


def _finding(console: Console, f: Finding, indent: int = 2) -> None:
    style = SEVERITY_STYLE.get(f.severity, "")
    where = f"[dim]({f.line}:{f.column})[/]"
    _block(console, f"[{style}]{f.severity}[/] [bold]{escape(f.rule)}[/] {where} {escape(f.message)}", indent)
    if f.suggestion:
        _block(console, f"[green]suggestion:[/] {escape(f.suggestion)}", indent + 2)


def _block(console: Console, markup: str, indent: int, hang: int = 0) -> None:
    """Wrapped at `indent`, the lines after the first `hang` further in; a word longer than a line (a
    URL) stays whole on its line, which runs past the width, so it can be copied and clicked."""
    text = console.render_str(markup)
    width = max(20, console.width - indent - hang)
    for n, line in enumerate(_whole_words(text, text.wrap(console, width, overflow="fold"))):
        line.rstrip()
        lead = " " * (indent + (hang if n else 0))
        console.print(Text(lead) + line, no_wrap=True, overflow="ignore", crop=False)


def _whole_words(text: Text, lines: Iterable[Text]) -> list[Text]:
    """The wrapped lines with each word that folding broke across lines joined again."""
    plain, pos = text.plain, 0
    out: list[Text] = []
    for line in lines:
        start = plain.find(line.plain, pos) if line.plain else pos
        broken = out and start == pos and 0 < start < len(plain) and not plain[start - 1].isspace()
        if broken and not plain[start].isspace():
            out[-1] = out[-1] + line
        else:
            out.append(line)
        pos = start + len(line.plain)
    return out


def _summary_line(report: Report, notes: Sequence[str] = ()) -> str:
    """The JSON summary's counts in words."""
    s = summary(report)
    claims = s["claims"]
    parts = [f"{claims.get(v, 0)} {t.short}" for v, t in VERDICT_TEXT.items() if claims.get(v)]
    findings = ", ".join(
        _count(n, sev, "info" if sev == "info" else sev + "s")
        for sev, n in sorted(s["findings"].items(), key=lambda kv: -rank(kv[0]))
    )
    text = (
        f"[bold]{_count(s['articles'], 'article')}:[/] {', '.join(parts) or 'no claims'}; "
        f"{findings or 'no findings'}; "
        f"{_count(s['sources_used'], 'source')} used, {s['sources_skipped']} skipped"
    )
    if report.errors:
        text += f"; {_count(len(report.errors), 'file')} not read (see the errors above)"
    return text + "".join(f"; {escape(note)}" for note in notes)


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
