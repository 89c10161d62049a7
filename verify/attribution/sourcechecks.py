"""The rules against the sources: swapped or misspelled names, wrong speakers, titles, misquotes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

from rapidfuzz.distance import Levenshtein

from verify.attribution.credits import quote_spans
from verify.attribution.model import Credit, Findings, Sent, SourceSentence
from verify.attribution.sources import Known, Sources, in_sources, source_spelling
from verify.lexicon import FUNCTION_WORDS, NOT_NAMES, TITLE_WORDS, org_like, person_like
from verify.models import Document
from verify.text import Token, spelled_alike, tokenize


def check_against_sources(
    findings: Findings, sent: Sent, credits: list[Credit], sources: Sources, known: Known
) -> None:
    toks = tokenize(sent.text)
    if sources.verbatim(toks):
        return  # a sentence the source has word for word cannot garble it
    match = sources.best_match(toks)
    if match is not None:
        _diff_against(findings, sent, toks, credits, match, known)
    if credits:
        _check_credited_content(findings, sent, credits, sources)
    _check_near_names(findings, sent, toks, credits, sources)
    for credit in credits:
        if credit.kind != "name":
            continue
        start, end = sent.start + credit.speaker_start, sent.start + credit.speaker_end
        if findings.covers(start, end):
            continue
        _check_speaker_known(findings, credit, start, end, sources)
        _check_title(findings, sent, credit, sources)


def _diff_against(
    findings: Findings,
    sent: Sent,
    toks: list[Token],
    credits: list[Credit],
    match: SourceSentence,
    known: Known,
) -> None:
    """Word-level diff of a sentence against its source: case, glue, spelling and swapped names."""
    src = match.tokens
    ops = _opcodes(toks, src)
    speakers = [(c.speaker_start, c.speaker_end) for c in credits if c.kind in ("name", "description")]

    def on_speaker(i1: int, i2: int) -> bool:
        return any(toks[i1].start < e and s < toks[i2 - 1].end for s, e in speakers)

    def src_text(j1: int, j2: int) -> str:
        return match.text[src[j1].start : src[j2 - 1].end]

    for op, i1, i2, j1, j2 in ops:
        if op == "equal" and credits:
            _case_diffs(findings, sent, toks[i1:i2], src[j1:j2], j1, known)
            continue
        if op != "replace" or i2 - i1 > 5 or j2 - j1 > 6:
            continue
        if not credits:  # a sentence with no credit: only one person's name put for another's
            changes = sum(op != "equal" for op, *_ in ops)
            if changes == 1 and _person_for_person(toks[i1:i2], src[j1:j2], known):
                _swapped_name(findings, sent, toks[i1:i2], match, src[j1:j2])
            continue
        mine = sent.text[toks[i1].start : toks[i2 - 1].end]
        theirs = src_text(j1, j2)
        start, end = sent.start + toks[i1].start, sent.start + toks[i2 - 1].end
        if "".join(t.low for t in toks[i1:i2]) == "".join(t.low for t in src[j1:j2]):
            if findings.covers(start, end):
                continue
            findings.add(
                "glued-title",
                "error",
                f"'{mine}' runs words together; the source has '{theirs}'",
                start,
                end,
                theirs,
            )
            continue
        if not any(t.text[:1].isupper() for t in src[j1:j2]):
            continue
        pairs = zip(toks[i1:i2], src[j1:j2], strict=False)
        if i2 - i1 == j2 - j1 and all(_close(a.text, b.text) for a, b in pairs):
            if on_speaker(i1, i2):
                message = f"'{mine}' appears in no source; the source spells it '{theirs}'"
                findings.add("unknown-speaker", "error", message, start, end, theirs)
            else:
                findings.add(
                    "misspelled-name",
                    "warning",
                    f"'{mine}' is spelled '{theirs}' in the source",
                    start,
                    end,
                    theirs,
                )
            continue
        if not (_names_in(toks[i1:i2]) and _names_in(src[j1:j2])) or findings.covers(start, end):
            continue
        _other_name(findings, sent, toks[i1:i2], src[j1:j2], match, known, on_speaker(i1, i2))


def _person_for_person(mine: Sequence[Token], theirs: Sequence[Token], known: Known) -> bool:
    """Both sides are names only, and each a person's the texts know."""
    only_names = all(_names_in([t]) for t in [*mine, *theirs])
    return only_names and _known_person(mine, known) and _known_person(theirs, known)


