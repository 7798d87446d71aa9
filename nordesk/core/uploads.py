"""What every stored upload goes through, whichever app keeps it: its type read from its own
bytes (what the sender claimed is not trusted) and a file name safe to store and offer."""

import filetype
from django.utils.text import get_valid_filename

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


def safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    try:
        return get_valid_filename(name)[:255]
    except Exception:  # noqa: BLE001 - Django refuses names like "..": give it a neutral one
        return "attachment"
