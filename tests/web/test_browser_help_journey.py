"""Issue 6's customer journey in a real browser: Nina searches the knowledge base in Swedish
by an inflected word and reads the article, writes through the contact form (which suggests
that article) with a file, signs in by the link in the captured mail, sees her request and
replies; an agent solves it, the survey mail goes out, she rates it from the mail, and the
agent's ticket page shows the rating. The knowledge base's portal pages pass axe-core."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from nordesk.csat import services as csat_services
from nordesk.kb.models import ArticleFeedback
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Message, Ticket
from tests.csat.helpers import links_in, path_of
from tests.kb.factories import make_article, make_section
from tests.web.browser import (
    BROWSER_MARKS,
    accessibility_problems,
    log_in,
    off_the_loop,
    portal_reply,
    portal_sign_in_by_mail,
)

pytestmark = BROWSER_MARKS
ARTICLE_TITLE = "Så byter du lösenordet"


@pytest.fixture
def quick_forms(settings):
    """Playwright types faster than the time check allows a person to."""
    settings.PORTAL_FORM_MIN_SECONDS = 0
    settings.PORTAL_BRAND = "Vinterly"


@pytest.fixture
def password_article(personas):
    return off_the_loop(
        lambda: make_article(
            make_section("account"),
            language="sv",
            title=ARTICLE_TITLE,
            body="<p>Lösenordet byter du under <b>Inställningar</b> i appen.</p>",
        )
    )


def choose_language(page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_selector(f'html[lang="{code}"]')


def test_customer_journey_from_the_help_centre_to_the_rating(
    page, personas, quick_forms, password_article, console_errors, tmp_path
):
    from playwright.sync_api import expect

    problems: dict[str, list[str]] = {}
    screenshot = tmp_path / "skarmbild.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    # when: Nina, in Swedish, searches the help centre for another form of the word
    page.goto("/help/")
    choose_language(page, "sv")
    problems["home"] = accessibility_problems(page)
    page.goto("/help/categories/account-help/")
    expect(page.get_by_role("link", name=ARTICLE_TITLE)).to_be_visible()
    problems["category"] = accessibility_problems(page)
    page.locator("#help-q").fill("lösenorden")
    page.locator(".help-search button[type=submit]").click()

    # then: the article is found with the word highlighted, and she reads it
    result = page.locator(".help-results li").first
    expect(result.locator("mark").first).to_have_text(re.compile("lösenordet", re.I))
    problems["search"] = accessibility_problems(page)
    result.get_by_role("link", name=ARTICLE_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE)
    assert page.url.endswith("/help/sv/articles/sa-byter-du-losenordet/")
    expect(page.locator(".help-article-body b")).to_have_text("Inställningar")
    problems["article"] = accessibility_problems(page)

    # and says it did not quite help, with a comment
    page.locator("#feedback-comment").fill("Appen har ingen sådan meny")
    page.locator("#feedback button[value=no]").click()
    expect(page.locator("#feedback [role=status]")).to_be_visible()
    feedback = ArticleFeedback.objects.get()
    assert (feedback.helpful, feedback.comment) == (False, "Appen har ingen sådan meny")

    # when: she writes to customer service; the form suggests the article as she types
    page.goto("/help/contact/")
    page.locator("#contact-name").fill("Nina Berg")
    page.locator("#contact-email").fill("nina@example.se")
    page.locator("#contact-subject").fill("Kan inte byta lösenord")
    expect(page.locator("#contact-suggestions").get_by_role("link")).to_have_text(ARTICLE_TITLE)
    problems["contact-with-suggestions"] = accessibility_problems(page)
    page.locator("#contact-description").fill("Jag hittar inte var man byter lösenordet.")
    page.locator("#contact-attachments").set_input_files(str(screenshot))
    page.locator("form.portal-form button[type=submit]").click()

    # then: her request is a web ticket with the file
    ticket = Ticket.objects.get(subject="Kan inte byta lösenord")
    expect(page.get_by_role("status")).to_contain_text(str(ticket.number))
    assert ticket.messages.get().attachments.get().filename == "skarmbild.png"

    # when: (in English from here) she asks for a sign-in link and opens it from the mail
    choose_language(page, "en")
    portal_sign_in_by_mail(page, "nina@example.se")

    # then: she sees her request and replies
    page.get_by_role("link", name=f"#{ticket.number} Kan inte byta lösenord").click()
    expect(page.get_by_role("link", name="skarmbild.png")).to_be_visible()
    portal_reply(page, "Jag använder appen på telefonen.")
    assert Message.objects.filter(ticket=ticket).order_by("-id").first().channel == "web"

    # when: an agent solves it and the survey goes out after its delay
    def solve_and_send() -> int:
        ticket_services.ticket_change_status(
            ticket=Ticket.objects.get(pk=ticket.pk), status="solved", actor=personas.astrid.user
        )
        return csat_services.surveys_send_due(now=timezone.now() + timedelta(hours=1, minutes=1))

    assert off_the_loop(solve_and_send) == 1
    survey_mail = mail.outbox[-1]
    assert survey_mail.to == ["nina@example.se"]
    good, _bad = links_in(survey_mail)

    # and she rates it from the mail, on a page in the language she wrote in
    page.goto(path_of(good))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.locator("#survey-form button[type=submit]").click()
    expect(page.locator("#survey-thanks")).to_be_visible()

    # then: the agent's ticket page shows the rating
    log_in(page, "astrid@nordesk.test")
    page.goto(f"/tickets/{ticket.number}/")
    expect(page.locator("#csat-panel #csat-rating")).to_have_text("Good")

    assert {name: found for name, found in problems.items() if found} == {}
    assert console_errors == []
