"""A customer answers the satisfaction survey from the mail in a real browser, and the agent
sees the answer on the ticket page."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from nordesk.csat import services as csat_services
from nordesk.csat.models import Survey
from nordesk.tickets import services as ticket_services
from tests.csat.helpers import links_in, path_of
from tests.web.browser import BROWSER_MARKS, accessibility_problems, log_in, off_the_loop

pytestmark = BROWSER_MARKS


def test_customer_rates_from_the_mail_and_the_agent_sees_it(page, personas, console_errors):
    from playwright.sync_api import expect

    # given: Kari solved Sofie's ticket and, an hour later, the survey mail went out
    def solve_and_send() -> int:
        ticket_services.ticket_change_status(
            ticket=personas.ticket, status="solved", actor=personas.kari.user
        )
        return csat_services.surveys_send_due(now=timezone.now() + timedelta(hours=1, minutes=1))

    assert off_the_loop(solve_and_send) == 1
    survey_mail = mail.outbox[-1]
    assert survey_mail.to == ["sofie@example.no"]
    good, bad = links_in(survey_mail)

    # when: Sofie follows "bad" from the mail, the page has it chosen but nothing is recorded yet
    page.goto(path_of(bad))
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we do?")
    expect(page.get_by_label("Bad, I'm not satisfied")).to_be_checked()
    assert Survey.objects.get().score is None
    assert accessibility_problems(page) == []

    # and she changes her mind to "good", writes why, and sends it
    page.get_by_label("Good, I'm satisfied").check()
    page.get_by_label("Anything you want to tell us? (optional)").fill(
        "Kari ordnet fakturaen på en dag."
    )
    page.get_by_role("button", name="Send my answer").click()

    # then: she is thanked, and can still change it
    expect(page.locator("#survey-thanks")).to_contain_text("Thank you!")
    expect(page.get_by_role("button", name="Change my answer")).to_be_visible()

    # and Kari sees the answer on the ticket page, in its history too
    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{personas.ticket.number}/")
    panel = page.locator("#csat-panel")
    expect(panel.locator("#csat-rating")).to_have_text("Good")
    expect(panel).to_contain_text("Kari ordnet fakturaen på en dag.")
    expect(page.locator("#history")).to_contain_text("CSAT received: Good")
    assert accessibility_problems(page) == []
    assert console_errors == []
