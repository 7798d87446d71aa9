"""Reads for agents: every article (light agents read the knowledge base too)."""

from __future__ import annotations

import base64
import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _

from nordesk.core.errors import Invalid
from nordesk.tickets.services.html import html_to_text

from ..errors import ArticleNotFound, CategoryNotFound
from ..models import (
    Article,
    ArticleFile,
    ArticleTranslation,
    ArticleVersion,
    Category,
    Section,
)
from ..search import ArticleHit, Reader, article_search

PAGE = 30


def category_list() -> QuerySet[Category]:
    return Category.objects.prefetch_related("sections")


def section_list() -> QuerySet[Section]:
    return Section.objects.select_related("category").order_by(
        "category__position", "category_id", "position", "id"
    )


def category_get(*, category_id: int) -> Category:
    found = Category.objects.filter(pk=category_id).first()
    if found is None:
        raise CategoryNotFound(_("No such category."))
    return found


def section_get(*, section_id: int) -> Section:
    found = section_list().filter(pk=section_id).first()
    if found is None:
        raise CategoryNotFound(_("No such section."))
    return found


def article_get(*, article_id: int) -> Article:
    """Any article, for an agent (light agents included): ArticleNotFound when none."""
    found = (
        Article.objects.select_related("section__category", "created_by")
        .prefetch_related("translations")
        .filter(pk=article_id)
        .first()
    )
    if found is None:
        raise ArticleNotFound()
    return found


def translation_shown(article: Article, language: str) -> ArticleTranslation | None:
    """From the article's prefetched translations: the one in `language`, else its fallback's,
    else any."""
    by_language = {t.language: t for t in article.translations.all()}
    return (
        by_language.get(language)
        or by_language.get(article.fallback_language)
        or next(iter(by_language.values()), None)
    )


@dataclass(frozen=True)
class ArticlePage:
    articles: Sequence[Article]
    next_cursor: str | None


def article_list(
    *,
    status: str = "",
    audience: str = "",
    section_id: int | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
) -> ArticlePage:
    """Articles most recently changed first, paged by keyset (the last row's change time and
    id): two queries, the translations prefetched."""
    qs = Article.objects.select_related("section__category").prefetch_related("translations")
    if status:
        qs = qs.filter(status=status)
    if audience:
        qs = qs.filter(audience=audience)
    if section_id is not None:
        qs = qs.filter(section_id=section_id)
    if cursor:
        updated_at, article_id = _cursor_decode(cursor)
        qs = qs.filter(Q(updated_at__lt=updated_at) | Q(updated_at=updated_at, pk__lt=article_id))
    rows = list(qs.order_by("-updated_at", "-id")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = _cursor_encode([last.updated_at.isoformat(), last.pk])
    return ArticlePage(articles=rows[:limit], next_cursor=next_cursor)


def _cursor_encode(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def _cursor_decode(cursor: str) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except ValueError as error:
        raise Invalid(_("This page link is no longer valid."), field="cursor") from error
    if not isinstance(values, list) or len(values) != 2:
        raise Invalid(_("This page link is no longer valid."), field="cursor")
    return values


def translation_versions(translation: ArticleTranslation) -> QuerySet[ArticleVersion]:
    return translation.versions.select_related("created_by").order_by("-number")


@dataclass(frozen=True)
class VersionChange:
    version: ArticleVersion
    title_before: str
    diff: list[tuple[str, str]]  # ("+" | "-" | " ", line) of the text


def version_changes(translation: ArticleTranslation) -> list[VersionChange]:
    """Each version with what it changed from the one before: its title then, and the lines
    of text added and removed (the first version adds every line)."""
    versions = list(translation_versions(translation))
    changes = []
    for version, before in zip(versions, [*versions[1:], None], strict=True):
        old = html_to_text(before.body_html).splitlines() if before else []
        new = html_to_text(version.body_html).splitlines()
        diff = [(line[0], line[2:]) for line in difflib.ndiff(old, new) if line[:1] in ("+", "-")]
        changes.append(
            VersionChange(version=version, title_before=before.title if before else "", diff=diff)
        )
    return changes


def article_files(article: Article) -> QuerySet[ArticleFile]:
    return article.files.order_by("id")


def article_file_get(*, file_id: int) -> ArticleFile:
    found = ArticleFile.objects.filter(pk=file_id).first()
    if found is None:
        raise ArticleNotFound(_("No such file."))
    return found


STATS_ORDERS = {
    "views": "view_count",
    "helpful": "helpful_yes",
    "unhelpful": "helpful_no",
    "deflections": "deflection_count",
    "comments": "comments",
}


def article_stats(*, order: str = "views", cursor: str | None = None, limit: int = 50):
    """Articles with their views, helpful yes/no, comments and deflections, the largest `order`
    first (keyset paged by that figure and id): which articles deflect contacts and which fail
    their readers. Two queries: the rows, their translations."""
    column = STATS_ORDERS.get(order)
    if column is None:
        raise Invalid(_("Sort by one of the columns."), field="order")
    qs = (
        Article.objects.select_related("section")
        .prefetch_related("translations")
        .annotate(comments=Count("feedback", filter=~Q(feedback__comment="")))
    )
    if cursor:
        value, article_id = _cursor_decode(cursor)
        qs = qs.filter(Q(**{f"{column}__lt": value}) | Q(**{column: value, "pk__lt": article_id}))
    rows = list(qs.order_by(f"-{column}", "-id")[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = _cursor_encode([getattr(last, column), last.pk])
    return ArticlePage(articles=rows[:limit], next_cursor=next_cursor)


def article_feedback_comments(article: Article, *, limit: int = 50):
    return article.feedback.exclude(comment="").order_by("-created_at")[:limit]


def article_links_for_reply(*, text: str, language: str, limit: int = 8) -> list[ArticleHit]:
    """Published public articles an agent may link a customer to, in the customer's language
    (or the article's fallback)."""
    return article_search(text=text, language=language, audience=Reader.PUBLIC, limit=limit)
