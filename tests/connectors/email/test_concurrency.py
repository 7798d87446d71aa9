"""The same mail arriving twice at the same moment (a provider retrying, a backup MX, two of
our addresses on one mail) is still one message: races need real connections, so these run
in threads against a committed database, on SQLite and on PostgreSQL."""

import threading
import traceback

import pytest
from django.db import connection

from nordesk.connectors.email import services
from nordesk.connectors.email.models import Mailbox, RawEmail, RawStatus
from nordesk.tickets.models import Message, Ticket
from tests.connectors.email import builders
from tests.connectors.email.builders import MAILBOX_ADDRESS

pytestmark = pytest.mark.django_db(transaction=True)

IN_MEMORY_SQLITE = (
    "Django's in-memory SQLite test database is one shared cache: a second writer gets "
    "'database table is locked' at once instead of waiting (busy_timeout) as on the file "
    "database Nordesk runs on. Run with NORDESK_TEST_DATABASE_NAME=/tmp/nordesk-test.sqlite3 "
    "or against PostgreSQL (NORDESK_DATABASE_URL)."
)

MESSAGE_ID = "<samtidig@example.no>"
ROUNDS = 3


def mail(*, message_id: str = MESSAGE_ID, to: str = MAILBOX_ADDRESS) -> bytes:
    return builders.mail(message_id=message_id, to=to)


def _race(deliveries: list[tuple[Mailbox, bytes]]) -> list[services.IngestResult]:
    """Every delivery at once, each in its own thread (and so its own connection)."""
    barrier = threading.Barrier(len(deliveries))
    results: list[services.IngestResult] = []
    errors: list[BaseException] = []

    def work(mailbox: Mailbox, raw: bytes) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.mail_ingest(mailbox=mailbox, raw=raw, source="smtp"))
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=delivery) for delivery in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a delivery hung"
    assert errors == [], "".join(line for exc in errors for line in traceback.format_exception(exc))
    assert len(results) == len(deliveries)
    return results


@pytest.fixture(autouse=True)
def _real_locking(db) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(IN_MEMORY_SQLITE)


@pytest.fixture
def mailbox(db) -> Mailbox:
    return services.mailbox_create(name="Nordesk kundeservice", address="support@nordesk.test")


@pytest.fixture
def second_mailbox(db) -> Mailbox:
    return services.mailbox_create(name="Nordesk faktura", address="faktura@nordesk.test")


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_same_mail_delivered_twice_at_once_is_one_message(mailbox, round_):
    message_id = f"<samtidig-{round_}@example.no>"
    raw = mail(message_id=message_id)

    # when the same bytes are delivered twice at the same moment
    results = _race([(mailbox, raw), (mailbox, raw)])

    # then there is one message on one ticket, and one delivery was told it is a duplicate
    assert Message.objects.filter(external_id=message_id).count() == 1
    assert Ticket.objects.count() == 1
    assert RawEmail.objects.count() == 1
    assert sorted(result.duplicate for result in results) == [False, True]
    first = next(result for result in results if not result.duplicate)
    assert first.status == RawStatus.PROCESSED
    assert first.created_ticket is True
    assert Ticket.objects.get().pk == first.ticket_id
    assert {result.raw_id for result in results} == {first.raw_id}


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_same_message_id_to_two_of_our_mailboxes_at_once_is_one_message(
    mailbox, second_mailbox, round_
):
    message_id = f"<to-adresser-{round_}@example.no>"
    raw = mail(message_id=message_id, to="support@nordesk.test, faktura@nordesk.test")
    relayed = b"Received: from mx2.example.no by mx.nordesk.test; Thu, 12 Sep 2026\r\n" + raw

    # when the mail reaches both mailboxes at the same moment, by two routes
    results = _race([(mailbox, raw), (second_mailbox, relayed)])

    # then it is one message on one ticket; both copies are kept and point at it
    message = Message.objects.get(external_id=message_id)
    assert Ticket.objects.count() == 1
    assert {result.ticket_id for result in results} == {message.ticket_id}
    assert sorted(result.created_ticket for result in results) == [False, True]
    raws = RawEmail.objects.order_by("mailbox_id")
    assert [r.mailbox_id for r in raws] == [mailbox.pk, second_mailbox.pk]
    assert {r.message_id for r in raws} == {message.pk}
    assert sorted(r.status for r in raws) == [RawStatus.IGNORED, RawStatus.PROCESSED]
