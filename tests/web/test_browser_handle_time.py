"""Handle time in a real browser: an agent works on a ticket, leaves it, and the time the page
measured is recorded as a tracked entry with its time_spent event; an idle page counts none."""

import time

from nordesk.tickets.models import EventKind, TicketEvent, TimeEntry
from tests.web.browser import BROWSER_MARKS, accessibility_problems, log_in

pytestmark = BROWSER_MARKS


def _entry_appears(timeout: float = 10.0) -> TimeEntry | None:
    """The beacon travels on its own after the page is gone: wait for what it writes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entry = TimeEntry.objects.first()
        if entry is not None:
            return entry
        time.sleep(0.1)
    return None


def test_active_time_on_a_ticket_is_tracked_when_the_agent_leaves(page, personas, console_errors):
    from playwright.sync_api import expect

    # given Kari opens Sofie's ticket; the page's clock is the test's to move
    page.clock.install()
    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{personas.ticket.number}/")
    expect(page.locator("#time-total")).to_have_text("0 s")

    # when she works on it for 40 seconds (moving the mouse now and then), then leaves
    for _ in range(4):
        page.mouse.move(200, 300)
        page.clock.run_for(10_000)
    page.goto("/")

    # then a tracked entry holds her active time, and the history says so
    entry = _entry_appears()
    assert entry is not None
    assert entry.agent_id == personas.kari.user_id
    assert entry.source == "tracked"
    assert 38 <= entry.seconds <= 42
    event = TicketEvent.objects.get(kind=EventKind.TIME_SPENT)
    assert event.data == {
        "seconds": entry.seconds,
        "agent": personas.kari.user_id,
        "source": "tracked",
        "entry": entry.pk,
    }

    # and the ticket page shows it
    page.goto(f"/tickets/{personas.ticket.number}/")
    expect(page.locator("#time-total")).to_have_text(f"{entry.seconds} s")

    # when she logs a phone call by hand as well
    page.get_by_label("Minutes").fill("15")
    page.get_by_label("What you did").fill("Ringte Sofie om fakturaen")
    page.get_by_role("button", name="Log time").click()

    # then the panel counts both, her share too, and the page passes the accessibility check
    expect(page.locator("#flash")).to_contain_text("Time logged.")
    expect(page.locator("#time-total")).to_have_text("15 min")
    expect(page.locator("#time-per-agent")).to_contain_text("Kari Nordmann")
    page.locator("#time-entries summary").first.click()
    expect(page.locator("#time-entries")).to_contain_text("Ringte Sofie om fakturaen")
    assert TimeEntry.objects.filter(source="manual", seconds=900).exists()
    assert accessibility_problems(page) == []
    assert console_errors == []


def test_idle_time_is_not_counted(page, personas, console_errors):
    # given Kari opens the ticket, works ten seconds, then walks away for five minutes
    page.clock.install()
    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{personas.ticket.number}/")
    page.mouse.move(200, 300)
    page.clock.run_for(10_000)
    page.clock.run_for(5 * 60_000)  # the five-minute report goes out on the way
    page.goto("/")

    entry = _entry_appears()
    assert entry is not None
    # ten seconds of work and the minute before the page counts her idle
    assert 60 <= entry.seconds <= 72
    assert console_errors == []
