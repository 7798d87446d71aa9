"""What every benchmark shares: a throwaway database and data dir, Django set up and migrated,
and query counting. Import it before anything from Django or Nordesk.

SQLite (the default) lives in a fresh temporary NORDESK_DATA_DIR, never the developer's var/.
With NORDESK_DATABASE_URL set to PostgreSQL the benchmark drops and re-creates a database of
its own: the URL's database if its name contains "bench", else that name + "_bench".

Jobs, the cache and the channel layer stay in the process and its data dir, never in a
developer's Redis. NORDESK_BENCH_REDIS_URL names a Redis database the benchmark may have to
itself, as a PostgreSQL deployment runs: it is emptied before the run."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BenchEnv:
    db: str  # "sqlite" or "postgresql"
    database: str  # file path or database name
    data_dir: Path
    env: dict[str, str]  # the environment a server subprocess needs to see the same data


def _bench_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "nordesk"
    if "bench" not in name:
        name = f"{name}_bench"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _postgres_recreate(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _redis_empty(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def setup(label: str) -> BenchEnv:
    """Point Django at a fresh database, set it up and migrate. Jobs go to a real (Sqlite)Huey
    queue in the temporary data dir, as in the embedded set-up, or to the bench's own Redis."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"nordesk-bench-{label}-"))
    os.environ["NORDESK_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "nordesk.settings"
    for name in ("NORDESK_REDIS_URL", "NORDESK_HUEY_IMMEDIATE", "NORDESK_DEBUG"):
        os.environ.pop(name, None)
    redis_url = os.environ.get("NORDESK_BENCH_REDIS_URL", "")
    if redis_url:
        _redis_empty(redis_url)
        os.environ["NORDESK_REDIS_URL"] = redis_url
    url = os.environ.get("NORDESK_DATABASE_URL", "")
    if url:
        url, database = _bench_url(url)
        _postgres_recreate(url, database)
        os.environ["NORDESK_DATABASE_URL"] = url
        db = "postgresql"
    else:
        database, db = str(data_dir / "nordesk.sqlite3"), "sqlite"
    sys.path.insert(0, str(ROOT))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    env = {k: v for k, v in os.environ.items() if k.startswith("NORDESK_")}
    env["DJANGO_SETTINGS_MODULE"] = "nordesk.settings"
    return BenchEnv(db=db, database=database, data_dir=data_dir, env=env)


class QueryCounter:
    """Counts the SQL statements Django sends on this thread's connection (no DEBUG needed)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    @contextlib.contextmanager
    def installed(self) -> Iterator[QueryCounter]:
        from django.db import connection

        with connection.execute_wrapper(self):
            yield self


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def log(message: str) -> None:
    """Progress goes to stderr: stdout carries only the JSON result."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
