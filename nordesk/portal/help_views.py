"""The knowledge base in the help centre: the home page's categories and search, search
results, an article (at the address kb gives it), its files, "Was this helpful?", and the
contact form's suggestions while the customer types."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from nordesk.core.errors import ApplicationError, NotFound
from nordesk.kb import selectors as kb_selectors
from nordesk.kb import services as kb_services
from nordesk.kb.search import Reader, article_search

from . import deflection
from .pages import render_page
from .session import portal_account

SESSION_FORM_VISIT = "portal_form_visit"
SESSION_RATED = "portal_rated_articles"
FROM_FORM = "form"  # ?from=form on a suggestion's link: opened from the contact form


def reader_language() -> str:
    """The portal's language (the knowledge base is written in all of the portal's)."""
    return get_language() or settings.LANGUAGE_CODE


def form_visit(request: HttpRequest) -> str:
    """The contact form's visit: from the first view of the form until it is sent, whether
    the customer reads suggestions in between or not."""
    visit = request.session.get(SESSION_FORM_VISIT)
    if not visit:
        visit = request.session[SESSION_FORM_VISIT] = deflection.form_visit_new()
    return visit


def form_visit_end(request: HttpRequest) -> None:
    visit = request.session.pop(SESSION_FORM_VISIT, None)
    if visit:
        deflection.form_visit_submitted(visit=visit)


# A frame on another site gets no session of ours, so the embedded form's visit travels signed:
# in the form, in the suggestions request and in the suggested articles' links.
_EMBED_VISITS = signing.TimestampSigner(salt="nordesk.portal.embed-visit")
EMBED_VISIT_MAX_AGE = 24 * 3600


def embed_visit_issue() -> str:
    return _EMBED_VISITS.sign(deflection.form_visit_new())


def embed_visit_read(signed: str) -> str | None:
    """The visit of a signed token this server issued within the day, else None."""
    try:
        return _EMBED_VISITS.unsign(signed, max_age=EMBED_VISIT_MAX_AGE)
    except signing.BadSignature:
        return None


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    hits: list = []
    error = ""
    if query:
        try:
            hits = article_search(text=query, language=reader_language(), audience=Reader.PUBLIC)
        except ApplicationError as exc:
            error = exc.message
    context = {"query": query, "hits": hits, "error": error, "nav": "home"}
    return render_page(request, "portal/help_search.html", context, status=400 if error else 200)


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    """Every public article of a category (the home page shows a few of each section)."""
    try:
        found = kb_selectors.category_public_get(language=reader_language(), slug=slug)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render_page(request, "portal/help_category.html", {"category": found, "nav": "home"})


def _file_url(file_id: int) -> str:
    return reverse("portal:article_file", args=[file_id])


@require_GET
def article(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    try:
        found = kb_selectors.article_public_get(language=language, slug=slug)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    if found.moved_to:
        query = request.GET.urlencode()
        return redirect(found.moved_to + (f"?{query}" if query else ""), permanent=True)
    article_id = found.article.pk
    kb_services.article_view_record(article_id=article_id, language=language)
    _opened_from_form(request, article_id=article_id, language=language)
    context = _article_context(found, language=language)
    context["rated"] = str(article_id) in request.session.get(SESSION_RATED, {})
    return render_page(request, "portal/help_article.html", context)


def _article_context(found: kb_selectors.PublicArticle, *, language: str) -> dict:
    return {
        "translation": found.translation,
        "language": language,
        "body": kb_selectors.article_html(found.translation, file_url=_file_url),
        "files": kb_selectors.article_files(found.article),
        "nav": "home",
    }


def _opened_from_form(request: HttpRequest, *, article_id: int, language: str) -> None:
    if request.GET.get("from") != FROM_FORM:
        return
    visit = embed_visit_read(request.GET.get("visit", "")) or request.session.get(
        SESSION_FORM_VISIT
    )
    if not visit:
        return
    account = portal_account(request)
    deflection.suggested_article_opened(
        visit=visit,
        article_id=article_id,
        language=language,
        customer_id=account.customer_id if account else None,
    )


@require_POST
def article_feedback(request: HttpRequest, language: str, slug: str) -> HttpResponse:
    try:
        found = kb_selectors.article_public_get(language=language, slug=slug)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    article_id = found.article.pk
    rated = request.session.get(SESSION_RATED, {})
    page = kb_selectors.article_public_path(language=language, slug=found.translation.slug)
    if str(article_id) not in rated and request.POST.get("helpful") in ("yes", "no"):
        account = portal_account(request)
        try:
            kb_services.article_feedback_record(
                article_id=article_id,
                language=language,
                helpful=request.POST["helpful"] == "yes",
                comment=request.POST.get("comment", ""),
                customer_id=account.customer_id if account else None,
            )
        except ApplicationError as exc:
            context = _article_context(found, language=language)
            context.update(feedback_error=exc.message, comment=request.POST.get("comment", ""))
            return render_page(request, "portal/help_article.html", context, status=400)
        request.session[SESSION_RATED] = {**rated, str(article_id): True}
    return redirect(f"{page}#feedback")


@require_GET
def article_file(request: HttpRequest, file_id: int) -> FileResponse:
    """A published public article's file: raster images inline, anything else a download;
    never run as a page."""
    try:
        stored = kb_selectors.article_file_public_get(file_id=file_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=stored.content_type not in kb_services.INLINE_IMAGE_TYPES,
        filename=stored.filename,
        content_type=stored.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def contact_suggestions(request: HttpRequest) -> HttpResponse:
    """The contact form's suggestions for what the customer has typed (htmx swaps them in)."""
    text = f"{request.GET.get('subject', '')} {request.GET.get('description', '')}".strip()
    hits: list = []
    if text:
        try:
            hits = kb_selectors.article_suggest(text=text, language=reader_language())
        except ApplicationError:
            hits = []  # too long to read: the customer is writing, not searching
    # The embedded form's links open a tab of their own, leaving the form as typed in its frame.
    link = {"from": FROM_FORM}
    embed_visit = request.GET.get("visit", "")
    if embed_visit_read(embed_visit):
        link["visit"] = embed_visit
    context = {"hits": hits, "link_query": urlencode(link), "new_tab": "visit" in link}
    return render_page(request, "portal/partials/suggestions.html", context)
