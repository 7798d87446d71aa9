"""The HTML sanitiser: what is stored of hostile email and web HTML, and what is made of it
for showing (remote images only on request, inline images from our attachments)."""

import pytest

from nordesk.tickets.services.html import html_for_display, html_sanitise

ATTACHMENT_URL = "/api/v1/tickets/attachments/7"


@pytest.mark.parametrize(
    "src",
    [
        "https://cdn.example/logo.png",
        "http://tracker.example/pixel.gif?u=1&amp;m=2",
        "HTTPS://CDN.EXAMPLE/UPPER.PNG",
        "cid:logo@mail.example",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml;base64,PHN2Zy8+",  # an <img> never runs an SVG's scripts
    ],
)
def test_html_sanitise_keeps_web_inline_and_data_images(src):
    assert f'src="{src}"' in html_sanitise(f'<p>Hei</p><img src="{src}" alt="logo">')


@pytest.mark.parametrize(
    "src",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "/logout/",
        "x",
        "file:///etc/passwd",
        "ftp://files.example/a.png",
    ],
)
def test_html_sanitise_drops_image_sources_that_are_not_web_inline_or_data_images(src):
    clean = html_sanitise(f'<img src="{src}" alt="bilde">')

    assert clean == '<img alt="bilde">'


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://nordesk.example/faq", True),
        ("mailto:support@nordesk.example", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("cid:logo@mail.example", False),
        ("/admin/", False),
    ],
)
def test_html_sanitise_links(href, kept):
    clean = html_sanitise(f'<a href="{href}" onclick="alert(1)">lenke</a>')

    assert ("href=" in clean) is kept
    assert "onclick" not in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_html_sanitise_drops_scripts_handlers_and_styles():
    clean = html_sanitise(
        '<style>body{display:none}</style><p style="color:red" onmouseover="x()">Hei</p>'
        "<script>alert(1)</script><img src=x onerror=alert(2)><iframe src=https://a.example>"
    )

    assert clean == "<p>Hei</p><img>"


def test_html_for_display_leaves_remote_images_out_until_asked():
    stored = html_sanitise('<p>Tilbud!</p><img src="https://tracker.example/p.gif" alt="logo">')

    shown = html_for_display(stored, inline_images={})

    assert "tracker.example" not in shown.html
    assert '<img alt="logo">' in shown.html
    assert '<img src="https://tracker.example/p.gif" alt="logo">' in shown.html_with_remote_images


def test_html_for_display_without_remote_images_has_no_second_version():
    shown = html_for_display("<p>Hei</p>", inline_images={})

    assert shown.html == "<p>Hei</p>"
    assert shown.html_with_remote_images == ""


def test_html_for_display_points_inline_images_at_their_attachments():
    stored = html_sanitise(
        '<img src="cid:logo@mail.example" alt="logo"><img src="cid:missing@mail.example">'
        '<img src="cid:percent%40mail.example">'
    )

    shown = html_for_display(
        stored,
        inline_images={"logo@mail.example": ATTACHMENT_URL, "percent@mail.example": "/a/8"},
    )

    assert f'<img src="{ATTACHMENT_URL}" alt="logo">' in shown.html
    assert "missing" not in shown.html  # a cid: the message has no attachment for goes
    assert '<img src="/a/8">' in shown.html
    assert "cid:" not in shown.html
    assert shown.html_with_remote_images == ""


def test_html_for_display_sanitises_again_what_older_rules_stored():
    legacy = '<p onclick="x()">Hei</p><script>alert(1)</script><img src="/logout/">'

    shown = html_for_display(legacy, inline_images={})

    assert shown.html == "<p>Hei</p><img>"
