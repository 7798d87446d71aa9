"""A settings section: what its list shows and which services its pages call (the views in
`settings_views` are the same for every section)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from . import settings_forms as forms

FormFactory = Callable[[Any, Any], forms.SettingsForm]


@dataclass(frozen=True)
class Row:
    """One line of a section's list: the definition and what the list shows beside it."""

    obj: Any
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pk(self) -> int:
        return int(self.obj.pk)


@dataclass(frozen=True)
class Section:
    key: str  # URL names web:settings_<key>, …_create, …_edit, …_delete, …_move
    path: str
    title: Promise
    new_title: Promise
    intro: Promise
    columns: tuple[Promise, ...]
    row_template: str
    rows: Callable[[], list[Row]]
    get: Callable[[int], Any]
    form: FormFactory
    done: dict[str, Promise]  # "created", "saved", "deleted": with %(name)s
    create: Callable[[dict[str, Any]], Any] | None = None
    update: Callable[[Any, dict[str, Any]], Any] | None = None
    delete: Callable[[Any], None] | None = None
    # Ordered sections: every id in order, and the service that stores a new order.
    order: Callable[[], list[int]] | None = None
    reorder: Callable[[list[int]], Any] | None = None
    label: Callable[[Any], str] = str
    # The edit form's URL argument, when it is not the object's pk (agents: the user id).
    edit_arg: Callable[[Any], int] = lambda obj: int(obj.pk)

    @property
    def can_create(self) -> bool:  # templates call callables: they ask this instead
        return self.create is not None

    @property
    def url_list(self) -> str:
        return f"web:settings_{self.key}"

    @property
    def url_create(self) -> str:
        return f"web:settings_{self.key}_create"

    @property
    def url_edit(self) -> str:
        return f"web:settings_{self.key}_edit"

    @property
    def url_delete(self) -> str:
        return f"web:settings_{self.key}_delete"

    @property
    def url_move(self) -> str:
        return f"web:settings_{self.key}_move"

    def url_list_path(self) -> str:
        return reverse(self.url_list)


def done(created: Promise, saved: Promise, deleted: Promise | None = None) -> dict[str, Promise]:
    done = {"created": created, "saved": saved}
    if deleted is not None:
        done["deleted"] = deleted
    return done
