"""The rules on the article alone: glued, lowercased, dangling and inconsistent names, missing speakers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from verify.attribution.model import Credit, Findings, Sent
from verify.attribution.names import is_name_token, name_run_before, plain, split_glue
from verify.attribution.sources import Known, Sources, in_sources, source_spelling
from verify.lexicon import (
    COMMON_SPEAKERS,
    FUNCTION_WORDS,
    NOT_NAMES,
    ORG_WORDS,
    PARTICLES,
    REPORTING_CUE,
    SINGULAR_DETERMINERS,
    THING_NOUNS,
    TITLE_WORDS,
    person_like,
)
from verify.text import Token, spelled_alike, tokenize


def check_glued(
    findings: Findings, sent: Sent, credits: list[Credit], sources: Sources, known: Known
) -> None:
    """'lynette tanCEO of X' -> 'Lynette Tan, CEO of X'; 'will doyleprofessor at Y', 'john mccallumCanada's
    ambassador': a known name run straight into whatever title follows it."""
    toks = tokenize(sent.text)
    for index, tok in enumerate(toks):
        if tok.text in sources.words:
            continue
        glue = split_glue(tok.text)
        to_name = None if glue else _glued_to_name(toks, index, known)
        if to_name:
            glue, first = to_name[:2], toks[to_name[2]]
            run_start = first.start
        elif glue:
            run_start, _ = name_run_before(
                sent.text,
                tok.start,
                known.low_tokens | {w.lower() for w in _lowercase_run(sent.text, tok.start)},
            )
        else:
            continue
        head, tail = glue
        name = (sent.text[run_start : tok.start] + head).strip()
        rest = re.match(r"[^,;.\"“”]*", sent.text[tok.start + len(head) :])
        title = rest.group().strip() if rest else tail
        fixed_name = known.names.get(name.lower(), _capitalise(name))
        start = sent.start + run_start
        message = f"the name '{name}' runs straight into the title '{tail}'"
        suggestion = f"{fixed_name}, {_shorten(title)}"
        their_titles = sources.titles.get(fixed_name.lower())
        if their_titles:
            message += f"; the source has '{fixed_name}, {their_titles[0]}'"
            suggestion = f"{fixed_name}, {their_titles[0]}"
        findings.add("glued-title", "error", message, start, sent.start + tok.end, suggestion)
        if name != fixed_name and name == name.lower():
            findings.add(
                "lowercased-name",
                "error",
                f"the name '{name}' is not capitalised",
                start,
                start + len(name),
                fixed_name,
            )
    for credit in credits:
        if credit.kind != "name":
            continue
        for tok in tokenize(credit.speaker):
            if tok.text in sources.words or not sources.words:
                continue
            base = re.match(r"(.+?)(a|an|the)$", tok.text)
            if base and base.group(1) in sources.words and base.group(1)[:1].isupper():
                start = sent.start + credit.speaker_start + tok.start
                nxt = re.match(r"\s*([^,;.\"“”]*)", sent.text[credit.speaker_start + tok.end :])
                title = f"{base.group(2)} {nxt.group(1).strip() if nxt else ''}".strip()
                name = credit.speaker[: tok.start] + base.group(1)
                findings.add(
                    "glued-title",
                    "error",
                    f"the name '{name}' runs straight into '{base.group(2)}'",
                    start,
                    start + len(tok.text),
                    f"{name}, {_shorten(title)}",
                )


def _glued_to_name(toks: Sequence[Token], index: int, known: Known) -> tuple[str, str, int] | None:
    """'doyleprofessor' after 'will' -> ('doyle', 'professor') when 'Will Doyle' is a known person's name.

    The word must start in lowercase, begin with the last word of a known name whose other words stand
    right before it, and run on into something: a capital ('mccallumCanada's') or any word.
    """
    tok = toks[index]
    if not tok.text[:1].islower() or index == 0:
        return None
    low = tok.low
    for cut in range(len(low) - 2, 1, -1):
        for name in known.by_last_word.get(low[:cut], ()):
            first = index
            while first > max(0, index - 3) and toks[first - 1].low.rstrip(".") in name.split()[:-1]:
                first -= 1
            if first < index and not low[cut:].startswith(("'", "’", "-")):
                return tok.text[:cut], tok.text[cut:], first
    return None