def _other_name(
    findings: Findings,
    sent: Sent,
    mine_toks: Sequence[Token],
    src: Sequence[Token],
    match: SourceSentence,
    known: Known,
    speaking: bool,
) -> None:
    """Names in a credited sentence where its source has other names: misspelt, or someone else."""
    theirs = match.text[src[0].start : src[-1].end]
    spelled = [
        (a, b)
        for a in mine_toks
        for b in src
        if a.text[:1].isupper() and a.low != b.low and len(a.text) >= 4 and _close(a.text, b.text)
    ]
    if spelled:  # 'On Wednesday, Abernahty' for 'Abernathy': a misspelling inside a longer change
        a, b = spelled[0]
        message = f"'{a.text}' appears in no source; the source spells it '{b.text}'"
        findings.add(
            "unknown-speaker" if speaking else "misspelled-name",
            "error",
            message,
            sent.start + a.start,
            sent.start + a.end,
            b.text,
        )
        return
    named = [t for t in mine_toks if _names_in([t])]
    start, end = sent.start + named[0].start, sent.start + named[-1].end
    mine = sent.text[named[0].start : named[-1].end]
    credited = next(
        (
            c.speaker
            for c in match.credits
            if c.kind == "name" and c.speaker_start < src[-1].end and src[0].start < c.speaker_end
        ),
        "",
    )
    if speaking or credited:
        findings.add(
            "wrong-speaker",
            "error",
            f"the source credits this to {credited or theirs}, not to '{mine}'",
            start,
            end,
            credited or theirs,
        )
    elif _known_person(mine_toks, known) and _known_person(src, known):
        # a person's name in a credited sentence that its source gives as someone else's
        findings.add(
            "wrong-speaker", "error", f"the source names {theirs} here, not '{mine}'", start, end, theirs
        )


def _known_person(toks: Sequence[Token], known: Known) -> bool:
    """Whether these words are (the last word of) a person's name known from the sources or the article."""
    names = [t for t in toks if _names_in([t])]
    if not names:
        return False
    full = " ".join(t.text for t in names)
    return (
        full.lower() in known.persons
        or names[-1].low in known.by_last_word
        or (len(names) >= 2 and person_like(full) and not org_like(full))
    )


def _swapped_name(
    findings: Findings, sent: Sent, mine: Sequence[Token], match: SourceSentence, theirs: Sequence[Token]
) -> None:
    named = [t for t in mine if _names_in([t])]
    start, end = sent.start + named[0].start, sent.start + named[-1].end
    if findings.covers(start, end) or any(_close(a.text, b.text) for a in named for b in theirs):
        return
    name = sent.text[named[0].start : named[-1].end]
    source_name = match.text[theirs[0].start : theirs[-1].end]
    findings.add(
        "wrong-name", "error", f"the source names {source_name} here, not '{name}'", start, end, source_name
    )


def _names_in(toks: Sequence[Token]) -> bool:
    """Whether some words hold a capitalised name word ('Ben Carson', 'Kasich'), not 'He' or 'The'."""
    return any(t.text[:1].isupper() and t.text not in NOT_NAMES and t.low not in TITLE_WORDS for t in toks)


def _check_credited_content(findings: Findings, sent: Sent, credits: list[Credit], sources: Sources) -> None:
    """A named speaker whose statement the source gives to someone else, in other words.

    The statement's content is matched against the source's sentences; where the best match is credited
    there (by name, or by a pronoun standing for the last person named before it) to a person who shares
    no name with the article's speaker, the article has swapped the speakers.
    """
    for credit in credits:
        start, end = sent.start + credit.speaker_start, sent.start + credit.speaker_end
        if (
            credit.kind != "name"
            or not credit.speaker[:1].isupper()
            or not person_like(credit.speaker)
            or org_like(credit.speaker)
            or findings.covers(start, end)
        ):
            continue
        content = tokenize(credit.content)
        if len(content) < 5:
            continue
        match = sources.best_match(content, minimum=0.75)
        if match is None:
            continue
        theirs = sources.speaker_of(match)
        if not theirs or _same_person(theirs, credit.speaker):
            continue
        if source_spelling(sources, credit.speaker) or not in_sources(sources, credit.speaker):
            continue  # a misspelling, or someone the sources never name: other rules say so
        message = f"the source credits this to {theirs}, not to '{credit.speaker}'"
        findings.add("wrong-speaker", "error", message, start, end, theirs)


