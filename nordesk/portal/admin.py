from django.contrib import admin

from .models import ContactFormSettings, PortalAccount, SignInLink, SuggestedArticleOpen


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


@admin.register(SignInLink)
class SignInLinkAdmin(admin.ModelAdmin):
    """Which links went out and whether they were used; a link itself cannot be read back."""

    list_display = ("account", "created_at", "expires_at", "used_at")
    fields = ("account", "created_at", "expires_at", "used_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ContactFormSettings)
class ContactFormSettingsAdmin(admin.ModelAdmin):
    """Edited on the workspace's Settings › Customer portal page, which checks the keys."""

    list_display = ("__str__", "updated_at")
    readonly_fields = ("categories", "field_keys", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SuggestedArticleOpen)
class SuggestedArticleOpenAdmin(admin.ModelAdmin):
    """Suggested articles opened from the contact form: the evidence behind deflections."""

    list_display = ("article_id", "language", "opened_at", "submitted_at", "deflection_recorded_at")
    fields = list_display
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
