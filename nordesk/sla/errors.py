from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Conflict, Invalid, NotFound


class CalendarNotFound(NotFound):
    code = "calendar_not_found"
    default_message = _("No such business calendar.")


class CalendarNameTaken(Conflict):
    code = "calendar_name_taken"
    default_message = _("A business calendar with that name already exists.")


class InvalidTimeZone(Invalid):
    code = "invalid_time_zone"
    default_message = _("Unknown time zone.")


class InvalidRegion(Invalid):
    code = "invalid_region"
    default_message = _("Public holidays are not available for that country or region.")


class InvalidHours(Invalid):
    code = "invalid_hours"
    default_message = _("The opening hours are not valid.")


class ClosedDayTaken(Conflict):
    code = "closed_day_taken"
    default_message = _("That day is already closed in this calendar.")


class InvalidPolicy(Invalid):
    code = "invalid_sla_policy"
    default_message = _("The SLA policy is not valid.")


class PolicyNameTaken(Conflict):
    code = "sla_policy_name_taken"
    default_message = _("An SLA policy with that name already exists.")


class PolicyNotFound(NotFound):
    code = "sla_policy_not_found"
    default_message = _("No such SLA policy.")


class ClosedDayNotFound(NotFound):
    code = "closed_day_not_found"
    default_message = _("No such closed day in this calendar.")


class InvalidPolicyOrder(Invalid):
    code = "invalid_sla_policy_order"
    default_message = _("Name every SLA policy exactly once to reorder them.")


class CalendarInUse(Conflict):
    code = "calendar_in_use"
    default_message = _("The business calendar is in use and cannot be deleted.")


class PolicyInUse(Conflict):
    code = "sla_policy_in_use"
    default_message = _(
        "Tickets have SLA clocks under this policy, so it cannot be deleted; deactivate it instead."
    )
