"""The staffing page in a browser: the chart and table render, and axe finds no serious
accessibility problem."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nordesk.analytics.models import ArrivalHour
from tests.analytics.seasonal import generate

from .browser import BROWSER_MARKS, accessibility_problems, log_in

pytestmark = BROWSER_MARKS


@pytest.fixture
def history():
    now = timezone.now()
    today = now.date()
    ArrivalHour.objects.bulk_create(
        ArrivalHour(hour=hour, channel="chat", category="", tickets=n)
        for hour, n in generate(today - timedelta(weeks=6), today).items()
        if hour < now
    )


def test_supervisor_reads_the_staffing_page(page, personas, history, console_errors):
    log_in(page, personas.siri.user.email)
    page.get_by_role("link", name="Staffing").click()
    page.get_by_label("Channel").select_option("chat")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"channel=chat"))
    expect(page.get_by_role("img", name="Forecast and actual arrivals per hour")).to_be_visible()
    assert page.locator("#staffing-hours tbody tr").count() >= 23
    assert accessibility_problems(page) == []
    assert console_errors == []
