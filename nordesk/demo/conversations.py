"""Tickets as they happen: a customer writes, an agent takes the ticket, perhaps notes
something, replies; the customer answers, the ticket is solved and, four days later, closed.
Every step goes through the ticket services with `at=` set to when it happened. A step that
would lie in the future is not played, so the recent tickets are still new, open, pending or
on hold, as in a real inbox."""

from __future__ import annotations

import contextlib
import random
import struct
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from nordesk.tickets import services as ticket_services
from nordesk.tickets.inbound import InboundAttachment, InboundMessage

from .cases import (
    APP_VERSIONS,
    CASES,
    CHANNEL_WEIGHTS,
    DEMO_CHANNELS,
    LANGUAGE_ORDER,
    PRODUCTS,
    Case,
)
from .texts import Language, Lines, languages

if TYPE_CHECKING:
    from nordesk.accounts.models import Agent
    from nordesk.tickets.models import Ticket

    from .seed import DemoCustomer, Staff

OSLO = ZoneInfo("Europe/Oslo")
LANGUAGE_WEIGHTS = {"nb": 34, "nn": 10, "da": 20, "sv": 22, "en": 14}
# Hours of the day (Oslo) at which customers write, 07:00 to 23:00.
CUSTOMER_HOURS = tuple(range(7, 24))
CUSTOMER_HOUR_WEIGHTS = (2, 4, 6, 6, 5, 5, 5, 4, 4, 4, 3, 3, 4, 4, 3, 2, 1)
OPENS, CLOSES = 8, 20  # the support desk's hours, every day
CLOSE_AFTER = timedelta(days=4)  # solved tickets close by themselves after this
# How soon an agent answers on the live channels; everything else takes 15 minutes to 5 hours.
AGENT_DELAY_MINUTES: dict[str, tuple[int, int]] = {"chat": (1, 4), "phone": (5, 45)}


class _NotYet(Exception):
    """The next step of this conversation would happen after now."""


@dataclass
class Plan:
    at: datetime
    customer: DemoCustomer | None  # None: an anonymous chat visitor
    language: str
    channel: str
    case: Case
    variant: int
    priority: str
    flow: str  # quick, ask, silent, hold
    untriaged: bool
    values: dict[str, str]
    backlog: int | None  # how many steps the desk has got to on a recent ticket; None: all
    rng: random.Random  # its own, so a story cut short by the clock leaves the next unchanged


@dataclass
class Conversation:
    plan: Plan
    texts: Lines
    lang: Language
    subject: str
    sender_kind: str
    sender: str
    ticket: Ticket
    at: datetime  # when the last step happened
    keys: tuple[str, ...] = ()  # thread keys that continue it on its own channel
    agent: Agent | None = None
    replies: int = 0
    chat_lines: int = 1
    steps: int = 0

    @property
    def first_name(self) -> str:
        return self.plan.customer.first_name if self.plan.customer else ""

    @property
    def assignee(self) -> Agent:
        if self.agent is None:
            raise RuntimeError("Only the agent who owns the ticket answers it.")
        return self.agent


