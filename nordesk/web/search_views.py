"""Search: an agent's tickets by subject, message text, customer or number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from nordesk.core.errors import ApplicationError
from nordesk.tickets import search

from .forms import PageForm
from .views import agent_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

SEARCH_PAGE_SIZE = 25


class SearchForm(PageForm):
    id_prefix = "search"
    q = forms.CharField(
        label=_("Search tickets"), max_length=search.MAX_QUERY_CHARS, required=False, strip=True
    )
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)


@require_GET
@agent_required
def search_results(request: HttpRequest, agent: Agent) -> HttpResponse:
    form = SearchForm(request.GET)
    hits: list[search.SearchHit] = []
    next_cursor = None
    if form.is_valid() and form.cleaned_data["q"]:
        try:
            hits, next_cursor = search.ticket_search(
                agent=agent,
                text=form.cleaned_data["q"],
                limit=SEARCH_PAGE_SIZE,
                cursor=form.cleaned_data["cursor"] or None,
            )
        except ApplicationError as error:  # a cursor tampered with or gone stale
            form.add_application_error(error)
    context = {
        "nav": "search",
        "agent": agent,
        "form": form,
        "query": form.cleaned_data.get("q", "") if form.is_bound else "",
        "hits": hits,
        "cursor": form.cleaned_data.get("cursor") if form.is_valid() else None,
        "next_cursor": next_cursor,
    }
    return render(request, "web/search.html", context)
