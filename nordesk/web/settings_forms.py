"""Shape checks for the admins' settings pages (routing, SLA, automation). Like the other forms
they only check what was typed — that JSON parses, that a number is a number; what a
definition may say is for the services, whose refusals the views attach back onto these
forms (naming the condition or action that is wrong)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nordesk.accounts.models import AssignmentStrategy, ChannelKind
from nordesk.automation.models import Since, TriggerEvent
from nordesk.routing.models import Attribute

from .forms import Choices, PageForm

# The languages a macro or canned reply has a text for, in the order the form shows them.
TEXT_LANGUAGES = ("nb", "nn", "da", "sv", "en")
CONDITIONS_HELP = _(
    'An object with "all" or "any" holding a list of conditions, each '
    '{"field": …, "operator": …, "value": …}. {"all": []} matches every ticket.'
)
ACTIONS_HELP = _('A list of actions, each {"type": …, …}; for example {"type": "set_priority", '
                 '"value": "high"}.')  # fmt: skip


def set_choices(form: forms.Form, name: str, choices: Choices) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = choices


class InvalidJson(str):
    """What was typed when it is not JSON: shown back as it was."""


class DefinitionJsonField(forms.CharField):
    """JSON typed into a textarea. Says where the text stops being JSON; what the value means
    is the service's to check. Shown indented, so a long definition stays readable."""

    widget = forms.Textarea

    def __init__(self, *args: Any, rows: int = 8, **kwargs: Any) -> None:
        kwargs.setdefault("strip", True)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"rows": rows, "spellcheck": "false", "class": "code-input"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                gettext("This is not valid JSON: %(problem)s (line %(line)d, column %(column)d).")
                % {"problem": error.msg, "line": error.lineno, "column": error.colno},
                code="invalid",
            ) from None

    def validate(self, value: Any) -> None:
        # [] and {} are JSON too (no actions, say): only blank text is missing.
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def bound_data(self, data: Any, initial: Any) -> Any:
        return InvalidJson(data) if isinstance(data, str) else data

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):  # typed text, good or bad, comes back as typed
            return value
        if value is None:
            return ""
        return json.dumps(value, ensure_ascii=False, indent=2)


class SettingsForm(PageForm):
    """A definition's form: `values()` are the service's keyword arguments (create) and its
    `changes` (update). `SERVICE_FIELDS` maps a service's field name, when it differs, to the
    field that shows its refusal."""

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {}
    LEGEND: ClassVar[Any] = _("Definition")

    def __init__(self, data: Any = None, *, instance: Any = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(data, **kwargs)

    def initial_from(self, instance: Any) -> dict[str, Any]:
        return {name: getattr(instance, name) for name in self.base_fields}

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(self.LEGEND, list(self))]

    def add_application_error(self, error: Any) -> None:
        field = self.SERVICE_FIELDS.get(error.field or "", error.field)
        self.add_error(field if field in self.fields else None, error.message)


# --- routing ---------------------------------------------------------------------------------


class RoutingRuleForm(SettingsForm):
    id_prefix = "rule"
    LEGEND = _("Rule")
    name = forms.CharField(label=_("Name"), max_length=100)
    team = forms.TypedChoiceField(label=_("Send to team"), coerce=int)
    conditions = DefinitionJsonField(
        label=_("Conditions (JSON)"), help_text=CONDITIONS_HELP, initial={"all": []}
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, teams: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [("", "—"), *((t.pk, t.name) for t in teams)])

    def initial_from(self, instance: Any) -> dict[str, Any]:
        return {
            "name": instance.name,
            "team": instance.team_id,
            "conditions": instance.conditions,
            "is_active": instance.is_active,
        }

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["team_id"] = data.pop("team")
        return data


def _minutes_field(label: Any, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, help_text=help_text)


