"""Make the example HTML report and its screenshot.

Runs the real CLI,
    verify fixtures/cmsa-private-rockets.md --offline --format html --output reports/cmsa-private-rockets.html
then opens the page in headless Chromium (scripts/browser.py), selects the first claim with a problem
and saves reports/cmsa-private-rockets.png.

Usage: python scripts/make_example_report.py [--article PATH] [--no-screenshot]
Needs the browser (bash scripts/install-browser.sh) for the screenshot.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser  # noqa: E402  (scripts/browser.py)


def run_cli(article: Path, output: Path) -> int:
    exe = shutil.which("verify")
    runner = "import sys; from verify.cli import main; sys.exit(main())"
    cmd = [exe] if exe else [sys.executable, "-c", runner]
    shown = article.relative_to(ROOT) if article.is_relative_to(ROOT) else article  # as a reader knows it
    cmd += [str(shown), "--offline", "--format", "html", "--output", str(output)]
    print("+", " ".join(cmd), flush=True)
    # verify exits non-zero when claims fail; that is still a report.
    return subprocess.run(cmd, cwd=ROOT, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--article", type=Path, default=Path("fixtures/cmsa-private-rockets.md"))
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    parser.add_argument("--no-screenshot", action="store_true")
    args = parser.parse_args(argv)

    article = args.article if args.article.is_absolute() else ROOT / args.article
    reports = args.reports if args.reports.is_absolute() else ROOT / args.reports
    reports.mkdir(parents=True, exist_ok=True)
    html_file = reports / f"{article.stem}.html"
    png = reports / f"{article.stem}.png"

    if not article.exists():
        print(f"make_example_report: {article} not found", file=sys.stderr)
        return 2
    if html_file.exists():
        html_file.unlink()
    code = run_cli(article, html_file)
    if not html_file.exists():
        print(f"make_example_report: the CLI (exit {code}) wrote no {html_file}", file=sys.stderr)
        return code or 1
    print(f"wrote {html_file} (verify exit code {code})")

    if args.no_screenshot:
        return 0
    reason = browser.unavailable()
    if reason:
        print(f"make_example_report: no screenshot: {reason}", file=sys.stderr)
        return 1
    session = browser.screenshot(html_file, png)
    problems = session.console_errors + [u for u in session.requests if u != session.url]
    for line in problems:
        print(f"make_example_report: browser: {line}", file=sys.stderr)
    print(f"wrote {png}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
