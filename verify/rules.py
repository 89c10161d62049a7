"""Every rule verify raises, and the words reports use for verdicts and severities: defined once.

A rule is an id (`family.name`), a default severity, one line of help and the docs section
that explains it. Policy, suppressions, SARIF, GitHub annotations and the terminal read them
from here; README's rule table is `markdown_table()` (tests/test_rules.py checks that every
rule the code raises is registered and in the README).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Severity, Verdict

PROJECT_URL = "https://github.com/verify-project/verify"
DOCS_URL = PROJECT_URL + "/blob/main/"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # the default; `--severity` and [tool.verify] severity change it per run
    help: str  # one line: what the finding means
    docs: str  # the section that explains it, relative to the repository root
    also: tuple[Severity, ...] = ()  # other levels the check raises it at, in the cases `help` names

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        """CamelCase, as SARIF's `name` wants it: `claim.partially-supported` -> ClaimPartiallySupported."""
        return "".join(w.capitalize() for w in self.id.replace(".", "-").split("-"))

    @property
    def url(self) -> str:
        return DOCS_URL + self.docs


_ATTRIBUTION = "docs/attribution.md#rules"
_VERDICTS = "docs/verdicts.md#4-verdict"
_REWRITE = "docs/rewrite.md#classification-of-a-pair"

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "claim.contradicted",
            "error",
            "The cited sources say something different from the claim.",
            _VERDICTS,
        ),
        Rule("claim.unsupported", "warning", "No cited source supports the claim.", _VERDICTS),
        Rule(
            "claim.partially-supported", "warning", "The sources support only part of the claim.", _VERDICTS
        ),
        Rule(
            "sources.none",
            "warning",
            "The article names no sources, or none of them could be read, so none of its claims was checked.",
            "README.md#using-it",
        ),
        Rule(
            "attribution.glued-title",
            "error",
            "A name run straight into its title: 'tanCEO', 'chad bownexpert on trade'.",
            _ATTRIBUTION,
        ),
        Rule("attribution.lowercased-name", "error", "A person's name written in lowercase.", _ATTRIBUTION),
        Rule(
            "attribution.dangling-name",
            "error",
            "A name standing alone, cut off from the statement it probably belongs to.",
            _ATTRIBUTION,
        ),
        Rule(
            "attribution.missing-speaker",
            "error",
            "A reporting cue whose speaker was cut ('..., said.'); a warning when the speaker is "
            "described but never named.",
            _ATTRIBUTION,
            also=("warning",),
        ),
        Rule(
            "attribution.inconsistent-name",
            "warning",
            "Two spellings of one person in the article.",
            _ATTRIBUTION,
        ),
        Rule(
            "attribution.unknown-speaker",
            "warning",
            "A named speaker that no source names; an error when a source spells a close name.",
            _ATTRIBUTION,
            also=("error",),
        ),
        Rule(
            "attribution.misspelled-name",
            "warning",
            "A name one or two edits off a name in the sources; an error on a credited speaker.",
            _ATTRIBUTION,
            also=("error",),
        ),
        Rule(
            "attribution.wrong-speaker",
            "error",
            "The sources give the statement to someone else.",
            _ATTRIBUTION,
        ),
        Rule(
            "attribution.wrong-name",
            "error",
            "The source's matching sentence names a different person.",
            _ATTRIBUTION,
        ),
        Rule(
            "attribution.title-mismatch",
            "warning",
            "The article gives a speaker a different title from the sources'.",
            _ATTRIBUTION,
        ),
        Rule(
            "attribution.misquote",
            "error",
            "A quotation that is not word for word the source's.",
            _ATTRIBUTION,
        ),
        Rule(
            "attribution.second-hand",
            "info",
            "A credit to an outlet that is not among the sources ('Bloomberg reported').",
            _ATTRIBUTION,
        ),
        Rule(
            "rewrite.fact-changed",
            "error",
            "A figure, date, name or title differs from the original's.",
            _REWRITE,
        ),
        Rule(
            "rewrite.meaning-changed",
            "error",
            "Negation, a hedge dropped or added, or who does what to whom inverted.",
            _REWRITE,
        ),
        Rule(
            "rewrite.attribution-changed",
            "warning",
            "The speaker of the original is dropped, moved, garbled or swapped.",
            _REWRITE,
        ),
        Rule(
            "rewrite.added",
            "info",
            "A claim of the rewrite that is not in the original and no other source supports.",
            _REWRITE,
        ),
    )
}


