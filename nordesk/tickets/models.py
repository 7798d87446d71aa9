from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    ON_HOLD = "on_hold", _("On hold")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


# Which status may follow which. A customer reply reopens solved; closed is final.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.SOLVED}),
    Status.OPEN: frozenset({Status.PENDING, Status.ON_HOLD, Status.SOLVED}),
    Status.PENDING: frozenset({Status.OPEN, Status.ON_HOLD, Status.SOLVED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
UNSOLVED = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)
# Work an agent holds against their capacity: not waiting on the customer, not done.
ACTIVE_WORK = (Status.NEW, Status.OPEN)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# Priorities in their order (low 0 … urgent 3): the inbox sorts by it, through an index of it.
PRIORITY_RANK = models.Case(
    *(
        models.When(priority=value, then=models.Value(rank))
        for rank, value in enumerate(Priority.values)
    ),
    output_field=models.IntegerField(),
)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEB = "web", _("Web form")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social")
    PHONE = "phone", _("Phone")
    API = "api", _("API")


class TicketCounter(models.Model):
    """SQLite: one row whose value is the last ticket number handed out, updated under the
    database's write lock. PostgreSQL uses the sequence tickets_ticket_number_seq instead."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    CHECKBOX = "checkbox", _("Checkbox")


class CustomFieldDefinition(models.Model):
    key = models.SlugField(_("key"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=FieldKind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return self.label


class Ticket(TimeStamped):
    number = models.BigIntegerField(_("number"), unique=True)
    subject = models.CharField(_("subject"), max_length=250)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # db_index=False where a composite index below starts with the column: a second index
    # would only cost every insert.
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    organisation = models.ForeignKey(
        "customers.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,
    )
    tags = models.ManyToManyField(Tag, related_name="tickets", blank=True)
    category = models.CharField(_("category"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    # Rarely set: partial indexes below, so the common NULL costs no index entry.
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        db_index=False,
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        db_index=False,
    )
    last_message_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    # When the ticket last joined its team's queue (created, moved to the team, unassigned):
    # the wait that orders the queue and relaxes or overflows it.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    # The earliest due time of the ticket's running SLA clocks, kept by the SLA app, so queues
    # and the inbox sort by urgency without joining the clocks.
    sla_due_at = models.DateTimeField(_("SLA due"), null=True, blank=True)
    transfer_count = models.PositiveIntegerField(_("transfers"), default=0)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["updated_at", "id"], name="ticket_updated"),
            models.Index(fields=["status", "updated_at", "id"], name="ticket_status_updated"),
            models.Index(
                fields=["team", "status", "updated_at", "id"], name="ticket_team_status_updated"
            ),
            models.Index(
                fields=["assignee", "status", "updated_at", "id"], name="ticket_assignee_status"
            ),
            models.Index(fields=["customer", "created_at"], name="ticket_customer_created"),
            models.Index(fields=["channel", "updated_at", "id"], name="ticket_channel_updated"),
            models.Index(
                fields=["follow_up_of"],
                name="ticket_follow_up_of",
                condition=models.Q(follow_up_of__isnull=False),
            ),
            models.Index(
                fields=["merged_into"],
                name="ticket_merged_into",
                condition=models.Q(merged_into__isnull=False),
            ),
            models.Index(
                fields=["sla_due_at", "id"],
                name="ticket_sla_due",
                condition=models.Q(sla_due_at__isnull=False),
            ),
            # The inbox's counts read these alone (listing.view_counts): the unsolved tickets
            # of a scope and the recently solved ones, whatever else the table holds.
            models.Index(
                fields=["team", "assignee", "status", "sla_due_at"],
                name="ticket_unsolved_scope",
                condition=models.Q(status__in=UNSOLVED),
            ),
            models.Index(
                fields=["solved_at", "team", "assignee"],
                name="ticket_solved_at",
                condition=models.Q(status=Status.SOLVED),
            ),
            # The inbox's priority order (listing.SORT_ORDERS), walked instead of sorted.
            models.Index(
                PRIORITY_RANK.desc(),
                models.F("updated_at").desc(),
                models.F("id").desc(),
                name="ticket_priority_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"


class Direction(models.TextChoices):
    IN = "in", _("Incoming")
    OUT = "out", _("Outgoing")


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Agent")
    SYSTEM = "system", _("System")
    BOT = "bot", _("Bot")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal note")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ThreadStrategy(models.TextChoices):
    """Why a message landed on its ticket, shown to agents."""

    NEW = "new", _("it started a new conversation")
    SIGNED_REFERENCE = "signed_reference", _("it answers a message we sent on this ticket")
    PLUS_ADDRESS = "plus_address", _("it was sent to this ticket's reply address")
    THREAD_KEY = "thread_key", _("it belongs to the same conversation")
    SUBJECT_TOKEN = "subject_token", _("its subject names this ticket and its sender belongs")
    FOLLOW_UP = "follow_up", _("it answers a closed ticket")


class Message(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    author_customer = models.ForeignKey(
        "customers.Customer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The address it came from: agents see it, not only a display name anyone can choose.
    author_address = models.CharField(max_length=320, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    text = models.TextField(blank=True)
    # The history an email reply quoted: kept, shown folded.
    quoted = models.TextField(blank=True)
    html = models.TextField(blank=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)
    thread_strategy = models.CharField(max_length=20, choices=ThreadStrategy.choices, blank=True)
    delivery_status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, blank=True, default=""
    )
    delivery_error = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            # Idempotency: the same external id on a channel is one message, enforced here.
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=Q(external_id__isnull=False),
                name="message_channel_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="message_thread"),
            models.Index(
                fields=["author_user"],
                name="message_author_user",
                condition=models.Q(author_user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Participant(models.Model):
    """Someone besides the customer who takes part in a ticket (a colleague in Cc): their
    answers continue the ticket like the customer's."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="participants")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "customer"], name="participant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} on {self.ticket_id}"


class Attachment(models.Model):
    """A file on a message; before it is attached (API upload) it belongs to its uploader."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    # An inline image's Content-ID: the message's HTML shows it as "cid:<content_id>".
    content_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class ThreadKey(models.Model):
    """A conversation key a channel supplies (Message-ID, chat session, conversation id)."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    key = models.CharField(max_length=255)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="thread_keys")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="threadkey_channel_key"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.key}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    MESSAGE_IN = "message_in", _("Message received")
    MESSAGE_OUT = "message_out", _("Reply sent")
    NOTE = "note", _("Internal note")
    STATUS = "status", _("Status changed")
    PRIORITY = "priority", _("Priority changed")
    ASSIGNMENT = "assignment", _("Assignment changed")
    TEAM = "team", _("Team changed")
    TAGS = "tags", _("Tags changed")
    FIELDS = "fields", _("Fields changed")
    MERGED = "merged", _("Merged")
    CUSTOMER = "customer", _("Customer changed")
    FOLLOW_UP = "follow_up", _("Follow-up opened")
    DELIVERY_FAILED = "delivery_failed", _("Delivery failed")
    TRANSFERRED = "transferred", _("Transferred")
    ESCALATED = "escalated", _("Escalated")
    CSAT = "csat", _("CSAT received")
    TIME_SPENT = "time_spent", _("Time spent")


class EscalationReason(models.TextChoices):
    SPECIALIST = "specialist", _("Needs a specialist")
    ANGRY_CUSTOMER = "angry_customer", _("Angry customer")
    LEGAL = "legal", _("Legal")
    OTHER = "other", _("Other")


class TicketEvent(models.Model):
    """Immutable history: written once by the service that made the change, never updated."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [
            models.Index(fields=["ticket", "created_at", "id"], name="event_ticket"),
            models.Index(
                fields=["actor_user"],
                name="event_actor_user",
                condition=models.Q(actor_user__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class SavedView(TimeStamped):
    """An inbox view an agent saved: the inbox's filters, sort and columns; theirs alone, or
    shared with one of their teams."""

    name = models.CharField(_("name"), max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("shared with team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_views",
    )
    # The inbox filter form's fields as typed, so a view keeps meaning what the form means.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    sort = models.CharField(_("sort"), max_length=16, default="updated")
    columns = models.JSONField(_("columns"), default=list, blank=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return self.name


class TicketSearchEntry(models.Model):
    """A ticket's row in the search index, written only by tickets.search: the ticket's
    `updated_at` when it was indexed (a ticket whose `updated_at` differs is indexed again) and
    its messages' text, which snippets are cut from. Migration 0008 adds the words: a tsvector
    column `document` with a GIN index on PostgreSQL, the FTS5 table tickets_search_fts (rowid =
    ticket id) on SQLite."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    version = models.DateTimeField()
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"search entry of {self.ticket_id}"


class TimeSource(models.TextChoices):
    TRACKED = "tracked", _("Tracked")
    MANUAL = "manual", _("Manual")


class TimeEntry(TimeStamped):
    """Time an agent spent on a ticket: active time the ticket page measured (tracked, one row
    per page visit, its `session` the page's key) or an entry the agent logged by hand. Every
    change writes a time_spent TicketEvent with the difference, so the ticket's history sums
    to its entries."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="time_entries", db_index=False
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="time_entries",
    )
    seconds = models.PositiveIntegerField(_("seconds"))
    source = models.CharField(_("source"), max_length=10, choices=TimeSource.choices)
    started_at = models.DateTimeField(_("started"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    session = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [models.Index(fields=["ticket", "started_at", "id"], name="time_entry_ticket")]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "agent", "session"],
                condition=~Q(session=""),
                name="time_entry_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.seconds} s on {self.ticket_id} by {self.agent_id}"
