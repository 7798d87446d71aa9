"""The inbox: views (built in and saved, with live counts), filters, sort orders, keyset pages
and bulk actions on ticked tickets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from nordesk.accounts import selectors as account_selectors
from nordesk.automation import selectors as automation_selectors
from nordesk.automation import services as automation_services
from nordesk.core.errors import ApplicationError, NotFound
from nordesk.tickets import listing
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services
from nordesk.tickets.listing import BUILT_IN, BUILT_IN_VIEWS, InboxView, TicketFilters

from .inbox_forms import DEFAULT_COLUMNS, BulkForm, InboxFilterForm, SavedViewForm
from .views import agent_required, is_htmx_fragment

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.tickets.models import SavedView, Ticket

# A screenful and a bit: j/k and the next-page link go further, and a short page renders fast.
INBOX_PAGE_SIZE = 30
DEFAULT_VIEW = "all"
SAVED_PREFIX = "saved-"


class _Options:
    """What the inbox's forms choose from, each read once, when first needed."""

    @cached_property
    def vocabulary(self) -> dict[str, list[tuple[str, Any]]]:
        return ticket_selectors.ticket_vocabulary()

    @cached_property
    def teams(self) -> list[Any]:
        return list(account_selectors.team_list())

    @cached_property
    def agents(self) -> list[Agent]:
        return list(account_selectors.agents_by_name())

    def filter_form(self, data: QueryDict | dict[str, Any] | None) -> InboxFilterForm:
        form = InboxFilterForm(
            data, teams=self.teams, agents=self.agents, vocabulary=self.vocabulary
        )
        if form.is_bound:
            form.is_valid()
        return form


def _saved_as_view(saved: SavedView, options: _Options) -> InboxView:
    return InboxView(
        key=f"{SAVED_PREFIX}{saved.pk}",
        name=saved.name,
        filters=options.filter_form(saved.filters).filters(),
        sort=saved.sort if saved.sort in listing.SORT_ORDERS else listing.SORT_UPDATED,
        columns=tuple(saved.columns) or DEFAULT_COLUMNS,
    )


def _narrowed(base: TicketFilters, chosen: TicketFilters) -> TicketFilters:
    """The view's filters, with what the agent chose in the form taking the place of each."""
    set_now = {
        name: value for name, value in vars(chosen).items() if value not in (None, "", (), False)
    }
    return replace(base, **set_now)


def _filter_data(request: HttpRequest, saved: SavedView | None) -> QueryDict | dict | None:
    """The form shows what the agent sent; a saved view opened from its link (perhaps with
    another sort) shows its own filters."""
    fields = set(InboxFilterForm.base_fields)
    sent = set(request.GET) & fields
    if saved is not None and not sent - {"sort"}:
        return saved.filters | {name: request.GET[name] for name in sent}
    return request.GET if sent else None


@require_GET
@agent_required
def inbox(request: HttpRequest, agent: Agent) -> HttpResponse:
    options = _Options()
    saved = listing.saved_views_for_agent(agent=agent)
    saved_views = {f"{SAVED_PREFIX}{s.pk}": s for s in saved}
    key = request.GET.get("view") or DEFAULT_VIEW
    if key not in BUILT_IN and key not in saved_views:
        key = DEFAULT_VIEW
    current_saved = saved_views.get(key)
    views = [*BUILT_IN_VIEWS, *(_saved_as_view(s, options) for s in saved)]
    view = next(v for v in views if v.key == key)
    form = options.filter_form(_filter_data(request, current_saved))
    filters = _narrowed(view.filters, form.filters())
    sort = form.data_of("sort") or view.sort
    cursor = request.GET.get("cursor") or None
    list_error = None
    try:
        tickets, next_cursor = listing.ticket_list_for_agent(
            agent=agent, filters=filters, cursor=cursor, limit=INBOX_PAGE_SIZE, sort=sort
        )
    except ApplicationError as error:  # a cursor that was tampered with or has gone stale
        list_error = error.message
        cursor = None
        tickets, next_cursor = listing.ticket_list_for_agent(
            agent=agent, filters=filters, limit=INBOX_PAGE_SIZE, sort=sort
        )
    counts = listing.view_counts(agent=agent, views=views)
    fragment = is_htmx_fragment(request)
    context: dict[str, Any] = {
        "nav": "inbox",
        "agent": agent,
        "form": form,
        "view": view,
        "views": [_nav_item(v, counts, key, saved_views) for v in views],
        "columns": view.columns or DEFAULT_COLUMNS,
        "tickets": tickets,
        "cursor": cursor,
        "next_cursor": next_cursor,
        "list_error": list_error,
        "sort": sort,
        "now": timezone.now(),  # due badges show "overdue" against it
        "fragment": fragment,
    }
    if not fragment:
        context |= _page_forms(agent, options, view, current_saved, form)
    template = "web/partials/inbox_list.html" if fragment else "web/inbox.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _nav_item(
    view: InboxView, counts: dict[str, int], current: str, saved: dict[str, SavedView]
) -> dict[str, Any]:
    owner = saved.get(view.key)
    return {
        "key": view.key,
        "name": view.name,
        "count": counts.get(view.key),
        "current": view.key == current,
        "shared": owner is not None and owner.team_id is not None,
    }


