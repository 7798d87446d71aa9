"""Customers and organisations in the workspace: lists with search and keyset pages, the
customer's 360° page, the organisation page, edits with refusals and the merge flow."""

import re

import pytest
from django.urls import reverse

from nordesk.customers import services as customer_services
from nordesk.customers.models import Customer, Identity, Organisation
from nordesk.tickets.models import Ticket
from nordesk.web import people_views
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def technical_ticket(people):
    return make_ticket(
        team=people.technical, address="jonas@example.se", subject="Ruter", name="Jonas Berg"
    )


@pytest.fixture
def fjordkraft(people):
    organisation = customer_services.organisation_create(
        name="Fjordkraft AS", domain="fjordkraft.no"
    )
    customer_services.customer_update(
        customer=people.sofie, changes={"organisation": organisation}, actor=None
    )
    Ticket.objects.filter(pk=people.ticket.pk).update(organisation=organisation)
    return organisation


# --- the customer list ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["SOFIE", "lund", "Sofie@Example.NO", "+4791"])
def test_customer_list_search_finds_name_email_or_phone_in_any_case(kari_client, people, typed):
    customer_services.customer_add_identity(
        customer=people.sofie, kind="phone", address="+47 912 34 567"
    )
    make_ticket(team=people.billing, address="ola@example.no", name="Ola Hansen")

    response = kari_client.get(reverse("web:customers"), {"q": typed})

    page = _text(response)
    assert f'id="customer-row-{people.sofie.pk}"' in page
    assert "Ola Hansen" not in page


def test_customer_list_is_scoped_to_what_the_agent_sees(kari_client, people, technical_ticket):
    response = kari_client.get(reverse("web:customers"))

    page = _text(response)
    assert "Sofie Lund" in page
    assert "Jonas Berg" not in page  # only a Technical support ticket: not Kari's


def test_customer_list_pages_by_keyset_without_repeats(
    kari_client, people, monkeypatch, django_assert_max_num_queries
):
    # given: 5 customers and pages of 2
    monkeypatch.setattr(people_views, "PAGE_SIZE", 2)
    for n in range(4):
        make_ticket(team=people.billing, address=f"kunde{n}@example.no", name=f"Kunde {n}")
    kari_client.get(reverse("web:customers"))  # the once-a-minute "seen" write

    # when: following "Next page" to the end
    seen: list[str] = []
    after = None
    for _page in range(3):
        with django_assert_max_num_queries(
            7
        ):  # session, user, agent, teams, rows, addresses, unread
            response = kari_client.get(reverse("web:customers"), {"after": after} if after else {})
        seen += [c.name for c in response.context["customers"]]
        after = response.context["next_after"]
        if after is None:
            break

    # then: every customer once, newest first, and no OFFSET ever
    assert seen == ["Kunde 3", "Kunde 2", "Kunde 1", "Kunde 0", "Sofie Lund"]


def test_customer_list_malformed_cursor_shows_first_page_with_reason(kari_client, people):
    response = kari_client.get(reverse("web:customers"), {"after": "1 OR 1=1"})

    page = _text(response)
    assert response.status_code == 200
    assert "That page link is not valid; here is the first page." in page
    assert "Sofie Lund" in page


# --- the customer's page --------------------------------------------------------------------


def test_customer_page_shows_360_view(kari_client, people, fjordkraft):
    # given: Sofie also chats, and one of her tickets is solved
    customer_services.customer_add_identity(customer=people.sofie, kind="chat", address="sess-9")
    solved = make_ticket(team=people.billing, subject="Takk for hjelpen")
    Ticket.objects.filter(pk=solved.pk).update(status="solved")

    response = kari_client.get(reverse("web:customer", args=[people.sofie.pk]))

    page = _text(response)
    assert "Sofie Lund" in page
    assert "sofie@example.no" in page
    assert "sess-9" in page
    assert "Chat" in page
    assert reverse("web:organisation", args=[fjordkraft.pk]) in page
    assert "1 open, 1 solved" in page
    assert "Takk for hjelpen" in page
    assert "Solved" in page
    assert "Hei, fakturaen min stemmer ikke." in page  # recent messages
    assert reverse("web:customer_edit", args=[people.sofie.pk]) in page


