import html as html_lib
import re

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
_BLOCK_END = re.compile(r"</(p|div|li|tr|h[1-4]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _drop_remote_images(tag: str, attribute: str, value: str) -> str | None:
    # A remote image tells its sender when and where an agent read the message.
    if tag == "img" and attribute == "src" and not value.startswith(("cid:", "data:image/")):
        return None
    return value


def html_sanitise(html: str) -> str:
    """Email and web HTML is hostile: keep formatting, drop scripts, handlers, styles and
    remote images (inline `cid:` and `data:` images stay)."""
    if not html.strip():
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_drop_remote_images,
        url_schemes={"http", "https", "mailto", "cid", "data"},
        link_rel="noopener noreferrer nofollow",
    )


def html_to_text(html: str) -> str:
    # A document's <title> is no part of the message a mail client shows.
    visible = nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags={"script", "style", "title"})
    text = _TAG.sub("", _BLOCK_END.sub("\n", visible))
    return re.sub(r"\n{3,}", "\n\n", html_lib.unescape(text)).strip()
