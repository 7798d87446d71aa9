"""Pictures of PDF attachments' first pages, for the ticket page's thumbnails.

A picture is made the first time someone asks for it, with PDFium (the PDF engine of Chromium,
through pypdfium2), and kept in storage under the file's SHA-256, so the same PDF sent twice
is drawn once. Only the first page is read, at thumbnail size; a file PDFium cannot read
(damaged, encrypted) shows as a blank page's outline."""

from __future__ import annotations

import io
import threading
from functools import cache

import PIL.Image
import PIL.ImageDraw
import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL.Image import Image

from .models import Attachment

PDF = "application/pdf"
WIDTH_PX = 320
MAX_HEIGHT_PX = 640  # a page far taller than wide is drawn smaller, not as a huge bitmap
# PDFium is not thread-safe; previews are rare and quick, so one is drawn at a time.
_pdfium = threading.Lock()


def attachment_preview_png(attachment: Attachment) -> bytes | None:
    """The PNG of the attachment's first page (a blank page when PDFium cannot read it:
    damaged or encrypted), or None when it is not a PDF."""
    if attachment.content_type != PDF:
        return None
    path = f"previews/{attachment.sha256}.png"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return stored.read()
    with attachment.file.open("rb") as pdf:
        png = pdf_first_page_png(pdf.read())
    if png is None:
        return _blank_page()
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(png))
    return png


@cache
def _blank_page() -> bytes:
    """An A4 page's outline, for a PDF without a picture of its own."""
    image = PIL.Image.new("RGB", (WIDTH_PX, round(WIDTH_PX * 297 / 210)), "#f4f5f7")
    PIL.ImageDraw.Draw(image).rectangle(
        (0, 0, image.width - 1, image.height - 1), outline="#c3c8d0", width=2
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def pdf_first_page_png(data: bytes) -> bytes | None:
    with _pdfium:
        try:
            image = _first_page(data)
        except pdfium.PdfiumError:
            return None
    if image is None:
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _first_page(data: bytes) -> Image | None:
    document = pdfium.PdfDocument(data)
    try:
        if len(document) == 0:
            return None
        width, height = document[0].get_size()
        if width <= 0 or height <= 0:
            return None
        scale = min(WIDTH_PX / width, MAX_HEIGHT_PX / height)
        return document[0].render(scale=scale).to_pil()
    finally:
        document.close()
