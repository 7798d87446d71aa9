from django.contrib import admin

from .models import OptOut, Survey, SurveySettings


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("ticket", "score", "sent_at", "answered_at", "skipped")
    list_filter = ("score", "skipped")
    raw_id_fields = ("ticket", "customer", "agent")
    readonly_fields = ("score", "comment", "answered_at", "changed_at", "sent_at")


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("customer", "source", "created_at")
    raw_id_fields = ("customer", "actor_user")


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "enabled", "scale", "delay_minutes", "change_days")
