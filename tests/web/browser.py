"""The browser the workspace's browser tests drive: Debian's Chromium through Playwright (never a
downloaded browser), against pytest-django's live server. The fixtures are shared through
tests/web/conftest.py; a test module marks itself with `BROWSER_MARKS`."""

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_personas

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
SERIOUS = ("serious", "critical")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

T = TypeVar("T")

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium (run `make chromium`)",
    ),
]


@pytest.fixture
def personas(transactional_db):
    return make_personas()


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where a test saves its screens: docs/screenshots/ when `make screenshots` asks for them
    (NORDESK_SCREENSHOTS=docs), else the test's own folder, so a run of the suite leaves the
    tree as it was (the screens show the time they were taken)."""
    if os.environ.get("NORDESK_SCREENSHOTS") != "docs":
        return tmp_path
    DOCS_SCREENSHOTS.mkdir(exist_ok=True)
    return DOCS_SCREENSHOTS


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def inbox_sockets() -> list:
    return []


@pytest.fixture
def page(personas, live_server, monkeypatch, console_errors, inbox_sockets):
    """A fresh browser page that records console errors (each test asserts there are none).
    The live server speaks plain HTTP, so Playwright stands in for /ws/inbox/: the page's
    live-inbox script gets its socket, and a test can push events through `inbox_sockets`."""
    # Playwright's sync API runs an event loop in this thread, so Django would refuse the ORM
    # calls the test itself makes. This is the documented escape hatch for Playwright.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.route_web_socket("**/ws/inbox/", lambda socket: inbox_sockets.append(socket))
        # Ticket pages get a quiet stand-in; tests/web/test_browser_ticket_live.py routes them to
        # the real consumer.
        page.route_web_socket("**/ws/tickets/**", lambda socket: None)
        page.on(
            "console",
            lambda message: (
                console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        try:
            yield page
        finally:
            browser.close()
            # The test's own ORM calls ran beside Playwright's event loop, on a connection
            # only this context can hand back to the pool before the test database goes.
            from django.db import connections

            connections.close_all()


def log_in(page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def off_the_loop(make: Callable[[], T]) -> T:
    """Run `make` (say, an intake) in another thread and return what it made: this thread runs
    Playwright's event loop, and the intake publishes to the channel layer through
    async_to_sync, which refuses to run beside a loop."""
    made: dict[str, T] = {}
    failed: list[BaseException] = []

    def run() -> None:
        from django.db import connection

        try:
            made["value"] = make()
        except BaseException as error:  # handed to the test's thread
            failed.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failed:
        raise failed[0]
    return made["value"]


def accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each. Its source goes
    in through Playwright (not a <script> tag), so the page's policies do not apply to it."""
    page.evaluate(AXE.read_text() + "\n;0")
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}"
        for v in violations
        if v["impact"] in SERIOUS
    ]


def portal_sign_in_by_mail(page, address: str) -> None:
    """On the help centre, as a customer: ask for a sign-in link and open it from the mail."""
    page.get_by_role("link", name="Get a sign-in link").click()
    page.get_by_label("Your email address").fill(address)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("a sign-in link is on its way")
    link = re.search(r"http://\S+/help/sign-in/link/\S+/", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_role("button", name="Sign in now").click()


def portal_reply(page, text: str) -> None:
    """On a request's page in the portal: send a reply and see it in the conversation."""
    page.get_by_label("Your reply").fill(text)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("list", name="Conversation")).to_contain_text(text)
