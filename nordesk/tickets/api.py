import datetime
from typing import Literal

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from nordesk.api.auth import acting_agent
from nordesk.api.types import DbId
from nordesk.core.errors import NotFound

from . import listing, previews, selectors, services, time_selectors
from .errors import AttachmentTooLarge, EmptyMessage
from .inbound import InboundMessage
from .schemas import (
    EscalateIn,
    EventOut,
    MergeIn,
    MessageOut,
    NoteIn,
    ReplyIn,
    TagOut,
    TicketCreate,
    TicketDetail,
    TicketPage,
    TicketUpdate,
    TimeEntryIn,
    TimeEntryOut,
    TransferIn,
    UploadOut,
)

router = Router(tags=["tickets"])


class TicketQuery(Schema):
    status: list[str] = Field(default_factory=list)
    team: DbId | None = None
    assignee: str | None = Field(None, description="'me', 'none' or a user id")
    customer: DbId | None = None
    organisation: DbId | None = None
    channel: str | None = None
    priority: str | None = None
    language: str | None = Field(None, max_length=8)
    tag: str | None = None
    updated_since: datetime.datetime | None = None
    q: str = Field("", max_length=200)
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(25, ge=1, le=settings.API_PAGE_SIZE_MAX)
    sort: Literal["updated", "sla", "priority", "created"] = Field(
        "updated",
        description="updated: latest activity first; sla: the earliest SLA due time first, "
        "tickets without a running target last; priority: urgent first, then latest activity; "
        "created: newest first",
    )


def _detail(ticket):
    ticket.thread = selectors.message_list_for_ticket(ticket=ticket)
    return ticket


@router.get("", response=TicketPage, summary="List tickets (keyset pagination)")
def ticket_list(request: HttpRequest, query: Query[TicketQuery]):
    agent = acting_agent(request, "tickets:read")
    filters = listing.TicketFilters(
        status=tuple(query.status),
        team_id=query.team,
        assignee=query.assignee,
        customer_id=query.customer,
        organisation_id=query.organisation,
        channel=query.channel,
        priority=query.priority,
        language=query.language,
        tag=query.tag,
        updated_since=query.updated_since,
        text=query.q,
    )
    items, next_cursor = listing.ticket_list_for_agent(
        agent=agent, filters=filters, cursor=query.cursor, limit=query.limit, sort=query.sort
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post("", response={201: TicketDetail}, summary="Create a ticket for a customer")
def ticket_create(request: HttpRequest, payload: TicketCreate):
    agent = acting_agent(request, "tickets:write", writes=True)
    requester = payload.requester
    kind, address = ("email", requester.email) if requester.email else ("phone", requester.phone)
    message = services.receive(
        InboundMessage(
            channel=payload.channel,
            sender_kind=kind,
            sender_address=address or "",
            sender_name=requester.name,
            subject=payload.subject,
            text=payload.text,
            html=payload.html,
            received_at=timezone.now(),
            # Namespaced per agent: one integration's ids can neither collide with nor reveal
            # another's tickets.
            external_id=f"{agent.user_id}:{payload.external_id}" if payload.external_id else None,
            thread_keys=(payload.thread_key,) if payload.thread_key else (),
            language=payload.language,
            team_id=payload.team,
            priority=payload.priority,
            tags=tuple(payload.tags),
            custom_fields=payload.custom_fields,
        )
    )
    # The caller made this ticket, even when it routed it to a team it is not in.
    ticket = selectors.ticket_get_created_by(ticket_id=message.ticket_id)
    return Status(201, _detail(ticket))


@router.get("/{int:ticket_id}", response=TicketDetail, summary="A ticket with its messages")
def ticket_get(request: HttpRequest, ticket_id: DbId):
    agent = acting_agent(request, "tickets:read")
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    return _detail(ticket)


@router.patch("/{int:ticket_id}", response=TicketDetail, summary="Change status, priority, …")
def ticket_update(request: HttpRequest, ticket_id: DbId, payload: TicketUpdate):
    agent = acting_agent(request, "tickets:write", writes=True)
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    services.ticket_update(
        ticket=ticket, changes=payload.model_dump(exclude_unset=True), actor=agent.user
    )
    return _detail(selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id))


@router.post("/{int:ticket_id}/transfer", response=TicketDetail, summary="Transfer, with a reason")
def ticket_transfer(request: HttpRequest, ticket_id: DbId, payload: TransferIn):
    """To another team's queue (or an agent there), or to another agent; counted per ticket."""
    agent = acting_agent(request, "tickets:write", writes=True)
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    services.ticket_transfer(
        ticket=ticket,
        actor=agent.user,
        reason=payload.reason,
        team_id=payload.team,
        assignee_id=payload.assignee,
    )
    return _detail(selectors.ticket_get_created_by(ticket_id=ticket_id))


