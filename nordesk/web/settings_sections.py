"""What each settings section lists and which services it calls. Every read goes through the
owning app's selectors (a constant number of queries per list, whatever its length), every
write through its services, which validate the definition and refuse it naming what is
wrong."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.accounts.models import ChannelKind
from nordesk.automation import selectors as automation_selectors
from nordesk.automation import services as automation_services
from nordesk.automation.models import TriggerEvent
from nordesk.routing import selectors as routing_selectors
from nordesk.routing import services as routing_services
from nordesk.sla import selectors as sla_selectors

from . import settings_forms as forms
from .settings_base import Row, Section, done
from .sla_settings import SLA_SECTIONS


def _team_names() -> dict[int, str]:
    return {team.pk: team.name for team in account_selectors.team_list()}


# --- routing ---------------------------------------------------------------------------------


def _routing_rule_rows() -> list[Row]:
    teams = _team_names()
    return [
        Row(rule, {"team": teams.get(rule.team_id, "—")}) for rule in routing_selectors.rule_list()
    ]


ROUTING_RULES = Section(
    key="routing_rules",
    path="routing-rules",
    title=_("Routing rules"),
    new_title=_("New routing rule"),
    intro=_(
        "A new ticket that its channel gave no team goes to the team of the first active rule "
        "it matches, tried from the top."
    ),
    columns=(_("Order"), _("Name"), _("Team"), _("Active"), _("Move")),
    row_template="web/settings/rows/routing_rule.html",
    rows=_routing_rule_rows,
    get=lambda pk: routing_selectors.rule_get(rule_id=pk),
    form=lambda data, rule: forms.RoutingRuleForm(
        data, instance=rule, teams=account_selectors.team_list()
    ),
    done=done(
        _("Routing rule %(name)s created."),
        _("Routing rule %(name)s saved."),
        _("Routing rule %(name)s deleted."),
    ),
    create=lambda values: routing_services.rule_create(**values),
    update=lambda rule, values: routing_services.rule_update(rule=rule, changes=values),
    delete=lambda rule: routing_services.rule_delete(rule=rule),
    order=lambda: list(routing_selectors.rule_list().values_list("pk", flat=True)),
    reorder=lambda ids: routing_services.rules_reorder(rule_ids=ids),
)


def _team_rows() -> list[Row]:
    teams = list(account_selectors.team_list())
    names = {team.pk: team.name for team in teams}
    return [Row(team, {"backup": names.get(team.backup_team_id or 0, "")}) for team in teams]


TEAMS = Section(
    key="teams",
    path="teams",
    title=_("Teams"),
    new_title=_("New team"),
    intro=_(
        "How each team hands out its queue, when skill levels relax, and when a ticket nobody "
        "took moves to the backup team."
    ),
    columns=(
        _("Team"),
        _("Assignment strategy"),
        _("Relax after"),
        _("Overflow after"),
        _("Backup team"),
    ),
    row_template="web/settings/rows/team.html",
    rows=_team_rows,
    get=lambda pk: account_selectors.team_get(team_id=pk),
    form=lambda data, team: forms.TeamRoutingForm(
        data, instance=team, teams=account_selectors.team_list()
    ),
    done=done(_("Team %(name)s created."), _("Team %(name)s saved.")),
    update=lambda team, values: account_services.team_set_routing(team=team, changes=values),
)

SKILL_REQUIREMENTS = Section(
    key="skill_requirements",
    path="skill-requirements",
    title=_("Skill requirements"),
    new_title=_("New skill requirement"),
    intro=_("What skills-based teams ask of the agent who takes a ticket."),
    columns=(_("When the ticket's"), _("is"), _("it needs the skill"), _("at least"), _("Delete")),
    row_template="web/settings/rows/skill_requirement.html",
    rows=lambda: [Row(r) for r in routing_selectors.skill_requirement_list()],
    get=lambda pk: routing_selectors.skill_requirement_get(requirement_id=pk),
    form=lambda data, requirement: forms.SkillRequirementForm(data, instance=requirement),
    done=done(
        _("Skill requirement %(name)s added."),
        _("Skill requirement %(name)s saved."),
        _("Skill requirement %(name)s deleted."),
    ),
    create=lambda values: routing_services.skill_requirement_create(**values),
    delete=lambda requirement: routing_services.skill_requirement_delete(requirement=requirement),
    label=lambda r: f"{r.get_attribute_display()} = {r.value} → {r.skill.name} ≥ {r.level}",
)


KIND_LABELS = dict(ChannelKind.choices)


def _capacity_rows() -> list[Row]:
    return [
        Row(
            agent,
            {
                "kinds": [
                    (KIND_LABELS.get(kind, kind), value)
                    for kind, value in agent.channel_capacity.items()
                ]
            },
        )
        for agent in account_selectors.agent_list()
    ]


CAPACITY = Section(
    key="capacity",
    path="capacity",
    title=_("Agent capacity"),
    new_title=_("Agent capacity"),
    intro=_(
        "How much active work routing gives each agent at once, in general and per channel "
        "kind (three chats at once is not three emails)."
    ),
    columns=(_("Agent"), _("Capacity"), _("Per channel kind")),
    row_template="web/settings/rows/capacity.html",
    rows=_capacity_rows,
    get=lambda user_id: account_selectors.agent_by_user_id(user_id),
    form=lambda data, agent: forms.CapacityForm(data, instance=agent),
    done=done(_("Capacity of %(name)s saved."), _("Capacity of %(name)s saved.")),
    update=lambda agent, values: account_services.agent_set_capacity(agent=agent, **values),
    edit_arg=lambda agent: int(agent.user_id),
)


# --- automation ------------------------------------------------------------------------------

EVENT_LABELS = dict(TriggerEvent.choices)


def _trigger_rows() -> list[Row]:
    return [
        Row(trigger, {"events": ", ".join(str(EVENT_LABELS.get(e, e)) for e in trigger.events)})
        for trigger in automation_selectors.trigger_list()
    ]


TRIGGERS = Section(
    key="triggers",
    path="triggers",
    title=_("Triggers"),
    new_title=_("New trigger"),
    intro=_(
        "When one of its events happens to a ticket and its conditions hold, a trigger runs its "
        "actions. Triggers run from the top, each seeing what the ones before changed."
    ),
    columns=(_("Order"), _("Name"), _("Runs on"), _("Active"), _("Move")),
    row_template="web/settings/rows/trigger.html",
    rows=_trigger_rows,
    get=lambda pk: automation_selectors.trigger_get(trigger_id=pk),
    form=lambda data, trigger: forms.TriggerForm(data, instance=trigger),
    done=done(
        _("Trigger %(name)s created."),
        _("Trigger %(name)s saved."),
        _("Trigger %(name)s deleted."),
    ),
    create=lambda values: automation_services.trigger_create(**values),
    update=lambda trigger, values: automation_services.trigger_update(
        trigger=trigger, changes=values
    ),
    delete=lambda trigger: automation_services.trigger_delete(trigger=trigger),
    order=lambda: list(automation_selectors.trigger_list().values_list("pk", flat=True)),
    reorder=lambda ids: automation_services.triggers_reorder(trigger_ids=ids),
)


def _time_rule_rows() -> list[Row]:
    calendars = {c.pk: c.name for c in sla_selectors.calendar_list()}
    return [
        Row(rule, {"calendar": calendars.get(rule.calendar_id or 0, "")})
        for rule in automation_selectors.time_rule_list()
    ]


TIME_RULES = Section(
    key="time_rules",
    path="time-rules",
    title=_("Time rules"),
    new_title=_("New time rule"),
    intro=_(
        "A set time after a moment in a ticket's life (created, status changed …), a time rule "
        "runs its actions if its conditions still hold then."
    ),
    columns=(_("Name"), _("After"), _("Counted since"), _("Active")),
    row_template="web/settings/rows/time_rule.html",
    rows=_time_rule_rows,
    get=lambda pk: automation_selectors.time_rule_get(rule_id=pk),
    form=lambda data, rule: forms.TimeRuleForm(
        data, instance=rule, calendars=sla_selectors.calendar_list()
    ),
    done=done(
        _("Time rule %(name)s created."),
        _("Time rule %(name)s saved."),
        _("Time rule %(name)s deleted."),
    ),
    create=lambda values: automation_services.time_rule_create(**values),
    update=lambda rule, values: automation_services.time_rule_update(rule=rule, changes=values),
    delete=lambda rule: automation_services.time_rule_delete(rule=rule),
)


def _languages(texts: dict[str, str]) -> str:
    return ", ".join(code for code in forms.TEXT_LANGUAGES if code in texts)


MACROS = Section(
    key="macros",
    path="macros",
    title=_("Macros"),
    new_title=_("New macro"),
    intro=_(
        "An agent applies a macro to a ticket: its actions run as the agent, and its text, in "
        "the ticket's language, lands in the reply box to review before sending."
    ),
    columns=(_("Name"), _("Texts in"), _("Actions"), _("Active")),
    row_template="web/settings/rows/macro.html",
    rows=lambda: [
        Row(m, {"languages": _languages(m.texts)}) for m in automation_selectors.macro_list()
    ],
    get=lambda pk: automation_selectors.macro_get(macro_id=pk),
    form=lambda data, macro: forms.MacroForm(data, instance=macro),
    done=done(
        _("Macro %(name)s created."), _("Macro %(name)s saved."), _("Macro %(name)s deleted.")
    ),
    create=lambda values: automation_services.macro_create(**values),
    update=lambda macro, values: automation_services.macro_update(macro=macro, changes=values),
    delete=lambda macro: automation_services.macro_delete(macro=macro),
)

CANNED_REPLIES = Section(
    key="canned_replies",
    path="canned-replies",
    title=_("Canned replies"),
    new_title=_("New canned reply"),
    intro=_(
        "Ready answers an agent inserts into the reply box, in the ticket's language, with "
        "placeholders such as {{ customer.first_name }} and {{ ticket.number }} filled in."
    ),
    columns=(_("Name"), _("Texts in")),
    row_template="web/settings/rows/canned_reply.html",
    rows=lambda: [
        Row(c, {"languages": _languages(c.texts)}) for c in automation_selectors.canned_reply_list()
    ],
    get=lambda pk: automation_selectors.canned_reply_get(canned_id=pk),
    form=lambda data, canned: forms.CannedReplyForm(data, instance=canned),
    done=done(
        _("Canned reply %(name)s created."),
        _("Canned reply %(name)s saved."),
        _("Canned reply %(name)s deleted."),
    ),
    create=lambda values: automation_services.canned_reply_create(**values),
    update=lambda canned, values: automation_services.canned_reply_update(
        canned=canned, changes=values
    ),
    delete=lambda canned: automation_services.canned_reply_delete(canned=canned),
)


SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        ROUTING_RULES,
        TEAMS,
        SKILL_REQUIREMENTS,
        CAPACITY,
        *SLA_SECTIONS,
        TRIGGERS,
        TIME_RULES,
        MACROS,
        CANNED_REPLIES,
    )
}

# The index page: (heading, section keys, other pages as (URL name, title)).
GROUPS: list[tuple[Promise, tuple[str, ...], tuple[tuple[str, Promise], ...]]] = [
    (_("Routing"), ("routing_rules", "teams", "skill_requirements", "capacity"), ()),
    (_("Service levels"), tuple(section.key for section in SLA_SECTIONS), ()),
    (_("Automation"), ("triggers", "time_rules", "macros", "canned_replies"), ()),
    (
        _("Email"),
        (),
        (("web:mailboxes", _("Mailboxes")), ("web:quarantine", _("Mail quarantine"))),
    ),
    (_("Customer portal"), (), (("web:portal_settings", _("Contact form and widget")),)),
    (_("Customer satisfaction"), (), (("web:csat_settings", _("Satisfaction surveys")),)),
]
