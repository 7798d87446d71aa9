"""Fixed-window counters in Django's cache (Redis when configured, so every process counts
together): how often a person may do something costly or abusable."""

import hashlib

from django.core.cache import cache


def _cache_key(scope: str, key: str) -> str:
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"rate:{scope}:{digest}"


def rate_limit_reached(*, scope: str, key: str, limit: int) -> bool:
    """Whether `key` has used up `limit` attempts at `scope` in the current window, without
    counting one (for limits on failures, counted by `rate_limit_hit` when they happen)."""
    return int(cache.get(_cache_key(scope, key), 0)) >= limit


def rate_limit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one more attempt at `scope` by `key` (an address, an IP); True when this attempt
    goes over `limit` within the window, which starts at the first attempt."""
    cache_key = _cache_key(scope, key)
    cache.add(cache_key, 0, timeout=window_seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr
        cache.set(cache_key, 1, timeout=window_seconds)
        count = 1
    return count > limit
