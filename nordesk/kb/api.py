"""The knowledge base for agents under /api/v1/kb/: articles, their translations and versions,
status, and search. Reading takes a token of the kb:read scope and writing kb:write, so a
tool that syncs articles need not read tickets; light agents read only."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from nordesk.api.auth import acting_agent
from nordesk.api.types import DbId

from . import selectors, services
from .models import Article
from .search import Reader, article_search

router = Router(tags=["knowledge base"])

LanguageCode = Literal["nb", "nn", "da", "sv", "en"]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class TranslationOut(Schema):
    language: str
    title: str
    slug: str
    body_html: str
    version: int
    updated_at: datetime


class ArticleOut(Schema):
    id: int
    section_id: int
    status: str
    audience: str
    fallback_language: str
    view_count: int
    helpful_yes: int
    helpful_no: int
    deflection_count: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    translations: list[TranslationOut]

    @staticmethod
    def resolve_translations(obj: Article) -> list:
        return sorted(obj.translations.all(), key=lambda t: t.language)


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None


class ArticleCreate(StrictSchema):
    section_id: DbId
    language: LanguageCode
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., max_length=200_000)
    slug: str = Field("", max_length=120)
    audience: Literal["public", "internal"] = "public"


class TranslationIn(StrictSchema):
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., max_length=200_000)
    slug: str = Field("", max_length=120)


class StatusIn(StrictSchema):
    status: Literal["draft", "published", "archived"]


class VersionOut(Schema):
    number: int
    title: str
    slug: str
    body_html: str
    created_at: datetime
    created_by_id: int | None


class HitOut(Schema):
    article_id: int
    language: str
    title: str
    slug: str
    title_html: str
    snippet_html: str


@router.get("/articles", response=ArticlePage, summary="Articles, most recently changed first")
def article_list(
    request: HttpRequest,
    status: Literal["draft", "published", "archived"] | None = None,
    cursor: str | None = Query(None, max_length=200),  # type: ignore[type-arg]
):
    acting_agent(request, "kb:read")
    page = selectors.article_list(status=status or "", cursor=cursor)
    return {"items": page.articles, "next_cursor": page.next_cursor}


@router.get("/articles/{int:article_id}", response=ArticleOut, summary="One article")
def article_get(request: HttpRequest, article_id: DbId):
    acting_agent(request, "kb:read")
    return selectors.article_get(article_id=article_id)


@router.post("/articles", response={201: ArticleOut}, summary="Write a draft article")
def article_create(request: HttpRequest, payload: ArticleCreate):
    agent = acting_agent(request, "kb:write", writes=True)
    article = services.article_create(
        section=selectors.section_get(section_id=payload.section_id),
        language=payload.language,
        title=payload.title,
        body=payload.body,
        slug=payload.slug,
        audience=payload.audience,
        actor=agent.user,
    )
    return Status(201, selectors.article_get(article_id=article.pk))


@router.put(
    "/articles/{int:article_id}/translations/{language}",
    response=ArticleOut,
    summary="Write or change the article in one language (a new version)",
)
def translation_save(
    request: HttpRequest, article_id: DbId, language: LanguageCode, payload: TranslationIn
):
    agent = acting_agent(request, "kb:write", writes=True)
    article = selectors.article_get(article_id=article_id)
    services.article_translation_save(
        article=article,
        language=language,
        title=payload.title,
        body=payload.body,
        slug=payload.slug,
        actor=agent.user,
    )
    return selectors.article_get(article_id=article_id)


@router.get(
    "/articles/{int:article_id}/translations/{language}/versions",
    response=list[VersionOut],
    summary="Every saved version of the article in one language, newest first",
)
def translation_versions(request: HttpRequest, article_id: DbId, language: LanguageCode):
    acting_agent(request, "kb:read")
    article = selectors.article_get(article_id=article_id)
    translation = next((t for t in article.translations.all() if t.language == language), None)
    if translation is None:
        return []
    return list(selectors.translation_versions(translation))


@router.post(
    "/articles/{int:article_id}/status", response=ArticleOut, summary="Publish, archive, draft"
)
def article_status(request: HttpRequest, article_id: DbId, payload: StatusIn):
    agent = acting_agent(request, "kb:write", writes=True)
    article = selectors.article_get(article_id=article_id)
    services.article_set_status(article=article, status=payload.status, actor=agent.user)
    return selectors.article_get(article_id=article_id)


@router.delete(
    "/articles/{int:article_id}",
    response={204: None},
    summary="Delete an article for good (archive it first when it is published)",
)
def article_delete(request: HttpRequest, article_id: DbId):
    agent = acting_agent(request, "kb:write", writes=True)
    article = selectors.article_get(article_id=article_id)
    services.article_delete(article=article, actor=agent.user)
    return Status(204, None)


@router.get("/search", response=list[HitOut], summary="Search articles in one language")
def search(
    request: HttpRequest,
    q: str = Query(..., max_length=500),  # type: ignore[type-arg]
    language: LanguageCode = "en",
    audience: Literal["public", "internal"] = "internal",
    include_drafts: bool = False,
    limit: int = Query(10, ge=1, le=50),  # type: ignore[type-arg]
):
    acting_agent(request, "kb:read")
    hits = article_search(
        text=q,
        language=language,
        audience=Reader.PUBLIC if audience == "public" else Reader.INTERNAL,
        include_drafts=include_drafts,
        limit=limit,
    )
    return [
        {
            "article_id": hit.article.pk,
            "language": hit.translation.language,
            "title": hit.translation.title,
            "slug": hit.translation.slug,
            "title_html": str(hit.title),
            "snippet_html": str(hit.snippet),
        }
        for hit in hits
    ]
