"""Read an article file (plain text, Markdown with front matter, or HTML) into an Article.

The analysed prose keeps a map back to the file's characters, so every claim and finding
can point at the exact words of the original file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from .errors import InputError
from .frontmatter import parse_front_matter, parse_source_entries
from .localfiles import LOCAL_TYPES, FileProblem, read_regular_file
from .models import Article, SourceRef, line_starts

ARTICLE_SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm"}
MAX_ARTICLE_BYTES = 2 * 1024 * 1024  # Settings.max_article_bytes; config key max-article-bytes
URL_RE = re.compile(r"https?://[^\s<>()\[\]\"'`]+[^\s<>()\[\]\"'`.,;:!?]")


LONE_CR = re.compile(r"\r(?!\n)")


def load_article(path: Path, display: str | None = None, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Read and decode one article; raise InputError with a one-line reason when it cannot."""
    # old Mac line ends (a lone CR) become LF: the same length, so every offset still points into the file
    raw = LONE_CR.sub("\n", decode(read_bytes(path, max_bytes), path))
    name = display or str(path)
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        return _html_article(name, raw, path.parent)
    if suffix in {".md", ".markdown"}:
        return _markdown_article(name, raw, path.parent)
    return _text_article(name, raw)


def read_bytes(path: Path, limit: int = MAX_ARTICLE_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` of them (no FIFO, no device, nothing endless)."""
    try:
        data = read_regular_file(path, limit)
    except FileProblem as exc:
        reason = "is a folder, not an article" if str(exc) == "is a folder" else str(exc)
        raise InputError(f"{path}: {reason}") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    return data


def decode(data: bytes, path: Path | str = "") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252; refuse binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # an odd byte count is not fatal
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise InputError(f"{path}: looks like a binary file, not an article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("latin-1")


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return len(head) > 0 and controls / len(head) > 0.1


class _Builder:
    """Accumulates analysed text while remembering each character's position in the raw file."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets: list[int] = []
        self.headings: list[tuple[int, int]] = []

    @property
    def length(self) -> int:
        return len(self.offsets)

    def add(self, text: str, raw_start: int) -> None:
        self.parts.append(text)
        self.offsets.extend(range(raw_start, raw_start + len(text)))

    def add_mapped(self, text: str, raw_positions: Iterable[int]) -> None:
        self.parts.append(text)
        self.offsets.extend(raw_positions)

    def add_break(self, raw_pos: int) -> None:
        """A paragraph break: two newlines, mapped to where the break is in the file."""
        if self.length == 0 or "".join(self.parts[-2:]).endswith("\n\n"):
            return
        self.add_mapped("\n\n", (raw_pos, raw_pos))

    def article(self, name: str, raw: str, fmt: Any, title: str, sources: list[SourceRef]) -> Article:
        return Article(
            path=name,
            raw=raw,
            text="".join(self.parts),
            format=fmt,
            title=title,
            sources=tuple(_unique(sources)),
            offsets=tuple(self.offsets),
            line_starts=line_starts(raw),
            headings=tuple(self.headings),
        )


def _unique(refs: list[SourceRef]) -> list[SourceRef]:
    seen: set[tuple[str | None, str | None]] = set()
    out = []
    for ref in refs:
        key = (ref.url, str(ref.file) if ref.file else None)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def _text_article(name: str, raw: str) -> Article:
    sources = [SourceRef(url=m.group(), origin="link") for m in URL_RE.finditer(raw)]
    return Article(
        path=name,
        raw=raw,
        text=raw,
        format="text",
        sources=tuple(_unique(sources)),
        line_starts=line_starts(raw),
    )


# --- Markdown -------------------------------------------------------------------------------

# YAML between `---` lines (closed by `---` or `...`) or TOML between `+++` lines, as Hugo, Zola and
# the HTML report read them; both give the same keys (title, original, sources)
FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\r?\n(?P<yaml>.*?)\r?\n(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n(?P<toml>.*?)\r?\n\+\+\+)"
    r"[ \t]*(?:\r?\n|\Z)",
    re.S,
)
# a front matter that opens (a fence, then a `key:` or `key =` line) but has no closing fence
UNCLOSED_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\r?\n[ \t]*[A-Za-z_][\w-]*[ \t]*[:=]")
# Linear by construction: every unbounded run stops at the character that could start another
# construct (`[`, `]`, `(`, `<`, a quote), so the scans of failed attempts never overlap and a
# line of 50,000 brackets, `![`, `<a` or unclosed `<!--` costs O(n), not O(n^2).
_TARGET = r"(?:[^()\s\[\]<>]|\([^()\s\[\]<>]*\))"  # a link target, with one level of (parentheses)
_TITLE = r"(?:\s+\"[^\"]*\")?"
_INLINE = re.compile(
    rf"!\[(?P<alt>[^\[\]]*)\]\((?P<img>{_TARGET}*){_TITLE}\)"  # image: dropped
    rf"|\[(?P<label>[^\[\]]+)\]\((?P<url>{_TARGET}+){_TITLE}\)"  # [label](url)
    r"|\[(?P<rlabel>[^\[\]]+)\]\[(?P<rkey>[^\[\]]*)\]"  # [label][ref]
    r"|<(?P<auto>https?://[^<>\s]+)>"  # <https://...>
    r"|<!--(?:(?!-->|<!--).)*-->"  # comments
    r"|\[\^[^\[\]\s]+\]"  # a footnote mark [^1]: dropped
    r"|</?(?P<tag>[A-Za-z][\w-]*)[^<>]*>"  # inline HTML tags
    r"|(?P<code>`+)(?P<codetext>.+?)(?P=code)"  # `code`
    r"|\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)|(?<=\S)_(?![\w_])"  # emphasis
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!>])",
    re.S,
)
_REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(\S+)")
_FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^[^\]]+\]:\s*")  # "[^1]: The note's text." is text, not a link
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_MARK = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)])\s+)")
_HEADING_MARK = re.compile(r"^(#{1,6})(?:[ \t]+|$)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SETEXT = re.compile(r"^\s*(=+|-+)\s*$")


def _markdown_article(name: str, raw: str, folder: Path) -> Article:
    title = ""
    sources: list[SourceRef] = []
    body_start = 0
    fm = FRONT_MATTER.match(raw)
    if fm:
        meta = parse_front_matter(fm, name)
        title = meta.get("title") or ""
        if not isinstance(title, str | int | float):  # `title: [a, b]` would show as Python's list
            raise InputError(f"{name}: invalid front matter: 'title' must be text")
        title = str(title)
        # the original is also a source; listed first so its origin survives de-duplication
        original = parse_source_entries(
            meta.get("original"), folder, origin="original", where=name, key="original"
        )
        sources.extend(original[:1])
        sources.extend(parse_source_entries(meta.get("sources"), folder, origin="front-matter", where=name))
        body_start = fm.end()
    elif UNCLOSED_FRONT_MATTER.match(raw):
        fence = raw[:3]
        raise InputError(f"{name}: invalid front matter: it opens with '{fence}' and never closes")

    refs = {m.group(1).lower(): m.group(2) for m in (_REF_DEF.match(line) for line in raw.splitlines()) if m}
    out = _Builder()
    pos = body_start
    in_fence = False
    in_code = False  # an indented code block: four spaces in, after a blank line, outside a list
    in_list = False  # indented lines after a list item continue the item, they are not code
    after_blank = True
    labels: list[str] = []  # the header of the table being read
    lines = raw[body_start:].splitlines(keepends=True)
    for i, line in enumerate(lines):
        start = pos
        pos += len(line)
        stripped = line.strip()
        if _FENCE.match(line):
            in_fence = not in_fence
            out.add_break(start)
            continue
        if in_fence or (_REF_DEF.match(line) and not _FOOTNOTE_DEF.match(line)):
            continue
        if not stripped:
            out.add_break(start)
            after_blank = True
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        in_code = (in_code or after_blank) and indent >= 4 and not in_list
        if _LIST_MARK.match(line):
            in_list = True
        elif indent == 0 and after_blank:
            in_list = False
        after_blank = False
        if in_code:
            out.add_break(start)
            continue
        if _TABLE_ROW.match(line):
            header = i + 1 < len(lines) and bool(_TABLE_RULE.match(lines[i + 1]))
            labels = _table_row(out, line, start, [] if header else labels, (refs, sources, folder), header)
            continue
        labels = []
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _SETEXT.match(line) and out.length and not out.parts[-1].endswith("\n\n"):
            continue  # underline of a setext heading: the line before was the heading
        heading = _atx_heading(line)
        is_setext = bool(nxt.strip()) and bool(_SETEXT.match(nxt)) and set(nxt.strip()) <= {"=", "-"}
        if heading or (is_setext and not _LIST_MARK.match(line)):
            out.add_break(start)
            text_start = out.length
            if heading:
                lead, text = heading
                _inline(out, text, start + lead, refs, sources, folder)
            else:
                lead = len(line) - len(line.lstrip())
                _inline(out, line.rstrip("\r\n").strip(), start + lead, refs, sources, folder)
            out.headings.append((text_start, out.length))
            out.add_break(pos)
            continue
        content_start = 0
        item = _LIST_MARK.match(line) or _FOOTNOTE_DEF.match(line)  # each starts a paragraph
        mark = item or re.match(r"^(\s*>+\s?)", line)
        if mark:
            content_start = mark.end()
            if item:
                out.add_break(start)
        content = line[content_start:].rstrip("\r\n")
        _inline(out, content, start + content_start, refs, sources, folder)
        out.add("\n", start + len(line.rstrip("\r\n")) if line.endswith("\n") else pos - 1)
    if not title:
        title = next((out_text for out_text in _heading_texts(out)), "")
    return out.article(name, raw, "markdown", title, sources)


def _table_row(
    out: _Builder,
    line: str,
    start: int,
    labels: list[str],
    links: tuple[dict[str, str], list[SourceRef], Path],
    header: bool,
) -> list[str]:
    """A Markdown table row as one paragraph: each cell after its column's label ("Company: SpaceX;
    Contract: $5 billion in 2001"), so a row reads as a claim; the header row is a heading (labels, not
    claims) and the rule under it is dropped. Returns the labels for the rows that follow."""
    if _TABLE_RULE.match(line):
        return labels
    bar = line.index("|")
    cells = [(bar + m.start(1), m.group(1)) for m in re.finditer(r"([^|]+)", line[bar:].rstrip("\r\n"))]
    cells = [(at + len(cell) - len(cell.lstrip()), cell.strip()) for at, cell in cells if cell.strip()]
    out.add_break(start)
    text_start = out.length
    for n, (at, cell) in enumerate(cells):
        label = labels[n] if n < len(labels) and labels[n] else ""
        lead = ("; " if n else "") + (f"{label}: " if label else "")
        out.add_mapped(lead, (start + at,) * len(lead))  # not in the file: mapped to the cell
        _inline(out, cell, start + at, *links)
    if header:
        out.headings.append((text_start, out.length))
    out.add_break(start + len(line.rstrip("\r\n")))
    return [re.sub(r"[*_`]", "", cell) for _, cell in cells] if header else labels


def _atx_heading(line: str) -> tuple[int, str] | None:
    """(where the text starts, the text) of a `# Heading #` line, without a backtracking pattern."""
    mark = _HEADING_MARK.match(line)
    if not mark:
        return None
    text = line[mark.end() :].rstrip()
    closing = text.rstrip("#")
    if closing != text and (not closing or closing[-1] in " \t"):
        text = closing.rstrip()
    return (mark.end(), text) if text else (len(line), "")


def _heading_texts(out: _Builder) -> Iterable[str]:
    text = "".join(out.parts)
    for a, b in out.headings:
        yield text[a:b].strip()


def _inline(
    out: _Builder, text: str, raw_start: int, refs: dict[str, str], sources: list[SourceRef], folder: Path
) -> None:
    """Strip inline Markdown from one line, keeping link labels and collecting link targets."""
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            _add_plain(out, text[pos : m.start()], raw_start + pos, sources)
        pos = m.end()
        if m.group("label") is not None:
            out.add(m.group("label"), raw_start + m.start("label"))
            _add_link(m.group("url"), sources, folder)
        elif m.group("rlabel") is not None:
            out.add(m.group("rlabel"), raw_start + m.start("rlabel"))
            key = (m.group("rkey") or m.group("rlabel")).lower()
            if key in refs:
                _add_link(refs[key], sources, folder)
        elif m.group("auto") is not None:
            out.add(m.group("auto"), raw_start + m.start("auto"))
            sources.append(SourceRef(url=m.group("auto"), origin="link"))
        elif m.group("codetext") is not None:
            out.add(m.group("codetext"), raw_start + m.start("codetext"))
        elif m.group("escaped") is not None:
            out.add(m.group("escaped"), raw_start + m.start("escaped"))
        elif m.group("tag") is not None and m.group("tag").lower() in BLOCK_TAGS:
            out.add_break(raw_start + m.start())  # "<summary>More</summary>Hidden ...": two sentences
    if pos < len(text):
        _add_plain(out, text[pos:], raw_start + pos, sources)


def _add_plain(out: _Builder, text: str, raw_start: int, sources: list[SourceRef]) -> None:
    out.add(text, raw_start)
    sources.extend(SourceRef(url=m.group(), origin="link") for m in URL_RE.finditer(text))


def _add_link(target: str, sources: list[SourceRef], folder: Path) -> None:
    if target.startswith(("http://", "https://")):
        sources.append(SourceRef(url=target, origin="link"))


NON_CONTENT_TAGS = {
    "script", "style", "noscript", "nav", "footer", "header", "aside", "form", "template", "svg", "iframe",
    "button", "select", "figure", "figcaption", "object", "embed", "canvas", "menu", "dialog",
}  # fmt: skip
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "hr",
    "body",
    "details",
    "summary",
}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID_TAGS = {
    "br",
    "hr",
    "img",
    "meta",
    "link",
    "input",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
}


