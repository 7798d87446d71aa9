from django.contrib import admin

from .models import (
    Attachment,
    CustomFieldDefinition,
    Message,
    Participant,
    SavedView,
    Tag,
    ThreadKey,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketSearchEntry,
    TimeEntry,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History and idempotency rows are evidence: operators may read, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    fields = readonly_fields = (
        "direction",
        "author_kind",
        "visibility",
        "channel",
        "text",
        "created_at",
    )
    can_delete = False
    show_change_link = True


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "subject",
        "status",
        "priority",
        "channel",
        "team",
        "assignee",
        "updated_at",
    ]
    list_filter = ["status", "priority", "channel", "team"]
    search_fields = ["=number", "subject"]
    list_select_related = ["team", "assignee"]
    raw_id_fields = ["customer", "organisation", "assignee", "follow_up_of", "merged_into"]
    readonly_fields = ["number", "created_at", "updated_at", "first_response_at", "solved_at"]
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "ticket",
        "direction",
        "author_kind",
        "visibility",
        "channel",
        "created_at",
    ]
    list_filter = ["direction", "visibility", "channel"]
    search_fields = ["external_id", "ticket__number"]
    raw_id_fields = ["ticket", "author_user", "author_customer"]
    list_select_related = ["ticket"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["filename", "content_type", "size", "message", "created_at"]
    search_fields = ["filename", "sha256"]
    raw_id_fields = ["message", "uploaded_by"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(CustomFieldDefinition)
class CustomFieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "kind", "required", "active"]
    list_filter = ["kind", "active"]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "actor_kind", "actor_user", "created_at"]
    list_filter = ["kind", "actor_kind"]
    list_select_related = ["ticket", "actor_user"]


@admin.register(ThreadKey)
class ThreadKeyAdmin(ReadOnlyAdmin):
    list_display = ["channel", "key", "ticket"]
    search_fields = ["key"]


@admin.register(TicketCounter)
class TicketCounterAdmin(ReadOnlyAdmin):
    list_display = ["value"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["ticket", "customer"]
    raw_id_fields = ["ticket", "customer"]


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "team"]
    list_select_related = ["owner", "team"]
    search_fields = ["name"]


@admin.register(TicketSearchEntry)
class TicketSearchEntryAdmin(ReadOnlyAdmin):
    """Made by the search index job; operators rebuild it with `nordesk search-reindex`."""

    list_display = ["ticket", "version"]
    raw_id_fields = ["ticket"]


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    """Read only: a change made here would leave the ticket's time_spent history behind.
    Agents change manual entries on the ticket page (services.time_entry_update)."""

    list_display = ["ticket", "agent", "seconds", "source", "started_at"]
    list_filter = ["source"]
    list_select_related = ["ticket", "agent"]
    raw_id_fields = ["ticket", "agent"]
