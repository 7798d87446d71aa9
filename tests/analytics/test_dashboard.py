"""The live dashboard's figures: queues per channel from the tickets table, today's volumes
in the reporting zone, presence and today's satisfaction, in a fixed number of queries."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from nordesk.accounts import services as account_services
from nordesk.analytics.dashboard import dashboard_figures, day_start
from nordesk.analytics.models import ArrivalHour
from nordesk.tickets import services as ticket_services
from tests.csat import helpers as csat_helpers
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _row(figures, channel):
    return next(row for row in figures.channels if row.channel == channel)


def test_dashboard_figures_queues_per_channel(people):
    # given: Sofie's email ticket (Billing, unassigned, new) and three chats
    now = timezone.now()
    chat_waiting = make_ticket(team=people.billing, channel="chat", kind="chat", address="a@x.no")
    chat_mine = make_ticket(team=people.billing, channel="chat", kind="chat", address="b@x.no")
    chat_pending = make_ticket(team=people.billing, channel="chat", kind="chat", address="c@x.no")
    ticket_services.ticket_assign(
        ticket=chat_mine, assignee_id=people.kari.user_id, actor=people.kari.user
    )
    ticket_services.ticket_change_status(
        ticket=chat_pending, status="pending", actor=people.kari.user
    )
    ticket_services.ticket_sla_due_set(ticket_id=chat_waiting.pk, due_at=now + timedelta(minutes=5))
    ticket_services.ticket_sla_due_set(ticket_id=chat_mine.pk, due_at=now + timedelta(hours=5))
    # when
    figures = dashboard_figures(now)
    # then
    chat = _row(figures, "chat")
    assert (chat.open, chat.unassigned, chat.waiting, chat.sla_at_risk) == (3, 2, 2, 1)
    assert chat.waiting_since is not None
    email = _row(figures, "email")
    assert (email.open, email.unassigned, email.waiting, email.sla_at_risk) == (1, 1, 1, 0)
    assert _row(figures, "phone").open == 0
    assert (figures.total.open, figures.total.unassigned, figures.total.waiting) == (4, 3, 3)
    # the longest wait is Sofie's, the first to write
    assert figures.longest_wait_since == people.ticket.last_message_at


def test_dashboard_figures_today_in_the_reporting_zone(people, settings):
    settings.TIME_ZONE = "Europe/Oslo"
    # 00:30 in Oslo (winter, UTC+1) is 23:30 UTC the day before
    now = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
    start = day_start(now, ZoneInfo("Europe/Oslo"))
    assert start == datetime(2026, 12, 3, 23, 0, tzinfo=UTC)
    ArrivalHour.objects.create(hour=start - timedelta(hours=1), channel="email", tickets=50)
    ArrivalHour.objects.create(hour=start, channel="email", category="billing", tickets=3)
    ArrivalHour.objects.create(hour=start + timedelta(hours=9), channel="email", tickets=4)
    ArrivalHour.objects.create(hour=start + timedelta(hours=9), channel="chat", tickets=2)
    figures = dashboard_figures(now)
    assert _row(figures, "email").created_today == 7
    assert _row(figures, "chat").created_today == 2
    assert figures.total.created_today == 9


def test_dashboard_figures_solved_today_still_solved(people):
    reopened = make_ticket(team=people.billing, address="r@x.no")
    for ticket in (people.ticket, reopened):
        ticket_services.ticket_change_status(ticket=ticket, status="solved", actor=people.kari.user)
    ticket_services.ticket_change_status(ticket=reopened, status="open", actor=people.kari.user)
    figures = dashboard_figures(timezone.now())
    assert _row(figures, "email").solved_today == 1
    assert figures.total.open == 1


def test_dashboard_figures_presence_and_csat(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    account_services.agent_set_presence(agent=people.kari, presence="online")
    account_services.agent_set_presence(agent=people.ole, presence="away")
    other = make_ticket(team=people.billing, address="ola@example.no")
    capture = django_capture_on_commit_callbacks
    csat_helpers.answered(people.ticket, people.kari, capture, score=5)
    csat_helpers.answered(other, people.kari, capture, score=1)
    figures = dashboard_figures(timezone.now())
    assert figures.agents_online == 1
    assert figures.presence["away"] == 1
    assert (figures.csat.answers, figures.csat.good, figures.csat.good_percent) == (2, 1, 50)


def test_dashboard_figures_query_count_is_fixed(people, django_assert_num_queries):
    for n in range(5):
        make_ticket(team=people.billing, channel="chat", kind="chat", address=f"k{n}@x.no")
    ArrivalHour.objects.create(
        hour=timezone.now().replace(minute=0, second=0, microsecond=0), channel="chat", tickets=5
    )
    # calendar, unsolved per channel, solved today, arrivals today, presence, csat today
    with django_assert_num_queries(6):
        dashboard_figures(timezone.now())


def test_handle_time_from_the_ticket_page_reaches_the_kpis(people):
    """Time entries, as the ticket page writes them, are the KPI core's handle time: the
    events' differences sum to what the entries say."""
    from nordesk.analytics import kpis
    from nordesk.analytics import services as analytics_services

    # given Kari's visit is tracked, she logs a call and corrects it, and Lars logs a minute
    opened = timezone.now() - timedelta(minutes=30)
    ticket_services.time_entry_track(
        ticket=people.ticket, actor=people.kari.user, session="v", seconds=300, opened_at=opened
    )
    call = ticket_services.time_entry_add(ticket=people.ticket, actor=people.kari.user, seconds=600)
    ticket_services.time_entry_update(entry=call, actor=people.kari.user, seconds=900, note="")
    extra = ticket_services.time_entry_add(ticket=people.ticket, actor=people.lars.user, seconds=60)
    ticket_services.time_entry_delete(entry=extra, actor=people.lars.user)
    ticket_services.ticket_change_status(
        ticket=people.ticket, status="solved", actor=people.kari.user
    )
    # when the analytics job runs
    analytics_services.analytics_refresh()
    # then
    today = timezone.localdate(timezone.now(), analytics_services.reporting_zone())
    figures = kpis.kpis_for(kpis.Slice(start=today, end=today))
    assert figures.solved == 1
    assert figures.handle_time_avg == 1200
