"""The public survey page, reached only through the signed link in the survey mail (or the
portal). A GET never records anything: mail scanners (Outlook Safe Links and the like) open
every link in a mail, so the link opens the page with the customer's choice preselected and
one button to send it, with a comment box; only that POST records the answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nordesk.core.errors import ApplicationError

from . import selectors, services
from .errors import SurveyLinkExpired
from .models import Survey


class AnswerForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Your answer"), coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Anything you want to tell us? (optional)"),
        required=False,
        max_length=services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opt_out = forms.BooleanField(label=_("Don't ask me again"), required=False)

    def __init__(self, *args: Any, scale: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = selectors.score_choices(scale)  # type: ignore[attr-defined]


def _initial(survey: Survey, request: HttpRequest) -> dict[str, Any]:
    """The customer's answer so far, or the choice the link in the mail carried."""
    if survey.score is not None:
        return {"score": survey.score, "comment": survey.comment}
    chosen = request.GET.get("score", "")
    if chosen.isdigit() and int(chosen) in selectors.scores_for(survey.scale):
        return {"score": int(chosen)}
    return {}


def _page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    response = render(request, f"csat/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    # The link is the key: it leaves the page as a referrer to our own origin only (and
    # "no-referrer" would make the form's Origin "null", which CSRF refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = selectors.survey_from_token(token)
    except ApplicationError as error:
        status = 410 if isinstance(error, SurveyLinkExpired) else 404
        return _page(request, "survey_refused.html", status, message=error.message)
    with translation.override(found.language or None):
        return _survey_page(request, found)


def _survey_page(request: HttpRequest, survey: Survey) -> HttpResponse:
    until = selectors.answer_open_until(survey, selectors.survey_settings().change_days)
    context: dict[str, Any] = {"survey": survey, "ticket": survey.ticket, "until": until}
    if until is None or timezone.now() > until:
        if survey.score is not None:
            context["answer"] = selectors.score_label(score=survey.score, scale=survey.scale)
        return _page(request, "survey_closed.html", **context)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        scale=survey.scale,
        initial=_initial(survey, request),
    )
    if form.is_valid():
        try:
            services.survey_answer(
                survey=survey,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                opt_out=form.cleaned_data["opt_out"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(f"{request.path}?thanks=1")
    context.update(form=form, thanks=request.GET.get("thanks") == "1")
    return _page(request, "survey.html", 400 if form.errors else 200, **context)
