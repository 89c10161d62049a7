"""Attribution checks: who the article credits with what, and whether its sources agree.

Everything here is rule-based so an editor can follow why a finding was raised:
reporting verbs and quotation marks locate the credits, the names found in the source
pages act as the dictionary, and a word-level diff against the best-matching source
sentence tells a misspelled, lowercased, glued or swapped name apart.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlparse

from rapidfuzz.distance import Levenshtein

from verify.models import Article, Attribution, Document, Finding, Severity

_VERB = re.compile(
    r"\b(?:[Aa]ccording to|said|says|told|tells|added|adds|noted|notes|stated|states|reported|reports"
    r"|explained|explains|wrote|writes|announced|recalled|insisted|warned|argued|claimed|commented"
    r"|remarked|acknowledged|confirmed)\b"
)
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\S(?:[^\n]|\n(?![ \t]*(?:\n|$)))*")
_CAMEL_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NAME_RUN = re.compile(r"\b([A-Z][a-z][\w\-]*(?:['’][A-Za-z][\w\-]*)?(?:\s+[A-Z][a-z][\w'’\-]*){1,2})\b")

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gov", "sen", "rep", "st", "jr", "sr", "gen", "lt", "col", "capt",
    "sgt", "dist", "atty", "ald", "inc", "ltd", "co", "corp", "no", "vs", "etc", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "calif", "mass", "fla", "ill", "pa", "va",
    "wash", "rev", "hon", "u.s", "u.k", "e.g", "i.e", "mt", "ft", "approx", "dept", "univ", "pte",
}
TITLE_WORDS = {
    "ceo", "cfo", "coo", "cto", "chief", "senior", "executive", "president", "vice", "director", "head",
    "founder", "co-founder", "cofounder", "chairman", "chairwoman", "chair", "minister", "secretary",
    "professor", "prof", "manager", "spokesman", "spokeswoman", "spokesperson", "deputy", "governor", "gov",
    "senator", "sen", "rep", "representative", "mayor", "commissioner", "officer", "general", "gen",
    "coach", "captain", "judge", "dr", "mr", "mrs", "ms", "sir", "dame", "lord", "lady", "ambassador",
    "superintendent", "attorney", "atty", "dist", "ald", "alderman", "councilman", "councilwoman",
    "sheriff", "detective", "inspector", "editor", "analyst", "economist", "chancellor", "dean",
    "principal", "partner", "lawyer", "leader", "premier", "king", "queen", "prince", "princess", "pastor",
    "rabbi", "bishop", "father", "congressman", "congresswoman", "former", "acting", "interim", "assistant",
    "associate", "managing", "board", "member", "owner", "producer", "drummer", "singer", "guitarist",
    "striker", "midfielder", "defender", "goalkeeper", "historian",
}
ORG_WORDS = {
    "agency", "association", "authority", "administration", "bank", "board", "bureau", "center", "centre",
    "college", "commission", "committee", "company", "corp", "corporation", "council", "court",
    "department", "foundation", "government", "group", "inc", "institute", "journal", "league", "ltd",
    "magazine", "media", "ministry", "monitor", "network", "news", "newspaper", "office", "organization",
    "organisation", "party", "police", "post", "press", "reuters", "service", "society", "survey", "team",
    "times", "tribune", "union", "university", "bloomberg", "herald", "gazette", "telegraph", "guardian",
    "observer", "daily", "weekly", "radio", "television", "tv", "channel", "report", "research",
    "statistics", "data", "fund", "pte", "llc", "plc", "gmbh", "partners", "capital", "securities",
    "holdings", "associated", "xinhua", "wire",
}
OUTLETS = {
    "bloomberg", "reuters", "xinhua", "afp", "ap", "cnn", "bbc", "cnbc", "nbc", "cbs", "abc", "axios",
    "politico", "forbes", "fortune", "wsj", "nyt", "ft", "caixin", "nikkei", "yonhap", "tass", "dpa",
}
PRONOUNS = {
    "he", "she", "they", "it", "we", "i", "you", "who", "which", "this", "that", "one", "someone",
}
DETERMINERS = {
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "one", "some", "another", "two",
    "three", "several", "many", "both", "each", "this", "that", "these", "those",
}
PREPOSITIONS = {
    "in", "on", "at", "by", "of", "to", "from", "with", "during", "after", "before", "last", "this", "that",
    "earlier", "later", "today", "yesterday", "recently", "previously", "also", "then", "when", "while",
    "as", "and", "but", "so", "about", "over", "through", "via", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "for", "if", "not", "there", "here",
}
COMMON_SPEAKERS = {
    "police", "officials", "official", "analysts", "experts", "sources", "residents", "witnesses",
    "authorities", "people", "investigators", "prosecutors", "researchers", "scientists", "observers",
    "critics", "officers", "organizers", "organisers", "reports", "media", "staff", "spokesman",
    "spokeswoman", "spokesperson", "others", "fans", "doctors", "lawyers", "students", "parents",
    "teachers", "neighbors", "neighbours", "friends", "family", "relatives", "everyone",
}
NOT_NAMES = {
    "The", "A", "An", "This", "That", "These", "Those", "But", "And", "Or", "In", "On", "At", "For", "From",
    "To", "Of", "With", "By", "As", "If", "When", "While", "After", "Before", "Since", "Although", "Though",
    "However", "He", "She", "They", "It", "We", "I", "You", "His", "Her", "Their", "Its", "Our", "My",
    "Your", "There", "Here", "What", "Who", "Why", "How", "Where", "Then", "Now", "So", "Yet", "Also",
    "Still", "Meanwhile", "Despite", "During", "Earlier", "Later", "Last", "Next", "According", "Some",
    "Many", "Most", "All", "Each", "Both", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Like", "Unlike", "Even", "Not", "No", "Yes", "Only",
    "Just", "Speaking", "Photo", "Source", "Read", "See", "Additionally", "Moreover", "Furthermore",
    "Instead",
}
PARTICLES = {
    "van", "von", "de", "der", "den", "da", "di", "del", "della", "la", "le", "du", "bin", "al", "ibn",
    "dos", "das", "ter", "mac",
}
VERB_FORMS = {
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did", "will", "would",
    "can", "could", "should", "may", "might", "must", "like",
}
FUNCTION_WORDS = DETERMINERS | PRONOUNS | PREPOSITIONS | VERB_FORMS


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int  # offsets into the string the token was taken from
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class _Sent:
    text: str
    start: int  # offset of text[0] in the containing text
    paragraph: int


@dataclass
class _Credit:
    """One credit found in a sentence; offsets are relative to the sentence."""

    verb: str
    verb_start: int
    verb_end: int
    speaker: str = ""
    speaker_start: int = 0
    speaker_end: int = 0
    kind: str = "none"  # name | description | pronoun | none
    content: str = ""
    content_start: int = 0
    content_end: int = 0
    title: str = ""
    organisation: str = ""
    quote: bool = False
    inverted: bool = False  # the verb comes before the speaker: '"...," said Jane Roe'


@dataclass(frozen=True)
class _SourceSentence:
    doc: int
    text: str
    tokens: tuple[_Tok, ...]
    credits: tuple[_Credit, ...]


class _Findings:
    """Collects findings, keeping only the first of a rule at the same place."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.items: list[Finding] = []
        self._seen: set[tuple[str, int, int]] = set()
        self._flagged: list[tuple[int, int]] = []

    def add(self, rule: str, severity: Severity, message: str, start: int, end: int,
            suggestion: str = "") -> None:
        key = (rule, start, end)
        if key in self._seen:
            return
        self._seen.add(key)
        self._flagged.append((start, end))
        raw_start, raw_end = self.article.raw_span(start, max(end, start + 1))
        if end <= start:
            raw_end = raw_start
        line, column = self.article.line_col(raw_start)
        self.items.append(Finding(f"attribution.{rule}", severity, message, raw_start, raw_end, line, column,
                                  suggestion=suggestion))

    def covers(self, start: int, end: int) -> bool:
        """True when some finding already points at (part of) this span."""
        return any(s < end and start < e for s, e in self._flagged)


