"""The live ticket page in a real browser: two agents on one ticket see each other (through the
real consumer, tests/web/live_bridge.py), a reply written over a colleague's is held back with
a warning, drafts survive a reload, and the workspace works from the keyboard alone."""

import pytest

from nordesk.tickets.models import Direction, Message, Visibility
from tests.factories import PASSWORD, make_ticket
from tests.web.browser import BROWSER_MARKS, log_in, off_the_loop
from tests.web.live_bridge import ConsumerBridge

pytestmark = BROWSER_MARKS


@pytest.fixture
def bridge():
    bridge = ConsumerBridge()
    yield bridge
    bridge.close()


@pytest.fixture
def second_page(page, live_server, console_errors):
    """Another agent's browser: a context of its own (its own cookies and storage)."""
    context = page.context.browser.new_context(base_url=live_server.url, locale="en-GB")
    other = context.new_page()
    other.set_default_timeout(10_000)
    other.route_web_socket("**/ws/inbox/", lambda socket: None)
    other.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    other.on("pageerror", lambda error: console_errors.append(str(error)))
    yield other
    context.close()


def _public_replies(ticket):
    return Message.objects.filter(
        ticket=ticket, direction=Direction.OUT, visibility=Visibility.PUBLIC
    )


def test_two_agents_see_each_other_and_a_colliding_reply_is_held_back(
    page, second_page, personas, bridge, console_errors
):
    from playwright.sync_api import expect

    ticket_url = f"/tickets/{personas.ticket.number}/"
    bridge.attach(page, personas.kari.user)
    bridge.attach(second_page, personas.astrid.user)

    # given Kari and Astrid both open Sofie's ticket
    log_in(page, "kari@nordesk.test")
    page.goto(ticket_url)
    log_in(second_page, "astrid@nordesk.test")
    second_page.goto(ticket_url)

    # then each sees the other
    kari_sees = page.locator("#ticket-presence")
    bridge.until(page, lambda: expect(kari_sees).to_have_text("Astrid is viewing", timeout=100))
    bridge.until(
        page,
        lambda: expect(second_page.locator("#ticket-presence")).to_have_text(
            "Kari is viewing", timeout=100
        ),
    )

    # when Astrid starts typing a reply, Kari sees it
    second_page.get_by_label("Reply to the customer").press_sequentially("Hei Sofie")
    bridge.until(page, lambda: expect(kari_sees).to_have_text("Astrid is replying", timeout=100))

    # Kari writes her own reply meanwhile (kept as a draft)
    page.get_by_label("Reply to the customer").fill("Vi sender ny faktura i dag.")
    expect(page.locator('[data-draft-status="reply"]')).to_have_text("Draft saved")

    # when Astrid sends hers, Kari's page says so at once
    second_page.get_by_role("button", name="Send reply").click()
    expect(second_page.locator("#flash")).to_contain_text("Reply sent.")
    banner = page.locator("#live-banner")
    bridge.until(
        page, lambda: expect(banner).to_contain_text("Astrid replied on this ticket.", timeout=100)
    )

    # and when Kari sends anyway-unaware, the reply is held back with her text
    page.get_by_role("button", name="Send reply").click()
    warning = page.locator("#collision-warning")
    expect(warning).to_contain_text("Astrid replied while you were writing.")
    expect(page.get_by_label("Reply to the customer")).to_have_value("Vi sender ny faktura i dag.")
    expect(page.locator(".message--new")).to_contain_text("Hei Sofie")
    assert _public_replies(personas.ticket).count() == 1

    # then "Send anyway" sends it, and the draft is gone
    warning.get_by_role("button", name="Send anyway").click()
    expect(page.locator("#flash")).to_contain_text("Reply sent.")
    expect(page.get_by_label("Reply to the customer")).to_have_value("")
    assert _public_replies(personas.ticket).count() == 2
    # (once htmx has settled the new page, ticket-live.js drops the sent draft)
    page.wait_for_function("Object.keys(localStorage).every(key => !key.endsWith(':reply'))")

    # when Astrid leaves, Kari no longer sees her
    second_page.goto("/")
    bridge.until(page, lambda: expect(kari_sees).to_have_text("", timeout=100))
    assert console_errors == []