def test_customer_page_query_budget(kari_client, people, django_assert_max_num_queries):
    for n in range(5):
        make_ticket(team=people.billing, subject=f"Sak {n}")
    kari_client.get(reverse("web:customer", args=[people.sofie.pk]))

    # 14 with the satisfaction answers and the survey opt-out
    with django_assert_max_num_queries(14):
        response = kari_client.get(reverse("web:customer", args=[people.sofie.pk]))

    assert len(response.context["tickets"]) == 6


def test_light_agent_sees_the_customer_but_no_edit_or_merge(client, people):
    client.force_login(people.lars.user)

    page = _text(client.get(reverse("web:customer", args=[people.sofie.pk])))

    assert "Sofie Lund" in page
    assert reverse("web:customer_edit", args=[people.sofie.pk]) not in page
    assert reverse("web:customer_merge", args=[people.sofie.pk]) not in page


# --- organisations --------------------------------------------------------------------------


def test_organisation_list_search_and_page(kari_client, people, fjordkraft):
    customer_services.organisation_create(name="Havbruk AS", domain="havbruk.no")

    response = kari_client.get(reverse("web:organisations"), {"q": "FJORDKRAFT.no"})

    page = _text(response)
    assert "Fjordkraft AS" in page
    assert "Havbruk AS" not in page
    assert response.context["organisations"][0].customer_total == 1


def test_organisation_list_keyset_by_name(kari_client, people, monkeypatch):
    monkeypatch.setattr(people_views, "PAGE_SIZE", 2)
    for name in ("Cé AS", "Alfa AS", "Beta AS"):
        customer_services.organisation_create(name=name)

    first = kari_client.get(reverse("web:organisations"))
    second = kari_client.get(reverse("web:organisations"), {"after": first.context["next_after"]})

    assert [o.name for o in first.context["organisations"]] == ["Alfa AS", "Beta AS"]
    assert [o.name for o in second.context["organisations"]] == ["Cé AS"]
    assert second.context["next_after"] is None


def test_organisation_page_shows_its_customers_and_tickets(kari_client, people, fjordkraft):
    response = kari_client.get(reverse("web:organisation", args=[fjordkraft.pk]))

    page = _text(response)
    assert "Fjordkraft AS" in page
    assert "Sofie Lund" in page
    assert people.ticket.subject in page


def test_customer_and_organisation_pages_open_their_tickets_in_the_inbox(
    kari_client, people, fjordkraft
):
    # given: another customer of Billing has a ticket too
    other = make_ticket(team=people.billing, address="ola@example.no", subject="Annen kunde")

    for page_url, link_id in [
        (reverse("web:customer", args=[people.sofie.pk]), "customer-inbox-link"),
        (reverse("web:organisation", args=[fjordkraft.pk]), "organisation-inbox-link"),
    ]:
        # when: Kari follows the page's link to the inbox
        page = _text(kari_client.get(page_url))
        href = re.search(rf'id="{link_id}" href="([^"]+)"', page).group(1).replace("&amp;", "&")
        inbox = _text(kari_client.get(href))

        # then: the inbox lists the customer's (organisation's) ticket and not the other
        assert people.ticket.subject in inbox
        assert other.subject not in inbox


def test_organisation_of_another_team_is_404(kari_client, people, technical_ticket):
    other = customer_services.organisation_create(name="Teknikk AS")
    Ticket.objects.filter(pk=technical_ticket.pk).update(organisation=other)

    response = kari_client.get(reverse("web:organisation", args=[other.pk]))

    assert response.status_code == 404


# --- edits ----------------------------------------------------------------------------------


