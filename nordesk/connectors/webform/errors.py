from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import ApplicationError, Invalid


class SubmissionRefused(Invalid):
    """The form was sent in a way people do not send it (a bot, a replay, a flood)."""

    code = "submission_refused"
    default_message = _("The form could not be sent. Please try again.")


class TooManySubmissions(ApplicationError):
    status = 429
    code = "too_many_submissions"
    default_message = _(
        "You have sent this form many times in a short while. Please wait an hour and try "
        "again, or write to us by email."
    )