def find_attributions(
    article: Article, documents: Sequence[Document]
) -> tuple[list[Attribution], list[Finding]]:
    """Find every credit in the article and the problems with it, in the sources' light when given."""
    text = article.text
    sentences = _article_sentences(text)
    sources = _Sources(documents)
    known = _known_names(text, sources)
    findings = _Findings(article)
    attributions: list[Attribution] = []
    parsed: list[tuple[_Sent, list[_Credit]]] = []
    for sent in sentences:
        credits = _parse_credits(sent.text, known.low_tokens)
        parsed.append((sent, credits))
        for credit in credits:
            attributions.append(_to_attribution(article, sent, credit))
    known = replace(known, persons=_persons(text, parsed, sources, known))

    for sent, credits in parsed:
        _check_glued(findings, sent, credits, sources, known)
        _check_lowercased(findings, sent, credits, known)
        _check_missing_speaker(findings, sent, credits, sources, text)
    _check_dangling(findings, parsed, sources, known)
    _check_inconsistent(findings, text, sources)
    if documents:
        for number, (sent, credits) in enumerate(parsed):
            _check_against_sources(findings, sent, credits, sources, known)
            _check_misquotes(findings, sent, _spoken(parsed, number), sources)
            _check_second_hand(findings, sent, credits, sources, documents)
    findings.items.sort(key=lambda f: (f.start, f.rule))
    return attributions, findings.items


# ---------------------------------------------------------------- splitting


def _article_sentences(text: str) -> list[_Sent]:
    out: list[_Sent] = []
    for number, para in enumerate(_PARAGRAPH.finditer(text)):
        out.extend(_split_sentences(text, para.start(), para.end(), number))
    return out


def _split_sentences(text: str, start: int, end: int, paragraph: int = 0) -> list[_Sent]:
    out: list[_Sent] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        before = re.search(r"([\w.]+)\.$", text[pos:m.start() + 1])
        if text[m.start()] == "." and before:
            word = before.group(1).lower()
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word:
                continue
        cut = m.end() - len(m.group()) + len(m.group().rstrip())
        out.append(_Sent(text[pos:cut], pos, paragraph))
        pos = m.end()
    tail = text[pos:end].rstrip()
    if tail.strip():
        out.append(_Sent(tail, pos, paragraph))
    return out


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks; an unmatched mark runs to the sentence's edge."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    first = True
    for m in re.finditer(r"[\"“”]", text):
        ch, i = m.group(), m.start()
        if ch == '"':
            closes_first = first and i > 0 and not text[i - 1].isspace() and text[i + 1:i + 2] in ("", " ")
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


# ---------------------------------------------------------------- names


def _is_name_token(tok: str, low_known: set[str]) -> bool:
    if tok[0].isupper():
        return tok not in NOT_NAMES
    return tok in PARTICLES or tok.lower() in low_known


def _split_glue(tok: str) -> tuple[str, str] | None:
    """'tanCEO' -> ('tan', 'CEO') when a word runs straight into a title word."""
    for cut in _CAMEL_GLUE.finditer(tok):
        head, tail = tok[: cut.start()], tok[cut.start():]
        first = re.match(r"[A-Z]+(?![a-z])|[A-Z][a-z]*", tail)
        if first and first.group().lower() in TITLE_WORDS and len(head) >= 2:
            return head, tail
    return None


def _name_run_before(text: str, end: int, low_known: set[str]) -> tuple[int, int]:
    """Start and end of the run of name words that ends right before `end` (start == end when none)."""
    toks = _tokens(text[:end])
    run_start = end
    last_end = end
    for tok in reversed(toks):
        gap = text[tok.end:last_end]
        if gap.strip() not in ("", ".") or "\n" in gap:
            break
        if not (_is_name_token(tok.text, low_known) or _split_glue(tok.text)):
            break
        run_start = tok.start
        last_end = tok.start
    return run_start, end


def _name_run_after(text: str, start: int, low_known: set[str]) -> tuple[int, int]:
    """Start and end of the run of name words that begins at `start` (after spaces)."""
    pos = start
    run_start = run_end = -1
    for m in _TOKEN.finditer(text, start):
        gap = text[pos:m.start()]
        if gap.strip() not in ("", ".") or (run_start >= 0 and "." in gap and text[pos - 1:pos] != "."):
            break
        tok = m.group()
        if not (_is_name_token(tok, low_known) or _split_glue(tok)):
            break
        if run_start < 0:
            run_start = m.start()
        run_end = m.end()
        pos = m.end()
        if _split_glue(tok):
            break
    if run_start < 0:
        return start, start
    return run_start, run_end


