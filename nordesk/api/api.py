"""The ninja API under /api/v1/: auth, one error format (problem+json), routers per app."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.throttling import AuthRateThrottle

from nordesk.accounts.api import router as accounts_router
from nordesk.analytics.api import router as analytics_router
from nordesk.analytics.api_wfm import router as wfm_router
from nordesk.automation.api import router as automation_router
from nordesk.connectors.email.api import router as mail_router
from nordesk.core.errors import ApplicationError
from nordesk.csat.api import router as csat_router
from nordesk.customers.api import organisations_router
from nordesk.customers.api import router as customers_router
from nordesk.kb.api import router as kb_router
from nordesk.portal.api import router as portal_router
from nordesk.routing.api import router as routing_router
from nordesk.sla.api import router as sla_router
from nordesk.tickets.api import router as tickets_router
from nordesk.tickets.api import tags_router

from .auth import AgentSessionAuth, TokenAuth
from .problems import problem


class TokenRateThrottle(AuthRateThrottle):
    """Per token (or per agent session), in the shared cache: Redis when configured, so the
    limit holds across processes. The rate is read per request so operators can change it."""

    def __init__(self) -> None:
        super().__init__(f"{settings.API_RATE_LIMIT_PER_MINUTE}/m")

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(
            f"{settings.API_RATE_LIMIT_PER_MINUTE}/m"
        )
        return super().allow_request(request)


api = NinjaAPI(
    title="Nordesk API",
    version="1",
    description="Tickets, customers and the people who serve them. Authenticate with "
    "`Authorization: Bearer <token>` (create one with `nordesk token create`).",
    auth=[TokenAuth(), AgentSessionAuth()],
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return problem(exc.status, exc.code, exc.message, errors=errors)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        errors.append({"field": ".".join(location[-3:]), "message": error.get("msg", "")})
    return problem(422, "validation_failed", _("The request has invalid fields."), errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(401, "unauthenticated", _("A valid API token or session is required."))


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = problem(429, "rate_limited", _("Too many requests; slow down and retry."))
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja's only 400: a body it cannot parse. Same family as a wrong type: 422.
        detail = _("The request body is not valid JSON.")
        return problem(422, "malformed_body", detail, errors=[{"field": "body", "message": detail}])
    return problem(exc.status_code, "http_error", str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "not_found", _("Not found."))


api.add_router("/tickets", tickets_router)
api.add_router("/customers", customers_router)
api.add_router("/organisations", organisations_router)
api.add_router("/tags", tags_router)
api.add_router("/mail", mail_router)
api.add_router("/routing", routing_router)
api.add_router("/sla", sla_router)
api.add_router("/automation", automation_router)
api.add_router("/portal", portal_router)
api.add_router("/csat", csat_router)
api.add_router("/kb", kb_router)
api.add_router("/analytics", analytics_router)
api.add_router("/analytics/wfm", wfm_router)
api.add_router("/", accounts_router)
