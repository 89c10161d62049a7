"""What the report calls each verdict, severity and kind of rewrite change, with its icon."""

from __future__ import annotations

from verify.rules import LEVELS, VERDICT_ORDER, VERDICT_TEXT

# verdict -> (icon, label, what it means), from the one registry in verify/rules.py
VERDICT_META: dict[str, tuple[str, str, str]] = {
    verdict: (text.icon, text.label, text.meaning) for verdict, text in VERDICT_TEXT.items()
}
SEVERITY_META: dict[str, tuple[str, str]] = {
    severity: (level.icon, level.label) for severity, level in LEVELS.items()
}
__all__ = ["REWRITE_LABELS", "SEVERITY_META", "VERDICT_META", "VERDICT_ORDER"]

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