def _strip_titles(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Drop leading title words ('Gov.', 'President') from a name run; return the span and the title."""
    toks = [t for t in _tokens(text[start:end])]
    cut = 0
    while cut < len(toks) - 1 and toks[cut].low in TITLE_WORDS:
        cut += 1
    if cut == 0:
        return start, end, ""
    return start + toks[cut].start, end, text[start:start + toks[cut - 1].end].strip()


def _person_like(name: str) -> bool:
    words = _tokens(name)
    if not words or len(words) > 5:
        return False
    lows = {w.low for w in words}
    return not (lows & ORG_WORDS) and not name.isupper()


def _org_like(name: str) -> bool:
    words = _tokens(name)
    lows = {w.low for w in words}
    return bool(lows & ORG_WORDS or lows & OUTLETS) or (len(name) >= 2 and name.replace(" ", "").isupper())


# ---------------------------------------------------------------- parsing credits


_NAME_WORDS = (r"[A-Z][a-z][\w'’\-]*(?:\s+(?:[A-Z]\.|[A-Z][a-z][\w'’\-]*"
               r"|(?:van|von|de|da|di|del|bin|al)(?=\s+[A-Z]))){1,3}")
_NAME_AT = re.compile(_NAME_WORDS)
_APPOSITIVE = re.compile(
    r"(?P<name>(?:[A-Z][\w'’\-]*\.?\s+)*[A-Z][\w'’\-]*),\s+(?P<title>[^,\"“”;]{2,160}?),\s*$"
)
# '..., Sky's chief executive, Jeremy Darroch, said': a name set off by commas right before the verb
_NAME_APPOSITION = re.compile(
    r"\S[^,]*,\s+(?P<name>[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’\-]+|(?:van|von|de|da|di|del|bin|al)(?=\s))){1,3}),"
    r"\s*$"
)
# Reporting verbs that are also plural nouns ('reports of', 'notes on', 'NGO reports sometimes come in')
_NOUN_LIKE_VERBS = {"reports", "notes", "states", "claims", "comments", "remarks"}


def _parse_credits(text: str, low_known: set[str]) -> list[_Credit]:
    """Find the credits (reporting verbs, 'according to') of one sentence, outside quotations."""
    quotes = _quote_spans(text)
    credits: list[_Credit] = []
    for m in _VERB.finditer(text):
        if any(s <= m.start() < e for s, e in quotes):
            continue
        credit = _Credit(verb=m.group().lower(), verb_start=m.start(), verb_end=m.end())
        prefix = text[: m.start()]
        if credit.verb in _NOUN_LIKE_VERBS and _noun_use(text, m.end()):
            continue
        if credit.verb == "according to":
            _speaker_after(credit, text, low_known)
            content_end = len(prefix.rstrip(" ,"))
            _set_content(credit, text, 0, content_end)
            if not prefix.strip(" ,"):
                _set_content(credit, text, _clause_end(text, credit.speaker_end), len(text))
        elif (appos := _APPOSITIVE.search(prefix)) and _person_like(appos.group("name")) and (
                len(appos.group("title")) <= 100 or _titled(appos.group("title"))):
            credit.speaker, credit.kind = appos.group("name"), "name"
            credit.speaker_start, credit.speaker_end = appos.start("name"), appos.end("name")
            _set_title(credit, appos.group("title"))
            _set_content(credit, text, m.end(), len(text))
        elif ((named := _NAME_APPOSITION.search(prefix)) and named.group("name").split()[0] not in NOT_NAMES
              and _person_like(named.group("name")) and not _org_like(named.group("name"))):
            credit.speaker, credit.kind = named.group("name"), "name"
            credit.speaker_start, credit.speaker_end = named.start("name"), named.end("name")
            _set_content(credit, text, m.end(), len(text))
        elif re.search(r"(?:[,:;\"”’—–]|\bas)\s*$", prefix, re.I) or not prefix.strip():
            if credit.verb in ("told", "tells"):
                continue  # what follows 'told' is the listener, not the speaker
            credit.inverted = True
            _speaker_after(credit, text, low_known)
            if credit.kind == "none" and re.search(r"\bas\s*$", prefix, re.I):
                continue  # as noted above
            _set_content(credit, text, 0, len(prefix.rstrip(" ,\"”’:;—–")) if prefix.strip() else 0)
            if not prefix.strip():
                _set_content(credit, text, _clause_end(text, credit.speaker_end), len(text))
        else:
            _speaker_before(credit, text, low_known)
            if credit.kind == "none":
                continue
            _set_content(credit, text, m.end(), len(text))
            if not credit.content:  # '"...," Jane Roe said.'
                _set_content(credit, text, 0, credit.speaker_start - len(credit.title))
        credit.quote = any(credit.content_start <= s < credit.content_end or s <= credit.content_start < e
                           for s, e in quotes) and bool(quotes)
        credits.append(credit)
    return credits


def _noun_use(text: str, verb_end: int) -> bool:
    """Whether a verb form that is also a noun ('reports') is used as the noun: 'reports of blind humans'.

    As a reporting verb it ends the clause (', reports FT.', 'Reuters reports:') or introduces what was
    said ('reports that'); anything else after it reads as a noun phrase.
    """
    rest = text[verb_end:]
    if re.match(r"\s*(?:$|[,.;:!?\"“”'’—–(])|\s+that\b", rest):
        return False
    # ', reports FT.': a name that closes the clause is the speaker of the inverted verb
    return not re.match(r"\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*\s*(?:$|[,.;:!?—–(])", rest)


def _titled(description: str) -> bool:
    """Whether a description opens like a person's title: 'a heftily built time trial specialist who ...'."""
    words = [t.low for t in _tokens(description)[:6]]
    return bool(words) and (words[0] in ("a", "an", "the") or bool(set(words) & TITLE_WORDS))


def _clause_end(text: str, pos: int) -> int:
    m = re.search(r"[,:;]\s*", text[pos:])
    return pos + m.end() if m else pos


def _set_content(credit: _Credit, text: str, start: int, end: int) -> None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip(" ,:;\"“”'—–"))
    if piece[lead:].lower().startswith("that "):
        lead += 5
    trail = len(piece.rstrip(" ,.:;\"“”'—–"))
    start, end = start + lead, start + max(trail, lead)
    credit.content, credit.content_start, credit.content_end = text[start:end], start, end


def _set_title(credit: _Credit, title: str) -> None:
    title = re.sub(r"^(?:the|a|an)\s+", "", title.strip(), flags=re.I)
    org = re.search(r"\b(?:of|at|for|with)\s+(?:the\s+)?(.+)$", title)
    credit.title = title
    credit.organisation = org.group(1).strip(" .") if org else ""


