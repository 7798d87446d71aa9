"""The admins' settings pages for definitions — routing rules, teams, SLA policies, calendars,
triggers, time rules, macros, canned replies …: one index, and for each section a list and,
where its services allow, create, edit, delete and move up/down pages. What each section lists
and which services it calls is in `settings_sections`; these views only validate the form's
shape, call the section's service and show its refusal by the form (ApplicationError)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nordesk.core.errors import ApplicationError

from .settings_base import Section
from .settings_sections import GROUPS, SECTIONS
from .views import admin_required

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent

    from .settings_forms import SettingsForm


def _section(key: str) -> Section:
    return SECTIONS[key]


def _object_or_404(section: Section, object_id: int) -> Any:
    found = section.get(object_id)
    if found is None:
        raise Http404(_("Not found."))
    return found


@require_GET
@admin_required
def settings_index(request: HttpRequest, agent: Agent) -> HttpResponse:
    groups = [(title, [SECTIONS[key] for key in keys], extra) for title, keys, extra in GROUPS]
    return render(
        request, "web/settings/index.html", {"nav": "settings", "agent": agent, "groups": groups}
    )


@require_GET
@admin_required
def section_list(request: HttpRequest, agent: Agent, section: str) -> HttpResponse:
    current = _section(section)
    context = {"nav": "settings", "agent": agent, "section": current, "rows": current.rows()}
    return render(request, "web/settings/list.html", context)


def _render_form(
    request: HttpRequest, agent: Agent, section: Section, form: SettingsForm, instance: Any
) -> HttpResponse:
    if instance is None:
        action, delete_url = reverse(section.url_create), ""
    else:
        action = reverse(section.url_edit, args=[section.edit_arg(instance)])
        delete_url = (
            "" if section.delete is None else reverse(section.url_delete, args=[instance.pk])
        )
    context = {
        "nav": "settings",
        "agent": agent,
        "section": section,
        "form": form,
        "instance": instance,
        "title": section.label(instance) if instance is not None else section.new_title,
        "action": action,
        "delete_url": delete_url,
    }
    return render(request, "web/settings/form.html", context)


@require_http_methods(["GET", "POST"])
@admin_required
def section_create(request: HttpRequest, agent: Agent, section: str) -> HttpResponse:
    current = _section(section)
    if current.create is None:
        raise Http404(_("Not found."))
    form = current.form(request.POST if request.method == "POST" else None, None)
    if form.is_bound and form.is_valid():
        try:
            created = current.create(form.values())
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, current.done["created"] % {"name": current.label(created)})
            return redirect(current.url_list)
    return _render_form(request, agent, current, form, None)


@require_http_methods(["GET", "POST"])
@admin_required
def section_edit(request: HttpRequest, agent: Agent, section: str, object_id: int) -> HttpResponse:
    current = _section(section)
    if current.update is None:
        raise Http404(_("Not found."))
    instance = _object_or_404(current, object_id)
    form = current.form(request.POST if request.method == "POST" else None, instance)
    if form.is_bound and form.is_valid():
        try:
            saved = current.update(instance, form.values())
        except ApplicationError as error:
            form.add_application_error(error)
        else:
            messages.success(request, current.done["saved"] % {"name": current.label(saved)})
            return redirect(current.url_list)
    return _render_form(request, agent, current, form, instance)


@require_POST
@admin_required
def section_delete(
    request: HttpRequest, agent: Agent, section: str, object_id: int
) -> HttpResponse:
    current = _section(section)
    if current.delete is None:
        raise Http404(_("Not found."))
    instance = _object_or_404(current, object_id)
    name = current.label(instance)
    try:
        current.delete(instance)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, current.done["deleted"] % {"name": name})
    return redirect(current.url_list)


@require_POST
@admin_required
def section_move(request: HttpRequest, agent: Agent, section: str, object_id: int) -> HttpResponse:
    """One place up or down: the service gets the whole new order."""
    current = _section(section)
    if current.reorder is None or current.order is None:
        raise Http404(_("Not found."))
    order = current.order()
    if object_id not in order:
        raise Http404(_("Not found."))
    index = order.index(object_id)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
        try:
            current.reorder(order)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Order saved."))
    return redirect(f"{current.url_list_path()}#row-{object_id}")


def urlpatterns() -> list[URLPattern]:
    """The settings pages' URL patterns, for nordesk/web/urls.py."""
    patterns = [path("settings/", settings_index, name="settings")]
    for key, section in SECTIONS.items():
        base = f"settings/{section.path}/"
        name = f"settings_{key}"
        extra = {"section": key}
        patterns.append(path(base, section_list, extra, name=name))
        if section.create is not None:
            patterns.append(path(f"{base}new/", section_create, extra, name=f"{name}_create"))
        if section.update is not None:
            patterns.append(
                path(f"{base}<int:object_id>/", section_edit, extra, name=f"{name}_edit")
            )
        if section.delete is not None:
            patterns.append(
                path(f"{base}<int:object_id>/delete/", section_delete, extra, name=f"{name}_delete")
            )
        if section.reorder is not None:
            patterns.append(
                path(f"{base}<int:object_id>/move/", section_move, extra, name=f"{name}_move")
            )
    return patterns
