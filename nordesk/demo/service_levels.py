"""The demo's promises and helpers: business calendars for the three offices, SLA policies,
escalation triggers, time rules, macros and canned replies. Set up after the history is
played, like routing, so that only tickets from now on run clocks and timers."""

from __future__ import annotations

from datetime import time

from nordesk.automation import services as automation_services
from nordesk.sla import services as sla_services

WEEKDAYS = range(5)
OFFICES = (
    # name, time zone, country, opening hours on weekdays (with a lunch break in Oslo)
    ("Oslo", "Europe/Oslo", "NO", ((time(8), time(11, 30)), (time(12), time(16)))),
    ("København", "Europe/Copenhagen", "DK", ((time(9), time(17)),)),
    ("Stockholm", "Europe/Stockholm", "SE", ((time(8), time(17)),)),
)
HOUR = 60

CANNED_REPLIES = {
    "Takk for tålmodigheten": {
        "nb": "Hei {{ customer.first_name }}! Takk for tålmodigheten, vi ser på saken nå.",
        "nn": "Hei {{ customer.first_name }}! Takk for tolmodet, vi ser på saka no.",
        "da": "Hej {{ customer.first_name }}! Tak for tålmodigheden, vi kigger på sagen nu.",
        "sv": "Hej {{ customer.first_name }}! Tack för ditt tålamod, vi tittar på ärendet nu.",
        "en": "Hi {{ customer.first_name }}! Thanks for your patience, we are on it now.",
    },
}
MACRO_TEXTS = {
    "nb": "Hei {{ customer.first_name }},\n\nRefusjonen er sendt og er på kontoen din innen "
    "3–5 virkedager.\n\nVennlig hilsen\n{{ agent.name }}",
    "da": "Hej {{ customer.first_name }},\n\nRefusionen er sendt og er på din konto inden for "
    "3–5 hverdage.\n\nVenlig hilsen\n{{ agent.name }}",
    "sv": "Hej {{ customer.first_name }},\n\nÅterbetalningen är skickad och finns på ditt konto "
    "inom 3–5 vardagar.\n\nMed vänliga hälsningar\n{{ agent.name }}",
    "en": "Hi {{ customer.first_name }},\n\nThe refund is on its way and will reach your account "
    "within 3–5 working days.\n\nBest regards\n{{ agent.name }}",
}


def service_levels_configure() -> None:
    """Calendars (Oslo is the default), three policies tried in order, then automations."""
    for name, zone, country, hours in OFFICES:
        sla_services.calendar_create(
            name=name,
            time_zone=zone,
            country=country,
            hours=[(day, opens, closes) for day in WEEKDAYS for opens, closes in hours],
            is_default=name == "Oslo",
        )
    sla_services.policy_create(
        name="Haster",
        conditions=[{"field": "priority", "operator": "in", "value": ["urgent"]}],
        business_hours=False,
        first_response_minutes=HOUR,
        next_response_minutes=2 * HOUR,
        resolution_minutes=8 * HOUR,
    )
    sla_services.policy_create(
        name="Chat",
        conditions=[{"field": "channel", "operator": "is", "value": "chat"}],
        first_response_minutes=5,
        resolution_minutes=HOUR,
    )
    sla_services.policy_create(
        name="Standard",
        first_response_minutes=4 * HOUR,
        next_response_minutes=8 * HOUR,
        resolution_minutes=3 * 8 * HOUR,
        pause_when_pending=True,
    )
    _automations_configure()


def _automations_configure() -> None:
    automation_services.trigger_create(
        name="SLA-brudd: varsle og eskalere",
        events=["sla_breached"],
        conditions={"all": []},
        actions=[
            {"type": "notify", "to": ["assignee", "supervisors"],
             "text": "Sak #{{ ticket.number }} har brutt SLA: {{ ticket.subject }}"},
            {"type": "raise_priority"},
            {"type": "add_tags", "value": ["sla-brudd"]},
        ],
    )  # fmt: skip
    automation_services.trigger_create(
        name="SLA-varsel til den som eier saken",
        events=["sla_warning"],
        conditions={"all": []},
        actions=[
            {"type": "notify", "to": ["assignee"],
             "text": "Sak #{{ ticket.number }} nærmer seg fristen"},
        ],
    )  # fmt: skip
    automation_services.time_rule_create(
        name="Venter på kunden i 7 dager: løs",
        since="status_changed",
        after_minutes=7 * 24 * HOUR,
        conditions={"all": [{"field": "status", "operator": "is", "value": "pending"}]},
        actions=[{"type": "set_status", "value": "solved"}],
    )
    automation_services.time_rule_create(
        name="Løst i 4 dager: lukk",
        since="status_changed",
        after_minutes=4 * 24 * HOUR,
        conditions={"all": [{"field": "status", "operator": "is", "value": "solved"}]},
        actions=[{"type": "set_status", "value": "closed"}],
    )
    automation_services.time_rule_create(
        name="Uten eier i 30 minutter: si fra til teamet",
        since="created",
        after_minutes=30,
        business_hours=True,
        conditions={"all": [{"field": "assignee", "operator": "is", "value": None}]},
        actions=[{"type": "notify", "to": ["supervisors"],
                  "text": "Sak #{{ ticket.number }} har ventet 30 minutter uten eier"}],
    )  # fmt: skip
    automation_services.macro_create(
        name="Refusjon sendt",
        actions=[
            {"type": "add_tags", "value": ["refusjon"]},
            {"type": "set_status", "value": "solved"},
        ],
        texts=MACRO_TEXTS,
    )
    for name, texts in CANNED_REPLIES.items():
        automation_services.canned_reply_create(name=name, texts=texts)
