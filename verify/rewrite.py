"""A rewrite against its original, sentence by sentence: what was kept, reworded, or changed on the way.

Sentences are aligned on the embeddings and word overlap that matching uses (order may change;
one original sentence may become two, or two one). Each aligned pair is then read with the
item alignment of the verdicts (figures, dates, names, negation, roles: verify/align.py), a
hedge check and the attribution parser (verify/attribution.py): an editor sees the kind of
change and both wordings.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
from rapidfuzz.distance import Levenshtein

from .align import ANY_NEGATION, Line, align, negated
from .attribution import find_attributions
from .embed import Embedder
from .facts import Fact, describe, key_facts
from .match import tokens
from .models import (
    AlignedPair,
    Article,
    Attribution,
    Change,
    Claim,
    ClaimResult,
    Document,
    Finding,
    PairKind,
    RewriteDiff,
    Severity,
)

ALIGN_THRESHOLD = 0.5  # combined score (mean of cosine and word overlap) for a 1:1 pair
NEAR_COPY = 0.7  # word overlap (Dice) at which a clear best pair is aligned without the model
NEAR_COPY_MARGIN = 0.2  # ... when it beats the row's and column's other pairs by this much
PART_CONTAINMENT = 0.6  # share of a split/merged part's words that its neighbour's partner has
KEPT_RATIO = 0.9  # word-sequence similarity of a near-verbatim copy
COPY_RUN = 5  # words in a row that count as copied
LIKELY_ORIGINAL_SHARE = 0.5  # share of the claims a source must state to be the likely original
LIKELY_ORIGINAL_CLAIMS = 6  # fewer claims than this: too short to call a source its original
NAME_SIMILARITY = 0.8  # normalised Levenshtein similarity of a garbled name to the original's
CONTRADICTION = 0.5  # P(contradict) of an optional entailment model that makes a pair a meaning change
NOT_ALIGNED = {"boilerplate", "ai-disclosure", "photo-credit", "byline"}  # never aligned: added non-claims

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
WORD = re.compile(r"\w+")
NAME_WORD = re.compile(r"[\w'’.-]+")

RULES: dict[str, tuple[str, Severity]] = {
    "fact-changed": ("rewrite.fact-changed", "error"),
    "meaning-changed": ("rewrite.meaning-changed", "error"),
    "attribution-changed": ("rewrite.attribution-changed", "warning"),
    "dropped": ("rewrite.dropped", "info"),
    "added": ("rewrite.added", "info"),
}
RULE_HELP = {
    "rewrite.fact-changed": "A figure, date, name or title differs from the original's.",
    "rewrite.meaning-changed": "Negation, a hedge dropped or added, or who does what to whom inverted.",
    "rewrite.attribution-changed": "The speaker of the original is dropped, moved, garbled or swapped.",
    "rewrite.dropped": "The rewrite leaves out a qualifier, a credit or a correction of the original.",
    "rewrite.added": "A claim of the rewrite that is not in the original and no other source supports.",
}


@dataclass(frozen=True)
class _Side:
    """A sentence of either text with what alignment needs."""

    key: str | int
    text: str
    words: frozenset[str]
    alignable: bool = True
    part_only: bool = False  # a fragment: joins a neighbour's pair, never a pair of its own


def compare_rewrite(
    claims: Sequence[Claim],
    original: Document,
    embedder: Embedder,
    *,
    article: Article | None = None,
    supported_by: Mapping[str, str] | None = None,
    detected: bool = False,
    entailment: Entailment | None = None,
) -> RewriteDiff:
    """Align the rewrite's sentences (`claims`) with the original's and classify every pair.

    `supported_by` maps the id of a claim to a source (other than the original) that supports
    it; added claims are reported with it. `article` (the rewrite) lets attribution changes be
    read with the parser that reads the whole text (a speaker left dangling in its own sentence).
    `entailment`, when given, also reads kept and reworded pairs in both directions: a pair it
    finds contradictory either way is a meaning change.
    """
    rewrite = [_rewrite_side(c) for c in claims]
    source = [_Side(s.index, s.text, frozenset(tokens(s.text))) for s in original.sentences]
    groups = _align(rewrite, source, embedder)
    grouped_r = {k for rs, _, _ in groups for k in rs}
    grouped_o = {k for _, os, _ in groups for k in os}
    by_id = {c.id: c for c in claims}
    credits_r = _credits_by_claim(article, claims) if article is not None else {}
    credits_o = _credits_by_sentence(original)
    pairs: list[tuple[float, AlignedPair]] = []
    order = {c.id: n for n, c in enumerate(claims)}
    for rs, os, score in groups:
        r_text = " ".join(by_id[str(k)].text for k in rs)
        o_text = " ".join(original.sentences[int(k)].text for k in os)
        changes = _changes(
            o_text,
            r_text,
            [a for k in os for a in credits_o.get(int(k), [])],
            [(by_id[str(k)].text, credits_r.get(str(k), [])) for k in rs],
        )
        kind = _kind(o_text, r_text, changes)
        pair = AlignedPair(
            kind,
            tuple(int(k) for k in os),
            tuple(str(k) for k in rs),
            o_text,
            r_text,
            round(score, 3),
            tuple(changes),
        )
        pairs.append((order[str(rs[0])], pair))
    if entailment is not None:
        pairs = _entailment_changes(pairs, entailment)
    for c in claims:
        if c.id not in grouped_r:
            pairs.append((order[c.id], _added(c, supported_by or {})))
    placed = sorted(pairs, key=lambda p: p[0])
    out: list[AlignedPair] = []
    dropped = [s for s in original.sentences if s.index not in grouped_o]
    # a dropped sentence goes after the pair that holds its predecessor in the original
    anchor = {o: n for n, (_, p) in enumerate(placed) for o in p.original}
    after: dict[int, list[AlignedPair]] = {}
    for s in dropped:
        before = max((anchor[i] for i in range(s.index) if i in anchor), default=-1)
        after.setdefault(before, []).append(_dropped(s.index, s.text, credits_o.get(s.index, [])))
    out += after.get(-1, [])
    for n, (_, pair) in enumerate(placed):
        out.append(pair)
        out += after.get(n, [])
    return RewriteDiff(
        original=original.label,
        pairs=tuple(out),
        copy_share=round(copy_share(" ".join(c.text for c in claims), original.text), 3),
        detected=detected,
        shared=round(_shared(rewrite, source), 3),
    )


class Entailment(Protocol):
    """An NLI model: for (premise, hypothesis) pairs, rows of P(entail), P(neutral), P(contradict)."""

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


def _entailment_changes(
    pairs: list[tuple[float, AlignedPair]], model: Entailment
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


def _rewrite_side(c: Claim) -> _Side:
    alignable = c.checkable or c.reason not in NOT_ALIGNED
    return _Side(c.id, c.text, frozenset(tokens(c.text)), alignable, part_only=c.reason == "fragment")


# ---------------------------------------------------------------- alignment


def _align(
    rewrite: Sequence[_Side], source: Sequence[_Side], embedder: Embedder
) -> list[tuple[list[str | int], list[str | int], float]]:
    """Groups (rewrite keys, original keys, score): 1:1 pairs by best score, then split and merged parts."""
    main = [i for i, r in enumerate(rewrite) if r.alignable and not r.part_only]
    if not main or not source:
        return []
    dice = np.array([[_dice(rewrite[i].words, s.words) for s in source] for i in main], dtype=np.float64)
    partner_r: dict[int, int] = {}
    partner_o: dict[int, int] = {}
    score = np.full_like(dice, -1.0)
    # near copies pair up on their words alone; only the other sentences go through the model
    for a, i in enumerate(main):
        j = int(dice[a].argmax())
        if dice[a, j] >= NEAR_COPY and _clear_best(dice, a, j):
            partner_r[i], partner_o[j] = j, i
            score[a, j] = (1 + dice[a, j]) / 2
    rows = [a for a, i in enumerate(main) if i not in partner_r]
    cols = [j for j in range(len(source)) if j not in partner_o]
    if rows and cols:
        vectors = embedder.encode([rewrite[main[a]].text for a in rows] + [source[j].text for j in cols])
        cosine = np.asarray(vectors[: len(rows)] @ vectors[len(rows) :].T, dtype=np.float64)
        score[np.ix_(rows, cols)] = (cosine + dice[np.ix_(rows, cols)]) / 2
    for flat in np.argsort(-score, axis=None):
        a, j = divmod(int(flat), len(source))
        if score[a, j] < ALIGN_THRESHOLD:
            break
        i = main[a]
        if i not in partner_r and j not in partner_o:
            partner_r[i], partner_o[j] = j, i
    # splits: an unaligned rewrite sentence whose words its neighbour's original has
    extra_r: dict[int, list[int]] = {}
    for i, r in enumerate(rewrite):
        if i in partner_r or not r.alignable:
            continue
        for n in (i - 1, i + 1, i - 2):
            if n in partner_r and _contained(r.words, source[partner_r[n]].words) >= PART_CONTAINMENT:
                extra_r.setdefault(n, []).append(i)
                break
    # merges: an unaligned original sentence whose words its neighbour's rewrite sentence has
    extra_o: dict[int, list[int]] = {}
    for j, s in enumerate(source):
        if j in partner_o:
            continue
        for n in (j - 1, j + 1):
            if n in partner_o and _contained(s.words, rewrite[partner_o[n]].words) >= PART_CONTAINMENT:
                extra_o.setdefault(partner_o[n], []).append(j)
                break
    groups: list[tuple[list[str | int], list[str | int], float]] = []
    for i, j in partner_r.items():
        rs = sorted([i, *extra_r.get(i, [])])
        os = sorted([j, *extra_o.get(i, [])])
        groups.append(
            ([rewrite[k].key for k in rs], [source[k].key for k in os], float(score[main.index(i), j]))
        )
    return groups


def _clear_best(dice: np.ndarray, a: int, j: int) -> bool:
    """Cell (a, j) beats every other cell of its row and of its column by a clear margin."""
    best = dice[a, j]
    row = np.delete(dice[a], j)
    col = np.delete(dice[:, j], a)
    return (not row.size or row.max() <= best - NEAR_COPY_MARGIN) and (
        not col.size or col.max() <= best - NEAR_COPY_MARGIN
    )


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _contained(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of `part`'s words in `whole`; a misspelt name ("Ziqiang" for "Xiqiang") still counts."""
    if not part:
        return 0.0
    found = sum(
        w in whole
        or (len(w) >= 5 and any(Levenshtein.normalized_similarity(w, o) >= NAME_SIMILARITY for o in whole))
        for w in part
    )
    return found / len(part)