def _lowercase_run(text: str, end: int) -> list[str]:
    """Lowercase words right before a glued title: in 'lynette tanCEO' they are the name."""
    out: list[str] = []
    for tok in reversed(tokenize(text[:end])[-3:]):
        if (
            tok.text != tok.low
            or tok.low in FUNCTION_WORDS
            or tok.low in TITLE_WORDS
            or REPORTING_CUE.fullmatch(tok.text)
            or len(out) == 2
        ):
            break
        out.append(tok.text)
    return out


def _capitalise(name: str) -> str:
    return " ".join(w if w in PARTICLES else w[:1].upper() + w[1:] for w in name.split())


def _shorten(title: str, words: int = 6) -> str:
    parts = title.split()
    return " ".join(parts[:words])


def check_lowercased(findings: Findings, sent: Sent, credits: list[Credit], known: Known) -> None:
    """Lowercase forms of names that are capitalised elsewhere, and lowercase speakers."""
    toks = tokenize(sent.text)
    for size in (3, 2):
        for i in range(len(toks) - size + 1):
            window = toks[i : i + size]
            found = sent.text[window[0].start : window[-1].end]
            name = known.persons.get(found)
            if name is None or found != found.lower() or not all(w.text == w.low for w in window):
                continue
            start = sent.start + window[0].start
            if not findings.covers(start, start + len(found)):
                findings.add(
                    "lowercased-name",
                    "error",
                    f"the name '{found}' is not capitalised as '{name}'",
                    start,
                    start + len(found),
                    name,
                )
    for credit in credits:
        if (
            credit.kind == "name"
            and credit.speaker == credit.speaker.lower()
            and credit.inverted
            and len(credit.speaker.split()) >= 2
            and credit.speaker not in known.lowercase_phrases
            and not {w.low for w in tokenize(credit.speaker)} & TITLE_WORDS
        ):
            start = sent.start + credit.speaker_start
            if findings.covers(start, sent.start + credit.speaker_end):
                continue
            fixed = known.names.get(credit.speaker.lower(), _capitalise(credit.speaker))
            findings.add(
                "lowercased-name",
                "error",
                f"the speaker '{credit.speaker}' is written in lowercase",
                start,
                sent.start + credit.speaker_end,
                fixed,
            )


def _source_credit(sources: Sources, sentence: str, credit: Credit) -> tuple[str, str]:
    """Whom the source credits with what the sentence reports, and that as a hint for a message."""
    source = _credited_in_source(sources, sentence, credit)
    return source, f"; the source credits {source}" if source else ""


def check_missing_speaker(
    findings: Findings, sent: Sent, credits: list[Credit], sources: Sources, text: str
) -> None:
    for credit in credits:
        start = sent.start + credit.verb_start
        dropped = credit.kind == "none" and credit.verb != "according to"
        if dropped and _ends_clause(sent.text, credit.verb_end):
            source, hint = _source_credit(sources, sent.text, credit)
            findings.add(
                "missing-speaker",
                "error",
                f"'{credit.verb}' has no speaker{hint}",
                start,
                sent.start + credit.verb_end,
                f"{credit.verb} {source}" if source else "",
            )
        elif (
            credit.kind == "description"
            and re.search(r"\bas\s+$", sent.text[: credit.speaker_start], re.I)
            and _one_person(credit.speaker)
        ):
            who = re.sub(r"^\w+\s+", "", credit.speaker)
            if _named_with_title(text, who):
                continue
            source, hint = _source_credit(sources, sent.text, credit)
            findings.add(
                "missing-speaker",
                "warning",
                f"'{credit.speaker}' is never named in the article{hint}",
                sent.start + credit.speaker_start,
                sent.start + credit.speaker_end,
                f"{source}, {who}" if source else "",
            )


_ADVERBIAL = re.compile(
    r"\s+(?:on|in|at|last|this|earlier|later|yesterday|today|during|after|before|by|via|to|from|over|when)"
    r"\b[^,;:\"“”]{0,60}$"
)


