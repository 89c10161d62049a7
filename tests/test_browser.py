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

ROOT = Path(__file__).resolve().parent.parent


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
