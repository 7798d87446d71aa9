"""Deflection: the contact form suggested an article, the customer opened it and then did not
send the form. Stored, never guessed: each opening from the form is a row under the form visit
(a random id in the session, or signed in the embedded form, which has no session); sending
the form marks that visit's rows submitted; a periodic job records every row still unsubmitted
`DEFLECTION_MINUTES` after the opening as a deflection of the knowledge base
(`kb.services.article_deflection_record`), once."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from nordesk.core.errors import NotFound
from nordesk.kb import services as kb_services

from .models import SuggestedArticleOpen

# Long enough to read an article and come back to the form, short enough for a daily KPI.
DEFLECTION_MINUTES = 30


def form_visit_new() -> str:
    return secrets.token_hex(16)


def suggested_article_opened(
    *, visit: str, article_id: int, language: str, customer_id: int | None
) -> None:
    """Once per visit and article: opening it again changes nothing."""
    try:
        with transaction.atomic():
            SuggestedArticleOpen.objects.create(
                visit=visit, article_id=article_id, language=language, customer_id=customer_id
            )
    except IntegrityError:
        return


def form_visit_submitted(*, visit: str) -> int:
    """The visit ended in a sent form: none of its openings is a deflection."""
    return SuggestedArticleOpen.objects.filter(
        visit=visit, submitted_at=None, deflection_recorded_at=None
    ).update(submitted_at=timezone.now())


def deflections_record_due(*, now: datetime | None = None) -> int:
    """Records the openings whose visit sent no form within the window; returns how many."""
    now = now or timezone.now()
    due = SuggestedArticleOpen.objects.filter(
        submitted_at=None,
        deflection_recorded_at=None,
        opened_at__lte=now - timedelta(minutes=DEFLECTION_MINUTES),
    ).order_by("pk")
    recorded = 0
    for opening in due.iterator():
        with transaction.atomic():
            claimed = SuggestedArticleOpen.objects.filter(
                pk=opening.pk, submitted_at=None, deflection_recorded_at=None
            ).update(deflection_recorded_at=now)
            if not claimed:
                continue
            try:
                kb_services.article_deflection_record(
                    article_id=opening.article_id,
                    language=opening.language,
                    customer_id=opening.customer_id,
                )
            except NotFound:
                continue  # unpublished since: no longer an article that answers anyone
            recorded += 1
    return recorded
