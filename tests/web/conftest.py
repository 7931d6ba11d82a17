"""Real Chromium (Debian's /usr/bin/chromium, installed by `make test`: scripts/system_packages.sh) driven by Playwright.

The browser talks to the real servers of the session's ``chat`` fixture (tests/conftest.py).
Each test gets a fresh browser context, so localStorage (the widget's session) starts empty.
Screenshots go to test-artifacts/ (gitignored; CI keeps it as an artifact).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

# The assistant answers in about a second, but the first answers after start-up (model warm-up)
# and a loaded CI machine can take much longer than Playwright's 5 s default.
expect.set_options(timeout=60_000)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("OIH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 860}
# The WCAG 2.2 AA rule set of axe-core (A and AA success criteria of 2.0, 2.1 and 2.2).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only when a test needs it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser) -> Iterator[Any]:
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(60_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context) -> Any:
    return context.new_page()


@pytest.fixture
def site(chat) -> str:
    """The demo clinic page (served by the webchat channel at the server root)."""
    return chat.url + "/"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def axe() -> Any:
    """``axe(page)``: the page's WCAG 2.2 AA violations according to axe-core (vendored)."""
    return run_axe


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 AA violations on the current page (shadow DOM included)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))
            }));
        }""",
        WCAG_TAGS,
    )


#: A phone's viewport: most patients use the chat on one.
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(browser) -> Iterator[Any]:
    """A phone-sized page (375 px, touch), as most patients use the chat."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(60_000)
    try:
        yield context.new_page()
    finally:
        context.close()
