"""IMAP polling by UID. Each UID is only meaningful within its folder's UIDVALIDITY, so both
are tracked; the `\\Seen` flag (which any mail client changes) is never relied on. A message
is moved, flagged or deleted on the server only after its database commit."""

from __future__ import annotations

import logging
import ssl
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from imapclient import IMAPClient

from . import services
from .models import AfterFetch, ImapSecurity, Inbound, Mailbox

logger = logging.getLogger(__name__)
BATCH = 50
PROCESSED_FLAG = b"$NordeskProcessed"
TIMEOUT_SECONDS = 60


def mailboxes_due() -> list[int]:
    now = timezone.now()
    due = []
    for mailbox in Mailbox.objects.filter(is_active=True, inbound=Inbound.IMAP).exclude(
        Q(imap_host="")
    ):
        last = mailbox.last_polled_at
        if last is None or now - last >= timedelta(seconds=mailbox.poll_seconds):
            due.append(mailbox.pk)
    return due


def _connect(mailbox: Mailbox) -> IMAPClient:
    secure = mailbox.imap_security == ImapSecurity.SSL
    context = ssl.create_default_context() if mailbox.imap_security != ImapSecurity.NONE else None
    client = IMAPClient(
        mailbox.imap_host,
        port=mailbox.imap_port,
        ssl=secure,
        ssl_context=context if secure else None,
        timeout=TIMEOUT_SECONDS,
    )
    if mailbox.imap_security == ImapSecurity.STARTTLS:
        client.starttls(context)
    client.login(mailbox.imap_username, services.mailbox_imap_password(mailbox))
    return client


def mailbox_poll(*, mailbox_id: int) -> int:
    """Fetch what arrived since the last poll; returns how many messages were ingested."""
    mailbox = Mailbox.objects.get(pk=mailbox_id)
    try:
        with _connect(mailbox) as client:
            return _poll_folder(client, mailbox)
    except Exception as exc:
        logger.warning("polling %s failed: %s", mailbox.address, exc)
        services.mailbox_poll_record(mailbox=mailbox, error=f"{type(exc).__name__}: {exc}")
        raise


def _poll_folder(client: IMAPClient, mailbox: Mailbox) -> int:
    selected = client.select_folder(mailbox.imap_folder)
    uidvalidity = int(selected[b"UIDVALIDITY"])
    last_uid = mailbox.imap_last_uid if mailbox.imap_uidvalidity == uidvalidity else 0
    # "n:*" always matches the newest message, even below n: filter again.
    uids = sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
    processed = _folder_name(client, mailbox.processed_folder)
    if mailbox.after_fetch == AfterFetch.MOVE:
        _folder_ensure(client, processed)
    count = 0
    for start in range(0, len(uids), BATCH):
        fetched = client.fetch(uids[start : start + BATCH], [b"BODY.PEEK[]"])
        # A message deleted since the search is not in the answer.
        present = sorted(uid for uid, parts in fetched.items() if parts.get(b"BODY[]") is not None)
        if not present:
            continue
        raws = [bytes(fetched[uid][b"BODY[]"]) for uid in present]
        del fetched
        services.mail_ingest_many(mailbox=mailbox, raws=raws, source="imap")
        _after_fetch(client, mailbox, present, processed)
        services.mailbox_poll_record(mailbox=mailbox, uidvalidity=uidvalidity, last_uid=present[-1])
        count += len(present)
    if mailbox.after_fetch == AfterFetch.DELETE and count:
        client.expunge()
    services.mailbox_poll_record(mailbox=mailbox, uidvalidity=uidvalidity)
    return count


def _folder_ensure(client: IMAPClient, folder: str) -> None:
    if not client.folder_exists(folder):
        client.create_folder(folder)


def _folder_name(client: IMAPClient, name: str) -> str:
    """Folder paths are written with "/"; servers separate levels with their own character
    (Dovecot's maildir uses ".")."""
    personal = client.namespace().personal
    delimiter = personal[0][1] if personal and personal[0][1] else "/"
    if isinstance(delimiter, bytes):
        delimiter = delimiter.decode()
    return name.replace("/", delimiter)


def _after_fetch(client: IMAPClient, mailbox: Mailbox, uids: list[int], processed: str) -> None:
    if mailbox.after_fetch == AfterFetch.MOVE:
        if client.has_capability("MOVE"):
            client.move(uids, processed)
        else:
            client.copy(uids, processed)
            client.delete_messages(uids)
            client.uid_expunge(uids)
    elif mailbox.after_fetch == AfterFetch.FLAG:
        client.add_flags(uids, [b"\\Flagged", PROCESSED_FLAG])
    else:
        client.delete_messages(uids)
