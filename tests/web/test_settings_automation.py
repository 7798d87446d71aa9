"""Triggers, time rules, macros and canned replies on the settings pages, through Django's test
client: admins only, every write through the automation services, whose refusals name the
condition or action that is wrong and store nothing."""

import pytest
from django.urls import reverse

from nordesk.automation import services as automation_services
from nordesk.automation.models import CannedReply, Macro, TimeRule, Trigger
from tests.web.settings_helpers import page_text, row_cells, warm

pytestmark = pytest.mark.django_db

HIGH = '[{"type": "set_priority", "value": "high"}]'
VIP = '{"all": [{"field": "tags", "operator": "contains", "value": "vip"}]}'


@pytest.fixture
def astrid_client(client, people):
    client.force_login(people.astrid.user)
    return client


@pytest.fixture
def trigger() -> Trigger:
    return automation_services.trigger_create(
        name="VIP først",
        events=["ticket_created"],
        conditions={"all": [{"field": "tags", "operator": "contains", "value": "vip"}]},
        actions=[{"type": "set_priority", "value": "urgent"}],
    )


@pytest.fixture
def time_rule() -> TimeRule:
    return automation_services.time_rule_create(
        name="Purring",
        since="status_changed",
        after_minutes=2880,
        conditions={"all": [{"field": "status", "operator": "is", "value": "pending"}]},
        actions=[{"type": "set_status", "value": "solved"}],
    )


@pytest.fixture
def macro() -> Macro:
    return automation_services.macro_create(
        name="Refusjon",
        actions=[{"type": "add_tags", "value": ["refusjon"]}],
        texts={"nb": "Hei {{ customer.first_name }}, vi refunderer."},
    )


@pytest.fixture
def canned() -> CannedReply:
    return automation_services.canned_reply_create(
        name="Takk", texts={"nb": "Takk for meldingen!", "en": "Thank you for your message!"}
    )


# --- access ---------------------------------------------------------------------------------

PAGES = [
    (method, f"web:settings_{section}{suffix}", arg)
    for section, arg in (
        ("triggers", "trigger"),
        ("time_rules", "time_rule"),
        ("macros", "macro"),
        ("canned_replies", "canned"),
    )
    for method, suffix, arg in (
        ("get", "", None),
        ("get", "_create", None),
        ("post", "_create", None),
        ("get", "_edit", arg),
        ("post", "_edit", arg),
        ("post", "_delete", arg),
    )
] + [("post", "web:settings_triggers_move", "trigger")]


@pytest.mark.parametrize("persona", ["siri", "kari", "lars"])
@pytest.mark.parametrize(("method", "name", "arg"), PAGES)
def test_automation_settings_are_404_for_everyone_but_admins(
    request, client, people, trigger, time_rule, macro, canned, persona, method, name, arg
):
    client.force_login(getattr(people, persona).user)
    url = reverse(name, args=[request.getfixturevalue(arg).pk] if arg else [])

    response = getattr(client, method)(
        url,
        {"name": "Kapret", "events": "ticket_created", "conditions": VIP, "actions": HIGH}
        if method == "post"
        else {},
    )

    assert response.status_code == 404
    assert sorted(Trigger.objects.values_list("name", flat=True)) == ["VIP først"]
    assert sorted(TimeRule.objects.values_list("name", flat=True)) == ["Purring"]
    assert sorted(Macro.objects.values_list("name", flat=True)) == ["Refusjon"]
    assert sorted(CannedReply.objects.values_list("name", flat=True)) == ["Takk"]


# --- triggers -------------------------------------------------------------------------------


def test_admin_creates_a_trigger(astrid_client, trigger):
    response = astrid_client.post(
        reverse("web:settings_triggers_create"),
        {
            "name": "Sint kunde",
            "events": ["ticket_created", "message_received"],
            "conditions": '{"any": [{"field": "message.text", "operator": "contains",'
            ' "value": "klage"}]}',
            "actions": HIGH,
            "is_active": "on",
        },
        follow=True,
    )

    page = page_text(response)
    assert "Trigger Sint kunde created." in page
    created = Trigger.objects.get(name="Sint kunde")
    assert created.events == ["ticket_created", "message_received"]
    assert created.actions == [{"type": "set_priority", "value": "high"}]
    assert row_cells(page, created.pk)[:4] == [
        "2",
        "Sint kunde",
        "Ticket created, Message received",
        "Yes",
    ]


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        (
            {"actions": '[{"type": "set_priority", "value": "high"}, {"type": "explode"}]'},
            "actions",
            "Action 2: an action is an object whose “type” is one of",
        ),
        (
            {"actions": '[{"type": "set_status", "value": "lost"}]'},
            "actions",
            "Action 1: “lost” is not one of new, open, pending, on_hold, solved, closed.",
        ),
        (
            {
                "conditions": '{"all": [{"field": "tags", "operator": "contains", "value": "a"},'
                ' {"field": "colour", "operator": "is", "value": "red"}]}'
            },
            "conditions",
            "Condition 2:",
        ),
        ({"actions": "[{type: 1}]"}, "actions", "This is not valid JSON:"),
        ({"events": []}, "events", "Events are a list of one or more of"),
        ({"name": "  "}, "name", "This field is required."),
    ],
)
def test_invalid_trigger_shows_the_reason_by_its_field_and_stores_nothing(
    astrid_client, changes, field, error
):
    data = {"name": "Ny", "events": ["ticket_created"], "conditions": VIP, "actions": HIGH}
    data.update(changes)

    response = astrid_client.post(reverse("web:settings_triggers_create"), data)

    page = page_text(response)
    assert response.status_code == 200
    assert error in page
    assert f'id="trigger-{field}_error"' in page
    assert not Trigger.objects.exists()


