"""End-to-end fixtures: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without it the
tests skip with a message on a developer machine, and fail under CI=true.
"""

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in the test's thread; Django would
# otherwise refuse the ORM calls the tests make to arrange data and check results.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WORKSPACE_VIEWPORT = ViewportSize(width=1440, height=900)
DEFAULT_TIMEOUT_MS = 10_000


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keeps each phase's report on the test, so the page fixture can screenshot a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = (
            f"End-to-end tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk"
        )
        if _under_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server,
    transactional_db: None,
    migrated_data: None,
) -> Iterator[Page]:
    """A fresh browser context at 1440×900 whose relative URLs go to the live server.

    The live server sees only committed data, hence transactional_db; the flush after
    each such test also empties the tables of data migrations, which migrated_data refills.
    """
    context = browser.new_context(
        base_url=live_server.url, viewport=WORKSPACE_VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    browser_page = context.new_page()
    yield browser_page
    call_report = getattr(request.node, "report_call", None)
    if call_report is not None and call_report.failed:
        _save(browser_page, "FAILED-" + re.sub(r"[^\w.-]+", "_", request.node.name))
    context.close()


def _save(browser_page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    browser_page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def other_page(browser: Browser, live_server, page: Page) -> Iterator[Callable[[], Page]]:
    """Opens further people's browsers (their own cookies) beside `page`."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=WORKSPACE_VIEWPORT,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def save_screenshot(browser_page: Page, name: str) -> Path:
    return _save(browser_page, name)


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """screenshot("login-zh") saves the whole page to test-artifacts/screenshots/login-zh.png."""

    def take(name: str) -> Path:
        return _save(page, name)

    return take
