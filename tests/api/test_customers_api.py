import json

import pytest

from nordesk.customers.models import Customer
from tests.factories import make_ticket, token_client

pytestmark = pytest.mark.django_db
API = "/api/v1"


def send(client, method, path, body=None):
    return getattr(client, method)(
        f"{API}{path}", data=json.dumps(body or {}), content_type="application/json"
    )


@pytest.fixture
def kari(people):
    return token_client(people.kari)


def test_customer_crud(people, kari):
    org = send(kari, "post", "/organisations", {"name": "Nordlys AS", "domain": "nordlys.no"})
    assert org.status_code == 201
    created = send(
        kari,
        "post",
        "/customers",
        {
            "name": "Ingrid Berg",
            "language": "nn",
            "organisation": org.json()["id"],
            "identities": [
                {"kind": "email", "address": "Ingrid@Nordlys.no"},
                {"kind": "phone", "address": "+47 912 34 567"},
            ],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {(i["kind"], i["address"]) for i in body["identities"]} == {
        ("email", "ingrid@nordlys.no"),
        ("phone", "+4791234567"),
    }
    customer_id = body["id"]

    updated = send(kari, "patch", f"/customers/{customer_id}", {"notes": "Foretrekker telefon"})
    assert updated.json()["notes"] == "Foretrekker telefon"
    assert updated.json()["name"] == "Ingrid Berg"
    assert updated.json()["updated_at"] > body["updated_at"]

    found = kari.get(f"{API}/customers?q=nordlys").json()["items"]
    assert [c["id"] for c in found] == [customer_id]

    assert kari.delete(f"{API}/customers/{customer_id}").status_code == 204
    assert not Customer.objects.filter(pk=customer_id).exists()


def test_customer_with_tickets_cannot_be_deleted(people):
    client = token_client(people.astrid)
    response = client.delete(f"{API}/customers/{people.sofie.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "customer_has_tickets"


def test_identity_add_taken_is_409_and_remove(people, kari):
    other = make_ticket(team=people.billing, address="per@example.no").customer
    taken = send(
        kari,
        "post",
        f"/customers/{other.pk}/identities",
        {"kind": "email", "address": "sofie@example.no"},
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "identity_taken"
    added = send(
        kari, "post", f"/customers/{other.pk}/identities", {"kind": "social", "address": "@per_fb"}
    )
    assert added.status_code == 201
    removed = kari.delete(f"{API}/customers/{other.pk}/identities/{added.json()['id']}")
    assert removed.status_code == 204
    assert other.identities.count() == 1


def test_identity_bad_kind_is_422(people, kari):
    response = send(
        kari, "post", f"/customers/{people.sofie.pk}/identities", {"kind": "pigeon", "address": "x"}
    )
    assert response.status_code == 422


def test_customer_create_rejects_unknown_fields(people, kari):
    response = send(kari, "post", "/customers", {"name": "X", "is_staff": True})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "is_staff"


def test_customer_360_shows_every_channel(people, kari):
    make_ticket(team=people.billing, address="sofie@example.no", channel="web", subject="Skjema")
    chat = make_ticket(team=people.billing, address="chat-sofie", kind="chat", channel="chat")
    send(kari, "post", f"/customers/{chat.customer_id}/merge", {"into": people.sofie.pk})

    body = kari.get(f"{API}/customers/{people.sofie.pk}/360").json()

    assert body["channels"] == ["chat", "email", "web"]
    assert len(body["tickets"]) == 3
    assert len(body["messages"]) == 3
    assert {i["kind"] for i in body["customer"]["identities"]} == {"email", "chat"}


def test_merged_customer_is_gone_from_lists(people, kari):
    dup = make_ticket(team=people.billing, address="sofie.lund@example.no").customer
    send(kari, "post", f"/customers/{dup.pk}/merge", {"into": people.sofie.pk})
    ids = [c["id"] for c in kari.get(f"{API}/customers").json()["items"]]
    assert dup.pk not in ids
    assert people.sofie.pk in ids


def test_customer_list_pages(people):
    for i in range(7):
        make_ticket(team=people.billing, address=f"kunde{i}@example.no")
    client = token_client(people.astrid)
    first = client.get(f"{API}/customers?limit=5").json()
    second = client.get(f"{API}/customers?limit=5&after={first['next_after']}").json()
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 8
    assert second["next_after"] is None


def test_organisations_update(people):
    client = token_client(people.astrid)
    org = send(client, "post", "/organisations", {"name": "Sjø AS"}).json()
    updated = send(client, "patch", f"/organisations/{org['id']}", {"domain": "sjo.no"})
    assert updated.json()["domain"] == "sjo.no"
    assert client.get(f"{API}/organisations/{org['id']}").json()["name"] == "Sjø AS"


def test_openapi_and_docs_are_served(people):
    from django.test import Client

    schema = Client().get(f"{API}/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}/360",
        "/api/v1/tags",
        "/api/v1/teams",
    ):
        assert path in paths
    assert Client().get(f"{API}/docs").status_code == 200


def test_duplicate_organisation_name_is_409(people, kari):
    assert send(kari, "post", "/organisations", {"name": "Fjord AS"}).status_code == 201
    again = send(kari, "post", "/organisations", {"name": "Fjord AS"})
    assert again.status_code == 409
    assert again.json()["code"] == "organisation_name_taken"
    other = send(kari, "post", "/organisations", {"name": "Annet AS"}).json()
    renamed = send(kari, "patch", f"/organisations/{other['id']}", {"name": "Fjord AS"})
    assert renamed.status_code == 409


def test_customer_update_null_name_is_422(people, kari):
    response = send(kari, "patch", f"/customers/{people.sofie.pk}", {"name": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
