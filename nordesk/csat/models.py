"""Satisfaction surveys: one per ticket, sent a while after it is solved, answered through a
signed link; the customers who asked not to be surveyed again; and how surveys go out."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Scores are 1 to 5 on both scales: "good" is stored as 5 and "bad" as 1, so a trigger's
# `csat.score` condition and the agents' figures mean the same whichever scale was asked.
GOOD = 5
BAD = 1
GOOD_FROM = 4  # a score of 4 or 5 counts as good


class Scale(models.TextChoices):
    GOOD_BAD = "good_bad", _("Good or bad")
    FIVE = "five", _("1 to 5")


class SurveySettings(models.Model):
    """The one row (pk 1) of survey settings; until an admin saves it, the defaults apply."""

    enabled = models.BooleanField(_("send surveys"), default=True)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default="good_bad")
    delay_minutes = models.PositiveIntegerField(_("minutes after solving"), default=60)
    change_days = models.PositiveIntegerField(_("days an answer can be changed"), default=7)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return str(_("Survey settings"))


class Survey(models.Model):
    """A ticket's survey. Made when the ticket is solved (or when an automation skips it
    first); `due_at` is when it goes out, cleared when the ticket is reopened before that."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="csat_survey"
    )
    # Who was asked (the ticket's customer when it went out): the link is bound to them.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # The ticket's assignee when it was solved: whose figures the answer counts in.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    skipped = models.BooleanField(_("skipped by an automation"), default=False)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    changed_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [
            # The sending scan reads only the surveys waiting to go out.
            models.Index(
                fields=["due_at"],
                name="csat_survey_due",
                condition=models.Q(due_at__isnull=False, sent_at__isnull=True),
            ),
            # The agents' figures: answers per agent over a recent window.
            models.Index(
                fields=["agent", "answered_at"],
                name="csat_survey_agent_answered",
                condition=models.Q(score__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"CSAT {self.ticket_id}: {self.score or '-'}"

    @property
    def is_good(self) -> bool:
        return self.score is not None and self.score >= GOOD_FROM


class OptOut(models.Model):
    """A customer who is not to be surveyed again: they said so on a survey page, or an
    agent set it on their profile."""

    class Source(models.TextChoices):
        CUSTOMER = "customer", _("The customer")
        AGENT = "agent", _("An agent")

    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("set by"), max_length=10, choices=Source.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")

    def __str__(self) -> str:
        return f"opt-out {self.customer_id}"
