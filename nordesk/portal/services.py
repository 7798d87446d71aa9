"""Every write of the portal: customers' accounts, their sign-in links and passwords, and the
contact form's settings. Sign-in answers never tell whether an address belongs to a customer."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nordesk.core.errors import Invalid
from nordesk.core.events import on_commit_enqueue
from nordesk.core.rate_limits import rate_limit_hit, rate_limit_reached
from nordesk.core.selectors import first_row
from nordesk.customers import selectors as customer_selectors
from nordesk.customers import services as customer_services
from nordesk.tickets import selectors as ticket_selectors

from .errors import ContactFormInvalid, SignInFailed, SignInLinkInvalid, TooManySignIns
from .models import ContactFormSettings, PortalAccount, SignInLink
from .tasks import sign_in_link_send

HOUR = 3600
MAX_CATEGORIES = 50


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sign_in_rate_check(*, address: str, ip: str, scope: str = "portal-sign-in") -> None:
    over_address = rate_limit_hit(
        scope=f"{scope}-address",
        key=address,
        limit=settings.PORTAL_SIGN_IN_PER_ADDRESS_HOUR,
        window_seconds=HOUR,
    )
    over_ip = rate_limit_hit(
        scope=f"{scope}-ip",
        key=ip,
        limit=settings.PORTAL_SIGN_IN_PER_IP_HOUR,
        window_seconds=HOUR,
    )
    if over_address or over_ip:
        raise TooManySignIns()


def account_for_customer(*, customer_id: int) -> PortalAccount:
    account, _created = PortalAccount.objects.get_or_create(customer_id=customer_id)
    return account


@transaction.atomic
def sign_in_link_request(*, email: str, ip: str, link_url: str, language: str) -> None:
    """Mail a one-time sign-in link to `email` if a customer has that address; otherwise do
    nothing, silently. `link_url` holds "{token}" where the link's token goes. Too many
    requests for one address or from one IP raise TooManySignIns, known address or not."""
    _sign_in_rate_check(address=email, ip=ip)
    customer = customer_selectors.customer_by_email(email)
    if customer is None:
        return
    account = account_for_customer(customer_id=customer.pk)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    SignInLink.objects.create(
        account=account,
        digest=_digest(token),
        created_at=now,
        expires_at=now + timedelta(minutes=settings.PORTAL_LINK_MINUTES),
    )
    on_commit_enqueue(
        sign_in_link_send,
        email.strip().lower(),
        link_url.replace("{token}", token),
        language or customer.language,
    )


def sign_in_link_use(*, token: str) -> PortalAccount:
    """The account the link signs in, once: a used, expired or unknown link is refused. The
    conditional UPDATE decides, so two clicks racing each other sign in once."""
    link = first_row(SignInLink.objects.select_related("account").filter(digest=_digest(token)))
    now = timezone.now()
    used = (
        link is not None
        and SignInLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        == 1
    )
    if link is None or not used:
        raise SignInLinkInvalid()
    return _signed_in(link.account, at=now)


def sign_in_links_prune(*, now=None) -> int:
    """Forget links that stopped working more than a day ago; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=1)
    deleted, _kinds = SignInLink.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def _signed_in(account: PortalAccount, *, at) -> PortalAccount:
    account.last_sign_in_at = at
    account.save(update_fields=["last_sign_in_at"])
    return account


def account_sign_in_with_password(*, email: str, password: str, ip: str) -> PortalAccount:
    """The account whose customer has `email` and whose password this is; SignInFailed
    otherwise, with the same message (and the same hashing work) whichever part was wrong.
    Failed attempts count against the address and the IP (TooManySignIns over the limit)."""
    if _password_failures_reached(address=email, ip=ip):
        raise TooManySignIns()
    try:
        return _password_check(email=email, password=password)
    except SignInFailed:
        _sign_in_rate_check(address=email, ip=ip, scope="portal-password")
        raise


def _password_failures_reached(*, address: str, ip: str) -> bool:
    return rate_limit_reached(
        scope="portal-password-address",
        key=address,
        limit=settings.PORTAL_SIGN_IN_PER_ADDRESS_HOUR,
    ) or rate_limit_reached(
        scope="portal-password-ip", key=ip, limit=settings.PORTAL_SIGN_IN_PER_IP_HOUR
    )


def _password_check(*, email: str, password: str) -> PortalAccount:
    customer = customer_selectors.customer_by_email(email)
    account = (
        PortalAccount.objects.filter(customer=customer).first() if customer is not None else None
    )
    if account is None or not account.password:
        make_password(password)  # as long as a real check takes
        raise SignInFailed(field="password")
    found = account
    if not check_password(password, found.password, setter=lambda raw: _password_store(found, raw)):
        raise SignInFailed(field="password")
    return _signed_in(found, at=timezone.now())


def _password_store(account: PortalAccount, password: str) -> None:
    account.password = make_password(password)
    account.updated_at = timezone.now()
    account.save(update_fields=["password", "updated_at"])


def account_password_set(*, account: PortalAccount, password: str) -> PortalAccount:
    """Set (or change) the password the customer may sign in with besides links; Django's
    password rules apply."""
    try:
        validate_password(password)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from exc
    _password_store(account, password)
    return account


def account_password_remove(*, account: PortalAccount) -> PortalAccount:
    account.password = ""
    account.updated_at = timezone.now()
    account.save(update_fields=["password", "updated_at"])
    return account


def account_set_organisation_manager(
    *, account: PortalAccount, is_manager: bool, actor: User | None
) -> PortalAccount:
    """Agents decide who sees their organisation's requests; light agents may not."""
    customer_services.ensure_actor_may_edit(actor)
    account.is_organisation_manager = is_manager
    account.updated_at = timezone.now()
    account.save(update_fields=["is_organisation_manager", "updated_at"])
    return account


def contact_form_settings_update(
    *, categories: list[str], field_keys: list[str]
) -> ContactFormSettings:
    """The categories the customer chooses from (none: the form asks no category) and the
    custom fields it shows, by key, in that order."""
    cleaned = list(dict.fromkeys(name.strip() for name in categories if name.strip()))
    if len(cleaned) > MAX_CATEGORIES:
        raise ContactFormInvalid(
            _("At most %(count)d categories.") % {"count": MAX_CATEGORIES}, field="categories"
        )
    too_long = [name for name in cleaned if len(name) > 64]
    if too_long:
        raise ContactFormInvalid(
            _("A category has at most 64 characters: %(name)s") % {"name": too_long[0]},
            field="categories",
        )
    keys = list(dict.fromkeys(field_keys))
    known = {d.key for d in ticket_selectors.custom_field_definitions(keys=keys)}
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ContactFormInvalid(
            _("No active custom field has the key %(key)s.") % {"key": unknown[0]},
            field="field_keys",
        )
    form_settings, _created = ContactFormSettings.objects.update_or_create(
        pk=1,
        defaults={"categories": cleaned, "field_keys": keys, "updated_at": timezone.now()},
    )
    return form_settings
