"""Domain errors. Services raise one ApplicationError subclass with a code; the API maps it to
problem+json with the status below, the UI shows the message next to the form."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request could not be carried out.")

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = str(message or self.default_message)
        self.field = field
        super().__init__(self.message)


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    default_message = _("The change conflicts with the current state.")


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"
    default_message = _("You are not allowed to do that.")


class TooLarge(ApplicationError):
    status = 413
    code = "too_large"
    default_message = _("The upload is larger than allowed.")


class Invalid(ApplicationError):
    status = 422
    code = "invalid"
