"""The source pages as a dictionary: their sentences, credits, people's names and spellings."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz.distance import OSA

from verify.attribution.credits import parse_credits
from verify.attribution.model import Credit, Sent, SourceSentence
from verify.attribution.names import (
    HONORIFIC_NAME,
    capitalised_names,
    titled_names,
    variant,
)
from verify.lexicon import FUNCTION_WORDS, NOT_NAMES, ORG_WORDS, TITLE_WORDS, org_like, person_like
from verify.models import Document
from verify.sentences import split_at_capitals
from verify.text import Token, spelled_alike, tokenize


class Sources:
    """The documents' sentences, the credits in them and the names they use."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.sentences: list[SourceSentence] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.words: set[str] = set()
        self.people: dict[str, str] = {}  # lowercased name -> as the source writes it
        self.titles: dict[str, list[str]] = defaultdict(list)  # lowercased name -> titles given to it
        self.joined: list[str] = []  # each document's words, lowercased and space-joined
        self.joined_as_written: list[str] = []  # the same words as written
        self.lowercase_phrases: set[str] = set()  # 2- and 3-word runs written in lowercase in a source
        self.lowercase_words: set[str] = set()  # words a source writes in lowercase: common words, not names
        self.persons: dict[str, str] = {}  # lowercased -> as written: names that are evidently people's
        self.credited: set[str] = set()  # lowercased names credited with a statement in a source
        self.honorific_names: set[str] = set()  # 'Sanders' in 'Mr. Sanders', 'Sen. Sanders'
        for number, doc in enumerate(documents):
            texts = [s.text for s in doc.sentences]
            if not texts:
                texts = [doc.text[a:b] for a, b in split_at_capitals(doc.text)]
            words: list[str] = []
            for text in texts:
                toks = tuple(tokenize(text))
                credits = tuple(parse_credits(text, set()))
                self.index_sentence(SourceSentence(number, text, toks, credits, len(self.sentences)))
                words.extend(t.text for t in toks)
                for credit in credits:
                    if credit.kind == "name" and person_like(credit.speaker) and credit.speaker[0].isupper():
                        key = credit.speaker.lower()
                        self.people.setdefault(key, credit.speaker)
                        self.persons.setdefault(key, credit.speaker)
                        self.credited.add(key)
                        if credit.title:
                            self.titles[key].append(credit.title)
                for name in capitalised_names(text):
                    self.people.setdefault(name.lower(), name)
                for name in titled_names(text):
                    self.persons.setdefault(name.lower(), name)
                self.honorific_names.update(m.group(1) for m in HONORIFIC_NAME.finditer(text))
            self.joined_as_written.append(" " + " ".join(words) + " ")
            self.joined.append(self.joined_as_written[-1].lower())

    def index_sentence(self, sent: SourceSentence) -> None:
        number = len(self.sentences)
        self.sentences.append(sent)
        for low in {t.low for t in sent.tokens}:
            self.index[low].append(number)
        self.words.update(t.text for t in sent.tokens)
        self.lowercase_words.update(t.text for t in sent.tokens if t.text.islower())
        texts = [t.text for t in sent.tokens]
        for size in (2, 3):
            for i in range(len(texts) - size + 1):
                phrase = " ".join(texts[i : i + size])
                if phrase.islower():
                    self.lowercase_phrases.add(phrase)

    def best_match(self, tokens: Sequence[Token], minimum: float = 0.6) -> SourceSentence | None:
        """The source sentence sharing most of these words, when it shares at least `minimum` of them."""
        wanted = {t.low for t in tokens}
        if len(wanted) < 3:
            return None
        counts: Counter[int] = Counter()
        for low in wanted:
            hits = self.index.get(low, [])
            if len(hits) <= 200:
                counts.update(hits)
        best, best_key = None, (0.0, 0.0)
        for number, shared in counts.items():
            sent = self.sentences[number]
            key = (shared / len(wanted), shared / max(len({t.low for t in sent.tokens}), 1))
            if key > best_key:
                best, best_key = sent, key
        if best is None or best_key[0] < minimum or best_key[0] * len(wanted) < 3:
            return None
        return best

    def verbatim(self, tokens: Sequence[Token]) -> bool:
        """Whether some source has these words in this order."""
        phrase = " " + " ".join(t.text for t in tokens) + " "
        return len(tokens) >= 3 and any(phrase in joined for joined in self.joined_as_written)

    @cached_property
    def name_words(self) -> dict[str, list[str]]:
        """The words of people's names in the sources (credited with a statement or given a title), by their
        first letter."""
        out: dict[str, list[str]] = defaultdict(list)
        for name in [*self.persons.values(), *self.honorific_names]:
            if org_like(name):
                continue
            for tok in tokenize(name):
                word = tok.text
                if (
                    len(word) >= 3
                    and word[:1].isupper()
                    and word not in NOT_NAMES
                    and tok.low not in TITLE_WORDS
                    and word.lower() not in self.lowercase_words
                    and word not in out[word[0]]
                ):
                    out[word[0]].append(word)
        return out

    def near_name(self, word: str) -> str:
        """The one name word of the sources spelled nearly as `word` (`text.spelled_alike`); '' when
        none or several are."""
        candidates = self.name_words.get(word[0], ())
        near = sorted(
            (OSA.distance(w, word), w) for w in candidates if spelled_alike(word, w) and not variant(w, word)
        )
        if not near or (len(near) > 1 and near[0][0] == near[1][0]):
            return ""
        return near[0][1]

    def speaker_of(self, sent: SourceSentence) -> str:
        """Who a source sentence is credited to by name, following a pronoun back to the last person named.

        A verb's speaker comes before an 'according to' (in 'According to pool reports, Obama said ...'
        Obama is the speaker); an organisation is no person's name.
        """
        credits = sorted(sent.credits, key=lambda c: c.verb == "according to")
        for credit in credits:
            if credit.kind == "pronoun" and credit.speaker.lower() in ("he", "she"):
                break
            if _a_person(credit):
                return credit.speaker
        else:
            return ""
        number = sent.position
        for back in range(number - 1, max(-1, number - 4), -1):
            earlier = self.sentences[back]
            if earlier.doc != sent.doc:
                break
            for credit in earlier.credits:
                if _a_person(credit):
                    return credit.speaker
        return ""

    def spelling_of(self, word: str) -> str | None:
        """A source word one or two letters away from `word`, when there is exactly one best."""
        if word in self.words or len(word) < 3:
            return None
        best = [
            w for w in self.words if w[:1].isupper() and w.lower() != word.lower() and spelled_alike(word, w)
        ]
        if not best:
            return None
        best.sort(key=lambda w: (OSA.distance(w, word), w))
        return best[0]


