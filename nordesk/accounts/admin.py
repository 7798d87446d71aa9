from django.contrib import admin

from .models import Agent, AgentSkill, ApiToken, Skill, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class AgentSkillInline(admin.TabularInline):
    model = AgentSkill
    extra = 0


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "role", "presence", "capacity", "is_service_account"]
    list_filter = ["role", "presence", "teams"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    filter_horizontal = ["teams"]
    inlines = [AgentSkillInline]
    list_select_related = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "agent", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    list_select_related = ["agent__user"]

    def has_add_permission(self, request):
        # The secret must be shown once at creation: `nordesk token create` does that.
        return False


@admin.register(AgentSkill)
class AgentSkillAdmin(admin.ModelAdmin):
    list_display = ["agent", "skill", "level"]
    list_filter = ["skill"]
    list_select_related = ["agent__user", "skill"]