def _official_after(text: str, pos: int) -> tuple[int, int] | None:
    """The name of the official in '[Department] of Conservation and Recreation Commissioner Leo Roy'."""
    clause = re.match(r"\s+(?:of|for|at)\s+[^,;.\"“”()]{0,80}", text[pos:])
    if not clause:
        return None
    for tok in _tokens(clause.group()):
        if tok.low in TITLE_WORDS:
            m = _NAME_AT.match(text, pos + tok.end + 1)
            if m and text[pos + tok.end] == " " and _person_like(m.group()) and not _org_like(m.group()):
                return m.start(), m.end()
    return None


def _speaker_after(credit: _Credit, text: str, low_known: set[str]) -> None:
    """Speaker of '..., said Jane Roe, chief of X.' or 'according to Jane Roe'."""
    start = credit.verb_end
    rest = text[start:]
    clause = re.match(r"\s*([^,.;:!?\"“”()]*)", rest)
    chunk = clause.group(1) if clause else ""
    words = [t.low for t in _tokens(chunk)]
    s, e = _name_run_after(text, start, low_known)
    if e > s:
        s, e, title = _strip_titles(text, s, e)
        official = _official_after(text, e) if _org_like(text[s:e]) else None
        if official:  # 'according to Department of Conservation and Recreation Commissioner Leo Roy'
            title = text[s:official[0]].strip()
            s, e = official
        glued = _split_glue(_tokens(text[s:e])[-1].text)
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
    glue_tok = next((t for t in _tokens(chunk) if _split_glue(t.text)), None)
    if glue_tok is not None and len(_tokens(chunk[: glue_tok.start])) <= 3:
        head = (_split_glue(glue_tok.text) or ("", ""))[0]
        credit.speaker, credit.kind = chunk[: glue_tok.start] + head, "name"
        credit.speaker_start, credit.speaker_end = offset, offset + glue_tok.start + len(head)
        _set_title(credit, chunk[glue_tok.start + len(head):].strip())
        return
    if words[0] in PRONOUNS:
        credit.kind = "pronoun"
    elif words[0] in DETERMINERS:
        credit.kind = "description"
    elif words[0] in PREPOSITIONS:
        credit.kind = "none"
        credit.speaker_start = credit.speaker_end = start
        return
    elif len(words) <= 4 and not set(words) & COMMON_SPEAKERS and all(w.isalpha() for w in words):
        credit.kind = "name"  # an all-lowercase name ('said alec scheiner')
    else:
        credit.kind = "description"
    credit.speaker = chunk.strip()
    credit.speaker_start = offset
    credit.speaker_end = offset + len(chunk.rstrip())


def _speaker_before(credit: _Credit, text: str, low_known: set[str]) -> None:
    """Speaker of 'Jane Roe said ...', 'As the deputy director said, ...' or 'he said'."""
    end = credit.verb_start
    while end > 0 and text[end - 1] == " ":
        end -= 1
    s, e = _name_run_before(text, end, low_known)
    if e > s:
        s, e, title = _strip_titles(text, s, e)
        credit.speaker, credit.speaker_start, credit.speaker_end, credit.kind = text[s:e], s, e, "name"
        lead = re.search(r"((?:[\w'’\-.]+\s+){1,5})$", text[: s - len(title) - (1 if title else 0)] or "")
        words = lead.group(1).split() if lead else []
        titled = [w for w in words if w.lower().strip(".'’s") in TITLE_WORDS]
        if titled and not title:
            first = next(i for i, w in enumerate(words) if w.lower().strip(".'’s") in TITLE_WORDS)
            title = " ".join(words[max(0, first - 2):])
        credit.title = title
        return
    before = _tokens(text[:end])
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
            credit.speaker = text[tok.start:end]
            credit.speaker_start, credit.speaker_end, credit.kind = tok.start, end, "description"
            credit.title = re.sub(r"^\w+\s+", "", credit.speaker)
            return
        if text[tok.end:before[-back + 1].start if back > 1 else end].strip(" ") not in ("", "'s", "’s"):
            break


def _to_attribution(article: Article, sent: _Sent, credit: _Credit) -> Attribution:
    base = sent.start
    s, e = article.raw_span(base + credit.speaker_start, base + credit.speaker_end)
    if credit.speaker_end <= credit.speaker_start:
        s = e = article.raw_span(base + credit.verb_start, base + credit.verb_end)[0]
    cs, ce = article.raw_span(base + credit.content_start, base + credit.content_end)
    return Attribution(speaker=credit.speaker if credit.kind != "none" else "", start=s, end=e,
                       content=credit.content, content_start=cs, content_end=ce, verb=credit.verb,
                       title=credit.title, organisation=credit.organisation, quote=credit.quote)


# ---------------------------------------------------------------- the sources as a dictionary


