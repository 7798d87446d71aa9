"""Agents make a customer their organisation's manager in the portal through the API."""

import pytest

from nordesk.portal.models import PortalAccount
from tests.factories import token_client

pytestmark = pytest.mark.django_db


def test_an_agent_makes_a_customer_an_organisation_manager(people):
    api = token_client(people.kari)
    url = f"/api/v1/portal/accounts/{people.sofie.pk}"

    before = api.get(url).json()
    response = api.patch(url, {"is_organisation_manager": True}, content_type="application/json")

    assert before == {
        "customer_id": people.sofie.pk,
        "is_organisation_manager": False,
        "has_password": False,
        "last_sign_in_at": None,
    }
    assert response.status_code == 200
    assert response.json()["is_organisation_manager"] is True
    assert PortalAccount.objects.get(customer=people.sofie).is_organisation_manager


def test_a_light_agent_may_not_change_it(people):
    response = token_client(people.lars).patch(
        f"/api/v1/portal/accounts/{people.sofie.pk}",
        {"is_organisation_manager": True},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not PortalAccount.objects.filter(is_organisation_manager=True).exists()


def test_a_customer_outside_the_agents_scope_is_not_found(people):
    response = token_client(people.ole).get(f"/api/v1/portal/accounts/{people.sofie.pk}")

    assert response.status_code == 404
    assert not PortalAccount.objects.exists()
