"""The knowledge base from the ticket page: a link to an article into the reply box (in the
ticket's language where the article is written in it), and an agent's public reply made into a
draft article in one step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nordesk.core.errors import ApplicationError, NotFound
from nordesk.kb import selectors as kb_selectors
from nordesk.kb import services as kb_services
from nordesk.tickets import selectors as ticket_selectors

from .kb_views import LANGUAGES, kb_editor_required
from .reply_tools import draft_join, reply_form_with
from .ticket_views import render_ticket, ticket_or_404
from .views import agent_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

PICKER_LIMIT = 8


def _ticket_language(ticket) -> str:
    for language in (ticket.language, ticket.customer.language):
        if language in LANGUAGES:
            return language
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in LANGUAGES else "en"


@require_GET
@agent_required
def ticket_kb_link(request: HttpRequest, agent: Agent, number: int) -> HttpResponse:
    """The ticket page with the articles matching `kb_q` listed by the reply box, or, with an
    `article` chosen, a link to it (in the ticket's language when written in it) after what
    the agent had typed. Changes nothing, so a GET; htmx swaps in only what changed."""
    ticket = ticket_or_404(agent, number)
    language = _ticket_language(ticket)
    typed = request.GET.get("text", "")[:50_000]
    chosen = request.GET.get("article", "")
    if chosen.isdigit() and len(chosen) < 12:
        try:
            shown = kb_selectors.article_public_link(article_id=int(chosen), language=language)
        except NotFound:
            messages.error(request, _("That article is not published for customers."))
            return render_ticket(request, agent, ticket, bound={"reply": reply_form_with(typed)})
        link = f"{shown.title}: {request.build_absolute_uri(shown.path)}"
        return render_ticket(
            request, agent, ticket, bound={"reply": reply_form_with(draft_join(typed, link))}
        )
    query = request.GET.get("kb_q", "")[:200]
    hits = (
        kb_selectors.article_links_for_reply(text=query, language=language, limit=PICKER_LIMIT)
        if query.strip()
        else []
    )
    return render_ticket(
        request,
        agent,
        ticket,
        bound={"reply": reply_form_with(typed)},
        extra={"kb_query": query, "kb_hits": hits, "kb_searched": bool(query.strip())},
    )


@require_POST
@kb_editor_required
def ticket_message_to_article(
    request: HttpRequest, agent: Agent, number: int, message_id: int
) -> HttpResponse:
    """An agent's public reply on the ticket, made into a draft article (the ticket's subject
    its title, the reply its text, in the ticket's language), opened for editing."""
    ticket = ticket_or_404(agent, number)
    message = ticket_selectors.public_reply_get(ticket=ticket, message_id=message_id)
    if message is None:
        raise Http404(_("Only a public reply can become an article."))
    sections = list(kb_selectors.section_list()[:1])
    if not sections:
        messages.error(request, _("Add a section to the knowledge base first."))
        return redirect("web:kb_sections")
    language = _ticket_language(ticket)
    try:
        article = kb_services.article_create(
            section=sections[0],
            language=language,
            title=ticket.subject or _("Answer from ticket %(number)s") % {"number": number},
            body=message.text,
            actor=agent.user,
            source={"ticket": ticket.number, "message": message.pk},
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("web:ticket", ticket.number)
    messages.success(
        request, _("A draft article was made from the answer. Edit it, then publish it.")
    )
    edit = reverse("web:kb_translation_edit", args=[article.pk])
    return redirect(f"{edit}?language={language}")
