"""Several sending scans at once on PostgreSQL: each due survey goes out exactly once. Real
processes, each with its own connection, against the committed test database."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

from nordesk.csat.models import Survey
from tests.csat.helpers import solve
from tests.factories import make_agent, make_team, make_ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

WORKERS, TICKETS = 4, 30

WORKER = textwrap.dedent(
    """
    import sys, time
    from datetime import timedelta
    from pathlib import Path
    import django
    django.setup()
    from django.core import mail
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY
    HUEY.immediate = True  # the mail a survey queues is sent here, not through Redis
    mail.outbox = []
    from nordesk.csat import services
    start = Path(sys.argv[1])
    while not start.exists():
        time.sleep(0.005)
    sent = services.surveys_send_due(now=timezone.now() + timedelta(hours=2), limit=10)
    sent += services.surveys_send_due(now=timezone.now() + timedelta(hours=2))
    print(sent, len(mail.outbox))
    """
)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("scans racing in separate processes need PostgreSQL")


def _worker_env() -> dict[str, str]:
    settings = connection.settings_dict
    url = "postgresql://{USER}@{HOST}:{PORT}/{NAME}".format(**settings)
    env = {
        **os.environ,
        "NORDESK_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "nordesk.settings",
        "NORDESK_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("NORDESK_REDIS_URL", None)
    return env


def test_racing_scans_send_each_survey_once(postgresql, tmp_path):
    team = make_team("Billing")
    kari = make_agent("Kari Nordmann", teams=(team,))
    for n in range(TICKETS):
        solve(make_ticket(team=team, address=f"kunde{n}@example.no"), kari.user)

    start = tmp_path / "start"
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter running our worker code
            [sys.executable, "-c", WORKER, str(start)],
            env=_worker_env(),
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    start.touch()
    sent = mails = 0
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        worker_sent, worker_mails = map(int, out.split())
        sent, mails = sent + worker_sent, mails + worker_mails

    assert (sent, mails) == (TICKETS, TICKETS)
    assert Survey.objects.filter(sent_at__isnull=False).count() == TICKETS
