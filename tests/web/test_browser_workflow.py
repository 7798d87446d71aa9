"""An agent's day in a real browser: from the inbox to a solved ticket with a canned reply, and
finding a ticket by another form of a word than the customer wrote."""

from nordesk.automation import services as automation_services
from nordesk.tickets.models import Direction, Message, Status, Ticket
from nordesk.tickets.search import search_index_pending
from tests.web.browser import BROWSER_MARKS, log_in

pytestmark = BROWSER_MARKS


def test_agent_answers_with_a_canned_reply_and_solves(page, personas, console_errors):
    from playwright.sync_api import expect

    # given: the team keeps a canned reply for wrong invoices
    automation_services.canned_reply_create(
        name="Ny faktura",
        texts={
            "nb": "Hei {{ customer.first_name }}! Vi sender deg en ny faktura i dag.",
        },
    )

    # when: Kari logs in, opens Sofie's ticket from the inbox and inserts the canned reply
    log_in(page, "kari@nordesk.test")
    page.get_by_role("link", name=personas.ticket.subject).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(personas.ticket.subject)
    page.get_by_label("Canned reply").select_option(label="Ny faktura")
    page.get_by_role("button", name="Insert").click()
    reply = page.get_by_label("Reply to the customer")
    expect(reply).to_have_value("Hei Sofie! Vi sender deg en ny faktura i dag.")

    # and sends it, setting the ticket to solved in the same action
    page.get_by_label("Status after sending").select_option("solved")
    page.get_by_role("button", name="Send reply").click()

    # then: the reply is in the thread, the ticket is solved, and stored so
    expect(page.locator("#flash")).to_contain_text("Reply sent.")
    expect(page.locator("#thread")).to_contain_text("Vi sender deg en ny faktura i dag.")
    expect(reply).to_have_value("")
    ticket = Ticket.objects.get(pk=personas.ticket.pk)
    assert ticket.status == Status.SOLVED
    sent = Message.objects.get(ticket=ticket, direction=Direction.OUT)
    assert sent.text == "Hei Sofie! Vi sender deg en ny faktura i dag."

    # and the inbox's open views no longer hold it, while "Solved recently" does
    page.goto("/?view=teams")
    expect(page.locator("#inbox-list")).not_to_contain_text(personas.ticket.subject)
    page.goto("/?view=solved")
    expect(page.locator("#inbox-list")).to_contain_text(personas.ticket.subject)
    assert console_errors == []


def test_search_finds_a_norwegian_ticket_by_an_inflected_word(page, personas, console_errors):
    from playwright.sync_api import expect

    # given: Sofie wrote "fakturaen" (the invoice), and the index has caught up
    assert "fakturaen" in Message.objects.get(ticket=personas.ticket).text
    search_index_pending()

    # when: Kari searches for "faktura" from the header
    log_in(page, "kari@nordesk.test")
    search = page.locator("#global-search")
    search.fill("faktura")
    search.press("Enter")

    # then: the ticket is found, with the inflected word marked in its snippet
    page.wait_for_url("**/search/?q=faktura")
    results = page.locator("main")
    expect(results.get_by_role("link", name=personas.ticket.subject)).to_be_visible()
    expect(results.locator("mark", has_text="fakturaen")).to_be_visible()
    assert console_errors == []
