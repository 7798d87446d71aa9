from django.contrib import admin

from .models import ArrivalHour, DailyRollup, TicketFact


class DerivedAdmin(admin.ModelAdmin):
    """Rollups are recomputed from history, never edited by hand."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ArrivalHour)
class ArrivalHourAdmin(DerivedAdmin):
    list_display = ("hour", "channel", "category", "tickets")
    list_filter = ("channel",)


@admin.register(DailyRollup)
class DailyRollupAdmin(DerivedAdmin):
    list_display = ("day", "dimension", "value")
    list_filter = ("dimension",)


@admin.register(TicketFact)
class TicketFactAdmin(DerivedAdmin):
    list_display = ("ticket_id", "channel", "created_day", "solved_day", "is_open")