class _Sources:
    """The documents' sentences, the credits in them and the names they use."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.sentences: list[_SourceSentence] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.words: set[str] = set()
        self.people: dict[str, str] = {}  # lowercased name -> as the source writes it
        self.titles: dict[str, list[str]] = defaultdict(list)  # lowercased name -> titles given to it
        self.joined: list[str] = []  # each document's words, lowercased and space-joined
        self.lowercase_phrases: set[str] = set()  # 2- and 3-word runs written in lowercase in a source
        self.lowercase_words: set[str] = set()  # words a source writes in lowercase: common words, not names
        self.persons: dict[str, str] = {}  # lowercased -> as written: names that are evidently people's
        self.credited: set[str] = set()  # lowercased names credited with a statement in a source
        for number, doc in enumerate(documents):
            texts = [s.text for s in doc.sentences]
            if not texts:
                texts = [s.text for s in _split_sentences(doc.text, 0, len(doc.text))]
            words: list[str] = []
            for text in texts:
                toks = tuple(_tokens(text))
                credits = tuple(_parse_credits(text, set()))
                self.index_sentence(_SourceSentence(number, text, toks, credits))
                words.extend(t.low for t in toks)
                for credit in credits:
                    if credit.kind == "name" and _person_like(credit.speaker) and credit.speaker[0].isupper():
                        key = credit.speaker.lower()
                        self.people.setdefault(key, credit.speaker)
                        self.persons.setdefault(key, credit.speaker)
                        self.credited.add(key)
                        if credit.title:
                            self.titles[key].append(credit.title)
                for name in _capitalised_names(text):
                    self.people.setdefault(name.lower(), name)
                for name in _titled_names(text):
                    self.persons.setdefault(name.lower(), name)
            self.joined.append(" " + " ".join(words) + " ")

    def index_sentence(self, sent: _SourceSentence) -> None:
        number = len(self.sentences)
        self.sentences.append(sent)
        for low in {t.low for t in sent.tokens}:
            self.index[low].append(number)
        self.words.update(t.text for t in sent.tokens)
        self.lowercase_words.update(t.text for t in sent.tokens if t.text.islower())
        texts = [t.text for t in sent.tokens]
        for size in (2, 3):
            for i in range(len(texts) - size + 1):
                phrase = " ".join(texts[i:i + size])
                if phrase.islower():
                    self.lowercase_phrases.add(phrase)

    def best_match(self, tokens: Sequence[_Tok], minimum: float = 0.6) -> _SourceSentence | None:
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

    def spelling_of(self, word: str) -> str | None:
        """A source word one or two letters away from `word`, when there is exactly one best."""
        if word in self.words or len(word) < 3:
            return None
        limit = 1 if len(word) <= 5 else 2
        best = [w for w in self.words if w[:1].isupper() and abs(len(w) - len(word)) <= limit
                and w.lower() != word.lower() and Levenshtein.distance(w, word, score_cutoff=limit) <= limit]
        if not best:
            return None
        best.sort(key=lambda w: (Levenshtein.distance(w, word), w))
        return best[0]


@dataclass(frozen=True)
class _Known:
    """Names the article can be checked against: from the sources, and capitalised in the article itself."""

    names: dict[str, str]  # lowercased -> capitalised
    low_tokens: set[str]
    lowercase_phrases: set[str]  # written in lowercase in a source, so not names
    persons: dict[str, str] = field(default_factory=dict)  # the names among them that are people's


def _capitalised_names(text: str) -> list[str]:
    """Runs of two or three capitalised words that could be a person's name; none from headline case."""
    words = _tokens(text)
    if len(words) < 4 or sum(w.text[:1].isupper() for w in words) > 0.6 * len(words):
        return []
    out = []
    for m in _NAME_RUN.finditer(text):
        name = re.sub(r"['’]s$", "", m.group(1))
        if name.split()[0] not in NOT_NAMES and _person_like(name):
            out.append(name)
    return out


_NAME_BEFORE = re.compile(rf"(?<![\w'’\-.])({_NAME_WORDS})$")


def _titled_names(text: str) -> list[str]:
    """Names marked as people's by their context: 'Gov. Jane Roe', 'director Jane Roe', 'Jane Roe, the
    chief'."""
    found: list[str] = []
    for tok in _tokens(text):
        if tok.low in TITLE_WORDS:
            gap = re.match(r"\.?,?\s+", text[tok.end:])
            m = _NAME_AT.match(text, tok.end + gap.end()) if gap else None
            if m:
                found.append(m.group())
    for comma in re.finditer(r",\s+(?:the\s+|a\s+|an\s+)?", text):
        if any(t.low in TITLE_WORDS for t in _tokens(text[comma.end():comma.end() + 60])[:3]):
            m = _NAME_BEFORE.search(text, 0, comma.start())
            if m:
                found.append(m.group(1))
    out: list[str] = []
    for name in found:
        words = re.sub(r"['’]s$", "", name).split()
        while words and (words[0] in NOT_NAMES or words[0].lower().rstrip(".") in TITLE_WORDS):
            words = words[1:]
        name = " ".join(words)
        if len(words) >= 2 and _person_like(name) and not _org_like(name):
            out.append(name)
    return out


def _persons(text: str, parsed: list[tuple[_Sent, list[_Credit]]], sources: _Sources,
             known: _Known) -> dict[str, str]:
    """Names that are evidently people's: credited with a statement, titled, or set off by a title.

    A capitalised phrase is not enough ('Student Cup', 'Editorial Director'), nor a run of words the
    sources use as common words ('Sexual Assault').
    """
    candidates: dict[str, tuple[str, bool]] = {}
    for low, name in sources.persons.items():
        candidates[low] = (name, low in sources.credited)
    for name in _titled_names(text):
        candidates.setdefault(name.lower(), (name, False))
    for _, credits in parsed:
        for credit in credits:
            low = credit.speaker.lower()
            if credit.kind != "name" or not _person_like(credit.speaker) or _org_like(credit.speaker):
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
        if not credited and (words[-1] in TITLE_WORDS | ORG_WORDS
                             or all(w in sources.lowercase_words or w in FUNCTION_WORDS for w in words)):
            continue
        out[low] = name
    return out


def _known_names(text: str, sources: _Sources) -> _Known:
    names = dict(sources.people)
    for sent in _split_sentences(text, 0, len(text)):
        for name in _capitalised_names(sent.text):
            names.setdefault(name.lower(), name)
    names = {low: name for low, name in names.items() if low not in sources.lowercase_phrases}
    low_tokens = {w for name in names for w in name.split() if w not in FUNCTION_WORDS and len(w) > 2}
    low_tokens -= {w.lower() for w in TITLE_WORDS | ORG_WORDS}
    return _Known(names, low_tokens, sources.lowercase_phrases)


# ---------------------------------------------------------------- text-alone rules


def _check_glued(findings: _Findings, sent: _Sent, credits: list[_Credit], sources: _Sources,
                 known: _Known) -> None:
    """'lynette tanCEO of X' -> 'Lynette Tan, CEO of X'."""
    for tok in _tokens(sent.text):
        glue = _split_glue(tok.text)
        if not glue or tok.text in sources.words:
            continue
        head, tail = glue
        run_start, _ = _name_run_before(sent.text, tok.start, known.low_tokens | {w.lower() for w in
                                                                                    _lowercase_run(sent.text,
                                                                                                   tok.start)})
        name = (sent.text[run_start:tok.start] + head).strip()
        rest = re.match(r"[^,;.\"“”]*", sent.text[tok.start + len(head):])
        title = rest.group().strip() if rest else tail
        fixed_name = known.names.get(name.lower(), _capitalise(name))
        start = sent.start + run_start
        findings.add("glued-title", "error",
                     f"the name '{name}' runs straight into the title '{tail}'", start,
                     sent.start + tok.end, f"{fixed_name}, {_shorten(title)}")
        if name != fixed_name and name == name.lower():
            findings.add("lowercased-name", "error", f"the name '{name}' is not capitalised", start,
                         start + len(name), fixed_name)
    for credit in credits:
        if credit.kind != "name":
            continue
        for tok in _tokens(credit.speaker):
            if tok.text in sources.words or not sources.words:
                continue
            base = re.match(r"(.+?)(a|an|the)$", tok.text)
            if base and base.group(1) in sources.words and base.group(1)[:1].isupper():
                start = sent.start + credit.speaker_start + tok.start
                nxt = re.match(r"\s*([^,;.\"“”]*)", sent.text[credit.speaker_start + tok.end:])
                title = f"{base.group(2)} {nxt.group(1).strip() if nxt else ''}".strip()
                name = credit.speaker[: tok.start] + base.group(1)
                findings.add("glued-title", "error",
                             f"the name '{name}' runs straight into '{base.group(2)}'", start,
                             start + len(tok.text), f"{name}, {_shorten(title)}")


