"""What changed between an aligned original sentence and its rewrite: facts, meaning, speakers."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz.distance import Levenshtein

from ..align import align
from ..checks.negation import ANY_NEGATION, negated
from ..entail import EntailmentScorer
from ..facts import describe, key_facts
from ..items import Line
from ..models import AlignedPair, Attribution, Change, Claim, PairKind
from .alignment import NAME_SIMILARITY, WORD

KEPT_RATIO = 0.9  # word-sequence similarity of a near-verbatim copy
CONTRADICTION = 0.5  # P(contradict) of an optional entailment model that makes a pair a meaning change

HEDGE = re.compile(
    r"\b(?:could|might|may|would|possibly|potentially|perhaps|probably|likely|unlikely|reportedly|allegedly|"
    r"apparently|considering|considers|consider|weighing|weighs|weigh|mulling|exploring|plans? to|planning|"
    r"expected|expects?|projected|proposed|proposes?|believed|appears? to|seems? to|suggests?|intends? to|"
    r"aims? to|hopes? to|estimated|pending|tentative(?:ly)?|if)\b"
)  # lower case only: "May" is the month
CERTAINTY = re.compile(
    r"\b(?:will|has decided|have decided|decided|confirmed|definitely|certainly|is set to|are set to|"
    r"has approved|approved|announced|is going to)\b",
    re.I,
)
CORRECTION = re.compile(
    r"\b(?:correction|corrected|clarification|an earlier version|previously (?:reported|stated)|"
    r"misstated|incorrectly)\b",
    re.I,
)
UNNAMED = {"the", "a", "an", "its", "his", "her", "their", "our", "one", "officials", "sources", "experts"}
NAME_WORD = re.compile(r"[\w'’.-]+")


def entailment_changes(
    pairs: list[tuple[float, AlignedPair]], model: EntailmentScorer
) -> list[tuple[float, AlignedPair]]:
    """Kept and reworded pairs that the model reads as contradicting in either direction."""
    unchanged = [n for n, (_, p) in enumerate(pairs) if p.kind in ("kept", "reworded")]
    if not unchanged:
        return pairs
    both = [(pairs[n][1].original_text, pairs[n][1].rewrite_text) for n in unchanged]
    both += [(r, o) for o, r in both]
    contradict = np.asarray(model.predict(both))[:, 2]
    out = list(pairs)
    for k, n in enumerate(unchanged):
        p = max(float(contradict[k]), float(contradict[k + len(unchanged)]))
        if p >= CONTRADICTION:
            position, pair = out[n]
            change = Change("entailment", "", "", f"the rewrite contradicts the original (NLI, p={p:.2f})")
            out[n] = (position, replace(pair, kind="meaning-changed", changes=(*pair.changes, change)))
    return out


def pair_changes(
    original: str,
    rewrite: str,
    credits_o: Sequence[Attribution],
    rewrite_sentences: Sequence[tuple[str, Sequence[Attribution]]],
) -> list[Change]:
    """Figures, dates, names, roles, negation, hedges and speakers that differ (credits per side given)."""
    changes = _fact_changes(original, rewrite)
    items = align(rewrite, [Line("original", original, True)])
    speakers = {a.speaker for a in credits_o}
    for item in items:
        if item.status != "conflict" or not item.conflicts:
            continue
        was = item.conflicts[0].value
        if item.kind == "name" and was not in speakers:
            changes.append(Change("name", was, item.value, f"name changed: {was!r} → {item.value!r}"))
        elif item.kind == "role":
            changes.append(
                Change(
                    "role",
                    was,
                    item.value,
                    # the two sides as the role reader put them (agent, action, recipient), not quotes
                    f"roles inverted: in the original, {was}; in the rewrite, {item.value}",
                )
            )
        elif item.kind == "negation":
            changes.append(Change("negation", was, item.value, f"negation changed: {was!r} → {item.value!r}"))
    if not any(c.kind == "negation" for c in changes):
        changes += _negation_change(original, rewrite)
    changes += _hedge_change(original, rewrite)
    changes += _speaker_changes(credits_o, rewrite_sentences)
    return changes


def _fact_changes(original: str, rewrite: str) -> list[Change]:
    """Figures and dates of the rewrite that differ from the original's same-kind value left unmatched."""
    was = key_facts(original)
    now = key_facts(rewrite)
    for fact in list(now):  # equal values pair off one to one ("2019 ... 2019" against "2017 ... 2019")
        same = next((o for o in was if o.kind == fact.kind and fact.agrees(o) and o.agrees(fact)), None)
        same = same or next((o for o in was if fact.agrees(o) or o.agrees(fact)), None)
        if same is not None:
            was.remove(same)
            now.remove(fact)
    changes = []
    for fact in now:
        other = next((o for o in was if fact.same_kind(o)), None)
        if other is None:
            continue
        was.remove(other)
        kind = "date" if fact.kind in ("date", "year") else "figure"
        before, after = describe(other), describe(fact)
        changes.append(Change(kind, before, after, f"{kind} changed: {before!r} → {after!r}"))
    return changes


