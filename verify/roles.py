"""Who does what to whom, for a few directional actions: "A funds B" is not "B funds A".

Only actions whose direction changes the meaning are read (funding, paying, buying, defeating,
suing, hiring, ...). The agent is the noun phrase before the verb (after "by" in the passive,
the sentence's subject before "to <verb>"); the recipient is the phrase after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import tokens
from .tuning import ROLE_PHRASE_WORDS

ACTIONS = {
    "fund": r"fund(?:s|ed|ing)?|financ(?:e|es|ed|ing)|bankroll(?:s|ed|ing)?|sponsor(?:s|ed|ing)?",
    "acquire": r"acquir(?:e|es|ed|ing)|bought|buy(?:s|ing)?|purchas(?:e|es|ed|ing)|took over|takes over",
    "defeat": r"defeat(?:s|ed|ing)?|beat(?:s|en|ing)?",
    "sue": r"sue[sd]?|suing",
    "hire": r"hir(?:e|es|ed|ing)",
    "pay": r"pa(?:ys|id|ying|y)",
    "invest": r"invest(?:s|ed|ing)? in",
}
VERB = re.compile(r"\b(" + "|".join(f"(?P<{k}>{v})" for k, v in ACTIONS.items()) + r")\b", re.I)
BOUNDARY = {
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "that", "which", "who", "whom",
    "whether", "to", "and", "or", "but", "considering", "consider", "said", "says", "will", "would", "could",
    "may", "might", "can", "should", "after", "before", "when", "while", "because", "if", "as", "for", "in",
    "on", "at", "with", "from", "of", "into", "than", "also", "not", "never", "weighing", "plans", "planned",
    "agreed", "decided", "announced",
}  # fmt: skip
SKIP = {"the", "a", "an", "its", "their", "his", "her", "some", "several", "other", "new"}
SAME = {
    "firm": "compani",
    "busi": "compani",
    "startup": "compani",
    "corpor": "compani",
    "enterpris": "compani",
}
PASSIVE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", re.I)
WORD = re.compile(r"[\w$€£.'’-]+")


@dataclass(frozen=True)
class Relation:
    action: str
    agent: frozenset[str]
    recipient: frozenset[str]
    agent_text: str
    recipient_text: str
    verb: str

    def agrees(self, claim: Relation) -> bool:
        """Same direction as the claim's relation (an unknown side does not count against it)."""
        return _fits(claim.agent, self.agent) and _fits(claim.recipient, self.recipient)

    def inverts(self, claim: Relation) -> bool:
        """The claim's agent is this relation's recipient (or its recipient this agent)."""
        crossed = bool(claim.agent & self.recipient) and not claim.agent & self.agent
        crossed_back = bool(claim.recipient & self.agent) and not claim.recipient & self.recipient
        return crossed or crossed_back

    def describe(self) -> str:
        agent = self.agent_text or "someone"
        recipient = self.recipient_text or "something"
        return f"{agent} {self.verb} {recipient}"


def _fits(claim_side: frozenset[str], other: frozenset[str]) -> bool:
    return not claim_side or not other or bool(claim_side & other)


def relations(text: str) -> list[Relation]:
    """The directional relations a sentence states."""
    found = []
    for m in VERB.finditer(text):
        action = next(k for k, v in m.groupdict().items() if v and k in ACTIONS)
        before, after = text[: m.start()], text[m.end() :]
        recipient_text = _phrase(after, forward=True)
        by = re.match(r"\s+by\b", after)
        recipient_text += _appositive(after)
        if m.group().lower().endswith("ing") and before.rstrip().endswith(","):
            # "Okafor was elected, defeating the mayor": the clause's subject does it
            agent_text = _phrase(before.rstrip()[:-1].split(",")[-1], forward=True)
        elif PASSIVE.search(before) and by:
            agent_text = _phrase(after[by.end() :], forward=True)
            recipient_text = _phrase(PASSIVE.sub("", before), forward=False)
        elif re.search(r"\bto\s+$", before):
            agent_text = _phrase(
                re.split(r"\s(?:is|are|was|were|has|have|had|will|would|plans|planned)\s", before)[0],
                forward=False,
            )
        else:
            agent_text = _phrase(before, forward=False)
        found.append(
            Relation(
                action, _heads(agent_text), _heads(recipient_text), agent_text, recipient_text, m.group()
            )
        )
    return found


def _phrase(text: str, *, forward: bool) -> str:
    """The noun phrase next to the verb: words up to a clause boundary or punctuation."""
    words = WORD.findall(text.split(",")[0] if forward else text.split(",")[-1])
    words = words if forward else words[::-1]
    kept: list[str] = []
    for word in words[:ROLE_PHRASE_WORDS]:
        if word.lower() in BOUNDARY or (word.endswith((".", ";")) and forward):
            if word.endswith((".", ";")) and word.lower().rstrip(".;") not in BOUNDARY:
                kept.append(word.rstrip(".;"))
            break
        kept.append(word)
    return " ".join(kept if forward else kept[::-1])


def _appositive(after: str) -> str:
    """The name that follows the recipient after a comma ("the sitting mayor, Gordon Pyle,")."""
    m = re.match(r"[^,.;]*,\s*((?:[A-Z][\w'’-]*\s?){1,4})(?=[,.;]|$)", after)
    return f", {m.group(1).strip()}" if m else ""


def _heads(phrase: str) -> frozenset[str]:
    return frozenset(SAME.get(t, t) for t in tokens(phrase) if t not in SKIP)
