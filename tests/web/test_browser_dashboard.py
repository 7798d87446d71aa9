"""The live dashboard in a real browser: a supervisor watches it while a chat arrives through
the intake pipeline, and the channel's figures change without a reload."""

from tests.factories import inbound
from tests.web.browser import BROWSER_MARKS, accessibility_problems, log_in, off_the_loop

pytestmark = BROWSER_MARKS


def test_dashboard_figures_change_without_a_reload(page, personas, console_errors):
    from playwright.sync_api import expect

    from nordesk.tickets import services as ticket_services

    # given Siri (supervisor) opens the dashboard from the navigation; the page's timers run
    # on a clock the test moves, so the 15-second poll comes when the test says
    page.clock.install()
    log_in(page, "siri@nordesk.test")
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard/")
    chat = page.locator("#channel-row-chat")
    expect(chat.locator('[data-figure="open"]')).to_have_text("0")
    expect(chat.locator('[data-figure="unassigned"]')).to_have_text("0")
    expect(page.locator('#tile-unassigned [data-figure="unassigned"]')).to_have_text("1")
    assert accessibility_problems(page) == []
    page.evaluate("document.body.dataset.loadedOnce = 'yes'")  # gone if the page reloads

    # when a chat arrives through intake
    off_the_loop(
        lambda: ticket_services.receive(
            inbound(channel="chat", kind="chat", address="ny@example.no", text="Hei! Hjelp?")
        )
    )
    # and the poll comes round
    page.clock.fast_forward(16_000)

    # then the chat row and the totals show it, on the same page
    expect(chat.locator('[data-figure="open"]')).to_have_text("1")
    expect(chat.locator('[data-figure="unassigned"]')).to_have_text("1")
    expect(chat.locator('[data-figure="waiting"]')).to_have_text("1")
    expect(page.locator('#tile-unassigned [data-figure="unassigned"]')).to_have_text("2")
    assert page.evaluate("document.body.dataset.loadedOnce") == "yes"
    assert console_errors == []
