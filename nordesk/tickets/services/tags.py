from collections.abc import Iterable

from ..models import Tag, Ticket


def tag_normalise(name: str) -> str:
    return "-".join(name.strip().lower().split())[:64]


def tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    """One query when the tags exist (the usual case); a concurrent creator of the same tag
    is absorbed by ignore_conflicts."""
    wanted = sorted({tag_normalise(n) for n in names} - {""})
    if not wanted:
        return []
    found = list(Tag.objects.filter(name__in=wanted))
    missing = set(wanted) - {tag.name for tag in found}
    if missing:
        Tag.objects.bulk_create([Tag(name=n) for n in sorted(missing)], ignore_conflicts=True)
        found += Tag.objects.filter(name__in=missing)
    return found


def tags_attach_to_new_ticket(*, ticket: Ticket, names: Iterable[str]) -> None:
    """A ticket made this instant has no tag rows yet: insert them without asking first."""
    through = Ticket.tags.through
    through.objects.bulk_create(
        [through(ticket_id=ticket.pk, tag_id=tag.pk) for tag in tags_get_or_create(names)]
    )