def _lowercase_run(text: str, end: int) -> list[str]:
    """Lowercase words right before a glued title: in 'lynette tanCEO' they are the name."""
    out: list[str] = []
    for tok in reversed(_tokens(text[:end])[-3:]):
        if (tok.text != tok.low or tok.low in FUNCTION_WORDS or tok.low in TITLE_WORDS
                or _VERB.fullmatch(tok.text) or len(out) == 2):
            break
        out.append(tok.text)
    return out


def _capitalise(name: str) -> str:
    return " ".join(w if w in PARTICLES else w[:1].upper() + w[1:] for w in name.split())


def _shorten(title: str, words: int = 6) -> str:
    parts = title.split()
    return " ".join(parts[:words])


def _check_lowercased(findings: _Findings, sent: _Sent, credits: list[_Credit], known: _Known) -> None:
    """Lowercase forms of names that are capitalised elsewhere, and lowercase speakers."""
    toks = _tokens(sent.text)
    for size in (3, 2):
        for i in range(len(toks) - size + 1):
            window = toks[i:i + size]
            found = sent.text[window[0].start:window[-1].end]
            name = known.persons.get(found)
            if name is None or found != found.lower() or not all(w.text == w.low for w in window):
                continue
            start = sent.start + window[0].start
            if not findings.covers(start, start + len(found)):
                findings.add("lowercased-name", "error", f"the name '{found}' is not capitalised as '{name}'",
                             start, start + len(found), name)
    for credit in credits:
        if (credit.kind == "name" and credit.speaker == credit.speaker.lower() and credit.inverted
                and len(credit.speaker.split()) >= 2 and credit.speaker not in known.lowercase_phrases
                and not {w.low for w in _tokens(credit.speaker)} & TITLE_WORDS):
            start = sent.start + credit.speaker_start
            if findings.covers(start, sent.start + credit.speaker_end):
                continue
            fixed = known.names.get(credit.speaker.lower(), _capitalise(credit.speaker))
            findings.add("lowercased-name", "error",
                         f"the speaker '{credit.speaker}' is written in lowercase", start,
                         sent.start + credit.speaker_end, fixed)


def _check_missing_speaker(findings: _Findings, sent: _Sent, credits: list[_Credit], sources: _Sources,
                           text: str) -> None:
    for credit in credits:
        start = sent.start + credit.verb_start
        dropped = credit.kind == "none" and credit.verb != "according to"
        if dropped and _ends_clause(sent.text, credit.verb_end):
            source = _credited_in_source(sources, sent.text, credit)
            hint = f"; the source credits {source}" if source else ""
            findings.add("missing-speaker", "error", f"'{credit.verb}' has no speaker{hint}", start,
                         sent.start + credit.verb_end, f"{credit.verb} {source}" if source else "")
        elif (credit.kind == "description" and re.search(r"\bas\s+$", sent.text[: credit.speaker_start], re.I)
              and _one_person(credit.speaker)):
            who = re.sub(r"^\w+\s+", "", credit.speaker)
            if _named_with_title(text, who):
                continue
            source = _credited_in_source(sources, sent.text, credit)
            hint = f"; the source credits {source}" if source else ""
            findings.add("missing-speaker", "warning",
                         f"'{credit.speaker}' is never named in the article{hint}",
                         sent.start + credit.speaker_start, sent.start + credit.speaker_end,
                         f"{source}, {who}" if source else "")


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


_ONE = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your"}
_PERSON_SUFFIX = re.compile(r"(?:er|or|ist|ian|man|woman|person|ent|ant|ive|ee|eer|ary|ier|ar|ess|ain)$")


def _one_person(description: str) -> bool:
    """'the deputy director', 'its chief executive': one unnamed person, not 'many attachés'."""
    words = [t.low for t in _tokens(description)]
    if len(words) < 2 or words[0] not in _ONE:
        return False
    role = [w for w in words[1:] if w not in FUNCTION_WORDS]
    return any(w in TITLE_WORDS or (_PERSON_SUFFIX.search(w) and w not in COMMON_SPEAKERS) for w in role)


def _named_with_title(text: str, title: str) -> bool:
    """Whether the article names someone with this title: 'Jane Roe, deputy director', 'director Jane Roe'."""
    name = r"[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)+"
    head = re.escape(title.split()[-1]) if title.split() else ""
    if not head:
        return False
    return bool(re.search(rf"{name},\s+(?:the\s+|a\s+|an\s+)?[^,.]{{0,60}}\b{head}\b", text)
                or re.search(rf"\b{head}\s+{name}", text))


def _credited_in_source(sources: _Sources, text: str, credit: _Credit) -> str:
    """Who the best-matching source sentence credits with this content, if anyone by name."""
    content = credit.content or text
    match = sources.best_match(_tokens(content)) if sources.sentences else None
    if match is None:
        return ""
    for other in match.credits:
        if other.kind == "name" and other.speaker[:1].isupper():
            return other.speaker
    return ""


def _check_dangling(findings: _Findings, parsed: list[tuple[_Sent, list[_Credit]]], sources: _Sources,
                    known: _Known) -> None:
    """A name standing alone ('Lin Ziqiang,'), most likely the speaker of a nearby 'As the X said'."""
    for number, (sent, _) in enumerate(parsed):
        bare = sent.text.strip()
        m = re.fullmatch(r"((?:[\w'’\-]+\.?\s+){1,3}[\w'’\-]+)\s*(,?)\.?", bare)
        if not m:
            continue
        name = m.group(1)
        toks = _tokens(name)
        if not all(_is_name_token(t.text, known.low_tokens) for t in toks) or toks[0].text in NOT_NAMES:
            continue
        if {t.low for t in toks} & (ORG_WORDS | TITLE_WORDS):
            continue
        alone = all(other.paragraph != sent.paragraph for j, (other, _) in enumerate(parsed) if j != number)
        linked = _nearby_description(parsed, number)
        if not m.group(2) and not (alone and linked and _one_person(linked[1].speaker)):
            continue
        start = sent.start + sent.text.index(name)
        spelled = _source_spelling(sources, name)
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
        elif spelled:
            suggestion = spelled
        if spelled:
            message += f"; the sources spell it '{spelled}'"
        findings.add("dangling-name", "error", message, start, start + len(name), suggestion)


