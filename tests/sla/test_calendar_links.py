"""Which calendar a clock counts in (policy, organisation, team, default) and tag conditions."""

from dataclasses import replace
from datetime import time, timedelta

import pytest

from nordesk.core.errors import Invalid
from nordesk.customers import services as customer_services
from nordesk.sla import services
from nordesk.sla.calendar_links import calendar_for
from nordesk.sla.errors import CalendarNotFound
from nordesk.sla.models import SlaClock
from nordesk.tickets import services as ticket_services
from tests.factories import inbound
from tests.sla.schedules import OSLO, local

pytestmark = pytest.mark.django_db

WORKING_WEEK = [(day, time(8), time(16)) for day in range(5)]
FRIDAY_15 = local(OSLO, 2025, 11, 14, 15, 0)


def calendar(name, **fields):
    return services.calendar_create(name=name, time_zone=OSLO, hours=WORKING_WEEK, **fields)


def test_calendar_for_prefers_policy_then_organisation_then_team_then_default(people):
    default = calendar("Default", is_default=True)
    team_hours = calendar("Billing hours")
    org_hours = calendar("Acme contract")
    named = calendar("Named")
    acme = customer_services.organisation_create(name="Acme", domain="acme.no")
    services.team_calendar_set(team_id=people.billing.pk, calendar_id=team_hours.pk)
    services.organisation_calendar_set(organisation_id=acme.pk, calendar_id=org_hours.pk)
    plain = services.policy_create(name="Plain", first_response_minutes=60)
    around_the_clock = services.policy_create(
        name="24/7", first_response_minutes=60, business_hours=False
    )
    explicit = services.policy_create(name="Named", calendar_id=named.pk, first_response_minutes=1)

    def chosen(policy, team=None, organisation=None):
        return calendar_for(policy, team_id=team, organisation_id=organisation)

    billing = people.billing.pk
    assert chosen(plain, billing, acme.pk) == org_hours.pk
    assert chosen(plain, billing) == team_hours.pk
    assert chosen(plain, people.technical.pk) == default.pk
    assert chosen(explicit, billing, acme.pk) == named.pk
    assert chosen(around_the_clock, billing, acme.pk) is None

    services.team_calendar_set(team_id=billing, calendar_id=None)
    assert chosen(plain, billing) == default.pk


def test_ticket_of_an_organisation_counts_in_its_calendar():
    # given: Acme is served 08-16; the policy names no calendar and there is no default
    acme = customer_services.organisation_create(name="Acme", domain="acme.no")
    services.organisation_calendar_set(
        organisation_id=acme.pk, calendar_id=calendar("Acme contract").pk
    )
    services.policy_create(name="Standard", first_response_minutes=120)

    # when: an Acme customer writes on Friday at 15:00
    message = ticket_services.receive(inbound(address="per@acme.no", received_at=FRIDAY_15))
    other = ticket_services.receive(inbound(address="eva@example.no", received_at=FRIDAY_15))

    # then: one hour on Friday, one on Monday; the other customer's clock counts every hour
    acme_clock = SlaClock.objects.get(ticket=message.ticket)
    assert acme_clock.due_at == local(OSLO, 2025, 11, 17, 9, 0)
    other_clock = SlaClock.objects.get(ticket=other.ticket)
    assert other_clock.due_at == FRIDAY_15 + timedelta(hours=2)
    assert other_clock.calendar_id is None


def test_team_calendar_set_refuses_an_unknown_calendar(people):
    with pytest.raises(CalendarNotFound):
        services.team_calendar_set(team_id=people.billing.pk, calendar_id=999_999)


def test_tag_condition_matches_a_ticket_with_the_tag():
    services.policy_create(
        name="VIP",
        conditions=[{"field": "tags", "operator": "in", "value": ["VIP", "gold"]}],
        first_response_minutes=15,
    )
    services.policy_create(name="Everyone", first_response_minutes=240)

    vip = ticket_services.receive(replace(inbound(), tags=("vip",))).ticket
    plain = ticket_services.receive(inbound(address="eva@example.no")).ticket

    assert SlaClock.objects.get(ticket=vip).policy.name == "VIP"
    assert SlaClock.objects.get(ticket=plain).policy.name == "Everyone"


def test_tag_condition_is_stored_normalised_and_checked():
    policy = services.policy_create(
        name="VIP",
        conditions=[{"field": "tags", "operator": "is", "value": " Key Account "}],
        first_response_minutes=15,
    )
    assert policy.conditions == [{"field": "tags", "operator": "is", "value": "key-account"}]

    with pytest.raises(Invalid, match="tags takes tag names"):
        services.policy_create(
            name="Bad",
            conditions=[{"field": "tags", "operator": "in", "value": [7]}],
            first_response_minutes=15,
        )


@pytest.mark.parametrize("percent", [0, 101, True])
def test_policy_refuses_a_warning_share_outside_1_to_100(percent):
    with pytest.raises(Invalid, match="Warn at a whole percentage") as refused:
        services.policy_create(name="Standard", first_response_minutes=60, warning_percent=percent)

    assert refused.value.field == "warning_percent"