def _negation_change(original: str, rewrite: str) -> list[Change]:
    """One side negates its statement and the other has no negation at all."""
    if negated(original) and not ANY_NEGATION.search(rewrite):
        return [Change("negation", _cue(original), "", "negation dropped: the original says the opposite")]
    if negated(rewrite) and not ANY_NEGATION.search(original):
        return [Change("negation", "", _cue(rewrite), "negation added: the original says the opposite")]
    return []


def _cue(text: str) -> str:
    m = ANY_NEGATION.search(text)
    return m.group() if m else "not"


def _hedge_change(original: str, rewrite: str) -> list[Change]:
    """A hedge ("could", "is considering") dropped, or added to a plain statement.

    One hedge for another is a rewording, and so is a second hedge on a hedged statement.
    """
    was = Counter(m.group() for m in HEDGE.finditer(original))
    now = Counter(m.group() for m in HEDGE.finditer(rewrite))
    lost, gained = was - now, now - was
    if lost and not gained:
        cue = next(iter(lost))
        said = _certainty(rewrite)
        what = f"{cue!r} → {said!r}" if said else f"{cue!r} left out"
        return [Change("hedge", cue, said, f"hedge dropped: {what}")]
    if gained and not was:
        cue = next(iter(gained))
        said = _certainty(original)
        what = f"{said!r} → {cue!r}" if said else f"{cue!r} added"
        return [Change("hedge", said, cue, f"hedge added: {what}")]
    return []


def _certainty(text: str) -> str:
    """The word of certainty ("will", "confirmed") the other side has in the hedge's place, if any."""
    sure = CERTAINTY.search(text)
    return sure.group() if sure else ""


def _named(speaker: str) -> bool:
    words = speaker.split()
    if not words or not any(ch.isalpha() for ch in speaker):
        return False
    return words[0].lower() not in UNNAMED or any(w[0].isupper() for w in words[1:])  # "The Sun": named


