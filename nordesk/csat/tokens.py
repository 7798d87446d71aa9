"""The survey link's key: the survey, its ticket and the customer asked, signed with the
secret key (Django's signing, its own salt) and dated, so a link cannot be made for another
ticket, edited to point at one, or used for ever."""

from django.core import signing

from .errors import SurveyLinkExpired, SurveyLinkInvalid

_SALT = "nordesk.csat.survey"


def survey_token_make(*, survey_id: int, ticket_id: int, customer_id: int) -> str:
    return signing.dumps({"s": survey_id, "t": ticket_id, "c": customer_id}, salt=_SALT)


def survey_token_read(token: str, *, max_age_days: int) -> tuple[int, int, int]:
    """(survey id, ticket id, customer id), or the reason the link is refused."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age_days * 86400)
    except signing.SignatureExpired:
        raise SurveyLinkExpired() from None
    except signing.BadSignature:
        raise SurveyLinkInvalid() from None
    try:
        return int(data["s"]), int(data["t"]), int(data["c"])
    except (TypeError, KeyError, ValueError):
        raise SurveyLinkInvalid() from None
