from django.db import models
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped


class Inbound(models.TextChoices):
    IMAP = "imap", _("IMAP polling")
    SMTP = "smtp", _("SMTP/LMTP receiver")
    WEBHOOK = "webhook", _("HTTP endpoint (raw MIME)")


class ImapSecurity(models.TextChoices):
    SSL = "ssl", _("IMAPS (TLS)")
    STARTTLS = "starttls", _("STARTTLS")
    NONE = "none", _("None (trusted network only)")


class AfterFetch(models.TextChoices):
    MOVE = "move", _("Move to a folder")
    FLAG = "flag", _("Flag")
    DELETE = "delete", _("Delete")


class Mailbox(TimeStamped):
    """A support address, its brand and how its mail reaches us."""

    name = models.CharField(_("brand name"), max_length=100)
    address = models.EmailField(_("address"), unique=True)
    signature = models.TextField(_("signature"), blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default team"),
    )
    language = models.CharField(_("default language"), max_length=8, blank=True)
    auto_acknowledge = models.BooleanField(_("acknowledge new tickets"), default=False)
    trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_("Honour X-Nordesk-* control headers (only for mail from your own systems)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    inbound = models.CharField(
        _("mail arrives by"), max_length=10, choices=Inbound.choices, default=Inbound.IMAP
    )
    imap_host = models.CharField(_("IMAP host"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("IMAP security"), max_length=10, choices=ImapSecurity.choices, default=ImapSecurity.SSL
    )
    imap_username = models.CharField(_("IMAP user name"), max_length=255, blank=True)
    imap_password_encrypted = models.TextField(blank=True)
    imap_folder = models.CharField(_("IMAP folder"), max_length=255, default="INBOX")
    after_fetch = models.CharField(
        _("after fetching"), max_length=10, choices=AfterFetch.choices, default=AfterFetch.MOVE
    )
    processed_folder = models.CharField(
        _("folder for processed mail"), max_length=255, default="Nordesk/Processed"
    )
    poll_seconds = models.PositiveIntegerField(_("poll interval (seconds)"), default=60)
    # Where polling resumes: UIDs are only meaningful within one UIDVALIDITY.
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True)
    imap_last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    webhook_secret_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"


class RawStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Ignored")
    QUARANTINED = "quarantined", _("Quarantined")
    DISCARDED = "discarded", _("Discarded")


class RawEmail(models.Model):
    """Every message exactly as it arrived, stored before it is parsed: nothing a customer
    sent is lost, whatever the parser or the pipeline makes of it."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="raw_emails")
    source = models.CharField(max_length=10)  # imap, smtp, webhook, import
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    # In the database, beside the message it became: small blobs are faster there than as
    # files, and a backup holds both or neither. Lists defer it.
    content = models.BinaryField()
    received_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=RawStatus.choices, default=RawStatus.RECEIVED)
    reason = models.TextField(blank=True)
    message = models.ForeignKey(
        "tickets.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("raw email")
        verbose_name_plural = _("raw emails")
        constraints = [
            # The same bytes delivered twice to one mailbox are one message.
            models.UniqueConstraint(fields=["mailbox", "sha256"], name="rawemail_mailbox_sha256")
        ]
        indexes = [
            models.Index(
                fields=["status", "received_at"],
                name="rawemail_quarantine",
                condition=models.Q(status="quarantined"),
            ),
            models.Index(
                fields=["message"],
                name="rawemail_message",
                condition=models.Q(message__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.status})"


class AutoReplyLog(models.Model):
    """When we last acknowledged an address: caps auto-replies so two helpdesks answering
    each other stop after the first round."""

    address = models.CharField(max_length=320, unique=True)
    last_sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.address} {self.last_sent_at:%Y-%m-%d %H:%M}"
