"""Files on a reply or an internal note from the ticket page: stored with the message, sent
with the email, downloadable by agents who see the ticket; too many, too large or empty files
are refused by the field, and the typed text stays."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nordesk.tickets.models import Attachment, Direction, Message, Visibility
from nordesk.web.forms import MAX_FILES_PER_MESSAGE

pytestmark = pytest.mark.django_db


def _url(ticket, action: str) -> str:
    return reverse(f"web:ticket_{action}", args=[ticket.number])


def _file(
    name: str = "kvittering.pdf", content: bytes = b"%PDF-1.4 kvittering"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_reply_with_files_sends_them_with_the_email(
    kari_client, people, mailoutbox, django_capture_on_commit_callbacks
):
    # when: Kari replies with two files
    with django_capture_on_commit_callbacks(execute=True):
        response = kari_client.post(
            _url(people.ticket, "reply"),
            {
                "text": "Her er kvitteringen.",
                "status": "pending",
                "attachments": [_file(), _file("bilde.png", b"\x89PNG\r\n\x1a\n")],
            },
        )

    # then: the reply holds both, the mail carries both, and the thread lists them
    assert response.status_code == 302
    reply = Message.objects.get(ticket=people.ticket, direction=Direction.OUT)
    assert sorted(a.filename for a in reply.attachments.all()) == ["bilde.png", "kvittering.pdf"]
    assert sorted(name for name, _content, _type in mailoutbox[0].attachments) == [
        "bilde.png",
        "kvittering.pdf",
    ]
    page = kari_client.get(response["Location"]).content.decode()
    assert "kvittering.pdf" in page


def test_note_files_stay_internal(kari_client, people, mailoutbox):
    kari_client.post(
        _url(people.ticket, "note"),
        {"text": "Skjermbilde fra kunden på telefon.", "attachments": [_file("skjerm.pdf")]},
    )

    note = Message.objects.get(ticket=people.ticket, visibility=Visibility.INTERNAL)
    assert [a.filename for a in note.attachments.all()] == ["skjerm.pdf"]
    assert mailoutbox == []


def test_reply_file_is_downloadable_by_the_team_and_404_for_others(kari_client, people, client):
    kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "Vedlagt.", "status": "pending", "attachments": [_file()]},
    )
    attachment = Attachment.objects.get(message__ticket=people.ticket)
    download = reverse("api:attachment_download", kwargs={"attachment_id": attachment.pk})

    assert kari_client.get(download).status_code == 200
    client.force_login(people.ole.user)  # Technical support does not see Billing's ticket
    assert client.get(download).status_code == 404


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([_file("tom.pdf", b"")], "The submitted file is empty."),
        (
            [_file(f"f{n}.pdf") for n in range(MAX_FILES_PER_MESSAGE + 1)],
            f"Attach at most {MAX_FILES_PER_MESSAGE} files to one message.",
        ),
        ([_file("stor.pdf", b"x" * 2048)], "stor.pdf is larger than 1.0\xa0KB: it was not sent."),
    ],
)
def test_bad_files_are_refused_by_the_field_and_the_text_stays(
    kari_client, people, settings, files, message
):
    settings.MAX_ATTACHMENT_BYTES = 1024

    response = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "Teksten min skal ikke forsvinne.", "status": "pending", "attachments": files},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Teksten min skal ikke forsvinne." in page
    assert not Message.objects.filter(direction=Direction.OUT).exists()
    assert not Attachment.objects.filter(message__isnull=False, message__direction="out").exists()


def test_a_refused_reply_stores_none_of_its_files(kari_client, people):
    # given: the ticket is closed, so the reply service refuses
    from nordesk.tickets.models import Ticket

    Ticket.objects.filter(pk=people.ticket.pk).update(status="closed")

    response = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "For sent.", "status": "pending", "attachments": [_file()]},
    )

    assert response.status_code == 200
    assert not Attachment.objects.exists()


def test_the_reply_form_takes_files(kari_client, people):
    page = kari_client.get(reverse("web:ticket", args=[people.ticket.number])).content.decode()

    assert 'enctype="multipart/form-data" hx-encoding="multipart/form-data"' in page
    assert 'multiple aria-describedby="reply-attachments_helptext" id="reply-attachments"' in page
    assert "composer-files.js" in page


def test_the_chosen_files_sizes_are_written_in_the_agents_language(kari_client, people, settings):
    # given: Kari works in Swedish
    kari_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    page = kari_client.get(reverse("web:ticket", args=[people.ticket.number])).content.decode()

    # then: composer-files.js gets the units as the thread writes them (Django's "kB", "byte")
    assert 'data-text-kb="%s kB"' in page
    assert 'data-text-bytes="%(size)d byte"' in page
