"""The report pages at scale: bench/analytics.py's tickets with a year of history, rebuilt, then
every report page (and the drill-down and the exports) requested as a supervisor through
Django's test client, over 30-, 90- and 365-day ranges: server time without the network.

    .venv/bin/python bench/reports.py [--tickets 1000000] [--repeat 5]

Prints one JSON object: db, tickets, page_p95_ms (every page of every range), page_max_ms,
per-page p95s, each page's query count, and the exports' times."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import analytics  # noqa: E402
import benchenv  # noqa: E402

PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "overview": ("overview", {}),
    "by_team": ("dimension", {"by": "team"}),
    "by_agent": ("dimension", {"by": "agent"}),
    "by_channel": ("dimension", {"by": "channel"}),
    "by_category_email": ("dimension", {"by": "category", "channel": "email"}),
    "over_time": ("time", {}),  # days up to 92, weeks past that
    "by_month": ("time", {"by": "month"}),
    "agents": ("agents", {}),
    "matrix": ("matrix", {}),
    "backlog": ("backlog", {}),
}


def _supervisor():
    from nordesk.accounts import services as account_services

    return account_services.agent_create(
        email="siri@bench.test",
        name="Siri Supervisor",
        role="supervisor",
        password="bench-password-1",  # noqa: S106 - a throwaway database
        teams=(),
        languages=["nb", "en"],
    )


def _get(client: Any, path: str, query: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get(path, query)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} {query}: {response.status_code}")
    return elapsed


def measure(client: Any, today: Any, repeat: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {}
    queries: dict[str, int] = {}
    counter = benchenv.QueryCounter()
    for days in (30, 90, 365):
        dates = {
            "start": (today - timedelta(days=days - 1)).isoformat(),
            "end": today.isoformat(),
        }
        for name, (report, extra) in PAGES.items():
            path = f"/reports/{report}/"
            query = {**dates, **extra}
            _get(client, path, query)  # warm
            for _ in range(repeat):
                timings.setdefault(f"{name}_{days}d", []).append(_get(client, path, query))
            with counter.installed():
                before = counter.count
                _get(client, path, query)
                queries[f"{name}_{days}d"] = counter.count - before
    every = [value for values in timings.values() for value in values]
    dates = {"start": (today - timedelta(days=364)).isoformat(), "end": today.isoformat()}
    exports = {
        "csv_by_agent_365d_ms": _get(
            client, "/reports/dimension/export.csv", {**dates, "by": "agent"}
        ),
        "xlsx_by_agent_365d_ms": _get(
            client, "/reports/dimension/export.xlsx", {**dates, "by": "agent"}
        ),
        "xlsx_by_day_365d_ms": _get(client, "/reports/time/export.xlsx", {**dates, "by": "day"}),
    }
    drill = [
        _get(
            client,
            "/reports/tickets/",
            {**dates, "measure": "solved", "by": "team", "key": "1", "after": str(after)},
        )
        for after in (0, 1000, 100000)
        for _ in range(repeat)
    ]
    return {
        "page_p95_ms": round(benchenv.percentile(every, 95), 1),
        "page_max_ms": round(max(every), 1),
        "page_p95_by_page_ms": {
            name: round(benchenv.percentile(values, 95), 1) for name, values in timings.items()
        },
        "page_queries": queries,
        "drill_down_p95_ms": round(benchenv.percentile(drill, 95), 1),
        **{name: round(value, 1) for name, value in exports.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="requests of each page")
    args = parser.parse_args(argv)
    env = benchenv.setup("reports")
    from django.test import Client
    from django.utils import timezone

    from nordesk.analytics import services

    rng = random.Random(args.seed)
    now = timezone.now().astimezone(UTC)
    analytics.load(args.tickets, rng, now)
    benchenv.log("rebuilding")
    services.analytics_rebuild()
    analytics._analyse()
    client = Client()
    client.force_login(_supervisor().user)
    today = timezone.localdate(now, timezone=services.reporting_zone())
    benchenv.log("measuring the pages")
    result = {"db": env.db, "tickets": args.tickets, **measure(client, today, args.repeat)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
