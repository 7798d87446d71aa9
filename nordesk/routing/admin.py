from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from nordesk.core.errors import Invalid

from .conditions import conditions_validate
from .models import RoutingDecision, RoutingRule, SkillRequirement


class RoutingRuleForm(forms.ModelForm):
    """The same schema as the services: a rule with invalid conditions is never stored."""

    class Meta:
        model = RoutingRule
        fields = ["name", "position", "is_active", "conditions", "team"]

    def clean_conditions(self):
        conditions = self.cleaned_data["conditions"]
        try:
            conditions_validate(conditions)
        except Invalid as exc:
            raise ValidationError(exc.message) from exc
        return conditions


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleForm
    list_display = ["name", "position", "is_active", "team"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "team"]
    list_select_related = ["team"]
    search_fields = ["name"]


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are the record of what routing did."""

    list_display = ["ticket_id", "kind", "rule_name", "team", "assignee", "created_at"]
    list_select_related = ["team", "assignee"]
    list_filter = ["kind"]
    date_hierarchy = "created_at"
    search_fields = ["rule_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SkillRequirement)
class SkillRequirementAdmin(admin.ModelAdmin):
    list_display = ["attribute", "value", "skill", "level"]
    list_filter = ["attribute"]
    list_select_related = ["skill"]
