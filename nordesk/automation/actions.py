"""What a trigger, time rule or macro may do: a list of actions, checked before it is stored.

    [{"type": "set_priority", "value": "high"}, {"type": "add_tags", "value": ["vip"]}, ...]

Texts (notes, replies, notifications, email) are one text or one per language
({"nb": "…", "en": "…"}) and may hold the placeholders of `placeholders.py`.
`actions_validate` refuses the first problem with a message naming the action by its number:
"Action 1: …".
"""

from __future__ import annotations

import re
from typing import Any, Literal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nordesk.accounts import selectors as account_selectors

from .conditions import CUSTOM_FIELD_KEY, PRIORITIES, STATUSES
from .errors import InvalidActions
from .webhooks import WebhookRefused, url_check

MAX_ACTIONS = 20
MAX_TEXT = 5000
MAX_TAGS = 20
ROLE_RECIPIENTS = ("assignee", "team", "supervisors")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

Text = str | dict[str, str]
Recipient = str | int


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SetStatus(_Action):
    type: Literal["set_status"]
    value: str


class SetPriority(_Action):
    type: Literal["set_priority"]
    value: str


class RaisePriority(_Action):
    type: Literal["raise_priority"]


class SetTeam(_Action):
    type: Literal["set_team"]
    value: int | None


class SetAssignee(_Action):
    type: Literal["set_assignee"]
    value: int | None


class AddTags(_Action):
    type: Literal["add_tags", "remove_tags"]
    value: list[str] = Field(min_length=1, max_length=MAX_TAGS)


class SetField(_Action):
    type: Literal["set_field"]
    key: str
    value: str | int | float | bool | None


class AddNote(_Action):
    type: Literal["add_note"]
    text: Text


class SendReply(_Action):
    type: Literal["send_reply"]
    text: Text
    status: str | None = None


class SendEmail(_Action):
    type: Literal["send_email"]
    to: list[Recipient] = Field(min_length=1, max_length=50)
    subject: Text
    text: Text


class Notify(_Action):
    type: Literal["notify"]
    to: list[Recipient] = Field(min_length=1, max_length=50)
    text: Text


class Webhook(_Action):
    type: Literal["webhook"]
    url: str = Field(max_length=2000)


class SkipSurvey(_Action):
    type: Literal["skip_survey"]


SCHEMAS: dict[str, type[_Action]] = {
    "set_status": SetStatus,
    "set_priority": SetPriority,
    "raise_priority": RaisePriority,
    "set_team": SetTeam,
    "set_assignee": SetAssignee,
    "add_tags": AddTags,
    "remove_tags": AddTags,
    "set_field": SetField,
    "add_note": AddNote,
    "send_reply": SendReply,
    "send_email": SendEmail,
    "notify": Notify,
    "webhook": Webhook,
    "skip_survey": SkipSurvey,
}
TRIGGER_ACTIONS = tuple(SCHEMAS)
# An agent applies a macro: it changes the ticket; the agent sends the reply text themselves.
MACRO_ACTIONS = (
    "set_status",
    "set_priority",
    "raise_priority",
    "set_team",
    "set_assignee",
    "add_tags",
    "remove_tags",
    "set_field",
    "add_note",
)

# How each action is written, shown after "Action N:" when its shape is wrong.
_SHAPES: dict[str, Promise] = {
    "set_status": gettext_lazy("set_status needs a “value”: the new status."),
    "set_priority": gettext_lazy("set_priority needs a “value”: the new priority."),
    "raise_priority": gettext_lazy("raise_priority takes nothing but its type."),
    "set_team": gettext_lazy("set_team needs a “value”: a team id, or null for none."),
    "set_assignee": gettext_lazy("set_assignee needs a “value”: an agent's user id, or null."),
    "add_tags": gettext_lazy("add_tags needs a “value”: a list of 1 to 20 tags."),
    "remove_tags": gettext_lazy("remove_tags needs a “value”: a list of 1 to 20 tags."),
    "set_field": gettext_lazy("set_field needs a “key” (the custom field) and a “value”."),
    "add_note": gettext_lazy("add_note needs a “text”: one text, or one per language."),
    "send_reply": gettext_lazy(
        "send_reply needs a “text” (one text, or one per language) and may have a “status”."
    ),
    "send_email": gettext_lazy(
        "send_email needs “to” (a list of recipients), a “subject” and a “text”."
    ),
    "notify": gettext_lazy("notify needs “to” (a list of recipients) and a “text”."),
    "webhook": gettext_lazy("webhook needs a “url”."),
    "skip_survey": gettext_lazy("skip_survey takes nothing but its type."),
}


