"""Made-up KPI values for tests of what reads the KPI selectors (tables, exports, schedules,
pages): the selectors' own figures are kpi-core's tests' business."""

from __future__ import annotations

from nordesk.analytics import kpis

NO_TIMES = kpis.Durations(count=0, median=None, p90=None, business_median=None, business_p90=None)


def figures(created: int = 12, solved: int = 9, **overrides) -> kpis.Kpis:
    values = {
        "created": created,
        "solved": solved,
        "first_response": kpis.Durations(
            count=8, median=1800.0, p90=7200.0, business_median=900.0, business_p90=3600.0
        ),
        "next_response": NO_TIMES,
        "resolution": kpis.Durations(
            count=9, median=90000.0, p90=200000.0, business_median=30000.0, business_p90=None
        ),
        "handle_time_avg": 420.0,
        "fcr_rate": 0.5,
        "reopen_rate": 0.1111,
        "transfers_per_ticket": 0.25,
        "csat_good_share": 0.8125,
        "csat_response_rate": 0.4,
        "sla_compliance": {"first_response": 0.75, "next_response": None, "resolution": 1.0},
        "deflection_rate": 0.2,
        "replies": 15,
    }
    values.update(overrides)
    return kpis.Kpis(**values)


class FakeKpis:
    """Patches the KPI selectors with fixed answers and records what they were asked."""

    def __init__(self, monkeypatch):
        self.calls: list[tuple] = []
        self.overall = figures()
        self.groups: dict[str, list] = {
            "team": [
                (kpis.Group("1", "Billing"), figures(created=7, solved=5)),
                (kpis.Group("2", "Technical support"), figures(created=5, solved=4)),
            ],
            "day": [
                (kpis.Group("2026-11-02", "2026-11-02"), figures(created=4, solved=2)),
                (kpis.Group("2026-11-03", "2026-11-03"), figures(created=8, solved=7)),
            ],
        }
        self.ids = list(range(1, 8))
        for name in (
            "kpis_for",
            "kpis_by",
            "topic_channel_matrix",
            "backlog_by_age",
            "agent_productivity",
            "ticket_ids_behind",
            "dimension_labels",
        ):
            monkeypatch.setattr(kpis, name, getattr(self, name))

    def kpis_for(self, cut):
        self.calls.append(("kpis_for", cut))
        return self.overall

    def kpis_by(self, cut, by):
        self.calls.append(("kpis_by", cut, by))
        return self.groups.get(by, [])

    def topic_channel_matrix(self, cut):
        self.calls.append(("matrix", cut))
        return kpis.Matrix(
            rows=[kpis.Group("billing", "billing"), kpis.Group("", "(none)")],
            columns=[kpis.Group("email", "Email"), kpis.Group("chat", "Chat")],
            counts=[[5, 2], [1, 0]],
            row_totals=[7, 1],
            column_totals=[6, 2],
        )

    def backlog_by_age(self, cut, *, now):
        self.calls.append(("backlog", cut, now))
        return [
            (kpis.Group("under_1d", "Under 1 day"), 4),
            (kpis.Group("1_3d", "1–3 days"), 2),
            (kpis.Group("over_30d", "Over 30 days"), 1),
        ]

    def agent_productivity(self, cut):
        self.calls.append(("agents", cut))
        return [
            kpis.AgentFigures(
                agent=kpis.Group("3", "Kari Nordmann"),
                solved=6,
                replies=14,
                handle_time_avg=300.0,
                csat_good_share=0.9,
            )
        ]

    def dimension_labels(self, dimension, keys):
        self.calls.append(("labels", dimension, list(keys)))
        names = {group.key: group.label for group, _figures in self.groups.get(dimension, [])}
        return {key: names.get(key, key) for key in keys}

    def ticket_ids_behind(self, cut, measure, *, group=None, after_id=None, limit=50):
        self.calls.append(("behind", cut, measure, group, after_id, limit))
        ids = [i for i in self.ids if after_id is None or i > after_id]
        return ids[:limit]
