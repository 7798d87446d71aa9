import hashlib
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from nordesk.core.uploads import content_type_sniff, safe_filename

from ..errors import AttachmentNotFound, AttachmentTooLarge
from ..inbound import InboundAttachment
from ..models import Attachment, Message


def _attachment_build(*, filename: str, content: bytes) -> Attachment:
    if len(content) > settings.MAX_ATTACHMENT_BYTES:
        raise AttachmentTooLarge(
            _("%(name)s is larger than %(limit)s bytes.")
            % {"name": filename, "limit": settings.MAX_ATTACHMENT_BYTES},
            field="file",
        )
    safe_name = safe_filename(filename)
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
