from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from nordesk.core.errors import Invalid

from .models import (
    BusinessCalendar,
    ClosedDay,
    OpeningHours,
    OrganisationCalendar,
    SlaClock,
    SlaEvent,
    SlaPolicy,
    TeamCalendar,
)
from .policies import TARGET_FIELDS, policy_clean, policy_clocks_recompute_later
from .services import calendar_clocks_recompute_later, hours_validate


class OpeningHoursFormSet(BaseInlineFormSet):
    """The same rules as the services: intervals of one weekday must not overlap."""

    def clean(self) -> None:
        super().clean()
        rows = [
            (form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and {"weekday", "opens", "closes"} <= form.cleaned_data.keys()
        ]
        try:
            hours_validate(rows)
        except Invalid as exc:
            raise ValidationError(exc.message) from exc


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "country", "subdivision", "is_default"]
    list_filter = ["country", "is_default"]
    search_fields = ["name"]
    inlines = [OpeningHoursInline, ClosedDayInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if change:  # hours, closed days or zone may have moved running deadlines
            calendar_clocks_recompute_later(calendar_id=form.instance.pk)


@admin.register(TeamCalendar)
class TeamCalendarAdmin(admin.ModelAdmin):
    list_display = ["team", "calendar"]
    list_select_related = ["team", "calendar"]


@admin.register(OrganisationCalendar)
class OrganisationCalendarAdmin(admin.ModelAdmin):
    list_display = ["organisation", "calendar"]
    list_select_related = ["organisation", "calendar"]
    raw_id_fields = ["organisation"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    """A read-only list across calendars: hours are edited on their calendar, where the
    whole week is checked for overlaps."""

    list_display = ["calendar", "weekday", "opens", "closes"]
    list_filter = ["calendar", "weekday"]
    list_select_related = ["calendar"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "calendar"]
    list_filter = ["calendar"]
    date_hierarchy = "date"
    list_select_related = ["calendar"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        calendar_clocks_recompute_later(calendar_id=obj.calendar_id)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        calendar_clocks_recompute_later(calendar_id=obj.calendar_id)


class SlaPolicyForm(forms.ModelForm):
    """The same rules as the services: conditions and targets checked by `policy_clean`."""

    class Meta:
        model = SlaPolicy
        fields = [
            "name",
            "position",
            "is_active",
            "conditions",
            "calendar",
            "business_hours",
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
            "warning_percent",
            "pause_when_pending",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values: dict[str, Any] = {
            field: cleaned[field]
            for field in ("conditions", *TARGET_FIELDS, "warning_percent")
            if field in cleaned
        }
        try:
            cleaned.update(policy_clean(values))
        except Invalid as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, exc.message)
        return cleaned


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    form = SlaPolicyForm
    list_display = [
        "name",
        "position",
        "is_active",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "warning_percent",
        "calendar",
    ]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "calendar"]
    list_select_related = ["calendar"]
    search_fields = ["name"]
    ordering = ["position", "id"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        timing = {"calendar", "business_hours", "warning_percent", *TARGET_FIELDS}
        if change and timing & set(form.changed_data):
            policy_clocks_recompute_later(policy_id=obj.pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Clocks change only through the services and events are history: look, do not touch."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket",
        "kind",
        "state",
        "due_at",
        "warned_at",
        "policy",
        "breached_at",
        "fulfilled_at",
    ]
    list_filter = ["state", "kind", "policy"]
    list_select_related = ["ticket", "policy"]
    raw_id_fields = ["ticket"]
    date_hierarchy = "due_at"


@admin.register(SlaEvent)
class SlaEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "ticket", "target", "kind", "policy"]
    list_filter = ["kind", "target", "policy"]
    list_select_related = ["ticket", "policy"]
    raw_id_fields = ["ticket"]
    date_hierarchy = "at"
