"""Message HTML is shown in a sandboxed frame of its own (`srcdoc`): no script runs in it (the
sandbox has no allow-scripts), and the policy in its head lets it load images only from our
origin (inline `cid:` images, served as attachments) and `data:` URLs. A remote image tells its
sender when the message was read, so it loads only when the agent asks: the page then swaps in
the second document, whose policy also allows https: and http: images."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

from nordesk.tickets.services.html import html_for_display

# The page's look inside the frame; the sanitiser has removed every style the sender wrote.
FRAME_STYLE = (
    "html{color-scheme:light}"
    "body{margin:0;color:#1c2430;font:0.9375rem/1.5 system-ui,-apple-system,'Segoe UI',"
    "Roboto,'Helvetica Neue',Arial,sans-serif;overflow-wrap:anywhere}"
    "a{color:#1b4fa8}"
    "p{margin:0 0 .75rem}"
    "img{max-width:100%;height:auto}"
    "table{max-width:100%;border-collapse:collapse}"
    "pre{white-space:pre-wrap;font-family:ui-monospace,Menlo,Consolas,monospace}"
    "blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid #d6dbe2;color:#545e6c}"
)
# Links open in a new tab (the frame may open one, never navigate the page); requests from the
# frame send no Referer, so a remote image's server does not learn the ticket's address.
DOCUMENT = (
    '<!doctype html><html><head><meta charset="utf-8">'
    '<meta http-equiv="Content-Security-Policy" content="{policy}">'
    '<meta name="referrer" content="no-referrer">'
    '<base target="_blank">'
    "<style>{style}</style></head><body>{body}</body></html>"
)


@dataclass(frozen=True)
class MessageFrame:
    srcdoc: SafeString  # escaped for an attribute value
    remote_srcdoc: SafeString | None  # the same with remote images; None when it has none


@dataclass(frozen=True)
class Avatar:
    """A coloured circle with the author's initials (no images from anywhere)."""

    initials: str
    colour: int  # one of AVATAR_COLOURS classes in nordesk.css


@dataclass(frozen=True)
class ThreadItem:
    message: Any
    frame: MessageFrame | None  # None: the message is shown as plain text
    avatar: Avatar
    previews: list[Any]  # attachments shown as thumbnails (raster images, PDFs' first pages)


AVATAR_COLOURS = 8
# Raster images only: an SVG may carry script, and a thumbnail never needs it. A PDF shows a
# picture of its first page (tickets.previews).
PREVIEW_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})


def request_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def frame_policy(origin: str, *, remote_images: bool) -> str:
    images = f"data: {origin}" + (" https: http:" if remote_images else "")
    return f"default-src 'none'; img-src {images}; style-src 'unsafe-inline'"


def frame_document(body: str, *, policy: str) -> SafeString:
    """The frame's whole document, escaped as one attribute value. `body` must be sanitised
    HTML. Django's `escape` escapes even a string marked safe, so nothing in the document can
    end the attribute."""
    document = DOCUMENT.format(policy=escape(policy), style=FRAME_STYLE, body=body)
    return escape(document)


def message_frame(message: Any, *, origin: str) -> MessageFrame | None:
    """How a message's HTML is shown, or None when it has none (its text is shown instead).
    Uses the message's prefetched attachments: no queries."""
    if not message.html:
        return None
    inline_images = {
        attachment.content_id: reverse(
            "api:attachment_download", kwargs={"attachment_id": attachment.pk}
        )
        for attachment in message.attachments.all()
        if attachment.content_id
    }
    display = html_for_display(message.html, inline_images=inline_images)
    if not display.html.strip():
        return None
    remote = display.html_with_remote_images
    return MessageFrame(
        srcdoc=frame_document(display.html, policy=frame_policy(origin, remote_images=False)),
        remote_srcdoc=(
            frame_document(remote, policy=frame_policy(origin, remote_images=True))
            if remote
            else None
        ),
    )


def author_display_name(message: Any) -> str:
    """Who wrote a message, as the thread shows it. Uses the selected authors: no queries."""
    if message.author_user is not None:
        user = message.author_user
        return user.get_full_name() or user.get_username()
    if message.author_customer is not None and message.author_customer.name:
        return message.author_customer.name
    return message.author_address or str(message.get_author_kind_display())


def avatar(name: str) -> Avatar:
    words = [word for word in name.replace("@", " ").replace(".", " ").split() if word[0].isalnum()]
    initials = "".join(word[0] for word in (words[:1] + words[1:][-1:])).upper() or "?"
    return Avatar(initials=initials, colour=zlib.crc32(name.encode()) % AVATAR_COLOURS)


def thread_items(messages: Iterable[Any], *, origin: str) -> list[ThreadItem]:
    return [
        ThreadItem(
            message=m,
            frame=message_frame(m, origin=origin),
            avatar=avatar(author_display_name(m)),
            previews=[
                a
                for a in m.attachments.all()
                if a.content_type in PREVIEW_TYPES and not a.content_id
            ],
        )
        for m in messages
    ]
