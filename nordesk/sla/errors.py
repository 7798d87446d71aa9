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
