from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Conflict, Invalid, NotFound, TooLarge


class IllegalTransition(Conflict):
    code = "illegal_transition"
    default_message = _("That status change is not allowed.")


class TicketClosed(Conflict):
    code = "ticket_closed"
    default_message = _("The ticket is closed; closed tickets cannot be changed.")


class MergeNotAllowed(Conflict):
    code = "merge_not_allowed"
    default_message = _("These tickets cannot be merged.")


class InvalidCustomField(Invalid):
    code = "invalid_custom_field"
    default_message = _("A custom field value is not valid.")


class AttachmentTooLarge(TooLarge):
    code = "attachment_too_large"
    default_message = _("The attachment is larger than allowed.")


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"
    default_message = _("Attachment not found.")


class UnknownChannel(Invalid):
    code = "unknown_channel"
    default_message = _("Unknown channel.")


class EmptyMessage(Invalid):
    code = "empty_message"
    default_message = _("The message is empty.")


class AssigneeNotAgent(Invalid):
    code = "assignee_not_agent"
    default_message = _("Tickets can only be assigned to active agents who can reply.")


class UnknownTeam(Invalid):
    code = "unknown_team"
    default_message = _("Unknown team.")
