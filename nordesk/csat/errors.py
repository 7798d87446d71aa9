from django.utils.translation import gettext_lazy as _

from nordesk.core.errors import Conflict, Invalid, NotFound


class SurveyLinkInvalid(NotFound):
    code = "survey_link_invalid"
    default_message = _("This survey link is not valid. Check that it was copied whole.")


class SurveyLinkExpired(NotFound):
    code = "survey_link_expired"
    default_message = _("This survey link has expired.")


class AnswerLocked(Conflict):
    code = "survey_answer_locked"
    default_message = _("Your answer can no longer be changed.")


class InvalidScore(Invalid):
    code = "survey_invalid_score"
    default_message = _("Choose one of the answers offered.")


class InvalidSurveySettings(Invalid):
    code = "survey_invalid_settings"
