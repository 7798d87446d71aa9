"""The settings pages and the reply box's tools in a real browser (fixtures in
tests/web/browser.py): an admin fixes a refused routing rule; an agent fills the reply box
from a canned reply and a macro without leaving the page."""

from nordesk.automation import services as automation_services
from nordesk.routing.models import RoutingRule
from nordesk.tickets.models import Ticket
from tests.web.browser import BROWSER_MARKS, log_in, off_the_loop

pytestmark = BROWSER_MARKS


def test_admin_fixes_a_refused_routing_rule_and_sees_it_listed(page, personas, console_errors):
    from playwright.sync_api import expect

    # given Astrid, an admin, on the routing rules page
    log_in(page, "astrid@nordesk.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Routing rules").click()
    expect(page.get_by_role("heading", level=1, name="Routing rules")).to_be_visible()
    expect(page.get_by_text("Nothing here yet.")).to_be_visible()

    # when she writes a rule whose second condition names an unknown field
    page.get_by_role("link", name="New routing rule").click()
    page.get_by_label("Name").fill("Danske kunder")
    page.get_by_label("Send to team").select_option(label="Billing")
    conditions = page.get_by_label("Conditions (JSON)")
    conditions.fill(
        '{"all": [{"field": "language", "operator": "is", "value": "da"},'
        ' {"field": "mood", "operator": "is", "value": "sint"}]}'
    )
    page.get_by_role("button", name="Create").click()

    # then the service's reason names the condition, next to the field, and nothing is stored
    expect(page.locator("#rule-conditions_error")).to_contain_text("Condition 2: unknown field")
    expect(conditions).to_have_attribute("aria-invalid", "true")
    expect(conditions).to_have_value(
        '{"all": [{"field": "language", "operator": "is", "value": "da"},'
        ' {"field": "mood", "operator": "is", "value": "sint"}]}'
    )
    assert not RoutingRule.objects.exists()

    # when she fixes it
    conditions.fill('{"all": [{"field": "language", "operator": "is", "value": "da"}]}')
    page.get_by_role("button", name="Create").click()

    # then she is back on the list, which shows the rule
    expect(page.locator("#flash")).to_contain_text("Routing rule Danske kunder created.")
    row = page.locator("#settings-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Danske kunder")
    expect(row).to_contain_text("Billing")
    rule = RoutingRule.objects.get()
    assert rule.conditions == {"all": [{"field": "language", "operator": "is", "value": "da"}]}
    assert console_errors == []


def test_agent_fills_the_reply_box_from_a_canned_reply_and_a_macro(page, personas, console_errors):
    from playwright.sync_api import expect

    def define() -> None:
        automation_services.canned_reply_create(
            name="Takk", texts={"en": "Thank you for writing, {{ customer.first_name }}!"}
        )
        automation_services.macro_create(
            name="Refund",
            actions=[{"type": "set_priority", "value": "high"}],
            texts={"en": "We will refund the amount."},
        )

    off_the_loop(define)
    ticket = personas.ticket
    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{ticket.number}/")
    page.evaluate("window.nordeskSamePage = true")
    reply = page.get_by_label("Reply to the customer")

    # when Kari has begun her reply and inserts a canned reply
    reply.fill("Hi Sofie.")
    page.get_by_label("Canned reply").select_option(label="Takk")
    page.get_by_role("button", name="Insert").click()

    # then its text, filled in for this ticket, follows what she typed; nothing is sent
    expect(reply).to_have_value("Hi Sofie.\n\nThank you for writing, Sofie!")

    # when she applies a macro
    page.get_by_label("Macro").select_option(label="Refund")
    page.get_by_role("button", name="Apply macro").click()

    # then its actions ran as her and its text is in the reply box, to review before sending
    expect(page.locator("#flash")).to_contain_text("Macro Refund applied.")
    expect(page.get_by_label("Reply to the customer")).to_have_value(
        "Hi Sofie.\n\nThank you for writing, Sofie!\n\nWe will refund the amount."
    )
    expect(page.locator(".ticket-meta")).to_contain_text("High")
    assert Ticket.objects.get(pk=ticket.pk).priority == "high"
    assert page.evaluate("window.nordeskSamePage") is True
    assert console_errors == []
