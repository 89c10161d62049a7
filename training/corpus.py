"""A template corpus written for this project: news-like articles about fictional entities, and
entailment pairs made from the facts behind them.

Every sentence is rendered from a structured fact (who did what to whom, with which figure, date,
place ...), so a pair's label follows from the facts, not from the wording:

  entailment     the same fact in other words: another voice or converse verb ("NASA ordered 12
                 flights from SpaceX" / "SpaceX received an order for 12 flights from NASA"),
                 synonyms, another notation of the same value ("$1.6 billion" / "$1,600 million",
                 "12 to 18 April" / "April 12-18"), fewer details, a coarser date, the reported
                 fact without "X said"; a symmetric relation with its parties exchanged
  contradiction  agent and recipient inverted (in any voice), one value changed (figure, money,
                 percentage, count, year, month, day or date range, duration, ordinal, score, a
                 job title), a party replaced by another entity, a negation added or removed, a
                 rise read as a fall
  neutral        a claim with a detail the evidence lacks (a figure, date, place ...), a finer date
                 than the evidence gives, another fact of the same article, a plan read as done

The names (organisations as acronyms, CamelCase and multi-word names, people with titles,
places) come from two disjoint pools: "train" for training, "heldout" for evaluation.
Everything is seeded.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from typing import Any

from training.data import CONTRADICTION, ENTAILMENT, MONTHS, NEUTRAL, Pair, synthetic_pairs

# ---------------------------------------------------------------- names (fictional)

ACRONYMS = [
    "NASA", "CMSA", "ESRA", "KTA", "NRC", "BDF", "PTSA", "ICAR", "MTB", "SRAC", "DPW", "FNCA", "OTRA",
    "GLX", "HBRC", "VEDA", "NTSO", "CRDA", "AMEX", "WFPA", "LTRC", "BNSA", "PRQ", "JDCA", "EUMA", "SKRA",
    "TVNA", "MRCB", "OGFA", "ZRTA", "DHCA", "UKSB",
]  # fmt: skip
CAMEL_PREFIXES = [
    "Space", "Orbi", "Astra", "Nova", "Terra", "Helio", "Quanti", "Blue", "Star", "Data", "Medi", "Agri",
    "Vita", "Geo", "Aero", "Hydro", "Cyber", "Lumen", "Zen", "Rail",
]  # fmt: skip
CAMEL_SUFFIXES = ["X", "Tek", "Lab", "Works", "Corp", "Net", "Link", "Flow", "Hub", "Wave", "Gen", "Core"]
PLACE_WORDS = [
    "Northfield", "Redmarsh", "Calloway", "Brixton", "Dunmore", "Ashgrove", "Kestrel", "Marlow", "Halden",
    "Ostrava", "Pellham", "Quarry", "Rothwell", "Selby", "Tarrow", "Umber", "Varna", "Westmoor", "Yarrow",
    "Zeller", "Alder", "Birchwood", "Carrick", "Delmont", "Eastleigh", "Fenwick", "Glenrock", "Harwick",
]  # fmt: skip
INDUSTRIES = [
    "Aerospace", "Bank", "Motors", "Energy", "Mining", "Logistics", "Pharma", "Airlines", "Rail", "Holdings",
    "Telecom", "Foods", "Shipping", "Steel", "Capital", "Insurance",
]  # fmt: skip
CLUB_SUFFIXES = ["United", "Rovers", "Athletic", "City", "Wanderers", "Rangers"]
FIRST_NAMES = [
    "Ana", "Tom", "Maria", "David", "Lena", "Samuel", "Grace", "Omar", "Julia", "Peter", "Nadia", "Hugo",
    "Clara", "Ivan", "Sofia", "Marcus", "Elena", "Daniel", "Rosa", "Victor", "Helen", "Kofi", "Irene",
    "Felix", "Amara", "Jonas", "Leila", "Oscar", "Priya", "Simon", "Yara", "Edgar", "Mei", "Robert",
]  # fmt: skip
LAST_NAMES = [
    "Ruiz", "Okafor", "Lindqvist", "Marchetti", "Brennan", "Kowalski", "Haddad", "Moreau", "Tanaka",
    "Abara", "Fischer", "Novak", "Delgado", "Ostrowski", "Whitlock", "Castellano", "Varga", "Mensah",
    "Holloway", "Petrov", "Sandoval", "Achterberg", "Quinlan", "Rasmussen", "Bellamy", "Igwe", "Larsen",
    "Duarte", "Kaplan", "Moretti", "Nakamura", "Oyelaran", "Strand", "Treviño", "Ulrich", "Wexler",
    "Adeyemi", "Bianchi", "Carvalho", "Dubois", "Eriksen", "Ferreira", "Gallagher", "Horvat", "Iversen",
    "Jankowski", "Keller", "Lombardi", "Maddox", "Nilsson", "Orlov", "Pereira", "Rahman", "Schofield",
    "Takahashi", "Vance", "Yilmaz", "Zamora", "Barlow", "Cruz",
]  # fmt: skip
TITLES = ["Senator", "Governor", "Mayor", "Minister", "Dr.", "Professor", "Judge", "Commissioner"]
PLACES = [
    "Port Alder", "Kessington", "Brava Falls", "New Halden", "Lake Orrin", "Cape Marlow", "Westbrook",
    "Dunhollow", "San Teodoro", "Fort Kellan", "Mirabel", "Eastport", "Greyhaven", "Santa Lucena",
    "Ridgemont", "Varenna", "Oakridge", "Bellport", "Northgate", "Ashford Bay",
]  # fmt: skip
GROUPS = [  # plural groups: each line is one group in synonymous words
    ["private firms", "private companies", "private businesses"],
    ["local farmers", "farmers in the region"],
    ["start-ups", "startups", "young companies"],
    ["foreign investors", "investors from abroad"],
    ["small businesses", "small firms"],
    ["regional airlines", "regional carriers"],
    ["public universities", "state universities"],
    ["rural hospitals", "hospitals in rural areas"],
]  # fmt: skip
ORDER_NOUNS = ["flights", "satellites", "trucks", "turbines", "aircraft", "buses", "rockets", "drones",
               "trains", "ships", "locomotives", "helicopters", "launches", "engines"]  # fmt: skip
PURPOSES = ["future space missions", "new rail lines", "a lunar lander", "cargo flights", "a new port",
            "offshore wind farms", "water projects", "a research station", "rural broadband"]  # fmt: skip
TOPICS = ["unpaid fees", "a breach of contract", "patent infringement", "delayed deliveries",
          "its safety record", "the budget plan", "pollution at a plant", "a missed deadline",
          "its hiring policy", "the tender process"]  # fmt: skip
JOB_ROLES = ["chief executive", "chief financial officer", "chief operating officer", "head of research",
             "general counsel", "chief engineer", "head of marketing", "director of operations"]  # fmt: skip
METRICS = ["revenue", "profit", "sales", "exports", "passenger numbers", "output"]
EVENTS = ["annual conference", "shareholder meeting", "trade fair", "launch event", "summit", "festival"]
VEHICLES = ["rocket", "satellite", "probe", "cargo ship", "crew capsule"]
PROFESSIONS = [
    "geologist", "astrophysicist", "chemist", "pianist", "saxophonist", "violinist", "architect", "surgeon",
    "novelist", "painter", "sculptor", "economist", "historian", "lawyer", "journalist", "photographer",
    "engineer", "botanist", "composer", "cellist", "playwright", "poet", "physicist", "biologist",
    "mathematician", "film director", "cartoonist", "diplomat",
]  # fmt: skip
NATIONALITIES = [
    ("Italian", "Italy"), ("Spanish", "Spain"), ("Danish", "Denmark"), ("Norwegian", "Norway"),
    ("Polish", "Poland"), ("Dutch", "the Netherlands"), ("Greek", "Greece"), ("Irish", "Ireland"),
    ("Portuguese", "Portugal"), ("Swedish", "Sweden"), ("Finnish", "Finland"), ("Austrian", "Austria"),
    ("Belgian", "Belgium"), ("Chilean", "Chile"), ("Kenyan", "Kenya"), ("Nigerian", "Nigeria"),
    ("Canadian", "Canada"), ("Mexican", "Mexico"), ("Japanese", "Japan"), ("Indian", "India"),
    ("Turkish", "Turkey"), ("Hungarian", "Hungary"), ("Brazilian", "Brazil"), ("Egyptian", "Egypt"),
    ("Scottish", "Scotland"), ("Australian", "Australia"), ("American", "the United States"),
    ("British", "the United Kingdom"), ("French", "France"), ("German", "Germany"),
]  # fmt: skip
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                "eighteen", "nineteen", "twenty"]  # fmt: skip
ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth"]  # fmt: skip


@dataclass(frozen=True)
class Entity:
    kind: str  # "org", "agency", "club", "person", "group"
    name: str  # full form, e.g. "Governor Ana Ruiz", "SpaceX", "private firms"
    forms: tuple[str, ...] = ()  # other ways to refer to it ("Ana Ruiz", "Ruiz", synonyms of a group)
    plural: bool = False
    about: str = ""  # an appositive for a first mention ("a rocket maker based in Port Alder")

    def render(self, rng: random.Random) -> str:
        return rng.choice((self.name, *self.forms)) if self.forms else self.name

    def words(self) -> set[str]:
        return {w for form in (self.name, *self.forms) for w in form.split()}


@dataclass
class Pool:
    orgs: list[Entity]  # companies
    agencies: list[Entity]  # agencies, banks, governments: funders and buyers
    clubs: list[Entity]
    people: list[Entity]
    groups: list[Entity]
    places: list[str]


def _half(items: list[Any], part: int) -> list[Any]:
    return items[part::2]


def entity_pool(split: str) -> Pool:
    """The names of one split: "train" and "heldout" share no name (nor a last name or acronym)."""
    part = 0 if split == "train" else 1
    places = _half(PLACES, part)
    place_words = _half(PLACE_WORDS, part)
    camel = [
        p + s
        for i, p in enumerate(CAMEL_PREFIXES)
        for j, s in enumerate(CAMEL_SUFFIXES)
        if (i + j) % 2 == part
    ]
    business = ["a rocket maker", "a private lender", "an engineering firm", "a software company",
                "a logistics group", "a drone maker", "a family-owned company"]  # fmt: skip
    orgs = [Entity("org", n, about=f"{business[k % len(business)]} based in {places[k % len(places)]}")
            for k, n in enumerate(camel)]  # fmt: skip
    orgs += [
        Entity("org", f"{w} {ind}", about=f"which was founded in {1950 + (k * 7) % 70}")
        for k, (w, ind) in enumerate(
            (w, ind) for w in place_words for ind in _half(INDUSTRIES, (part + len(w)) % 2)
        )
    ]
    acronyms = _half(ACRONYMS, part)
    if split == "train":
        acronyms = sorted(set(acronyms) | {"NASA", "CMSA"})
        orgs.append(Entity("org", "SpaceX", about="a rocket maker based in Hawthorne"))
    else:
        acronyms = [a for a in acronyms if a not in {"NASA", "CMSA"}]
        orgs = [o for o in orgs if o.name != "SpaceX"]
    agency_about = ["the national space agency", "a state development bank",
                    "the regional transport authority",
                    "a public research agency", "the country's export credit agency"]  # fmt: skip
    agencies = [
        Entity("agency", a, about=agency_about[k % len(agency_about)]) for k, a in enumerate(acronyms)
    ]
    clubs = [Entity("club", f"{w} {s}") for k, w in enumerate(place_words) for s in CLUB_SUFFIXES[k % 3 :: 3]]
    people = []
    firsts, lasts = _half(FIRST_NAMES, part), _half(LAST_NAMES, part)
    for k, last in enumerate(lasts):  # one person per last name, so that a last name is unambiguous
        first = firsts[(k * 5) % len(firsts)]
        title = TITLES[k % len(TITLES)]
        people.append(Entity("person", f"{title} {first} {last}", forms=(f"{first} {last}", last)))
    groups = [Entity("group", g[0], forms=tuple(g[1:]), plural=True) for g in _half(GROUPS, part)]
    return Pool(orgs, agencies, clubs, people, groups, places)


# ---------------------------------------------------------------- values and their notations


@dataclass(frozen=True)
class Date:
    year: int
    month: int | None = None  # 1-12
    day: int | None = None
    day2: int | None = None  # the end of a range "March 6-7"
    show_year: bool = True

    def grain(self) -> str:
        return "range" if self.day2 else "day" if self.day else "month" if self.month else "year"


def render_date(date: Date, rng: random.Random) -> str:
    """A date phrase with its preposition, in one of several notations."""
    year = f" {date.year}" if date.show_year else ""
    if date.month is None:
        return f"in {date.year}"
    month = MONTHS[date.month - 1]
    if date.day is None:
        return rng.choice(
            [f"in {month}{year}", f"in {month} of {date.year}" if date.show_year else f"in {month}"]
        )
    if date.day2 is None:
        forms = [f"on {month} {date.day}" + ("," + year if year else ""), f"on {date.day} {month}{year}"]
        if not date.show_year:
            forms.append(f"on {month} {_ordinal_suffix(date.day)}")
        return rng.choice(forms)
    a, b = date.day, date.day2
    forms = [
        f"on {month} {a}-{b}" + ("," + year if year else ""),
        f"on {a}-{b} {month}{year}",
        f"from {a} to {b} {month}{year}",
        f"from {month} {a} to {b}" + ("," + year if year else ""),
        f"on {a} to {b} {month}{year}",
        f"between {month} {a} and {b}" + ("," + year if year else ""),
    ]
    return rng.choice(forms)


def _ordinal_suffix(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def coarser(date: Date, rng: random.Random) -> Date:
    """A less precise date that the given one still implies."""
    if date.day and rng.random() < 0.6:
        return replace(date, day=None, day2=None)
    if date.show_year and date.month and rng.random() < 0.7:
        return Date(date.year)
    return date


def render_money(value: float, rng: random.Random) -> str:
    if value >= 1e9:
        b = value / 1e9
        text = _num(b)
        millions = f"{value / 1e6:,.0f}"
        forms = [f"${text} billion", f"${text} billion", f"${millions} million", f"{text} billion dollars",
                 f"${text}bn", f"US${text} billion"]  # fmt: skip
    else:
        m = value / 1e6
        text = _num(m)
        forms = [f"${text} million", f"${text} million", f"{text} million dollars", f"${text}m",
                 f"US${text} million"]  # fmt: skip
        if m >= 100 and m % 100 == 0:
            forms.append(f"${m / 1000:g} billion")
    return rng.choice(["", "", "", "", "about ", "nearly "]) + rng.choice(forms)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x < 100 else f"{x:,.0f}"


def new_money(value: float, rng: random.Random) -> float:
    """Another amount: a changed leading figure or a changed scale (million <-> billion)."""
    choice = rng.random()
    if choice < 0.2:
        return value * 1000 if value < 1e9 else value / 1000
    unit = 1e9 if value >= 1e9 else 1e6
    mantissa = value / unit
    options = [round(mantissa * f, 1) for f in (0.5, 2, 3, 10)]
    if mantissa < 10:
        options += [round(mantissa + d, 1) for d in (-2, -1, 1, 2, 3, 5) if mantissa + d > 0.05]
    else:
        options += [round(mantissa * f) for f in (0.6, 0.75, 1.25, 1.5)]
    options = [o for o in options if abs(o - mantissa) > 0.05 and (o * unit >= 1e9) == (unit == 1e9)]
    return rng.choice(options) * unit


def random_money(rng: random.Random) -> float:
    if rng.random() < 0.4:
        return rng.choice([1.2, 1.6, 2.5, 3.1, 4.0, 1.1, 2.3, 5.5, 7.0]) * 1e9
    return rng.choice([12, 25, 40, 75, 120, 150, 300, 400, 600, 850]) * 1e6


def render_count(n: int, rng: random.Random) -> str:
    if n <= 20 and rng.random() < 0.35:
        return NUMBER_WORDS[n]
    if n >= 1000:
        return f"{n:,}" if rng.random() < 0.7 else str(n)
    return str(n)


def new_count(n: int, rng: random.Random) -> int:
    if n < 20:
        return rng.choice([m for m in range(2, 21) if m != n])
    return rng.choice([m for m in (int(n * f) for f in (0.5, 0.75, 1.5, 2, 3)) if m != n])


def render_percent(p: float, rng: random.Random) -> str:
    text = f"{p:g}"
    return rng.choice([f"{text}%", f"{text} percent", f"{text} per cent"])


def render_duration(n: int, rng: random.Random, adjective: bool) -> str:
    word = NUMBER_WORDS[n] if rng.random() < 0.6 else str(n)
    return f"{word}-year" if adjective else f"{word} years"


def render_ordinal(n: int, rng: random.Random) -> str:
    return ORDINALS[n] if rng.random() < 0.6 else _ordinal_suffix(n)


# ---------------------------------------------------------------- frames (templates)


@dataclass(frozen=True)
class Frame:
    name: str
    agents: tuple[str, ...]  # entity kinds that can be the agent
    recipients: tuple[str, ...]
    templates: tuple[str, ...]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    invertible: bool = True  # exchanging agent and recipient changes the fact
    negatable: bool = True
    inverted: tuple[str, ...] = ()  # extra renderings of the fact with agent and recipient inverted


# {A} agent, {B} recipient; <positive|negative>; [...] an optional part, kept when its slots are given;
# {isA}/{wasA}/{isB}/{wasB} agree with the entity's number
FRAMES = [
    Frame("order", ("agency",), ("org",), (
        "{A} <ordered|did not order> {count} from {B}[ worth {money}]",
        "{A} <placed|did not place> an order with {B} for {count}[ worth {money}]",
        "{B} <received|did not receive> an order for {count} from {A}[ worth {money}]",
        "{B} <won|did not win> an order from {A} for {count}[ worth {money}]",
        "{B} <won|did not win> a contract from {A} for {count}[ worth {money}]",
        "{count} <were|were not> ordered from {B} by {A}[ for {money}]",
        "{A} <ordered|did not order> {count}[, valued at {money},] from {B}",
    ), required=("count",), optional=("money", "when")),
    Frame("fund", ("agency",), ("org", "group"), (
        "{A} <funded|did not fund> {B}[ with {money}]",
        "{A} <financed|did not finance> {B}[ with {money}]",
        "{B} <{wasB}|{wasB} not> funded by {A}[ with {money}]",
        "{B} <received|did not receive>[ {money} in] funding from {A}",
        "{A} <provided|did not provide>[ {money} in] funding to {B}",
        "{B} <{wasB}|{wasB} not> financed by {A}[ to the tune of {money}]",
    ), optional=("money", "when")),
    Frame("plan", ("agency",), ("group",), (
        "{A} <{isA}|{isA} not> weighing whether to finance {B}[ for {purpose}]",
        "{A} <{isA}|{isA} not> considering funding {B}[ for {purpose}]",
        "{A} <{isA}|{isA} not> debating whether to fund {B}[ for {purpose}]",
        "{A} <{isA}|{isA} not> looking at financing {B}[ for {purpose}]",
        "{A} <{isA}|{isA} not> considering whether it should fund {B}[ for {purpose}]",
    ), optional=("purpose",), inverted=(
        "{A} {isA} considering {B} funding {purpose}",
        "{A} {isA} weighing {B} financing {purpose}",
        "{A} {isA} considering letting {B} pay for {purpose}",
        "{A} {isA} considering {B} funding its work",
    )),
    Frame("defeat", ("person",), ("person",), (
        "{A} <defeated|did not defeat> {B} in the {place} mayoral election[ with {pct} of the vote]",
        "{B} <lost|did not lose> to {A} in the {place} mayoral election",
        "{B} <{wasB}|{wasB} not> defeated by {A} in the {place} mayoral election",
        "{A} <beat|did not beat> {B} in the {place} mayoral election[, winning {pct} of the vote]",
        "in the {place} mayoral election, {A} <defeated|did not defeat> {B}[ with {pct} of the vote]",
    ), required=("place",), optional=("pct", "when")),
    Frame("match", ("club",), ("club",), (
        "{A} <defeated|did not defeat> {B}[ {score}]",
        "{A} <beat|did not beat> {B}[ {score}]",
        "{B} <lost|did not lose>[ {score}] to {A}",
        "{B} <{wasB}|{wasB} not> beaten[ {score}] by {A}",
        "{A} <won|did not win> against {B}[ {score}]",
    ), optional=("score", "when")),
    Frame("acquire", ("org", "agency"), ("org",), (
        "{A} <acquired|did not acquire> {B}[ for {money}]",
        "{A} <bought|did not buy> {B}[ for {money}]",
        "{B} <was|was not> acquired by {A}[ for {money}]",
        "{B} <was|was not> bought by {A}[ in a deal worth {money}]",
        "{A} <took|did not take> over {B}[ in a {money} deal]",
        "{B} <was|was not> taken over by {A}[ for {money}]",
    ), optional=("money", "when")),
    Frame("sue", ("org", "person", "agency"), ("org", "agency"), (
        "{A} <sued|did not sue> {B}[ over {topic}]",
        "{B} <{wasB}|{wasB} not> sued by {A}[ over {topic}]",
        "{A} <filed|did not file> a lawsuit against {B}[ over {topic}]",
        "{A} <took|did not take> {B} to court[ over {topic}]",
        "{B} <faced|did not face> a lawsuit from {A}[ over {topic}]",
    ), optional=("topic", "when")),
    Frame("hire", ("org", "agency"), ("person",), (
        "{A} <hired|did not hire> {B} as {role}",
        "{B} <was|was not> hired by {A} as {role}",
        "{B} <was|was not> hired as {role} by {A}",
        "{A} <appointed|did not appoint> {B} as its {role}",
        "{B} <joined|did not join> {A} as {role}",
    ), required=("role",), optional=("when",), invertible=False),
    Frame("pay", ("agency", "org"), ("org", "person"), (
        "{A} <paid|did not pay> {B} {money}",
        "{A} <paid|did not pay> {money} to {B}",
        "{B} <received|did not receive> {money} from {A}",
        "{B} <was|was not> paid {money} by {A}",
        "{A} <made|did not make> a payment of {money} to {B}",
    ), required=("money",), optional=("when",)),
    Frame("criticise", ("person",), ("person", "org", "agency"), (
        "{A} <criticised|did not criticise> {B}[ over {topic}]",
        "{A} <criticized|did not criticize> {B}[ over {topic}]",
        "{B} <{wasB}|{wasB} not> criticised by {A}[ over {topic}]",
        "{B} <came|did not come> under criticism from {A}[ over {topic}]",
        "{A} <publicly criticised|did not publicly criticise> {B}[ over {topic}]",
    ), optional=("topic", "when")),
    Frame("metric", ("org",), (), (
        "{A}'s {metric} {rose} {pct}[ to {money}]",
        "{A}'s {metric} {increased} by {pct}[ to {money}]",
        "{A} reported a {pct} {rise} in {metric}[ to {money}]",
        "{A} said its {metric} {rose} by {pct}[ to {money}]",
    ), required=("metric", "pct", "direction"), optional=("money", "when"), invertible=False,
       negatable=False),
    Frame("employ", ("org", "agency"), (), (
        "{A} employs {n} people[ in {place}]",
        "{A} has {n} employees[ in {place}]",
        "{A} has a workforce of {n}[ in {place}]",
        "[in {place}, ]{A} employs {n} workers",
    ), required=("n",), optional=("place",), invertible=False, negatable=False),
    Frame("event", ("org", "agency"), (), (
        "{A} will hold its {event} in {place} {when}",
        "{A}'s {event} will take place in {place} {when}",
        "{A}'s {event} will be held {when} in {place}",
        "{A} said its {event} would take place in {place} {when}",
    ), required=("event", "place", "when"), invertible=False, negatable=False),
    Frame("contract", ("org", "agency"), ("org",), (
        "{A} <signed|did not sign> a {dur} contract with {B}[ worth {money}]",
        "{A} and {B} <signed|did not sign> a {dur} contract[ worth {money}]",
        "{B} <signed|did not sign> a {dur} agreement with {A}[ worth {money}]",
        "{A} <agreed|did not agree> a {dur} deal with {B}[ worth {money}]",
        "{A} and {B} <signed|did not sign> a contract lasting {durn}[ worth {money}]",
    ), required=("dur",), optional=("money", "when"), invertible=False),  # symmetric
    Frame("launch", ("org", "agency"), (), (
        "{A} <launched|did not launch> its {ord} {vehicle}",
        "{A} <carried|did not carry> out its {ord} {vehicle} launch",
        "it <was|was not> the {ord} {vehicle} launched by {A}",
        "{A} <launched|did not launch> a {vehicle} for the {ord} time",
    ), required=("ord", "vehicle"), optional=("when",), invertible=False),
]  # fmt: skip
# with `categories` (corpus_pairs): a person's nationality and profession, changed as contradictions
PROFILE = Frame(
    "profile",
    ("person",),
    (),
    (
        "{A} is {an_nationality} {nationality} {profession}[ based in {place}]",
        "{A} is {an_profession} {profession} from {country}[ who lives in {place}]",
        "{A} works as {an_profession} {profession}[ in {place}] and is {nationality}",
    ),
    required=("nationality", "profession"),
    optional=("place",),
    invertible=False,
    negatable=False,
)
FRAME = {f.name: f for f in [*FRAMES, PROFILE]}
# a changed profession or nationality, like a changed count, contradicts ("is a pianist", "ordered 12
# flights"); events and metrics are not changed ("its revenue rose" says nothing against "its profit rose")
VALUE_SLOTS = ("count", "money", "pct", "when", "score", "dur", "ord", "n", "role", "place", "direction",
               "nationality", "profession")  # fmt: skip
# the frames an article draws from with `categories`: the profile where the third stage had it
CATEGORY_FRAMES = [*FRAMES[:-1], PROFILE, FRAMES[-1]]


@dataclass(frozen=True)
class Fact:
    frame: str
    agent: Entity
    recipient: Entity | None
    values: dict[str, Any] = field(default_factory=dict, hash=False)
    negated: bool = False


def make_cast(pool: Pool, rng: random.Random) -> Pool:
    """The few entities one article is about (so that its facts share names)."""
    return Pool(
        rng.sample(pool.orgs, 4),
        rng.sample(pool.agencies, 2),
        rng.sample(pool.clubs, 2),
        rng.sample(pool.people, 4),
        rng.sample(pool.groups, 2),
        rng.sample(pool.places, 3),
    )


def make_fact(
    frame: Frame, cast: Pool, rng: random.Random, year: int, pairs: set[frozenset[str]]
) -> Fact | None:
    """A random fact of one frame about the article's cast; no two facts of an article relate the
    same two entities (so that one fact never implies another). None if nothing fits."""
    agent = rng.choice([e for k in frame.agents for e in _of_kind(cast, k)])
    recipient = None
    if frame.recipients:
        options = [
            e for k in frame.recipients for e in _of_kind(cast, k)
            if not e.words() & agent.words() and frozenset((agent.name, e.name)) not in pairs
        ]  # fmt: skip
        if not options:
            return None
        recipient = rng.choice(options)
        pairs.add(frozenset((agent.name, recipient.name)))
    values: dict[str, Any] = {}
    for slot in (*frame.required, *frame.optional):
        if slot in frame.optional and rng.random() < 0.35:
            continue
        values[slot] = random_value(slot, frame, cast, rng, year)
    return Fact(frame.name, agent, recipient, values)


def _of_kind(pool: Pool, kind: str) -> list[Entity]:
    return {"org": pool.orgs, "agency": pool.agencies, "club": pool.clubs, "person": pool.people,
            "group": pool.groups}[kind]  # fmt: skip


def random_value(slot: str, frame: Frame, pool: Pool, rng: random.Random, year: int) -> Any:
    if slot == "count":
        n = rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 14, 15, 20, 24, 30, 40, 50, 100, 120, 250])
        return (n, rng.choice(ORDER_NOUNS))
    if slot == "money":
        return random_money(rng)
    if slot == "pct":
        return rng.choice([3, 4.5, 7, 9, 12, 15, 18, 22, 27, 35, 41, 52, 54, 58, 61, 64])
    if slot == "when":
        return random_date(rng, year, ranged=frame.name == "event")
    if slot == "place":
        return rng.choice(pool.places)
    if slot == "purpose":
        return rng.choice(PURPOSES)
    if slot == "topic":
        return rng.choice(TOPICS)
    if slot == "role":
        return rng.choice(JOB_ROLES)
    if slot == "metric":
        return rng.choice(METRICS)
    if slot == "direction":
        return rng.choice([1, -1])
    if slot == "n":
        return rng.choice([45, 120, 300, 800, 1200, 2500, 4000, 12000, 35000])
    if slot == "event":
        return rng.choice(EVENTS)
    if slot == "score":
        a = rng.randint(1, 5)
        return (a, rng.randint(0, a - 1))
    if slot == "dur":
        return rng.randint(2, 10)
    if slot == "ord":
        return rng.randint(2, 12)
    if slot == "vehicle":
        return rng.choice(VEHICLES)
    if slot == "nationality":
        return rng.choice(NATIONALITIES)
    if slot == "profession":
        return rng.choice(PROFESSIONS)
    raise ValueError(slot)


def random_date(rng: random.Random, year: int, ranged: bool) -> Date:
    grain = rng.choice(["range", "range", "day"] if ranged else ["year", "month", "day", "day"])
    month = rng.randint(1, 12)
    if grain == "year":
        return Date(year)
    if grain == "month":
        return Date(year, month, show_year=rng.random() < 0.8)
    day = rng.randint(1, 26)
    if grain == "day":
        return Date(year, month, day, show_year=rng.random() < 0.7)
    return Date(year, month, day, day + rng.randint(1, 6), show_year=rng.random() < 0.5)


# ---------------------------------------------------------------- rendering

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_CHOICE = re.compile(r"<([^<>|]*)\|([^<>]*)>")
_SLOT = re.compile(r"\{(\w+)\}")


def slot_texts(fact: Fact, rng: random.Random) -> dict[str, str]:
    v = fact.values
    texts: dict[str, str] = {"A": fact.agent.render(rng)}
    texts["isA"], texts["wasA"] = ("are", "were") if fact.agent.plural else ("is", "was")
    if fact.recipient is not None:
        texts["B"] = fact.recipient.render(rng)
        texts["isB"], texts["wasB"] = ("are", "were") if fact.recipient.plural else ("is", "was")
    if "count" in v:
        n, noun = v["count"]
        texts["count"] = f"{render_count(n, rng)} {noun}"
    elif fact.frame == "order":
        texts["count"] = rng.choice(ORDER_NOUNS)  # replaced below by the fact's noun when known
    if "money" in v:
        texts["money"] = render_money(v["money"], rng)
    if "pct" in v:
        texts["pct"] = render_percent(v["pct"], rng)
    if "when" in v:
        texts["when"] = render_date(v["when"], rng)
    if "score" in v:
        a, b = v["score"]
        texts["score"] = rng.choice([f"{a}-{b}", f"{a}-{b}", f"by {a}-{b}"])
    if "dur" in v:
        texts["dur"] = render_duration(v["dur"], rng, adjective=True)
        texts["durn"] = render_duration(v["dur"], rng, adjective=False)
    if "ord" in v:
        texts["ord"] = render_ordinal(v["ord"], rng)
    if "n" in v:
        texts["n"] = render_count(v["n"], rng)
    if "direction" in v:
        up = v["direction"] > 0
        texts["rose"] = rng.choice(["rose", "grew", "climbed"] if up else ["fell", "dropped", "declined"])
        texts["increased"] = "increased" if up else "decreased"
        texts["rise"] = rng.choice(["rise", "increase"] if up else ["fall", "drop"])
    for slot in ("place", "purpose", "topic", "role", "metric", "event", "vehicle", "profession"):
        if slot in v:
            texts[slot] = v[slot]
    if "nationality" in v:
        texts["nationality"], texts["country"] = v["nationality"]
    for slot in ("nationality", "profession"):
        if slot in texts:
            texts["an_" + slot] = "an" if texts[slot][0].lower() in "aeiou" else "a"
    return texts


def render(fact: Fact, template: str, rng: random.Random) -> str:
    """The fact as a sentence in the words of one template."""
    text = render_clause(fact, template, rng)
    return text[0].upper() + text[1:] + "."


def render_clause(fact: Fact, template: str, rng: random.Random) -> str:
    """The fact in the words of one template, uncapitalised, without the full stop; a date the
    template does not place goes first or last."""
    texts = slot_texts(fact, rng)
    if fact.frame == "order" and "count" not in fact.values:
        texts["count"] = fact.values.get("noun", texts["count"])
    text = _CHOICE.sub(lambda m: m.group(2) if fact.negated else m.group(1), template)

    def optional(match: re.Match[str]) -> str:
        inner = match.group(1)
        return inner if all(s in texts for s in _SLOT.findall(inner)) else ""

    text = _OPTIONAL.sub(optional, text)
    text = _SLOT.sub(lambda m: texts[m.group(1)], text)
    if "when" in texts and "{when}" not in template:
        text = f"{texts['when']}, {text}" if rng.random() < 0.35 else f"{text} {texts['when']}"
    return text


# ---------------------------------------------------------------- articles


@dataclass
class Article:
    facts: list[Fact]
    sentences: list[str]  # one rendering of each fact, as the article states it

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def make_article(pool: Pool, rng: random.Random, categories: bool = False) -> Article:
    year = rng.randint(1995, 2024)
    cast = make_cast(pool, rng)
    related: set[frozenset[str]] = set()
    facts: list[Fact] = []
    frames = rng.sample(CATEGORY_FRAMES if categories else FRAMES, rng.randint(4, 7))
    for frame in frames:
        fact = make_fact(frame, cast, rng, year, related)
        if fact is None:
            continue
        if frame.negatable and rng.random() < 0.15:
            fact = replace(fact, negated=True, values=_required_only(fact))
        facts.append(fact)
    sentences = [article_sentence(f, pool, rng) for f in facts]
    return Article(facts, sentences)


def _required_only(fact: Fact) -> dict[str, Any]:
    frame = FRAME[fact.frame]
    kept = {k: v for k, v in fact.values.items() if k in frame.required}
    if fact.frame == "order" and "count" in fact.values:
        kept["noun"] = fact.values["count"][1]
        kept.pop("count", None)
    return kept


def article_sentence(fact: Fact, pool: Pool, rng: random.Random) -> str:
    """The fact as an article states it: any template, perhaps with an appositive or a speaker."""
    frame = FRAME[fact.frame]
    clause = render_clause(fact, rng.choice(frame.templates), rng)
    if fact.agent.about and rng.random() < 0.3 and clause.startswith(fact.agent.name + " "):
        clause = f"{fact.agent.name}, {fact.agent.about},{clause[len(fact.agent.name) :]}"
    if rng.random() < 0.25:
        speaker = rng.choice([p for p in pool.people if not p.words() & _words_of(fact)]).render(rng)
        clause = rng.choice(
            [
                f"according to {speaker}, {clause}",
                f"{clause}, {speaker} said",
                f"{speaker} said that {clause}",
            ]
        )
    return clause[0].upper() + clause[1:] + "."


def _words_of(fact: Fact) -> set[str]:
    return fact.agent.words() | (fact.recipient.words() if fact.recipient else set())


# ---------------------------------------------------------------- pairs from facts


def _other_template(frame: Frame, rng: random.Random) -> str:
    return rng.choice(frame.templates)


def dropped(fact: Fact, rng: random.Random, keep: str | None = None) -> Fact:
    """The fact with some optional details left out or made coarser (still implied by the fact)."""
    frame = FRAME[fact.frame]
    values = dict(fact.values)
    for slot in frame.optional:
        if slot in values and slot != keep and rng.random() < 0.4:
            values.pop(slot)
    if "when" in values and keep != "when":
        values["when"] = coarser(values["when"], rng)
    if fact.frame == "order" and "count" in values and keep != "count" and rng.random() < 0.2:
        values["noun"] = values.pop("count")[1]
    return replace(fact, values=values)


def change_value(fact: Fact, slot: str, pool: Pool, rng: random.Random) -> Fact | None:
    """The fact with one value changed so that it no longer holds (None if the slot cannot change)."""
    v = dict(fact.values)
    if slot == "count-noun" and "count" in v:  # "12 flights" -> "12 trucks"
        n, noun = v["count"]
        v["count"] = (n, rng.choice([o for o in ORDER_NOUNS if o != noun]))
        return replace(fact, values=v)
    old = v.get(slot)
    if old is None:
        return None
    if slot == "count":
        v["count"] = (new_count(old[0], rng), old[1])
    elif slot == "money":
        v["money"] = new_money(old, rng)
    elif slot == "pct":
        v["pct"] = rng.choice([p for p in (5, 8, 11, 14, 19, 25, 31, 38, 45, 48, 57, 66) if p != old])
    elif slot == "n":
        v["n"] = new_count(old, rng)
    elif slot == "when":
        v["when"] = changed_date(old, rng)
    elif slot == "score":
        a, b = old
        v["score"] = rng.choice([(a + 1, b), (a, b + 1) if b + 1 < a else (a + 2, b), (a + 1, b + 1)])
    elif slot == "dur":
        v["dur"] = rng.choice([d for d in range(2, 11) if d != old])
    elif slot == "ord":
        v["ord"] = rng.choice([d for d in range(2, 13) if d != old])
    elif slot in ("role", "place"):
        options = JOB_ROLES if slot == "role" else pool.places
        v[slot] = rng.choice([o for o in options if o != old])
    elif slot == "direction":
        v["direction"] = -old
    elif slot == "nationality":
        v["nationality"] = rng.choice([o for o in NATIONALITIES if o != old])
    elif slot == "profession":
        v["profession"] = rng.choice([o for o in PROFESSIONS if o != old])
    else:
        return None
    return replace(fact, values=v)


def changed_date(date: Date, rng: random.Random) -> Date:
    """A different date at the same precision (the hypothesis shows the changed part)."""
    parts = ["year"] if date.show_year else []
    if date.month:
        parts.append("month")
    if date.day:
        parts.append("day")
    part = rng.choice(parts)
    if part == "year":
        return replace(date, year=date.year + rng.choice([-10, -5, -3, -2, -1, 1, 2, 4, 7]))
    if part == "month":
        return replace(date, month=rng.choice([m for m in range(1, 13) if m != date.month]))
    assert date.day is not None
    shift = rng.choice([-9, -7, -5, 3, 4, 7, 10, 14])
    day = date.day + shift if 1 <= date.day + shift <= 26 else date.day - shift
    if date.day2:
        return replace(date, day=day, day2=day + (date.day2 - date.day))
    return replace(date, day=day)


def fact_pairs(
    article: Article, pool: Pool, rng: random.Random, window: float = 0.2, categories: bool = False
) -> list[Pair]:
    """One pair per fact of the article, its label drawn uniformly, made from the facts."""
    pairs = []
    for index, fact in enumerate(article.facts):
        frame = FRAME[fact.frame]
        premise = article.sentences[index]
        if rng.random() < window and len(article.sentences) > 1:
            other = article.sentences[index - 1] if index else article.sentences[index + 1]
            premise = f"{premise} {other}" if rng.random() < 0.5 else f"{other} {premise}"
        label = rng.randrange(3)
        pair = None
        if label == ENTAILMENT:
            pair = _entailed(fact, frame, premise, rng)
        elif label == CONTRADICTION:
            pair = _contradicted(fact, frame, premise, pool, rng, categories)
        else:
            pair = _neutral(article, index, fact, frame, pool, rng)
        if pair is not None:
            pairs.append(pair)
    return pairs


def _entailed(fact: Fact, frame: Frame, premise: str, rng: random.Random) -> Pair:
    # the premise is the article's sentence; the hypothesis the same fact, perhaps with less detail
    short = dropped(fact, rng) if rng.random() < 0.6 else fact
    kind = "t-paraphrase" if short.values == fact.values else "t-paraphrase-short"
    if frame.name == "contract" and rng.random() < 0.4:
        assert fact.recipient is not None  # a contract names both sides
        short = replace(short, agent=fact.recipient, recipient=fact.agent)  # symmetric: still the same
        kind = "t-symmetric"
    return Pair(premise, render(short, _other_template(frame, rng), rng), ENTAILMENT, kind)


def _contradicted(
    fact: Fact, frame: Frame, premise: str, pool: Pool, rng: random.Random, categories: bool = False
) -> Pair | None:
    kinds = []
    if fact.negated:
        kinds += ["t-unnegation"] * 3
    else:
        if frame.negatable:
            kinds.append("t-negation")
        if frame.invertible and fact.recipient is not None:
            kinds += ["t-roles"] * 3
        kinds += ["t-value"] * 3 if any(s in fact.values for s in VALUE_SLOTS if s != "place") else []
        kinds.append("t-name")
    kind = rng.choice(kinds)
    if kind == "t-unnegation":
        positive = replace(fact, negated=False)
        return Pair(premise, render(positive, _other_template(frame, rng), rng), CONTRADICTION, kind)
    if kind == "t-negation":
        negated = replace(fact, negated=True, values=_required_only(fact))
        return Pair(premise, render(negated, _other_template(frame, rng), rng), CONTRADICTION, kind)
    if kind == "t-roles":
        base = dropped(fact, rng)
        if frame.inverted and "purpose" in base.values and rng.random() < 0.5:
            return Pair(premise, render(base, rng.choice(frame.inverted), rng), CONTRADICTION, kind)
        assert base.recipient is not None
        inverted = replace(base, agent=base.recipient, recipient=base.agent)
        return Pair(premise, render(inverted, _other_template(frame, rng), rng), CONTRADICTION, kind)
    if kind == "t-value":
        slot = rng.choice(
            [s for s in VALUE_SLOTS if s in fact.values and (s != "place" or frame.name != "employ")]
        )
        kept = slot
        if categories and slot == "count" and rng.random() < 0.3:
            slot = "count-noun"  # the thing counted changes, not the count
        changed = change_value(dropped(fact, rng, keep=kept), slot, pool, rng)
        if changed is None:
            return None
        label_kind = {"when": "t-date", "money": "t-money", "pct": "t-percent", "count": "t-count",
                      "n": "t-count", "direction": "t-antonym", "profession": "t-category",
                      "count-noun": "t-category"}.get(slot, "t-" + slot)  # fmt: skip
        return Pair(premise, render(changed, _other_template(frame, rng), rng), CONTRADICTION, label_kind)
    # t-name: the agent or the recipient replaced by another entity of the same kind
    which = "recipient" if fact.recipient is not None and rng.random() < 0.5 else "agent"
    old: Entity = getattr(fact, which)
    options = [e for e in _of_kind(pool, old.kind) if not e.words() & old.words() and e.name != old.name]
    other = fact.recipient if which == "agent" else fact.agent
    if other is not None:
        options = [e for e in options if not e.words() & other.words()]
    if not options:
        return None
    swapped: dict[str, Any] = {which: rng.choice(options)}
    changed = replace(dropped(fact, rng), **swapped)
    return Pair(premise, render(changed, _other_template(frame, rng), rng), CONTRADICTION, kind)


def _neutral(
    article: Article, index: int, fact: Fact, frame: Frame, pool: Pool, rng: random.Random
) -> Pair | None:
    choice = rng.random()
    optional = [s for s in frame.optional if s in fact.values]
    if choice < 0.55 and optional and not fact.negated:
        # the claim says more than the evidence: the premise lacks a detail the hypothesis has
        slot = rng.choice(optional)
        values = {k: v for k, v in fact.values.items() if k != slot}
        if slot == "when":
            date: Date = fact.values["when"]
            finer_than = coarser(date, rng)
            if finer_than != date and rng.random() < 0.5:
                values["when"] = finer_than  # the premise has a coarser date than the claim
        premise = render(replace(fact, values=values), _other_template(frame, rng), rng)
        return Pair(premise, render(fact, _other_template(frame, rng), rng), NEUTRAL, "t-more-detail")
    if choice < 0.65 and fact.frame == "plan" and not fact.negated and fact.recipient is not None:
        done = Fact("fund", fact.agent, fact.recipient, {})
        return Pair(article.sentences[index], render(done, rng.choice(FRAME["fund"].templates), rng), NEUTRAL,
                    "t-plan-vs-done")  # fmt: skip
    others = [i for i in range(len(article.facts)) if i != index]
    if not others:
        return None
    names = {fact.agent.name} | ({fact.recipient.name} if fact.recipient else set())
    sharing = [i for i in others if names & _names(article.facts[i])]
    other = rng.choice(sharing or others)
    hypothesis = render(
        dropped(article.facts[other], rng), _other_template(FRAME[article.facts[other].frame], rng), rng
    )
    return Pair(article.sentences[index], hypothesis, NEUTRAL, "t-other-fact")


def _names(fact: Fact) -> set[str]:
    return {fact.agent.name} | ({fact.recipient.name} if fact.recipient else set())


def corpus_pairs(
    split: str, seed: int, articles: int, perturbation_share: float = 0.4, categories: bool = False
) -> list[Pair]:
    """Pairs from `articles` template articles of one name pool: those made from the facts, and
    (about `perturbation_share` of them) those of training/data.py's perturbations of the sentences.

    `categories` adds people's nationalities and professions and changes the thing an order counts
    (kinds t-category, t-nationality); without it the corpus is the one the shipped model saw."""
    pool = entity_pool(split)
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for _ in range(articles):
        article = make_article(pool, rng, categories)
        if rng.random() < perturbation_share:
            pairs.extend(synthetic_pairs(article.sentences, article.text, rng, window=0.2))
        else:
            pairs.extend(fact_pairs(article, pool, rng, categories=categories))
    rng.shuffle(pairs)
    return pairs


def main() -> None:
    """Print a sample of each kind of pair (to read the labels): python -m training.corpus [kind]."""
    import sys
    from collections import defaultdict

    by_kind: dict[str, list[Pair]] = defaultdict(list)
    for pair in corpus_pairs("train", seed=5, articles=3000, categories=True):
        by_kind[pair.kind].append(pair)
    wanted = sys.argv[1:] or sorted(by_kind)
    for kind in wanted:
        print(f"=== {kind} ({len(by_kind[kind])})")
        for pair in by_kind[kind][:40]:
            print(f"  P: {pair.premise}\n  H: {pair.hypothesis}  [{('E', 'N', 'C')[pair.label]}]")


if __name__ == "__main__":
    main()
