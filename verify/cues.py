"""Reporting cues of news writing: the verbs and phrases that credit a statement to someone.

Every verb is listed once with its forms; `reporting_cue()` compiles them into one pattern.
Forms that are also common nouns ('states', 'claims', 'a note', 'a tweet') are kept apart so the
parser can require a verb reading before it takes them as a credit ('20 different states' is no
credit, 'the report states that' is).
"""

from __future__ import annotations

import re

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
NOUN_FORMS = {
    "states", "claims", "notes", "reports", "posts", "tweets", "comments", "remarks", "replies",
    "promises", "pledges", "vows", "jokes", "charges", "emails", "blogs", "counters", "stresses",
    "muses", "wonders", "quips", "retorts",
}
# base forms the parser takes only after a subject ('officials say', 'they argue'); the others
# ('note', 'claim', 'state', 'report', ...) are too often nouns
_BASE_FORMS = ("say", "tell", "argue", "insist", "warn", "explain", "suggest", "acknowledge", "concede",
               "contend", "maintain", "predict", "admit", "write", "add", "allege", "deny", "insist",
               "caution", "complain")
# verb forms whose subject is the speaker only when nothing but a subject precedes them; an -ing
# form ('..., saying the plan failed') credits the subject of its sentence
PARTICIPLES = {forms[2] for forms in _VERBS.values()}
# participles that are also nouns or adjectives ('a warning', 'the writing', 'reporting season')
_NOUN_PARTICIPLES = {"warning", "writing", "reporting", "posting", "promising", "charging", "continuing",
                     "blogging", "musing", "wondering", "stressing", "joking", "counting"}
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


VERB_FORMS = frozenset(_alternatives())
ALL_FORMS = frozenset(f for forms in _VERBS.values() for f in forms) | set(_VERBS)


def reporting_cue() -> re.Pattern[str]:
    """One pattern for every cue: multiword phrases first, then the verb forms, as whole words."""
    words = "|".join(_alternatives())
    return re.compile(rf"\b(?:{'|'.join(_PHRASES)}|(?:{words}))\b")


BASE_FORMS = frozenset(_BASE_FORMS)
