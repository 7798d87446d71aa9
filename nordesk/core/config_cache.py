"""Configuration that every intake reads and admins rarely change (routing rules, SLA
policies): read through Django's cache so a new ticket does not pay a query for each.

The cache is Redis when NORDESK_REDIS_URL is set (shared by every process) and in-process
memory in the embedded set-up (one process). Saving or deleting a row drops its entry after
commit; the short lifetime bounds how stale a process can be if a change came from elsewhere
(a `nordesk worker` without Redis has a memory of its own)."""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
LIFETIME_SECONDS = 10


def config_cached(key: str, load: Callable[[], T]) -> T:
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, LIFETIME_SECONDS)
    return value


def config_changed(key: str) -> None:
    """Drop the entry now, for this transaction's own reads, and again after commit, in case
    another process cached the old rows in between."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