def _ends_clause(text: str, verb_end: int) -> bool:
    """Whether the sentence stops after a verb that has no speaker: '..., said.', '..., said on Monday.'

    When more follows ('reports of blind humans date back', 'confirmed to have been a controlled flight
    into terrain, near ...'), the word is a noun or a participle, not a credit that lost its speaker.
    """
    rest = re.sub(r"[\s.!?\"”’')\]]+$", "", text[verb_end:])
    return not rest.strip(" ,:;—–") or bool(_ADVERBIAL.fullmatch(rest) and len(rest.split()) <= 8)


_PERSON_SUFFIX = re.compile(r"(?:er|or|ist|ian|man|woman|person|ent|ant|ive|ee|eer|ary|ier|ar|ess|ain)$")


def _one_person(description: str) -> bool:
    """'the deputy director', 'its chief executive': one unnamed person, not 'many attachés'."""
    words = [t.low for t in tokenize(description)]
    if len(words) < 2 or words[0] not in SINGULAR_DETERMINERS:
        return False
    head = words[1:]
    for i, w in enumerate(head):
        if w in ("of", "for", "at", "with", "from", "in", "on", "to", "who", "whose", "that", "which"):
            head = head[:i]
            break
    if not head:
        return False
    noun = head[-1].removesuffix("'s").removesuffix("’s")
    return noun in TITLE_WORDS or bool(
        _PERSON_SUFFIX.search(noun) and noun not in COMMON_SPEAKERS and noun not in THING_NOUNS
    )


def _named_with_title(text: str, title: str) -> bool:
    """Whether the article names someone with this title: 'Jane Roe, deputy director', 'director Jane Roe'."""
    name = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)+"
    head = re.escape(title.split()[-1]) if title.split() else ""
    if not head:
        return False
    return bool(
        re.search(rf"{name},\s+(?:the\s+|a\s+|an\s+)?[^,.]{{0,60}}\b{head}\b", text)
        or re.search(rf"\b{head}\s+{name}", text)
    )


def _credited_in_source(sources: Sources, text: str, credit: Credit) -> str:
    """Who the best-matching source sentence credits with this content, if anyone by name."""
    content = credit.content or text
    match = sources.best_match(tokenize(content)) if sources.sentences else None
    if match is None:
        return ""
    for other in match.credits:
        if other.kind == "name" and other.speaker[:1].isupper():
            return other.speaker
    return ""


def check_dangling(
    findings: Findings, parsed: list[tuple[Sent, list[Credit]]], sources: Sources, known: Known
) -> None:
    """A name standing alone ('Lin Ziqiang,'), most likely the speaker of a nearby 'As the X said'."""
    for number, (sent, _) in enumerate(parsed):
        bare = sent.text.strip()
        first_line = bare.split("\n", 1)[0].rstrip()
        if first_line != bare and first_line.endswith(","):
            bare = first_line  # 'Obama,' closing a line, and the next line's sentence run on after it
        m = re.fullmatch(r"((?:[\w'’\-]+\.?\s+){0,3}[\w'’\-]+)\s*(,?)\.?", bare)
        if not m:
            continue
        name = m.group(1)
        toks = tokenize(name)
        if not toks:  # punctuation alone ('--' closing an e-mail, a stray quote)
            continue
        single = m.group(2) and toks[0].text[:1].isupper() and toks[0].low in known.low_tokens
        if len(toks) == 1 and not single:
            continue  # one word alone is a name only when known as one and left hanging with its comma
        if not all(is_name_token(t.text, known.low_tokens) for t in toks) or toks[0].text in NOT_NAMES:
            continue
        if {t.low for t in toks} & (ORG_WORDS | TITLE_WORDS):
            continue
        alone = all(other.paragraph != sent.paragraph for j, (other, _) in enumerate(parsed) if j != number)
        linked = _nearby_description(parsed, number)
        if not m.group(2) and not (alone and linked and _one_person(linked[1].speaker)):
            continue
        start = sent.start + sent.text.index(name)
        spelled = source_spelling(sources, name)
        fixed = spelled or known.names.get(name.lower(), name)
        message = f"the name '{name}' stands alone and is attached to no statement"
        suggestion = ""
        if linked:
            other, credit = linked
            title = re.sub(r"^\w+\s+", "", credit.speaker)
            titles = sources.titles.get(fixed.lower())
            if titles:
                title = titles[0]
            line = findings.article.line_col(findings.article.raw_span(other.start, other.start + 1)[0])[0]
            message += f"; it is probably the speaker of '{credit.speaker} {credit.verb}' (line {line})"
            suggestion = f"As {fixed}, {title}, {credit.verb}"
        elif unspoken := _speakerless(parsed, number):
            other, credit = unspoken
            line = findings.article.line_col(findings.article.raw_span(other.start, other.start + 1)[0])[0]
            if credit.kind == "none":
                message += f"; it is probably the speaker of '{credit.verb}' (line {line}), which has none"
                suggestion = f"{credit.verb} {fixed}"
            else:
                credited = f"{credit.verb} {credit.speaker}"
                message += f"; it is probably '{credit.speaker}' in '{credited}' (line {line})"
                suggestion = f"{credit.verb} {fixed}, {credit.speaker}"
        elif spelled:
            suggestion = spelled
        if spelled:
            message += f"; the sources spell it '{spelled}'"
        findings.add("dangling-name", "error", message, start, start + len(name), suggestion)