def _page_forms(
    agent: Agent,
    options: _Options,
    view: InboxView,
    saved: SavedView | None,
    filters: InboxFilterForm,
) -> dict[str, Any]:
    """The forms only the whole page shows: save the view, act on ticked tickets."""
    view_initial: dict[str, Any] = {
        "sort": view.sort,
        "columns": list(view.columns or DEFAULT_COLUMNS),
    }
    if saved is not None:
        view_initial |= {"name": saved.name, "team": saved.team_id}
    return {
        "saved_view": saved,
        "may_change_view": saved is not None
        and ticket_services.saved_view_may_change(agent, saved),
        "view_form": SavedViewForm(initial=view_initial, teams=options.teams),
        "stored_filters": filters.stored() if filters.is_bound else {},
        "bulk_form": BulkForm(
            agents=options.agents,
            macros=automation_selectors.macro_list(active_only=True),
            vocabulary=options.vocabulary,
        ),
    }


# --- saved views ----------------------------------------------------------------------------


def _back_to_inbox(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("web:inbox")


def _view_fields(request: HttpRequest, options: _Options) -> tuple[SavedViewForm, dict]:
    form = SavedViewForm(request.POST, teams=options.teams)
    # The filters the inbox showed, sent along as the save form's hidden "f-" fields.
    filters = options.filter_form(
        {name[len("f-") :]: value for name, value in request.POST.items() if name.startswith("f-")}
    )
    return form, filters.stored()


def _saved_view_save(request: HttpRequest, agent: Agent, saved: SavedView | None) -> HttpResponse:
    form, filters = _view_fields(request, _Options())
    if not form.is_valid():
        messages.error(request, _("The view was not saved: %(errors)s") % _errors_of(form))
        return redirect(_back_to_inbox(request))
    fields = {
        "agent": agent,
        "name": form.cleaned_data["name"],
        "filters": filters,
        "sort": form.cleaned_data["sort"],
        "columns": form.cleaned_data["columns"],
        "team_id": form.cleaned_data["team"],
    }
    try:
        if saved is None:
            saved = ticket_services.saved_view_create(**fields)
        else:
            saved = ticket_services.saved_view_update(view=saved, **fields)
    except ApplicationError as error:
        messages.error(request, _("The view was not saved: %(errors)s") % {"errors": error})
        return redirect(_back_to_inbox(request))
    messages.success(request, _("View “%(name)s” saved.") % {"name": saved.name})
    return redirect(f"{reverse('web:inbox')}?view={SAVED_PREFIX}{saved.pk}")


def _errors_of(form: SavedViewForm) -> dict[str, str]:
    return {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)}


@require_POST
@agent_required
def saved_view_create(request: HttpRequest, agent: Agent) -> HttpResponse:
    return _saved_view_save(request, agent, None)


def _saved_or_404(agent: Agent, view_id: int) -> SavedView:
    try:
        return listing.saved_view_get_for_agent(agent=agent, view_id=view_id)
    except NotFound as error:
        raise Http404(error.message) from error


@require_POST
@agent_required
def saved_view_update(request: HttpRequest, agent: Agent, view_id: int) -> HttpResponse:
    return _saved_view_save(request, agent, _saved_or_404(agent, view_id))


