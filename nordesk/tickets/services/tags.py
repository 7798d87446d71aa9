from collections.abc import Iterable

from ..models import Tag


def tag_normalise(name: str) -> str:
    return "-".join(name.strip().lower().split())[:64]


def tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    wanted = sorted({tag_normalise(n) for n in names} - {""})
    if not wanted:
        return []
    Tag.objects.bulk_create([Tag(name=n) for n in wanted], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=wanted))
