import pytest
from django.contrib import admin
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_model_has_an_admin():
    from django.apps import apps

    ours = [m for m in apps.get_models() if m.__module__.startswith("nordesk.")]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
    assert missing == []


def test_admin_pages_render_for_an_admin(people):
    client = Client()
    assert client.login(username="astrid@nordesk.test", password=PASSWORD)
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in ("accounts", "customers", "tickets"):
            continue
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert client.get(url).status_code == 200, url
    ticket_url = f"/admin/tickets/ticket/{people.ticket.pk}/change/"
    assert "Feil på faktura" in client.get(ticket_url).content.decode()


def test_agents_are_kept_out_of_admin(people):
    client = Client()
    assert client.login(username="kari@nordesk.test", password=PASSWORD)
    assert client.get("/admin/tickets/ticket/").status_code == 302


def test_ticket_history_is_read_only_in_admin(people):
    client = Client()
    client.login(username="astrid@nordesk.test", password=PASSWORD)
    event = people.ticket.events.first()
    response = client.post(f"/admin/tickets/ticketevent/{event.pk}/change/", {"kind": "merged"})
    assert response.status_code == 403