def _same_person(a: str, b: str) -> bool:
    """Whether two names share a name word ('Hillary Clinton' / 'Mrs. Clinton')."""
    words = {w.low for w in tokenize(a)} - TITLE_WORDS
    return bool(words & ({w.low for w in tokenize(b)} - TITLE_WORDS))


def _check_near_names(
    findings: Findings, sent: Sent, toks: Sequence[Token], credits: list[Credit], sources: Sources
) -> None:
    """A capitalised word no source has that is one or two letters off a person's name a source gives:
    a substitution, a dropped, added or transposed letter ('Liebermyan', 'Bekc' for 'Beck')."""
    speakers = [(c.speaker_start, c.speaker_end) for c in credits if c.kind == "name"]
    for tok in toks:
        word = tok.text
        if (
            len(word) < 4
            or not word[:1].isupper()
            or not word.isalpha()
            or word in sources.words
            or word in NOT_NAMES
            or word.lower() in sources.lowercase_words
        ):
            continue
        start, end = sent.start + tok.start, sent.start + tok.end
        if findings.covers(start, end):
            continue
        near = sources.near_name(word)
        if not near:
            continue
        credited = any(s <= tok.start < e for s, e in speakers)
        findings.add(
            "misspelled-name",
            "error" if credited else "warning",
            f"'{word}' is named nowhere in the sources; they name '{near}'",
            start,
            end,
            near,
        )


