from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Invalid, PermissionDenied


class UnknownScope(Invalid):
    code = "unknown_scope"
    default_message = _("Unknown token scope.")


class NotStaff(PermissionDenied):
    code = "not_staff"
    default_message = _("This account is not an agent.")


class RoleForbids(PermissionDenied):
    code = "role_forbids"
    default_message = _("Your role does not allow this.")
