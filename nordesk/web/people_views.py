"""Customers and organisations: lists, profiles (everything about a customer in one place),
edits and merges."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nordesk.core.errors import ApplicationError, NotFound
from nordesk.csat import selectors as csat_selectors
from nordesk.csat import services as csat_services
from nordesk.customers import selectors as customer_selectors
from nordesk.customers import services as customer_services
from nordesk.customers.errors import MergeIntoSelf
from nordesk.tickets import figures as ticket_figures
from nordesk.tickets import selectors as ticket_selectors

from .csat_panel import customer_answers
from .forms import PageForm
from .people_forms import CustomerForm, MergeForm, MergeSearchForm, OrganisationForm
from .views import agent_required, editor_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.customers.models import Customer, Organisation

PAGE_SIZE = 25
MERGE_CANDIDATES = 10
ORGANISATION_CHOICES = 500


class CustomerListForm(PageForm):
    id_prefix = "customers"
    q = forms.CharField(label=gettext_lazy("Search customers"), max_length=200, required=False)
    after = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)
    organisation = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class OrganisationListForm(PageForm):
    id_prefix = "organisations"
    q = forms.CharField(label=gettext_lazy("Search organisations"), max_length=200, required=False)
    after = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)


def _customer_or_404(agent: Agent, customer_id: int) -> Customer:
    try:
        return customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    except NotFound as error:
        raise Http404(error.message) from error


def _organisation_or_404(agent: Agent, organisation_id: int) -> Organisation:
    try:
        return customer_selectors.organisation_get_for_agent(
            agent=agent, organisation_id=organisation_id
        )
    except NotFound as error:
        raise Http404(error.message) from error


def _list_form(form_class: type[PageForm], request: HttpRequest) -> tuple[PageForm, dict]:
    """The list's form and what it asks for; a malformed cursor shows the first page."""
    form = form_class(request.GET)
    if form.is_valid():
        return form, form.cleaned_data
    return form, {"q": request.GET.get("q", "")[:200], "after": None, "organisation": None}


# --- customers ------------------------------------------------------------------------------


@require_GET
@agent_required
def customer_list(request: HttpRequest, agent: Agent) -> HttpResponse:
    form, asked = _list_form(CustomerListForm, request)
    customers, next_after = customer_selectors.customer_list_for_agent(
        agent=agent,
        text=asked["q"] or "",
        after_id=asked["after"],
        organisation_id=asked["organisation"],
        limit=PAGE_SIZE,
    )
    context = {
        "nav": "customers",
        "agent": agent,
        "form": form,
        "query": asked["q"] or "",
        "paged": asked["after"] is not None,
        "customers": customers,
        "next_after": next_after,
    }
    return render(request, "web/customers.html", context)


@require_GET
@agent_required
def customer_detail(request: HttpRequest, agent: Agent, customer_id: int) -> HttpResponse:
    try:
        customer = customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    except NotFound as error:
        target_id = customer_selectors.customer_merged_into(customer_id=customer_id)
        if target_id is None:
            raise Http404(error.message) from error
        messages.info(request, _("That customer was merged into this one."))
        return redirect("web:customer", target_id)
    context = {
        "nav": "customers",
        "agent": agent,
        "customer": customer,
        "tickets": ticket_selectors.tickets_for_customer(agent=agent, customer_id=customer.pk),
        "counts": ticket_figures.ticket_counts_for_customer(agent=agent, customer_id=customer.pk),
        "recent_messages": ticket_selectors.messages_for_customer(
            agent=agent, customer_id=customer.pk, limit=50
        ),
        "csat_answers": customer_answers(agent, customer.pk),
        "csat_opted_out": csat_selectors.customer_opted_out(customer_id=customer.pk),
    }
    return render(request, "web/customer.html", context)


@require_POST
@editor_required
def customer_survey_opt_out(request: HttpRequest, agent: Agent, customer_id: int) -> HttpResponse:
    """Stop (or resume) satisfaction surveys for the customer."""
    customer = _customer_or_404(agent, customer_id)
    if request.POST.get("opted_out") == "1":
        csat_services.customer_opt_out(customer_id=customer.pk, source="agent", actor=agent.user)
        messages.success(request, _("This customer gets no more satisfaction surveys."))
    else:
        csat_services.customer_opt_in(customer_id=customer.pk, actor=agent.user)
        messages.success(request, _("This customer gets satisfaction surveys again."))
    return redirect("web:customer", customer.pk)


def _organisation_choices(agent: Agent, customer: Customer) -> list[tuple[str, str]]:
    organisations = list(
        customer_selectors.organisation_list_for_agent(agent=agent)[:ORGANISATION_CHOICES]
    )
    if customer.organisation is not None and customer.organisation not in organisations:
        organisations.append(customer.organisation)
    return [(str(organisation.pk), organisation.name) for organisation in organisations]


def _customer_changes(agent: Agent, data: dict[str, Any]) -> dict[str, Any]:
    organisation = None
    if data["organisation"]:
        organisation = customer_selectors.organisation_get_for_agent(
            agent=agent, organisation_id=int(data["organisation"])
        )
    return {
        "name": data["name"].strip(),
        "organisation": organisation,
        "language": data["language"],
        "notes": data["notes"],
    }


