"""Customers' own accounts on the portal. A customer is a `customers.Customer`, never a Django
user: an agent's login grants nothing here, and a portal session nothing in the workspace."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped


class PortalAccount(TimeStamped):
    customer = models.OneToOneField(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="portal_account",
        verbose_name=_("customer"),
    )
    # A Django password hash, set by the customer once signed in; empty: sign-in links only.
    password = models.CharField(_("password"), max_length=128, blank=True)
    is_organisation_manager = models.BooleanField(
        _("organisation manager"),
        default=False,
        help_text=_("Sees every ticket of the customer's organisation in the portal."),
    )
    last_sign_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")

    def __str__(self) -> str:
        return str(self.customer)


class SignInLink(models.Model):
    """A one-time sign-in link sent by email: only the SHA-256 of its token is kept, so the
    table cannot be used to sign in."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link of {self.account_id}"


class ContactFormSettings(models.Model):
    """What the contact form asks besides name, address, subject and description: one row."""

    categories = models.JSONField(_("categories"), default=list, blank=True)
    # Keys of tickets' custom field definitions, in the order the form shows them.
    field_keys = models.JSONField(_("custom fields"), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("contact form settings")
        verbose_name_plural = _("contact form settings")

    def __str__(self) -> str:
        return str(_("Contact form"))


class SuggestedArticleOpen(models.Model):
    """A knowledge base article the contact form suggested and the customer opened, during
    one visit of the form (a random id kept in the session). The visit's submission marks it
    `submitted_at`; one still unsubmitted after the deflection window is a deflection."""

    visit = models.CharField(max_length=32, db_index=True)
    article_id = models.BigIntegerField()
    language = models.CharField(max_length=2)
    customer_id = models.BigIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    deflection_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "article_id"], name="portal_open_once")
        ]
        indexes = [
            models.Index(
                fields=["opened_at"],
                name="portal_open_pending",
                condition=models.Q(submitted_at=None, deflection_recorded_at=None),
            )
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} opened in visit {self.visit}"
