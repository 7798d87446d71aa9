from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nordesk.accounts.errors import RoleForbids
from nordesk.kb import selectors, services
from nordesk.kb.errors import (
    ArticleFileTooLarge,
    ArticleInvalid,
    ArticleNotFound,
    IllegalArticleTransition,
    SlugTaken,
)
from nordesk.kb.models import (
    Article,
    ArticleEvent,
    ArticleFeedback,
    ArticleFile,
    ArticleSlug,
    ArticleTranslation,
    ArticleVersion,
)
from nordesk.kb.search import Reader, article_search
from nordesk.kb.selectors.deflections import deflections_between

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return make_section()


def test_article_create_starts_a_draft_with_a_first_version(people, section):
    article = services.article_create(
        section=section,
        language="sv",
        title="Så byter du lösenord",
        body="Gå till <b>Mina sidor</b>.<script>alert(1)</script>",
        actor=people.kari.user,
    )
    translation = article.translations.get()
    assert article.status == "draft"
    assert article.fallback_language == "sv"
    assert translation.slug == "sa-byter-du-losenord"
    assert "<script>" not in translation.body_html
    assert "<b>Mina sidor</b>" in translation.body_html
    version = translation.versions.get()
    assert (version.number, version.created_by) == (1, people.kari.user)


def test_plain_text_becomes_paragraphs(section):
    article = make_article(section, body="Første avsnitt.\n\nAndre & siste.", publish=False)
    html = article.translations.get().body_html
    assert html == "<p>Første avsnitt.</p>\n\n<p>Andre &amp; siste.</p>"


def test_every_saved_change_is_a_version_and_the_same_text_is_none(people, section):
    article = make_article(section, publish=False)
    translation = article.translations.get()
    services.article_translation_save(
        article=article,
        language="nb",
        title=translation.title,
        body="Ny tekst om fakturaen.",
        actor=people.kari.user,
    )
    services.article_translation_save(
        article=article,
        language="nb",
        title=translation.title,
        body="Ny tekst om fakturaen.",
        actor=people.siri.user,
    )
    versions = list(selectors.translation_versions(article.translations.get()))
    assert [(v.number, v.created_by) for v in versions] == [(2, people.kari.user), (1, None)]
    change = selectors.version_changes(article.translations.get())[0]
    assert ("+", "Ny tekst om fakturaen.") in change.diff
    assert ("-", "Fakturaen betaler du i nettbanken innen forfallsdatoen.") in change.diff


def test_versions_are_immutable_rows(section):
    article = make_article(section, publish=False)
    services.article_translation_save(
        article=article, language="nb", title="Ny tittel", body="Ny.", actor=None
    )
    assert list(ArticleVersion.objects.order_by("number").values_list("title", flat=True)) == [
        "Slik betaler du fakturaen",
        "Ny tittel",
    ]


def test_a_renamed_article_is_still_found_at_its_old_address(section):
    article = make_article(section)
    services.article_translation_save(
        article=article, language="nb", title="Betal regningen", body="Tekst.", actor=None
    )
    found = selectors.article_public_get(language="nb", slug="slik-betaler-du-fakturaen")
    assert found.article.pk == article.pk
    assert found.moved_to == "/help/nb/articles/betal-regningen/"
    assert selectors.article_public_get(language="nb", slug="betal-regningen").moved_to == ""


def test_a_slug_is_unique_per_language(section):
    make_article(section, title="Faktura")
    second = make_article(section, title="Faktura")
    assert second.translations.get().slug == "faktura-2"
    english = make_article(section, language="en", title="Faktura")
    assert english.translations.get().slug == "faktura"
    with pytest.raises(SlugTaken):
        services.article_translation_save(
            article=second, language="nb", title="X", body="Y", slug="faktura", actor=None
        )


def test_an_old_slug_is_not_given_to_another_article(section):
    first = make_article(section, title="Faktura")
    services.article_translation_save(
        article=first, language="nb", title="Regning", body="T", actor=None
    )
    second = make_article(section, title="Faktura")
    assert second.translations.get().slug == "faktura-2"


def test_light_agents_cannot_write_the_knowledge_base(people, section):
    with pytest.raises(RoleForbids):
        services.article_create(
            section=section, language="nb", title="T", body="B", actor=people.lars.user
        )
    article = make_article(section, publish=False)
    with pytest.raises(RoleForbids):
        services.article_set_status(article=article, status="published", actor=people.lars.user)


