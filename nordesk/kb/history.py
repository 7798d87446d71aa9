"""Constructors of ArticleEvent rows, saved by the service that made the change."""

from typing import Any

from django.contrib.auth.models import User

from .models import Article, ArticleEvent, EventKind


def _event(
    *,
    article: Article | None,
    kind: str,
    actor: User | None = None,
    customer_id: int | None = None,
    language: str = "",
    data: dict[str, Any] | None = None,
) -> ArticleEvent:
    return ArticleEvent.objects.create(
        article=article,
        kind=kind,
        actor=actor,
        customer_id=customer_id,
        language=language,
        data=data or {},
    )


def article_created(*, article: Article, actor: User | None, source: dict[str, Any]) -> None:
    _event(article=article, kind=EventKind.CREATED, actor=actor, data=source)


def article_status_changed(*, article: Article, actor: User | None, old: str, new: str) -> None:
    kind = {"published": EventKind.PUBLISHED, "archived": EventKind.ARCHIVED}.get(
        new, EventKind.UNPUBLISHED
    )
    _event(article=article, kind=kind, actor=actor, data={"old": old, "new": new})


def article_moved(*, article: Article, actor: User | None, changes: dict[str, Any]) -> None:
    _event(article=article, kind=EventKind.MOVED, actor=actor, data=changes)


def article_deflected(*, article: Article, language: str, customer_id: int | None) -> None:
    _event(article=article, kind=EventKind.DEFLECTED, customer_id=customer_id, language=language)


def article_deleted(*, article: Article, actor: User | None, title: str) -> None:
    """Outlives the article it names (the row has no article: it is gone)."""
    _event(
        article=None,
        kind=EventKind.DELETED,
        actor=actor,
        data={"article": article.pk, "title": title},
    )
