"""What readers tell us about an article: that they viewed it, whether it helped, and (the
portal reports it) that it answered them before they sent the contact form. These are called
for customers, not agents: `customer_id` is the signed-in customer of the portal, or None for
an anonymous visitor. Only a published, public article takes any of them."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from nordesk.core.events import emit

from .. import events, history
from ..errors import ArticleInvalid, ArticleNotFound
from ..models import Article, ArticleFeedback, Audience, Language, Status

COMMENT_MAX = 2000


def _public_article(article_id: int) -> Article:
    article = Article.objects.filter(
        pk=article_id, status=Status.PUBLISHED, audience=Audience.PUBLIC
    ).first()
    if article is None:
        raise ArticleNotFound()
    return article


def _language(language: str) -> str:
    if language not in Language.values:
        raise ArticleInvalid(_("Choose one of the knowledge base's languages."), field="language")
    return language


def article_view_record(*, article_id: int, language: str) -> None:
    """One view more, counted in one UPDATE (no row per view: views only rank and inform)."""
    _language(language)
    updated = Article.objects.filter(
        pk=article_id, status=Status.PUBLISHED, audience=Audience.PUBLIC
    ).update(view_count=F("view_count") + 1)
    if not updated:
        raise ArticleNotFound()


@transaction.atomic
def article_feedback_record(
    *,
    article_id: int,
    language: str,
    helpful: bool,
    comment: str = "",
    customer_id: int | None = None,
) -> ArticleFeedback:
    article = _public_article(article_id)
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ArticleInvalid(
            _("Keep the comment within %(count)d characters.") % {"count": COMMENT_MAX},
            field="comment",
        )
    feedback = ArticleFeedback.objects.create(
        article=article,
        language=_language(language),
        helpful=helpful,
        comment=comment,
        customer_id=customer_id,
    )
    counter = "helpful_yes" if helpful else "helpful_no"
    Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
    return feedback


@transaction.atomic
def article_deflection_record(
    *, article_id: int, language: str, customer_id: int | None = None
) -> None:
    """The customer opened this suggested article and left the contact form without sending
    it: stored as an event row (and counted on the article for the stats page)."""
    article = _public_article(article_id)
    history.article_deflected(
        article=article, language=_language(language), customer_id=customer_id
    )
    Article.objects.filter(pk=article.pk).update(deflection_count=F("deflection_count") + 1)
    emit(events.DEFLECTED, article_id=article.pk, language=language, customer_id=customer_id)
