"""Reads for the portal: a signed-in customer's account, and what the contact form asks."""

from django.conf import settings

from nordesk.connectors.email import selectors as email_selectors
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets.customer_selectors import CustomerScope, customer_scope

from .models import ContactFormSettings, PortalAccount


def account_get(*, account_id: int) -> PortalAccount | None:
    return PortalAccount.objects.select_related("customer").filter(pk=account_id).first()


def account_of_customer(*, customer_id: int) -> PortalAccount:
    """The customer's portal account, or (none yet) an unsaved one with its defaults."""
    return PortalAccount.objects.filter(customer_id=customer_id).first() or PortalAccount(
        customer_id=customer_id
    )


def account_scope(account: PortalAccount) -> CustomerScope:
    """Whose tickets the account reads: the customer's own and those they are in Cc on (on
    the profile a merge moved them to), and an organisation manager's organisation's."""
    customer = account.customer
    organisation_id = customer.organisation_id if account.is_organisation_manager else None
    return customer_scope(
        customer_id=customer.merged_into_id or customer.pk, organisation_id=organisation_id
    )


def first_account_email() -> str:
    """The email address of the oldest portal account ("" without one): whom the demo
    invites to sign in."""
    account = PortalAccount.objects.order_by("pk").first()
    if account is None:
        return ""
    address = customer_selectors.customer_primary_address(
        customer_id=account.customer_id, kind="email"
    )
    return address or ""


def contact_form_settings() -> ContactFormSettings:
    return ContactFormSettings.objects.filter(pk=1).first() or ContactFormSettings(pk=1)


def brand_name() -> str:
    """What the portal calls the company: the setting, else the first mailbox's brand name."""
    if settings.PORTAL_BRAND:
        return settings.PORTAL_BRAND
    mailbox = email_selectors.mailbox_default()
    return mailbox.name if mailbox is not None else "Nordesk"
