"""Shape checks of handle time: a manual entry typed on the ticket page, and the active time
the page itself reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nordesk.tickets.services.time_entries import MANUAL_MAX, NOTE_MAX

from .forms import TicketForm

MANUAL_MAX_MINUTES = int(MANUAL_MAX.total_seconds() // 60)


class TimeEntryForm(TicketForm):
    id_prefix = "time"
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MANUAL_MAX_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("What you did"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args: Any, entry_id: int | None = None, **kwargs: Any) -> None:
        if entry_id is not None:
            kwargs.setdefault("auto_id", f"time-{entry_id}-%s")
        super().__init__(*args, **kwargs)


class TimeTrackForm(forms.Form):
    """What ticket-time.js sends: the page visit's key, its active seconds so far, and when
    the server rendered the page (the visit's start, which caps the seconds)."""

    session = forms.CharField(max_length=64)
    seconds = forms.IntegerField(min_value=0, max_value=10_000_000)
    opened_at = forms.DateTimeField()
