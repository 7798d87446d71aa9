"""The knowledge base in the workspace, through Django's test client: the article list and
search, writing and publishing, versions, files, the readers' figures, and from the ticket page
a link to an article in the reply box and an answer made into a draft article."""

import html
import re
from dataclasses import replace
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nordesk.kb import services as kb_services
from nordesk.kb.models import Article, ArticleTranslation
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import Message
from tests.factories import inbound
from tests.kb.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return make_section()


def _page(response) -> str:
    return response.content.decode()


def _reply_box(page: str) -> str:
    match = re.search(r'<textarea[^>]*id="reply-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "no reply box"
    return html.unescape(match.group(1)).strip()


# --- list and search ------------------------------------------------------------------------


def test_article_list_shows_every_article_to_agents(kari_client, section):
    make_article(section, title="Faktura offentlig")
    make_article(section, title="Faktura utkast", publish=False)
    make_article(section, title="Faktura intern", audience="internal")
    page = _page(kari_client.get(reverse("web:kb")))
    for title in ("Faktura offentlig", "Faktura utkast", "Faktura intern"):
        assert title in page


def test_article_list_costs_a_fixed_number_of_queries(
    kari_client, section, django_assert_num_queries
):
    for n in range(3):
        make_article(section, title=f"Artikkel {n}")
    kari_client.get(reverse("web:kb"))  # the first request of a minute notes the agent seen
    with django_assert_num_queries(6):
        first = kari_client.get(reverse("web:kb"))
    for n in range(3, 10):
        make_article(section, title=f"Artikkel {n}")
    with django_assert_num_queries(6):
        again = kari_client.get(reverse("web:kb"))
    assert first.status_code == again.status_code == 200


def test_article_search_page_finds_drafts_too_with_marks(kari_client, section):
    make_article(section, title="Endre passordet", publish=False)
    page = _page(kari_client.get(reverse("web:kb"), {"q": "passord"}))
    assert "<mark>passordet</mark>" in page


def test_article_search_page_costs_a_fixed_number_of_queries(
    kari_client, section, django_assert_num_queries
):
    for n in range(5):
        make_article(section, title=f"Faktura {n}")
    kari_client.get(reverse("web:kb"))
    with django_assert_num_queries(7):
        response = kari_client.get(reverse("web:kb"), {"q": "faktura"})
    assert _page(response).count('class="search-hit"') == 5


def test_article_list_pages_by_keyset(kari_client, section):
    for n in range(32):
        make_article(section, title=f"Artikkel nummer {n}", publish=False)
    first = _page(kari_client.get(reverse("web:kb")))
    after = re.search(r'href="\?after=([^"&]+)"', first)
    assert after
    cursor = unquote(html.unescape(after.group(1)))
    second = _page(kari_client.get(reverse("web:kb"), {"after": cursor}))
    assert "Artikkel nummer 0<" in second
    assert "Artikkel nummer 0<" not in first


def test_a_tampered_page_link_shows_the_first_page_with_the_reason(kari_client, section):
    make_article(section, title="Faktura")
    page = _page(kari_client.get(reverse("web:kb"), {"after": "bm9wZQ"}))
    assert "This page link is no longer valid." in page
    assert "Faktura" in page


# --- writing --------------------------------------------------------------------------------


def test_agent_writes_publishes_and_edits_an_article_with_versions(kari_client, people, section):
    response = kari_client.post(
        reverse("web:kb_article_create"),
        {
            "section": section.pk,
            "language": "sv",
            "audience": "public",
            "title": "Byt lösenord",
            "slug": "",
            "body": "Gå till Mina sidor.",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kb/{article.pk}/?language=sv"
    kari_client.post(reverse("web:kb_article_status", args=[article.pk]), {"status": "published"})
    kari_client.post(
        reverse("web:kb_translation_edit", args=[article.pk]) + "?language=sv",
        {
            "title": "Byt lösenord",
            "slug": "byt-losenord",
            "body": "Gå till Mina sidor och välj Byt.",
        },
    )
    article.refresh_from_db()
    assert article.status == "published"
    translation = ArticleTranslation.objects.get(article=article)
    assert translation.version == 2
    history = _page(
        kari_client.get(reverse("web:kb_history", args=[article.pk]), {"language": "sv"})
    )
    assert "Gå till Mina sidor och välj Byt." in history
    assert "Kari Nordmann" in history


def test_slug_taken_is_shown_by_the_field(kari_client, section):
    make_article(section, title="Faktura")
    response = kari_client.post(
        reverse("web:kb_article_create"),
        {
            "section": section.pk,
            "language": "nb",
            "audience": "public",
            "title": "Min nye tittel",
            "slug": "faktura",
            "body": "Teksten min",
        },
    )
    page = _page(response)
    assert response.status_code == 400
    assert "Another article already has this address in this language." in page
    assert "Teksten min" in page
    assert Article.objects.count() == 1


def test_light_agents_read_but_cannot_write(client, people, section):
    article = make_article(section, title="Faktura")
    client.force_login(people.lars.user)
    assert client.get(reverse("web:kb_article", args=[article.pk])).status_code == 200
    assert client.get(reverse("web:kb_article_create")).status_code == 404
    response = client.post(
        reverse("web:kb_article_status", args=[article.pk]), {"status": "archived"}
    )
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.status == "published"
    assert 'id="kb-edit"' not in _page(client.get(reverse("web:kb_article", args=[article.pk])))


def test_unknown_articles_and_files_are_404(kari_client):
    assert kari_client.get(reverse("web:kb_article", args=[999])).status_code == 404
    assert kari_client.get(reverse("web:kb_history", args=[999])).status_code == 404
    assert kari_client.get(reverse("web:kb_file", args=[999])).status_code == 404
    assert kari_client.post(reverse("web:kb_article_status", args=[999])).status_code == 404


def test_files_are_downloads_and_images_show_in_the_text(kari_client, section):
    article = make_article(section, title="Faktura")
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    kari_client.post(
        reverse("web:kb_file_upload", args=[article.pk]),
        {"file": SimpleUploadedFile("skjerm.png", png)},
    )
    kari_client.post(
        reverse("web:kb_file_upload", args=[article.pk]),
        {"file": SimpleUploadedFile("side.html", b"<html><script>alert(1)</script></html>")},
    )
    image, page = article.files.order_by("id")
    kb_services.article_translation_save(
        article=article,
        language="nb",
        title="Faktura",
        body=f'<p>Se her: <img src="cid:file-{image.pk}" alt="Skjerm"></p>',
        actor=None,
    )
    shown = _page(kari_client.get(reverse("web:kb_article", args=[article.pk])))
    assert f'src="/kb/files/{image.pk}/"' in shown
    served = kari_client.get(reverse("web:kb_file", args=[image.pk]))
    assert served["Content-Type"] == "image/png"
    assert "attachment" not in served.get("Content-Disposition", "")
    html_file = kari_client.get(reverse("web:kb_file", args=[page.pk]))
    assert html_file["Content-Type"] == "application/octet-stream"
    assert html_file["Content-Disposition"].startswith("attachment")
    assert "sandbox" in html_file["Content-Security-Policy"]


def test_stats_page_sorts_by_the_column_chosen(kari_client, section):
    good = make_article(section, title="God artikkel")
    bad = make_article(section, title="Dårlig artikkel")
    kb_services.article_feedback_record(article_id=good.pk, language="nb", helpful=True)
    kb_services.article_deflection_record(article_id=good.pk, language="nb")
    for _ in range(3):
        kb_services.article_feedback_record(
            article_id=bad.pk, language="nb", helpful=False, comment="Uklart"
        )
    page = _page(kari_client.get(reverse("web:kb_stats"), {"order": "unhelpful"}))
    assert page.index("Dårlig artikkel") < page.index("God artikkel")
    page = _page(kari_client.get(reverse("web:kb_stats"), {"order": "deflections"}))
    assert page.index("God artikkel") < page.index("Dårlig artikkel")
    row = re.search(rf'<tr id="kb-stats-{bad.pk}">(.*?)</tr>', page, re.S).group(1)
    assert [c.strip() for c in re.findall(r"<td>(\d+)</td>", row)] == ["0", "0", "3", "0", "3"]


def test_a_supervisor_deletes_an_archived_article_after_ticking_the_box(client, people, section):
    article = make_article(section, title="Gammel faktura")
    client.force_login(people.siri.user)
    page = _page(client.get(reverse("web:kb_article", args=[article.pk])))
    assert 'id="kb-delete"' not in page  # published: archive it first
    kb_services.article_set_status(article=article, status="archived", actor=None)
    page = _page(client.get(reverse("web:kb_article", args=[article.pk])))
    assert 'id="kb-delete"' in page
    url = reverse("web:kb_article_delete", args=[article.pk])
    unticked = client.post(url, follow=True)
    assert "Tick the box to confirm that the article goes for good." in _page(unticked)
    assert Article.objects.filter(pk=article.pk).exists()
    deleted = client.post(url, {"confirm": "yes"}, follow=True)
    assert deleted.redirect_chain[-1][0] == reverse("web:kb")
    assert "“Gammel faktura” was deleted." in _page(deleted)
    assert not Article.objects.filter(pk=article.pk).exists()
    assert client.get(reverse("web:kb_article", args=[article.pk])).status_code == 404
    assert client.post(url, {"confirm": "yes"}).status_code == 404


def test_agents_see_delete_on_their_own_drafts_only(kari_client, client, people, section):
    own = kb_services.article_create(
        section=section, language="nb", title="Mitt utkast", body="Tekst.", actor=people.kari.user
    )
    others = make_article(section, title="Andres utkast", publish=False)
    assert 'id="kb-delete"' in _page(kari_client.get(reverse("web:kb_article", args=[own.pk])))
    assert 'id="kb-delete"' not in _page(
        kari_client.get(reverse("web:kb_article", args=[others.pk]))
    )
    refused = kari_client.post(
        reverse("web:kb_article_delete", args=[others.pk]), {"confirm": "yes"}, follow=True
    )
    assert "Only supervisors and admins delete articles others wrote" in _page(refused)
    assert Article.objects.filter(pk=others.pk).exists()
    client.force_login(people.lars.user)
    light = client.post(reverse("web:kb_article_delete", args=[own.pk]), {"confirm": "yes"})
    assert light.status_code == 404
    assert Article.objects.filter(pk=own.pk).exists()


# --- from the ticket page -------------------------------------------------------------------


@pytest.fixture
def sv_ticket(people):
    message = replace(inbound(team=people.billing, name="Sofie Lund"), language="sv")
    return ticket_services.receive(message).ticket


def test_composer_finds_an_article_and_inserts_its_link_in_the_tickets_language(
    kari_client, sv_ticket, section
):
    article = make_article(
        section,
        language="en",
        title="Changing your password",
        body="Open My pages.",
        translations={"sv": ("Byt lösenord", "Öppna Mina sidor.")},
    )
    url = reverse("web:ticket_kb_link", args=[sv_ticket.number])
    found = _page(kari_client.get(url, {"kb_q": "lösenorden"}, HTTP_HX_REQUEST="true"))
    assert "<mark>lösenord</mark>" in found
    assert f'data-kb-insert="{article.pk}"' in found
    messages_before = Message.objects.filter(ticket=sv_ticket).count()

    inserted = _page(kari_client.get(url, {"article": article.pk, "text": "Hej Sofie,"}))

    assert _reply_box(inserted) == (
        "Hej Sofie,\n\nByt lösenord: http://testserver/help/sv/articles/byt-losenord/"
    )
    assert Message.objects.filter(ticket=sv_ticket).count() == messages_before


def test_composer_never_links_drafts_or_internal_articles(kari_client, people, section):
    draft = make_article(section, title="Passord utkast", publish=False)
    internal = make_article(section, title="Passord intern", audience="internal")
    url = reverse("web:ticket_kb_link", args=[people.ticket.number])
    page = _page(kari_client.get(url, {"kb_q": "passord"}))
    assert "No published articles match" in page
    for hidden in (draft, internal):
        refused = _page(kari_client.get(url, {"article": hidden.pk, "text": "Kladd"}))
        assert "That article is not published for customers." in refused
        assert _reply_box(refused) == "Kladd"


def test_a_public_reply_becomes_a_draft_article_in_one_step(kari_client, people, section):
    reply = ticket_services.ticket_reply(
        ticket=people.ticket, actor=people.kari.user, text="Slik gjør du det: trykk på Betal."
    )
    response = kari_client.post(
        reverse("web:ticket_message_to_article", args=[people.ticket.number, reply.pk])
    )
    article = Article.objects.get()
    translation = article.translations.get()
    assert article.status == "draft"
    assert translation.title == people.ticket.subject
    assert "Slik gjør du det: trykk på Betal." in translation.body_html
    assert response["Location"].startswith(reverse("web:kb_translation_edit", args=[article.pk]))
    assert article.events.get().data == {"ticket": people.ticket.number, "message": reply.pk}


def test_only_public_replies_become_articles(kari_client, client, people, section):
    note = ticket_services.ticket_add_note(ticket=people.ticket, actor=people.kari.user, text="X")
    url = reverse("web:ticket_message_to_article", args=[people.ticket.number, note.pk])
    assert kari_client.post(url).status_code == 404
    incoming = Message.objects.filter(ticket=people.ticket, direction="in").first()
    url = reverse("web:ticket_message_to_article", args=[people.ticket.number, incoming.pk])
    assert kari_client.post(url).status_code == 404
    reply = ticket_services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text="Y")
    client.force_login(people.lars.user)
    url = reverse("web:ticket_message_to_article", args=[people.ticket.number, reply.pk])
    assert client.post(url).status_code == 404
    assert not Article.objects.exists()


def test_the_ticket_page_offers_the_picker_and_the_draft_button(kari_client, people, section):
    reply = ticket_services.ticket_reply(ticket=people.ticket, actor=people.kari.user, text="Y")
    page = _page(kari_client.get(reverse("web:ticket", args=[people.ticket.number])))
    assert 'id="kb-picker-form"' in page
    assert f'id="message-{reply.pk}-to-article"' in page


def test_composer_links_a_fallback_translation_in_the_tickets_language(
    kari_client, sv_ticket, section
):
    article = make_article(section, language="en", title="Paying the invoice", body="Pay.")
    url = reverse("web:ticket_kb_link", args=[sv_ticket.number])
    inserted = _page(kari_client.get(url, {"article": article.pk, "text": ""}))
    assert _reply_box(inserted) == (
        "Paying the invoice: http://testserver/help/sv/articles/paying-the-invoice/"
    )


def test_editors_add_sections_and_light_agents_cannot(kari_client, client, people):
    response = kari_client.post(
        reverse("web:kb_sections"), {"category": "Faktura", "name": "Betaling"}
    )
    assert response.status_code == 302
    kari_client.post(reverse("web:kb_sections"), {"category": "faktura", "name": "Purring"})
    page = _page(kari_client.get(reverse("web:kb_sections")))
    assert "Betaling" in page
    assert "Purring" in page
    assert page.count("<strong>Faktura</strong>") == 1  # the same category, named again
    client.force_login(people.lars.user)
    refused = client.post(reverse("web:kb_sections"), {"category": "X", "name": "Y"})
    assert refused.status_code == 404


def test_article_page_costs_a_fixed_number_of_queries(
    kari_client, section, django_assert_num_queries
):
    article = make_article(
        section, translations={"en": ("Paying", "Pay."), "sv": ("Betala", "Betala.")}
    )
    for n in range(3):
        kb_services.article_feedback_record(
            article_id=article.pk, language="nb", helpful=False, comment=f"Uklart {n}"
        )
    url = reverse("web:kb_article", args=[article.pk])
    kari_client.get(url)
    with django_assert_num_queries(10):
        page = _page(kari_client.get(url, {"language": "sv"}))
    assert '<h1 id="kb-article-title">Betala</h1>' in page
    assert "Uklart 2" in page


def test_agents_search_the_knowledge_base_in_the_language_they_choose(kari_client, section):
    make_article(
        section,
        language="en",
        title="Paying the invoice",
        body="Pay.",
        translations={"sv": ("Betala fakturan", "Betala i banken.")},
    )
    english = _page(kari_client.get(reverse("web:kb"), {"q": "fakturan"}))
    assert "No articles match" in english
    swedish = _page(kari_client.get(reverse("web:kb"), {"q": "fakturan", "language": "sv"}))
    assert "Betala <mark>fakturan</mark>" in swedish


def test_agent_adds_a_translation_from_the_article_page(kari_client, section):
    article = make_article(section, title="Faktura")
    page = _page(kari_client.get(reverse("web:kb_article", args=[article.pk])))
    assert f'href="/kb/{article.pk}/edit/?language=sv"' in page

    response = kari_client.post(
        reverse("web:kb_translation_edit", args=[article.pk]) + "?language=sv",
        {"title": "Faktura på svenska", "slug": "", "body": "Betala fakturan."},
    )

    assert response["Location"] == f"/kb/{article.pk}/?language=sv"
    translation = article.translations.get(language="sv")
    assert (translation.slug, translation.version) == ("faktura-pa-svenska", 1)
    shown = _page(kari_client.get(response["Location"]))
    assert '<h1 id="kb-article-title">Faktura på svenska</h1>' in shown


# --- categories and sections ----------------------------------------------------------------

NB = {"HTTP_ACCEPT_LANGUAGE": "nb"}


def test_editors_rename_a_category_and_a_section_in_their_language(kari_client, client, section):
    make_article(section)
    category_url = reverse("web:kb_category_change", args=[section.category_id])
    section_url = reverse("web:kb_section_change", args=[section.pk])

    renamed = kari_client.post(category_url, {"action": "rename", "name": " Betaling "}, **NB)
    kari_client.post(section_url, {"action": "rename", "name": "Fakturaer"}, **NB)

    assert renamed["Location"] == f"/kb/sections/#kb-category-{section.category_id}"
    norwegian = client.get("/help/", **NB).content.decode()
    english = client.get("/help/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Betaling" in norwegian
    assert "Fakturaer" in norwegian
    assert "Faktura og betaling" not in norwegian
    assert "Billing" in english  # the other languages' names stay
    assert "Invoices" in english


def test_editors_order_categories_and_sections_as_readers_see_them(kari_client, client):
    first, second = make_section("billing"), make_section("delivery")
    kb_services.category_rename(
        category=second.category, name="Levering", language="nb", actor=None
    )
    third = kb_services.section_create(
        category=first.category, slug="reminders", names={"nb": "Purring"}, actor=None
    )
    for section, title in ((first, "Betal fakturaen"), (second, "Spor pakken"), (third, "Purr")):
        make_article(section, title=title)

    kari_client.post(reverse("web:kb_category_change", args=[second.category_id]), {"action": "up"})
    kari_client.post(reverse("web:kb_section_change", args=[third.pk]), {"action": "up"})
    kari_client.post(reverse("web:kb_section_change", args=[third.pk]), {"action": "up"})

    home = client.get("/help/", **NB).content.decode()
    assert home.index("Levering") < home.index("Faktura og betaling")
    billing = home[home.index("Faktura og betaling") :]
    assert billing.index("Purring") < billing.index("Faktura<")
    page = _page(kari_client.get(reverse("web:kb_sections"), **NB))
    assert page.index("Levering") < page.index("Faktura og betaling")


def test_a_rename_to_nothing_or_to_a_siblings_name_is_refused_and_changes_nothing(
    kari_client, section
):
    other = kb_services.section_create(
        category=section.category, slug="reminders", names={"nb": "Purring"}, actor=None
    )
    url = reverse("web:kb_section_change", args=[other.pk])

    empty = kari_client.post(url, {"action": "rename", "name": "   "}, **NB)
    taken = kari_client.post(url, {"action": "rename", "name": "FAKTURA"}, **NB)
    unknown = kari_client.post(url, {"action": "explode"}, **NB)
    too_long = kari_client.post(url, {"action": "rename", "name": "x" * 101}, **NB)

    assert [r.status_code for r in (empty, taken, unknown, too_long)] == [400, 400, 400, 400]
    assert "Gi det et navn." in _page(empty)  # in the language of the workspace
    assert "Denne kategorien har allerede en seksjon med det navnet." in _page(taken)
    other.refresh_from_db()
    assert other.names == {"nb": "Purring"}


def test_light_agents_and_unknown_ids_change_no_category(kari_client, client, people, section):
    client.force_login(people.lars.user)
    url = reverse("web:kb_category_change", args=[section.category_id])

    light = client.post(url, {"action": "rename", "name": "Hacket"})
    missing = kari_client.post(reverse("web:kb_category_change", args=[999_999]), {"action": "up"})

    assert (light.status_code, missing.status_code) == (404, 404)
    section.category.refresh_from_db()
    assert section.category.names == {"nb": "Faktura og betaling", "en": "Billing"}
