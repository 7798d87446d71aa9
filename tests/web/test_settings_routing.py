"""The settings pages in the agent workspace — the index, and routing rules, teams, skill
requirements and agent capacity — through Django's test client: admins only (everyone else
gets 404), every write through the routing and accounts services, whose refusals show by the
form and store nothing."""

import re

import pytest
from django.urls import reverse

from nordesk.accounts.models import Agent, Team
from nordesk.routing import services as routing_services
from nordesk.routing.models import RoutingRule, SkillRequirement
from tests.factories import make_agent, make_team
from tests.web.settings_helpers import page_text, row_cells, warm

pytestmark = pytest.mark.django_db


@pytest.fixture
def astrid_client(client, people):
    client.force_login(people.astrid.user)
    return client


@pytest.fixture
def rule(people) -> RoutingRule:
    return routing_services.rule_create(
        name="Danske kunder",
        conditions={"all": [{"field": "language", "operator": "is", "value": "da"}]},
        team_id=people.billing.pk,
    )


@pytest.fixture
def requirement() -> SkillRequirement:
    return routing_services.skill_requirement_create(
        attribute="language", value="da", skill="Danish", level=3
    )


def _rule_data(team: Team, **changes) -> dict:
    data = {
        "name": "Faktura",
        "team": str(team.pk),
        "conditions": '{"any": [{"field": "subject", "operator": "contains", "value": "faktura"}]}',
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- access ---------------------------------------------------------------------------------

PAGES = [
    ("get", "web:settings", None),
    ("get", "web:settings_routing_rules", None),
    ("get", "web:settings_routing_rules_create", None),
    ("post", "web:settings_routing_rules_create", None),
    ("get", "web:settings_routing_rules_edit", "rule"),
    ("post", "web:settings_routing_rules_edit", "rule"),
    ("post", "web:settings_routing_rules_delete", "rule"),
    ("post", "web:settings_routing_rules_move", "rule"),
    ("get", "web:settings_teams", None),
    ("get", "web:settings_teams_edit", "team"),
    ("post", "web:settings_teams_edit", "team"),
    ("get", "web:settings_skill_requirements", None),
    ("get", "web:settings_skill_requirements_create", None),
    ("post", "web:settings_skill_requirements_create", None),
    ("post", "web:settings_skill_requirements_delete", "requirement"),
    ("get", "web:settings_capacity", None),
    ("get", "web:settings_capacity_edit", "agent"),
    ("post", "web:settings_capacity_edit", "agent"),
]


def _url(name, arg, people, rule, requirement) -> str:
    args = {
        "rule": [rule.pk],
        "team": [people.billing.pk],
        "requirement": [requirement.pk],
        "agent": [people.kari.user_id],
        None: [],
    }[arg]
    return reverse(name, args=args)


@pytest.mark.parametrize("persona", ["siri", "kari", "lars"])
@pytest.mark.parametrize(("method", "name", "arg"), PAGES)
def test_routing_settings_are_404_for_everyone_but_admins(
    client, people, rule, requirement, persona, method, name, arg
):
    client.force_login(getattr(people, persona).user)

    response = getattr(client, method)(
        _url(name, arg, people, rule, requirement),
        _rule_data(people.technical, capacity="1", strategy="skills", direction="down")
        if method == "post"
        else {},
    )

    assert response.status_code == 404
    rule.refresh_from_db()
    assert (rule.name, rule.team_id) == ("Danske kunder", people.billing.pk)
    assert RoutingRule.objects.count() == 1
    assert SkillRequirement.objects.count() == 1
    assert Team.objects.get(pk=people.billing.pk).strategy == "manual"
    assert Agent.objects.get(pk=people.kari.pk).capacity == 20


@pytest.mark.parametrize(("method", "name", "arg"), PAGES)
def test_routing_settings_require_login(client, people, rule, requirement, method, name, arg):
    response = getattr(client, method)(_url(name, arg, people, rule, requirement))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_settings_nav_entry_and_index_for_admins_only(client, people):
    client.force_login(people.kari.user)
    assert reverse("web:settings") not in page_text(client.get("/"))

    client.force_login(people.astrid.user)
    index = page_text(client.get(reverse("web:settings")))

    assert f'href="{reverse("web:settings")}" aria-current="page">Settings</a>' in index
    for name in (
        "web:settings_routing_rules",
        "web:settings_teams",
        "web:settings_skill_requirements",
        "web:settings_capacity",
        "web:settings_triggers",
        "web:settings_time_rules",
        "web:settings_macros",
        "web:settings_canned_replies",
        "web:settings_sla_policies",
        "web:settings_calendars",
        "web:mailboxes",
    ):
        assert f'href="{reverse(name)}"' in index


# --- routing rules --------------------------------------------------------------------------


def test_admin_creates_a_routing_rule(astrid_client, people, rule):
    listed = page_text(astrid_client.get(reverse("web:settings_routing_rules")))
    assert f'href="{reverse("web:settings_routing_rules_create")}">New routing rule</a>' in listed

    # when
    response = astrid_client.post(
        reverse("web:settings_routing_rules_create"), _rule_data(people.technical), follow=True
    )

    # then: back on the list, which shows it after the first rule
    assert response.redirect_chain == [(reverse("web:settings_routing_rules"), 302)]
    page = page_text(response)
    assert "Routing rule Faktura created." in page
    created = RoutingRule.objects.get(name="Faktura")
    assert created.team_id == people.technical.pk
    assert created.is_active
    assert created.conditions == {
        "any": [{"field": "subject", "operator": "contains", "value": "faktura"}]
    }
    assert row_cells(page, created.pk)[:4] == ["2", "Faktura", "Technical support", "Yes"]


@pytest.mark.parametrize(
    ("conditions", "error"),
    [
        ('{"all": [', "This is not valid JSON: Expecting value (line 1, column 10)."),
        (
            '{"all": [{"field": "language", "operator": "is", "value": "da"},'
            ' {"field": "mood", "operator": "is", "value": "sint"}]}',
            "Condition 2: unknown field “mood”",
        ),
        (
            '{"any": [{"field": "channel", "operator": "contains", "value": "mail"}]}',
            "Condition 1: the field “channel” cannot be compared with “contains”",
        ),
        ('{"all": [], "any": []}', "Conditions are an object with one key"),
    ],
)
def test_invalid_conditions_show_the_reason_and_store_nothing(
    astrid_client, people, conditions, error
):
    response = astrid_client.post(
        reverse("web:settings_routing_rules_create"),
        _rule_data(people.billing, conditions=conditions),
    )

    page = page_text(response)
    assert response.status_code == 200
    assert error in page
    assert 'id="rule-conditions_error"' in page
    assert 'aria-invalid="true"' in page
    assert not RoutingRule.objects.exists()
    # what was typed comes back as typed, to be fixed
    assert "&quot;all&quot;" in page or "&quot;any&quot;" in page


def test_rule_name_taken_is_the_services_reason(astrid_client, people, rule):
    response = astrid_client.post(
        reverse("web:settings_routing_rules_create"), _rule_data(people.billing, name=rule.name)
    )

    page = page_text(response)
    assert "A routing rule with that name already exists." in page
    assert 'id="rule-name_error"' in page
    assert RoutingRule.objects.count() == 1


def test_admin_edits_a_rule_and_its_conditions_are_shown_as_json(astrid_client, people, rule):
    url = reverse("web:settings_routing_rules_edit", args=[rule.pk])
    page = page_text(astrid_client.get(url))
    assert "&quot;field&quot;: &quot;language&quot;" in page
    assert 'value="Danske kunder"' in page

    response = astrid_client.post(
        url, _rule_data(people.technical, name="Dansk", is_active=None), follow=True
    )

    assert "Routing rule Dansk saved." in page_text(response)
    rule.refresh_from_db()
    assert (rule.name, rule.team_id, rule.is_active) == ("Dansk", people.technical.pk, False)


def test_admin_deletes_a_rule(astrid_client, rule):
    response = astrid_client.post(
        reverse("web:settings_routing_rules_delete", args=[rule.pk]), follow=True
    )

    assert "Routing rule Danske kunder deleted." in page_text(response)
    assert not RoutingRule.objects.exists()


def test_admin_moves_rules_up_and_down(astrid_client, people, rule):
    second = routing_services.rule_create(
        name="Resten", conditions={"all": []}, team_id=people.technical.pk
    )

    astrid_client.post(
        reverse("web:settings_routing_rules_move", args=[second.pk]), {"direction": "up"}
    )
    assert list(RoutingRule.objects.order_by("position").values_list("name", flat=True)) == [
        "Resten",
        "Danske kunder",
    ]

    # down from the last place: nothing to do
    astrid_client.post(
        reverse("web:settings_routing_rules_move", args=[rule.pk]), {"direction": "down"}
    )
    page = page_text(
        astrid_client.post(
            reverse("web:settings_routing_rules_move", args=[rule.pk]),
            {"direction": "up"},
            follow=True,
        )
    )
    assert list(RoutingRule.objects.order_by("position").values_list("name", flat=True)) == [
        "Danske kunder",
        "Resten",
    ]
    assert "Order saved." in page
    assert page.index("Danske kunder") < page.index("Resten")


def test_script_in_a_rule_name_is_escaped(astrid_client, people):
    routing_services.rule_create(
        name="<script>alert(1)</script>", conditions={"all": []}, team_id=people.billing.pk
    )

    page = page_text(astrid_client.get(reverse("web:settings_routing_rules")))

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_rule_list_query_count_does_not_grow(astrid_client, people, django_assert_num_queries):
    warm(astrid_client)
    for n in range(6):
        routing_services.rule_create(
            name=f"Regel {n}", conditions={"all": []}, team_id=people.billing.pk
        )

    # session, user, agent, unread notifications, teams, rules
    with django_assert_num_queries(6):
        page = page_text(astrid_client.get(reverse("web:settings_routing_rules")))
    assert page.count('<tr id="row-') == 6


def test_unknown_rule_is_404(astrid_client):
    assert (
        astrid_client.get(reverse("web:settings_routing_rules_edit", args=[999])).status_code == 404
    )


# --- teams ----------------------------------------------------------------------------------


def test_admin_sets_a_teams_routing(astrid_client, people):
    url = reverse("web:settings_teams_edit", args=[people.billing.pk])
    page = page_text(astrid_client.get(url))
    # a team is not its own backup
    assert f'<option value="{people.billing.pk}"' not in page

    response = astrid_client.post(
        url,
        {
            "strategy": "skills",
            "relax_after_minutes": "10",
            "overflow_after_minutes": "30",
            "backup_team": str(people.technical.pk),
        },
        follow=True,
    )

    page = page_text(response)
    assert "Team Billing saved." in page
    team = Team.objects.get(pk=people.billing.pk)
    assert (team.strategy, team.relax_after_minutes, team.overflow_after_minutes) == (
        "skills",
        10,
        30,
    )
    assert team.backup_team_id == people.technical.pk
    assert row_cells(page, team.pk)[1:] == [
        "Skills-based",
        "10 minutes",
        "30 minutes",
        "Technical support",
    ]


def test_team_wait_out_of_range_is_the_services_reason(astrid_client, people):
    response = astrid_client.post(
        reverse("web:settings_teams_edit", args=[people.billing.pk]),
        {"strategy": "round_robin", "relax_after_minutes": "0", "overflow_after_minutes": ""},
    )

    page = page_text(response)
    assert "Give a wait between 1 and 10080 minutes, or none." in page
    assert 'id="team-relax_after_minutes_error"' in page
    assert Team.objects.get(pk=people.billing.pk).strategy == "manual"


def test_team_list_query_count(astrid_client, people, django_assert_num_queries):
    warm(astrid_client)
    for n in range(4):
        make_team(f"Lag {n}")

    # session, user, agent, unread notifications, teams
    with django_assert_num_queries(5):
        page = page_text(astrid_client.get(reverse("web:settings_teams")))
    assert page.count('<tr id="row-') == 6


# --- skill requirements ---------------------------------------------------------------------


def test_admin_adds_and_deletes_a_skill_requirement(astrid_client):
    response = astrid_client.post(
        reverse("web:settings_skill_requirements_create"),
        {"attribute": "language", "value": "sv", "skill": "Swedish", "level": "4"},
        follow=True,
    )

    page = page_text(response)
    requirement = SkillRequirement.objects.select_related("skill").get()
    assert (requirement.value, requirement.skill.name, requirement.level) == ("sv", "swedish", 4)
    assert row_cells(page, requirement.pk)[:4] == ["Language", "sv", "swedish", "4"]

    response = astrid_client.post(
        reverse("web:settings_skill_requirements_delete", args=[requirement.pk]), follow=True
    )
    assert "deleted." in page_text(response)
    assert not SkillRequirement.objects.exists()


def test_skill_level_out_of_range_is_the_services_reason(astrid_client):
    response = astrid_client.post(
        reverse("web:settings_skill_requirements_create"),
        {"attribute": "language", "value": "sv", "skill": "Swedish", "level": "9"},
    )

    assert "Skill levels go from 1 to 5." in page_text(response)
    assert not SkillRequirement.objects.exists()


def test_skill_requirement_list_query_count(astrid_client, requirement, django_assert_num_queries):
    warm(astrid_client)
    for code in ("sv", "nb", "nn"):
        routing_services.skill_requirement_create(
            attribute="language", value=code, skill=code, level=2
        )

    # session, user, agent, unread notifications, requirements with their skills
    with django_assert_num_queries(5):
        page = page_text(astrid_client.get(reverse("web:settings_skill_requirements")))
    assert page.count('<tr id="row-') == 4


# --- capacity -------------------------------------------------------------------------------


def test_admin_sets_an_agents_capacity(astrid_client, people):
    url = reverse("web:settings_capacity_edit", args=[people.kari.user_id])

    response = astrid_client.post(
        url, {"capacity": "12", "capacity_chat": "3", "capacity_phone": ""}, follow=True
    )

    page = page_text(response)
    assert "Capacity of Kari Nordmann saved." in page
    kari = Agent.objects.get(pk=people.kari.pk)
    assert (kari.capacity, kari.channel_capacity) == (12, {"chat": 3})
    assert "Chat: 3" in page
    # the form shows what is stored
    form = page_text(astrid_client.get(url))
    assert 'name="capacity_chat" value="3"' in form


def test_capacity_out_of_range_is_the_services_reason(astrid_client, people):
    response = astrid_client.post(
        reverse("web:settings_capacity_edit", args=[people.kari.user_id]),
        {"capacity": "900"},
    )

    assert "Capacity is a whole number from 0 to 500." in page_text(response)
    assert Agent.objects.get(pk=people.kari.pk).capacity == 20


def test_capacity_list_query_count(astrid_client, people, django_assert_max_num_queries):
    warm(astrid_client)
    page = page_text(astrid_client.get(reverse("web:settings_capacity")))
    assert page.count('<tr id="row-') == 5

    for n in range(4):
        make_agent(f"Agent {n}", teams=(people.billing,))

    # session, user, agent, unread notifications, agents with their teams and skills
    with django_assert_max_num_queries(8):
        page = page_text(astrid_client.get(reverse("web:settings_capacity")))
    assert page.count('<tr id="row-') == 9
    assert re.search(r"Agent 3", page)
