"""The inbox as agents work it: built-in and saved views, filters, sort orders and bulk actions."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nordesk.automation import services as automation_services
from nordesk.tickets import listing
from nordesk.tickets import services as ticket_services
from nordesk.tickets.models import SavedView, Ticket
from tests.factories import make_agent, make_ticket


def _listed(response) -> list[int]:
    return [ticket.pk for ticket in response.context["tickets"]]


_customers = itertools.count()


def _ticket(people, subject: str, **changes) -> Ticket:
    address = f"kunde{next(_customers)}@example.no"
    ticket = make_ticket(team=people.billing, subject=subject, address=address)
    if changes:
        Ticket.objects.filter(pk=ticket.pk).update(**changes)
        ticket.refresh_from_db()
    return ticket


def test_each_built_in_view_lists_its_tickets(kari_client, people):
    mine = _ticket(people, "Min sak")
    ticket_services.ticket_assign(
        ticket=mine, assignee_id=people.kari.user_id, actor=people.kari.user
    )
    at_risk = _ticket(people, "Haster", sla_due_at=timezone.now() + timedelta(minutes=20))
    pending = _ticket(people, "Venter", status="pending")
    solved = _ticket(people, "Løst", status="solved", solved_at=timezone.now())
    old_solved = _ticket(
        people, "Gammel", status="solved", solved_at=timezone.now() - timedelta(days=30)
    )
    elsewhere = make_ticket(team=people.technical, subject="Ruter", address="jonas@example.se")

    def view(key: str) -> set[int]:
        return set(_listed(kari_client.get("/", {"view": key})))

    unassigned = {people.ticket.pk, at_risk.pk, pending.pk}
    assert view("mine") == {mine.pk}
    assert view("unassigned") == unassigned
    assert view("teams") == unassigned | {mine.pk}
    assert view("sla") == {at_risk.pk}
    assert view("pending") == {pending.pk}
    assert view("solved") == {solved.pk}
    assert view("all") == unassigned | {mine.pk, solved.pk, old_solved.pk}
    assert elsewhere.pk not in view("all")  # another team's ticket stays outside Kari's scope


def test_an_unknown_view_falls_back_to_all(kari_client, people):
    response = kari_client.get("/", {"view": "saved-999999"})

    assert response.context["view"].key == "all"
    assert _listed(response) == [people.ticket.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"priority": "urgent"}, {"urgent"}),
        ({"language": "sv"}, {"swedish"}),
        ({"tag": "Faktura"}, {"tagged"}),
        ({"created_from": "2026-01-10", "created_to": "2026-01-10"}, {"old"}),
    ],
)
def test_filters_choose_tickets(kari_client, people, query, expected):
    made = {
        "urgent": _ticket(people, "Brann", priority="urgent"),
        "swedish": _ticket(people, "Fakturan", language="sv"),
        "tagged": _ticket(people, "Merket"),
        "old": _ticket(
            people, "Gammel", created_at=timezone.make_aware(timezone.datetime(2026, 1, 10, 23))
        ),
    }
    ticket_services.ticket_tag(ticket=made["tagged"], add=["faktura"], actor=people.kari.user)

    listed = set(_listed(kari_client.get("/", query)))

    assert listed == {made[name].pk for name in expected}


def test_a_customers_tickets_from_their_page_link(kari_client, people):
    other = _ticket(people, "Annen kunde")

    response = kari_client.get("/", {"customer": people.sofie.pk})

    assert _listed(response) == [people.ticket.pk]
    assert other.pk not in _listed(response)
    assert "One customer's tickets" in response.content.decode()


@pytest.mark.parametrize("sort", ["priority", "created", "updated", "sla"])
def test_every_sort_order_walks_each_ticket_once_in_its_order(people, sort):
    priorities = ["low", "urgent", "normal", "high", "urgent", "low", "normal"]
    base = timezone.now() - timedelta(days=2)
    for n, priority in enumerate(priorities):
        _ticket(
            people,
            f"Sak {n}",
            priority=priority,
            created_at=base + timedelta(hours=n % 3),
            updated_at=base + timedelta(hours=n % 2),
            sla_due_at=base + timedelta(hours=n % 4) if n % 3 else None,
        )
    seen: list[Ticket] = []
    cursor = None
    while True:
        page, cursor = listing.ticket_list_for_agent(
            agent=people.kari, filters=listing.TicketFilters(), cursor=cursor, limit=2, sort=sort
        )
        seen += page
        if cursor is None:
            break

    everything = list(Ticket.objects.all())
    assert sorted(t.pk for t in seen) == sorted(t.pk for t in everything)
    rank = {value: n for n, value in enumerate(["low", "normal", "high", "urgent"])}
    keys = {
        "priority": lambda t: (-rank[t.priority], -t.updated_at.timestamp(), -t.pk),
        "created": lambda t: (-t.created_at.timestamp(), -t.pk),
        "updated": lambda t: (-t.updated_at.timestamp(), -t.pk),
        "sla": lambda t: (t.sla_due_at is None, t.sla_due_at and t.sla_due_at.timestamp(), t.pk),
    }
    assert [t.pk for t in seen] == [t.pk for t in sorted(everything, key=keys[sort])]


def test_a_cursor_of_another_sort_order_is_refused(people):
    _ticket(people, "Sak")
    _page, cursor = listing.ticket_list_for_agent(
        agent=people.kari, filters=listing.TicketFilters(), limit=1, sort="priority"
    )

    with pytest.raises(listing.Invalid):
        listing.ticket_list_for_agent(
            agent=people.kari, filters=listing.TicketFilters(), cursor=cursor, sort="created"
        )


# --- saved views ----------------------------------------------------------------------------


def _save_view(client, **fields):
    data = {"name": "Haster", "sort": "priority", "columns": ["customer", "priority"]}
    data |= fields
    return client.post(reverse("web:saved_view_create"), data, follow=True)


def test_an_agent_saves_the_filters_as_a_view_and_opens_it(kari_client, people):
    urgent = _ticket(people, "Brann", priority="urgent")

    response = _save_view(kari_client, **{"f-priority": "urgent", "f-status": "unsolved"})

    saved = SavedView.objects.get()
    assert saved.filters == {"priority": "urgent", "status": "unsolved"}
    assert response.context["view"].key == f"saved-{saved.pk}"
    assert _listed(response) == [urgent.pk]
    counts = {item["key"]: item["count"] for item in response.context["views"]}
    assert counts[f"saved-{saved.pk}"] == 1
    page = response.content.decode()
    assert "View “Haster” saved." in page
    assert '<th scope="col">Priority</th>' in page
    assert '<th scope="col">Team</th>' not in page  # a column the view left out
    # The form shows the view's filters, ready to adjust.
    assert response.context["form"]["priority"].value() == "urgent"


def test_each_view_counts_the_tickets_it_lists(kari_client, people):
    # given: Kari's team's tickets in every state, and saved views of unsolved, closed and
    # high-priority tickets next to the built-in ones
    mine = _ticket(people, "Min sak", status="open", priority="high")
    ticket_services.ticket_assign(
        ticket=mine, assignee_id=people.kari.user_id, actor=people.kari.user
    )
    _ticket(people, "Haster", sla_due_at=timezone.now() + timedelta(minutes=20))
    _ticket(people, "Venter", status="pending", priority="high")
    _ticket(people, "Løst", status="solved", solved_at=timezone.now(), priority="high")
    _ticket(people, "Lukket", status="closed", solved_at=timezone.now() - timedelta(days=30))
    make_ticket(team=people.technical, subject="Ruter", address="jonas@example.se")
    _save_view(kari_client, name="Høy og uløst", **{"f-status": "unsolved", "f-priority": "high"})
    _save_view(kari_client, name="Lukket", **{"f-status": "closed"})

    def counted_and_listed() -> dict[str, tuple[int, int]]:
        views = kari_client.get("/").context["views"]
        return {
            str(item["name"]): (
                item["count"],
                len(_listed(kari_client.get("/", {"view": item["key"]}))),
            )
            for item in views
            if item["count"] is not None
        }

    # then: each view's count is what it lists, whichever statuses the views share
    counts = counted_and_listed()
    assert len(counts) == 8
    assert all(counted == listed for counted, listed in counts.values()), counts

    # and so with a view of every status among the others
    _save_view(kari_client, name="Høy", **{"f-priority": "high"})
    assert counted_and_listed() == {
        "My open tickets": (1, 1),
        "Unassigned in my teams": (3, 3),
        "My teams": (4, 4),
        "SLA at risk": (1, 1),
        "Pending": (1, 1),
        "Solved recently": (1, 1),
        "Høy og uløst": (2, 2),
        "Lukket": (1, 1),
        "Høy": (3, 3),
    }


def test_a_view_shared_with_a_team_is_seen_by_its_members_only(client, people):
    teammate = make_agent("Per Faktura", teams=(people.billing,), email="per@nordesk.test")
    client.force_login(people.kari.user)
    _save_view(client, team=people.billing.pk, **{"f-status": "pending"})
    saved = SavedView.objects.get()

    client.force_login(teammate.user)
    seen_by_teammate = {item["key"] for item in client.get("/").context["views"]}
    client.force_login(people.ole.user)
    seen_by_other_team = {item["key"] for item in client.get("/").context["views"]}

    assert f"saved-{saved.pk}" in seen_by_teammate
    assert f"saved-{saved.pk}" not in seen_by_other_team


def test_only_the_owner_changes_a_shared_view(client, people):
    teammate = make_agent("Per Faktura", teams=(people.billing,), email="per@nordesk.test")
    client.force_login(people.kari.user)
    _save_view(client, team=people.billing.pk)
    saved = SavedView.objects.get()

    client.force_login(teammate.user)
    response = client.post(reverse("web:saved_view_delete", args=[saved.pk]), follow=True)

    assert SavedView.objects.filter(pk=saved.pk).exists()
    assert "Only its owner or a supervisor may delete this view." in response.content.decode()
    client.force_login(people.ole.user)  # not even visible to another team
    assert client.post(reverse("web:saved_view_delete", args=[saved.pk])).status_code == 404


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "  "}, "This field is required."),
        ({"team": "technical"}, "Share views only with a team you are in."),
        ({"sort": "alphabetical"}, "Select a valid choice."),
        ({"columns": ["secret"]}, "Select a valid choice."),
    ],
)
def test_a_bad_view_is_not_saved_and_says_why(kari_client, people, fields, error):
    if fields.get("team") == "technical":
        fields["team"] = people.technical.pk

    response = _save_view(kari_client, **fields)

    assert not SavedView.objects.exists()
    assert error in response.content.decode()


def test_the_owner_updates_and_deletes_a_view(kari_client, people):
    _save_view(kari_client)
    saved = SavedView.objects.get()

    kari_client.post(
        reverse("web:saved_view_update", args=[saved.pk]),
        {"name": "Venter", "sort": "created", "columns": ["status"], "f-status": "pending"},
    )
    saved.refresh_from_db()
    assert (saved.name, saved.sort, saved.filters) == ("Venter", "created", {"status": "pending"})

    kari_client.post(reverse("web:saved_view_delete", args=[saved.pk]))
    assert not SavedView.objects.exists()


def test_the_inbox_with_saved_views_keeps_its_query_budget(
    kari_client, people, django_assert_max_num_queries
):
    for n in range(5):
        _save_view(kari_client, name=f"Visning {n}", **{"f-priority": "high"})
    kari_client.get("/")

    with django_assert_max_num_queries(13):  # as test_views' budget, without the "seen" write
        response = kari_client.get("/", {"view": f"saved-{SavedView.objects.last().pk}"})

    assert len(response.context["views"]) == 7 + 5


# --- bulk actions ---------------------------------------------------------------------------


def _bulk(client, tickets, **fields):
    data = {"tickets": [getattr(t, "pk", t) for t in tickets], **fields}
    return client.post(reverse("web:bulk"), data | {"next": "/?view=all"}, follow=True)


def test_bulk_assign_to_me_and_solve(kari_client, people):
    second = _ticket(people, "Andre")

    _bulk(kari_client, [people.ticket, second], action="assign", assignee="me")
    response = _bulk(kari_client, [people.ticket, second], action="status", status="solved")

    for ticket in (people.ticket, second):
        ticket.refresh_from_db()
        assert (ticket.assignee_id, ticket.status) == (people.kari.user_id, "solved")
    assert "2 tickets updated." in response.content.decode()
    assert response.redirect_chain[-1][0] == "/?view=all"


def test_bulk_priority_and_tag(kari_client, people):
    _bulk(kari_client, [people.ticket], action="priority", priority="high")
    _bulk(kari_client, [people.ticket], action="tag", tag="Faktura")

    people.ticket.refresh_from_db()
    assert people.ticket.priority == "high"
    assert [tag.name for tag in people.ticket.tags.all()] == ["faktura"]


def test_bulk_merge_into_one_ticket(kari_client, people):
    duplicate = make_ticket(team=people.billing, subject="Faktura igjen")

    response = _bulk(
        kari_client,
        [people.ticket, duplicate],
        action="merge",
        merge_into=people.ticket.number,
    )

    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == people.ticket.pk
    assert "1 ticket updated." in response.content.decode()


def test_bulk_macro_runs_its_actions(kari_client, people):
    macro = automation_services.macro_create(
        name="Haster",
        actions=[{"type": "set_priority", "value": "urgent"}],
        texts={},
    )

    _bulk(kari_client, [people.ticket], action="macro", macro=macro.pk)

    people.ticket.refresh_from_db()
    assert people.ticket.priority == "urgent"


def test_bulk_reports_tickets_outside_the_scope_and_leaves_them(kari_client, people):
    elsewhere = make_ticket(team=people.technical, subject="Ruter", address="jonas@example.se")

    response = _bulk(kari_client, [people.ticket, elsewhere], action="priority", priority="low")

    elsewhere.refresh_from_db()
    people.ticket.refresh_from_db()
    assert (people.ticket.priority, elsewhere.priority) == ("low", "normal")
    page = response.content.decode()
    assert "1 ticked ticket was not found or is outside your teams." in page
    assert "1 ticket updated." in page


def test_bulk_reports_each_refusal_and_does_the_rest(kari_client, people):
    closed = _ticket(people, "Lukket", status="closed")

    response = _bulk(kari_client, [people.ticket, closed], action="priority", priority="high")

    people.ticket.refresh_from_db()
    assert people.ticket.priority == "high"
    assert f"#{closed.number}: " in response.content.decode()


@pytest.mark.parametrize(
    ("tickets", "fields", "error"),
    [
        ([], {"action": "status", "status": "solved"}, "Tick at least one ticket."),
        (["x"], {"action": "status", "status": "solved"}, "Choose tickets from the list."),
        (list(range(1, 102)), {"action": "status", "status": "solved"}, "at most 100 tickets"),
        ([1], {"action": "status"}, "Choose what to apply."),
        ([1], {"action": "merge", "merge_into": 999999}, "Ticket #999999 was not found."),
        ([1], {"action": "explode"}, "Select a valid choice."),
    ],
)
def test_bad_bulk_input_changes_nothing_and_says_why(kari_client, people, tickets, fields, error):
    tickets = [people.ticket.pk if t == 1 else t for t in tickets]

    response = _bulk(kari_client, tickets, **fields)

    people.ticket.refresh_from_db()
    assert people.ticket.status == "new"
    assert error in response.content.decode()