def test_customer_edit_saves_name_organisation_language_notes(kari_client, people, fjordkraft):
    url = reverse("web:customer_edit", args=[people.sofie.pk])
    data = {
        "name": "Sofie Lund-Berg",
        "organisation": str(fjordkraft.pk),
        "language": "sv",
        "notes": "Ring etter kl. 16",
    }

    response = kari_client.post(url, data, follow=True)

    sofie = Customer.objects.get(pk=people.sofie.pk)
    assert (sofie.name, sofie.organisation, sofie.language, sofie.notes) == (
        "Sofie Lund-Berg",
        fjordkraft,
        "sv",
        "Ring etter kl. 16",
    )
    assert "Customer saved." in _text(response)
    assert "Ring etter kl. 16" in _text(response)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organisation", "99999", "Select a valid choice."),
        ("language", "klingon", "Select a valid choice."),
        ("name", "x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_customer_edit_bad_input_is_shown_by_the_field_and_changes_nothing(
    kari_client, people, field, value, message
):
    data = {"name": "Sofie", "organisation": "", "language": "", "notes": "", field: value}

    response = kari_client.post(reverse("web:customer_edit", args=[people.sofie.pk]), data)

    page = _text(response)
    assert response.status_code == 400
    assert message in page
    assert f'aria-describedby="customer-{field}_error"' in page
    assert Customer.objects.get(pk=people.sofie.pk).name == "Sofie Lund"


def test_customer_edit_keeps_script_as_text(kari_client, people):
    url = reverse("web:customer_edit", args=[people.sofie.pk])
    data = {"name": "<script>alert(1)</script>", "organisation": "", "language": "", "notes": ""}

    response = kari_client.post(url, data, follow=True)

    page = _text(response)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_light_agent_gets_404_on_the_edit_and_merge_pages(client, people, phone_sofie):
    client.force_login(people.lars.user)
    data = {"name": "Endret", "organisation": "", "language": "", "notes": ""}
    edit = reverse("web:customer_edit", args=[people.sofie.pk])
    merge = reverse("web:customer_merge", args=[phone_sofie.pk])

    for response in [client.get(edit), client.post(edit, data), client.get(merge)]:
        assert response.status_code == 404
    assert Customer.objects.get(pk=people.sofie.pk).name == "Sofie Lund"


def test_customer_edit_out_of_scope_is_404(kari_client, technical_ticket):
    url = reverse("web:customer_edit", args=[technical_ticket.customer_id])
    data = {"name": "Hacked", "organisation": "", "language": "", "notes": ""}

    assert kari_client.post(url, data).status_code == 404
    assert Customer.objects.get(pk=technical_ticket.customer_id).name == "Jonas Berg"


def test_organisation_edit_saves_and_shows_refusals_by_the_field(kari_client, people, fjordkraft):
    customer_services.organisation_create(name="Havbruk AS")
    url = reverse("web:organisation_edit", args=[fjordkraft.pk])

    taken = kari_client.post(url, {"name": "Havbruk AS", "domain": "", "tier": "", "notes": ""})
    bad_domain = kari_client.post(
        url, {"name": "Fjordkraft", "domain": "@fjordkraft", "tier": "", "notes": ""}
    )
    saved = kari_client.post(
        url,
        {"name": "Fjordkraft Norge AS", "domain": "Fjordkraft.NO", "tier": "gold", "notes": ""},
        follow=True,
    )

    assert taken.status_code == 400
    assert "An organisation with that name already exists." in _text(taken)
    assert 'aria-describedby="organisation-name_error"' in _text(taken)
    assert "Give an email domain such as example.no, without @." in _text(bad_domain)
    assert 'aria-describedby="organisation-domain_helptext organisation-domain_error"' in _text(
        bad_domain
    )
    organisation = Organisation.objects.get(pk=fjordkraft.pk)
    assert (organisation.name, organisation.domain, organisation.tier) == (
        "Fjordkraft Norge AS",
        "fjordkraft.no",
        "gold",
    )
    assert "Organisation saved." in _text(saved)