@require_POST
@agent_required
def saved_view_delete(request: HttpRequest, agent: Agent, view_id: int) -> HttpResponse:
    saved = _saved_or_404(agent, view_id)
    try:
        ticket_services.saved_view_delete(agent=agent, view=saved)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_back_to_inbox(request))
    messages.success(request, _("View “%(name)s” deleted.") % {"name": saved.name})
    return redirect("web:inbox")


# --- bulk actions ---------------------------------------------------------------------------

BulkApply = Callable[["Ticket", "Agent", dict[str, Any]], Any]


def _assignee_id(agent: Agent, chosen: str) -> int | None:
    if chosen == "me":
        return agent.user_id
    return None if chosen == "none" else int(chosen)  # the form offers only agents' ids


def _macro_apply(ticket: Ticket, agent: Agent, data: dict) -> None:
    applied = automation_services.macro_apply(macro=data["macro"], ticket=ticket, agent=agent)
    if applied.errors:
        raise ApplicationError("; ".join(applied.errors))


BULK_ACTIONS: dict[str, BulkApply] = {
    "assign": lambda ticket, agent, data: ticket_services.ticket_assign(
        ticket=ticket, assignee_id=_assignee_id(agent, data["assignee"]), actor=agent.user
    ),
    "status": lambda ticket, agent, data: ticket_services.ticket_change_status(
        ticket=ticket, status=data["status"], actor=agent.user
    ),
    "priority": lambda ticket, agent, data: ticket_services.ticket_set_priority(
        ticket=ticket, priority=data["priority"], actor=agent.user
    ),
    "tag": lambda ticket, agent, data: ticket_services.ticket_tag(
        ticket=ticket, add=[data["tag"]], actor=agent.user
    ),
    "merge": lambda ticket, agent, data: ticket_services.ticket_merge(
        source=ticket, target=data["target"], actor=agent.user
    ),
    "macro": _macro_apply,
}


def _bulk_targets(agent: Agent, data: dict[str, Any]) -> str | None:
    """Look up what the action applies (the merge's target, the macro); an error, or None."""
    if data["action"] == "merge":
        try:
            data["target"] = ticket_selectors.ticket_get_by_number_for_agent(
                agent=agent, number=data["merge_into"]
            )
        except NotFound:
            return _("Ticket #%(number)s was not found.") % {"number": data["merge_into"]}
    if data["action"] == "macro":
        data["macro"] = automation_selectors.macro_get(macro_id=data["macro"], active_only=True)
        if data["macro"] is None:
            return _("That macro is not active any more.")
    return None


@require_POST
@agent_required
def bulk(request: HttpRequest, agent: Agent) -> HttpResponse:
    """Apply one action to each ticked ticket, each in its own transaction: one ticket's
    refusal leaves the others done, and the agent is told which were refused and why."""
    options = _Options()
    form = BulkForm(
        request.POST,
        agents=options.agents,
        macros=automation_selectors.macro_list(active_only=True),
        vocabulary=options.vocabulary,
    )
    back = _back_to_inbox(request)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    data = dict(form.cleaned_data)
    problem = _bulk_targets(agent, data)
    if problem:
        messages.error(request, problem)
        return redirect(back)
    tickets = listing.tickets_by_ids_for_agent(agent=agent, ids=data["tickets"])
    refused = []
    missing = len(set(data["tickets"]) - {ticket.pk for ticket in tickets})
    if missing:
        refused.append(
            ngettext(
                "%(count)d ticked ticket was not found or is outside your teams.",
                "%(count)d ticked tickets were not found or are outside your teams.",
                missing,
            )
            % {"count": missing}
        )
    done = 0
    for ticket in tickets:
        if data["action"] == "merge" and ticket.pk == data["target"].pk:
            continue
        try:
            BULK_ACTIONS[data["action"]](ticket, agent, data)
        except ApplicationError as error:
            refused.append(f"#{ticket.number}: {error.message}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("%(count)d ticket updated.", "%(count)d tickets updated.", done)
            % {"count": done},
        )
    for line in refused:
        messages.error(request, line)
    return redirect(back)
