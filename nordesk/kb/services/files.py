"""Images and attachments of an article, kept by the same rules as a ticket's: a size limit,
the type read from the bytes, a safe name; served as downloads (images alone inline)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from nordesk.core.uploads import content_type_sniff, safe_filename

from ..errors import ArticleFileTooLarge, ArticleInvalid
from ..models import Article, ArticleFile
from .articles import Actor, ensure_actor_may_edit

# Raster images a browser shows safely from their own URL; SVG is never one of them.
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def article_file_add(*, article: Article, file: UploadedFile, actor: Actor) -> ArticleFile:
    ensure_actor_may_edit(actor)
    limit = settings.MAX_ATTACHMENT_BYTES
    if file.size is not None and file.size > limit:
        raise ArticleFileTooLarge(
            _("%(name)s is larger than %(limit)s bytes.") % {"name": file.name, "limit": limit},
            field="file",
        )
    content = file.read(limit + 1)
    if len(content) > limit:
        raise ArticleFileTooLarge(field="file")
    if not content:
        raise ArticleInvalid(_("The file is empty."), field="file")
    name = safe_filename(file.name or "attachment")
    row = ArticleFile(
        article=article,
        filename=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=content_type_sniff(content[:8192]),
        uploaded_by=actor,
    )
    row.file.save(name, ContentFile(content), save=False)
    row.save()
    return row
