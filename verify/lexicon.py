"""Every word list of verify in one place, and the tests of what a name is.

The reporting cues and name lists of the attribution stage come first; then the name lists and
person and organisation tests of the other stages: resolving "the agency" in context
(`person_name`, `ORGANISATION_NAME`) and reading a page's byline (`author_name`).

The reporting cues of news writing (the verbs and phrases that credit a statement to someone) come
first: every verb is listed once with its forms and `reporting_cue()` compiles them into one pattern.
Forms that are also common nouns ('states', 'claims', 'a note', 'a tweet') are kept apart so the
parser can require a verb reading before it takes them as a credit ('20 different states' is no
credit, 'the report states that' is). Then the words that tell names, titles, organisations and
function words apart. Lists of plain words are written as one string each and compared lowercased
unless they hold capitalised words (`NOT_NAMES`).
"""

from __future__ import annotations

import re

from verify.text import tokenize


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# lemma: (third person, past, present participle)
_VERBS: dict[str, tuple[str, str, str]] = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "add": ("adds", "added", "adding"),
    "note": ("notes", "noted", "noting"),
    "argue": ("argues", "argued", "arguing"),
    "claim": ("claims", "claimed", "claiming"),
    "insist": ("insists", "insisted", "insisting"),
    "warn": ("warns", "warned", "warning"),
    "tweet": ("tweets", "tweeted", "tweeting"),
    "post": ("posts", "posted", "posting"),
    "write": ("writes", "wrote", "writing"),
    "announce": ("announces", "announced", "announcing"),
    "state": ("states", "stated", "stating"),
    "suggest": ("suggests", "suggested", "suggesting"),
    "acknowledge": ("acknowledges", "acknowledged", "acknowledging"),
    "concede": ("concedes", "conceded", "conceding"),
    "explain": ("explains", "explained", "explaining"),
    "report": ("reports", "reported", "reporting"),
    "recall": ("recalls", "recalled", "recalling"),
    "comment": ("comments", "commented", "commenting"),
    "remark": ("remarks", "remarked", "remarking"),
    "confirm": ("confirms", "confirmed", "confirming"),
    "admit": ("admits", "admitted", "admitting"),
    "declare": ("declares", "declared", "declaring"),
    "predict": ("predicts", "predicted", "predicting"),
    "reply": ("replies", "replied", "replying"),
    "respond": ("responds", "responded", "responding"),
    "ask": ("asks", "asked", "asking"),
    "assert": ("asserts", "asserted", "asserting"),
    "contend": ("contends", "contended", "contending"),
    "maintain": ("maintains", "maintained", "maintaining"),
    "caution": ("cautions", "cautioned", "cautioning"),
    "observe": ("observes", "observed", "observing"),
    "complain": ("complains", "complained", "complaining"),
    "emphasize": ("emphasizes", "emphasized", "emphasizing"),
    "emphasise": ("emphasises", "emphasised", "emphasising"),
    "stress": ("stresses", "stressed", "stressing"),
    "testify": ("testifies", "testified", "testifying"),
    "allege": ("alleges", "alleged", "alleging"),
    "deny": ("denies", "denied", "denying"),
    "reiterate": ("reiterates", "reiterated", "reiterating"),
    "promise": ("promises", "promised", "promising"),
    "pledge": ("pledges", "pledged", "pledging"),
    "vow": ("vows", "vowed", "vowing"),
    "urge": ("urges", "urged", "urging"),
    "boast": ("boasts", "boasted", "boasting"),
    "joke": ("jokes", "joked", "joking"),
    "quip": ("quips", "quipped", "quipping"),
    "conclude": ("concludes", "concluded", "concluding"),
    "mention": ("mentions", "mentioned", "mentioning"),
    "reveal": ("reveals", "revealed", "revealing"),
    "disclose": ("discloses", "disclosed", "disclosing"),
    "counter": ("counters", "countered", "countering"),
    "retort": ("retorts", "retorted", "retorting"),
    "email": ("emails", "emailed", "emailing"),
    "proclaim": ("proclaims", "proclaimed", "proclaiming"),
    "lament": ("laments", "lamented", "lamenting"),
    "charge": ("charges", "charged", "charging"),
    "opine": ("opines", "opined", "opining"),
    "muse": ("muses", "mused", "musing"),
    "wonder": ("wonders", "wondered", "wondering"),
    "continue": ("continues", "continued", "continuing"),
    "blog": ("blogs", "blogged", "blogging"),
}
# third-person forms that are also plural nouns, and base forms that are also nouns
NOUN_FORMS = _words(
    """
    states claims notes reports posts tweets comments remarks replies promises pledges vows jokes
    charges emails blogs counters stresses muses wonders quips retorts
    """
)
# base forms the parser takes only after a subject ('officials say', 'they argue'); the others
# ('note', 'claim', 'state', 'report', ...) are too often nouns
_BASE_FORMS = _words(
    """
    say tell argue insist warn explain suggest acknowledge concede contend maintain predict admit
    write add allege deny caution complain
    """
)
# verb forms whose subject is the speaker only when nothing but a subject precedes them; an -ing
# form ('..., saying the plan failed') credits the subject of its sentence
PARTICIPLES = {forms[2] for forms in _VERBS.values()}
# participles that are also nouns or adjectives ('a warning', 'the writing', 'reporting season')
_NOUN_PARTICIPLES = _words(
    """
    warning writing reporting posting promising charging continuing blogging musing wondering
    stressing joking counting
    """
)
# multiword cues: the phrase itself, matched before the single verbs
_PHRASES = (
    r"[Aa]ccording\s+to",
    r"(?:released|issued|put\s+out|sent)\s+(?:a|an|the\s+following|this|the)\s+(?:\w+\s+)?statement",
    r"pointed\s+out",
    r"points\s+out",
)