class _ArticleHTMLParser(HTMLParser):
    def __init__(self, raw: str, folder: Path | None = None) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.folder = folder  # where the article file is: relative links resolve against it
        self.base = ""  # the <base href>, when the page has one
        self.starts = line_starts(raw)
        self.out = _Builder()
        self.skip_depth = 0
        self.stack: list[str] = []
        self.open_count: dict[str, int] = {}  # elements of each name on the stack: `in` without a scan
        self.depth = 0  # open elements that count towards MAX_HTML_DEPTH (not the optional-end ones)
        self.links: list[SourceRef] = []
        self.title = ""
        self.in_title = False
        self.heading_start: int | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base" and not self.base:
            self.base = (dict(attrs).get("href") or "").strip()
        if tag in VOID_TAGS:
            if tag == "br":
                self.out.add("\n", self._offset())
            return
        self._push(tag)
        if tag in NON_CONTENT_TAGS:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        if self.skip_depth:
            return
        if tag in BLOCK_TAGS:
            self.out.add_break(self._offset())
        if tag in HEADING_TAGS:
            self.heading_start = self.out.length
        if tag == "a":
            ref = link_source(dict(attrs).get("href") or "", self.base, self.folder)
            if ref is not None:
                self.links.append(ref)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS or not self.open_count.get(tag):
            return
        while self.stack:
            open_tag = self._pop()
            if open_tag in NON_CONTENT_TAGS:
                self.skip_depth -= 1
            if open_tag == "title":
                self.in_title = False
            if open_tag == tag:
                break
        if self.skip_depth:
            return
        if tag in HEADING_TAGS and self.heading_start is not None:
            self.out.headings.append((self.heading_start, self.out.length))
            self.heading_start = None
        if tag in BLOCK_TAGS:
            self.out.add_break(self._offset())

    def _push(self, tag: str) -> None:
        self.stack.append(tag)
        self.open_count[tag] = self.open_count.get(tag, 0) + 1
        if tag not in OPTIONAL_END_TAGS:
            self.depth += 1
            if self.depth > MAX_HTML_DEPTH:  # markup html_nesting_problem's scan did not read as tags
                raise InputError(f"HTML elements nested deeper than {MAX_HTML_DEPTH} levels")

    def _pop(self) -> str:
        tag = self.stack.pop()
        self.open_count[tag] -= 1
        if tag not in OPTIONAL_END_TAGS:
            self.depth -= 1
        return tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base":
            self.handle_starttag(tag, attrs)
        if tag == "br" and not self.skip_depth:
            self.out.add("\n", self._offset())

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip_depth or (not self.stack and not data.strip()):
            return
        self.out.add(data, self._offset())

    def _entity(self, text: str, source: str) -> None:
        if self.in_title:
            self.title += text
        elif not self.skip_depth:
            start = self._offset()
            self.out.add_mapped(text, [start] * len(text))

    def handle_entityref(self, name: str) -> None:
        self._entity(unescape(f"&{name};"), name)

    def handle_charref(self, name: str) -> None:
        self._entity(unescape(f"&#{name};"), name)