# --- merging --------------------------------------------------------------------------------


@pytest.fixture
def phone_sofie(people):
    """Sofie again, from her phone, as a customer of her own."""
    return make_ticket(
        team=people.billing, address="+4791234567", kind="phone", channel="phone", name="S. Lund"
    ).customer


def test_merge_search_confirm_and_merge(kari_client, people, phone_sofie):
    url = reverse("web:customer_merge", args=[phone_sofie.pk])

    # when: searching for the other profile
    found = kari_client.get(url, {"q": "sofie@"})
    # then: it is offered, the customer itself is not
    assert [c.pk for c in found.context["candidates"]] == [people.sofie.pk]

    # when: choosing it
    confirm = kari_client.get(url, {"q": "sofie@", "into": people.sofie.pk})
    # then: the page says what will move
    page = _text(confirm)
    assert "1 ticket moves to Sofie Lund, with its messages." in page
    assert "+4791234567" in page

    # when: confirming
    done = kari_client.post(
        reverse("web:customer_merge_confirm", args=[phone_sofie.pk]),
        {"into": people.sofie.pk},
        follow=True,
    )
    # then
    assert done.redirect_chain[-1][0] == reverse("web:customer", args=[people.sofie.pk])
    assert "Merged: 1 ticket(s) and 1 address(es) moved here." in _text(done)
    assert Identity.objects.get(address="+4791234567").customer == people.sofie
    assert Customer.objects.get(pk=phone_sofie.pk).merged_into == people.sofie
    assert Ticket.objects.filter(customer=people.sofie).count() == 2


def test_merge_twice_gets_a_clear_error(kari_client, people, phone_sofie):
    confirm_url = reverse("web:customer_merge_confirm", args=[phone_sofie.pk])
    kari_client.post(confirm_url, {"into": people.sofie.pk})

    again = kari_client.post(confirm_url, {"into": people.sofie.pk}, follow=True)

    assert "That customer has already been merged into this one." in _text(again)
    assert again.redirect_chain[-1][0] == reverse("web:customer", args=[people.sofie.pk])


def test_merge_with_itself_is_refused(kari_client, people):
    url = reverse("web:customer_merge", args=[people.sofie.pk])

    confirm = kari_client.get(url, {"into": people.sofie.pk})
    posted = kari_client.post(
        reverse("web:customer_merge_confirm", args=[people.sofie.pk]),
        {"into": people.sofie.pk},
        follow=True,
    )

    assert "A customer cannot be merged into itself." in _text(confirm)
    assert "A customer cannot be merged into itself." in _text(posted)
    assert Customer.objects.get(pk=people.sofie.pk).merged_into is None


def test_merge_into_customer_out_of_scope_is_refused(kari_client, people, technical_ticket):
    posted = kari_client.post(
        reverse("web:customer_merge_confirm", args=[people.sofie.pk]),
        {"into": technical_ticket.customer_id},
        follow=True,
    )

    assert "The customer to merge into was not found." in _text(posted)
    assert Customer.objects.get(pk=people.sofie.pk).merged_into is None
    assert "Jonas" not in _text(
        kari_client.get(reverse("web:customer_merge", args=[people.sofie.pk]), {"q": "jonas"})
    )


def test_light_agent_merge_is_refused(client, people, phone_sofie):
    client.force_login(people.lars.user)

    posted = client.post(
        reverse("web:customer_merge_confirm", args=[phone_sofie.pk]), {"into": people.sofie.pk}
    )

    assert posted.status_code == 404
    assert Customer.objects.get(pk=phone_sofie.pk).merged_into is None


def test_old_link_of_merged_customer_leads_to_the_profile_it_joined(
    kari_client, people, phone_sofie
):
    customer_services.customer_merge(source=phone_sofie, target=people.sofie, actor=None)

    response = kari_client.get(reverse("web:customer", args=[phone_sofie.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("web:customer", args=[people.sofie.pk])
    assert "That customer was merged into this one." in _text(response)
