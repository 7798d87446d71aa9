"""Exit 0 when both PostgreSQL and Redis answer at the given URLs, 1 otherwise (quietly)."""

import sys

import psycopg
import redis


def main(pg_url: str, redis_url: str) -> int:
    try:
        admin_url = pg_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available here"
        print(f"   ({type(exc).__name__}: {exc})", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
