"""The knowledge base in a real browser: an agent writes an article in Swedish, publishes it,
and links a customer to it from the reply box of a ticket."""

import re
from dataclasses import replace

from nordesk.kb.models import Article
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Direction, Message
from tests.factories import inbound
from tests.kb.factories import make_section
from tests.web.browser import BROWSER_MARKS, log_in

pytestmark = BROWSER_MARKS


def test_agent_writes_a_swedish_article_and_links_it_in_a_reply(page, personas, console_errors):
    from playwright.sync_api import expect

    # given: the knowledge base has a section, and Sofie wrote in Swedish
    make_section()
    swedish = replace(inbound(team=personas.billing, name="Sofie Lund"), language="sv")
    ticket = ticket_services.receive(swedish).ticket

    # when: Kari writes an article in Swedish and publishes it
    log_in(page, "kari@nordesk.test")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("link", name="New article").click()
    page.locator("#kb-article-language").select_option("sv")
    page.locator("#kb-article-title").fill("Byt lösenord")
    page.locator("#kb-article-body").fill("Gå till Mina sidor och välj Byt lösenord.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#flash")).to_contain_text("Draft saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Byt lösenord")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#flash")).to_contain_text("Published.")
    expect(page.locator("#kb-public-path")).to_have_text("/help/sv/articles/byt-losenord/")
    assert Article.objects.get().status == "published"

    # and, on Sofie's ticket, finds it from the reply box by another form of the word
    page.goto(f"/tickets/{ticket.number}/")
    reply = page.get_by_label("Reply to the customer")
    reply.fill("Hej Sofie,")
    page.get_by_label("Link an article").fill("lösenorden")
    page.get_by_role("button", name="Find articles").click()
    expect(page.locator("#kb-picker-hits mark")).to_have_text("lösenord")
    page.get_by_role("button", name="Insert link").click()

    # then: the link follows what she had typed, and it is sent with the reply
    expect(reply).to_have_value(
        re.compile(r"^Hej Sofie,\n\nByt lösenord: http://[^/]+/help/sv/articles/byt-losenord/$")
    )
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#flash")).to_contain_text("Reply sent.")
    sent = Message.objects.get(ticket=ticket, direction=Direction.OUT)
    assert sent.text.endswith("/help/sv/articles/byt-losenord/")
    assert console_errors == []


def test_knowledge_base_pages_are_accessible_and_fit_a_laptop(page, personas, console_errors):
    from playwright.sync_api import expect

    from tests.kb.factories import make_article
    from tests.web.browser import accessibility_problems
    from tests.web.test_browser_screens import LAPTOP, scrolls_sideways

    article = make_article(
        make_section(),
        title="Slik betaler du fakturaen",
        translations={"sv": ("Så betalar du fakturan", "Betala i internetbanken.")},
    )
    page.set_viewport_size(LAPTOP)
    log_in(page, "kari@nordesk.test")
    problems = {}
    for url in (
        "/kb/",
        "/kb/?q=faktura",
        f"/kb/{article.pk}/?language=sv",
        f"/kb/{article.pk}/edit/?language=sv",
        f"/kb/{article.pk}/history/?language=nb",
        "/kb/new/",
        "/kb/stats/",
        "/kb/sections/",
    ):
        page.goto(url)
        expect(page.locator("main")).to_be_visible()
        problems[url] = accessibility_problems(page)
        assert not scrolls_sideways(page), f"{url} scrolls sideways on a laptop"
    assert {url: found for url, found in problems.items() if found} == {}
    assert console_errors == []
