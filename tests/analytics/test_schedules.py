"""Scheduled reports: who may schedule what, which period a mail covers, one mail per period
however often the job runs, the XLSX attached, the schedule's language, and failures retried."""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import translation

from nordesk.analytics import schedules
from nordesk.analytics.errors import InvalidSchedule, SchedulesForbidden
from nordesk.analytics.schedules import ScheduleValues, period_covered
from tests.analytics.fakes import FakeKpis

pytestmark = pytest.mark.django_db

# Wednesday 4 November 2026, 10:00 in Oslo; the job's runs below are in the next week/month.
CREATED = datetime(2026, 11, 4, 9, 0, tzinfo=UTC)
NEXT_MONDAY = datetime(2026, 11, 9, 6, 7, tzinfo=UTC)  # 07:07 in Oslo
DECEMBER_FIRST = datetime(2026, 12, 1, 6, 7, tzinfo=UTC)


@pytest.fixture
def fake(monkeypatch):
    return FakeKpis(monkeypatch)


def _values(people, **overrides):
    values = {
        "name": "Billing weekly",
        "report": "dimension",
        "by": "agent",
        "frequency": "weekly",
        "filters": {"team_id": people.billing.pk, "channel": "email"},
        "recipient_ids": (people.kari.user_id,),
        "extra_addresses": ("boss@example.no",),
    }
    values.update(overrides)
    return ScheduleValues(**values)


@pytest.mark.parametrize(
    ("frequency", "today", "expected"),
    [
        ("weekly", date(2026, 11, 9), (date(2026, 11, 2), date(2026, 11, 8))),  # a Monday
        ("weekly", date(2026, 11, 15), (date(2026, 11, 2), date(2026, 11, 8))),  # a Sunday
        ("monthly", date(2026, 12, 1), (date(2026, 11, 1), date(2026, 11, 30))),
        ("monthly", date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),
        ("monthly", date(2027, 1, 1), (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_period_covered_is_the_last_full_week_or_month(frequency, today, expected):
    assert period_covered(frequency, today) == expected


def test_supervisor_creates_a_schedule_that_waits_for_the_next_period(people, fake):
    schedule = schedules.schedule_create(
        values=_values(people), actor=people.siri.user, now=CREATED
    )

    assert schedule.filters == {"team_id": people.billing.pk, "channel": "email"}
    assert list(schedule.recipients.all()) == [people.kari.user]
    # Nothing goes out for the week it was created in the middle of …
    assert schedules.schedules_send_due(now=CREATED) == 0
    assert mail.outbox == []
    # … the first mail is the next Monday's, for the week before.
    assert schedules.schedules_send_due(now=NEXT_MONDAY) == 1
    assert len(mail.outbox) == 2


def test_agents_cannot_schedule_reports(people):
    with pytest.raises(SchedulesForbidden):
        schedules.schedule_create(values=_values(people), actor=people.kari.user)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"report": "gossip"}, "report"),
        ({"by": "colour"}, "by"),
        ({"frequency": "daily"}, "frequency"),
        ({"extra_addresses": ("not an address",)}, "extra_addresses"),
        ({"recipient_ids": (), "extra_addresses": ()}, "recipients"),
        ({"recipient_ids": (999999,)}, "recipients"),
    ],
)
def test_schedule_refuses_what_it_cannot_send(people, overrides, field):
    with pytest.raises(InvalidSchedule) as refused:
        schedules.schedule_create(values=_values(people, **overrides), actor=people.siri.user)

    assert refused.value.field == field


def test_a_grouping_is_ignored_for_reports_without_one(people):
    schedule = schedules.schedule_create(
        values=_values(people, report="agents", by="team"), actor=people.siri.user
    )

    assert (schedule.report, schedule.by) == ("agents", "")


def test_schedule_refuses_unknown_filters(people):
    with pytest.raises(InvalidSchedule, match="Unknown filters"):
        schedules.schedule_create(
            values=_values(people, filters={"colour": "red"}), actor=people.siri.user
        )


def test_the_job_mails_each_period_once_however_often_it_runs(people, fake):
    schedule = schedules.schedule_create(
        values=_values(people), actor=people.siri.user, now=CREATED
    )

    # the job runs twice in the hour, and once more the day after
    first = schedules.schedules_send_due(now=NEXT_MONDAY)
    second = schedules.schedules_send_due(now=NEXT_MONDAY)
    third = schedules.schedule_send(schedule_id=schedule.pk, now=NEXT_MONDAY)

    assert (first, second, third) == (1, 0, False)
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.no", "kari@nordesk.test"]
    schedule.refresh_from_db()
    assert schedule.sent_period == date(2026, 11, 2)
    assert schedule.sent_at == NEXT_MONDAY


