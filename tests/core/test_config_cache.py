"""The config cache: rows loaded once per process and version, the shared token looked at no
more than once a second a key."""

import pytest
from django.core.cache import cache

from nordesk.core import config_cache
from nordesk.core.config_cache import CHECK_SECONDS, config_cached, config_changed

KEY = "test:config"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(config_cache.time, "monotonic", clock)
    return clock


@pytest.fixture
def rows():
    """What the database holds, and how many times it was loaded."""

    class Rows:
        value = "first"
        loads = 0

        def load(self) -> str:
            self.loads += 1
            return self.value

    return Rows()


@pytest.fixture
def cache_reads(monkeypatch) -> list[str]:
    reads: list[str] = []
    real = cache.get

    def get(key, *args, **kwargs):
        reads.append(key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", get)
    return reads


def test_rows_are_loaded_once_and_the_shared_token_looked_at_once_a_second(
    clock, rows, cache_reads
):
    assert config_cached(KEY, rows.load) == "first"
    looks = len(cache_reads)
    for _ in range(50):
        clock.now += CHECK_SECONDS / 100
        assert config_cached(KEY, rows.load) == "first"
    assert rows.loads == 1
    assert len(cache_reads) == looks  # half a second of reads, no round trip to the cache

    clock.now += CHECK_SECONDS
    assert config_cached(KEY, rows.load) == "first"
    assert len(cache_reads) > looks
    assert rows.loads == 1  # the token had not changed


@pytest.mark.django_db
def test_a_change_made_here_is_read_at_once(clock, rows):
    config_cached(KEY, rows.load)
    rows.value = "second"
    config_changed(KEY)
    assert config_cached(KEY, rows.load) == "second"


def test_another_processs_change_is_read_within_a_second(clock, rows):
    config_cached(KEY, rows.load)
    rows.value = "second"
    cache.delete(f"{KEY}:version")  # what config_changed does in the other process

    clock.now += CHECK_SECONDS / 2
    assert config_cached(KEY, rows.load) == "first"
    clock.now += CHECK_SECONDS / 2
    assert config_cached(KEY, rows.load) == "second"
