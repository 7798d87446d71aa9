"""Mailboxes and the mail quarantine in a real browser: what an admin does, what others do not
see (fixtures in tests/web/browser.py)."""

from nordesk.connectors.email import services as email_services
from nordesk.connectors.email.models import Mailbox, RawEmail, RawStatus
from tests.connectors.email.builders import many_parts
from tests.web.browser import BROWSER_MARKS, log_in, off_the_loop

pytestmark = BROWSER_MARKS


def _quarantined_mail(address: str) -> RawEmail:
    """A mail over the parser's cap on MIME parts arrives: it waits in the quarantine."""

    def arrive() -> RawEmail:
        mailbox = email_services.mailbox_create(name="Nordesk kundeservice", address=address)
        raw = many_parts(600, to=address)
        result = email_services.mail_ingest(mailbox=mailbox, raw=raw, source="imap")
        return RawEmail.objects.get(pk=result.raw_id)

    return off_the_loop(arrive)


def test_admin_creates_a_mailbox_and_sees_it_in_the_list(page, personas, console_errors):
    from playwright.sync_api import expect

    # given Astrid, an admin, on the mailboxes page
    log_in(page, "astrid@nordesk.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mailboxes").click()
    expect(page.get_by_role("heading", level=1, name="Mailboxes")).to_be_visible()
    expect(page.get_by_text("No mailboxes yet.")).to_be_visible()

    # when she fills in the new mailbox form
    page.get_by_role("link", name="New mailbox").click()
    page.get_by_label("Brand name").fill("Nordesk Sverige")
    page.get_by_label("Address", exact=True).fill("kundtjanst@nordesk.test")
    page.get_by_label("Default team").select_option(label="Billing")
    page.get_by_label("Default language").select_option("sv")
    page.get_by_label("IMAP host").fill("imap.nordesk.test")
    page.get_by_label("IMAP user name").fill("kundtjanst")
    page.get_by_label("IMAP password").fill("hemligt-lösenord")
    page.get_by_role("button", name="Create mailbox").click()

    # then she is back on the list, which shows the mailbox
    expect(page.locator("#flash")).to_contain_text("Mailbox Nordesk Sverige created.")
    row = page.locator("#mailboxes tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Nordesk Sverige")
    expect(row).to_contain_text("kundtjanst@nordesk.test")
    expect(row).to_contain_text("IMAP polling")
    expect(row).to_contain_text("Billing")
    mailbox = Mailbox.objects.get()
    assert (mailbox.address, mailbox.language) == ("kundtjanst@nordesk.test", "sv")

    # and its page shows the password is stored, not the password
    row.get_by_role("link", name="Nordesk Sverige").click()
    expect(page.get_by_label("IMAP password")).to_have_value("")
    expect(page.locator("#mailbox-form")).to_contain_text("A password is stored.")
    assert "hemligt-lösenord" not in page.content()
    assert console_errors == []


def test_admin_gets_a_webhook_secret_once(page, personas, console_errors):
    from playwright.sync_api import expect

    mailbox = off_the_loop(
        lambda: email_services.mailbox_create(
            name="Nordesk Danmark", address="kundeservice@nordesk.test", inbound="webhook"
        )
    )
    log_in(page, "astrid@nordesk.test")
    page.goto(f"/settings/mailboxes/{mailbox.pk}/")

    page.get_by_role("button", name="New webhook secret").click()

    endpoint = page.locator("#webhook-secret-endpoint")
    expect(endpoint).to_have_text(
        f"{page.url.split('/settings/')[0]}/api/v1/mail/inbound/{mailbox.pk}"
    )
    secret = page.locator("#webhook-secret-value").inner_text()
    assert len(secret) >= 40
    page.goto(f"/settings/mailboxes/{mailbox.pk}/")
    expect(page.locator("#webhook")).to_contain_text("A secret is set.")
    assert secret not in page.content()
    assert console_errors == []


def test_admin_discards_a_quarantined_message_with_a_reason(page, personas, console_errors):
    from playwright.sync_api import expect

    # given a message waits in the quarantine
    raw = _quarantined_mail("support@nordesk.test")
    log_in(page, "astrid@nordesk.test")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mail quarantine").click()
    row = page.locator(f"#raw-{raw.pk}")
    expect(row).to_contain_text("more than 500 MIME parts")
    expect(row).to_contain_text("Nordesk kundeservice")
    expect(row.get_by_role("link", name="Download raw (.eml)")).to_have_attribute(
        "href", f"/settings/mail-quarantine/{raw.pk}/raw/"
    )
    page.evaluate("window.nordeskSamePage = true")

    # when she discards it with only spaces for a reason, the service's reason shows by the form
    row.get_by_label("Reason for discarding").fill("   ")
    row.get_by_role("button", name="Discard").click()
    expect(row.locator(f"#discard-{raw.pk}")).to_contain_text("Say why the message is discarded.")
    assert RawEmail.objects.get(pk=raw.pk).status == RawStatus.QUARANTINED

    # when she gives a reason
    row.get_by_label("Reason for discarding").fill("Søppelpost")
    row.get_by_role("button", name="Discard").click()

    # then it leaves the list, without a reload, and the reason is kept with the raw mail
    expect(page.locator("#flash")).to_contain_text("The message was discarded.")
    expect(page.locator(f"#raw-{raw.pk}")).to_have_count(0)
    expect(page.get_by_text("The quarantine is empty.")).to_be_visible()
    assert page.evaluate("window.nordeskSamePage") is True
    stored = RawEmail.objects.get(pk=raw.pk)
    assert (stored.status, stored.reason) == (RawStatus.DISCARDED, "Søppelpost")
    assert console_errors == []


def test_agent_who_is_not_an_admin_gets_404_on_settings(page, personas, console_errors):
    from playwright.sync_api import expect

    log_in(page, "kari@nordesk.test")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Inbox")).to_be_visible()
    expect(navigation.get_by_role("link", name="Mailboxes")).to_have_count(0)
    expect(navigation.get_by_role("link", name="Mail quarantine")).to_have_count(0)

    for path in ("/settings/mailboxes/", "/settings/mail-quarantine/"):
        response = page.goto(path)

        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    # the browser logs each 404 document load, and nothing else
    assert len(console_errors) == 2
    assert all("404" in error for error in console_errors)
