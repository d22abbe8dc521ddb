"""Fixtures of the browser tests: the demo database (built once), one ``piu-lab serve`` per
identity (started on first use, stopped at the end), headless Debian Chromium, and a page per
test whose screenshot is saved to ``tests/views/artifacts/`` when the test fails."""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.views import browser as _browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """Keep each phase's report on the item: the page fixture screenshots failed tests."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = _browser.missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def demo_db(browser_available: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (``piu-lab demo`` + a second day ingested and screened)."""
    return _browser.build_demo_db(tmp_path_factory.mktemp("views-demo"))


@pytest.fixture(scope="session")
def server(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], _browser.Server]]:
    """``server(CODE)``: the Voilà server of that identity (one per identity, reused)."""
    servers: dict[str, _browser.Server] = {}
    logs = tmp_path_factory.mktemp("voila-logs")

    def get(user: str) -> _browser.Server:
        if user not in servers:
            servers[user] = _browser.Server(demo_db, user, logs / f"{user}.log").start()
        return servers[user]

    try:
        yield get
    finally:
        for one in servers.values():
            one.stop()


@pytest.fixture(scope="session")
def chromium(browser_available: None) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _browser.launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context (no cookie carried over) and page; a screenshot when the test fails."""
    context = chromium.new_context(viewport={"width": 1400, "height": 2000})
    context.set_default_timeout(_browser.LOAD_TIMEOUT_MS)
    one = context.new_page()
    try:
        yield one
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", request.node.name) + ".png")
            try:
                one.screenshot(path=str(shot), full_page=True)
                print(f"\nscreenshot of the failed page: {shot}")
            except Exception as exc:  # the page may be gone; the failure is what matters
                print(f"\nno screenshot: {exc}")
        context.close()
