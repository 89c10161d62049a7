"""The HTML report in headless Chromium: highlights, evidence on click and Enter, keyboard moves,
no console errors and no network requests.

Needs /usr/bin/chromium (scripts/install-browser.sh) and `pip install playwright`. Skipped when they
are missing, except under CI (the CI environment variable set), where that is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from verify.report.html import write_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


browser = _load("verify_scripts_browser", ROOT / "scripts" / "browser.py")
samples = _load("test_report_html", Path(__file__).with_name("test_report_html.py"))


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    reason = browser.unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser test cannot run in CI: {reason}")
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("html") / "report.html"
    (written,) = write_html(samples.sample_report(), out)
    return written


def _visible_detail_text(page: object) -> str:
    details = page.locator(".claim-detail:visible")  # type: ignore[attr-defined]
    assert details.count() == 1
    return str(details.first.inner_text())


def test_report_in_chromium(report_file: Path, tmp_path: Path) -> None:
    item = samples.sample_item()
    with browser.open_page(report_file) as session:
        page = session.page

        # every claim is highlighted and labelled
        claims = page.locator(".claim")
        assert claims.count() == len(item.results)
        contradicted = page.locator(".claim.v-contradicted")
        assert contradicted.count() == 1
        assert "Contradicted" in contradicted.inner_text()
        assert page.locator(".claim.v-unsupported .badge").first.inner_text().strip().endswith("Unsupported")
        assert page.locator(".claim-detail:visible").count() == 0
        assert page.locator("#evidence-empty").is_visible()

        # click: the evidence of that claim appears, with the source sentence and its link
        contradicted.click()
        text = _visible_detail_text(page)
        assert "Contradicted" in text and "$1.6 billion" in text and "Number differs" in text
        assert contradicted.get_attribute("aria-pressed") == "true"
        link = page.locator(".claim-detail:visible a.src-link").first
        assert "#:~:text=" in str(link.get_attribute("href"))
        assert not page.locator("#evidence-empty").is_visible()

        # keyboard: focus a claim, Enter shows its evidence and moves focus into it
        page.locator("#claim-10").focus()
        page.keyboard.press("Enter")
        text = _visible_detail_text(page)
        assert "Sources disagree" in text
        assert page.evaluate("document.activeElement.id") == "detail-10"

        # j / k and the arrow keys move between claims
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "claim-11"
        assert "lynette tanCEO" in _visible_detail_text(page)
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "claim-10"
        page.keyboard.press("k")
        assert page.evaluate("document.activeElement.id") == "claim-9"

        # filters: hiding supported claims takes them out of the keyboard order
        page.locator("input[data-filter][value=supported]").uncheck()
        page.locator("#claim-6").focus()  # the contradicted one
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "claim-7"  # not_checkable, still shown
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "claim-11"  # skips supported c9..c11
        page.locator("input[data-filter][value=supported]").check()

        # an attribution finding is marked inline with its message
        note = page.locator(".fnote.s-error")
        assert note.count() == 1 and "lynette tanCEO" in str(note.get_attribute("title"))

        shot = session.screenshot(tmp_path / "report.png")
        assert shot.stat().st_size > 10_000

        assert session.console_errors == []
        assert session.requests == [session.url]


def test_print_media_shows_all_evidence(report_file: Path) -> None:
    item = samples.sample_item()
    with browser.open_page(report_file) as session:
        session.page.emulate_media(media="print")
        assert session.page.locator(".claim-detail:visible").count() == len(item.results)
        assert session.page.locator("input[data-filter]:visible").count() == 0
        assert session.console_errors == []
        assert session.requests == [session.url]


PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone_report(report_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report with the NASA page read from an archived copy, written beside its page."""
    from dataclasses import replace

    from verify.models import Attribution, SourceRef

    folder = tmp_path_factory.mktemp("phone")
    archived = folder / "pages" / "nasa.html"
    archived.parent.mkdir()
    archived.write_text("<p>NASA awarded SpaceX a contract worth $1.6 billion.</p>", encoding="utf-8")
    item = samples.sample_item()
    docs = tuple(
        replace(d, ref=SourceRef(d.ref.url, file=archived, origin=d.ref.origin)) if d.archived else d
        for d in item.documents
    )
    said = Attribution(
        "Lynette Tan",
        0,
        11,
        "CMSA contracts could potentially boost Chinese industry " * 3,
        12,
        40,
        verb="noted",
        title="CEO",
        organisation="Space Faculty Pte Ltd.",
    )
    report = replace(samples.sample_report(), articles=(replace(item, documents=docs, attributions=(said,)),))
    (written,) = write_html(report, folder / "report" / "report.html")
    return written


def _in_view(locator: object) -> bool:
    top, height = locator.evaluate(  # type: ignore[attr-defined]
        "e => [e.getBoundingClientRect().top, window.innerHeight]"
    )
    return -2 <= top < height  # scrolled to the top edge, give or take a subpixel


def test_phone_layout(phone_report: Path, tmp_path: Path) -> None:
    with browser.open_page(phone_report, viewport=PHONE) as session:
        page = session.page

        def no_sideways_scroll() -> None:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"the page is {widths[0]} px wide on a {widths[1]} px screen"
            boxes = page.evaluate(  # boxes that scroll inside the page (screen-reader text aside)
                "Array.from(document.querySelectorAll('main *:not(.sr-only)'))"
                ".filter(e => e.scrollWidth > e.clientWidth + 1"
                " && getComputedStyle(e).overflowX !== 'visible')"
                ".map(e => e.tagName + '.' + e.className)"
            )
            assert boxes == [], f"these scroll sideways: {boxes}"

        no_sideways_scroll()
        page.locator("details.attributions summary").click()
        no_sideways_scroll()

        # tapping a claim brings its evidence into view, and a link leads back to the claim
        claim = page.locator(".claim.v-contradicted")
        claim.click()
        detail = page.locator(".claim-detail:visible")
        assert detail.count() == 1 and _in_view(detail)
        no_sideways_scroll()
        assert "$1.6 billion" in detail.inner_text()

        # the evidence offers the recorded URL and the archived copy the check read
        recorded = detail.locator("a.src-link").first
        archived = detail.locator("a.archive-link").first
        assert recorded.is_visible() and archived.is_visible()
        assert str(recorded.get_attribute("href")).startswith("https://www.nasa.example/")
        target = str(archived.evaluate("a => a.href")).split("#", 1)[0]
        assert target.startswith("file://") and target.endswith("/pages/nasa.html")

        back = detail.locator("a.back-to-claim")
        assert back.is_visible()
        back.click()
        assert _in_view(claim)

        # finding badges read as words, not counts, and never sit inside a word
        for badge in page.locator(".fnote").all():
            shown = badge.inner_text().strip()
            assert any(ch.isalpha() for ch in shown), shown
        glued = page.locator(".fnote.s-error").evaluate(
            "b => [b.previousSibling ? b.previousSibling.textContent.slice(-1) : '', "
            "b.nextSibling ? b.nextSibling.textContent.slice(0, 1) : '']"
        )
        assert not (glued[0].isalnum() and glued[1].isalnum()), glued

        session.screenshot(tmp_path / "phone.png")
        assert session.console_errors == []
        assert session.requests == [session.url]
