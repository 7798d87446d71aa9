from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Conflict, Invalid


class IdentityTaken(Conflict):
    code = "identity_taken"
    default_message = _("That address already belongs to another customer.")


class InvalidAddress(Invalid):
    code = "invalid_address"
    default_message = _("That is not a valid address for this kind of identity.")


class MergeIntoSelf(Invalid):
    code = "merge_into_self"
    default_message = _("A customer cannot be merged into itself.")


class CustomerHasTickets(Conflict):
    code = "customer_has_tickets"
    default_message = _("A customer with tickets cannot be deleted; merge or erase it instead.")


class OrganisationNameTaken(Conflict):
    code = "organisation_name_taken"
    default_message = _("An organisation with that name already exists.")


class CustomerAlreadyMerged(Conflict):
    code = "customer_already_merged"
    default_message = _("One of these customers has already been merged into another.")
