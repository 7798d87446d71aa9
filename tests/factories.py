"""Test data through the real services, plus the named personas every test can lean on."""

import itertools
from dataclasses import dataclass
from datetime import datetime

from django.test import Client
from django.utils import timezone

from nordesk.accounts import services as account_services
from nordesk.accounts.models import Agent, Role, Team
from nordesk.customers.models import Customer
from nordesk.tickets import services as ticket_services
from nordesk.tickets.inbound import InboundAttachment, InboundMessage
from nordesk.tickets.models import Message, Ticket

PASSWORD = "correct-horse-battery-staple-42"
_seq = itertools.count(1)


def make_team(name: str) -> Team:
    return account_services.team_create(name=name)


def make_agent(
    name: str, *, role: str = Role.AGENT, teams: tuple[Team, ...] = (), email: str = ""
) -> Agent:
    email = email or f"{name.split()[0].lower()}{next(_seq)}@nordesk.test"
    return account_services.agent_create(
        email=email, name=name, role=role, password=PASSWORD, teams=teams, languages=["nb", "en"]
    )


def inbound(
    *,
    address: str = "sofie@example.no",
    text: str = "Hei, fakturaen min stemmer ikke.",
    subject: str = "Feil på faktura",
    channel: str = "email",
    kind: str = "email",
    external_id: str | None = None,
    thread_keys: tuple[str, ...] = (),
    team: Team | None = None,
    received_at: datetime | None = None,
    attachments: tuple[InboundAttachment, ...] = (),
    name: str = "",
    ticket_hints: tuple[tuple[int, str], ...] = (),
    participants: tuple[str, ...] = (),
) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        sender_kind=kind,
        sender_address=address,
        sender_name=name,
        subject=subject,
        text=text,
        received_at=received_at or timezone.now(),
        external_id=external_id,
        thread_keys=thread_keys,
        ticket_hints=ticket_hints,
        participants=participants,
        team_id=team.pk if team else None,
        attachments=attachments,
    )


def make_ticket(*, team: Team | None = None, address: str = "sofie@example.no", **kw) -> Ticket:
    message: Message = ticket_services.receive(inbound(team=team, address=address, **kw))
    return message.ticket


def token_client(
    agent: Agent, scopes=("tickets:read", "tickets:write", "customers:read", "customers:write")
) -> Client:
    _token, secret = account_services.token_create(agent=agent, name="test", scopes=scopes)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@dataclass
class Personas:
    billing: Team
    technical: Team
    astrid: Agent
    siri: Agent
    kari: Agent
    lars: Agent
    ole: Agent
    sofie: Customer
    ticket: Ticket


def make_personas() -> Personas:
    billing = make_team("Billing")
    technical = make_team("Technical support")
    ticket = make_ticket(team=billing, name="Sofie Lund")
    return Personas(
        billing=billing,
        technical=technical,
        astrid=make_agent("Astrid Admin", role=Role.ADMIN, email="astrid@nordesk.test"),
        siri=make_agent("Siri Supervisor", role=Role.SUPERVISOR, email="siri@nordesk.test"),
        kari=make_agent("Kari Nordmann", teams=(billing,), email="kari@nordesk.test"),
        lars=make_agent(
            "Lars Lett", role=Role.LIGHT_AGENT, teams=(billing,), email="lars@nordesk.test"
        ),
        ole=make_agent("Ole Teknisk", teams=(technical,), email="ole@nordesk.test"),
        sofie=ticket.customer,
        ticket=ticket,
    )
