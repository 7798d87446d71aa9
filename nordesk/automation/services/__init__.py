"""Every write of the automation app goes through these functions."""

from .agents import (
    MacroApplied,
    canned_reply_render,
    macro_apply,
    notification_mark_read,
    notifications_mark_all_read,
)
from .definitions import (
    canned_reply_create,
    canned_reply_delete,
    canned_reply_update,
    macro_create,
    macro_delete,
    macro_update,
    time_rule_create,
    time_rule_delete,
    time_rule_update,
    trigger_create,
    trigger_delete,
    trigger_update,
    triggers_reorder,
)
from .running import (
    ACTIVE_TRIGGERS,
    MAX_DEPTH,
    actions_run,
    notifications_create,
    triggers_for,
    triggers_run,
)
from .timers import ACTIVE_TIME_RULES, timer_due_at, timers_fire, timers_start

__all__ = [
    "ACTIVE_TIME_RULES",
    "ACTIVE_TRIGGERS",
    "MAX_DEPTH",
    "MacroApplied",
    "actions_run",
    "canned_reply_create",
    "canned_reply_delete",
    "canned_reply_render",
    "canned_reply_update",
    "macro_apply",
    "macro_create",
    "macro_delete",
    "macro_update",
    "notification_mark_read",
    "notifications_create",
    "notifications_mark_all_read",
    "time_rule_create",
    "time_rule_delete",
    "time_rule_update",
    "timer_due_at",
    "timers_fire",
    "timers_start",
    "trigger_create",
    "trigger_delete",
    "trigger_update",
    "triggers_for",
    "triggers_reorder",
    "triggers_run",
]