def _speaker_changes(
    credits_o: Sequence[Attribution], rewrite_sentences: Sequence[tuple[str, Sequence[Attribution]]]
) -> list[Change]:
    """Each named speaker of the original: kept, garbled, moved to another sentence, swapped or dropped."""
    changes = []
    named_r = [a.speaker for _, credits in rewrite_sentences for a in credits if _named(a.speaker)]
    for credit in credits_o:
        if not _named(credit.speaker):
            continue
        wording = credit.speaker + (f", {credit.title}" if credit.title else "")
        in_credit = [a.speaker for text, credits in rewrite_sentences for a in credits]
        if any(_same_speaker(credit.speaker, speaker) for speaker in in_credit):
            continue
        found = [
            (n, w)
            for n, (text, _) in enumerate(rewrite_sentences)
            if (w := _written_as(credit.speaker, text))
        ]
        if found:
            n, written = found[0]
            text, credits = rewrite_sentences[n]
            credited = any(_written_as(credit.speaker, a.speaker) for a in credits)
            if written == credit.speaker and credited:
                continue
            how = []
            if written != credit.speaker:
                how.append("garbled")
            if not credited and len(rewrite_sentences) > 1:
                how.append(f"moved out of its sentence ({text.strip()!r} stands alone)")
            if not how:
                continue
            message = f"speaker {' and '.join(how)}: {written!r}; the original credits {wording!r}"
            changes.append(Change("speaker", wording, written, message))
        elif others := [s for s in named_r if not _written_as(credit.speaker, s)]:
            changes.append(
                Change(
                    "speaker",
                    wording,
                    others[0],
                    f"speaker swapped: {others[0]!r}; the original credits {wording!r}",
                )
            )
        else:
            now = next((a.speaker for _, credits in rewrite_sentences for a in credits), "")
            said = f" (the rewrite credits {now!r})" if now else ""
            changes.append(
                Change("speaker", wording, now, f"speaker dropped{said}: the original credits {wording!r}")
            )
    return changes


def _same_speaker(one: str, other: str) -> bool:
    """The same speaker, with or without a descriptor: "the research firm China Space Monitor"."""
    if not one or not other:
        return False
    short, long = sorted((one, other), key=len)
    return long == short or (_named(short) and long.endswith(" " + short))


def _written_as(name: str, text: str) -> str:
    """How `text` writes `name`: as is, in other case, glued to the next word, misspelt; '' if not at all."""
    if name in text:
        return name
    target = re.sub(r"\W", "", name.lower())
    words = list(NAME_WORD.finditer(text))
    size = len(name.split())
    best, best_score = "", 0.0
    for i in range(len(words) - size + 1):
        span = text[words[i].start() : words[i + size - 1].end()].rstrip(".,;:")
        flat = re.sub(r"\W", "", span.lower())
        glued = flat.startswith(target) and len(flat) - len(target) <= 4  # "lynette tanCEO"
        similarity = 1.0 if glued else Levenshtein.normalized_similarity(flat, target)
        if similarity >= NAME_SIMILARITY and similarity > best_score:
            best, best_score = span, similarity
    return best


def pair_kind(original: str, rewrite: str, changes: Sequence[Change]) -> PairKind:
    kinds = {c.kind for c in changes}
    if kinds & {"negation", "hedge", "role"}:
        return "meaning-changed"
    if kinds & {"figure", "date", "name"}:
        return "fact-changed"
    if "speaker" in kinds:
        return "attribution-changed"
    ratio = difflib.SequenceMatcher(
        None, WORD.findall(original.lower()), WORD.findall(rewrite.lower())
    ).ratio()
    return "kept" if ratio >= KEPT_RATIO else "reworded"


def added_pair(claim: Claim, supported_by: Mapping[str, str]) -> AlignedPair:
    if not claim.checkable:
        note = f"not a claim ({claim.reason})" if claim.reason else "not a claim"
        return AlignedPair("added", (), (claim.id,), "", claim.text, note=note, claim=False)
    source = supported_by.get(claim.id)
    note = f"supported by {source}" if source else "no other source supports it"
    return AlignedPair("added", (), (claim.id,), "", claim.text, note=note)


def dropped_pair(index: int, text: str, credits: Sequence[Attribution]) -> AlignedPair:
    notes = []
    hedge = HEDGE.search(text)
    if hedge:
        notes.append(f"qualifier {hedge.group()!r}")
    named = [a.speaker for a in credits if _named(a.speaker)]
    if named:
        notes.append("credit to " + ", ".join(dict.fromkeys(named)))
    correction = CORRECTION.search(text)
    if correction:
        notes.append(f"correction ({correction.group()!r})")
    return AlignedPair("dropped", (index,), (), text, "", note="; ".join(notes))