def _nearby_description(
    parsed: list[tuple[_Sent, list[_Credit]]], number: int
) -> tuple[_Sent, _Credit] | None:
    here = parsed[number][0].paragraph
    for j in range(number - 1, max(-1, number - 6), -1):
        sent, credits = parsed[j]
        if here - sent.paragraph > 2:
            break
        for credit in credits:
            introduced = re.search(r"\bas\s+$", sent.text[:credit.speaker_start], re.I)
            if credit.kind == "description" and introduced:
                return sent, credit
    return None


def _source_spelling(sources: _Sources, name: str) -> str:
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


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def _in_sources(sources: _Sources, name: str) -> bool:
    phrase = " " + " ".join(t.low for t in _tokens(name)) + " "
    return name.lower() in sources.people or any(phrase in joined for joined in sources.joined)


def _check_inconsistent(findings: _Findings, text: str, sources: _Sources) -> None:
    """Two spellings of what is evidently one person's name in the same article."""
    mentions: list[tuple[str, int]] = []
    for m in re.finditer(r"\b([A-Z][a-z][\w'’\-]*(?:[ \t]+[A-Z][a-z][\w'’\-]*){1,2})\b", text):
        name = re.sub(r"['’]s?$", "", m.group(1))
        if re.search(r"\d|[a-z][A-Z]", name):
            continue  # 'Astle4', 'CelebrationThe': page furniture, not a spelling
        if name.split()[0] not in NOT_NAMES and _person_like(name):
            mentions.append((name, m.start()))
    forms = list(dict.fromkeys(name for name, _ in mentions))
    for i, a in enumerate(forms):
        for b in forms[i + 1:]:
            wa, wb = a.split(), b.split()
            if len(wa) != len(wb):
                continue
            diffs = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
            if len(diffs) != 1:
                continue
            x, y = diffs[0]
            if x.lower() == y.lower() or len(x) < 4 or Levenshtein.normalized_similarity(x, y) < 0.75:
                continue
            if _plain(x).rstrip("s") == _plain(y).rstrip("s"):
                continue  # 'Bahía' / 'Bahia', 'Summit' / 'Summits': one name, written two accepted ways
            odd = b
            if sources.sentences:
                known_a, known_b = _in_sources(sources, a), _in_sources(sources, b)
                if known_a == known_b:
                    continue  # both in the sources (two people) or neither (nothing to prefer)
                odd = a if known_b else b
            good = a if odd == b else b
            for name, pos in mentions:
                if name == odd:
                    message = f"'{odd}' is also written '{good}' in this article"
                    findings.add("inconsistent-name", "warning", message, pos, pos + len(name), good)


# ---------------------------------------------------------------- rules against the sources


def _check_against_sources(findings: _Findings, sent: _Sent, credits: list[_Credit],
                           sources: _Sources, known: _Known) -> None:
    if not credits:
        return
    toks = _tokens(sent.text)
    match = sources.best_match(toks)
    if match is not None:
        _diff_against(findings, sent, toks, credits, match, known)
    for credit in credits:
        if credit.kind != "name":
            continue
        start, end = sent.start + credit.speaker_start, sent.start + credit.speaker_end
        if findings.covers(start, end):
            continue
        _check_speaker_known(findings, credit, start, end, sources)
        _check_title(findings, sent, credit, sources)


def _diff_against(findings: _Findings, sent: _Sent, toks: list[_Tok], credits: list[_Credit],
                  match: _SourceSentence, known: _Known) -> None:
    """Word-level diff of a sentence against its source: case, glue, spelling and swapped names."""
    src = match.tokens
    ops = _opcodes(toks, src)
    speakers = [(c.speaker_start, c.speaker_end) for c in credits if c.kind == "name"]

    def on_speaker(i1: int, i2: int) -> bool:
        return any(toks[i1].start < e and s < toks[i2 - 1].end for s, e in speakers)

    def src_text(j1: int, j2: int) -> str:
        return match.text[src[j1].start:src[j2 - 1].end]

    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            _case_diffs(findings, sent, toks[i1:i2], src[j1:j2], j1, known)
            continue
        if op != "replace" or i2 - i1 > 5 or j2 - j1 > 6:
            continue
        mine = sent.text[toks[i1].start:toks[i2 - 1].end]
        theirs = src_text(j1, j2)
        start, end = sent.start + toks[i1].start, sent.start + toks[i2 - 1].end
        if "".join(t.low for t in toks[i1:i2]) == "".join(t.low for t in src[j1:j2]):
            if findings.covers(start, end):
                continue
            findings.add("glued-title", "error", f"'{mine}' runs words together; the source has '{theirs}'",
                         start, end, theirs)
            continue
        if not any(t.text[:1].isupper() for t in src[j1:j2]):
            continue
        pairs = zip(toks[i1:i2], src[j1:j2], strict=False)
        if i2 - i1 == j2 - j1 and all(_close(a.text, b.text) for a, b in pairs):
            if on_speaker(i1, i2):
                message = f"'{mine}' appears in no source; the source spells it '{theirs}'"
                findings.add("unknown-speaker", "error", message, start, end, theirs)
            else:
                findings.add("misspelled-name", "warning", f"'{mine}' is spelled '{theirs}' in the source",
                             start, end, theirs)
            continue
        if on_speaker(i1, i2) and any(t.text[:1].isupper() for t in toks[i1:i2]):
            credited = next((c.speaker for c in match.credits if c.kind == "name"
                             and c.speaker_start < src[j2 - 1].end and src[j1].start < c.speaker_end), theirs)
            findings.add("wrong-speaker", "error",
                         f"the source credits this to {credited}, not to '{mine}'", start, end, credited)


