import pytest

from nordesk.customers import services
from nordesk.customers.errors import IdentityTaken, InvalidAddress, MergeIntoSelf
from nordesk.customers.models import Customer, Identity
from nordesk.tickets.models import EventKind, Message, Ticket, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "raw", "normal"),
    [
        ("email", "  Kari.Nordmann@Firma.NO ", "kari.nordmann@firma.no"),
        ("phone", "0047 22 33 44 55", "+4722334455"),
        ("phone", "+46 (8) 123-456", "+468123456"),
        ("chat", "session-42", "session-42"),
    ],
)
def test_identity_normalise(kind, raw, normal):
    assert services.identity_normalise(kind=kind, address=raw) == normal


@pytest.mark.parametrize(
    ("kind", "raw"),
    [("email", "kari@"), ("email", "a b@c.no"), ("phone", "ring meg"), ("fax", "1")],
)
def test_identity_normalise_rejects(kind, raw):
    with pytest.raises(InvalidAddress):
        services.identity_normalise(kind=kind, address=raw)


def test_customer_resolve_links_organisation_by_domain():
    org = services.organisation_create(name="Fjordkraft AS", domain="fjordkraft.no")
    customer, created = services.customer_resolve(kind="email", address="ola@fjordkraft.no")
    assert created
    assert customer.organisation == org
    again, created = services.customer_resolve(kind="email", address="OLA@fjordkraft.no")
    assert again == customer
    assert not created


def test_identity_unique_across_customers():
    first = services.customer_create(name="A", identities=[("email", "a@example.no")])
    second = services.customer_create(name="B")
    with pytest.raises(IdentityTaken):
        services.customer_add_identity(customer=second, kind="email", address="A@example.no")
    assert Identity.objects.get(address="a@example.no").customer == first


def test_customer_merge_moves_everything(people):
    # given Sofie wrote by email, and again from her phone as an unknown customer
    phone_ticket = make_ticket(address="+4791234567", kind="phone", channel="phone")
    phone_customer = phone_ticket.customer

    # when
    services.customer_merge(source=phone_customer, target=people.sofie, actor=people.kari.user)

    # then
    assert set(people.sofie.identities.values_list("kind", "address")) == {
        ("email", "sofie@example.no"),
        ("phone", "+4791234567"),
    }
    assert Ticket.objects.get(pk=phone_ticket.pk).customer == people.sofie
    assert not Message.objects.filter(author_customer=phone_customer).exists()
    assert Customer.objects.get(pk=phone_customer.pk).merged_into == people.sofie
    event = TicketEvent.objects.get(ticket=phone_ticket, kind=EventKind.CUSTOMER)
    assert event.data == {"old": phone_customer.pk, "new": people.sofie.pk}


def test_customer_merge_into_self_refused(people):
    with pytest.raises(MergeIntoSelf):
        services.customer_merge(source=people.sofie, target=people.sofie, actor=None)


def test_the_hand_written_lookup_reads_the_customer_as_the_orm_does():
    # given: a customer with an organisation, a language and notes, found again by address
    first, _ = services.customer_resolve(
        kind="email", address="Kari@Nordvik.no", name="Kari Nordvik", language="nb"
    )
    Customer.objects.filter(pk=first.pk).update(notes="Ringer helst før ni.")

    # when: the same sender writes again
    again, created = services.customer_resolve(kind="email", address="kari@nordvik.no")

    # then: every field is what the ORM reads, datetimes aware on either database
    stored = Customer.objects.get(pk=first.pk)
    assert not created
    assert [getattr(again, f.attname) for f in Customer._meta.concrete_fields] == [
        getattr(stored, f.attname) for f in Customer._meta.concrete_fields
    ]
    assert again.created_at.tzinfo is not None