def test_admin_edits_moves_and_deletes_triggers(astrid_client, trigger):
    second = automation_services.trigger_create(
        name="Andre", events=["sla_breached"], conditions={"all": []}, actions=[]
    )
    url = reverse("web:settings_triggers_edit", args=[trigger.pk])
    form = page_text(astrid_client.get(url))
    assert 'value="ticket_created" id="trigger-events_0" checked' in form
    assert "&quot;value&quot;: &quot;urgent&quot;" in form

    astrid_client.post(
        url,
        {"name": "VIP", "events": ["ticket_updated"], "conditions": VIP, "actions": HIGH},
    )
    trigger.refresh_from_db()
    assert (trigger.name, trigger.events, trigger.is_active) == ("VIP", ["ticket_updated"], False)

    astrid_client.post(reverse("web:settings_triggers_move", args=[second.pk]), {"direction": "up"})
    assert list(Trigger.objects.order_by("position").values_list("name", flat=True)) == [
        "Andre",
        "VIP",
    ]

    response = astrid_client.post(
        reverse("web:settings_triggers_delete", args=[second.pk]), follow=True
    )
    assert "Trigger Andre deleted." in page_text(response)
    assert list(Trigger.objects.values_list("name", flat=True)) == ["VIP"]


def test_trigger_list_escapes_names_and_keeps_its_query_count(
    astrid_client, trigger, django_assert_num_queries
):
    warm(astrid_client)
    for n in range(5):
        automation_services.trigger_create(
            name=f"<img src=x onerror=alert({n})>",
            events=["ticket_created"],
            conditions={"all": []},
            actions=[],
        )

    # session, user, agent, unread notifications, triggers
    with django_assert_num_queries(5):
        page = page_text(astrid_client.get(reverse("web:settings_triggers")))

    assert page.count('<tr id="row-') == 6
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(4)&gt;" in page


# --- time rules -----------------------------------------------------------------------------


def test_admin_creates_and_edits_a_time_rule(astrid_client, time_rule):
    response = astrid_client.post(
        reverse("web:settings_time_rules_create"),
        {
            "name": "Lukk løste",
            "since": "status_changed",
            "after_minutes": "5760",
            "business_hours": "on",
            "calendar": "",
            "conditions": '{"all": [{"field": "status", "operator": "is", "value": "solved"}]}',
            "actions": '[{"type": "set_status", "value": "closed"}]',
            "is_active": "on",
        },
        follow=True,
    )

    page = page_text(response)
    assert "Time rule Lukk løste created." in page
    rule = TimeRule.objects.get(name="Lukk løste")
    assert (rule.after_minutes, rule.business_hours, rule.calendar_id) == (5760, True, None)
    assert row_cells(page, rule.pk)[:3] == [
        "Lukk løste",
        "5760 minutes (business hours)",
        "the status last changed",
    ]

    form = page_text(astrid_client.get(reverse("web:settings_time_rules_edit", args=[rule.pk])))
    assert 'name="after_minutes" value="5760"' in form


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"after_minutes": "0"}, "after_minutes", "Give the time in whole minutes, 1 to"),
        (
            {
                "conditions": '{"all": [{"field": "message.text", "operator": "contains",'
                ' "value": "x"}]}'
            },
            "conditions",
            "Condition 1:",
        ),
        ({"actions": '[{"type": "notify", "to": [], "text": "x"}]'}, "actions", "Action 1:"),
    ],
)
def test_invalid_time_rule_shows_the_services_reason(astrid_client, changes, field, error):
    data = {
        "name": "Ny regel",
        "since": "created",
        "after_minutes": "60",
        "conditions": '{"all": []}',
        "actions": HIGH,
    }
    data.update(changes)

    response = astrid_client.post(reverse("web:settings_time_rules_create"), data)

    page = page_text(response)
    assert error in page
    assert f'id="time-rule-{field}_error"' in page
    assert not TimeRule.objects.exists()