def _alternatives() -> list[str]:
    forms: set[str] = set()
    for third, past, ing in _VERBS.values():
        forms.update((third, past))
        if ing not in _NOUN_PARTICIPLES:
            forms.add(ing)
    forms.update(_BASE_FORMS)
    return sorted(forms, key=len, reverse=True)


def reporting_cue() -> re.Pattern[str]:
    """One pattern for every cue: multiword phrases first, then the verb forms, as whole words."""
    words = "|".join(_alternatives())
    return re.compile(rf"\b(?:{'|'.join(_PHRASES)}|(?:{words}))\b")


REPORTING_CUE = reporting_cue()


# words of a person's title or office: 'tanCEO', 'Gov. Jane Roe', 'Jane Roe, the chief'
TITLE_WORDS = _words(
    """
    ceo cfo coo cto chief senior executive president vice director head founder co-founder cofounder
    chairman chairwoman chair minister secretary professor prof manager spokesman spokeswoman
    spokesperson deputy governor gov senator sen rep representative mayor commissioner officer
    general gen coach captain judge dr mr mrs ms sir dame lord lady ambassador superintendent
    attorney atty dist ald alderman councilman councilwoman sheriff detective inspector editor
    analyst economist chancellor dean principal partner lawyer leader premier king queen prince
    princess pastor rabbi bishop father congressman congresswoman former acting interim assistant
    associate managing board member owner producer drummer singer guitarist striker midfielder
    defender goalkeeper historian
    """
)
# words that make a capitalised run an organisation or an outlet, not a person
ORG_WORDS = _words(
    """
    agency association authority administration bank board bureau center centre college commission
    committee company corp corporation council court department foundation government group inc
    institute journal league ltd magazine media ministry monitor network news newspaper office
    organization organisation party police post press reuters service society survey team times
    tribune union university bloomberg herald gazette telegraph guardian observer daily weekly radio
    television tv channel report research statistics data fund pte llc plc gmbh partners capital
    securities holdings associated xinhua wire house senate congress pentagon kremlin
    """
)
# news outlets and wires: a credit to them is second-hand
OUTLETS = _words(
    """
    bloomberg reuters xinhua afp ap cnn bbc cnbc nbc cbs abc axios politico forbes fortune wsj nyt
    ft caixin nikkei yonhap tass dpa
    """
)
PRONOUNS = _words(
    """
    he she they it we i you who which this that one someone
    """
)
DETERMINERS = _words(
    """
    the a an his her its their our my your one some another two three several many both each this
    that these those
    """
)
# prepositions, conjunctions, times and adverbs: before a cue form they make it a noun
PREPOSITIONS = _words(
    """
    in on at by of to from with during after before last this that earlier later today yesterday
    recently previously also then when while as and but so about over through via monday tuesday
    wednesday thursday friday saturday sunday for if not there here
    """
)
# plural or generic speakers: 'said officials' credits no one by name
COMMON_SPEAKERS = _words(
    """
    police officials official analysts experts sources residents witnesses authorities people
    investigators prosecutors researchers scientists observers critics officers organizers
    organisers reports media staff spokesman spokeswoman spokesperson others fans doctors lawyers
    students parents teachers neighbors neighbours friends family relatives everyone
    """
)
# capitalised words that do not start a name: sentence openers, pronouns, days, months
NOT_NAMES = _words(
    """
    The A An This That These Those But And Or In On At For From To Of With By As If When While After
    Before Since Although Though However He She They It We I You His Her Their Its Our My Your There
    Here What Who Why How Where Then Now So Yet Also Still Meanwhile Despite During Earlier Later
    Last Next According Some Many Most All Each Both Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday January February March April May June July August September October November
    December Like Unlike Even Not No Yes Only Just Speaking Photo Source Read See Additionally
    Moreover Furthermore Instead
    """
)
# lowercase particles inside names: 'Ludwig van Beethoven'
PARTICLES = _words(
    """
    van von de der den da di del della la le du bin al ibn dos das ter mac
    """
)
AUXILIARIES = _words(
    """
    is are was were be been has have had do does did will would can could should may might must like
    """
)
FUNCTION_WORDS = DETERMINERS | PRONOUNS | PREPOSITIONS | AUXILIARIES
# words that may stand between a speaker and the verb: 'Roe had previously said', 'Roe hasn't said'
BETWEEN_SPEAKER_AND_VERB = _words(
    """
    has had have hasn't hadn't haven't was were is are will would could should may might must did
    didn't does doesn't do don't won't wouldn't also previously later earlier then once again still
    never not already recently repeatedly often always just first even now been be too keeps kept
    began begun started continues continued herself himself themselves monday tuesday wednesday
    thursday friday saturday sunday on last this week night morning afternoon evening yesterday
    today tonight ago year
    """
)
# determiners of one unnamed person: 'the deputy director', 'its chief executive'
SINGULAR_DETERMINERS = _words(
    """
    the a an his her its their our my your
    """
)
# nouns with a person's ending that name things: 'as the paper noted', 'as the statement said'
THING_NOUNS = _words(
    """
    paper newspaper letter order number center matter chapter border computer poster tower water
    power corner answer factor sector monitor error mirror government statement document agreement
    movement moment event percent content comment department parliament report summary dictionary
    library diary ministry calendar seminar bulletin newsletter register filter trailer flyer cover
    committee narrative initiative archive directive collective cooperative progress address
    business press congress campaign chain account element argument amendment announcement
    assessment judgment judgement investment management
    """
)


