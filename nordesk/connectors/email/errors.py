from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Conflict, NotFound


class QuarantineError(Conflict):
    code = "quarantine_state"
    default_message = _("The message is not in the quarantine.")


class MailboxNotFound(NotFound):
    code = "mailbox_not_found"
    default_message = _("No such mailbox.")
