"""Every main screen of the workspace, as a supervisor sees it on a laptop and (the inbox and a
ticket) on a tablet: axe-core finds no serious or critical accessibility problem, nothing
scrolls sideways, and each screen is saved (to docs/screenshots/ by `make screenshots`)."""

import pytest

from nordesk.tickets.models import Ticket
from nordesk.tickets.search import search_index_pending
from tests.factories import make_ticket
from tests.web.browser import BROWSER_MARKS, accessibility_problems, log_in, off_the_loop

pytestmark = BROWSER_MARKS

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
# A customer writes in one of the Nordic languages or English, on every channel.
TICKETS = (
    ("Pakken har ikke kommet", "Ola Hansen", "ola@example.no", "email", "Pakken er forsinket."),
    ("Appen lukker ned", "Mette Jensen", "mette@example.dk", "chat", "Appen lukker ned."),
    ("Kan inte logga in", "Anna Berg", "anna@example.se", "web", "Jag kan inte logga in."),
    ("Retur av vare", "Olav Vik", "+4790011223", "phone", "Eg vil returnere jakka."),
    ("Charged twice", "James Reed", "james@example.co.uk", "api", "I was charged twice."),
)


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.fixture
def busy_inbox(personas):
    for subject, name, address, channel, text in TICKETS:
        kind = "phone" if address.startswith("+") else "email"
        off_the_loop(
            lambda s=subject, n=name, a=address, c=channel, t=text, k=kind: make_ticket(
                team=personas.billing, subject=s, name=n, address=a, channel=c, kind=k, text=t
            )
        )
    Ticket.objects.filter(subject="Appen lukker ned").update(priority="high")
    search_index_pending()
    return personas


def test_main_screens_are_accessible_fit_the_screen_and_are_saved(
    page, busy_inbox, console_errors, screenshots
):
    from playwright.sync_api import expect

    personas = busy_inbox
    ticket = f"/tickets/{personas.ticket.number}/"
    screens = {
        "inbox": ("/", "#inbox-list"),
        "ticket": (ticket, "#thread"),
        "search": ("/search/?q=faktura", "main"),
        "customers": ("/customers/", "main"),
        "customer": (f"/customers/{personas.sofie.pk}/", "main"),
        "supervisor": ("/supervisor/", "main"),
        "profile": ("/profile/", "main"),
    }
    page.set_viewport_size(LAPTOP)
    log_in(page, "siri@nordesk.test")

    problems = {}
    for name, (url, landmark) in screens.items():
        page.goto(url)
        expect(page.locator(landmark).first).to_be_visible()
        problems[name] = accessibility_problems(page)
        assert not scrolls_sideways(page), f"{name} scrolls sideways on a laptop"
        page.screenshot(path=screenshots / f"{name}-laptop.png")

    page.set_viewport_size(TABLET)
    for name in ("inbox", "ticket"):
        url, landmark = screens[name]
        page.goto(url)
        expect(page.locator(landmark).first).to_be_visible()
        assert not scrolls_sideways(page), f"{name} scrolls sideways on a tablet"
        page.screenshot(path=screenshots / f"{name}-tablet.png")

    assert {name: found for name, found in problems.items() if found} == {}
    assert console_errors == []
