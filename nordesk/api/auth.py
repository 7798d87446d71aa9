"""Who is calling: an API token (Bearer) or an agent's browser session. Both end with
`request.agent` set; tokens also carry their scopes."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from nordesk.accounts import selectors as account_selectors
from nordesk.accounts import services as account_services
from nordesk.accounts.errors import RoleForbids
from nordesk.core.errors import PermissionDenied

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = account_selectors.token_authenticate(token)
        if api_token is None:
            return None
        account_services.token_touch(token=api_token)
        request.agent = api_token.agent  # type: ignore[attr-defined]
        request.token_scopes = frozenset(api_token.scopes)  # type: ignore[attr-defined]
        return api_token


class AgentSessionAuth(SessionAuth):
    """The agent UI calling the API with its session cookie (CSRF-checked)."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is None:
            return None
        agent = account_selectors.agent_for_user(user)
        if agent is None:
            return None
        request.agent = agent  # type: ignore[attr-defined]
        request.token_scopes = None  # type: ignore[attr-defined]
        return user


def acting_agent(request: HttpRequest, scope: str, *, writes: bool = False) -> "Agent":
    """The agent behind the request, after checking the token scope and, for `writes` (any
    change but an internal note), that the role may make them."""
    scopes = request.token_scopes  # type: ignore[attr-defined]
    if scopes is not None and scope not in scopes:
        raise PermissionDenied(_("This token lacks the %(scope)r scope.") % {"scope": scope})
    agent: Agent = request.agent  # type: ignore[attr-defined]
    if writes and not agent.can_reply:
        raise RoleForbids(_("Light agents can read tickets and add internal notes only."))
    return agent


def acting_admin(request: HttpRequest, *, writes: bool = False, refusal: str) -> "Agent":
    """The admin behind the request, for settings endpoints (mailboxes, routing rules):
    anyone else is refused with `refusal`."""
    agent = acting_agent(request, "tickets:write" if writes else "tickets:read", writes=writes)
    if not agent.is_admin:
        raise PermissionDenied(refusal)
    return agent
