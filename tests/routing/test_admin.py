import pytest
from django.contrib import admin
from django.test import Client

from nordesk.routing.models import RoutingDecision, RoutingRule
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def astrid(people) -> Client:
    client = Client()
    assert client.login(username="astrid@nordesk.test", password=PASSWORD)
    return client


def test_routing_models_have_admin_pages(astrid):
    assert {RoutingRule, RoutingDecision} <= set(admin.site._registry)
    for name in ("routingrule", "routingdecision"):
        assert astrid.get(f"/admin/routing/{name}/").status_code == 200


def test_the_admin_refuses_invalid_conditions(people, astrid):
    form = {
        "name": "Dansk",
        "position": 0,
        "is_active": "on",
        "conditions": '{"all": [{"field": "mood", "operator": "is", "value": "x"}]}',
        "team": people.billing.pk,
    }

    response = astrid.post("/admin/routing/routingrule/add/", form)

    assert response.status_code == 200
    assert "Condition 1: unknown field “mood”" in response.content.decode()
    assert not RoutingRule.objects.exists()

    form["conditions"] = '{"all": [{"field": "language", "operator": "is", "value": "da"}]}'
    assert astrid.post("/admin/routing/routingrule/add/", form).status_code == 302
    assert RoutingRule.objects.get().conditions["all"][0]["value"] == "da"
