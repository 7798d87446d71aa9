"""Message HTML on the ticket page: in a sandboxed frame whose policy loads no remote image
until the agent asks, with inline images from our own attachments. (That a browser obeys it
is in test_browser_messages.py.)"""

import dataclasses
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from nordesk.accounts import services as account_services
from nordesk.tickets import services
from nordesk.tickets.inbound import InboundAttachment
from nordesk.tickets.models import Message
from nordesk.web.message_frames import FRAME_STYLE, frame_document, frame_policy
from tests.factories import inbound
from tests.web.pages import document_policy, elements, message_frames

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
ORIGIN = "http://testserver"


@pytest.fixture
def kari_client(client, people):
    client.force_login(people.kari.user)
    # at work a moment ago: a page costs no "last seen" write (one a minute at most)
    account_services.agent_seen(user_id=people.kari.user_id, at=timezone.now())
    return client


def _receive(people, html: str, *, attachments=(), **fields) -> Message:
    fields.setdefault("address", "nora@example.no")
    return services.receive(
        dataclasses.replace(
            inbound(subject="Nyhetsbrev", text="", team=people.billing, **fields),
            html=html,
            attachments=attachments,
        )
    )


def _page(client, message: Message) -> str:
    return client.get(reverse("web:ticket", args=[message.ticket.number])).content.decode()


def _frame(client, message: Message) -> dict[str, str]:
    return message_frames(_page(client, message))[f"message-{message.pk}-frame"]


def test_html_message_is_shown_in_a_sandboxed_frame_without_scripts(kari_client, people):
    message = _receive(people, "<p>Hei, <b>fakturaen</b> stemmer ikke.</p>")

    frame = _frame(kari_client, message)

    assert set(frame["sandbox"].split()) == {
        "allow-same-origin",
        "allow-popups",
        "allow-popups-to-escape-sandbox",
    }
    assert frame["title"] == "Message content"
    assert document_policy(frame["srcdoc"]) == (
        f"default-src 'none'; img-src data: {ORIGIN}; style-src 'unsafe-inline'"
    )
    assert frame["srcdoc"].startswith(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;;'
    )
    assert '<meta name="referrer" content="no-referrer">' in frame["srcdoc"]
    assert frame["srcdoc"].endswith(
        "<body><p>Hei, <b>fakturaen</b> stemmer ikke.</p></body></html>"
    )


def test_remote_image_is_stored_but_the_frame_does_not_load_it(kari_client, people):
    # given a newsletter with a tracking pixel
    message = _receive(people, '<p>Tilbud!</p><img src="http://remote.example/track.png">')

    # then the stored HTML keeps it
    assert 'src="http://remote.example/track.png"' in message.html

    # but the frame's document has neither the image nor a policy that would load one
    page = _page(kari_client, message)
    frame = message_frames(page)[f"message-{message.pk}-frame"]
    assert "remote.example" not in frame["srcdoc"]
    assert "http:" not in frame["srcdoc"].replace(ORIGIN, "")
    assert document_policy(frame["srcdoc"]) == frame_policy(ORIGIN, remote_images=False)

    # and the version shown on request has both
    remote = frame["data-remote-srcdoc"]
    assert '<img src="http://remote.example/track.png">' in remote
    assert document_policy(remote) == (
        f"default-src 'none'; img-src data: {ORIGIN} https: http:; style-src 'unsafe-inline'"
    )
    [button] = [b for b in elements(page, "button") if "data-show-remote-images" in b]
    assert button["aria-controls"] == f"message-{message.pk}-frame"
    assert "hidden" in button  # until message-frames.js runs
    assert "Show remote images" in page


def test_message_without_remote_images_offers_no_button(kari_client, people):
    message = _receive(people, '<p>Hei</p><img src="data:image/png;base64,iVBORw0KGgo=">')

    page = _page(kari_client, message)

    assert "data-remote-srcdoc" not in page
    assert "Show remote images" not in page
    assert (
        'src="data:image/png;base64,iVBORw0KGgo="'
        in message_frames(page)[f"message-{message.pk}-frame"]["srcdoc"]
    )


