"""Edits and merges of customers and organisations as the services judge them: who may, what
is refused, and where an old link leads."""

import pytest

from nordesk.accounts.errors import RoleForbids
from nordesk.core.errors import Invalid
from nordesk.customers import selectors, services
from nordesk.customers.errors import CustomerAlreadyMerged, OrganisationNameTaken
from nordesk.customers.models import Customer, Organisation
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_light_agent_cannot_change_or_merge_customers(people):
    other = services.customer_create(name="Annen")

    with pytest.raises(RoleForbids):
        services.customer_update(
            customer=people.sofie, changes={"name": "Endret"}, actor=people.lars.user
        )
    with pytest.raises(RoleForbids):
        services.customer_merge(source=other, target=people.sofie, actor=people.lars.user)
    organisation = services.organisation_create(name="Fjordkraft AS")
    with pytest.raises(RoleForbids):
        services.organisation_update(
            organisation=organisation, changes={"name": "X"}, actor=people.lars.user
        )

    assert Customer.objects.get(pk=people.sofie.pk).name == "Sofie Lund"
    assert Customer.objects.get(pk=other.pk).merged_into is None
    assert Organisation.objects.get(pk=organisation.pk).name == "Fjordkraft AS"


def test_customer_merge_twice_is_refused(people):
    other = make_ticket(address="sofie.lund@example.se").customer
    services.customer_merge(source=other, target=people.sofie, actor=people.kari.user)

    with pytest.raises(CustomerAlreadyMerged):
        services.customer_merge(source=other, target=people.sofie, actor=people.kari.user)
    with pytest.raises(CustomerAlreadyMerged):
        services.customer_merge(source=people.sofie, target=other, actor=people.kari.user)

    assert Customer.objects.get(pk=people.sofie.pk).merged_into is None


def test_customer_merged_into_follows_a_chain_of_merges(people):
    first = services.customer_create(name="A")
    second = services.customer_create(name="B")
    services.customer_merge(source=first, target=second, actor=None)
    services.customer_merge(source=second, target=people.sofie, actor=None)

    assert selectors.customer_merged_into(customer_id=first.pk) == people.sofie.pk
    assert selectors.customer_merged_into(customer_id=people.sofie.pk) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"domain": "ikke et domene"}, "domain"),
        ({"domain": "@fjordkraft.no"}, "domain"),
        ({"tier": "gull og sølv"}, "tier"),
    ],
)
def test_organisation_update_refuses_malformed_values(people, changes, field):
    organisation = services.organisation_create(name="Fjordkraft AS", domain="fjordkraft.no")

    with pytest.raises(Invalid) as refused:
        services.organisation_update(
            organisation=organisation, changes=changes, actor=people.kari.user
        )

    assert refused.value.field == field
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.name, stored.domain, stored.tier) == ("Fjordkraft AS", "fjordkraft.no", "")


def test_organisation_update_name_taken(people):
    services.organisation_create(name="Havbruk AS")
    organisation = services.organisation_create(name="Fjordkraft AS")

    with pytest.raises(OrganisationNameTaken):
        services.organisation_update(
            organisation=organisation, changes={"name": "Havbruk AS"}, actor=people.kari.user
        )


def test_customer_list_search_matches_address_once_per_customer(people):
    services.customer_add_identity(customer=people.sofie, kind="email", address="sofie@firma.no")

    found, next_after = selectors.customer_list_for_agent(agent=people.kari, text="SOFIE@")

    assert found == [people.sofie]  # two matching addresses, one row
    assert next_after is None