def _shared(rewrite: Sequence[_Side], source: Sequence[_Side]) -> float:
    """Share of the rewrite's claims with an original sentence holding most of their words."""
    claims = [r for r in rewrite if r.alignable and not r.part_only and r.words]
    if not claims:
        return 0.0
    hits = sum(any(_dice(r.words, s.words) >= 0.5 for s in source) for r in claims)
    return hits / len(claims)


def likely_original(claims: Sequence[Claim], documents: Sequence[Document]) -> tuple[Document, float] | None:
    """The source that states most of the article's sentences (word overlap only: cheap), if any."""
    rewrite = [_rewrite_side(c) for c in claims if c.checkable]
    if len(rewrite) < LIKELY_ORIGINAL_CLAIMS:
        return None
    best: tuple[Document, float] | None = None
    for doc in documents:
        share = _shared(rewrite, [_Side(s.index, s.text, frozenset(tokens(s.text))) for s in doc.sentences])
        if share >= LIKELY_ORIGINAL_SHARE and (best is None or share > best[1]):
            best = (doc, share)
    return best


def copy_share(rewrite: str, original: str, run: int = COPY_RUN) -> float:
    """Share of the rewrite's words that sit in a run of `run` or more words copied from the original."""
    words = [w.lower() for w in WORD.findall(rewrite)]
    source = [w.lower() for w in WORD.findall(original)]
    if not words or len(source) < run:
        return 0.0
    shingles = {tuple(source[i : i + run]) for i in range(len(source) - run + 1)}
    copied = [False] * len(words)
    for i in range(len(words) - run + 1):
        if tuple(words[i : i + run]) in shingles:
            copied[i : i + run] = [True] * run
    return sum(copied) / len(words)


