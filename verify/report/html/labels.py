"""What the report calls each verdict, severity and kind of rewrite change, with its icon."""

from __future__ import annotations

from verify.models import SEVERITIES, VERDICTS

# verdict -> (icon, label, what it means)
VERDICT_META: dict[str, tuple[str, str, str]] = {
    "contradicted": ("✗", "Contradicted", "A source says otherwise"),
    "unsupported": ("?", "Unsupported", "No source sentence backs this claim"),
    "partially_supported": ("◐", "Partly supported", "Some facts of the claim are not backed"),
    "supported": ("✓", "Supported", "A source sentence backs this claim"),
    "not_checkable": ("–", "Not checkable", "Not a checkable statement of fact"),
}
# Display order: problems first.
VERDICT_ORDER: tuple[str, ...] = (
    "contradicted",
    "unsupported",
    "partially_supported",
    "supported",
    "not_checkable",
)
SEVERITY_META: dict[str, tuple[str, str]] = {
    "error": ("✖", "Error"),
    "warning": ("⚠", "Warning"),
    "info": ("ℹ", "Info"),
}
assert set(VERDICT_META) == set(VERDICTS) and set(SEVERITY_META) == set(SEVERITIES)

REWRITE_LABELS = {
    "kept": "kept",
    "reworded": "reworded",
    "fact-changed": "fact changed",
    "meaning-changed": "meaning changed",
    "attribution-changed": "attribution changed",
    "added": "added",
    "dropped": "dropped",
}


def verdict_key(value: str) -> str:
    """A verdict safe to use in class names: unknown values are shown as not checkable."""
    return value if value in VERDICT_META else "not_checkable"


def severity_key(value: str) -> str:
    return value if value in SEVERITY_META else "info"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def count_label(n: int, severity: str) -> str:
    return plural(n, severity, "info" if severity == "info" else None)
