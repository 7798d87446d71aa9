"""API shapes. Inputs are allowlists: a field not named here is rejected (422), never applied."""

import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator, model_validator

from nordesk.api.types import DbId, reject_null

StatusName = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
PriorityName = Literal["low", "normal", "high", "urgent"]
INTAKE_CHANNELS = Literal["api", "email", "web", "phone", "chat", "social"]


class StrictSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class PersonRef(Schema):
    id: int
    name: str


class TicketOut(Schema):
    id: int
    number: int
    subject: str
    status: str
    priority: str
    channel: str
    customer: PersonRef
    organisation_id: int | None
    team: PersonRef | None
    assignee: PersonRef | None
    tags: list[str]
    category: str
    language: str
    custom_fields: dict[str, Any]
    follow_up_of_id: int | None
    merged_into_id: int | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_message_at: datetime.datetime | None
    first_response_at: datetime.datetime | None
    solved_at: datetime.datetime | None
    # The earliest due time of the ticket's running SLA targets (None: none runs).
    sla_due_at: datetime.datetime | None
    transfer_count: int

    @staticmethod
    def resolve_customer(obj) -> dict[str, Any]:
        return {"id": obj.customer_id, "name": str(obj.customer)}

    @staticmethod
    def resolve_team(obj) -> dict[str, Any] | None:
        return {"id": obj.team.pk, "name": obj.team.name} if obj.team_id else None

    @staticmethod
    def resolve_assignee(obj) -> dict[str, Any] | None:
        if not obj.assignee_id:
            return None
        name = obj.assignee.get_full_name() or obj.assignee.get_username()
        return {"id": obj.assignee_id, "name": name}

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class AttachmentOut(Schema):
    id: int
    filename: str
    size: int
    content_type: str
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/api/v1/tickets/attachments/{obj.pk}"


class MessageOut(Schema):
    id: int
    direction: str
    author_kind: str
    author_name: str
    visibility: str
    channel: str
    text: str
    html: str
    external_id: str | None
    thread_strategy: str
    created_at: datetime.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_author_name(obj) -> str:
        if obj.author_user_id:
            return obj.author_user.get_full_name() or obj.author_user.get_username()
        if obj.author_customer_id:
            return str(obj.author_customer)
        return ""

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class TicketDetail(TicketOut):
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj) -> list:
        return obj.thread


class TransferIn(StrictSchema):
    """To a team (its queue, or `assignee` in it) or to another agent; `reason` is required."""

    team: DbId | None = None
    assignee: DbId | None = None
    reason: str = Field(..., min_length=1, max_length=500)


class EscalateIn(StrictSchema):
    team: DbId
    reason: Literal["specialist", "angry_customer", "legal", "other"]
    note: str = Field("", max_length=500)


class TagOut(Schema):
    id: int
    name: str


class EventOut(Schema):
    id: int
    kind: str
    actor_kind: str
    actor_user_id: int | None
    data: dict[str, Any]
    created_at: datetime.datetime


class Requester(StrictSchema):
    email: str | None = None
    phone: str | None = None
    name: str = Field("", max_length=200)

    @model_validator(mode="after")
    def needs_an_address(self) -> "Requester":
        if not (self.email or self.phone):
            raise ValueError("give the requester's email or phone")
        return self


class TicketCreate(StrictSchema):
    subject: str = Field(..., min_length=1, max_length=250)
    text: str = Field("", max_length=200_000)
    html: str = Field("", max_length=500_000)
    requester: Requester
    channel: INTAKE_CHANNELS = "api"
    priority: PriorityName = "normal"
    team: DbId | None = None
    tags: list[str] = Field(default_factory=list, max_length=50)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    language: str = Field("", max_length=8)
    external_id: str | None = Field(None, max_length=255)
    thread_key: str | None = Field(None, max_length=255)


class TicketUpdate(StrictSchema):
    status: StatusName | None = None
    priority: PriorityName | None = None
    team: DbId | None = None
    assignee: DbId | None = None
    tags: list[str] | None = Field(None, max_length=50)
    custom_fields: dict[str, Any] | None = None

    @field_validator("status", "priority", "tags", "custom_fields", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return reject_null(value)


class ReplyIn(StrictSchema):
    text: str = Field("", max_length=200_000)
    html: str = Field("", max_length=500_000)
    status: StatusName | None = None
    attachments: list[DbId] = Field(default_factory=list, max_length=20)


class NoteIn(StrictSchema):
    text: str = Field("", max_length=200_000)
    html: str = Field("", max_length=500_000)
    attachments: list[DbId] = Field(default_factory=list, max_length=20)


class MergeIn(StrictSchema):
    into: DbId


class UploadOut(Schema):
    id: int
    filename: str
    size: int
    content_type: str


class TimeEntryIn(StrictSchema):
    seconds: int = Field(..., ge=1, le=24 * 3600)
    note: str = Field("", max_length=200)
    started_at: datetime.datetime | None = None


class TimeEntryOut(Schema):
    id: int
    agent_id: int
    seconds: int
    source: Literal["tracked", "manual"]
    started_at: datetime.datetime
    note: str
