"""Every write to tickets, messages and their history goes through these functions."""

from .attachments import attachment_upload, uploads_unclaimed_purge
from .changes import (
    ticket_assign,
    ticket_change_status,
    ticket_set_fields,
    ticket_set_priority,
    ticket_set_team,
    ticket_tag,
    ticket_update,
)
from .customer_actions import ticket_solve_by_customer
from .intake import (
    Received,
    receive,
    receive_once,
    subject_token,
    subject_token_find,
    ticket_numbers_continue_after_bulk_load,
)
from .merge import ticket_merge, tickets_move_customer
from .messages import (
    message_delivery_record,
    ticket_add_note,
    ticket_csat_record,
    ticket_reply,
)
from .saved_views import (
    saved_view_create,
    saved_view_delete,
    saved_view_may_change,
    saved_view_update,
)
from .time_entries import (
    time_entry_add,
    time_entry_delete,
    time_entry_may_change,
    time_entry_track,
    time_entry_update,
)
from .transfers import (
    ticket_assign_from_queue,
    ticket_escalate,
    ticket_lock_for_assignment,
    ticket_sla_due_set,
    ticket_team_from_routing,
    ticket_transfer,
)

__all__ = [
    "saved_view_create",
    "saved_view_delete",
    "saved_view_may_change",
    "saved_view_update",
    "attachment_upload",
    "uploads_unclaimed_purge",
    "message_delivery_record",
    "Received",
    "receive",
    "receive_once",
    "subject_token",
    "subject_token_find",
    "ticket_add_note",
    "ticket_assign",
    "ticket_assign_from_queue",
    "ticket_change_status",
    "ticket_csat_record",
    "ticket_escalate",
    "ticket_lock_for_assignment",
    "ticket_merge",
    "ticket_numbers_continue_after_bulk_load",
    "ticket_reply",
    "ticket_set_fields",
    "ticket_set_priority",
    "ticket_sla_due_set",
    "ticket_set_team",
    "ticket_solve_by_customer",
    "ticket_tag",
    "ticket_team_from_routing",
    "ticket_transfer",
    "ticket_update",
    "time_entry_add",
    "time_entry_delete",
    "time_entry_may_change",
    "time_entry_track",
    "time_entry_update",
    "tickets_move_customer",
]