# ---------------------------------------------------------------- classification


def _changes(
    original: str,
    rewrite: str,
    credits_o: Sequence[Attribution],
    rewrite_sentences: Sequence[tuple[str, Sequence[Attribution]]],
) -> list[Change]:
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
                    f"roles inverted: the original has {was!r}, the rewrite {item.value!r}",
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
        other = next((o for o in was if _comparable(fact, o)), None)
        if other is None:
            continue
        was.remove(other)
        kind = "date" if fact.kind in ("date", "year") else "figure"
        before, after = describe(other), describe(fact)
        changes.append(Change(kind, before, after, f"{kind} changed: {before!r} → {after!r}"))
    return changes


def _comparable(a: Fact, b: Fact) -> bool:
    if a.kind in ("date", "year") or b.kind in ("date", "year"):
        return a.kind == b.kind
    return a.kind == b.kind or {a.kind, b.kind} == {"money", "count"}


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
        sure = CERTAINTY.search(rewrite)
        said = sure.group() if sure else ""
        what = f"{cue!r} → {said!r}" if said else f"{cue!r} left out"
        return [Change("hedge", cue, said, f"hedge dropped: {what}")]
    if gained and not was:
        cue = next(iter(gained))
        sure = CERTAINTY.search(original)
        said = sure.group() if sure else ""
        what = f"{said!r} → {cue!r}" if said else f"{cue!r} added"
        return [Change("hedge", said, cue, f"hedge added: {what}")]
    return []


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


def _kind(original: str, rewrite: str, changes: Sequence[Change]) -> PairKind:
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


def _added(claim: Claim, supported_by: Mapping[str, str]) -> AlignedPair:
    if not claim.checkable:
        note = f"not a claim ({claim.reason})" if claim.reason else "not a claim"
        return AlignedPair("added", (), (claim.id,), "", claim.text, note=note, claim=False)
    source = supported_by.get(claim.id)
    note = f"supported by {source}" if source else "no other source supports it"
    return AlignedPair("added", (), (claim.id,), "", claim.text, note=note)


