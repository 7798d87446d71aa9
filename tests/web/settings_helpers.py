"""What the settings page tests share."""

import re

from django.urls import reverse


def page_text(response) -> str:
    return response.content.decode()


def row_cells(page: str, pk: int) -> list[str]:
    """The text of each cell of the list row of the definition `pk`, tags stripped."""
    row = re.search(rf'<tr id="row-{pk}">(.*?)</tr>', page, re.S)
    assert row, f"no row {pk}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def warm(client) -> None:
    """One request first: the first one of a session notes that the agent is at work."""
    client.get(reverse("web:settings"))
