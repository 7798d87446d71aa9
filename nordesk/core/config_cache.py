"""Configuration that every intake and every event reads and admins rarely change (routing
rules, SLA policies, triggers, teams' routing settings): loaded once per process and version,
so a new ticket pays no query, and no unpickling, for it.

Django's cache (Redis when NORDESK_REDIS_URL is set, shared by every process; in-process
memory in the embedded set-up) holds only a version token per key. Each process keeps the
rows it loaded with the token they belong to and reloads when the token differs. Saving or
deleting a row drops the token, now and again after commit, so every process reloads on its
next read; the token's short lifetime bounds how stale a process can be if a change came from
somewhere the cache does not reach (a `nordesk worker` without Redis has a memory of its own).

A process looks at the shared token at most once every CHECK_SECONDS a key: with Redis, a
look is a round trip, and an intake reads a handful of keys a message. So another process's
change is seen within that second; this process's own change at once.
The snapshots are immutable by convention: callers read them and never change them."""

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
LIFETIME_SECONDS = 10
CHECK_SECONDS = 1.0

# key → (version token, loaded value). Replaced whole, never mutated in place; a stale entry
# is only ever served while its token is still the shared one.
_snapshots: dict[str, tuple[str, Any]] = {}
# key → (time.monotonic() of the last look at the shared token, the token seen)
_looked: dict[str, tuple[float, str]] = {}


def _version(key: str) -> str:
    now = time.monotonic()
    looked = _looked.get(key)
    if looked is not None and now - looked[0] < CHECK_SECONDS:
        return looked[1]
    version_key = f"{key}:version"
    version = cache.get(version_key)
    if version is None:
        cache.add(version_key, uuid.uuid4().hex, LIFETIME_SECONDS)
        version = cache.get(version_key) or ""
    _looked[key] = (now, version)
    return version


def config_cached(key: str, load: Callable[[], T]) -> T:
    version = _version(key)
    snapshot = _snapshots.get(key)
    if snapshot is not None and version and snapshot[0] == version:
        return snapshot[1]
    value = load()
    _snapshots[key] = (version, value)
    return value


def config_changed(key: str) -> None:
    """Drop the version now, for this transaction's own reads, and again after commit, in case
    another process loaded the old rows in between."""
    _token_drop(key)
    transaction.on_commit(lambda: _token_drop(key))


def _token_drop(key: str) -> None:
    _looked.pop(key, None)
    cache.delete(f"{key}:version")