def _dropped(index: int, text: str, credits: Sequence[Attribution]) -> AlignedPair:
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


def _credits_by_claim(article: Article, claims: Sequence[Claim]) -> dict[str, list[Attribution]]:
    """The article's credits, by the claim whose characters hold the speaker (or the credited words)."""
    credits, _ = find_attributions(article, [])
    out: dict[str, list[Attribution]] = {}
    for credit in credits:
        at = credit.start if credit.end > credit.start else credit.content_start
        for c in claims:
            if c.start <= at < max(c.end, c.start + 1):
                out.setdefault(c.id, []).append(credit)
                break
    return out


def _credits_by_sentence(document: Document) -> dict[int, list[Attribution]]:
    text = document.text
    credits, _ = find_attributions(Article(document.label, text, text, "text"), [])
    out: dict[int, list[Attribution]] = {}
    for credit in credits:
        at = credit.start if credit.end > credit.start else credit.content_start
        for s in document.sentences:
            if s.start <= at < max(s.end, s.start + 1):
                out.setdefault(s.index, []).append(credit)
                break
    return out


def for_article(
    article: Article,
    claims: Sequence[Claim],
    documents: Sequence[Document],
    results: Sequence[ClaimResult],
    embedder: Embedder,
) -> RewriteDiff | None:
    """The diff against the named original (a source of origin "original"), else the likely original."""
    named = next((d for d in documents if d.ref.origin == "original"), None)
    if named is None and any(r.origin == "original" for r in article.sources):
        return None  # named but not readable: the skipped source says why
    found = (named, 1.0) if named is not None else likely_original(claims, documents)
    if found is None:
        return None
    original = found[0]
    supported_by = {
        r.claim.id: e.source
        for r in results
        if r.verdict in ("supported", "partially_supported")
        for e in r.evidence[:1]
        if e.source != original.label
    }
    diff = compare_rewrite(
        claims, original, embedder, article=article, supported_by=supported_by, detected=named is None
    )
    return _with_inherited(diff, results)


def _with_inherited(diff: RewriteDiff, results: Sequence[ClaimResult]) -> RewriteDiff:
    """A contradicted claim that the original states the same way: the error came with the original."""
    contradicted = {r.claim.id: r.reason for r in results if r.verdict == "contradicted"}
    pairs = []
    for pair in diff.pairs:
        why = next((contradicted[k] for k in pair.rewrite if k in contradicted), None)
        if why is not None and pair.kind in ("kept", "reworded"):
            pair = replace(pair, note=f"error inherited from the original: {why}")
        elif why is not None and pair.kind == "added" and pair.claim:
            pair = replace(pair, note=f"not in the original, and contradicted by the sources: {why}")
        pairs.append(pair)
    return replace(diff, pairs=tuple(pairs))


# ---------------------------------------------------------------- findings


def rewrite_findings(diff: RewriteDiff, claims: Sequence[Claim]) -> list[Finding]:
    """One finding per change of an aligned pair, and per added unsupported claim, at the rewrite's words."""
    by_id = {c.id: c for c in claims}
    where = "the likely original" if diff.detected else "the original"
    found = []
    for pair in diff.pairs:
        if pair.kind == "dropped":
            continue  # not in the rewrite: nothing to point at (listed in the reports)
        first = by_id.get(pair.rewrite[0]) if pair.rewrite else None
        if first is None:
            continue
        if pair.kind == "added":
            if not pair.claim or pair.note.startswith("supported by"):
                continue
            rule, severity = RULES["added"]
            found.append(
                Finding(
                    rule,
                    severity,
                    f"Not in {where} ({diff.original}): {pair.note}",
                    first.start,
                    first.end,
                    first.line,
                    first.column,
                    claim_id=first.id,
                )
            )
            continue
        last = by_id.get(pair.rewrite[-1], first)
        for change in pair.changes:
            kind: str = {
                "speaker": "attribution-changed",
                "figure": "fact-changed",
                "date": "fact-changed",
                "name": "fact-changed",
            }.get(change.kind, "meaning-changed")
            rule, severity = RULES[kind]
            suggestion = f"{where} reads: {pair.original_text}"
            found.append(
                Finding(
                    rule,
                    severity,
                    f"Changed from {where}: {change.message}",
                    first.start,
                    max(last.end, first.end),
                    first.line,
                    first.column,
                    suggestion,
                    first.id,
                )
            )
    return found


def pair_counts(diff: RewriteDiff) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pair in diff.pairs:
        counts[pair.kind] = counts.get(pair.kind, 0) + 1
    return counts