def _nearby_description(parsed: list[tuple[Sent, list[Credit]]], number: int) -> tuple[Sent, Credit] | None:
    here = parsed[number][0].paragraph
    for j in range(number - 1, max(-1, number - 6), -1):
        sent, credits = parsed[j]
        if here - sent.paragraph > 2:
            break
        for credit in credits:
            introduced = re.search(r"\bas\s+$", sent.text[: credit.speaker_start], re.I)
            if credit.kind == "description" and introduced:
                return sent, credit
    return None


def _speakerless(parsed: list[tuple[Sent, list[Credit]]], number: int) -> tuple[Sent, Credit] | None:
    """The nearest earlier credit of the same paragraph that lost its speaker ('..., said.') or kept only
    a description of one ('..., said the ambassador.')."""
    here = parsed[number][0].paragraph
    for j in range(number - 1, max(-1, number - 8), -1):
        sent, credits = parsed[j]
        if sent.paragraph != here:
            break
        for credit in credits:
            if credit.verb != "according to" and (
                credit.kind == "none"
                or (credit.kind == "description" and credit.inverted and _one_person(credit.speaker))
            ):
                return sent, credit
    return None


def check_inconsistent(findings: Findings, text: str, sources: Sources) -> None:
    """Two spellings of what is evidently one person's name in the same article."""
    mentions: list[tuple[str, int]] = []
    for m in re.finditer(r"\b([A-Z][a-z][\w'’\-]*(?:[ \t]+[A-Z][a-z][\w'’\-]*){1,2})\b", text):
        name = re.sub(r"['’]s?$", "", m.group(1))
        if re.search(r"\d|[a-z][A-Z]", name):
            continue  # 'Astle4', 'CelebrationThe': page furniture, not a spelling
        if name.split()[0] not in NOT_NAMES and person_like(name):
            mentions.append((name, m.start()))
    forms = list(dict.fromkeys(name for name, _ in mentions))
    for i, a in enumerate(forms):
        for b in forms[i + 1 :]:
            wa, wb = a.split(), b.split()
            if len(wa) != len(wb):
                continue
            diffs = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
            if len(diffs) != 1:
                continue
            x, y = diffs[0]
            if x.lower() == y.lower() or len(x) < 4 or not spelled_alike(x, y):
                continue
            if plain(x).rstrip("s") == plain(y).rstrip("s"):
                continue  # 'Bahía' / 'Bahia', 'Summit' / 'Summits': one name, written two accepted ways
            odd = b
            if sources.sentences:
                known_a, known_b = in_sources(sources, a), in_sources(sources, b)
                if known_a == known_b:
                    continue  # both in the sources (two people) or neither (nothing to prefer)
                odd = a if known_b else b
            good = a if odd == b else b
            for name, pos in mentions:
                if name == odd:
                    message = f"'{odd}' is also written '{good}' in this article"
                    findings.add("inconsistent-name", "warning", message, pos, pos + len(name), good)
