from django.contrib import admin

from .models import (
    ArrivalHour,
    ArrivalSlot,
    Cursor,
    DailyRollup,
    MonthlyRollup,
    ReportSchedule,
    SpikeAlert,
    SpikeScan,
    TicketFact,
)


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


@admin.register(MonthlyRollup)
class MonthlyRollupAdmin(DerivedAdmin):
    list_display = ("day", "dimension", "value")
    list_filter = ("dimension",)


@admin.register(Cursor)
class CursorAdmin(DerivedAdmin):
    list_display = ("name", "position", "moment")


@admin.register(TicketFact)
class TicketFactAdmin(DerivedAdmin):
    list_display = ("ticket_id", "channel", "created_day", "solved_day", "is_open")


@admin.register(ArrivalSlot)
class ArrivalSlotAdmin(DerivedAdmin):
    list_display = ("start", "dimension", "value", "tickets")
    list_filter = ("dimension",)
    search_fields = ("value",)


@admin.register(SpikeAlert)
class SpikeAlertAdmin(DerivedAdmin):
    list_display = ("dimension", "value", "started_at", "ended_at", "peak_tickets", "baseline")
    list_filter = ("dimension",)


@admin.register(SpikeScan)
class SpikeScanAdmin(DerivedAdmin):
    list_display = ("last_ticket_id", "history_start")


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ("name", "report", "frequency", "created_by", "sent_period", "sent_at")
    list_filter = ("report", "frequency")
    raw_id_fields = ("created_by",)
    filter_horizontal = ("recipients",)
    readonly_fields = ("sent_period", "sent_at", "last_error")
