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


DROP_A_PDF = """() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["%PDF-1.4 faktura"], "faktura.pdf", {type: "application/pdf"}));
    const box = document.getElementById("reply-text");
    for (const type of ["dragenter", "dragover", "drop"]) {
        const init = {bubbles: true, cancelable: true, dataTransfer: transfer};
        box.dispatchEvent(new DragEvent(type, init));
    }
}"""


def test_agent_attaches_files_by_choosing_and_dropping_them(page, personas, console_errors):
    from playwright.sync_api import expect

    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{personas.ticket.number}/")

    # when: Kari chooses two files, takes one off again, and drops a PDF on the reply
    page.get_by_label("Attach files").first.set_input_files(
        [
            {"name": "kvittering.txt", "mimeType": "text/plain", "buffer": b"Kvittering\n" * 140},
            {"name": "feil.txt", "mimeType": "text/plain", "buffer": b"Feil fil"},
        ]
    )
    chosen = page.locator("#reply-form [data-chosen-files] li")
    expect(chosen).to_have_count(2)
    page.get_by_role("button", name="Remove feil.txt").click()
    page.evaluate(DROP_A_PDF)
    expect(chosen).to_have_count(2)
    expect(chosen.nth(0)).to_contain_text("kvittering.txt (1.5 KB)")
    expect(chosen.nth(1)).to_contain_text("faktura.pdf (16 bytes)")

    # and sends the reply
    page.get_by_label("Reply to the customer").fill("Her er kvitteringen og fakturaen.")
    page.get_by_role("button", name="Send reply").click()

    # then: the reply in the thread lists both files, and they are stored with it
    expect(page.locator("#flash")).to_contain_text("Reply sent.")
    sent = Message.objects.get(ticket=personas.ticket, direction=Direction.OUT)
    assert sorted(a.filename for a in sent.attachments.all()) == ["faktura.pdf", "kvittering.txt"]
    thread_reply = page.locator(f"#message-{sent.pk}")
    expect(thread_reply).to_contain_text("kvittering.txt")
    expect(thread_reply).to_contain_text("faktura.pdf")
    assert console_errors == []