def test_time_rule_list_query_count(astrid_client, time_rule, django_assert_num_queries):
    warm(astrid_client)
    for n in range(4):
        automation_services.time_rule_create(
            name=f"Regel {n}", since="created", after_minutes=60 + n, conditions={"all": []},
            actions=[],
        )  # fmt: skip

    # session, user, agent, unread notifications, calendars, rules
    with django_assert_num_queries(6):
        page = page_text(astrid_client.get(reverse("web:settings_time_rules")))
    assert page.count('<tr id="row-') == 5


# --- macros and canned replies --------------------------------------------------------------


def test_admin_creates_a_macro_with_texts_per_language(astrid_client):
    response = astrid_client.post(
        reverse("web:settings_macros_create"),
        {
            "name": "Venter på svar",
            "text_nb": "Hei {{ customer.first_name }}! Vi venter på svar fra deg.",
            "text_nn": "",
            "text_da": "",
            "text_sv": "Hej! Vi väntar på ditt svar.",
            "text_en": "  ",
            "actions": '[{"type": "set_status", "value": "pending"}]',
            "is_active": "on",
        },
        follow=True,
    )

    page = page_text(response)
    assert "Macro Venter på svar created." in page
    macro = Macro.objects.get()
    assert macro.texts == {
        "nb": "Hei {{ customer.first_name }}! Vi venter på svar fra deg.",
        "sv": "Hej! Vi väntar på ditt svar.",
    }
    assert macro.actions == [{"type": "set_status", "value": "pending"}]
    assert row_cells(page, macro.pk) == ["Venter på svar", "nb, sv", "1", "Yes"]


def test_macro_actions_for_triggers_only_are_refused(astrid_client):
    response = astrid_client.post(
        reverse("web:settings_macros_create"),
        {
            "name": "Send selv",
            "text_en": "Hello",
            "actions": '[{"type": "send_reply", "text": "Hei"}]',
        },
    )

    page = page_text(response)
    assert "Action 1: an action is an object whose “type” is one of" in page
    assert 'id="macro-actions_error"' in page
    assert not Macro.objects.exists()


def test_admin_edits_and_deletes_a_macro(astrid_client, macro):
    url = reverse("web:settings_macros_edit", args=[macro.pk])
    form = page_text(astrid_client.get(url))
    assert "Hei {{ customer.first_name }}, vi refunderer.</textarea>" in form

    astrid_client.post(
        url, {"name": "Refusjon", "text_en": "We refund you.", "actions": "[]", "is_active": ""}
    )
    macro.refresh_from_db()
    assert (macro.texts, macro.actions, macro.is_active) == ({"en": "We refund you."}, [], False)

    astrid_client.post(reverse("web:settings_macros_delete", args=[macro.pk]))
    assert not Macro.objects.exists()


def test_admin_creates_edits_and_deletes_a_canned_reply(astrid_client, canned):
    response = astrid_client.post(
        reverse("web:settings_canned_replies_create"),
        {"name": "Hilsen", "text_da": "Venlig hilsen {{ agent.name }}"},
        follow=True,
    )
    assert "Canned reply Hilsen created." in page_text(response)
    created = CannedReply.objects.get(name="Hilsen")
    assert created.texts == {"da": "Venlig hilsen {{ agent.name }}"}

    astrid_client.post(
        reverse("web:settings_canned_replies_edit", args=[canned.pk]),
        {"name": "Takk!", "text_nb": "Tusen takk!"},
    )
    canned.refresh_from_db()
    assert (canned.name, canned.texts) == ("Takk!", {"nb": "Tusen takk!"})

    astrid_client.post(reverse("web:settings_canned_replies_delete", args=[created.pk]))
    assert list(CannedReply.objects.values_list("name", flat=True)) == ["Takk!"]


def test_canned_reply_without_any_text_is_refused(astrid_client):
    response = astrid_client.post(
        reverse("web:settings_canned_replies_create"), {"name": "Tom", "text_nb": " "}
    )

    page = page_text(response)
    assert "Give a text for at least one language" in page
    assert not CannedReply.objects.exists()


def test_macro_and_canned_lists_escape_and_keep_their_query_counts(
    astrid_client, macro, canned, django_assert_num_queries
):
    warm(astrid_client)
    for n in range(4):
        automation_services.macro_create(name=f"<b>M{n}</b>", actions=[], texts={"en": "x"})
        automation_services.canned_reply_create(name=f"<i>C{n}</i>", texts={"en": "x"})

    # session, user, agent, unread notifications, the definitions
    with django_assert_num_queries(5):
        macros = page_text(astrid_client.get(reverse("web:settings_macros")))
    with django_assert_num_queries(5):
        replies = page_text(astrid_client.get(reverse("web:settings_canned_replies")))

    assert macros.count('<tr id="row-') == 5
    assert replies.count('<tr id="row-') == 5
    assert "&lt;b&gt;M3&lt;/b&gt;" in macros
    assert "<b>M3" not in macros
    assert "&lt;i&gt;C3&lt;/i&gt;" in replies
