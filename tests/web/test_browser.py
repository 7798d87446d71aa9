"""The agent workspace in a real browser: Debian's Chromium driven by Playwright (never a
downloaded browser), against pytest-django's live server (fixtures in tests/web/browser.py)."""

import json
import threading

from nordesk.tickets.models import Direction, Message
from tests.factories import make_ticket
from tests.web.browser import BROWSER_MARKS, log_in

pytestmark = BROWSER_MARKS


def test_agent_replies_to_sofie_from_the_inbox(page, personas, console_errors):
    from playwright.sync_api import expect

    reply = "Hei Sofie! Vi har kreditert det dobbelte beløpet."

    # given: Kari logs in and sees her inbox
    log_in(page, "kari@nordesk.test")
    expect(page.get_by_role("heading", name="All tickets")).to_be_visible()

    # when: she opens Sofie's ticket and sends a reply
    page.get_by_role("link", name=personas.ticket.subject).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(personas.ticket.subject)
    page.evaluate("window.nordeskSamePage = true")
    page.get_by_label("Reply to the customer").fill(reply)
    page.get_by_role("button", name="Send reply").click()

    # then: the reply is in the thread, marked as a public reply, and stored
    thread = page.locator("#thread")
    expect(thread).to_contain_text(reply)
    expect(page.locator("#flash")).to_contain_text("Reply sent.")
    expect(page.get_by_label("Reply to the customer")).to_have_value("")
    stored = Message.objects.get(ticket=personas.ticket, direction=Direction.OUT)
    assert stored.text == reply
    expect(page.locator(f"#message-{stored.pk}")).to_contain_text("Public reply")
    # htmx swapped the page's <main> in place: same document, same URL.
    assert page.evaluate("window.nordeskSamePage") is True
    assert page.url.endswith(f"/tickets/{personas.ticket.number}/")
    assert console_errors == []


def test_refused_change_shows_the_reason_next_to_the_form(page, personas, console_errors):
    from playwright.sync_api import expect

    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{personas.ticket.number}/")

    # when: Kari tries to close a new ticket (it must be solved first)
    page.locator("#status-form").get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Save status").click()

    # then: the service's reason is shown by the status form, and nothing changed
    expect(page.locator("#status-form")).to_contain_text("A ticket cannot go from New to Closed.")
    expect(page.locator(".ticket-meta")).to_contain_text("New")
    assert console_errors == []


def test_inbox_filters_without_reload_and_refreshes_live(
    page, personas, console_errors, inbox_sockets
):
    from playwright.sync_api import expect

    log_in(page, "kari@nordesk.test")
    expect(page.locator("[data-live-status]")).to_be_visible()  # the socket is open
    page.evaluate("window.nordeskSamePage = true")

    # when: a filter changes, htmx swaps the list and pushes the URL; no full reload
    page.get_by_role("search").get_by_label("Status").select_option("closed")
    page.wait_for_url("**/?*status=closed*")
    expect(page.locator("#inbox-list")).to_contain_text("No tickets match these filters.")
    page.get_by_role("search").get_by_label("Status").select_option("")
    expect(page.locator("#inbox-list")).to_contain_text(personas.ticket.subject)
    assert page.evaluate("window.nordeskSamePage") is True

    # when: a ticket arrives and the server says so over the socket
    # (created in another thread: this one runs Playwright's event loop, and the intake
    # publishes to the channel layer through async_to_sync)
    created = {}
    worker = threading.Thread(
        target=lambda: created.update(
            ticket=make_ticket(team=personas.billing, address="nils@example.dk", subject="Nyt kort")
        )
    )
    worker.start()
    worker.join()
    inbox_sockets[-1].send(
        json.dumps({"type": "ticket", "op": "update", "id": created["ticket"].pk})
    )

    # then: the list refreshes itself (the page never polls: only the push can bring it; no
    # tighter clock here, a loaded machine makes timed assertions flake)
    expect(page.locator("#inbox-list")).to_contain_text("Nyt kort", timeout=5000)
    assert page.evaluate("window.nordeskSamePage") is True
    assert console_errors == []


def test_light_agent_sees_the_note_form_only_and_can_add_a_note(page, personas, console_errors):
    from playwright.sync_api import expect

    log_in(page, "lars@nordesk.test")
    page.goto(f"/tickets/{personas.ticket.number}/")

    expect(page.locator("#reply-form")).to_have_count(0)
    page.get_by_label("Internal note (only agents see it)").fill("Ringte kunden kl. 14.")
    page.get_by_role("button", name="Add note").click()

    note = page.locator(".message--internal")
    expect(note).to_contain_text("Ringte kunden kl. 14.")
    expect(note).to_contain_text("Internal note")
    assert console_errors == []