@require_http_methods(["GET", "POST"])
@editor_required
def customer_edit(request: HttpRequest, agent: Agent, customer_id: int) -> HttpResponse:
    customer = _customer_or_404(agent, customer_id)
    form = CustomerForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": customer.name,
            "organisation": customer.organisation_id or "",
            "language": customer.language,
            "notes": customer.notes,
        },
        organisations=_organisation_choices(agent, customer),
        current_language=customer.language,
    )
    if form.is_bound and form.is_valid():
        try:
            customer_services.customer_update(
                customer=customer,
                changes=_customer_changes(agent, form.cleaned_data),
                actor=agent.user,
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Customer saved."))
            return redirect("web:customer", customer.pk)
    context = {"nav": "customers", "agent": agent, "customer": customer, "form": form}
    return render(request, "web/customer_edit.html", context, status=400 if form.errors else 200)


def _display_name(customer: Customer | None) -> str:
    """As partials/customer_name.html writes it, for sentences that name two customers."""
    if customer is None:
        return ""
    return customer.name or _("Customer %(id)s") % {"id": customer.pk}


def _merge_target(agent: Agent, target_id: int) -> Customer | None:
    try:
        return customer_selectors.customer_get_for_agent(agent=agent, customer_id=target_id)
    except NotFound:
        return None


def _merge_source_or_redirect(agent: Agent, request: HttpRequest, customer_id: int) -> Any:
    """The customer to merge, or a redirect to where it went when it was merged already."""
    try:
        return customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    except NotFound as error:
        target_id = customer_selectors.customer_merged_into(customer_id=customer_id)
        if target_id is None:
            raise Http404(error.message) from error
        messages.error(request, _("That customer has already been merged into this one."))
        return redirect("web:customer", target_id)


@require_GET
@editor_required
def customer_merge(request: HttpRequest, agent: Agent, customer_id: int) -> HttpResponse:
    """Choose the customer to merge into (search), then confirm what will move."""
    source = _merge_source_or_redirect(agent, request, customer_id)
    if isinstance(source, HttpResponse):
        return source
    search = MergeSearchForm(request.GET)
    candidates: list[Customer] = []
    query = ""
    if search.is_valid() and search.cleaned_data["q"].strip():
        query = search.cleaned_data["q"].strip()
        found, _next = customer_selectors.customer_list_for_agent(
            agent=agent, text=query, limit=MERGE_CANDIDATES + 1
        )
        candidates = [c for c in found if c.pk != source.pk][:MERGE_CANDIDATES]
    target = None
    confirm = MergeForm(request.GET) if "into" in request.GET else None
    if confirm is not None and confirm.is_valid():
        target = _merge_target(agent, confirm.cleaned_data["into"])
        if target is None:
            confirm.add_error(None, _("The customer to merge into was not found."))
        elif target.pk == source.pk:
            confirm.add_error(None, MergeIntoSelf().message)
            target = None
    context = {
        "nav": "customers",
        "agent": agent,
        "customer": source,
        "search": search,
        "query": query,
        "candidates": candidates,
        "confirm": confirm,
        "target": target,
        "source_name": _display_name(source),
        "target_name": _display_name(target),
        "preview": customer_selectors.customer_merge_preview(source=source) if target else None,
    }
    return render(request, "web/customer_merge.html", context)


@require_POST
@editor_required
def customer_merge_confirm(request: HttpRequest, agent: Agent, customer_id: int) -> HttpResponse:
    source = _merge_source_or_redirect(agent, request, customer_id)
    if isinstance(source, HttpResponse):
        return source
    form = MergeForm(request.POST)
    target = _merge_target(agent, form.cleaned_data["into"]) if form.is_valid() else None
    if target is None:
        messages.error(request, _("The customer to merge into was not found."))
        return redirect("web:customer_merge", source.pk)
    preview = customer_selectors.customer_merge_preview(source=source)
    try:
        customer_services.customer_merge(source=source, target=target, actor=agent.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("web:customer_merge", source.pk)
    messages.success(
        request,
        _("Merged: %(tickets)d ticket(s) and %(identities)d address(es) moved here.")
        % {"tickets": preview.ticket_count, "identities": len(preview.identities)},
    )
    return redirect("web:customer", target.pk)


# --- organisations --------------------------------------------------------------------------


@require_GET
@agent_required
def organisation_list(request: HttpRequest, agent: Agent) -> HttpResponse:
    form, asked = _list_form(OrganisationListForm, request)
    organisations, next_after = customer_selectors.organisation_page_for_agent(
        agent=agent, text=asked["q"] or "", after_name=asked["after"] or None, limit=PAGE_SIZE
    )
    context = {
        "nav": "organisations",
        "agent": agent,
        "form": form,
        "query": asked["q"] or "",
        "paged": bool(asked["after"]),
        "organisations": organisations,
        "next_after": next_after,
    }
    return render(request, "web/organisations.html", context)


@require_GET
@agent_required
def organisation_detail(request: HttpRequest, agent: Agent, organisation_id: int) -> HttpResponse:
    organisation = _organisation_or_404(agent, organisation_id)
    customers, more_customers = customer_selectors.customer_list_for_agent(
        agent=agent, organisation_id=organisation.pk, limit=PAGE_SIZE
    )
    context = {
        "nav": "organisations",
        "agent": agent,
        "organisation": organisation,
        "customers": customers,
        "more_customers": more_customers is not None,
        "tickets": customer_selectors.organisation_tickets_for_agent(
            agent=agent, organisation_id=organisation.pk
        ),
    }
    return render(request, "web/organisation.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def organisation_edit(request: HttpRequest, agent: Agent, organisation_id: int) -> HttpResponse:
    organisation = _organisation_or_404(agent, organisation_id)
    form = OrganisationForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": organisation.name,
            "domain": organisation.domain,
            "tier": organisation.tier,
            "notes": organisation.notes,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            customer_services.organisation_update(
                organisation=organisation, changes=form.cleaned_data, actor=agent.user
            )
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("web:organisation", organisation.pk)
        organisation.refresh_from_db()  # the heading shows the stored name, not the refused one
    context = {"nav": "organisations", "agent": agent, "organisation": organisation, "form": form}
    return render(
        request, "web/organisation_edit.html", context, status=400 if form.errors else 200
    )
