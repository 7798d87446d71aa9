"""Reads for the portal: published, public articles only, each once, in the reader's language
or its fallback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext as _

from nordesk.core.errors import Invalid
from nordesk.tickets.services.html import html_for_display

from ..errors import ArticleNotFound, CategoryNotFound
from ..models import (
    Article,
    ArticleFile,
    ArticleSlug,
    ArticleTranslation,
    Audience,
    Category,
    Language,
    Section,
    Status,
)
from ..search import ArticleHit, Reader, article_public_path, article_search

SUGGEST_LIMIT = 5


def name_in(names: dict[str, str], language: str) -> str:
    """A category's or section's name in `language`, else Bokmål for Nynorsk (and back), else
    English, else the first language it has a name in."""
    neighbour = {"nb": "nn", "nn": "nb"}.get(language, "")
    for code in (language, neighbour, Language.EN, *Language.values):
        if names.get(code):
            return names[code]
    return ""


def _public_articles() -> QuerySet[Article]:
    return Article.objects.filter(status=Status.PUBLISHED, audience=Audience.PUBLIC)


def _shown_translations(language: str, articles: QuerySet[Article]) -> QuerySet:
    """Each article's translation in `language`, or in its fallback language when it has none
    in `language`: one row per article."""
    in_language = ArticleTranslation.objects.filter(
        article_id=OuterRef("article_id"), language=language
    )
    return ArticleTranslation.objects.filter(article__in=articles).filter(
        Q(language=language) | (Q(language=F("article__fallback_language")) & ~Exists(in_language))
    )


@dataclass(frozen=True)
class ArticleListing:
    translation: ArticleTranslation
    language: str  # the reader's, which the path keeps (the portal shows a fallback in it)

    @property
    def article(self) -> Article:
        return self.translation.article

    @property
    def path(self) -> str:
        return article_public_path(language=self.language, slug=self.translation.slug)


@dataclass(frozen=True)
class SectionListing:
    section: Section
    name: str
    articles: list[ArticleListing] = field(default_factory=list)


@dataclass(frozen=True)
class CategoryListing:
    category: Category
    name: str
    sections: list[SectionListing] = field(default_factory=list)


def category_list_public(*, language: str) -> list[CategoryListing]:
    """The categories and sections that hold a published public article, named in `language`,
    with those articles (title and path in `language` or their fallback), by position: two
    queries however many."""
    _language_check(language)
    shown = list(
        _shown_translations(language, _public_articles())
        .select_related("article")
        .order_by("article__section_id", "title")
    )
    by_section: dict[int, list[ArticleListing]] = {}
    for translation in shown:
        by_section.setdefault(translation.article.section_id, []).append(
            ArticleListing(translation=translation, language=language)
        )
    sections = Section.objects.filter(pk__in=by_section).select_related("category")
    categories: dict[int, CategoryListing] = {}
    for section in sorted(
        sections, key=lambda s: (s.category.position, s.category_id, s.position, s.pk)
    ):
        category = categories.setdefault(
            section.category_id,
            CategoryListing(
                category=section.category, name=name_in(section.category.names, language)
            ),
        )
        category.sections.append(
            SectionListing(
                section=section,
                name=name_in(section.names, language),
                articles=by_section[section.pk],
            )
        )
    return list(categories.values())


def category_public_get(*, language: str, slug: str) -> CategoryListing:
    """One category of `category_list_public`; CategoryNotFound when it has no public
    article."""
    for category in category_list_public(language=language):
        if category.category.slug == slug:
            return category
    raise CategoryNotFound()


@dataclass(frozen=True)
class PublicArticle:
    translation: ArticleTranslation
    # Set when the address asked for is an old one (or another language's): the article's
    # address now, to redirect to.
    moved_to: str = ""

    @property
    def article(self) -> Article:
        return self.translation.article


def article_public_get(*, language: str, slug: str) -> PublicArticle:
    """The published public article at /help/<language>/articles/<slug>/ — by its slug in
    `language`, in its fallback language's when it has no translation in `language`, or by a
    slug it had before (then `moved_to` says where it is now). ArticleNotFound for drafts,
    archived and internal articles."""
    _language_check(language)
    shown = _shown_translations(language, _public_articles()).select_related("article")
    found = shown.filter(slug=slug).first()
    if found is not None:
        return PublicArticle(translation=found)
    old = (
        ArticleSlug.objects.filter(slug=slug, article__in=_public_articles())
        .order_by(_first_language(language))
        .first()
    )
    elsewhere = (
        ArticleTranslation.objects.filter(slug=slug, article__in=_public_articles())
        .order_by(_first_language(language))
        .first()
    )
    article_id = old.article_id if old else elsewhere.article_id if elsewhere else None
    current = shown.filter(article_id=article_id).first() if article_id else None
    if current is None:
        raise ArticleNotFound()
    return PublicArticle(
        translation=current,
        moved_to=article_public_path(language=language, slug=current.slug),
    )


def _first_language(language: str) -> Case:
    return Case(
        When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def article_suggest(*, text: str, language: str, limit: int = SUGGEST_LIMIT) -> list[ArticleHit]:
    """Published public articles for what a customer is typing (the contact form's subject and
    description): any of its words, best first. Called on keystrokes: three or four queries."""
    return article_search(
        text=text[-500:],
        language=language,
        audience=Reader.PUBLIC,
        limit=limit,
        every_word=False,
    )


def article_file_public_get(*, file_id: int) -> ArticleFile:
    found = ArticleFile.objects.filter(pk=file_id, article__in=_public_articles()).first()
    if found is None:
        raise ArticleNotFound()
    return found


def article_html(translation: ArticleTranslation, *, file_url: Callable[[int], str]) -> str:
    """The translation's text ready to show: sanitised again, its own images (`cid:file-<id>`)
    pointing at `file_url(id)`, images from elsewhere left out."""
    ids = {
        f"file-{pk}": file_url(pk)
        for pk in ArticleFile.objects.filter(article_id=translation.article_id).values_list(
            "pk", flat=True
        )
    }
    return html_for_display(translation.body_html, inline_images=ids).html


def _language_check(language: str) -> None:
    if language not in Language.values:
        raise Invalid(_("Choose one of the knowledge base's languages."), field="language")


@dataclass(frozen=True)
class PublicLink:
    title: str
    path: str
    language: str


def article_public_link(*, article_id: int, language: str) -> PublicLink:
    """Where a reader of `language` reads a published public article (the portal in their
    language): its translation in `language`, else its fallback language's. ArticleNotFound
    for anything a customer may not read."""
    _language_check(language)
    translation = (
        _shown_translations(language, _public_articles().filter(pk=article_id))
        .only("title", "slug", "language")
        .first()
    )
    if translation is None:
        raise ArticleNotFound()
    return PublicLink(
        title=translation.title,
        path=article_public_path(language=language, slug=translation.slug),
        language=translation.language,
    )
