from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from nordesk.core.errors import Invalid

from .actions import MACRO_ACTIONS, TRIGGER_ACTIONS, actions_validate
from .conditions import conditions_validate
from .models import (
    AutomationRun,
    AutomationTimer,
    CannedReply,
    Macro,
    Notification,
    TimeRule,
    Trigger,
)


def _checked(validate: Callable[[Any], Any], value: Any) -> Any:
    """The same schemas as the services: an invalid definition is never stored here either."""
    try:
        return validate(value)
    except Invalid as exc:
        raise ValidationError(exc.message) from exc


class TriggerForm(forms.ModelForm):
    class Meta:
        model = Trigger
        fields = ["name", "position", "is_active", "events", "conditions", "actions"]

    def clean_conditions(self) -> Any:
        return _checked(conditions_validate, self.cleaned_data["conditions"])

    def clean_actions(self) -> Any:
        return _checked(
            lambda value: actions_validate(value, allowed=TRIGGER_ACTIONS),
            self.cleaned_data["actions"],
        )


class TimeRuleForm(TriggerForm):
    class Meta:
        model = TimeRule
        fields = [
            "name",
            "is_active",
            "since",
            "after_minutes",
            "business_hours",
            "calendar",
            "conditions",
            "actions",
        ]

    def clean_conditions(self) -> Any:
        return _checked(
            lambda value: conditions_validate(value, for_timers=True),
            self.cleaned_data["conditions"],
        )


class MacroForm(forms.ModelForm):
    class Meta:
        model = Macro
        fields = ["name", "is_active", "actions", "texts"]

    def clean_actions(self) -> Any:
        return _checked(
            lambda value: actions_validate(value, allowed=MACRO_ACTIONS),
            self.cleaned_data["actions"],
        )


@admin.register(Trigger)
class TriggerAdmin(admin.ModelAdmin):
    form = TriggerForm
    list_display = ("name", "position", "is_active", "updated_at")
    list_filter = ("is_active",)


@admin.register(TimeRule)
class TimeRuleAdmin(admin.ModelAdmin):
    form = TimeRuleForm
    list_display = ("name", "since", "after_minutes", "business_hours", "is_active")


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    form = MacroForm
    list_display = ("name", "is_active", "updated_at")


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("name", "updated_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """History: what automations did and will do is never edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AutomationRun)
class AutomationRunAdmin(ReadOnlyAdmin):
    list_display = ("ticket_id", "name", "event", "created_at")


@admin.register(AutomationTimer)
class AutomationTimerAdmin(ReadOnlyAdmin):
    list_display = ("rule", "ticket_id", "occurrence", "due_at", "fired_at", "outcome")
    list_select_related = ("rule",)
    list_filter = ("outcome",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "ticket_id", "text", "created_at", "read_at")
    list_select_related = ("recipient",)
