"""Rewrite diff benchmark: rewrite/original pairs built from real page text by known edits.

Pages are the WiCE dev evidence pages (read at run time from --data, by default
../shared/data/wice/dev.jsonl next to the checkout,
never copied into the repository). Each page's prose sentences are an original; a rewrite is
made from it by edits whose expected outcome is known:

  reword   harmless rewording (synonyms, a leading phrase moved)  -> kept/reworded, never fact/meaning
  figure   a figure or year changed                                -> fact-changed
  negate   "is" -> "is not" and the like                           -> meaning-changed
  hedge    "could"/"may"/"is expected to" -> "will"                -> meaning-changed
  roles    agent and recipient of "A funded/acquired/... B" swapped -> meaning-changed
  speaker  the named speaker replaced by another person            -> attribution-changed
  drop     a sentence left out                                     -> dropped
  add      a sentence from another page inserted                   -> added
  split    one sentence made two                                   -> one original, two rewrite sentences
  merge    two sentences made one                                  -> two originals, one rewrite sentence
  moved    a sentence moved elsewhere                               -> aligned to its original

Pages are split in two halves by a hash of their text ("seen" and "unseen"); numbers are given
for both. Reports: alignment accuracy (every rewrite sentence and every original sentence
aligned to the right counterpart(s) or to none), recall per edit kind, the false-change rate on
harmless rewording (reported as fact or meaning changed), and the time of one diff of a
1,000-word article with the model loaded.

    python benchmarks/rewrite.py [--pages N] [--fake] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wice import shared_dir  # benchmarks/ is the script's folder, so on sys.path

from verify.attribution import find_attributions
from verify.claims import split_claims
from verify.embed import Embedder, make_embedder
from verify.facts import key_facts
from verify.models import Article, Document, Sentence, SourceRef, line_starts
from verify.rewrite import compare_rewrite
from verify.roles import relations
from verify.sentences import split_spans

WICE = shared_dir() / "data" / "wice" / "dev.jsonl"
SYNONYMS = {
    "also": "additionally", "began": "started", "begin": "start", "big": "large", "large": "big",
    "help": "assist", "helped": "assisted", "however": "but", "many": "numerous", "often": "frequently",
    "show": "demonstrate", "shows": "demonstrates", "use": "employ", "used": "employed", "uses": "employs",
    "important": "significant", "known": "recognised", "main": "principal", "several": "a number of",
    "very": "highly", "about": "around", "major": "key", "small": "little", "received": "got",
    "became": "grew into", "called": "named", "later": "subsequently", "won": "took", "works": "operates",
    "worked": "served", "create": "build", "created": "built", "new": "fresh", "include": "comprise",
    "includes": "comprises", "included": "comprised", "during": "throughout", "first": "initial",
}  # fmt: skip
AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|can|could|would|should)\b(?! not\b| never\b)")
HEDGES = [
    (re.compile(r"\b(could|may|might)\b"), "will"),
    (re.compile(r"\b(is|are) expected to\b"), r"\1 going to"),
    (re.compile(r"\b(is|are) considering\b"), r"\1 going ahead with"),
    (re.compile(r"\b(?:reportedly|allegedly|possibly|probably|likely) "), ""),
]
NAMES = ["Maria Delgado", "Tomas Berg", "Aisha Khan", "Robert Yates", "Li Wen", "Hannah Okafor"]
YEAR = re.compile(r"\b(1[0-9]\d\d|20[0-2]\d)\b")
NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
PERSON = re.compile(r"[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-z'’-]+){1,2}")
LEADING = re.compile(r"^(In|On|During|By|After|Before|Since) ([^,]{3,40}), (\w)(.*?)([.!?])$")


@dataclass
class Unit:
    """A rewrite sentence and the original sentences it should align with (empty: added)."""

    text: str
    originals: tuple[int, ...]
    edit: str  # the edit kind, or "kept"


@dataclass
class Pair:
    original: list[str]
    units: list[Unit]
    dropped: set[int] = field(default_factory=set)
    page: str = ""


def prose(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        line = " ".join(line.split())
        words = line.split()
        if (
            8 <= len(words) <= 45
            and line[-1] in ".!?"
            and not line.startswith(("#", "(meta", "*", "-", "|"))
            and sum(ch.islower() for ch in line) > 0.6 * len(line.replace(" ", ""))
            and len(re.findall(r"[.!?](?:\s|$)", line)) == 1  # one sentence per line
        ):
            out.append(line)
    return list(dict.fromkeys(out))


def load_pages(limit: int, data: Path = WICE) -> list[list[str]]:
    seen: set[str] = set()
    pages = []
    with data.open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            sentences = prose(row["evidence"])[:24]
            # pages the splitter reads back as the same sentences: this measures alignment, not splitting
            if len(list(split_spans(" ".join(sentences)))) != len(sentences):
                continue
            key = hashlib.sha1("\n".join(sentences).encode()).hexdigest()
            if len(sentences) >= 10 and key not in seen:
                seen.add(key)
                pages.append(sentences)
    return pages[:limit]


def unseen(page: list[str]) -> bool:
    return int(hashlib.sha1(page[0].encode()).hexdigest(), 16) % 2 == 1


# ---------------------------------------------------------------- edits (None: not applicable)


def reword(s: str, rng: random.Random) -> str | None:
    m = LEADING.match(s)
    if m and rng.random() < 0.5:
        head, rest = m.group(3), m.group(4)
        return f"{head.upper()}{rest} {m.group(1).lower()} {m.group(2)}{m.group(5)}"
    words = s.split(" ")
    spots = [i for i, w in enumerate(words) if w.lower() in SYNONYMS]
    if not spots:
        return None
    for i in rng.sample(spots, min(2, len(spots))):
        new = SYNONYMS[words[i].lower()]
        words[i] = new.capitalize() if words[i][0].isupper() else new
    return " ".join(words)


def change_figure(s: str, rng: random.Random) -> str | None:
    found = key_facts(s)
    for fact in found:
        m = YEAR.search(fact.text) or NUMBER.search(fact.text)
        if not m:
            continue
        digits = m.group()
        if YEAR.fullmatch(digits):
            new = str(int(digits) + rng.choice([-3, -2, 2, 3]))
        else:
            value = float(digits.replace(",", ""))
            step = rng.choice([2, 3])
            new_value = value + step if value < 20 else value - 5 if value < 100 else value * step + 1
            new = f"{int(new_value):,}" if "," in digits else str(int(new_value))
        start = fact.start + m.start()
        return s[:start] + new + s[start + len(digits) :]
    return None


def negate(s: str, rng: random.Random) -> str | None:
    if re.search(r"\b(not|never|no)\b|n't", s):
        return None
    m = AUX.search(s)
    if not m:
        return None
    return s[: m.end()] + " not" + s[m.end() :]


def drop_hedge(s: str, rng: random.Random) -> str | None:
    for pattern, repl in HEDGES:
        if pattern.search(s):
            return pattern.sub(repl, s, count=1)
    return None


def invert_roles(s: str, rng: random.Random) -> str | None:
    """Agent and recipient of "A acquired B" / "B was acquired by A" swapped (short noun phrases only)."""
    for rel in relations(s):
        a, b = rel.agent_text, rel.recipient_text
        if not (_noun_phrase(a) and _noun_phrase(b)) or s.count(a) != 1 or s.count(b) != 1:
            continue
        (i, first), (j, second) = sorted([(s.find(a), a), (s.find(b), b)])
        if i + len(first) > j or rel.verb not in s[i : j + len(second)]:
            continue
        new_first, new_second = second, first
        if i == 0:  # sentence case moves with the position
            new_first = new_first[0].upper() + new_first[1:]
            if new_second.split()[0] in ("The", "A", "An", "His", "Her", "Its", "Their"):
                new_second = new_second[0].lower() + new_second[1:]
        return s[:i] + new_first + s[i + len(first) : j] + new_second + s[j + len(second) :]
    return None


def _noun_phrase(text: str) -> bool:
    """A short phrase that starts like a noun phrase: a name, or "the/a ..." (no pronouns)."""
    words = text.split()
    return (
        0 < len(words) <= 4
        and (words[0] in ("the", "a", "an", "The", "A", "An") or words[0][0].isupper())
        and (words[0] not in ("I", "He", "She", "It", "They", "We", "This", "That"))
    )


def swap_speaker(s: str, rng: random.Random) -> str | None:
    credits, _ = find_attributions(Article("", s, s, "text"), [])
    for credit in credits:
        name = credit.speaker
        if PERSON.fullmatch(name) and name in s:
            other = rng.choice([n for n in NAMES if n != name])
            return s.replace(name, other)
    return None


def split(s: str, rng: random.Random) -> list[str] | None:
    m = re.search(r", (and|but|which|while) ", s)
    if not m or m.start() < 25 or len(s) - m.end() < 25:
        return None
    first, second = s[: m.start()] + ".", s[m.end() :]
    lead = {"and": "", "but": "But ", "which": "This ", "while": "Meanwhile, "}[m.group(1)]
    second = lead + (second[0].upper() if not lead else second[0]) + second[1:]
    return [first, second]


def merge(a: str, b: str) -> str | None:
    if not a.endswith(".") or not b[:1].isupper() or len(a) + len(b) > 400:
        return None
    first = b.split()[0]
    lowered = first if (first.isupper() or first in ("I",) or _proper(first)) else first.lower()
    return a[:-1] + ", and " + lowered + b[len(first) :]


def _proper(word: str) -> bool:
    return word not in {"The", "This", "These", "It", "He", "She", "They", "In", "A", "An", "His", "Her"}


CHANGE_EDITS = {"figure": change_figure, "negate": negate, "hedge": drop_hedge, "roles": invert_roles,
                "speaker": swap_speaker}  # fmt: skip
EXPECTED = {
    "figure": "fact-changed", "negate": "meaning-changed", "hedge": "meaning-changed",
    "roles": "meaning-changed", "speaker": "attribution-changed",
}  # fmt: skip


def build(page: list[str], other: list[str], rng: random.Random) -> Pair:
    """One rewrite of `page`: each applicable edit kind at most once, the other sentences kept."""
    original = list(page)
    units: list[Unit] = []
    dropped: set[int] = set()
    planned = ["figure", "negate", "hedge", "roles", "speaker", "drop", "split", "merge", "reword", "reword"]
    rng.shuffle(planned)
    done: set[int] = set()
    edits: dict[int, tuple[str, Any]] = {}
    for kind in planned:
        order = [i for i in range(len(original)) if i not in done]
        rng.shuffle(order)
        for i in order:
            s = original[i]
            new: str | list[str] | None
            if kind in CHANGE_EDITS:
                new = CHANGE_EDITS[kind](s, rng)
            elif kind == "reword":
                new = reword(s, rng)
            elif kind == "split":
                new = split(s, rng)
            elif kind == "merge":
                if i + 1 >= len(original) or i + 1 in done:
                    continue
                new = merge(s, original[i + 1])
            else:  # drop
                new = "" if i not in (0,) else None
            if new is None:
                continue
            edits[i] = (kind, new)
            done.add(i)
            if kind == "merge":
                done.add(i + 1)
            break
    i = 0
    while i < len(original):
        kind, edited = edits.get(i, ("kept", original[i]))
        if kind == "drop":
            dropped.add(i)
        elif kind == "split":
            units += [Unit(part, (i,), "split") for part in edited]
        elif kind == "merge":
            units.append(Unit(edited, (i, i + 1), "merge"))
            i += 1
        else:
            units.append(Unit(edited, (i,), kind))
        i += 1
    added = rng.choice(other)
    units.insert(rng.randrange(1, len(units)), Unit(added, (), "add"))
    # one kept sentence moves elsewhere
    kept = [n for n, u in enumerate(units) if u.edit == "kept"]
    if kept:
        moved = units.pop(rng.choice(kept))
        moved.edit = "moved"
        units.insert(rng.randrange(0, len(units) + 1), moved)
    return Pair(original, units, dropped)


# ---------------------------------------------------------------- scoring


def evaluate(pair: Pair, embedder: Embedder) -> list[tuple[str, bool, bool, str]]:
    """(edit, aligned right, classified right, predicted kind) per unit, and per dropped original."""
    text, starts = "", []
    for n, unit in enumerate(pair.units):
        text += "\n\n" if n and n % 3 == 0 else " " if n else ""
        starts.append(len(text))
        text += unit.text
    article = Article("rewrite.txt", text, text, "text", line_starts=line_starts(text))
    claims = split_claims(article)
    original_text = " ".join(pair.original)
    sentences, pos = [], 0
    for n, s in enumerate(pair.original):
        sentences.append(Sentence(n, s, pos, pos + len(s)))
        pos += len(s) + 1
    document = Document(SourceRef("https://example.org/original"), original_text, tuple(sentences))
    diff = compare_rewrite(claims, document, embedder, article=article)
    unit_of = {}
    for c in claims:
        unit_of[c.id] = max(n for n, at in enumerate(starts) if at <= c.text_start)
    predicted: dict[int, set[int]] = defaultdict(set)
    kinds: dict[int, list[str]] = defaultdict(list)
    for p in diff.pairs:
        for cid in p.rewrite:
            predicted[unit_of[cid]].update(p.original)
            kinds[unit_of[cid]].append(p.kind)
    out = []
    for n, unit in enumerate(pair.units):
        aligned = predicted[n] == set(unit.originals)
        got = kinds[n]
        kind = next((k for k in got if k not in ("kept", "reworded", "added")), got[0] if got else "added")
        if unit.edit in EXPECTED:
            right = aligned and kind == EXPECTED[unit.edit]
        elif unit.edit == "add":
            right = kind == "added"
        elif unit.edit in ("split", "merge", "moved"):
            right = aligned
        else:
            right = kind in ("kept", "reworded")
        out.append((unit.edit, aligned, right, kind))
    dropped_pred = {o for p in diff.pairs if p.kind == "dropped" for o in p.original}
    for i in range(len(pair.original)):
        if i in pair.dropped:
            out.append(("drop", i in dropped_pred, i in dropped_pred, "dropped" if i in dropped_pred else ""))
    return out


class _Timed:
    """Counts the seconds spent in the embedding model."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.seconds = inner, inner.name, 0.0

    def encode(self, texts: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.inner.encode(texts)
        finally:
            self.seconds += time.perf_counter() - start


class _Memo:
    """An embedder with a cache in memory, like the pipeline's CachedEmbedder."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.vectors = inner, inner.name, {}  # type: ignore[var-annotated]

    def encode(self, texts: Any) -> Any:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.encode(missing), strict=True))
        return np.stack([self.vectors[t] for t in texts])


def _article_pair(sentences: list[str], words: int, rng: random.Random) -> Pair:
    chosen: list[str] = []
    for s in sentences:
        chosen.append(s)
        if sum(len(c.split()) for c in chosen) >= words:
            break
    return Pair(chosen, [Unit(reword(s, rng) or s, (n,), "reword") for n, s in enumerate(chosen)])


def timing(pages: list[list[str]], embedder: Embedder) -> dict[str, dict[str, float]]:
    """One diff of a ~1,000-word rewrite against its original, after a first diff warmed the process.

    "edits": the benchmark's edit mix (near copies pair up on their words, the rest goes through
    the model); "all_model": every sentence through the model (a rewrite with no near copies);
    "in_pipeline": the same, with the sentences already embedded as matching does in a run.
    Wall and CPU seconds of the whole diff, and wall seconds inside the model.
    """
    from verify.rewrite import alignment as stage

    sentences = [s for page in pages for s in page]
    rng = random.Random(7)
    evaluate(_article_pair(sentences, 1000, rng), embedder)  # warm-up: model session, caches
    out = {}
    for n, name in enumerate(("edits", "all_model", "in_pipeline")):
        chosen = _article_pair(sentences[(n + 1) * len(sentences) // 4 :], 1000, rng).original
        pair = build(chosen, sentences[:20], rng)
        inner: Embedder = embedder
        if name == "in_pipeline":
            inner = _Memo(embedder)
            inner.encode([u.text for u in pair.units] + pair.original)
        timed = _Timed(inner)
        saved = stage.NEAR_COPY
        stage.NEAR_COPY = saved if name == "edits" else 2.0  # 2.0: no near copies
        try:
            wall, cpu = time.perf_counter(), time.process_time()
            evaluate(pair, timed)
            out[name] = {
                "words": sum(len(u.text.split()) for u in pair.units),
                "wall": round(time.perf_counter() - wall, 3),
                "cpu": round(time.process_time() - cpu, 3),
                "model_wall": round(timed.seconds, 3),
            }
        finally:
            stage.NEAR_COPY = saved
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--data", type=Path, default=WICE, help="WiCE dev (default: ../shared/data/wice)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--fake", action="store_true", help="hashing embedder from tests/ (no model)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.fake:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from conftest import FakeEmbedder

        embedder: Embedder = FakeEmbedder()
    else:
        embedder = make_embedder("bundled")
    pages = load_pages(args.pages, args.data)
    rng = random.Random(args.seed)
    rows: dict[str, list[tuple[str, bool, bool, str]]] = {"seen": [], "unseen": []}
    for n, page in enumerate(pages):
        other = pages[(n + 7) % len(pages)]
        pair = build(page, other, rng)
        rows["unseen" if unseen(page) else "seen"] += evaluate(pair, embedder)
    result: dict[str, Any] = {"pages": len(pages), "embedder": embedder.name}
    for split_name, found in rows.items():
        by_kind: dict[str, list[bool]] = defaultdict(list)
        for edit, _, right, _ in found:
            by_kind[edit].append(right)
        harmless = ("reword", "kept", "moved", "split", "merge")
        reworded = [kind for edit, _, _, kind in found if edit in harmless]
        result[split_name] = {
            "units": len(found),
            "alignment_accuracy": round(sum(a for _, a, _, _ in found) / max(1, len(found)), 3),
            "recall": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())},
            "count": {k: len(v) for k, v in sorted(by_kind.items())},
            "false_change_rate": round(
                sum(k in ("fact-changed", "meaning-changed") for k in reworded) / max(1, len(reworded)), 3
            ),
            "harmless_units": len(reworded),
        }
    result["seconds_1000_words"] = timing(pages, embedder)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