def person_like(name: str) -> bool:
    """A credited speaker that may be a person: no organisation word, not an acronym, five words at most."""
    words = tokenize(name)
    if not words or len(words) > 5:
        return False
    lows = {w.low for w in words}
    return not (lows & ORG_WORDS) and not name.isupper()


def org_like(name: str) -> bool:
    """A credited speaker that is an organisation or an outlet, or an acronym."""
    words = tokenize(name)
    lows = {w.low for w in words}
    return bool(lows & ORG_WORDS or lows & OUTLETS) or (len(name) >= 2 and name.replace(" ", "").isupper())


# --- names in context (verify/context.py) ----------------------------------------------------

DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ese|ian|ish|ean|can|ic)$")  # "Chinese space station": an adjective
# lower-cased words that start no name: a capitalised run's leading "The", "In", a month or a weekday
NAME_START_STOPWORDS = {
    "the", "a", "an", "in", "on", "at", "it", "he", "she", "they", "i", "this", "that", "these", "those",
    "his", "her", "its", "their", "after", "before", "during", "for", "from", "with", "by", "as", "when",
    "while", "although", "but", "and", "or", "if", "since", "following", "despite", "according", "later",
    "however", "also", "there", "then", "both", "each", "many", "most", "some", "one", "two", "we", "our",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
# words inside a name ("Bank of England", "Ludwig van Beethoven"), never at its ends
NAME_LINKS = {"of", "de", "van", "von", "der", "la", "le", "del", "da"}
# a verb that a garbled or headline-cased sentence capitalises right after a name ("Xi Jinping Is
# copying"): never the end of the name
NAME_END_VERBS = {
    "Is",
    "Are",
    "Was",
    "Were",
    "Has",
    "Have",
    "Had",
    "Will",
    "Would",
    "Says",
    "Said",
    "Does",
    "Did",
}
# a word or shape that makes a name an organisation's ("... Agency", "NASA", "SpaceX")
ORGANISATION_NAME = re.compile(
    r"\b(?:Agency|Administration|Company|Corp|Corporation|Inc|Ltd|Group|Ministry|University|Commission|"
    r"Council|Party|Club|Bank|Institute|Association|Authority|Office|Department|Technologies|Technology|"
    r"Sciences|Space|Systems)\b|^[A-Z]{2,}$|[a-z][A-Z]"
)


def person_name(name: str) -> bool:
    """Two or three capitalised words that do not name an organisation."""
    words = name.split()
    return 2 <= len(words) <= 3 and not ORGANISATION_NAME.search(name) and all(w[:1].isupper() for w in words)


# --- bylines (verify/extract.py) -------------------------------------------------------------

# words that show a byline field holds no author's name ("Staff", "Posted", "Read more")
NOT_AN_AUTHOR = {
    "is", "was", "are", "has", "have", "writes", "wrote", "covers", "reporter", "reporters",
    "correspondent", "editor", "editors", "writer", "writers", "staff", "contributor", "columnist",
    "journalist", "photographer",
    "published", "updated", "posted", "read", "more", "follow", "email", "contact", "about", "view", "all",
    "posts", "articles", "admin", "administrator", "guest", "anonymous", "unknown", "null", "none", "team",
}  # fmt: skip
# lower-case words an author's name may hold ("Ludwig van Beethoven", "Ali bin Hamad")
AUTHOR_NAME_PARTICLES = {
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das", "bin",
    "ibn", "al", "el", "y", "of", "the", "and", "for", "&",
}  # fmt: skip


def author_name(name: str) -> bool:
    """A byline field that names a person or an organisation: short, no digits or markup, capitalised."""
    if not 2 <= len(name) <= 60 or re.search(r"[0-9@/#=<>{}\[\]]|https?:|www\.", name):
        return False
    words = name.split()
    if len(words) > 6:
        return False
    if any(w.lower().strip(".,'’") in NOT_AN_AUTHOR for w in words):
        return False
    # a word starting in lower case must be a particle; scripts without case (王小明) pass
    return all(not w[0].islower() or w.lower() in AUTHOR_NAME_PARTICLES for w in words) and any(
        w[0].isalpha() and not w[0].islower() for w in words
    )
