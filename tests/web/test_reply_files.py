"""Files on a reply or an internal note from the ticket page: stored with the message, sent
with the email, downloadable by agents who see the ticket; too many, too large or empty files
are refused by the field, and the typed text stays. A reply or note that comes back to the
agent (held back by a collision, refused, another field invalid) offers its files again."""

import os
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from nordesk.tickets import services
from nordesk.tickets.models import Attachment, Direction, Message, Ticket, Visibility
from nordesk.web.forms import MAX_FILES_PER_MESSAGE
from tests.factories import inbound

PNG = b"\x89PNG\r\n\x1a\n"

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
                "attachments": [_file(), _file("bilde.png", PNG)],
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


def _kept_on_page(page: str) -> dict[str, str]:
    """The files the form offers again: {filename: attachment id}, ticked ones only."""
    return {
        name: pk
        for pk, name in re.findall(
            r'<input type="checkbox" name="kept" value="(\d+)"[^>]*checked[^>]*>\s*([^ <]+) \(',
            page,
        )
    }


def test_a_refused_reply_keeps_its_files_for_the_next_attempt(kari_client, people):
    # given: the ticket is solved, and a solved ticket cannot go on hold
    Ticket.objects.filter(pk=people.ticket.pk).update(status="solved")

    # when: Kari sends a reply with a file, leaving the ticket on hold
    response = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "En ting til.", "status": "on_hold", "attachments": [_file()]},
    )

    # then: the service refuses; nothing is sent, and the form offers the file again, ticked,
    # with her text
    page = response.content.decode()
    assert response.status_code == 200
    assert not Message.objects.filter(direction=Direction.OUT).exists()
    assert "En ting til." in page
    assert list(_kept_on_page(page)) == ["kvittering.pdf"]


def test_files_of_a_form_with_a_missing_text_are_kept_and_sent_next_time(
    kari_client, people, mailoutbox, django_capture_on_commit_callbacks
):
    # given: Kari chose two files but forgot the text
    first = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "", "status": "pending", "attachments": [_file(), _file("bilde.png", PNG)]},
    )
    kept = _kept_on_page(first.content.decode())
    assert sorted(kept) == ["bilde.png", "kvittering.pdf"]

    # when: she writes the text, unticks the picture, adds one more file and sends
    with django_capture_on_commit_callbacks(execute=True):
        second = kari_client.post(
            _url(people.ticket, "reply"),
            {
                "text": "Her er kvitteringen.",
                "status": "pending",
                "kept": [kept["kvittering.pdf"]],
                "attachments": [_file("avtale.pdf")],
            },
        )

    # then: the reply carries the kept file and the new one, not the unticked picture
    assert second.status_code == 302
    reply = Message.objects.get(ticket=people.ticket, direction=Direction.OUT)
    assert sorted(a.filename for a in reply.attachments.all()) == ["avtale.pdf", "kvittering.pdf"]
    assert sorted(name for name, _content, _type in mailoutbox[0].attachments) == [
        "avtale.pdf",
        "kvittering.pdf",
    ]


def test_a_reply_held_back_by_a_collision_keeps_its_files(kari_client, people):
    # given: Kari opened the ticket, then the customer wrote again
    page = kari_client.get(reverse("web:ticket", args=[people.ticket.number])).content.decode()
    seen = re.search(r'name="seen" value="(\d+)"', page).group(1)
    services.receive(
        inbound(address="sofie@example.no", subject=f"[#{people.ticket.number}] Og en ting til")
    )

    # when: she sends her reply with a file, is warned, and sends anyway
    warned = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "Vedlagt.", "status": "pending", "seen": seen, "attachments": [_file()]},
    )
    kept = _kept_on_page(warned.content.decode())
    sent = kari_client.post(
        _url(people.ticket, "reply"),
        {"text": "Vedlagt.", "status": "pending", "confirm": "1", "kept": list(kept.values())},
    )

    # then: the reply that went out carries the file chosen before the warning
    assert list(kept) == ["kvittering.pdf"]
    assert sent.status_code == 302
    reply = Message.objects.get(ticket=people.ticket, direction=Direction.OUT)
    assert [a.filename for a in reply.attachments.all()] == ["kvittering.pdf"]


def test_someone_elses_upload_cannot_be_kept(kari_client, people):
    # given: Ole's upload, waiting for his own reply
    theirs = services.attachment_upload(uploaded_by=people.ole.user, file=_file("hans.pdf"))

    # when: Kari's form names it as kept
    response = kari_client.post(
        _url(people.ticket, "note"), {"text": "Notat.", "kept": [str(theirs.pk)]}
    )

    # then: the form refuses it, and nothing moved
    assert response.status_code == 200
    assert "A file added before is no longer there" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.message_id is None
    assert not Message.objects.filter(visibility=Visibility.INTERNAL).exists()


def test_uploads_no_message_took_are_purged_after_a_day(people):
    # given: an upload abandoned two days ago, one from this morning, and one on a message
    old = services.attachment_upload(uploaded_by=people.kari.user, file=_file("gammel.pdf"))
    Attachment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    recent = services.attachment_upload(uploaded_by=people.kari.user, file=_file("ny.pdf"))
    sent = services.ticket_add_note(
        ticket=people.ticket,
        actor=people.kari.user,
        text="Med fil",
        attachment_ids=[
            services.attachment_upload(uploaded_by=people.kari.user, file=_file("notat.pdf")).pk
        ],
    )
    Attachment.objects.filter(message=sent).update(created_at=timezone.now() - timedelta(days=2))
    old_path = old.file.path

    # when: the hourly purge runs
    purged = services.uploads_unclaimed_purge()

    # then: only the abandoned one is gone, file and all
    assert purged == 1
    assert sorted(Attachment.objects.values_list("filename", flat=True)) == ["notat.pdf", "ny.pdf"]
    assert not os.path.exists(old_path)
    assert recent.file.storage.exists(recent.file.name)


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
