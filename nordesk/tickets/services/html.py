import html as html_lib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

import nh3

ALLOWED_TAGS = {
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "cid", "data"}
REMOTE = ("http://", "https://")
INLINE = ("cid:", "data:image/")
LINKS = (*REMOTE, "mailto:")
_BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-4]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")

AttributeFilter = Callable[[str, str, str], str | None]


def _clean(html: str, attribute_filter: AttributeFilter) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def _kept_sources(tag: str, attribute: str, value: str) -> str | None:
    """Images from the web (http/https) and inline ones (`cid:`, `data:image/`); links to the
    web and to mail addresses. Relative URLs would point at our own pages: never."""
    lowered = value.strip().lower()
    if tag == "img" and attribute == "src":
        return value if lowered.startswith((*REMOTE, *INLINE)) else None
    if tag == "a" and attribute == "href":
        return value if lowered.startswith(LINKS) else None
    return value


def html_sanitise(html: str) -> str:
    """Email and web HTML is hostile: keep formatting, drop scripts, handlers and styles.
    Remote images are kept in what is stored; the page decides whether to load them
    (`html_for_display`)."""
    if not html.strip():
        return ""
    return _clean(html, _kept_sources)


@dataclass(frozen=True)
class DisplayHtml:
    html: str  # remote images left out
    html_with_remote_images: str  # "" when the message has none


def html_for_display(html: str, *, inline_images: Mapping[str, str]) -> DisplayHtml:
    """Stored HTML made ready to show, sanitised again (rows stored under older rules get
    today's): a `cid:` image points at `inline_images[content_id]`, or is left out when the
    message has no such attachment. Remote images are left out of `html` (loading one tells
    the sender when the message was read) and kept in `html_with_remote_images`."""
    if not html.strip():
        return DisplayHtml(html="", html_with_remote_images="")
    remote_seen = False

    def sources(tag: str, attribute: str, value: str, *, remote: bool) -> str | None:
        nonlocal remote_seen
        kept = _kept_sources(tag, attribute, value)
        if kept is None or tag != "img" or attribute != "src":
            return kept
        lowered = kept.strip().lower()
        if lowered.startswith("cid:"):
            content_id = kept.strip()[4:]
            return inline_images.get(content_id) or inline_images.get(unquote(content_id))
        if lowered.startswith(REMOTE):
            remote_seen = True
            return kept if remote else None
        return kept

    blocked = _clean(html, lambda tag, attr, value: sources(tag, attr, value, remote=False))
    if not remote_seen:
        return DisplayHtml(html=blocked, html_with_remote_images="")
    shown = _clean(html, lambda tag, attr, value: sources(tag, attr, value, remote=True))
    return DisplayHtml(html=blocked, html_with_remote_images=shown)


def html_to_text(html: str) -> str:
    # A document's <title> is no part of the message a mail client shows.
    visible = nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags={"script", "style", "title"})
    text = _TAG.sub("", _BLOCK_END.sub("\n", visible))
    return re.sub(r"\n{3,}", "\n\n", html_lib.unescape(text)).strip()
