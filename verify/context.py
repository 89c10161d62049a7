"""Make each claim self-contained: resolve "the latter company", "the agency", "he" from the sentences before.

The resolved sentence is what evidence is matched and judged against; reports still show the
sentence as the article writes it. Only references with one clear antecedent are replaced.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from .lexicon import DEMONYM, NAME_END_VERBS, NAME_LINKS, NAME_START_STOPWORDS, ORGANISATION_NAME, person_name
from .models import Claim
from .tuning import LOOKBACK

_CAPITALISED = r"[A-Z][\w&-]*(?:['’][A-Z][\w-]*)?"
NAME = re.compile(rf"\b({_CAPITALISED}(?: (?:(?:of|de|van|von|der|la|le|del|da) )?{_CAPITALISED})*)")
FORMER_LATTER = re.compile(
    r"\b(?P<det>[Tt]he) (?P<which>latter|former)(?: (?P<noun>company|firm|agency|organi[sz]ation|group|"
    r"country|team|club|band|party|one|man|woman|city|state|startup|business))?\b"
)
DEFINITE = re.compile(
    r"\b[Tt]he (?P<noun>agency|company|firm|organi[sz]ation|administration|ministry|university|"
    r"government|band|club|team|startup|commission|council|party|group)\b(?! of\b)"
)
PRONOUN = re.compile(r"^(?P<pronoun>He|She)\b")
NOUN_HINTS = {
    "agency": ("Agency", "Administration", "Authority", "Office", "Commission", "NASA", "ESA"),
    "ministry": ("Ministry", "Department"),
    "university": ("University", "College", "Institute"),
    "commission": ("Commission",),
    "council": ("Council",),
    "party": ("Party",),
    "band": (),
    "club": ("Club", "FC"),
}


def resolve(claims: Sequence[Claim]) -> list[Claim]:
    """The claims with `resolved` set where a reference to an earlier sentence could be resolved."""
    out = []
    aliases: dict[str, str] = {}
    for n, claim in enumerate(claims):
        before = [c.text for c in claims[max(0, n - LOOKBACK) : n]]
        text = resolve_text(claim.text, before, aliases) if claim.checkable and before else claim.text
        aliases.update(abbreviations(claim.text))
        out.append(replace(claim, resolved=text) if text != claim.text else claim)
    return out


def resolve_text(text: str, before: Sequence[str], aliases: Mapping[str, str] | None = None) -> str:
    """`text` with its first resolvable reference replaced by the name it refers to.

    `aliases` maps the abbreviations the article has introduced to the names they stand for
    (its sentences before are read for them too): "CMSA" is an agency where the article wrote
    "China Manned Space Agency (CMSA)".
    """
    if not before:
        return text
    m = FORMER_LATTER.search(text)
    if m:
        mentioned = names(before[-1])
        if len(mentioned) >= 2:
            name = mentioned[-1] if m.group("which") == "latter" else mentioned[-2]
            return text[: m.start()] + name + text[m.end() :]
        return text
    definite = DEFINITE.search(text)
    if definite:
        noun = definite.group("noun")
        known = {
            **(aliases or {}),
            **{a: n for sentence in before for a, n in abbreviations(sentence).items()},
        }
        name = _latest(before, lambda candidate: _fits_noun(known.get(candidate, candidate), noun))
        if name:
            return text[: definite.start()] + name + text[definite.end() :]
    m = PRONOUN.match(text)
    if m:
        name = _latest(before, person_name)
        if name:
            return name + text[m.end() :]
    return text


def _latest(before: Sequence[str], fits: Callable[[str], bool]) -> str:
    """The most recent name in the sentences before that `fits` accepts; '' when none or ambiguous."""
    for sentence in reversed(before):
        found = [n for n in names(sentence) if fits(n)]
        if len(set(found)) == 1 or _acronym_of(found):
            return found[0]
        if found:
            return ""  # two candidates in one sentence: not clear which is meant
    return ""


def abbreviations(text: str) -> dict[str, str]:
    """The abbreviations a sentence introduces: "China Manned Space Agency (CMSA)" -> {"CMSA": ...}."""
    found = names(text)
    return {
        short: full
        for full, short in itertools.pairwise(found)
        if _acronym_of([full, short]) and f"{full} ({short})" in text
    }


def _acronym_of(found: Sequence[str]) -> bool:
    """'China Manned Space Agency (CMSA)': the full name and its acronym are one candidate."""
    if len(found) != 2:
        return False
    initials = "".join(w[0] for w in found[0].split() if w[0].isupper())
    return initials == found[1]


def _fits_noun(name: str, noun: str) -> bool:
    hints = NOUN_HINTS.get(noun.lower())
    if hints is None:  # company, firm, startup, ...: any organisation-like name
        return bool(ORGANISATION_NAME.search(name)) and not person_name(name)
    return any(h in name.split() or name == h for h in hints)


def names(text: str) -> list[str]:
    """Capitalised names; a sentence's first word counts only as part of a longer name."""
    found = []
    for m in NAME.finditer(text):
        name = m.group(1)
        words = name.split()
        while words and (words[0].lower() in NAME_START_STOPWORDS or words[0] in NAME_LINKS):
            words = words[1:]
        while words and (words[-1] in NAME_LINKS or words[-1] in NAME_END_VERBS):
            words = words[:-1]
        if (
            not words
            or all(len(w.strip(".")) < 2 for w in words)
            or (len(words) == 1 and DEMONYM.match(words[0]))
        ):
            continue
        sentence_start = m.start() == 0 or text[: m.start()].rstrip().endswith((".", "!", "?", '"', "\u201c"))
        if sentence_start and len(words) == len(name.split()) and len(words) < 2:
            continue
        found.append(" ".join(words))
    return list(dict.fromkeys(found))