class _Problem(Exception):
    pass


def actions_validate(data: Any, *, allowed: tuple[str, ...] = TRIGGER_ACTIONS) -> list[dict]:
    """The actions in their stored form, or InvalidActions naming the first problem."""
    if not isinstance(data, list):
        raise InvalidActions(_("Actions are a list of actions."), field="actions")
    if len(data) > MAX_ACTIONS:
        raise InvalidActions(
            _("Give at most %(limit)d actions.") % {"limit": MAX_ACTIONS}, field="actions"
        )
    cleaned = []
    for number, item in enumerate(data, start=1):
        try:
            cleaned.append(_action_check(item, allowed))
        except _Problem as problem:
            raise InvalidActions(
                _("Action %(number)d: %(problem)s") % {"number": number, "problem": problem},
                field="actions",
            ) from None
    return cleaned


def _action_check(item: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    kind = item.get("type") if isinstance(item, dict) else None
    if not isinstance(kind, str) or kind not in allowed:
        raise _Problem(
            _("an action is an object whose “type” is one of %(choices)s.")
            % {"choices": ", ".join(allowed)}
        )
    try:
        action = SCHEMAS[kind].model_validate(item)
    except ValidationError:
        raise _Problem(str(_SHAPES[kind])) from None
    _meaning_check(action)
    stored = action.model_dump()
    if kind == "send_reply" and stored["status"] is None:
        del stored["status"]
    return stored


def _meaning_check(action: _Action) -> None:  # noqa: C901 - one branch per kind of action
    if isinstance(action, SetStatus):
        _choice_check(action.value, STATUSES)
    elif isinstance(action, SetPriority):
        _choice_check(action.value, PRIORITIES)
    elif isinstance(action, SetTeam):
        if action.value is not None and not account_selectors.team_exists(action.value):
            raise _Problem(_("there is no team with the id %(id)s.") % {"id": action.value})
    elif isinstance(action, SetAssignee):
        if action.value is not None:
            _agent_check(action.value)
    elif isinstance(action, AddTags):
        for tag in action.value:
            if not tag.strip() or len(tag) > 64:
                raise _Problem(_("a tag is a text of 1 to 64 characters."))
    elif isinstance(action, SetField):
        if not CUSTOM_FIELD_KEY.fullmatch(action.key):
            raise _Problem(_("name the custom field with letters, digits, - or _."))
    elif isinstance(action, AddNote | Notify):
        _text_check(action.text)
    elif isinstance(action, SendReply):
        _text_check(action.text)
        if action.status is not None:
            _choice_check(action.status, STATUSES)
    elif isinstance(action, SendEmail):
        _text_check(action.subject)
        _text_check(action.text)
    elif isinstance(action, Webhook):
        try:
            url_check(action.url, resolve=False)
        except WebhookRefused as exc:
            raise _Problem(str(exc)) from None
    if isinstance(action, SendEmail | Notify):
        for recipient in action.to:
            _recipient_check(recipient, emails=isinstance(action, SendEmail))


def _choice_check(value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise _Problem(
            _("“%(value)s” is not one of %(choices)s.")
            % {"value": value, "choices": ", ".join(choices)}
        )


def _agent_check(user_id: int) -> None:
    agent = account_selectors.agent_by_user_id(user_id)
    if agent is None or not agent.can_reply:
        raise _Problem(_("there is no agent with the user id %(id)s.") % {"id": user_id})


def _recipient_check(recipient: Recipient, *, emails: bool) -> None:
    if isinstance(recipient, bool):
        raise _Problem(_("a recipient is assignee, team, supervisors or an agent's user id."))
    if isinstance(recipient, int):
        _agent_check(recipient)
    elif recipient in ROLE_RECIPIENTS or (emails and EMAIL.fullmatch(recipient)):
        return
    elif emails:
        raise _Problem(
            _("a recipient is assignee, team, supervisors, an agent's user id or an address.")
        )
    else:
        raise _Problem(_("a recipient is assignee, team, supervisors or an agent's user id."))


def _text_check(text: Text) -> None:
    texts = text if isinstance(text, dict) else {"": text}
    if not texts:
        raise _Problem(_("give a text in at least one language."))
    languages = {code for code, _name in settings.LANGUAGES}
    for language, value in texts.items():
        if language and language not in languages:
            raise _Problem(
                _("“%(language)s” is not a language; use one of %(choices)s.")
                % {"language": language, "choices": ", ".join(sorted(languages))}
            )
        if not value.strip() or len(value) > MAX_TEXT:
            raise _Problem(_("a text has 1 to %(limit)d characters.") % {"limit": MAX_TEXT})
