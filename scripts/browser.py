"""Drive the system's headless Chromium (Debian's /usr/bin/chromium) with Playwright for Python.

Used by tests/report/test_browser.py and scripts/make_example_report.py. Playwright's own browser builds are
never downloaded: `pip install playwright` gives the driver, Chromium comes from `apt-get install
chromium` (see scripts/install-browser.sh).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("VERIFY_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
VIEWPORT = {"width": 1440, "height": 1000}


def unavailable() -> str | None:
    """Why the browser cannot be driven here, or None when it can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (run scripts/install-browser.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install playwright)"
    return None


@dataclass
class Session:
    """An open page plus what it did: every request and every console message or page error."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    errors: list[str] = field(default_factory=list)  # uncaught exceptions

    @property
    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind in ("error", "warning")] + self.errors

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@contextmanager
def open_page(html_file: Path, *, viewport: dict[str, int] | None = None) -> Iterator[Session]:
    """Open `html_file` (as a file:// URL) in a fresh headless Chromium profile."""
    from playwright.sync_api import sync_playwright

    url = Path(html_file).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="verify-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=list(LAUNCH_ARGS),
            viewport=viewport or VIEWPORT,  # type: ignore[arg-type]
            device_scale_factor=1,
            offline=True,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            session = Session(page, url)
            context.on("request", lambda request: session.requests.append(request.url))
            page.on("console", lambda msg: session.console.append((msg.type, msg.text)))
            page.on("pageerror", lambda exc: session.errors.append(str(exc)))
            page.goto(url, wait_until="load")
            yield session
        finally:
            context.close()


def screenshot(html_file: Path, png: Path, *, select_first_problem: bool = True) -> Session:
    """Open `html_file`, select the first contradicted/unsupported claim (if any) and save `png`."""
    with open_page(html_file) as session:
        if select_first_problem:
            claim = session.page.locator(
                ".claim.v-contradicted, .claim.v-unsupported, .claim.v-partially_supported"
            ).first
            if claim.count():
                claim.click()
        session.screenshot(png)
        return session
