"""The portal account of a customer, for agents and integrations: whether it manages its
organisation's requests (the customer's own part, the password, is not theirs to see)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict

from nordesk.api.auth import acting_agent
from nordesk.api.types import DbId
from nordesk.customers import selectors as customer_selectors

from . import selectors, services
from .models import PortalAccount

router = Router(tags=["portal"])


class PortalAccountOut(Schema):
    customer_id: int
    is_organisation_manager: bool
    has_password: bool
    last_sign_in_at: datetime | None

    @staticmethod
    def resolve_has_password(account: PortalAccount) -> bool:
        return bool(account.password)


class PortalAccountUpdate(Schema):
    model_config = ConfigDict(extra="forbid")

    is_organisation_manager: bool


@router.get(
    "/accounts/{int:customer_id}",
    response=PortalAccountOut,
    summary="A customer's portal account",
)
def portal_account_get(request: HttpRequest, customer_id: DbId):
    agent = acting_agent(request, "customers:read")
    customer = customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    return selectors.account_of_customer(customer_id=customer.pk)


@router.patch(
    "/accounts/{int:customer_id}",
    response=PortalAccountOut,
    summary="Make a customer their organisation's manager in the portal, or not",
)
def portal_account_update(request: HttpRequest, customer_id: DbId, payload: PortalAccountUpdate):
    agent = acting_agent(request, "customers:write", writes=True)
    customer = customer_selectors.customer_get_for_agent(agent=agent, customer_id=customer_id)
    return services.account_set_organisation_manager(
        account=services.account_for_customer(customer_id=customer.pk),
        is_manager=payload.is_organisation_manager,
        actor=agent.user,
    )
