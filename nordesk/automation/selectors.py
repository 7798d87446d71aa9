from __future__ import annotations

from django.db.models import QuerySet

from nordesk.core.selectors import first_row

from .models import AutomationRun, CannedReply, Macro, Notification, TimeRule, Trigger

NOTIFICATION_LIMIT = 100


def trigger_list() -> QuerySet[Trigger]:
    """Every trigger in the order they run."""
    return Trigger.objects.order_by("position", "id")


def trigger_get(*, trigger_id: int) -> Trigger | None:
    return first_row(Trigger.objects.filter(pk=trigger_id))


def time_rule_list() -> QuerySet[TimeRule]:
    return TimeRule.objects.order_by("name")


def time_rule_get(*, rule_id: int) -> TimeRule | None:
    return first_row(TimeRule.objects.filter(pk=rule_id))


def macro_list(*, active_only: bool = False) -> QuerySet[Macro]:
    macros = Macro.objects.order_by("name")
    return macros.filter(is_active=True) if active_only else macros


def macro_get(*, macro_id: int, active_only: bool = False) -> Macro | None:
    return first_row(macro_list(active_only=active_only).filter(pk=macro_id))


def canned_reply_list() -> QuerySet[CannedReply]:
    return CannedReply.objects.order_by("name")


def canned_reply_get(*, canned_id: int) -> CannedReply | None:
    return first_row(CannedReply.objects.filter(pk=canned_id))


def runs_for_ticket(*, ticket_id: int, limit: int = 200) -> list[AutomationRun]:
    """The latest runs on the ticket, newest first. Callers check the ticket's scope first."""
    return list(
        AutomationRun.objects.filter(ticket_id=ticket_id).order_by("-created_at", "-id")[:limit]
    )


def notifications_for_user(
    *, user_id: int, unread_only: bool = False, limit: int = NOTIFICATION_LIMIT
) -> list[Notification]:
    notifications = Notification.objects.filter(recipient_id=user_id)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return list(notifications.select_related("ticket").order_by("-created_at", "-id")[:limit])


def notification_get_for_user(*, user_id: int, notification_id: int) -> Notification | None:
    return first_row(Notification.objects.filter(pk=notification_id, recipient_id=user_id))


def notifications_unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
