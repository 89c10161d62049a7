"""Self-contained HTML report: one page per article, no network access when opened.

Each page shows the article as written (``Article.raw``; markdown front matter is shown collapsed),
every claim highlighted by verdict with an icon and a label, attribution findings marked inline with
their message, and a panel with the evidence of the claim that is clicked or focused (``j``/``k`` or
the arrow keys move between claims, Enter moves into the evidence, Escape goes back). A summary,
verdict filters, a findings list and a sources panel complete the page.

The page is laid out by the Jinja2 templates in ``templates/`` with autoescaping on, from view data
prepared by ``view.py`` (the parts of the page) and ``marks.py`` (text cut into marked runs); only
``http``/``https`` URLs ever become links (``urls.py``). The stylesheet and the small script are
``assets/report.css`` and ``assets/report.js``, inlined into every page and allowed by their SHA-256
hashes in a ``Content-Security-Policy`` meta tag whose ``default-src`` is ``'none'``, so the page
cannot load anything, and injected markup could not run.

File layout of :func:`write_html`:

* one article: ``output`` is that article's page;
* several articles (or none): ``output`` is an index page, and each article's page is written to
  ``<output stem>-files/<article stem>.html`` beside it, e.g. ``report.html`` and
  ``report-files/cmsa-private-rockets.html``. Article pages link back to the index.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from verify.errors import UsageError
from verify.models import SEVERITIES, ArticleReport, Report
from verify.outputs import files_in, identity, is_report_page

from . import view
from .labels import REWRITE_LABELS, SEVERITY_META, VERDICT_META, VERDICT_ORDER, count_label, plural
from .marks import article_text
from .urls import archive_href, http_url, page_href, short_url, text_fragment_url

__all__ = [
    "CSS",
    "JS",
    "REWRITE_LABELS",
    "SEVERITY_META",
    "VERDICT_META",
    "VERDICT_ORDER",
    "archive_href",
    "http_url",
    "render_article",
    "render_index",
    "text_fragment_url",
    "write_html",
]

_ASSETS = files(__name__) / "assets"
CSS = (_ASSETS / "report.css").read_text(encoding="utf-8")
JS = (_ASSETS / "report.js").read_text(encoding="utf-8")

_CSP = (
    "default-src 'none'; style-src {style}; script-src {script}; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _hash_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _num(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.2f}"


def _meter_value(value: float | None) -> str:
    v = value if value is not None and math.isfinite(value) else 0.0
    return f"{min(1.0, max(0.0, v)):.3f}"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader(__name__, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(num=_num, meter_value=_meter_value, short_url=short_url)
    env.globals.update(
        verdicts=VERDICT_META,
        verdict_order=VERDICT_ORDER,
        severity_meta=SEVERITY_META,
        severity_order=SEVERITIES,
        http_url=http_url,
        plural=plural,
        count_label=count_label,
    )
    return env


def _page(template: str, title: str, *, script: bool, **data: object) -> str:
    csp = _CSP.format(style=_hash_source(CSS), script=_hash_source(JS) if script else "'none'")
    page = _environment().get_template(template)
    js = Markup(JS) if script else ""
    return page.render(title=title, csp=csp, css=Markup(CSS), js=js, **data)


def render_article(
    item: ArticleReport, report: Report, *, index_href: str | None = None, base: Path | None = None
) -> str:
    """One self-contained HTML page for one article's results.

    `index_href`, when given, is a relative link back to the index page of a multi-article report;
    `base`, the folder the page is written to, makes links to archived copies relative.
    """
    title = item.article.title or Path(item.article.path).name or "article"
    sources = view.Sources(item.documents, base)
    verdict_counts, severity_counts = view.counts(item)
    return _page(
        "article.html",
        f"verify — {title}",
        script=True,
        heading=title,
        item=item,
        report=report,
        index_href=page_href(index_href) if index_href else "",
        headline=view.headline(item),
        verdict_counts=verdict_counts,
        severity_counts=severity_counts,
        archived=sum(1 for d in item.documents if d.archived),
        text=article_text(item),
        details=[view.detail(i, item, sources) for i in range(len(item.results))],
        findings=view.finding_rows(item),
        rewrite=view.rewrite(item),
        attributions=view.attribution_rows(item),
        sources=view.source_rows(item),
        skipped=item.skipped,
    )


def render_index(report: Report, links: Sequence[str]) -> str:
    """The index page of a multi-article report; `links[i]` is the relative URL of article i's page."""
    rows = [view.index_row(item, page_href(href)) for item, href in zip(report.articles, links, strict=True)]
    return _page("index.html", "verify — report", script=False, report=report, rows=rows)


def _slug(path: str, taken: set[str], folder: Path, keep: set[tuple[int, int]] | None = None) -> str:
    """A page name for the article at `path`, unique in `taken`; a file in `folder` that verify did
    not write (or that the run read, `keep`) is never replaced: the name moves on to `-2`, `-3`, ..."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(path).stem).strip("-.") or "article"
    slug, n = stem, 2
    while slug.lower() in taken or _in_the_way(folder / f"{slug}.html", keep or set()):
        slug, n = f"{stem}-{n}", n + 1
    taken.add(slug.lower())
    return slug


def _in_the_way(page: Path, keep: set[tuple[int, int]]) -> bool:
    """A file at `page` that verify did not write, a link, or a file the run read (by identity)."""
    if not (page.exists() or page.is_symlink()):
        return False
    return page.is_symlink() or not is_report_page(page) or identity(page) in keep


def pages_folder(output: Path) -> Path:
    """Where a report of several articles puts their pages: ``<output stem>-files/``."""
    return output.with_name(output.stem + "-files")


def check_pages_folder(output: Path) -> None:
    """Refuse, before any work, a pages folder that cannot be made: something else has its name."""
    folder = pages_folder(Path(output))
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise UsageError(f"cannot write the article pages to {folder}: a file of that name is in the way")


def write_html(report: Report, output: Path) -> list[Path]:
    """Write the HTML report; returns the files written, the page to open first.

    One article: `output` is its page. Otherwise `output` is an index page and the article pages go
    to ``<output stem>-files/<article stem>.html``. Every file replaces its path (a link there is
    replaced, not followed); a file in the pages folder that verify did not write, or that the run
    read, is never replaced (the page takes another name); a pages folder that is a link is refused.
    """
    from .. import write_text_atomic

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if len(report.articles) == 1:
        write_text_atomic(output, render_article(report.articles[0], report, base=output.parent))
        return [output]
    folder = pages_folder(output)
    if folder.is_symlink():
        raise UsageError(f"cannot write the report pages into {folder}: a link (never written through)")
    keep = {key for path in files_in(report) if (key := identity(path)) is not None}
    taken: set[str] = set()
    pages = [folder / f"{_slug(item.article.path, taken, folder, keep)}.html" for item in report.articles]
    if pages:
        check_pages_folder(output)
        folder.mkdir(parents=True, exist_ok=True)
    back = f"../{output.name}"
    for item, page in zip(report.articles, pages, strict=True):
        write_text_atomic(page, render_article(item, report, index_href=back, base=folder))
    links = [f"{folder.name}/{page.name}" for page in pages]
    write_text_atomic(output, render_index(report, links))
    return [output, *pages]
