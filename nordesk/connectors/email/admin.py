from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .errors import QuarantineError
from .models import AutoReplyLog, Mailbox, RawEmail


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "inbound", "team", "is_active", "last_polled_at"]
    list_filter = ["inbound", "is_active"]
    exclude = ["imap_password_encrypted", "webhook_secret_digest"]
    readonly_fields = ["imap_uidvalidity", "imap_last_uid", "last_polled_at", "last_error"]


@admin.register(RawEmail)
class RawEmailAdmin(admin.ModelAdmin):
    """The quarantine: what could not be imported, with the reason; retry or discard."""

    list_display = ["received_at", "mailbox", "source", "size", "status", "reason"]
    list_filter = ["status", "source", "mailbox"]
    # The raw bytes (up to tens of MB) are never loaded for a page: the API and the
    # quarantine page offer them as a download.
    exclude = ["content"]
    readonly_fields = [field.name for field in RawEmail._meta.fields if field.name != "content"]
    actions = ["retry"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Retry the selected quarantined messages"))
    def retry(self, request, queryset) -> None:
        for raw_email in queryset:
            try:
                result = services.quarantine_retry(raw_email=raw_email)
            except QuarantineError as exc:
                self.message_user(request, f"{raw_email}: {exc}", messages.WARNING)
                continue
            self.message_user(request, f"{raw_email}: {result.status}")


@admin.register(AutoReplyLog)
class AutoReplyLogAdmin(admin.ModelAdmin):
    list_display = ["address", "last_sent_at"]
    search_fields = ["address"]