@router.post("/{int:ticket_id}/escalate", response=TicketDetail, summary="Escalate to a team")
def ticket_escalate(request: HttpRequest, ticket_id: DbId, payload: EscalateIn):
    agent = acting_agent(request, "tickets:write", writes=True)
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    services.ticket_escalate(
        ticket=ticket,
        actor=agent.user,
        team_id=payload.team,
        reason=payload.reason,
        note=payload.note,
    )
    return _detail(selectors.ticket_get_created_by(ticket_id=ticket_id))


@router.post("/{int:ticket_id}/reply", response={201: MessageOut}, summary="Reply to the customer")
def ticket_reply(request: HttpRequest, ticket_id: DbId, payload: ReplyIn):
    agent = acting_agent(request, "tickets:write", writes=True)
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    message = services.ticket_reply(
        ticket=ticket,
        actor=agent.user,
        text=payload.text,
        html=payload.html,
        status=payload.status,
        attachment_ids=payload.attachments,
    )
    return Status(201, message)


@router.post("/{int:ticket_id}/notes", response={201: MessageOut}, summary="Add an internal note")
def ticket_note(request: HttpRequest, ticket_id: DbId, payload: NoteIn):
    agent = acting_agent(request, "tickets:write")
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    message = services.ticket_add_note(
        ticket=ticket,
        actor=agent.user,
        text=payload.text,
        html=payload.html,
        attachment_ids=payload.attachments,
    )
    return Status(201, message)


@router.post("/{int:ticket_id}/merge", response=TicketDetail, summary="Merge into another ticket")
def ticket_merge(request: HttpRequest, ticket_id: DbId, payload: MergeIn):
    agent = acting_agent(request, "tickets:write", writes=True)
    source = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    target = selectors.ticket_get_for_agent(agent=agent, ticket_id=payload.into)
    services.ticket_merge(source=source, target=target, actor=agent.user)
    return _detail(selectors.ticket_get_for_agent(agent=agent, ticket_id=target.pk))


@router.get("/{int:ticket_id}/events", response=list[EventOut], summary="The ticket's history")
def ticket_events(request: HttpRequest, ticket_id: DbId):
    agent = acting_agent(request, "tickets:read")
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    return selectors.event_list_for_ticket(ticket=ticket)


@router.get(
    "/{int:ticket_id}/time-entries",
    response=list[TimeEntryOut],
    summary="The ticket's time entries (handle time), newest first",
)
def time_entry_list(request: HttpRequest, ticket_id: DbId):
    agent = acting_agent(request, "tickets:read")
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    return time_selectors.time_entry_list_for_ticket(ticket=ticket)


@router.post(
    "/{int:ticket_id}/time-entries",
    response={201: TimeEntryOut},
    summary="Log time spent on the ticket (a manual entry of the acting agent)",
)
def time_entry_add(request: HttpRequest, ticket_id: DbId, payload: TimeEntryIn):
    # Light agents log their own time too: not a change to the ticket.
    agent = acting_agent(request, "tickets:write")
    ticket = selectors.ticket_get_for_agent(agent=agent, ticket_id=ticket_id)
    entry = services.time_entry_add(
        ticket=ticket,
        actor=agent.user,
        seconds=payload.seconds,
        started_at=payload.started_at,
        note=payload.note,
    )
    return Status(201, entry)


@router.post(
    "/uploads",
    response={201: UploadOut},
    summary="Upload a file to attach to a reply or note",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            }
        }
    },
)
def attachment_upload(request: HttpRequest):
    agent = acting_agent(request, "tickets:write")
    # Refuse an oversized body before Django spools it to disk.
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > settings.MAX_ATTACHMENT_BYTES + 64 * 1024:
        raise AttachmentTooLarge(field="file")
    upload = request.FILES.get("file")
    if upload is None:
        raise EmptyMessage(_("Send the file as multipart form field 'file'."), field="file")
    attachment = services.attachment_upload(uploaded_by=agent.user, file=upload)
    return Status(201, attachment)


@router.get("/attachments/{int:attachment_id}", summary="Download an attachment")
def attachment_download(request: HttpRequest, attachment_id: DbId):
    agent = acting_agent(request, "tickets:read")
    attachment = selectors.attachment_get_for_agent(agent=agent, attachment_id=attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@router.get(
    "/attachments/{int:attachment_id}/preview",
    summary="A picture of a PDF attachment's first page (PNG)",
)
def attachment_preview(request: HttpRequest, attachment_id: DbId):
    agent = acting_agent(request, "tickets:read")
    attachment = selectors.attachment_get_for_agent(agent=agent, attachment_id=attachment_id)
    png = previews.attachment_preview_png(attachment)
    if png is None:
        raise NotFound(_("This attachment has no preview."))
    response = HttpResponse(png, content_type="image/png")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=86400"
    return response


tags_router = Router(tags=["tags"])


@tags_router.get("", response=list[TagOut], summary="All tags")
def tag_list(request: HttpRequest):
    acting_agent(request, "tickets:read")
    return selectors.tag_list()