def _opcodes(mine: Sequence[_Tok], theirs: Sequence[_Tok]) -> Sequence[tuple[str, int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, [t.low for t in mine], [t.low for t in theirs], autojunk=False)
    return matcher.get_opcodes()


def _close(a: str, b: str) -> bool:
    if a.lower() == b.lower():
        return True
    limit = 1 if len(b) <= 5 else 2
    return Levenshtein.distance(a.lower(), b.lower(), score_cutoff=limit) <= limit


def _case_diffs(findings: _Findings, sent: _Sent, mine: Sequence[_Tok], theirs: Sequence[_Tok],
                first_index: int, known: _Known) -> None:
    """A person's name written in lowercase where the source capitalises it mid-sentence.

    Only people's names count: a source that capitalises 'Student Cup' or 'Deputy Director' names an
    event or styles a title, and the article's lowercase is no garble.
    """
    person_words = [set(low.split()) for low in known.persons]
    group: list[tuple[_Tok, _Tok]] = []
    pairs: list[tuple[_Tok | None, _Tok | None]] = [*zip(mine, theirs, strict=True), (None, None)]
    for index, (a, b) in enumerate(pairs):
        lowered = (a is not None and b is not None and a.text != b.text and a.text == a.low
                   and b.text[:1].isupper() and first_index + index > 0
                   and a.low not in FUNCTION_WORDS and a.low not in TITLE_WORDS)
        if lowered and a is not None and b is not None:
            group.append((a, b))
            continue
        if group:
            start, end = sent.start + group[0][0].start, sent.start + group[-1][0].end
            found = sent.text[group[0][0].start:group[-1][0].end]
            fixed = " ".join(b.text for _, b in group) if " " in found else group[0][1].text
            lows = {b.low for _, b in group}
            if not findings.covers(start, end) and any(lows <= words for words in person_words):
                findings.add("lowercased-name", "error", f"'{found}' is capitalised '{fixed}' in the source",
                             start, end, fixed)
            group = []


def _check_speaker_known(findings: _Findings, credit: _Credit, start: int, end: int,
                         sources: _Sources) -> None:
    speaker = credit.speaker
    if not speaker[:1].isupper() or not _person_like(speaker) or _org_like(speaker):
        return
    if speaker.lower() in sources.people or all(w.text in sources.words for w in _tokens(speaker)):
        return
    spelled = _source_spelling(sources, speaker)
    if spelled:
        message = f"'{speaker}' appears in no source; the sources name '{spelled}'"
        findings.add("unknown-speaker", "error", message, start, end, spelled)
    elif len(speaker.split()) >= 2:
        findings.add("unknown-speaker", "warning", f"'{speaker}' is not named in any source", start, end)


def _check_title(findings: _Findings, sent: _Sent, credit: _Credit, sources: _Sources) -> None:
    """The article's title for a speaker against the titles the sources give the same person."""
    titles = sources.titles.get(credit.speaker.lower())
    if not credit.title or not titles:
        return
    if _same_title(credit.title, titles):
        return
    start = sent.start + credit.speaker_start
    findings.add("title-mismatch", "warning",
                 f"the article calls {credit.speaker} '{credit.title}'; the source says '{titles[0]}'",
                 start, sent.start + credit.speaker_end, f"{credit.speaker}, {titles[0]}")


def _spoken(parsed: list[tuple[_Sent, list[_Credit]]], number: int) -> list[tuple[int, int]]:
    """The quotations of a sentence that someone is credited with saying.

    Quotation marks also set off titles of works, names and terms ('"Maiden Heaven: A Tribute to Iron
    Maiden"', '"the making, debating and exhibiting art"'); only a quotation credited to a speaker in
    its sentence, or left open there and credited in a later sentence of the paragraph, is speech.
    """
    sent, credits = parsed[number]
    spans = _quote_spans(sent.text)
    speakers = [c for c in credits if c.verb != "according to" or c.kind == "name"]
    if speakers:
        return spans
    later = [c for other, cs in parsed[number + 1:number + 4] if other.paragraph == sent.paragraph
             for c in cs]
    open_ended = [(s, e) for s, e in spans if e == len(sent.text) and sent.text.rstrip()[-1:] not in "\"”"]
    return open_ended if later else []


def _title_like(words: Sequence[_Tok]) -> bool:
    """Headline case: 'Young Hollywood's Top Earning-Stars', 'Corpus of British Medieval Library
    Catalogues'."""
    content = [w for w in words[1:] if w.low not in FUNCTION_WORDS and not w.text[:1].isdigit()]
    capitalised = sum(w.text[:1].isupper() for w in content)
    return len(content) >= 1 and capitalised >= len(content) - (len(content) >= 5) and capitalised >= 1


def _title_terms(title: str) -> tuple[set[str], set[str]]:
    """A title's words (no function words) and the acronyms of its capitalised runs ('DNC')."""
    words = {w.low for w in _tokens(title)} - FUNCTION_WORDS - {"and", "&"}
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
                words -= {t.low for t in _tokens(run.group())}
    words -= their_acronyms  # ... or abbreviates what the source spells out
    return all(any(_same_word(w, t) for t in theirs) for w in words)


def _check_misquotes(findings: _Findings, sent: _Sent, spoken: list[tuple[int, int]],
                     sources: _Sources) -> None:
    """Quotations of speech that are not word for word in any source."""
    for qs, qe in spoken:
        for piece in re.split(r"\[[^\]]*\]|…|\.\.\.", sent.text[qs:qe]):
            words = _tokens(piece)
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
            findings.add("misquote", "error",
                         f"quotation differs from the source: {_word_diff(words, match.tokens)}", start, end,
                         _aligned_source(words, match))


def _word_diff(mine: Sequence[_Tok], theirs: Sequence[_Tok]) -> str:
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


def _aligned_source(words: Sequence[_Tok], match: _SourceSentence) -> str:
    """The stretch of the source sentence that the quotation corresponds to."""
    ops = difflib.SequenceMatcher(None, [t.low for t in words], [t.low for t in match.tokens],
                                  autojunk=False).get_matching_blocks()
    blocks = [b for b in ops if b.size]
    if not blocks:
        return match.text
    first, last = blocks[0].b, blocks[-1].b + blocks[-1].size - 1
    return match.text[match.tokens[first].start:match.tokens[last].end]


def _check_second_hand(findings: _Findings, sent: _Sent, credits: list[_Credit], sources: _Sources,
                       documents: Sequence[Document]) -> None:
    """Credits to an outlet or body that is not itself among the sources."""
    for credit in credits:
        if credit.kind != "name" or not credit.speaker[:1].isupper():
            continue
        outlet = credit.verb in ("reported", "reports") or (credit.verb == "according to"
                                                            and _org_like(credit.speaker))
        if not outlet or (credit.speaker.lower() in sources.people and not _org_like(credit.speaker)):
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
    words = [w.low for w in _tokens(outlet) if w.low not in FUNCTION_WORDS]
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
