"""The knowledge base in the workspace: the article list and search, writing an article and
its translations (every save a version), its history, status, files and readers' figures.
Every agent reads (light agents too); writing needs a full agent (`kb_editor_required`, and the
services refuse it anyway). What the ticket page does with articles is in kb_ticket_views."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nordesk.core.errors import ApplicationError, Invalid, NotFound
from nordesk.kb import selectors as kb_selectors
from nordesk.kb import services as kb_services
from nordesk.kb.models import Language
from nordesk.kb.search import Reader, article_search

from .kb_forms import (
    ArticleForm,
    ArticleSettingsForm,
    KbListForm,
    KbStatsForm,
    SectionForm,
    TranslationForm,
)
from .views import agent_required, agents_who

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.kb.models import Article, ArticleTranslation

kb_editor_required = agents_who(
    lambda agent: agent.can_reply,
    gettext_lazy("Light agents can read the knowledge base but not change it."),
)
LANGUAGES = dict(Language.choices)
SEARCH_LIMIT = 30


def _article_or_404(article_id: int) -> Article:
    try:
        return kb_selectors.article_get(article_id=article_id)
    except NotFound as error:
        raise Http404(error.message) from error


def _language_of(request: HttpRequest, article: Article) -> str:
    asked = request.GET.get("language", "")
    return asked if asked in LANGUAGES else article.fallback_language


def _file_url(file_id: int) -> str:
    return reverse("web:kb_file", args=[file_id])


# --- list, search and figures ----------------------------------------------------------------


@require_GET
@agent_required
def kb_list(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Articles most recently changed first (keyset pages), or the best matches of a search
    in the workspace's language, drafts and internal articles included."""
    form = KbListForm(request.GET)
    asked = (
        form.cleaned_data
        if form.is_valid()
        else {"q": "", "status": "", "after": "", "language": ""}
    )
    hits, page = [], None
    language = asked["language"] or _workspace_language(request)
    try:
        if asked["q"].strip():
            hits = article_search(
                text=asked["q"],
                language=language,
                audience=Reader.INTERNAL,
                include_drafts=True,
                limit=SEARCH_LIMIT,
            )
            if asked["status"]:
                hits = [hit for hit in hits if hit.article.status == asked["status"]]
        else:
            page = kb_selectors.article_list(status=asked["status"], cursor=asked["after"] or None)
    except Invalid as error:
        form.add_application_error(error)
        page = kb_selectors.article_list()
    rows = [
        (
            article,
            kb_selectors.translation_shown(article, language),
            kb_selectors.name_in(article.section.names, language),
        )
        for article in (page.articles if page else [])
    ]
    context = {
        "nav": "kb",
        "agent": agent,
        "form": form,
        "query": asked["q"],
        "hits": hits,
        "rows": rows,
        "paged": bool(asked["after"]),
        "next_after": page.next_cursor if page else None,
    }
    return render(request, "web/kb/list.html", context)