class Player:
    def __init__(
        self, *, rng: random.Random, staff: Staff, customers: list[DemoCustomer], now: datetime
    ) -> None:
        self.rng = rng
        self.staff = staff
        self.now = now
        self.horizon = now - timedelta(minutes=2)
        self.languages = languages()
        self.by_language = {
            lang: [c for c in customers if c.language == lang] for lang in LANGUAGE_ORDER
        }

    # --- planning ---------------------------------------------------------------------------

    def play(self, *, count: int) -> list[Conversation]:
        plans = sorted((self._plan(i) for i in range(count)), key=lambda p: p.at)
        planner = self.rng
        conversations = []
        for plan in plans:
            self.rng = plan.rng
            conversations.append(self._play(plan))
        self.rng = planner
        self._escalate(conversations, count=max(1, count // 90))
        return conversations

    def _pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _plan(self, i: int) -> Plan:
        rng = self.rng
        if i < len(LANGUAGE_ORDER) * len(DEMO_CHANNELS):
            # The first 25 cover every language on every channel, however small the demo.
            language = LANGUAGE_ORDER[i % 5]
            channel = DEMO_CHANNELS[(i // 5 + i) % 5]
        else:
            language = self._pick(LANGUAGE_WEIGHTS)
            channel = self._pick(CHANNEL_WEIGHTS)
        pool = self.by_language[language]
        if channel == "phone":
            pool = [c for c in pool if c.phone] or pool
        chosen = rng.choices(pool, weights=[c.weight for c in pool])[0]
        if channel == "phone" and not chosen.phone:
            channel = "email"
        anonymous = channel == "chat" and rng.random() < 0.1
        customer = None if anonymous else chosen
        business = bool(customer and customer.organisation)
        cases = [c for c in CASES if business or not c.business_only]
        case = rng.choices(cases, weights=[c.weight for c in cases])[0]
        days_ago = rng.uniform(0, 4) if rng.random() < 0.2 else rng.uniform(0, 90)
        at = self._customer_time(self.now - timedelta(days=days_ago))
        priority = self._pick(case.priorities)
        if customer and customer.organisation and priority == "normal":
            priority = "high" if rng.random() < 0.2 else priority
        version, version_fix = rng.choice(APP_VERSIONS)
        lang = self.languages[language]
        values = {
            "order": f"VL-{rng.randint(100000, 999999)}",
            "invoice": str(rng.randint(300000, 399999)),
            "amount": lang.money(rng.choice((149, 249, 399, 1299, 2499, 4990, 8990, 12490))),
            "product": rng.choice(PRODUCTS),
            "version": version,
            "version_fix": version_fix,
            "bug": str(rng.randint(1200, 1999)),
            "org": customer.organisation.name if customer and customer.organisation else "",
        }
        return Plan(
            at=at,
            customer=customer,
            language=language,
            channel=channel,
            case=case,
            variant=rng.randrange(2),
            priority=priority,
            flow=self._flow(channel, case),
            untriaged=rng.random() < 0.3 and self.now - at < timedelta(hours=12),
            values=values,
            backlog=self._backlog(at),
            rng=random.Random(rng.getrandbits(64)),
        )

    def _backlog(self, at: datetime) -> int | None:
        """The desk is behind on the last three days: some tickets have not been taken yet,
        some wait for their first answer, some for the customer or for the agent again."""
        caught_up = self.rng.random() < 0.3
        steps = self.rng.choice((0, 1, 1, 2, 3, 3, 4))
        return None if caught_up or self.now - at > timedelta(days=3) else steps

    def _flow(self, channel: str, case: Case) -> str:
        if channel in ("chat", "phone"):
            return self._pick({"quick": 6, "ask": 4})
        return self._pick(
            {"quick": 30, "ask": 45, "silent": 10, "hold": 15 if case.can_wait else 0}
        )

    # --- time -------------------------------------------------------------------------------

    def _customer_time(self, day: datetime) -> datetime:
        rng = self.rng
        hour = rng.choices(CUSTOMER_HOURS, weights=CUSTOMER_HOUR_WEIGHTS)[0]
        local = day.astimezone(OSLO).replace(
            hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59), microsecond=0
        )
        at = local.astimezone(UTC)
        if at > self.horizon:  # later today than now: earlier today instead
            at = self.horizon - timedelta(minutes=5 + 4 * local.minute)
        return at

    def _desk_hours(self, at: datetime) -> datetime:
        local = at.astimezone(OSLO)
        if local.hour < OPENS:
            local = local.replace(hour=OPENS, minute=self.rng.randint(0, 50))
        elif local.hour >= CLOSES:
            local = (local + timedelta(days=1)).replace(hour=OPENS, minute=self.rng.randint(0, 50))
        return local.astimezone(UTC)

    def _agent_delay(self, conv: Conversation) -> timedelta:
        low, high = AGENT_DELAY_MINUTES.get(conv.plan.channel, (15, 300))
        return timedelta(minutes=self.rng.randint(low, high))

    def _customer_delay(self, conv: Conversation) -> timedelta:
        if conv.plan.channel == "chat":
            return timedelta(minutes=self.rng.randint(1, 4))
        return timedelta(minutes=self.rng.randint(20, 1800))

    def _step(self, conv: Conversation, at: datetime) -> datetime:
        backlog = conv.plan.backlog
        if at > self.horizon or (backlog is not None and conv.steps >= backlog):
            raise _NotYet
        conv.steps += 1
        conv.at = at
        return at

    def _agent_step(self, conv: Conversation, delay: timedelta | None = None) -> datetime:
        return self._step(conv, self._desk_hours(conv.at + (delay or self._agent_delay(conv))))

    def _customer_step(self, conv: Conversation, delay: timedelta | None = None) -> datetime:
        at = conv.at + (delay or self._customer_delay(conv))
        local = at.astimezone(OSLO)
        if local.hour < 7:  # people sleep
            at = local.replace(hour=7, minute=self.rng.randint(0, 59)).astimezone(UTC)
        return self._step(conv, at)

    # --- one ticket, from first message to closed -------------------------------------------

    def _play(self, plan: Plan) -> Conversation:
        conv = self._first_message(plan)
        with contextlib.suppress(_NotYet):
            self._script(conv)
        return conv

    def _script(self, conv: Conversation) -> None:
        plan, rng = conv.plan, self.rng
        if plan.untriaged:
            return  # waits in the untriaged view for a supervisor
        agent = rng.choice(self.staff.assignable(plan.case.team, plan.language))
        self._assign(conv, agent)
        self._notes(conv)
        if plan.flow == "quick":
            self._reply(conv, conv.texts.solve, "solved")
        elif plan.flow == "hold":
            self._reply(conv, conv.lang.hold_reply, "on_hold")
            self._note(conv, agent, f"{conv.lang.hold_note}\n{conv.texts.note}")
            waited = timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 8))
            self._reply(conv, conv.texts.solve, "solved", delay=waited)
        else:
            self._reply(conv, conv.texts.ask, "pending")
            if plan.flow == "silent":
                # No answer from the customer: the pending reminder solves it after four days.
                self._status(conv, "solved", actor=None, delay=timedelta(days=4))
            else:
                self._customer_writes(conv, conv.texts.follow_up, attach=plan.case.attachment)
                self._reply(conv, conv.texts.solve, "solved")
        if plan.channel != "chat" and plan.flow != "silent" and rng.random() < 0.15:
            # "Thanks!" reopens a solved ticket; the agent solves it again without replying.
            self._customer_writes(conv, rng.choice(conv.lang.thanks), short=True)
            self._status(conv, "solved", actor=agent)
        delay = CLOSE_AFTER + timedelta(minutes=rng.randint(0, 600))
        self._status(conv, "closed", actor=None, delay=delay, desk=False)
        if plan.channel != "chat" and rng.random() < 0.06:
            self._again(conv)

    def _again(self, conv: Conversation) -> None:
        """The customer writes on the closed ticket: that opens a follow-up ticket."""
        delay = timedelta(days=self.rng.randint(1, 20), minutes=self.rng.randint(0, 600))
        self._customer_writes(conv, conv.lang.again, delay=delay)
        agent = conv.assignee
        conv.agent = None
        conv.replies = 0
        self._assign(conv, agent)
        self._reply(conv, conv.lang.again_reply, "solved")
        self._status(conv, "closed", actor=None, delay=CLOSE_AFTER, desk=False)

    def _notes(self, conv: Conversation) -> None:
        plan, rng, staff = conv.plan, self.rng, self.staff
        if rng.random() < 0.3:
            self._note(conv, conv.assignee, conv.texts.note)
        if plan.priority in ("high", "urgent") and rng.random() < 0.4:
            supervisor = staff.supervisor
            lang = conv.lang if staff.speaks(supervisor, plan.language) else self.languages["en"]
            self._note(conv, supervisor, lang.supervisor_note)
        if plan.case.team == "technical" and plan.language in ("nb", "nn") and rng.random() < 0.35:
            self._note(conv, staff.light_agent, conv.texts.note)

    # --- the services -----------------------------------------------------------------------

    def _first_message(self, plan: Plan) -> Conversation:
        lang = self.languages[plan.language]
        texts = lang.scenarios[plan.case.key]
        customer = plan.customer
        if customer is None:
            kind, sender = "chat", f"visitor-{self._hex(6)}"
        elif plan.channel == "phone":
            kind, sender = "phone", customer.phone
        else:
            kind, sender = "email", customer.email
        body = self._fill(plan, texts.openings[plan.variant])
        channel = plan.channel
        keys: tuple[str, ...] = ()
        if channel == "email":
            external_id = self._message_id(customer)
            keys = (external_id,)
        elif channel == "web":
            external_id = f"webform-{self._hex(8)}"
        elif channel == "api":
            keys = (f"app-conversation-{self._hex(8)}",)
            external_id = f"app-message-{self._hex(8)}"
        elif channel == "chat":
            keys = (f"chat-session-{self._hex(8)}",)
            external_id = f"{keys[0]}:1"
        else:
            external_id = f"call-{self._hex(8)}"
            body = f"{lang.voicemail.format(phone=sender)}\n\n{body}"
        if channel not in ("chat", "phone"):
            body = self._letter(lang, customer, body)
        subject = self._fill(plan, texts.subjects[plan.variant])
        inbound = self._inbound(
            plan,
            sender=(kind, sender),
            channel=channel,
            subject=subject,
            text=body,
            external_id=external_id,
            thread_keys=keys,
            at=plan.at,
        )
        if plan.case.attachment and plan.flow in ("quick", "hold") and channel != "phone":
            # The agent answers at once, so the photos or screenshot came with the first message.
            inbound = _with_attachments(inbound, plan.case.attachment)
        message = ticket_services.receive(inbound)
        return Conversation(
            plan=plan,
            texts=texts,
            lang=lang,
            subject=subject,
            sender_kind=kind,
            sender=sender,
            ticket=message.ticket,
            at=plan.at,
            keys=keys,
        )

    def _customer_writes(
        self,
        conv: Conversation,
        body: str,
        *,
        attach: str = "",
        short: bool = False,
        delay: timedelta | None = None,
    ) -> None:
        at = self._customer_step(conv, delay)
        plan, channel = conv.plan, conv.plan.channel
        body = self._fill(plan, body)
        subject = f"{conv.lang.reply_prefix}[#{conv.ticket.number}] {conv.subject}"
        if channel == "chat":
            conv.chat_lines += 1
            inbound = self._inbound(
                plan,
                sender=(conv.sender_kind, conv.sender),
                channel=channel,
                subject=subject,
                text=body,
                external_id=f"{conv.keys[0]}:{conv.chat_lines}",
                thread_keys=conv.keys,
                at=at,
            )
        elif channel == "api":
            inbound = self._inbound(
                plan,
                sender=(conv.sender_kind, conv.sender),
                channel=channel,
                subject=subject,
                text=self._letter(conv.lang, plan.customer, body, short=short),
                external_id=f"app-message-{self._hex(8)}",
                thread_keys=conv.keys,
                at=at,
            )
        else:
            # Email answers to our reply: In-Reply-To/References on email tickets; the [#number]
            # in the subject for tickets that came by web form or phone.
            email = plan.customer.email if plan.customer else conv.sender
            inbound = self._inbound(
                plan,
                sender=("email", email),
                channel="email",
                subject=subject,
                text=self._letter(conv.lang, plan.customer, body, short=short),
                external_id=self._message_id(plan.customer),
                thread_keys=conv.keys if channel == "email" else (),
                at=at,
            )
        if attach:
            inbound = _with_attachments(inbound, attach)
        conv.ticket = ticket_services.receive(inbound).ticket

    def _inbound(
        self,
        plan: Plan,
        *,
        sender: tuple[str, str],
        channel: str,
        subject: str,
        text: str,
        external_id: str,
        thread_keys: tuple[str, ...],
        at: datetime,
    ) -> InboundMessage:
        kind, address = sender
        tags = plan.case.tags + (("b2b",) if plan.customer and plan.customer.organisation else ())
        team = None if plan.untriaged else self.staff.teams[plan.case.team]
        return InboundMessage(
            channel=channel,
            sender_kind=kind,
            sender_address=address,
            sender_name=plan.customer.name if plan.customer else "",
            subject=subject,
            text=text,
            received_at=at,
            external_id=external_id,
            thread_keys=thread_keys,
            language=plan.language,
            team_id=team.pk if team else None,
            priority=plan.priority,
            tags=tags,
        )

    def _assign(self, conv: Conversation, agent: Agent) -> None:
        at = self._agent_step(conv)
        # Agents mostly take tickets themselves; now and then the supervisor hands one out.
        actor = agent if self.rng.random() < 0.6 else self.staff.supervisor
        conv.ticket = ticket_services.ticket_assign(
            ticket=conv.ticket, assignee_id=agent.user_id, actor=actor.user, at=at
        )
        conv.agent = agent

    def _note(self, conv: Conversation, author: Agent, body: str) -> None:
        at = self._agent_step(conv, timedelta(minutes=self.rng.randint(1, 25)))
        ticket_services.ticket_add_note(
            ticket=conv.ticket, actor=author.user, text=self._fill(conv.plan, body), at=at
        )

    def _reply(
        self, conv: Conversation, body: str, status: str, *, delay: timedelta | None = None
    ) -> None:
        at = self._agent_step(conv, delay)
        message = ticket_services.ticket_reply(
            ticket=conv.ticket,
            actor=conv.assignee.user,
            text=self._agent_text(conv, self._fill(conv.plan, body)),
            status=status,
            at=at,
        )
        conv.ticket = message.ticket
        conv.replies += 1

    def _status(
        self,
        conv: Conversation,
        status: str,
        *,
        actor: Agent | None,
        delay: timedelta | None = None,
        desk: bool = True,
    ) -> None:
        if desk:
            at = self._agent_step(conv, delay)
        else:
            at = self._step(conv, conv.at + (delay or timedelta()))
        conv.ticket = ticket_services.ticket_change_status(
            ticket=conv.ticket, status=status, actor=actor.user if actor else None, at=at
        )

    def _escalate(self, conversations: list[Conversation], *, count: int) -> None:
        """Today the supervisor escalates a few important tickets that are still waiting."""
        supervisor = self.staff.supervisor
        waiting = [
            c
            for c in conversations
            if c.ticket is not None
            and c.ticket.status in ("open", "pending")
            and c.ticket.priority == "high"
        ]
        for conv in self.rng.sample(waiting, min(count, len(waiting))):
            ticket = ticket_services.ticket_set_priority(
                ticket=conv.ticket, priority="urgent", actor=supervisor.user
            )
            ticket = ticket_services.ticket_tag(
                ticket=ticket, add=["escalated"], actor=supervisor.user
            )
            lang = conv.lang if self.staff.speaks(supervisor, conv.plan.language) else None
            ticket_services.ticket_add_note(
                ticket=ticket,
                actor=supervisor.user,
                text=(lang or self.languages["en"]).supervisor_note,
            )
            conv.ticket = ticket

    # --- words ------------------------------------------------------------------------------

    def _fill(self, plan: Plan, text: str) -> str:
        return text.format_map(plan.values)

    def _letter(
        self, lang: Language, customer: DemoCustomer | None, body: str, *, short: bool = False
    ) -> str:
        if short:
            return f"{body}\n\n{customer.first_name if customer else ''}".strip()
        name = customer.name if customer else ""
        if customer and customer.organisation:
            name = f"{name}\n{customer.organisation.name}"
        return f"{lang.customer_greeting}\n\n{body}\n\n{lang.customer_sign_off}\n{name}".strip()

    def _agent_text(self, conv: Conversation, body: str) -> str:
        lang, first = conv.lang, conv.first_name
        if conv.plan.channel in ("chat", "phone"):
            if conv.replies:
                return body
            hello = (
                lang.chat_greeting.format(first=first) if first else lang.chat_greeting_anonymous
            )
            return f"{hello} {body}"
        hello = lang.agent_greeting.format(first=first) if first else lang.agent_greeting_anonymous
        signer = conv.assignee.user.first_name
        return f"{hello}\n\n{body}\n\n{lang.agent_sign_off}\n{signer}\n{lang.signature}"

    def _hex(self, length: int) -> str:
        return f"{self.rng.getrandbits(length * 4):0{length}x}"

    def _message_id(self, customer: DemoCustomer | None) -> str:
        domain = customer.email.rpartition("@")[2] if customer else "mail.invalid"
        return f"<{self._hex(16)}@{domain}>"


def _with_attachments(inbound: InboundMessage, filename: str) -> InboundMessage:
    stem, _dot, suffix = filename.rpartition(".")
    # Photos of damage come in threes; a screenshot alone.
    names = [f"{stem}-{i}.{suffix}" for i in (1, 2, 3)] if stem == "damage" else [filename]
    files = tuple(
        InboundAttachment(filename=name, content=_PNG, content_type="image/png") for name in names
    )
    return replace(inbound, attachments=files)


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small, valid, single-colour PNG: enough for an attachment to look like a photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


_PNG = _png(64, 48, (176, 196, 222))
