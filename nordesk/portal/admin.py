from django.contrib import admin

from .models import PortalAccount


@admin.register(PortalAccount)
class PortalAccountAdmin(admin.ModelAdmin):
    """Agents set who manages an organisation here; passwords are the customers' own."""

    list_display = ("customer", "is_organisation_manager", "last_sign_in_at", "created_at")
    list_filter = ("is_organisation_manager",)
    search_fields = ("customer__name", "customer__identities__address")
    fields = ("customer", "is_organisation_manager", "last_sign_in_at")
    readonly_fields = ("customer", "last_sign_in_at")

    def has_add_permission(self, request) -> bool:
        return False  # accounts are made when a customer first asks for a sign-in link
