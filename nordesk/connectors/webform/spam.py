"""Spam protection without third-party services: a field people never fill in (hidden from
them, not from bots), a signed time of issue the form carries (sent back within seconds of
opening it: a script), and per-IP and per-address limits in the shared cache."""

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from nordesk.core.rate_limits import rate_limit_hit

from .errors import SubmissionRefused, TooManySubmissions

TOKEN_SALT = "nordesk.webform.form-token"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE_SECONDS = 24 * 3600
HOUR = 3600


@dataclass(frozen=True)
class FormToken:
    nonce: str  # names this copy of the form: sent twice, it makes one message
    issued_at: float


def form_token_issue() -> str:
    return signing.dumps(
        {"n": secrets.token_urlsafe(12), "t": round(time.time(), 3)}, salt=TOKEN_SALT
    )


def form_token_check(token: str, *, timed: bool = True) -> FormToken:
    """The form's token, if the form was opened here, not too long ago and (`timed`, for
    forms anyone may send) not just a moment ago."""
    try:
        value = signing.loads(token, salt=TOKEN_SALT)
        issued = FormToken(nonce=str(value["n"]), issued_at=float(value["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise SubmissionRefused(
            _("The form could not be checked. Please send it again."), field="form_token"
        ) from exc
    age = time.time() - issued.issued_at
    if timed and age < settings.PORTAL_FORM_MIN_SECONDS:
        raise SubmissionRefused(
            _(
                "The form was sent a moment after it opened, which is what automated spam "
                "does. Please check what you wrote and send it again."
            ),
            field="form_token",
        )
    if age > TOKEN_MAX_AGE_SECONDS:
        raise SubmissionRefused(
            _("The form was open for more than a day. Please send it again."),
            field="form_token",
        )
    return issued


def honeypot_check(value: str) -> None:
    if value:
        raise SubmissionRefused(
            _(
                "The form could not be sent: a field that must stay empty was filled in. If "
                "your browser fills in forms for you, clear the field named “Leave this empty” "
                "and send it again."
            ),
            field="website",
        )


def submission_rate_check(*, ip: str, address: str) -> None:
    """Counts this submission against the sender's IP and address; refused over either."""
    over_ip = rate_limit_hit(
        scope="webform-ip", key=ip, limit=settings.PORTAL_FORM_PER_IP_HOUR, window_seconds=HOUR
    )
    over_address = rate_limit_hit(
        scope="webform-address",
        key=address,
        limit=settings.PORTAL_FORM_PER_ADDRESS_HOUR,
        window_seconds=HOUR,
    )
    if over_ip or over_address:
        raise TooManySubmissions()
