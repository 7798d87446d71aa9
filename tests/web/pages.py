"""Reading rendered pages as a browser would: attribute values unescaped, element by element."""

from html.parser import HTMLParser


class _Elements(HTMLParser):
    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tag = tag
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.found.append({name: value or "" for name, value in attrs})


def elements(page: str, tag: str) -> list[dict[str, str]]:
    """The attributes of every `tag` element in the page, values unescaped."""
    parser = _Elements(tag)
    parser.feed(page)
    parser.close()
    return parser.found


def message_frames(page: str) -> dict[str, dict[str, str]]:
    """The message frames of a ticket page by id, with their attributes unescaped."""
    return {frame["id"]: frame for frame in elements(page, "iframe")}


def document_policy(document: str) -> str:
    """The Content-Security-Policy a frame's document sets for itself."""
    [meta] = [
        meta
        for meta in elements(document, "meta")
        if meta.get("http-equiv", "").lower() == "content-security-policy"
    ]
    return meta["content"]
