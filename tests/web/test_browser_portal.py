"""A customer in a real browser: writes through the contact form with a file, asks for a
sign-in link, opens it from the mail, finds the request and replies; the portal's pages pass
axe-core and fit a phone (each saved, to docs/screenshots/ by `make screenshots`); and the
widget on another site, which suggests articles as the visitor types."""

import threading
from datetime import timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from nordesk.portal import services as portal_services
from nordesk.tickets.models import Message, Ticket
from tests.factories import PASSWORD, make_ticket
from tests.kb.factories import make_article, make_section
from tests.web.browser import (
    BROWSER_MARKS,
    accessibility_problems,
    off_the_loop,
    portal_reply,
    portal_sign_in_by_mail,
)
from tests.web.test_browser_screens import scrolls_sideways

pytestmark = BROWSER_MARKS
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def quick_forms(settings):
    """Playwright types faster than the time check allows a person to."""
    settings.PORTAL_FORM_MIN_SECONDS = 0
    settings.PORTAL_BRAND = "Vinterly"


def test_customer_writes_signs_in_by_link_and_replies(
    page, personas, quick_forms, console_errors, tmp_path
):
    from playwright.sync_api import expect

    screenshot = tmp_path / "skjermbilde.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

    # when: Nina writes through the contact form with a screenshot
    page.goto("/help/")
    page.get_by_role("link", name="Write to us").click()
    page.get_by_label("Your name").fill("Nina Berg")
    page.get_by_label("Your email address").fill("nina@example.se")
    page.get_by_label("Subject").fill("Kan inte logga in")
    page.get_by_label("How can we help?").fill("Jag får ett fel när jag loggar in.")
    page.get_by_label("Attach files").set_input_files(str(screenshot))
    page.get_by_role("button", name="Send").click()

    # then: she is told her request's number, and it is a web ticket with the file
    ticket = Ticket.objects.get(subject="Kan inte logga in")
    expect(page.get_by_role("status")).to_contain_text(f"Your request number is {ticket.number}")
    assert ticket.channel == "web"
    assert ticket.messages.get().attachments.get().filename == "skjermbilde.png"

    # when: she asks for a sign-in link and opens it from the mail
    portal_sign_in_by_mail(page, "nina@example.se")

    # then: her request is listed; she opens it and replies
    page.get_by_role("link", name=f"#{ticket.number} Kan inte logga in").click()
    expect(page.get_by_role("link", name="skjermbilde.png")).to_be_visible()
    portal_reply(page, "Det fungerar fortfarande inte.")
    reply = Message.objects.filter(ticket=ticket).order_by("-id").first()
    assert (reply.channel, reply.text) == ("web", "Det fungerar fortfarande inte.")
    assert console_errors == []


def test_portal_pages_are_accessible_and_fit_a_phone(
    page, personas, quick_forms, console_errors, screenshots
):
    from playwright.sync_api import expect

    off_the_loop(lambda: make_ticket(address="sofie@example.no", subject="Ny adresse"))
    pages = {
        "portal-home": "/help/",
        "portal-contact": "/help/contact/",
        "portal-sign-in": "/help/sign-in/",
        "portal-embed": "/help/embed/contact/",
    }
    problems: dict[str, list[str]] = {}
    page.set_viewport_size(PHONE)
    for name, url in pages.items():
        page.goto(url)
        problems[name] = accessibility_problems(page)
        assert not scrolls_sideways(page), name
        page.screenshot(path=screenshots / f"{name}-phone.png", full_page=True)

    # the form's refusal, as a customer sees it
    page.goto("/help/contact/")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    problems["portal-contact-errors"] = accessibility_problems(page)

    # signed in, with the password the portal lets a customer set
    account = off_the_loop(
        lambda: portal_services.account_for_customer(customer_id=personas.sofie.pk)
    )
    off_the_loop(lambda: portal_services.account_password_set(account=account, password=PASSWORD))
    page.goto("/help/sign-in/")
    page.get_by_role("textbox", name="Email address", exact=True).fill("sofie@example.no")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My requests")
    for name, url in {
        "portal-tickets": "/help/tickets/",
        "portal-ticket": f"/help/tickets/{personas.ticket.number}/",
        "portal-account": "/help/account/",
    }.items():
        page.goto(url)
        problems[name] = accessibility_problems(page)
        assert not scrolls_sideways(page), name
        page.screenshot(path=screenshots / f"{name}-phone.png", full_page=True)
    assert {name: found for name, found in problems.items() if found} == {}
    # the refused form's answer is a 400, which the browser reports; nothing else went wrong
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        """The suite prints nothing: requests are not logged."""


