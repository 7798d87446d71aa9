import hashlib
from collections.abc import Iterable, Sequence
from datetime import timedelta

import filetype
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ..errors import AttachmentNotFound, AttachmentTooLarge
from ..inbound import InboundAttachment
from ..models import Attachment, Message

# How long an upload waits for a message: a reply that came back to the agent keeps its files
# as uploads (the form offers them again), and an API client uploads before it posts.
UPLOADS_WAIT = timedelta(days=1)
PURGE_BATCH = 500

# Types that are never served as anything but a download of opaque bytes.
_UNSAFE = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml")


def content_type_sniff(head: bytes) -> str:
    """The type the bytes themselves show; what the sender claimed is not trusted."""
    kind = filetype.guess(head)
    if kind is not None:
        return "application/octet-stream" if kind.mime in _UNSAFE else kind.mime
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script")):
        return "application/octet-stream"
    return "text/plain"


def _safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    try:
        return get_valid_filename(name)[:255]
    except Exception:  # noqa: BLE001 - Django refuses names like "..": give it a neutral one
        return "attachment"


def _attachment_build(*, filename: str, content: bytes) -> Attachment:
    if len(content) > settings.MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(
            _("%(name)s is larger than %(limit)s bytes.")
            % {"name": filename, "limit": settings.MAX_ATTACHMENT_BYTES},
            field="file",
        )
    safe_name = _safe_filename(filename)
    attachment = Attachment(
        filename=safe_name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=content_type_sniff(content[:8192]),
    )
    attachment.file.save(safe_name, ContentFile(content), save=False)
    return attachment


def attachments_store(*, message: Message, inbound: Sequence[InboundAttachment]) -> None:
    if not inbound:
        return
    rows = [_attachment_build(filename=a.filename, content=a.content) for a in inbound]
    for row, given in zip(rows, inbound, strict=True):
        row.message = message
        row.content_id = given.content_id[:255]
    Attachment.objects.bulk_create(rows)


def attachment_upload(*, uploaded_by: User, file: UploadedFile) -> Attachment:
    """An upload waiting to be attached to a reply or note by the same user."""
    if file.size is not None and file.size > settings.MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(field="file")
    attachment = _attachment_build(filename=file.name or "attachment", content=file.read())
    attachment.uploaded_by = uploaded_by
    attachment.save()
    return attachment


def attachments_attach(*, message: Message, attachment_ids: Iterable[int], actor: User) -> None:
    ids = set(attachment_ids)
    if not ids:
        return
    updated = Attachment.objects.filter(id__in=ids, uploaded_by=actor, message__isnull=True).update(
        message=message
    )
    if updated != len(ids):
        raise AttachmentNotFound(
            _("One or more attachments do not exist or are not yours to attach."),
            field="attachments",
        )


def uploads_unclaimed_purge() -> int:
    """Delete, with their files, the uploads no message took within UPLOADS_WAIT (a reply
    abandoned after it came back, an API upload never attached). Returns how many."""
    cutoff = timezone.now() - UPLOADS_WAIT
    purged = 0
    while batch := list(
        Attachment.objects.filter(message__isnull=True, created_at__lt=cutoff)[:PURGE_BATCH]
    ):
        for upload in batch:
            upload.file.delete(save=False)
        Attachment.objects.filter(pk__in=[upload.pk for upload in batch]).delete()
        purged += len(batch)
    return purged
