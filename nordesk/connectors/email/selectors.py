from django.db.models import Count, QuerySet

from .models import Mailbox, RawEmail, RawStatus


def mailbox_by_address(address: str) -> Mailbox | None:
    return Mailbox.objects.filter(address=address.strip().lower()).first()


def mailbox_default() -> Mailbox | None:
    return Mailbox.objects.filter(is_active=True).order_by("pk").first()


def mailbox_list() -> QuerySet[Mailbox]:
    return Mailbox.objects.select_related("team").order_by("name")


def mailbox_get(*, mailbox_id: int) -> Mailbox | None:
    return Mailbox.objects.filter(pk=mailbox_id).first()


def quarantine_list(*, limit: int = 100) -> QuerySet[RawEmail]:
    return (
        RawEmail.objects.defer("content")
        .select_related("mailbox")
        .filter(status=RawStatus.QUARANTINED)
        .order_by("-received_at")[:limit]
    )


def quarantine_count() -> int:
    return RawEmail.objects.filter(status=RawStatus.QUARANTINED).count()


def raw_email_counts() -> dict[str, int]:
    """How many messages each outcome has had, every status present (0 when none)."""
    counts = dict.fromkeys(RawStatus.values, 0)
    for row in RawEmail.objects.values("status").annotate(count=Count("id")).order_by():
        counts[row["status"]] = row["count"]
    return counts


def raw_email_get(*, raw_id: int) -> RawEmail | None:
    return RawEmail.objects.defer("content").select_related("mailbox").filter(pk=raw_id).first()


def raw_email_content(*, raw_id: int) -> bytes:
    content = RawEmail.objects.filter(pk=raw_id).values_list("content", flat=True).first()
    return bytes(content) if content is not None else b""