def _workspace_language(request: HttpRequest) -> str:
    language = (getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else "en"


@require_GET
@agent_required
def kb_stats(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Views, helpful yes/no, comments and deflections per article, sortable: which articles
    spare customers a ticket and which fail them."""
    form = KbStatsForm(request.GET)
    asked = form.cleaned_data if form.is_valid() else {"order": "", "after": ""}
    order = asked["order"] or "views"
    try:
        page = kb_selectors.article_stats(order=order, cursor=asked["after"] or None)
    except Invalid:
        page = kb_selectors.article_stats(order=order)
    language = _workspace_language(request)
    context = {
        "nav": "kb",
        "agent": agent,
        "order": order,
        "sort_columns": [
            ("views", _("Views")),
            ("helpful", _("Helpful")),
            ("unhelpful", _("Not helpful")),
            ("deflections", _("Deflections")),
            ("comments", _("Comments")),
        ],
        "rows": [(a, kb_selectors.translation_shown(a, language)) for a in page.articles],
        "paged": bool(asked["after"]),
        "next_after": page.next_cursor,
    }
    return render(request, "web/kb/stats.html", context)


# --- one article ----------------------------------------------------------------------------


@require_GET
@agent_required
def kb_article(request: HttpRequest, agent: Agent, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    language = _language_of(request, article)
    translation = kb_selectors.translation_shown(article, language)
    settings_form = ArticleSettingsForm(
        initial={
            "section": article.section_id,
            "audience": article.audience,
            "fallback_language": article.fallback_language,
        }
    )
    return _article_page(request, agent, article, translation, settings_form)


def _article_page(
    request: HttpRequest,
    agent: Agent,
    article: Article,
    translation: ArticleTranslation | None,
    settings_form: ArticleSettingsForm,
    status: int = 200,
) -> HttpResponse:
    written = {t.language for t in article.translations.all()}
    context = {
        "nav": "kb",
        "agent": agent,
        "article": article,
        "translation": translation,
        "section_name": kb_selectors.name_in(article.section.names, _workspace_language(request)),
        "html": kb_selectors.article_html(translation, file_url=_file_url) if translation else "",
        "languages": [(code, name, code in written) for code, name in LANGUAGES.items()],
        "settings_form": settings_form,
        "files": kb_selectors.article_files(article),
        "public_path": (
            kb_selectors.article_public_path(language=translation.language, slug=translation.slug)
            if translation
            else ""
        ),
        "comments": kb_selectors.article_feedback_comments(article, limit=20),
        "may_delete": article.status != "published"
        and kb_services.actor_may_delete(agent.user, article),
    }
    return render(request, "web/kb/article.html", context, status=status)


@require_http_methods(["GET", "POST"])
@kb_editor_required
def kb_article_create(request: HttpRequest, agent: Agent) -> HttpResponse:
    form = ArticleForm(request.POST or None, initial={"language": _workspace_language(request)})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            section = kb_selectors.section_get(section_id=data["section"])
            article = kb_services.article_create(
                section=section,
                language=data["language"],
                title=data["title"],
                body=data["body"],
                slug=data["slug"],
                audience=data["audience"],
                actor=agent.user,
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect(_article_url(article.pk, data["language"]))
    context = {
        "nav": "kb",
        "agent": agent,
        "form": form,
        "no_sections": not form.fields["section"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "web/kb/new.html", context, status=400 if form.errors else 200)


def _article_url(article_id: int, language: str) -> str:
    return f"{reverse('web:kb_article', args=[article_id])}?language={language}"


@require_http_methods(["GET", "POST"])
@kb_editor_required
def kb_translation_edit(request: HttpRequest, agent: Agent, article_id: int) -> HttpResponse:
    """Write or change the article in one language; each save is a new version."""
    article = _article_or_404(article_id)
    language = request.GET.get("language", "")
    if language not in LANGUAGES:
        raise Http404(_("Choose one of the knowledge base's languages."))
    current = next((t for t in article.translations.all() if t.language == language), None)
    initial = (
        {"title": current.title, "slug": current.slug, "body": current.body_html} if current else {}
    )
    form = TranslationForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            kb_services.article_translation_save(
                article=article,
                language=language,
                title=data["title"],
                body=data["body"],
                slug=data["slug"] if current is None or data["slug"] != current.slug else "",
                actor=agent.user,
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Saved as a new version."))
            return redirect(_article_url(article.pk, language))
    context = {
        "nav": "kb",
        "agent": agent,
        "article": article,
        "language": language,
        "language_name": LANGUAGES[language],
        "current": current,
        "form": form,
    }
    return render(request, "web/kb/edit.html", context, status=400 if form.errors else 200)


@require_POST
@kb_editor_required
def kb_article_settings(request: HttpRequest, agent: Agent, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    form = ArticleSettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            kb_services.article_update(
                article=article,
                section=kb_selectors.section_get(section_id=data["section"]),
                audience=data["audience"],
                fallback_language=data["fallback_language"],
                actor=agent.user,
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Article settings saved."))
            return redirect(_article_url(article.pk, _language_of(request, article)))
    translation = kb_selectors.translation_shown(article, article.fallback_language)
    return _article_page(request, agent, article, translation, form, status=400)


STATUS_MESSAGES = {
    "published": gettext_lazy("Published."),
    "archived": gettext_lazy("Archived: readers no longer see it."),
    "draft": gettext_lazy("Back to draft: readers no longer see it."),
}


@require_POST
@kb_editor_required
def kb_article_status(request: HttpRequest, agent: Agent, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    status = request.POST.get("status", "")
    try:
        kb_services.article_set_status(article=article, status=status, actor=agent.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, STATUS_MESSAGES.get(status, _("Saved.")))
    return redirect(_article_url(article.pk, _language_of(request, article)))


@require_POST
@kb_editor_required
def kb_article_delete(request: HttpRequest, agent: Agent, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    back = redirect(_article_url(article.pk, _language_of(request, article)))
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the article goes for good."))
        return back
    try:
        title = kb_services.article_delete(article=article, actor=agent.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return back
    messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
    return redirect("web:kb")


@require_GET
@agent_required
def kb_history(request: HttpRequest, agent: Agent, article_id: int) -> HttpResponse:
    """Every version of the article in one language: who saved it, when, and what changed."""
    article = _article_or_404(article_id)
    language = _language_of(request, article)
    translation = next((t for t in article.translations.all() if t.language == language), None)
    if translation is None:
        raise Http404(_("The article is not written in this language."))
    context = {
        "nav": "kb",
        "agent": agent,
        "article": article,
        "translation": translation,
        "language_name": LANGUAGES[language],
        "changes": kb_selectors.version_changes(translation),
    }
    return render(request, "web/kb/history.html", context)


@require_POST
@kb_editor_required
def kb_file_upload(request: HttpRequest, agent: Agent, article_id: int) -> HttpResponse:
    article = _article_or_404(article_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            stored = kb_services.article_file_add(article=article, file=upload, actor=agent.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s uploaded. Show it in the text with cid:file-%(id)s.")
                % {"name": stored.filename, "id": stored.pk},
            )
    return redirect(_article_url(article.pk, _language_of(request, article)))


@require_GET
@agent_required
def kb_file(request: HttpRequest, agent: Agent, file_id: int) -> HttpResponse:
    """A file of an article: a download, raster images alone shown inline; never run as a
    page (sandboxed, its sniffed type, not the uploader's)."""
    try:
        stored = kb_selectors.article_file_get(file_id=file_id)
    except NotFound as error:
        raise Http404(error.message) from error
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=stored.content_type not in kb_services.INLINE_IMAGE_TYPES,
        filename=stored.filename,
        content_type=stored.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]


def _ensure_editor(agent: Agent) -> None:
    if not agent.can_reply:
        raise Http404(_("Light agents can read the knowledge base but not change it."))


@require_http_methods(["GET", "POST"])
@agent_required
def kb_sections(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Categories and their sections; editors add sections (and categories), rename and
    order them here."""
    form = SectionForm(request.POST or None)
    if form.is_bound:
        _ensure_editor(agent)
        if form.is_valid():
            try:
                kb_services.section_add(
                    category_name=form.cleaned_data["category"],
                    name=form.cleaned_data["name"],
                    language=_workspace_language(request),
                    actor=agent.user,
                )
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                messages.success(request, _("Section added."))
                return redirect("web:kb_sections")
    return _sections_page(request, agent, form, status=400 if form.errors else 200)


def _sections_page(
    request: HttpRequest, agent: Agent, form: SectionForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    language = _workspace_language(request)
    categories = [
        (
            category.pk,
            kb_selectors.name_in(category.names, language),
            [(s.pk, kb_selectors.name_in(s.names, language)) for s in category.sections.all()],
        )
        for category in kb_selectors.category_list()
    ]
    context = {
        "nav": "kb",
        "agent": agent,
        "form": form,
        "categories": categories,
        "error": error,
    }
    return render(request, "web/kb/sections.html", context, status=status)


_MOVES = {"up": -1, "down": 1}


@require_POST
@agent_required
def kb_structure_change(
    request: HttpRequest, agent: Agent, kind: str, item_id: int
) -> HttpResponse:
    """Renames a category or a section in the workspace's language ("rename" with a name), or
    moves it before or after its neighbour ("up", "down")."""
    _ensure_editor(agent)
    try:
        if kind == "category":
            category = kb_selectors.category_get(category_id=item_id)
            rename = partial(kb_services.category_rename, category=category)
            move = partial(kb_services.category_move, category=category)
        else:
            section = kb_selectors.section_get(section_id=item_id)
            rename = partial(kb_services.section_rename, section=section)
            move = partial(kb_services.section_move, section=section)
    except NotFound as error:
        raise Http404(error.message) from error
    action = request.POST.get("action", "")
    try:
        if action in _MOVES:
            move(offset=_MOVES[action], actor=agent.user)
        elif action == "rename":
            name, language = request.POST.get("name", ""), _workspace_language(request)
            rename(name=name, language=language, actor=agent.user)
            messages.success(request, _("Renamed."))
        else:
            raise Invalid(_("Choose to rename it or to move it up or down."))
    except ApplicationError as error:
        return _sections_page(request, agent, SectionForm(), error=error.message, status=400)
    return redirect(f"{reverse('web:kb_sections')}#kb-{kind}-{item_id}")