class TeamRoutingForm(SettingsForm):
    id_prefix = "team"
    LEGEND = _("Routing")
    strategy = forms.ChoiceField(label=_("Assignment strategy"), choices=AssignmentStrategy.choices)
    relax_after_minutes = _minutes_field(
        _("Relax skill levels after (minutes)"),
        _("Skills-based teams: after this wait, agents below the required level may take it."),
    )
    overflow_after_minutes = _minutes_field(
        _("Overflow after a further (minutes)"),
        _("Then, if still nobody can take it, the ticket moves to the backup team."),
    )
    backup_team = forms.TypedChoiceField(
        label=_("Backup team"), required=False, coerce=int, empty_value=None
    )

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"backup_team_id": "backup_team"}

    def __init__(self, *args: Any, teams: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = self.instance.pk if self.instance is not None else None
        set_choices(
            self,
            "backup_team",
            [("", _("No backup team")), *((t.pk, t.name) for t in teams if t.pk != own)],
        )

    def initial_from(self, instance: Any) -> dict[str, Any]:
        return {
            "strategy": instance.strategy,
            "relax_after_minutes": instance.relax_after_minutes,
            "overflow_after_minutes": instance.overflow_after_minutes,
            "backup_team": instance.backup_team_id,
        }

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["backup_team_id"] = data.pop("backup_team")
        return data


class SkillRequirementForm(SettingsForm):
    id_prefix = "requirement"
    LEGEND = _("Requirement")
    attribute = forms.ChoiceField(label=_("When the ticket's"), choices=Attribute.choices)
    value = forms.CharField(label=_("is"), max_length=64, help_text=_("For example da or vip."))
    skill = forms.CharField(label=_("it needs the skill"), max_length=100)
    level = forms.IntegerField(label=_("at least at level"), initial=3, help_text=_("1 to 5"))


class CapacityForm(SettingsForm):
    """How much work routing gives one agent: in general, and per channel kind (blank: the
    general capacity)."""

    id_prefix = "capacity"
    LEGEND = _("Capacity")
    capacity = forms.IntegerField(
        label=_("Capacity"), help_text=_("Active tickets at once, for every channel kind.")
    )

    SERVICE_FIELDS: ClassVar[dict[str, str]] = {"channel_capacity": "capacity_chat"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in ChannelKind.choices:
            self.fields[f"capacity_{kind}"] = forms.IntegerField(
                label=_("Capacity for %(kind)s") % {"kind": label},
                required=False,
                help_text=_("Blank: the capacity above."),
            )

    def initial_from(self, instance: Any) -> dict[str, Any]:
        initial = {"capacity": instance.capacity}
        for kind, value in instance.channel_capacity.items():
            initial[f"capacity_{kind}"] = value
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "capacity": data["capacity"],
            "channel_capacity": {
                kind: data[f"capacity_{kind}"]
                for kind in ChannelKind.values
                if data.get(f"capacity_{kind}") is not None
            },
        }


# --- automation ------------------------------------------------------------------------------


class TriggerForm(SettingsForm):
    id_prefix = "trigger"
    LEGEND = _("Trigger")
    name = forms.CharField(label=_("Name"), max_length=100)
    # Not required here: the service says what events may be.
    events = forms.MultipleChoiceField(
        label=_("Runs on"),
        required=False,
        choices=TriggerEvent.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    conditions = DefinitionJsonField(
        label=_("Conditions (JSON)"), help_text=CONDITIONS_HELP, initial={"all": []}
    )
    actions = DefinitionJsonField(label=_("Actions (JSON)"), help_text=ACTIONS_HELP, initial=[])
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class TimeRuleForm(SettingsForm):
    id_prefix = "time-rule"
    LEGEND = _("Time rule")
    name = forms.CharField(label=_("Name"), max_length=100)
    after_minutes = forms.IntegerField(label=_("After (minutes)"))
    since = forms.ChoiceField(label=_("Counted since"), choices=Since.choices)
    business_hours = forms.BooleanField(label=_("Count business hours only"), required=False)
    calendar = forms.TypedChoiceField(
        label=_("Business calendar"), required=False, coerce=int, empty_value=None
    )
    conditions = DefinitionJsonField(
        label=_("Conditions (JSON)"), help_text=CONDITIONS_HELP, initial={"all": []}
    )
    actions = DefinitionJsonField(label=_("Actions (JSON)"), help_text=ACTIONS_HELP, initial=[])
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, calendars: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "calendar",
            [("", _("The default calendar")), *((c.pk, c.name) for c in calendars)],
        )

    def initial_from(self, instance: Any) -> dict[str, Any]:
        initial = {name: getattr(instance, name) for name in self.base_fields if name != "calendar"}
        initial["calendar"] = instance.calendar_id
        return initial

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["calendar_id"] = data.pop("calendar")
        return data


def _text_fields() -> dict[str, forms.CharField]:
    names = dict(settings.LANGUAGES)
    return {
        f"text_{code}": forms.CharField(
            label=names.get(code, code),
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        for code in TEXT_LANGUAGES
    }


class TextsForm(SettingsForm):
    """A name and a text per language; a blank text leaves that language out."""

    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_text_fields())

    def initial_from(self, instance: Any) -> dict[str, Any]:
        initial = {name: getattr(instance, name) for name in self.base_fields}
        initial.update({f"text_{code}": text for code, text in instance.texts.items()})
        return initial

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        texts = {code: data.pop(f"text_{code}") for code in TEXT_LANGUAGES}
        data["texts"] = {code: text for code, text in texts.items() if text.strip()}
        return data

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        texts = [f"text_{code}" for code in TEXT_LANGUAGES]
        return [
            (self.LEGEND, [self[name] for name in self.fields if name not in texts]),
            (_("Text per language"), [self[name] for name in texts]),
        ]


class MacroForm(TextsForm):
    id_prefix = "macro"
    LEGEND = _("Macro")
    actions = DefinitionJsonField(
        label=_("Actions (JSON)"),
        help_text=_(
            'What the macro does to the ticket, as the agent: a list such as [{"type": '
            '"set_status", "value": "pending"}, {"type": "add_tags", "value": ["refund"]}].'
        ),
        initial=[],
        rows=6,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class CannedReplyForm(TextsForm):
    id_prefix = "canned"
    LEGEND = _("Canned reply")
