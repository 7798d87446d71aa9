from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Invalid, PermissionDenied


class InvalidSchedule(Invalid):
    code = "report_schedule_invalid"
    default_message = _("Check the scheduled report.")


class SchedulesForbidden(PermissionDenied):
    code = "report_schedule_forbidden"
    default_message = _("Only supervisors and admins schedule reports.")
