"""The intake's hand-written reads and writes (core.selectors.model_from_row,
core.services.rows_insert / update_write) store and read exactly what the ORM would."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from nordesk.core.selectors import columns_of, model_from_row, raw_rows
from nordesk.core.services import insert_write, rows_insert, update_write
from nordesk.customers.models import Identity
from nordesk.tickets.models import EventKind, ThreadKey, Ticket, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=UTC)


def _orm_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_rows_insert_stores_what_the_orm_reads_back_and_gives_primary_keys():
    ticket = make_ticket()
    events = [
        TicketEvent(
            ticket=ticket,
            kind=EventKind.FIELDS,
            actor_kind="system",
            data={"order": "VL-204381", "amount": 1249.5, "tags": ["faktura", "æøå"]},
            created_at=AT,
        ),
        TicketEvent(ticket=ticket, kind=EventKind.NOTE, actor_kind="agent", created_at=AT),
    ]

    rows_insert(events)

    assert all(event.pk for event in events)
    for event in events:
        assert _orm_values(TicketEvent.objects.get(pk=event.pk)) == _orm_values(event)


def test_rows_insert_fills_auto_now_add_as_the_orm_does():
    ticket = make_ticket()
    identity = Identity(customer_id=ticket.customer_id, kind="phone", address="+4790000001")

    rows_insert([identity])

    assert Identity.objects.get(pk=identity.pk).created_at == identity.created_at is not None


def test_rows_insert_ignoring_conflicts_skips_the_row_already_there():
    ticket = make_ticket()
    rows_insert([ThreadKey(channel="email", key="<a@x.no>", ticket=ticket)])

    rows_insert(
        [
            ThreadKey(channel="email", key="<a@x.no>", ticket=ticket),
            ThreadKey(channel="email", key="<b@x.no>", ticket=ticket),
        ],
        ignore_conflicts=True,
    )

    keys = ThreadKey.objects.filter(ticket=ticket).values_list("key", flat=True)
    assert sorted(keys) == ["<a@x.no>", "<b@x.no>"]


def test_update_write_changes_only_the_named_fields():
    ticket = make_ticket()
    ticket.last_message_at = AT
    ticket.custom_fields = {"order": "VL-1"}
    ticket.subject = "not saved"

    write = update_write(ticket, ["last_message_at", "custom_fields"])
    with connection.cursor() as cursor:
        cursor.execute(write.sql, write.params)

    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.last_message_at == AT
    assert stored.custom_fields == {"order": "VL-1"}
    assert stored.subject != "not saved"


def test_rows_insert_gives_back_the_fields_the_database_computed():
    ticket = make_ticket()
    identity = Identity(customer_id=ticket.customer_id, kind="email")

    rows_insert([identity], computed={"address": "lower('KARI@Example.NO')"})

    assert identity.address == "kari@example.no"
    assert Identity.objects.get(pk=identity.pk).address == "kari@example.no"


def test_writes_along_an_insert_land_with_it_in_one_statement_on_postgresql(
    django_assert_num_queries,
):
    ticket = make_ticket()
    rows_insert([ThreadKey(channel="email", key="<a@x.no>", ticket=ticket)])
    ticket.subject = "Faktura for november"
    along = [
        update_write(ticket, ["subject"]),
        insert_write(
            [
                ThreadKey(channel="email", key="<a@x.no>", ticket=ticket),  # already there
                ThreadKey(channel="email", key="<b@x.no>", ticket=ticket),
            ],
            ignore_conflicts=True,
        ),
    ]
    event = TicketEvent(ticket=ticket, kind=EventKind.NOTE, actor_kind="agent", created_at=AT)

    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3):
        rows_insert([event], along=along)

    assert TicketEvent.objects.get(pk=event.pk).ticket_id == ticket.pk
    assert Ticket.objects.get(pk=ticket.pk).subject == "Faktura for november"
    keys = ThreadKey.objects.filter(ticket=ticket).values_list("key", flat=True)
    assert sorted(keys) == ["<a@x.no>", "<b@x.no>"]


def test_model_from_row_reads_what_the_orm_reads():
    ticket = make_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(custom_fields={"n": 3}, queued_at=AT)
    sql = f"SELECT {columns_of(Ticket, 't')} FROM {Ticket._meta.db_table} t WHERE t.id = %s"  # noqa: S608

    (row,) = raw_rows(sql, [ticket.pk])

    assert _orm_values(model_from_row(Ticket, row)) == _orm_values(Ticket.objects.get(pk=ticket.pk))
