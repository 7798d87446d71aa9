from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import ApplicationError, Invalid


class SignInLinkInvalid(Invalid):
    code = "sign_in_link_invalid"
    default_message = _(
        "This sign-in link does not work any more: each link works once, for a short while. "
        "Ask for a new one below."
    )


class SignInFailed(Invalid):
    code = "sign_in_failed"
    default_message = _(
        "That email address and password do not match. Check them, or ask for a sign-in link "
        "instead."
    )


class TooManySignIns(ApplicationError):
    status = 429
    code = "too_many_sign_ins"
    default_message = _(
        "There have been many sign-in attempts for this address in a short while. Please wait "
        "an hour and try again."
    )


class ContactFormInvalid(Invalid):
    code = "contact_form_invalid"
    default_message = _("The contact form settings are not valid.")