def test_drafts_survive_a_reload_and_go_once_sent(page, personas, console_errors):
    from playwright.sync_api import expect

    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{personas.ticket.number}/")
    note = page.get_by_label("Internal note (only agents see it)")
    note.fill("Kunden har ringt to ganger.")
    expect(page.locator('[data-draft-status="note"]')).to_have_text("Draft saved")

    page.reload()

    expect(note).to_have_value("Kunden har ringt to ganger.")
    expect(page.locator('[data-draft-status="note"]')).to_have_text("Draft restored")

    # a status change swaps the page: the draft is put back, nothing lost
    page.locator("#status-status").select_option("open")
    page.get_by_role("button", name="Save status").click()
    expect(page.locator("#flash")).to_contain_text("Status saved.")
    expect(note).to_have_value("Kunden har ringt to ganger.")

    page.get_by_role("button", name="Add note").click()
    expect(page.locator("#flash")).to_contain_text("Internal note added.")
    expect(note).to_have_value("")
    page.wait_for_function("Object.keys(localStorage).every(key => !key.endsWith(':note'))")
    page.reload()
    expect(note).to_have_value("")

    # logging out forgets the drafts left unsent: the next person at this computer finds none
    page.get_by_label("Reply to the customer").fill("Hei Sofie, vi ser på saken.")
    page.wait_for_function("Object.keys(localStorage).some(key => key.endsWith(':reply'))")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/**")
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('nordesk:draft:'))") == []
    )
    assert console_errors == []


def test_keyboard_only_flow(page, personas, console_errors):
    from playwright.sync_api import expect

    # given three tickets in Kari's inbox (newest first)
    for subject, address in (("Andre sak", "per@example.no"), ("Tredje sak", "eva@example.no")):
        off_the_loop(
            lambda subject=subject, address=address: make_ticket(
                team=personas.billing, subject=subject, address=address
            )
        )

    # she logs in with the keyboard only
    page.goto("/login/")
    page.keyboard.press("Tab")  # skip link
    page.get_by_label("Email").focus()
    page.keyboard.type("kari@nordesk.test")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#inbox-list")).to_contain_text("Tredje sak")
    page.wait_for_load_state()  # the deferred scripts have run

    # "/" focuses the search, and typing there does not move the selection
    page.keyboard.press("/")
    search = page.locator("#global-search, #filter-q").first
    expect(search).to_be_focused()
    page.keyboard.type("j")
    expect(page.locator("tr.is-selected")).to_have_count(0)
    search.fill("")
    page.locator("body").click(position={"x": 5, "y": 300})

    # j, j, k selects the rows in turn
    rows = page.locator('#inbox-list table.tickets tr[id^="ticket-row-"]')
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(0)).not_to_have_attribute("aria-selected", "true")
    page.keyboard.press("j")
    page.keyboard.press("k")
    selected = rows.nth(1)
    expect(selected).to_have_class("is-selected")
    href = selected.locator("td.col-subject a").get_attribute("href")

    # Enter opens it
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")

    # "?" shows the shortcuts; Esc closes it and focus comes back
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # "a" assigns the ticket to her
    page.keyboard.press("a")
    expect(page.locator("#flash")).to_contain_text("Assignee saved.")
    expect(page.locator("#assign-assignee")).to_have_value(str(personas.kari.user_id))

    # "r" focuses the reply box; letters typed there are text, not shortcuts
    page.keyboard.press("r")
    reply = page.get_by_label("Reply to the customer")
    expect(reply).to_be_focused()
    page.keyboard.type("Takk, vi ser på det. ?jk")
    expect(dialog).to_be_hidden()

    # Ctrl+Enter sends it
    page.keyboard.press("Control+Enter")
    expect(page.locator("#flash")).to_contain_text("Reply sent.")
    expect(page.locator("#thread")).to_contain_text("Takk, vi ser på det. ?jk")

    # "n" goes to the note box; "s" solves with the note's draft kept
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("n")
    note = page.get_by_label("Internal note (only agents see it)")
    expect(note).to_be_focused()
    page.keyboard.type("Løst over telefon")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("s")
    expect(page.locator("#flash")).to_contain_text("Status saved.")
    expect(page.locator(".ticket-meta")).to_contain_text("Solved")
    expect(note).to_have_value("Løst over telefon")
    assert console_errors == []