@dataclass(frozen=True)
class Known:
    """Names the article can be checked against: from the sources, and capitalised in the article itself."""

    names: dict[str, str]  # lowercased -> capitalised
    low_tokens: set[str]
    lowercase_phrases: set[str]  # written in lowercase in a source, so not names
    persons: dict[str, str] = field(default_factory=dict)  # the names among them that are people's

    @cached_property
    def by_last_word(self) -> dict[str, list[str]]:
        """Lowercased people's names of two or more words by their last word ('doyle' -> ['will doyle'])."""
        out: dict[str, list[str]] = defaultdict(list)
        for low in {*self.persons, *self.names}:
            words = [w.rstrip(".") for w in low.split()]
            if len(words) >= 2 and len(words[-1]) >= 3:
                out[words[-1]].append(" ".join(words))
        return out


def evident_persons(
    text: str, parsed: list[tuple[Sent, list[Credit]]], sources: Sources, known: Known
) -> dict[str, str]:
    """Names that are evidently people's: credited with a statement, titled, or set off by a title.

    A capitalised phrase is not enough ('Student Cup', 'Editorial Director'), nor a run of words the
    sources use as common words ('Sexual Assault').
    """
    candidates: dict[str, tuple[str, bool]] = {}
    for low, name in sources.persons.items():
        candidates[low] = (name, low in sources.credited)
    for name in titled_names(text):
        candidates.setdefault(name.lower(), (name, False))
    for _, credits in parsed:
        for credit in credits:
            low = credit.speaker.lower()
            if credit.kind != "name" or not person_like(credit.speaker) or org_like(credit.speaker):
                continue
            if credit.speaker[:1].isupper():
                candidates[low] = (credit.speaker, True)
            elif low in known.names:
                candidates[low] = (known.names[low], True)
    out: dict[str, str] = {}
    for low, (name, credited) in candidates.items():
        words = low.split()
        if all(w in TITLE_WORDS for w in words) or low in sources.lowercase_phrases:
            continue
        if not credited and (
            words[-1] in TITLE_WORDS | ORG_WORDS
            or all(w in sources.lowercase_words or w in FUNCTION_WORDS for w in words)
        ):
            continue
        out[low] = name
    return out


def known_names(text: str, sources: Sources) -> Known:
    names = dict(sources.people)
    for a, b in split_at_capitals(text):
        for name in capitalised_names(text[a:b]):
            names.setdefault(name.lower(), name)
    names = {low: name for low, name in names.items() if low not in sources.lowercase_phrases}
    low_tokens = {w for name in names for w in name.split() if w not in FUNCTION_WORDS and len(w) > 2}
    low_tokens -= {w.lower() for w in TITLE_WORDS | ORG_WORDS}
    return Known(names, low_tokens, sources.lowercase_phrases)


def source_spelling(sources: Sources, name: str) -> str:
    """The source's spelling of a name the sources do not contain as written, if one is close."""
    if not sources.sentences or name.lower() in sources.people:
        return ""
    fixed = []
    changed = False
    for word in name.split():
        spelled = sources.spelling_of(word)
        fixed.append(spelled or word)
        changed = changed or bool(spelled)
    candidate = " ".join(fixed)
    return candidate if changed and candidate.lower() in sources.people else ""


def in_sources(sources: Sources, name: str) -> bool:
    phrase = " " + " ".join(t.low for t in tokenize(name)) + " "
    return name.lower() in sources.people or any(phrase in joined for joined in sources.joined)


def _a_person(credit: Credit) -> bool:
    """A credit to a person named by name (not an organisation, not a pronoun)."""
    return (
        credit.kind == "name"
        and credit.speaker[:1].isupper()
        and person_like(credit.speaker)
        and not org_like(credit.speaker)
    )
