"""Message HTML in a real browser: nothing in it runs, remote images load only when the agent
asks, inline images come from our own attachment URLs (fixtures in tests/web/browser.py)."""

import dataclasses
import re

from nordesk.tickets import services
from nordesk.tickets.inbound import InboundAttachment
from nordesk.tickets.models import Message
from tests.factories import inbound
from tests.web.browser import BROWSER_MARKS, log_in, off_the_loop

pytestmark = BROWSER_MARKS

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
HOSTILE = (
    "<p>Se her</p>"
    "<script>alert('script'); window.top.nordeskPwned = 'script'</script>"
    "<img src=x onerror=\"alert('img'); window.top.nordeskPwned = 'img'\">"
    "<svg onload=\"alert('svg')\"></svg>"
    "<iframe src=\"javascript:alert('frame')\"></iframe>"
    '<a href="javascript:alert(\'link\')" id="lenke">klikk</a>'
    "<style>p { display: none }</style>"
)


def _receive(personas, html: str, *, attachments=()) -> Message:
    message = dataclasses.replace(
        inbound(address="nora@example.no", subject="Nyhetsbrev", text="", team=personas.billing),
        html=html,
        attachments=attachments,
    )
    return off_the_loop(lambda: services.receive(message))


def _open(page, message: Message):
    """Kari opens the message's ticket; returns its frame, once its document has loaded."""
    from playwright.sync_api import expect

    log_in(page, "kari@nordesk.test")
    page.goto(f"/tickets/{message.ticket.number}/")
    frame = page.frame_locator(f"#message-{message.pk}-frame")
    expect(frame.locator("body")).to_be_attached()
    # message-frames.js fits the frame to its document once it has loaded
    expect(page.locator(f"#message-{message.pk}-frame")).to_have_attribute(
        "style", re.compile(r"height: \d+px")
    )
    return frame


def test_remote_image_is_requested_only_after_show_remote_images(page, personas, console_errors):
    from playwright.sync_api import expect

    # given a newsletter with a tracking pixel, and a stand-in for its server
    message = _receive(personas, '<p>Tilbud!</p><img src="http://remote.example/track.png">')
    requests: list[str] = []
    remote: list[dict[str, str]] = []
    page.on("request", lambda request: requests.append(request.url))

    def serve_pixel(route):
        remote.append(route.request.headers)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("http://remote.example/**", serve_pixel)

    # when Kari reads it
    frame = _open(page, message)

    # then the text is there, the pixel is not asked for
    expect(frame.locator("p")).to_have_text("Tilbud!")
    assert not [url for url in requests if "remote.example" in url]
    assert remote == []

    # and still is not after the page's <main> was swapped by htmx (she adds a note)
    page.evaluate("window.nordeskSamePage = true")
    page.get_by_label("Internal note (only agents see it)").fill("Reklame, ingen sak.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".message--internal")).to_contain_text("Reklame, ingen sak.")
    assert page.evaluate("window.nordeskSamePage") is True
    expect(page.locator(f"#message-{message.pk}-frame")).to_have_attribute(
        "style", re.compile(r"height: \d+px")
    )
    assert remote == []

    # when she asks for remote images
    button = page.get_by_role("button", name="Show remote images")
    expect(button).to_be_visible()
    button.click()

    # then the frame shows it, fetched once, telling the sender nothing of where it is shown
    expect(frame.locator("img")).to_have_js_property("naturalWidth", 1)
    assert [url for url in requests if "remote.example" in url] == [
        "http://remote.example/track.png"
    ]
    assert "referer" not in remote[0]
    expect(page.locator(f"#message-{message.pk}-remote")).to_have_text("Remote images are shown.")
    expect(button).to_have_count(0)
    assert console_errors == []


def test_frame_policy_blocks_a_remote_image_that_got_past_the_sanitiser(
    page, personas, console_errors
):
    """The second line of defence: the frame's own Content-Security-Policy."""
    from playwright.sync_api import expect

    message = _receive(personas, "<p>Hei</p>")
    fetched: list[str] = []
    refused: list[tuple[str, str | None]] = []
    page.route("http://remote.example/**", lambda route: fetched.append(route.request.url))
    page.on(
        "requestfailed",
        lambda request: (
            refused.append((request.url, request.failure)) if "remote" in request.url else None
        ),
    )
    frame = _open(page, message)

    # when the frame's document is given a remote image under its own policy
    page.evaluate(
        """id => {
            const frame = document.getElementById(id);
            frame.srcdoc = frame.srcdoc.replace(
                "<p>Hei</p>", '<p>Igjen</p><img src="http://remote.example/sneaky.png">'
            );
        }""",
        f"message-{message.pk}-frame",
    )

    # then the browser refuses it before it leaves the browser, and says why
    expect(frame.locator("p")).to_have_text("Igjen")
    expect(frame.locator("img")).to_have_js_property("complete", True)
    assert refused == [("http://remote.example/sneaky.png", "csp")]
    assert fetched == []
    assert len(console_errors) == 1
    assert "violates the following Content Security Policy directive" in console_errors[0]


def test_scripts_and_handlers_in_message_html_never_run(page, personas, console_errors):
    from playwright.sync_api import expect

    # given hostile HTML as it arrives, and the same stored raw, as if by an older release
    sanitised = _receive(personas, HOSTILE)
    legacy = _receive(personas, "<p>Snart</p>")
    Message.objects.filter(pk=legacy.pk).update(html=HOSTILE)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    log_in(page, "kari@nordesk.test")
    for message in (sanitised, legacy):
        # when Kari reads it and clicks its link
        page.goto(f"/tickets/{message.ticket.number}/")
        frame = page.frame_locator(f"#message-{message.pk}-frame")
        expect(frame.locator("p")).to_have_text("Se her")
        expect(frame.locator("script, iframe, svg")).to_have_count(0)
        expect(frame.locator("style")).to_have_count(1)  # the frame's own
        frame.get_by_text("klikk").click()
        page.wait_for_timeout(200)

        # then nothing ran: no dialog, no error, no mark on the page, still on the ticket
        assert dialogs == []
        assert page.evaluate("window.nordeskPwned") is None
        assert page.url.endswith(f"/tickets/{message.ticket.number}/")
    assert console_errors == []


def test_inline_image_is_shown_from_our_attachment_url(page, personas, console_errors):
    from playwright.sync_api import expect

    # given a mail whose HTML shows its attached logo by Content-ID
    message = _receive(
        personas,
        '<p>Logoen vår:</p><img src="cid:logo-1@example.no" alt="logo">',
        attachments=(InboundAttachment("logo.png", PNG, "image/png", "logo-1@example.no"),),
    )
    url = f"/api/v1/tickets/attachments/{message.attachments.get().pk}"
    responses: list[tuple[str, int]] = []
    page.on("response", lambda response: responses.append((response.url, response.status)))

    # when Kari reads it
    frame = _open(page, message)

    # then the logo is loaded from our attachment URL with her session
    image = frame.get_by_role("img", name="logo")
    expect(image).to_have_attribute("src", url)
    expect(image).to_have_js_property("naturalWidth", 1)
    assert [status for address, status in responses if address.endswith(url)] == [200]
    assert page.get_by_role("button", name="Show remote images").count() == 0
    assert console_errors == []