def test_the_mail_carries_the_report_for_the_period_and_filters(people, fake):
    schedules.schedule_create(values=_values(people), actor=people.siri.user, now=CREATED)

    schedules.schedules_send_due(now=NEXT_MONDAY)

    message = mail.outbox[0]
    assert message.subject == "Report: Billing weekly, 2 Nov 2026 to 8 Nov 2026"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "/reports/dimension/?start=2026-11-02&end=2026-11-08" in message.body
    assert f"team_id={people.billing.pk}" in message.body
    (name, data, mimetype) = message.attachments[0]
    assert name == "Billing-weekly-2026-11-02-2026-11-08.xlsx"
    assert mimetype == schedules.XLSX_TYPE
    assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    # the report was asked for the period, the filters and the grouping of the schedule
    (call,) = [c for c in fake.calls if c[0] == "kpis_by"]
    _name, cut, by = call
    assert (cut.start, cut.end, cut.team_id, cut.channel, by) == (
        date(2026, 11, 2),
        date(2026, 11, 8),
        people.billing.pk,
        "email",
        "agent",
    )


def test_the_mail_is_in_the_language_of_whoever_scheduled_it(people, fake):
    with translation.override("nb"):
        schedules.schedule_create(values=_values(people), actor=people.siri.user, now=CREATED)

    schedules.schedules_send_due(now=NEXT_MONDAY)

    schedule = schedules.schedule_list().get()
    assert schedule.language == "nb"
    assert "02.11.2026" in mail.outbox[0].subject


def test_monthly_schedule_goes_out_on_the_first(people, fake):
    schedules.schedule_create(
        values=_values(people, frequency="monthly"), actor=people.siri.user, now=CREATED
    )

    assert schedules.schedules_send_due(now=NEXT_MONDAY) == 0
    assert schedules.schedules_send_due(now=DECEMBER_FIRST) == 1
    assert "1 Nov 2026 to 30 Nov 2026" in mail.outbox[0].subject


def test_a_failed_send_is_tried_again_on_the_next_run(people, fake, monkeypatch):
    schedule = schedules.schedule_create(
        values=_values(people), actor=people.siri.user, now=CREATED
    )

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    with monkeypatch.context() as patch:
        patch.setattr(
            schedules, "get_connection", lambda: type("C", (), {"send_messages": broken})()
        )
        assert schedules.schedules_send_due(now=NEXT_MONDAY) == 0
    schedule.refresh_from_db()
    assert schedule.last_error == "SMTP server down"
    assert schedule.sent_period == date(2026, 10, 26)

    assert schedules.schedules_send_due(now=NEXT_MONDAY) == 1
    schedule.refresh_from_db()
    assert schedule.last_error == ""
    assert len(mail.outbox) == 2


def test_recipients_who_stopped_being_agents_get_nothing(people, fake):
    schedules.schedule_create(
        values=_values(people, extra_addresses=()), actor=people.siri.user, now=CREATED
    )
    people.kari.user.is_active = False
    people.kari.user.save()

    assert schedules.schedules_send_due(now=NEXT_MONDAY) == 1
    assert mail.outbox == []


def test_changing_the_frequency_waits_for_the_new_period(people, fake):
    schedule = schedules.schedule_create(
        values=_values(people), actor=people.siri.user, now=CREATED
    )

    schedules.schedule_update(
        schedule=schedule,
        values=_values(people, frequency="monthly"),
        actor=people.siri.user,
        now=CREATED,
    )

    schedule.refresh_from_db()
    assert schedule.frequency == "monthly"
    assert schedules.schedules_send_due(now=DECEMBER_FIRST) == 1


def test_delete(people):
    schedule = schedules.schedule_create(values=_values(people), actor=people.siri.user)

    schedules.schedule_delete(schedule=schedule, actor=people.astrid.user)

    assert not schedules.schedule_list().exists()


def test_the_hourly_job_sends_what_is_due(people, fake):
    from django.utils import timezone

    from nordesk.analytics import tasks

    # a schedule made a week ago: last week's report is due now
    schedules.schedule_create(
        values=_values(people), actor=people.siri.user, now=timezone.now() - timedelta(days=7)
    )

    tasks.analytics_report_schedules_send()
    tasks.analytics_report_schedules_send()

    assert len(mail.outbox) == 2  # Kari and the other address, once