def test_status_moves_along_its_transitions_with_history(people, section):
    article = make_article(section, publish=False)
    services.article_set_status(article=article, status="published", actor=people.kari.user)
    services.article_set_status(article=article, status="archived", actor=people.kari.user)
    with pytest.raises(IllegalArticleTransition):
        services.article_set_status(article=article, status="bogus", actor=people.kari.user)
    kinds = list(ArticleEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["created", "published", "archived"]


def test_publishing_needs_the_fallback_translation(section):
    article = make_article(section, publish=False)
    services.article_translation_save(
        article=article, language="en", title="Invoice", body="Pay.", actor=None
    )
    services.article_update(article=article, fallback_language="en", actor=None)
    with pytest.raises(ArticleInvalid):
        services.article_update(article=article, fallback_language="da", actor=None)


def test_an_empty_title_is_refused_and_nothing_is_stored(section):
    with pytest.raises(ArticleInvalid) as caught:
        services.article_create(section=section, language="nb", title="  ", body="B", actor=None)
    assert caught.value.field == "title"
    assert not ArticleVersion.objects.exists()


def test_files_are_sniffed_and_limited(settings, section):
    article = make_article(section, publish=False)
    html = SimpleUploadedFile("page.png", b"<html><script>alert(1)</script></html>")
    stored = services.article_file_add(article=article, file=html, actor=None)
    assert stored.content_type == "application/octet-stream"
    settings.MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(ArticleFileTooLarge):
        services.article_file_add(
            article=article, file=SimpleUploadedFile("a.txt", b"x" * 11), actor=None
        )


def test_feedback_views_and_deflections_count_on_public_articles_only(people, section):
    article = make_article(section)
    services.article_view_record(article_id=article.pk, language="nb")
    services.article_feedback_record(article_id=article.pk, language="nb", helpful=True)
    services.article_feedback_record(
        article_id=article.pk,
        language="nb",
        helpful=False,
        comment="Fant ikke knappen",
        customer_id=people.sofie.pk,
    )
    services.article_deflection_record(article_id=article.pk, language="nb")
    article.refresh_from_db()
    assert (article.view_count, article.helpful_yes, article.helpful_no) == (1, 1, 1)
    assert article.deflection_count == 1
    assert ArticleEvent.objects.filter(article=article, kind="deflected").count() == 1
    draft = make_article(section, title="Utkast", publish=False)
    internal = make_article(section, title="Intern", audience="internal")
    for hidden in (draft, internal):
        with pytest.raises(ArticleNotFound):
            services.article_view_record(article_id=hidden.pk, language="nb")
        with pytest.raises(ArticleNotFound):
            services.article_feedback_record(article_id=hidden.pk, language="nb", helpful=True)
        with pytest.raises(ArticleNotFound):
            services.article_deflection_record(article_id=hidden.pk, language="nb")


def test_article_stats_sort_by_what_fails(section):
    good = make_article(section, title="God")
    bad = make_article(section, title="Dårlig")
    services.article_feedback_record(article_id=good.pk, language="nb", helpful=True)
    for _ in range(2):
        services.article_feedback_record(
            article_id=bad.pk, language="nb", helpful=False, comment="Hjalp ikke"
        )
    by_unhelpful = selectors.article_stats(order="unhelpful").articles
    assert [a.pk for a in by_unhelpful] == [bad.pk, good.pk]
    assert by_unhelpful[0].comments == 2
    page = selectors.article_stats(order="helpful", limit=1)
    assert [a.pk for a in page.articles] == [good.pk]
    rest = selectors.article_stats(order="helpful", limit=1, cursor=page.next_cursor)
    assert [a.pk for a in rest.articles] == [bad.pk]


def _searched(text: str) -> list[int]:
    hits = article_search(
        text=text, language="nb", audience=Reader.INTERNAL, include_drafts=True, limit=10
    )
    return [hit.article.pk for hit in hits]


def test_a_deleted_article_goes_with_all_of_it_but_its_deflections(
    people, section, django_capture_on_commit_callbacks
):
    article = make_article(section, translations={"en": ("How to pay", "Pay in your bank.")})
    services.article_translation_save(
        article=article, language="nb", title="Betal fakturaen", body="I nettbanken.", actor=None
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    upload = services.article_file_add(
        article=article, file=SimpleUploadedFile("skjerm.png", png), actor=None
    )
    services.article_feedback_record(article_id=article.pk, language="nb", helpful=True)
    services.article_deflection_record(article_id=article.pk, language="nb")
    services.article_set_status(article=article, status="archived", actor=people.kari.user)
    assert _searched("nettbanken") == [article.pk]
    path = Path(upload.file.path)
    assert path.exists()
    kept = (ArticleTranslation, ArticleVersion, ArticleSlug, ArticleFile, ArticleFeedback)
    assert all(model.objects.filter(article=article).exists() for model in kept[2:])
    assert ArticleVersion.objects.filter(translation__article=article).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        title = services.article_delete(article=article, actor=people.siri.user)

    assert title == "Betal fakturaen"
    assert not Article.objects.filter(pk=article.pk).exists()
    for model in kept:
        assert not model.objects.exists(), model
    assert not path.exists()
    assert _searched("nettbanken") == []
    # past days keep their deflection: the deflection rate of last week does not change
    assert ArticleEvent.objects.filter(kind="deflected", article=None).count() == 1
    assert len(deflections_between(timezone.now() - timedelta(days=1), timezone.now())) == 1
    deleted = ArticleEvent.objects.get(kind="deleted")
    assert (deleted.article, deleted.actor) == (None, people.siri.user)
    assert deleted.data == {"article": article.pk, "title": "Betal fakturaen"}
    assert ArticleEvent.objects.count() == 2  # its change history went with it


def test_a_published_article_is_archived_before_it_is_deleted(people, section):
    article = make_article(section)
    with pytest.raises(IllegalArticleTransition) as caught:
        services.article_delete(article=article, actor=people.siri.user)
    assert caught.value.field == "status"
    assert Article.objects.filter(pk=article.pk, status="published").exists()
    assert _searched("nettbanken") == [article.pk]


def test_agents_delete_only_their_own_drafts_never_published(people, section):
    kari = people.kari.user
    draft = services.article_create(
        section=section, language="nb", title="Utkast", body="Tekst.", actor=kari
    )
    for someone_else in (people.ole.user, people.lars.user):
        with pytest.raises(RoleForbids):
            services.article_delete(article=draft, actor=someone_else)
    once_published = services.article_create(
        section=section, language="nb", title="Gammel", body="Tekst.", actor=kari
    )
    services.article_set_status(article=once_published, status="published", actor=kari)
    services.article_set_status(article=once_published, status="draft", actor=kari)
    with pytest.raises(RoleForbids):
        services.article_delete(article=once_published, actor=kari)  # readers have seen it
    assert Article.objects.count() == 2
    services.article_delete(article=draft, actor=kari)
    services.article_delete(article=once_published, actor=people.astrid.user)
    assert not Article.objects.exists()
