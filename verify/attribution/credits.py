"""Finding who is credited: reporting cues, their speakers, titles and what they are credited with."""

from __future__ import annotations

import re

from verify.attribution.model import Credit
from verify.attribution.names import (
    NAME_AT,
    name_run_after,
    name_run_before,
    split_glue,
    strip_titles,
)
from verify.lexicon import (
    BETWEEN_SPEAKER_AND_VERB,
    COMMON_SPEAKERS,
    DETERMINERS,
    NOT_NAMES,
    NOUN_FORMS,
    PARTICIPLES,
    PREPOSITIONS,
    PRONOUNS,
    REPORTING_CUE,
    TITLE_WORDS,
    org_like,
    person_like,
)
from verify.text import tokenize


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks; an unmatched mark runs to the sentence's edge."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    first = True
    for m in re.finditer(r"[\"“”]|''", text):
        ch, i = m.group(), m.start()
        if ch == "''":  # two apostrophes stand for a straight double quote in some newswires
            ch = '"'
            i += 1
        if ch == '"':
            closes_first = first and i > 0 and not text[i - 1].isspace() and text[i + 1 : i + 2] in ("", " ")
            opening = open_at is None and not closes_first
        else:
            opening = ch == "“"
        first = False
        if opening and open_at is None:
            open_at = i + 1
        elif not opening:
            spans.append((open_at if open_at is not None else 0, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans


_APPOSITIVE = re.compile(
    r"(?P<name>(?:[A-Z][\w'’\-]*\.?\s+)*[A-Z][\w'’\-]*),\s+(?P<title>[^,\"“”;]{2,160}?),\s*$"
)


# '..., Sky's chief executive, Jeremy Darroch, said': a name set off by commas right before the verb
_NAME_APPOSITION = re.compile(
    r"\S[^,]*,\s+(?:(?:[Tt]he\s+)?(?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*['’]s\s+)?(?P<name>[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’\-]+|(?:van|von|de|da|di|del|bin|al)(?=\s))){1,3}),"
    r"\s*$"
)


_QUOTE_CLOSE = r"(?:[,:;\"”’—–]|''|\bas)\s*$"


# a sentence's subject, then an aside set off by commas: 'A citizen, whose name is redacted, wrote'
_SUBJECT_ASIDE = re.compile(r"^\s*(?P<subject>[^,\"“”]{2,80}?),\s+(?P<aside>[^\"“”]{2,200}?),\s*$")


_PARTY_TAG = re.compile(r"\s*\((?:[RDI]|[A-Z][a-z]{0,3}\.?)-[^()]{1,25}\)\s*,?\s*$")


def parse_credits(text: str, low_known: set[str]) -> list[Credit]:
    """Find the credits (reporting verbs, 'according to') of one sentence, outside quotations."""
    quotes = quote_spans(text)
    credits: list[Credit] = []
    for m in REPORTING_CUE.finditer(text):
        if any(s <= m.start() < e for s, e in quotes):
            continue
        credit = Credit(verb=re.sub(r"\s+", " ", m.group().lower()), verb_start=m.start(), verb_end=m.end())
        prefix = text[: m.start()]
        if credit.verb in NOUN_FORMS and _noun_use(text, m.start(), m.end()):
            continue
        if credit.verb in PARTICIPLES:
            if not _participle_credit(credit, text, credits, low_known):
                continue
        elif credit.verb == "according to":
            _speaker_after(credit, text, low_known)
            content_end = len(prefix.rstrip(" ,"))
            _set_content(credit, text, 0, content_end)
            if not prefix.strip(" ,"):
                _set_content(credit, text, _clause_end(text, credit.speaker_end), len(text))
        elif (
            (appos := _APPOSITIVE.search(prefix))
            and person_like(appos.group("name"))
            and (len(appos.group("title")) <= 100 or _titled(appos.group("title")))
        ):
            credit.speaker, credit.kind = appos.group("name"), "name"
            credit.speaker_start, credit.speaker_end = appos.start("name"), appos.end("name")
            _set_title(credit, appos.group("title"))
            _set_content(credit, text, m.end(), len(text))
        elif (
            (named := _NAME_APPOSITION.search(prefix))
            and named.group("name").split()[0] not in NOT_NAMES
            and person_like(named.group("name"))
            and not org_like(named.group("name"))
        ):
            credit.speaker, credit.kind = named.group("name"), "name"
            credit.speaker_start, credit.speaker_end = named.start("name"), named.end("name")
            _set_content(credit, text, m.end(), len(text))
        elif _subject_aside(credit, text, prefix, low_known):
            _set_content(credit, text, m.end(), len(text))
        elif re.search(_QUOTE_CLOSE, prefix, re.I) or not prefix.strip():
            if credit.verb in ("told", "tells"):
                continue  # what follows 'told' is the listener, not the speaker
            credit.inverted = True
            _speaker_after(credit, text, low_known)
            if credit.kind == "none" and re.search(r"\bas\s*$", prefix, re.I):
                continue  # as noted above
            _set_content(credit, text, 0, len(prefix.rstrip(" ,\"”’':;—–")) if prefix.strip() else 0)
            if not prefix.strip():
                _set_content(credit, text, _clause_end(text, credit.speaker_end), len(text))
        else:
            _speaker_before(credit, text, low_known)
            if credit.kind == "none":
                continue
            _set_content(credit, text, m.end(), len(text))
            if not credit.content:  # '"...," Jane Roe said.'
                _set_content(credit, text, 0, credit.speaker_start - len(credit.title))
        credit.quote = any(
            credit.content_start <= s < credit.content_end or s <= credit.content_start < e for s, e in quotes
        ) and bool(quotes)
        credits.append(credit)
    return credits


def _participle_credit(credit: Credit, text: str, earlier: list[Credit], low_known: set[str]) -> bool:
    """'Roe compared herself to Doe, saying ...': an -ing cue credits its sentence's subject.

    After an auxiliary ('Roe was saying') the subject stands right before it; anywhere else ('the
    reporting', 'by saying') the -ing form is no credit of its own.
    """
    prefix = text[: credit.verb_start]
    if re.search(r"(?:,|\b(?:while|after|before|when|by))\s*$", prefix):
        named = [c for c in earlier if c.kind in ("name", "description", "pronoun")]
        if named:
            first = named[0]
            credit.speaker, credit.kind, credit.title = first.speaker, first.kind, first.title
            credit.speaker_start, credit.speaker_end = first.speaker_start, first.speaker_end
        elif not _sentence_subject(credit, text, low_known):
            return False
    elif re.search(r"\b(?:is|was|were|are|been|be|keeps|kept|started|began)\s+$", prefix):
        _speaker_before(credit, text, low_known)
        if credit.kind == "none":
            return False
    else:
        return False
    _set_content(credit, text, credit.verb_end, len(text))
    return True


def _sentence_subject(credit: Credit, text: str, low_known: set[str]) -> bool:
    """The subject heading a sentence, after any opening phrase ('On Thursday, after the vote, Roe ...')."""
    pos = 0
    for _ in range(3):
        opening = re.match(
            r"\s*(?:[\"“‘']|(?:On|In|At|After|Before|When|While|As|Although|Despite|During"
            r"|Since|Earlier|Later|Last|This|But|And|Yet|Still|However)\b)[^,]{0,120},\s*",
            text[pos:],
        )
        if not opening or pos + opening.end() >= credit.verb_start:
            break
        pos += opening.end()
    start = pos + len(text[pos:]) - len(text[pos:].lstrip())
    s, e = name_run_after(text, start, low_known)
    if e > s and e < credit.verb_start:
        s, e, title = strip_titles(text, s, e)
        credit.speaker, credit.speaker_start, credit.speaker_end, credit.kind = text[s:e], s, e, "name"
        credit.title = title
        return True
    first = tokenize(text[start : credit.verb_start])[:1]
    if first and first[0].low in PRONOUNS - {"who", "which", "that", "this"}:
        tok = first[0]
        credit.speaker, credit.kind = tok.text, "pronoun"
        credit.speaker_start, credit.speaker_end = start + tok.start, start + tok.end
        return True
    return False


def _subject_aside(credit: Credit, text: str, prefix: str, low_known: set[str]) -> bool:
    """'A citizen, whose name is redacted, wrote that ...': the speaker is the subject before the aside.

    Only where nothing after the verb could be its speaker ('..., said Jane Roe' is inverted).
    """
    prefix = text[: _skip_between(text, credit.verb_start)]  # 'Roe, the CEO, has said'
    clause = re.split(r"[\"”“]|''", prefix)[-1]
    aside = _SUBJECT_ASIDE.match(clause)
    if not aside:
        return False
    after = text[credit.verb_end :]
    if re.match(r"\s+(?:[A-Z]|(?:the|a|an|his|her|its|their)\s)", after):
        return False
    offset = len(prefix) - len(clause)
    end = offset + aside.end("subject")
    probe = Credit(verb=credit.verb, verb_start=end, verb_end=end)
    _speaker_before(probe, text, low_known)
    if probe.kind == "none" or probe.speaker_start < offset:
        return False
    credit.speaker, credit.kind, credit.title = probe.speaker, probe.kind, probe.title
    credit.speaker_start, credit.speaker_end = probe.speaker_start, probe.speaker_end
    if not credit.title and _titled(aside.group("aside")):
        _set_title(credit, aside.group("aside"))
    return True


def _noun_use(text: str, verb_start: int, verb_end: int) -> bool:
    """Whether a verb form that is also a noun ('reports', 'states') is used as the noun.

    After a determiner, a number, a preposition or a possessive it is a noun ('20 different states',
    'his remarks', 'Trump's claims'); after a name or 'he' it is a verb; after another word it is a
    verb only when it introduces what was said ('the report states that', 'the memo notes:').
    Set off by punctuation it is an inverted credit when a speaker follows (', reports FT.').
    """
    rest = text[verb_end:]
    before = tokenize(text[:verb_start])
    gap = text[before[-1].end : verb_start] if before else ""
    if not before or gap.strip():
        if not re.search(r"[,:;—–]", gap):
            return True  # 'all her ''work-related'' emails.': no clause break, so no inverted credit
        if re.match(r"\s*(?:$|[,.;:!?\"“”'’—–(])|\s+that\b", rest):
            return False
        speaker = r"\s+(?:[A-Z][\w'’\-]*|the\s+\w+|an?\s+\w+)(?:\s+[A-Z][\w'’\-]*)*\s*(?:$|[,.;:!?—–(])"
        return not re.match(speaker, rest)
    prev = before[-1]
    if (
        prev.low in DETERMINERS
        or prev.low in PREPOSITIONS
        or prev.text[:1].isdigit()
        or re.search(r"['’]s?$", prev.text)
    ):
        return True
    if prev.low in ("he", "she", "it", "who", "which", "that") or (
        prev.text[:1].isupper() and prev.text not in NOT_NAMES
    ):
        return False
    return not re.match(r"\s*(?::|[\"“]|\s+that\b)", rest)


def _titled(description: str) -> bool:
    """Whether a description opens like a person's title: 'a heftily built time trial specialist who ...'."""
    words = [t.low for t in tokenize(description)[:6]]
    return bool(words) and (words[0] in ("a", "an", "the") or bool(set(words) & TITLE_WORDS))


def _clause_end(text: str, pos: int) -> int:
    m = re.search(r"[,:;]\s*", text[pos:])
    return pos + m.end() if m else pos


def _set_content(credit: Credit, text: str, start: int, end: int) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip(" ,:;\"“”'—–"))
    if piece[lead:].lower().startswith("that "):
        lead += 5
    trail = len(piece.rstrip(" ,.:;\"“”'—–"))
    start, end = start + lead, start + max(trail, lead)
    credit.content, credit.content_start, credit.content_end = text[start:end], start, end


def _set_title(credit: Credit, title: str) -> None:
    title = re.sub(r"^(?:the|a|an)\s+", "", title.strip(), flags=re.I)
    org = re.search(r"\b(?:of|at|for|with)\s+(?:the\s+)?(.+)$", title)
    credit.title = title
    credit.organisation = org.group(1).strip(" .") if org else ""


def _official_after(text: str, pos: int) -> tuple[int, int] | None:
    """The name of the official in '[Department] of Conservation and Recreation Commissioner Leo Roy'."""
    clause = re.match(r"\s+(?:of|for|at)\s+[^,;.\"“”()]{0,80}", text[pos:])
    if not clause:
        return None
    for tok in tokenize(clause.group()):
        if tok.low in TITLE_WORDS:
            m = NAME_AT.match(text, pos + tok.end + 1)
            if m and text[pos + tok.end] == " " and person_like(m.group()) and not org_like(m.group()):
                return m.start(), m.end()
    return None


def _speaker_after(credit: Credit, text: str, low_known: set[str]) -> None:
    """Speaker of '..., said Jane Roe, chief of X.' or 'according to Jane Roe'."""
    start = credit.verb_end
    rest = text[start:]
    clause = re.match(r"\s*([^,.;:!?\"“”()]*)", rest)
    chunk = clause.group(1) if clause else ""
    words = [t.low for t in tokenize(chunk)]
    s, e = name_run_after(text, start, low_known)
    if e > s:
        s, e, title = strip_titles(text, s, e)
        official = _official_after(text, e) if org_like(text[s:e]) else None
        if official:  # 'according to Department of Conservation and Recreation Commissioner Leo Roy'
            title = text[s : official[0]].strip()
            s, e = official
        glued = split_glue(tokenize(text[s:e])[-1].text)
        if glued:
            e -= len(glued[1])
        credit.speaker, credit.speaker_start, credit.speaker_end, credit.kind = text[s:e], s, e, "name"
        after = text[e:]
        if glued:
            tail = re.match(r"[^,;\"“”()]*?(?=,|;|\.?$|\.\s)", after)
            _set_title(credit, tail.group() if tail else glued[1])
            return
        appos = re.match(r",\s+([^,;\"“”()]{2,100}?)\s*(?:[,;]|\.?$|\.\s)", after)
        tail = re.match(r"\s+((?:at|of|from|with)\s+[^,;.\"“”()]{2,80})", after)
        if appos:
            _set_title(credit, appos.group(1))
        elif tail:
            _set_title(credit, tail.group(1))
        if title:
            credit.title = f"{title} {credit.title}".strip()
        return
    if not words:
        credit.kind = "none"
        credit.speaker_start = credit.speaker_end = start
        return
    offset = start + (clause.start(1) if clause else 0)
    glue_tok = next((t for t in tokenize(chunk) if split_glue(t.text)), None)
    if glue_tok is not None and len(tokenize(chunk[: glue_tok.start])) <= 3:
        head = (split_glue(glue_tok.text) or ("", ""))[0]
        credit.speaker, credit.kind = chunk[: glue_tok.start] + head, "name"
        credit.speaker_start, credit.speaker_end = offset, offset + glue_tok.start + len(head)
        _set_title(credit, chunk[glue_tok.start + len(head) :].strip())
        return
    if words[0] in PRONOUNS and not (words[0] == "that" and len(words) > 1):
        credit.kind = "pronoun"
    elif words[0] in PREPOSITIONS or words[0] in ("that", "whether", "how", "what", "why"):
        credit.kind = "none"  # 'wrote that ...', 'said on Monday': content or a circumstance, no speaker
        credit.speaker_start = credit.speaker_end = start
        return
    elif words[0] in DETERMINERS:
        credit.kind = "description"
    elif 2 <= len(words) <= 3 and not set(words) & COMMON_SPEAKERS and all(w.isalpha() for w in words):
        credit.kind = "name"  # an all-lowercase name closing its clause ('said alec scheiner.')
    else:
        credit.kind = "description"
    credit.speaker = chunk.strip()
    credit.speaker_start = offset
    credit.speaker_end = offset + len(chunk.rstrip())


def _skip_between(text: str, end: int) -> int:
    """Back over what may stand between a speaker and the verb: 'Roe (R-Texas) had previously said'."""
    for _ in range(6):
        end = len(text[:end].rstrip(" "))
        party = _PARTY_TAG.search(text, 0, end)
        if party:
            end = party.start()
            continue
        last = re.search(r"[\w'’]+$", text[:end])
        if not last or end - last.start() == 0:
            break
        word = last.group().lower()
        adverb = word.endswith("ly") and len(word) > 4 and last.group().islower()
        if word not in BETWEEN_SPEAKER_AND_VERB and not adverb:
            break
        end = last.start()
    return len(text[:end].rstrip(" "))


def _speaker_before(credit: Credit, text: str, low_known: set[str]) -> None:
    """Speaker of 'Jane Roe said ...', 'As the deputy director said, ...' or 'he said'."""
    end = _skip_between(text, credit.verb_start)
    if re.search(r"\b(?:and|but|then)$", text[:end]) and _sentence_subject(credit, text, low_known):
        return  # 'Roe rejected the idea and said ...': the subject of the first verb
    s, e = name_run_before(text, end, low_known)
    if e > s:
        s, e, title = strip_titles(text, s, e)
        credit.speaker, credit.speaker_start, credit.speaker_end, credit.kind = text[s:e], s, e, "name"
        lead = re.search(r"((?:[\w'’\-.]+\s+){1,5})$", text[: s - len(title) - (1 if title else 0)] or "")
        words = lead.group(1).split() if lead else []
        titled = [w for w in words if w.lower().strip(".'’s") in TITLE_WORDS]
        if titled and not title:
            first = next(i for i, w in enumerate(words) if w.lower().strip(".'’s") in TITLE_WORDS)
            title = " ".join(words[max(0, first - 2) :])
        credit.title = title
        return
    before = tokenize(text[:end])
    if not before:
        return
    if before[-1].low in PRONOUNS:
        tok = before[-1]
        credit.speaker, credit.kind = tok.text, "pronoun"
        credit.speaker_start, credit.speaker_end = tok.start, tok.end
        return
    for back in range(1, min(8, len(before)) + 1):
        tok = before[-back]
        if tok.low in DETERMINERS:
            credit.speaker = text[tok.start : end]
            credit.speaker_start, credit.speaker_end, credit.kind = tok.start, end, "description"
            credit.title = re.sub(r"^\w+\s+", "", credit.speaker)
            return
        if text[tok.end : before[-back + 1].start if back > 1 else end].strip(" ") not in ("", "'s", "’s"):
            break
