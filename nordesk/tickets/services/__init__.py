"""Every write to tickets, messages and their history goes through these functions."""

from .attachments import attachment_upload
from .changes import (
    ticket_assign,
    ticket_change_status,
    ticket_set_fields,
    ticket_set_priority,
    ticket_set_team,
    ticket_tag,
    ticket_update,
)
from .intake import (
    Received,
    receive,
    receive_once,
    subject_token,
    subject_token_find,
    ticket_numbers_continue_after_bulk_load,
)
from .merge import ticket_merge, tickets_move_customer
from .messages import message_delivery_record, ticket_add_note, ticket_reply

__all__ = [
    "attachment_upload",
    "message_delivery_record",
    "Received",
    "receive",
    "receive_once",
    "subject_token",
    "subject_token_find",
    "ticket_add_note",
    "ticket_assign",
    "ticket_change_status",
    "ticket_merge",
    "ticket_numbers_continue_after_bulk_load",
    "ticket_reply",
    "ticket_set_fields",
    "ticket_set_priority",
    "ticket_set_team",
    "ticket_tag",
    "ticket_update",
    "tickets_move_customer",
]
