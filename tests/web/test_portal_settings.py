"""The admins' page for the customer portal: the contact form's categories and fields, and
the widget snippet."""

import pytest

from nordesk.portal import selectors as portal_selectors
from nordesk.tickets.models import CustomFieldDefinition

pytestmark = pytest.mark.django_db
URL = "/settings/portal/"


def test_an_admin_chooses_the_contact_forms_categories_and_fields(client, people):
    CustomFieldDefinition.objects.create(key="order", label="Order number", kind="number")
    client.force_login(people.astrid.user)

    page = client.get(URL).content.decode()
    response = client.post(
        URL, {"categories": "Billing\n\nLogin\nBilling", "field_keys": ["order"]}
    )

    assert "http://testserver/help/widget.js" in page
    assert "NORDESK_PORTAL_EMBED_ORIGINS" in page
    assert response.status_code == 302
    saved = portal_selectors.contact_form_settings()
    assert (saved.categories, saved.field_keys) == (["Billing", "Login"], ["order"])


def test_a_too_long_category_is_refused_by_the_field(client, people):
    client.force_login(people.astrid.user)

    response = client.post(URL, {"categories": "x" * 65})

    assert response.status_code == 400
    assert "A category has at most 64 characters" in response.content.decode()


def test_only_admins_see_the_portal_settings(client, people):
    client.force_login(people.kari.user)

    assert client.get(URL).status_code == 404
