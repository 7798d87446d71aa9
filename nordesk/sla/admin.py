from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from nordesk.core.errors import Invalid

from .models import BusinessCalendar, ClosedDay, OpeningHours
from .services import hours_validate


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