def _opcodes(mine: Sequence[Token], theirs: Sequence[Token]) -> Sequence[tuple[str, int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, [t.low for t in mine], [t.low for t in theirs], autojunk=False)
    return matcher.get_opcodes()


def _close(a: str, b: str) -> bool:
    return a.lower() == b.lower() or spelled_alike(b, a)


def _case_diffs(
    findings: Findings,
    sent: Sent,
    mine: Sequence[Token],
    theirs: Sequence[Token],
    first_index: int,
    known: Known,
) -> None:
    """A person's name written in lowercase where the source capitalises it mid-sentence.

    Only people's names count: a source that capitalises 'Student Cup' or 'Deputy Director' names an
    event or styles a title, and the article's lowercase is no garble.
    """
    person_words = [set(low.split()) for low in known.persons]
    group: list[tuple[Token, Token]] = []
    pairs: list[tuple[Token | None, Token | None]] = [*zip(mine, theirs, strict=True), (None, None)]
    for index, (a, b) in enumerate(pairs):
        lowered = (
            a is not None
            and b is not None
            and a.text != b.text
            and a.text == a.low
            and b.text[:1].isupper()
            and first_index + index > 0
            and a.low not in FUNCTION_WORDS
            and a.low not in TITLE_WORDS
        )
        if lowered and a is not None and b is not None:
            group.append((a, b))
            continue
        if group:
            start, end = sent.start + group[0][0].start, sent.start + group[-1][0].end
            found = sent.text[group[0][0].start : group[-1][0].end]
            fixed = " ".join(b.text for _, b in group) if " " in found else group[0][1].text
            lows = {b.low for _, b in group}
            if not findings.covers(start, end) and any(lows <= words for words in person_words):
                findings.add(
                    "lowercased-name",
                    "error",
                    f"'{found}' is capitalised '{fixed}' in the source",
                    start,
                    end,
                    fixed,
                )
            group = []


def _check_speaker_known(findings: Findings, credit: Credit, start: int, end: int, sources: Sources) -> None:
    speaker = credit.speaker
    if not speaker[:1].isupper() or not person_like(speaker) or org_like(speaker):
        return
    if speaker.lower() in sources.people or all(w.text in sources.words for w in tokenize(speaker)):
        return
    spelled = source_spelling(sources, speaker)
    if spelled:
        message = f"'{speaker}' appears in no source; the sources name '{spelled}'"
        findings.add("unknown-speaker", "error", message, start, end, spelled)
    elif len(speaker.split()) >= 2:
        findings.add("unknown-speaker", "warning", f"'{speaker}' is not named in any source", start, end)


def _check_title(findings: Findings, sent: Sent, credit: Credit, sources: Sources) -> None:
    """The article's title for a speaker against the titles the sources give the same person."""
    titles = sources.titles.get(credit.speaker.lower())
    if not credit.title or not titles:
        return
    if _same_title(credit.title, titles):
        return
    start = sent.start + credit.speaker_start
    findings.add(
        "title-mismatch",
        "warning",
        f"the article calls {credit.speaker} '{credit.title}'; the source says '{titles[0]}'",
        start,
        sent.start + credit.speaker_end,
        f"{credit.speaker}, {titles[0]}",
    )


def spoken_quotes(parsed: list[tuple[Sent, list[Credit]]], number: int) -> list[tuple[int, int]]:
    """The quotations of a sentence that someone is credited with saying.

    Quotation marks also set off titles of works, names and terms ('"Maiden Heaven: A Tribute to Iron
    Maiden"', '"the making, debating and exhibiting art"'); only a quotation credited to a speaker in
    its sentence, or left open there and credited in a later sentence of the paragraph, is speech.
    """
    sent, credits = parsed[number]
    spans = quote_spans(sent.text)
    speakers = [c for c in credits if c.verb != "according to" or c.kind == "name"]
    if speakers:
        return spans
    later = [
        c for other, cs in parsed[number + 1 : number + 4] if other.paragraph == sent.paragraph for c in cs
    ]
    open_ended = [(s, e) for s, e in spans if e == len(sent.text) and sent.text.rstrip()[-1:] not in '"”']
    return open_ended if later else []


def _title_like(words: Sequence[Token]) -> bool:
    """Headline case: 'Young Hollywood's Top Earning-Stars', 'Corpus of British Medieval Library
    Catalogues'."""
    content = [w for w in words[1:] if w.low not in FUNCTION_WORDS and not w.text[:1].isdigit()]
    capitalised = sum(w.text[:1].isupper() for w in content)
    return len(content) >= 1 and capitalised >= len(content) - (len(content) >= 5) and capitalised >= 1


def _title_terms(title: str) -> tuple[set[str], set[str]]:
    """A title's words (no function words) and the acronyms of its capitalised runs ('DNC')."""
    words = {w.low for w in tokenize(title)} - FUNCTION_WORDS - {"and", "&"}
    acronyms: set[str] = set()
    for run in re.finditer(r"[A-Z][\w'’\-]*(?:\s+(?:(?:of|for|and|the|on|&)\s+)*[A-Z][\w'’\-]*)+", title):
        initials = "".join(w[0] for w in run.group().split() if w[:1].isupper())
        acronyms.add(initials.lower())
    return words, acronyms


def _same_word(a: str, b: str) -> bool:
    """'chair' ~ 'chairman', 'organisation' ~ 'organization', 'director' ~ 'directors'."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and long.startswith(short):
        return True
    return len(short) >= 6 and Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _same_title(mine: str, titles: Sequence[str]) -> bool:
    """Whether the article's title for someone is one the sources give them, allowing for the way titles
    are reworded: function words ('chairman for' / 'chairman of'), acronyms ('the Democratic National
    Committee' / 'the DNC'), short forms ('chair') and spelling variants."""
    words, acronyms = _title_terms(mine)
    theirs: set[str] = set()
    their_acronyms: set[str] = set()
    for title in titles:
        w, a = _title_terms(title)
        theirs |= w
        their_acronyms |= a
    for acronym in acronyms & theirs:  # the article spells out what the source abbreviates
        for run in re.finditer(r"[A-Z][\w'’\-]*(?:\s+(?:(?:of|for|and|the|on|&)\s+)*[A-Z][\w'’\-]*)+", mine):
            if "".join(w[0] for w in run.group().split() if w[:1].isupper()).lower() == acronym:
                words -= {t.low for t in tokenize(run.group())}
    words -= their_acronyms  # ... or abbreviates what the source spells out
    return all(any(_same_word(w, t) for t in theirs) for w in words)


def check_misquotes(findings: Findings, sent: Sent, spoken: list[tuple[int, int]], sources: Sources) -> None:
    """Quotations of speech that are not word for word in any source."""
    for qs, qe in spoken:
        for piece in re.split(r"\[[^\]]*\]|…|\.\.\.", sent.text[qs:qe]):
            words = tokenize(piece)
            if len(words) < 4 or _title_like(words):
                continue
            phrase = " " + " ".join(w.low for w in words) + " "
            if any(phrase in joined for joined in sources.joined):
                continue
            match = sources.best_match(words, minimum=0.5)
            if match is None:
                continue
            offset = sent.text.index(piece, qs)
            start, end = sent.start + offset + words[0].start, sent.start + offset + words[-1].end
            findings.add(
                "misquote",
                "error",
                f"quotation differs from the source: {_word_diff(words, match.tokens)}",
                start,
                end,
                _aligned_source(words, match),
            )


def _word_diff(mine: Sequence[Token], theirs: Sequence[Token]) -> str:
    a, b = [t.low for t in mine], [t.low for t in theirs]
    parts: list[str] = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    inner = [op for op in ops if op[0] != "equal"]
    first = min((op[3] for op in ops if op[0] == "equal"), default=0)
    last = max((op[4] for op in ops if op[0] == "equal"), default=len(b))
    for op, i1, i2, j1, j2 in inner:
        if op == "insert" and (j2 <= first or j1 >= last):
            continue
        if i2 > i1:
            parts.append("-[" + " ".join(t.text for t in mine[i1:i2]) + "]")
        if j2 > j1 and first <= j1 < last:
            parts.append("+[" + " ".join(t.text for t in theirs[j1:j2]) + "]")
    return " ".join(parts) or "punctuation only"


def _aligned_source(words: Sequence[Token], match: SourceSentence) -> str:
    """The stretch of the source sentence that the quotation corresponds to."""
    ops = difflib.SequenceMatcher(
        None, [t.low for t in words], [t.low for t in match.tokens], autojunk=False
    ).get_matching_blocks()
    blocks = [b for b in ops if b.size]
    if not blocks:
        return match.text
    first, last = blocks[0].b, blocks[-1].b + blocks[-1].size - 1
    return match.text[match.tokens[first].start : match.tokens[last].end]


def check_second_hand(
    findings: Findings, sent: Sent, credits: list[Credit], sources: Sources, documents: Sequence[Document]
) -> None:
    """Credits to an outlet or body that is not itself among the sources."""
    for credit in credits:
        if credit.kind != "name" or not credit.speaker[:1].isupper():
            continue
        outlet = credit.verb in ("reported", "reports") or (
            credit.verb == "according to" and org_like(credit.speaker)
        )
        if not outlet or (credit.speaker.lower() in sources.people and not org_like(credit.speaker)):
            continue
        if _is_among(credit.speaker, documents) or _credited_by_a_source(credit.speaker, documents):
            continue
        start = sent.start + credit.speaker_start
        message = f"credited to {credit.speaker}, which is not among the sources; the claim is second-hand"
        findings.add("second-hand", "info", message, start, sent.start + credit.speaker_end)


def _credited_by_a_source(outlet: str, documents: Iterable[Document]) -> bool:
    """A source that itself names the outlet already carries the credit the article relays."""
    pattern = re.compile(rf"\b{re.escape(outlet)}\b", re.I)
    return any(pattern.search(doc.text) for doc in documents)


def _is_among(outlet: str, documents: Iterable[Document]) -> bool:
    key = re.sub(r"[^a-z0-9]", "", outlet.lower())
    words = [w.low for w in tokenize(outlet) if w.low not in FUNCTION_WORDS]
    for doc in documents:
        for url in (doc.label, doc.final_url):
            host = (urlparse(url).hostname or "") if url and "://" in url else ""
            host_key = re.sub(r"[^a-z0-9]", "", host.removeprefix("www.").rsplit(".", 1)[0])
            if host_key and (key in host_key or host_key in key):
                return True
        title = doc.title.lower()
        if title and words and all(re.search(rf"\b{re.escape(w)}\b", title) for w in words):
            return True
    return False
