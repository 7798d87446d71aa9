"""The report filter bar in a real browser: with more organisations than its list holds, a
supervisor finds one past the list's end by name and gets the report for it."""

from tests.web.browser import BROWSER_MARKS, accessibility_problems, log_in, off_the_loop

pytestmark = BROWSER_MARKS


def test_an_organisation_past_the_lists_end_is_found_by_name(
    page, personas, console_errors, monkeypatch
):
    from playwright.sync_api import expect

    from nordesk.customers import services as customer_services
    from nordesk.web import report_forms

    # given more organisations than the filter's list holds
    monkeypatch.setattr(report_forms, "ORGANISATION_CHOICES", 1)
    off_the_loop(lambda: customer_services.organisation_create(name="Aker AS"))
    zeta = off_the_loop(lambda: customer_services.organisation_create(name="Zeta Fisk AS"))
    log_in(page, "siri@nordesk.test")
    page.goto("/reports/overview/")
    page.get_by_text("More filters").click()
    organisation = page.get_by_label("Organisation", exact=True)
    expect(organisation.locator("option")).to_have_count(2)  # any, and Aker AS

    # when Siri searches for Zeta, chooses it and shows the report
    page.get_by_label("Find an organisation").fill("zeta")
    expect(organisation.locator("option", has_text="Zeta Fisk AS")).to_have_count(1)
    organisation.select_option(label="Zeta Fisk AS")
    page.get_by_role("button", name="Show").click()

    # then the report is Zeta's, the search text did not go with it, and the list keeps Zeta
    page.wait_for_url(f"**organisation_id={zeta.pk}**")
    assert "q=" not in page.url
    expect(page.get_by_label("Organisation", exact=True)).to_have_value(str(zeta.pk))
    assert accessibility_problems(page) == []
    assert console_errors == []