def rule(rule_id: str, severity: Severity = "warning") -> Rule:
    """The registered rule; an unregistered id gets help made from its name (and `severity`)."""
    found = RULES.get(rule_id)
    if found is not None:
        return found
    family, _, what = rule_id.partition(".")
    return Rule(
        rule_id, severity, f"{family.capitalize()} problem: {what.replace('-', ' ')}.", "README.md#rules"
    )


def rule_matches(pattern: str, rule_id: str) -> bool:
    """`*` matches every rule; `a.b` matches `a.b` and `a.b.*`; a trailing `.*` is optional."""
    pattern = pattern.strip()
    if pattern in ("*", "all", ""):
        return True
    if pattern.endswith(".*"):
        pattern = pattern[:-2]
    return rule_id == pattern or rule_id.startswith(pattern + ".")


# ---------------------------------------------------------------- severities


@dataclass(frozen=True)
class Level:
    """How each report writes a severity."""

    rank: int  # for --fail-on and "worst first"
    label: str
    icon: str
    sarif: str  # SARIF result level
    github: str  # GitHub workflow command


LEVELS: dict[str, Level] = {  # by Severity
    "error": Level(2, "Error", "✖", "error", "error"),
    "warning": Level(1, "Warning", "⚠", "warning", "warning"),
    "info": Level(0, "Info", "ℹ", "note", "notice"),
}


def rank(severity: str) -> int:
    """0 for info and for anything unknown."""
    level = LEVELS.get(severity)
    return level.rank if level is not None else 0


# ---------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class VerdictText:
    """The words for a verdict in every report, and the claim rule it raises (if any)."""

    label: str  # HTML badge and legend
    short: str  # terminal column and summary
    icon: str  # HTML
    mark: str  # terminal
    meaning: str  # HTML legend
    rule: str = ""  # the claim.* rule; supported and not_checkable claims raise nothing
    finding: str = ""  # how that rule's finding message begins


VERDICT_TEXT: dict[Verdict, VerdictText] = {  # in models.VERDICTS order
    "supported": VerdictText("Supported", "supported", "✓", "✔", "A source sentence backs this claim"),
    "partially_supported": VerdictText(
        "Partly supported",
        "partial",
        "◐",
        "◐",
        "Some facts of the claim are not backed",
        "claim.partially-supported",
        "Claim only partly supported by its sources",
    ),
    "contradicted": VerdictText(
        "Contradicted",
        "contradicted",
        "✗",
        "✖",
        "A source says otherwise",
        "claim.contradicted",
        "Claim contradicted by its sources",
    ),
    "unsupported": VerdictText(
        "Unsupported",
        "unsupported",
        "?",
        "?",
        "No source sentence backs this claim",
        "claim.unsupported",
        "Claim not supported by its sources",
    ),
    "not_checkable": VerdictText(
        "Not checkable", "not checked", "–", "·", "Not a checkable statement of fact"
    ),
}
# Display order of the HTML report: problems first.
VERDICT_ORDER: tuple[Verdict, ...] = (
    "contradicted",
    "unsupported",
    "partially_supported",
    "supported",
    "not_checkable",
)


# ---------------------------------------------------------------- README


def markdown_table() -> str:
    """README's rule table: `python -c 'from verify.rules import markdown_table; print(markdown_table())'`."""
    rows = ["| rule | default severity | what it means |", "| --- | --- | --- |"]
    for r in RULES.values():
        level = r.severity + "".join(f" (or {other})" for other in r.also)
        rows.append(f"| [`{r.id}`]({r.docs}) | {level} | {r.help} |")
    return "\n".join(rows) + "\n"
