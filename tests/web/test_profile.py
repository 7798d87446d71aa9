"""The agent's profile page: presence, the workspace language (which then wins over the
browser's, also at the next login), a personal signature under email replies, and muted
notification kinds that automations then skip."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from nordesk.accounts.models import Agent
from nordesk.automation import services as automation_services
from nordesk.automation.models import Notification
from nordesk.connectors.email import outbound
from nordesk.tickets import services as ticket_services
from tests.factories import PASSWORD, make_ticket

pytestmark = pytest.mark.django_db

URL = "/profile/"


def _text(response) -> str:
    return response.content.decode()


def _form(**changes) -> dict:
    return {"presence": "offline", "ui_language": "", "signature": "", **changes}


def test_profile_link_by_the_agents_name(kari_client):
    page = _text(kari_client.get(reverse("web:inbox")))

    assert f'id="current-user" href="{URL}"' in page


def test_profile_saves_presence_signature_and_muted_kinds(kari_client, people):
    response = kari_client.post(
        URL,
        _form(
            presence="online",
            signature="Kari Nordmann\nFakturateamet",
            muted_notifications=["ticket_created", "timer"],
        ),
        follow=True,
    )

    kari = Agent.objects.get(pk=people.kari.pk)
    assert kari.presence == "online"
    assert kari.signature == "Kari Nordmann\nFakturateamet"
    assert kari.muted_notifications == ["ticket_created", "timer"]
    page = _text(response)
    assert "Your profile is saved." in page
    assert re.search(r'<input[^>]*value="ticket_created"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="sla_breached"[^>]*checked', page)


def test_profile_language_applies_on_the_next_page_over_the_browser(kari_client, people):
    # when: Kari, whose browser asks for English, chooses Bokmål
    response = kari_client.post(
        URL, _form(ui_language="nb"), follow=True, headers={"Accept-Language": "en"}
    )

    # then: the next page is in Bokmål, and stays so
    assert kari_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    assert '<html lang="nb">' in _text(response)
    inbox = kari_client.get(reverse("web:inbox"), headers={"Accept-Language": "en"})
    assert '<html lang="nb">' in _text(inbox)
    assert "Innboks" in _text(inbox)
    assert Agent.objects.get(pk=people.kari.pk).ui_language == "nb"


def test_saved_language_wins_at_the_next_login(client, people):
    # given: Kari chose Swedish on her profile, and logs in again from another browser
    client.force_login(people.kari.user)
    client.post(URL, _form(ui_language="sv"))
    client.logout()
    client.cookies.clear()

    # when
    response = client.post(
        reverse("web:login"),
        {"username": "kari@nordesk.test", "password": PASSWORD},
        follow=True,
        headers={"Accept-Language": "en"},
    )

    # then
    assert '<html lang="sv">' in _text(response)
    assert "Inkorg" in _text(response)


def test_following_the_browser_again_removes_the_language_cookie(kari_client):
    kari_client.post(URL, _form(ui_language="da"))

    response = kari_client.post(URL, _form(ui_language=""))

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # expired
    page = _text(kari_client.get(reverse("web:inbox"), headers={"Accept-Language": "en"}))
    assert '<html lang="en">' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ui_language", "de", "Select a valid choice. de is not one of the available choices."),
        ("presence", "busy", "Select a valid choice. busy is not one of the available choices."),
        ("muted_notifications", "everything", "Select a valid choice. everything is not one"),
        ("signature", "x" * 2001, "Ensure this value has at most 2000 characters"),
    ],
)
def test_profile_bad_input_is_shown_by_the_field_and_changes_nothing(
    kari_client, people, field, value, message
):
    response = kari_client.post(URL, {**_form(presence="online"), field: value})

    page = _text(response)
    assert response.status_code == 400
    assert message in page
    assert f"profile-{field}_error" in page
    kari = Agent.objects.get(pk=people.kari.pk)
    assert (kari.presence, kari.ui_language, kari.signature) == ("offline", "", "")


def test_muted_notification_kind_is_not_created_for_that_agent(kari_client, people):
    # given: a trigger tells the team about every new ticket; Kari muted new tickets
    automation_services.trigger_create(
        name="Ny sak",
        events=["ticket_created"],
        conditions={"all": []},
        actions=[{"type": "notify", "to": ["team"], "text": "Ny sak"}],
    )
    kari_client.post(URL, _form(muted_notifications=["ticket_created"]))

    # when
    make_ticket(team=people.billing, address="ola@example.no")

    # then: Lars, in the same team, is told; Kari is not
    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {people.lars.user_id}


def test_other_notification_kinds_still_reach_an_agent_who_muted_one(kari_client, people):
    automation_services.trigger_create(
        name="Ny sak",
        events=["ticket_created"],
        conditions={"all": []},
        actions=[{"type": "notify", "to": ["team"], "text": "Ny sak"}],
    )
    kari_client.post(URL, _form(muted_notifications=["sla_breached"]))

    make_ticket(team=people.billing, address="ola@example.no")

    recipients = set(Notification.objects.values_list("recipient_id", flat=True))
    assert recipients == {people.kari.user_id, people.lars.user_id}


def test_personal_signature_follows_the_team_signature_in_email_replies(
    kari_client, people, django_capture_on_commit_callbacks
):
    # given: the team signs its replies, and Kari has a signature of her own
    from nordesk.accounts.models import Team

    Team.objects.filter(pk=people.billing.pk).update(signature="Hilsen Fakturateamet")
    kari_client.post(URL, _form(signature="Kari Nordmann\nTlf. 22 00 00 00"))

    # when: Kari and, on another ticket, Ole's colleague without a signature reply
    with django_capture_on_commit_callbacks(execute=False):
        karis = ticket_services.ticket_reply(
            ticket=people.ticket, actor=people.kari.user, text="Ny faktura er sendt."
        )
        astrids = ticket_services.ticket_reply(
            ticket=people.ticket, actor=people.astrid.user, text="Og en til."
        )
    karis_mail, _id = outbound.reply_build(message_id=karis.pk)
    astrids_mail, _id = outbound.reply_build(message_id=astrids.pk)

    # then: the team's signature, then Kari's; Astrid's mail has only the team's
    assert karis_mail.body.endswith("-- \nHilsen Fakturateamet\n\nKari Nordmann\nTlf. 22 00 00 00")
    assert "Kari Nordmann<br>Tlf. 22 00 00 00" in karis_mail.alternatives[0][0]
    assert astrids_mail.body.endswith("-- \nHilsen Fakturateamet")