@pytest.fixture
def shop_site(tmp_path, live_server):
    """The company's own site: a page with the widget snippet, served by a server of its own
    (another origin, on loopback like the live server, which Chromium lets it reach)."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><head><title>Shop</title>"
        "<link rel='icon' href='data:,'></head><body><h1>Shop</h1>"
        f"<script src='{live_server.url}/help/widget.js'></script></body></html>"
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietFiles, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_widget_on_the_companys_site_sends_the_form_from_its_frame(
    page, personas, quick_forms, settings, shop_site, console_errors
):
    from playwright.sync_api import expect

    # given: the company's shop carries the snippet, and the setting names the shop
    settings.PORTAL_EMBED_ORIGINS = [shop_site]
    page.goto(f"{shop_site}/")

    # when: a visitor opens the widget and writes
    page.get_by_role("button", name="Contact us").click()
    form = page.frame_locator("iframe[title='Contact us']")
    form.get_by_label("Your name").fill("Ola Kunde")
    form.get_by_label("Your email address").fill("ola@example.no")
    form.get_by_label("Subject").fill("Levering")
    form.get_by_label("How can we help?").fill("Når kommer pakken?")
    form.get_by_role("button", name="Send").click()

    # then: the frame says thank you, and the ticket came in through the embedded form
    expect(form.get_by_role("status")).to_contain_text("Your request number is")
    ticket = Ticket.objects.get(subject="Levering")
    assert ticket.channel == "web"
    assert console_errors == []


def test_the_widget_suggests_an_article_that_opens_in_a_tab_and_counts_as_read(
    page, personas, quick_forms, settings, shop_site, console_errors
):
    from playwright.sync_api import expect

    from nordesk.portal.deflection import DEFLECTION_MINUTES, deflections_record_due
    from nordesk.portal.models import SuggestedArticleOpen

    # given: the shop carries the widget, and the help centre answers how to track a parcel
    settings.PORTAL_EMBED_ORIGINS = [shop_site]
    off_the_loop(
        lambda: make_article(
            make_section("delivery"),
            language="en",
            title="Where is my parcel?",
            body="<p>Track the parcel with the number in your order mail.</p>",
        )
    )
    page.goto(f"{shop_site}/")
    page.get_by_role("button", name="Contact us").click()
    form = page.frame_locator("iframe[title='Contact us']")
    frame = page.locator("iframe[title='Contact us']").element_handle().content_frame()
    frame.wait_for_load_state()  # its scripts listen from then on; nobody types sooner

    # when: a visitor starts writing about a parcel, the frame suggests the article
    form.get_by_label("Subject").fill("My parcel")
    suggestion = form.get_by_role("link", name="Where is my parcel?")
    expect(suggestion).to_be_visible()

    # then: it opens in a tab of its own, and the form stays as typed in its frame
    with page.context.expect_page() as opened:
        suggestion.click()
    article = opened.value
    expect(article.get_by_role("heading", name="Where is my parcel?")).to_be_visible()
    assert SuggestedArticleOpen.objects.filter(submitted_at=None).count() == 1
    expect(form.get_by_label("Subject")).to_have_value("My parcel")

    # and: the visitor sends the form after all, so the article did not deflect the request
    form.get_by_label("Your name").fill("Ola Kunde")
    form.get_by_label("Your email address").fill("ola@example.no")
    form.get_by_label("How can we help?").fill("The tracking number does not work.")
    form.get_by_role("button", name="Send").click()
    expect(form.get_by_role("status")).to_contain_text("Your request number is")
    later = timezone.now() + timedelta(minutes=DEFLECTION_MINUTES + 1)
    assert deflections_record_due(now=later) == 0
    assert SuggestedArticleOpen.objects.exclude(submitted_at=None).count() == 1
    assert console_errors == []