def test_inline_image_is_shown_from_its_attachment(kari_client, people):
    # given a mail whose HTML shows an attached logo by its Content-ID
    message = _receive(
        people,
        '<p>Se logoen:</p><img src="cid:logo-1@example.no" alt="logo">',
        attachments=(
            InboundAttachment("logo.png", PNG, "image/png", content_id="logo-1@example.no"),
        ),
    )
    logo = message.attachments.get()
    url = reverse("api:attachment_download", kwargs={"attachment_id": logo.pk})

    # when the ticket is shown
    frame = _frame(kari_client, message)

    # then the frame loads it from our attachment URL, which the policy allows
    assert f'<img src="{url}" alt="logo">' in frame["srcdoc"]
    assert "cid:" not in frame["srcdoc"]
    assert "data-remote-srcdoc" not in frame
    download = kari_client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"


def test_inline_image_of_another_message_is_not_borrowed(kari_client, people):
    # given an earlier message with an inline image, and a later one naming its Content-ID
    _receive(
        people,
        '<img src="cid:logo-1@example.no">',
        attachments=(
            InboundAttachment("logo.png", PNG, "image/png", content_id="logo-1@example.no"),
        ),
    )
    later = _receive(people, '<p>Og igjen:</p><img src="cid:logo-1@example.no">')

    frame = _frame(kari_client, later)

    assert "<img>" in frame["srcdoc"]
    assert "/api/v1/tickets/attachments/" not in frame["srcdoc"]


def test_message_html_cannot_leave_its_frame_attribute(kari_client, people):
    # given text that would end an attribute and start a script, were it not escaped
    message = _receive(
        people, "<p>&quot;&gt;&lt;/iframe&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; 'x'</p>"
    )

    page = _page(kari_client, message)

    # then the page has only its own scripts, and the frame's document is the message
    assert all("src" in script for script in elements(page, "script"))
    frame = message_frames(page)[f"message-{message.pk}-frame"]
    assert (
        "<body><p>\"&gt;&lt;/iframe&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; 'x'</p>"
        in (frame["srcdoc"])
    )


def test_frame_document_is_escaped_even_when_marked_safe():
    document = frame_document(mark_safe('<p title="a">"x" & y</p>'), policy="default-src 'none'")

    assert not set("<>\"'") & set(document)
    assert html.unescape(document) == (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;">'
        '<meta name="referrer" content="no-referrer"><base target="_blank">'
        f"<style>{FRAME_STYLE}</style></head>"
        '<body><p title="a">"x" & y</p></body></html>'
    )


def test_plain_text_message_is_shown_as_text_not_framed(kari_client, people):
    message = services.receive(
        inbound(address="per@example.no", text="Hei <b>ikke fet</b>", team=people.billing)
    )

    page = _page(kari_client, message)

    assert message_frames(page) == {}
    assert "Hei &lt;b&gt;ikke fet&lt;/b&gt;" in page


def test_ticket_page_loads_the_frame_script(kari_client, people):
    message = _receive(people, "<p>Hei</p>")

    scripts = [script["src"] for script in elements(_page(kari_client, message), "script")]

    assert "/static/web/message-frames.js" in scripts


def test_frames_cost_no_queries_per_message(kari_client, people, django_assert_num_queries):
    # given a ticket with one HTML message, and the same ticket with ten more with inline images
    first = _receive(people, "<p>0</p>", external_id="<n0@example.no>")
    with CaptureQueriesContext(connection) as one_message:
        _page(kari_client, first)
    for n in range(1, 11):
        _receive(
            people,
            f'<p>{n}</p><img src="cid:i{n}@example.no">',
            attachments=(InboundAttachment(f"{n}.png", PNG, "image/png", f"i{n}@example.no"),),
            external_id=f"<n{n}@example.no>",
            thread_keys=("<n0@example.no>",),
        )

    # then showing them costs no more queries
    with django_assert_num_queries(len(one_message)):
        page = _page(kari_client, first)
    assert len(message_frames(page)) == 11
