"""The SMTP/LMTP receiver `nordesk smtpd` runs behind a Postfix or Exim relay. It answers
only after the message is committed: 250 when stored, 451 (try again) when it cannot be
stored, 552 when it is over the size limit, 550 for addresses that are not ours."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from . import services
from .models import Mailbox
from .references import address_base

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _in_worker_thread(function: Callable[..., T]) -> Callable[..., Awaitable[T]]:
    """Database work runs on a worker thread, which gives its connection back (to the pool,
    on PostgreSQL) as soon as it is done: the threads outlive the call."""

    def call(*args: Any) -> T:
        try:
            return function(*args)
        finally:
            connection.close()

    return sync_to_async(call, thread_sensitive=False)


def _mailboxes_for(recipients: list[str]) -> list[Mailbox]:
    bases = {address_base(r.lower()) for r in recipients}
    return list(Mailbox.objects.filter(address__in=bases, is_active=True))


def _store(recipients: list[str], raw: bytes) -> None:
    for mailbox in _mailboxes_for(recipients):
        services.mail_ingest(mailbox=mailbox, raw=raw, source="smtp")


class IngestHandler:
    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        try:
            known = await _in_worker_thread(_mailboxes_for)([address])
        except Exception:  # noqa: BLE001 - the database is away: the relay retries later
            logger.exception("smtpd: looking up %s failed", address)
            return "451 4.3.0 Temporary failure, please try again later"
        if not known:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        try:
            await _in_worker_thread(_store)(list(envelope.rcpt_tos), raw)
        except Exception:  # noqa: BLE001 - not stored: the relay keeps it and retries
            logger.exception("smtpd: storing a message failed")
            return self._reply(server, envelope, "451 4.3.0 Could not store the message")
        return self._reply(server, envelope, "250 2.0.0 Message accepted")

    @staticmethod
    def _reply(server: SMTP, envelope: Envelope, line: str) -> str:
        """LMTP answers DATA once per accepted recipient (RFC 2033 4.2); SMTP once."""
        count = len(envelope.rcpt_tos) if isinstance(server, LMTP) else 1
        return "\r\n".join([line] * max(count, 1))


class _LmtpController(Controller):
    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def controller(*, host: str, port: int, lmtp: bool = False) -> Controller:
    kind = _LmtpController if lmtp else Controller
    return kind(
        IngestHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.EMAIL_MAX_BYTES,
        decode_data=False,
    )