MAX_HTML_DEPTH = 1000
# end tags that HTML lets an author leave out: they do not count towards the nesting depth
OPTIONAL_END_TAGS = {
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rt", "rp",
    "colgroup", "caption", "html", "head", "body",
}  # fmt: skip
# a tag with its attributes; a quoted value may hold < and > (`<b title="<">` is one tag)
_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>""")


def html_nesting_problem(markup: str, limit: int = MAX_HTML_DEPTH) -> str | None:
    """A reason when elements nest deeper than `limit` (50,000 unclosed <div>s), else None.

    One linear scan of the tags, counted as an HTML parser opens and closes elements: `<div/>`
    opens a <div> (the slash means nothing on an element that is not void), and an end tag
    closes only an element that is open (`</x>` with no <x> open closes nothing). Parsers and
    tree walks downstream are slow on such depth.
    """
    stack: list[str] = []
    open_count: dict[str, int] = {}
    for match in _TAG.finditer(markup):
        name = match.group(2).lower()
        if name in VOID_TAGS or name in OPTIONAL_END_TAGS:
            continue
        if match.group(1):
            if open_count.get(name):
                while True:  # closes the open elements up to the nearest <name>: each pops once
                    popped = stack.pop()
                    open_count[popped] -= 1
                    if popped == name:
                        break
            continue
        stack.append(name)
        open_count[name] = open_count.get(name, 0) + 1
        if len(stack) > limit:
            return f"HTML elements nested deeper than {limit} levels"
    return None


def link_source(href: str, base: str, folder: Path | None) -> SourceRef | None:
    """An <a href> as a source: absolute, or resolved against <base href> or the article's folder.

    Same-page anchors, other schemes (mailto:, javascript:), folder links and files that are
    not pages (images, PDFs, config files) are not sources;
    a root-relative link ("/x") needs an http(s) <base href> to say which site it is on.
    """
    href = href.strip()
    if href.startswith(("http://", "https://")):
        return SourceRef(url=href, origin="link")
    if not href or href.startswith(("#", "?")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
        return None
    if base.startswith(("http://", "https://")) or href.startswith("//"):
        url = urljoin(base if base.startswith("http") else "https:", href)
        return SourceRef(url=url, origin="link") if url.startswith(("http://", "https://")) else None
    path = unquote(urlsplit(href).path)
    if (
        folder is None
        or not path
        or path.startswith("/")
        or posixpath.splitext(path)[1].lower() not in LOCAL_TYPES
    ):
        return None  # a folder, an image or a download is not a page to check against
    if base and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", base):
        path = posixpath.join(base if base.endswith("/") else posixpath.dirname(base), path)
    return SourceRef(url=None, file=folder / path, origin="link")


def _html_article(name: str, raw: str, folder: Path | None = None) -> Article:
    problem = html_nesting_problem(raw)
    if problem:
        raise InputError(f"{name}: {problem}")
    parser = _ArticleHTMLParser(raw, folder)
    try:
        parser.feed(raw)
        parser.close()
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    out = parser.out
    title = " ".join(parser.title.split())
    return out.article(name, raw, "html", title, parser.links)
