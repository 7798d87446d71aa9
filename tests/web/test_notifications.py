"""What automations tell an agent, in the workspace: the header count and the list."""

import pytest
from django.urls import reverse

from nordesk.automation import services as automation_services
from nordesk.automation.models import Notification
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, agent):
    assert client.login(username=agent.user.username, password=PASSWORD)
    return client


def test_an_agent_sees_their_notifications_and_marks_them_read(client, people):
    automation_services.notifications_create(
        user_ids=[people.kari.user_id], ticket_id=people.ticket.pk, text="SLA brutt: <b>svar nå</b>"
    )
    automation_services.notifications_create(
        user_ids=[people.ole.user_id], ticket_id=None, text="Bare til Ole"
    )
    login(client, people.kari)

    inbox = client.get(reverse("web:inbox")).content.decode()
    assert "data-notification-count>1<" in inbox

    page = client.get(reverse("web:notifications")).content.decode()
    assert "SLA brutt: &lt;b&gt;svar nå&lt;/b&gt;" in page
    assert f'href="/tickets/{people.ticket.number}/"' in page
    assert "Bare til Ole" not in page
    assert "notification--unread" in page

    response = client.post(reverse("web:notifications_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=people.kari.user, read_at__isnull=True)
    assert Notification.objects.filter(recipient=people.ole.user, read_at__isnull=True).exists()
    inbox = client.get(reverse("web:inbox")).content.decode()
    assert "data-notification-count hidden>0<" in inbox
