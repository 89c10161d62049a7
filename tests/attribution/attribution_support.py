"""What the attribution tests share: an article, a source page and finding filters."""

from __future__ import annotations

from pathlib import Path

from verify.models import Article, Document, Finding, Sentence, SourceRef

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "cmsa-private-rockets.txt"


def article(text: str) -> Article:
    return Article(path="a.txt", raw=text, text=text, format="text")


def page(*sentences: str, url: str = "https://news.example.com/story", title: str = "") -> Document:
    parts, pos = [], 0
    for index, text in enumerate(sentences):
        parts.append(Sentence(index=index, text=text, start=pos, end=pos + len(text)))
        pos += len(text) + 1
    return Document(ref=SourceRef(url=url), text="\n".join(sentences), sentences=tuple(parts), title=title)


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, findings
    return matching[0]


SOURCE = page(
    "The authority met on Monday.",
    '"It\'s a 12-year deal and we have commitments," said Robert Mulcahy, the president of the authority.',
    '"We will think about more," said Michael Rowe, the general manager of the arena.',
    '"We suggested it," said Lou Lamoriello, the president of the Devils.',
    "Gautam Bhatia, a Delhi-based lawyer, welcomed the ruling.",
)


NEWS = page(
    '"Tariffs are a tax on families," said Chad Rowntree, an expert on trade at the Harbor Institute.',
    "Gordon Keele, Canada's ambassador to Chile, said the talks went well.",
    "Will Darrow, a professor of history at Lakeside College, said the archive was unique.",
    "Senator Ruth Abernathy said she would oppose the bill. Mayor Dan Pruitt welcomed it.",
    '"We cannot afford another delay," said Ruth Abernathy.',
    "Abernathy also stated her intention to vote against the budget on Wednesday.",
    "Pruitt said the city would appeal. He added that the vote was close.",
)
