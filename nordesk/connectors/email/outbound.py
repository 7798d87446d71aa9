"""Email out: an agent's reply as a properly threaded mail, and acknowledgements of new
tickets in the customer's language, rate-limited per address."""

from __future__ import annotations

from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.core.events import on_commit_enqueue
from nordesk.customers import selectors as customer_selectors
from nordesk.tickets import selectors as ticket_selectors
from nordesk.tickets import services as ticket_services

from . import selectors as email_selectors
from .models import AutoReplyLog, Mailbox, RawEmail
from .references import message_id_make, reply_address_make

SIGNATURE_SEPARATOR = "\n\n-- \n"


def _one_line(value: str) -> str:
    """Header values typed by people never carry a line break (header injection)."""
    return " ".join(value.split())


def mailbox_for_ticket(ticket_id: int) -> Mailbox | None:
    """The mailbox the customer last wrote to, else the first active one."""
    raw = (
        RawEmail.objects.filter(message__ticket_id=ticket_id, mailbox__is_active=True)
        .select_related("mailbox")
        .order_by("-received_at")
        .first()
    )
    if raw is not None:
        return raw.mailbox
    return Mailbox.objects.filter(is_active=True).order_by("pk").first()


def _sender(mailbox: Mailbox | None) -> tuple[str, str, str]:
    """(From header, address, signature)."""
    if mailbox is None:
        return settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_FROM_EMAIL, ""
    from_header = formataddr((_one_line(mailbox.name), mailbox.address))
    return from_header, mailbox.address, mailbox.signature


def reply_queue(*, message) -> None:
    """Inside the reply's transaction: mark it queued and send it after commit."""
    from .tasks import email_reply_send

    ticket_services.message_delivery_record(message=message, status="queued")
    on_commit_enqueue(email_reply_send, message.pk)


def reply_build(*, message_id: int) -> tuple[EmailMultiAlternatives, str] | None:
    """The mail for a public reply and its Message-ID, or None when it cannot go out."""
    message = ticket_selectors.message_for_delivery(message_id=message_id)
    if message is None:
        return None
    ticket = message.ticket
    to = customer_selectors.customer_primary_address(customer_id=ticket.customer_id, kind="email")
    if to is None:
        raise NoRecipient(_("The customer has no email address."))
    mailbox = mailbox_for_ticket(ticket.pk)
    from_header, address, mailbox_signature = _sender(mailbox)
    signature = "\n\n".join(
        part
        for part in (
            account_selectors.team_signature(ticket.team_id) or mailbox_signature,
            account_selectors.agent_signature(message.author_user_id),
        )
        if part
    )
    domain = address.rpartition("@")[2]
    own_id = message_id_make(ticket_id=ticket.pk, message_id=message.pk, domain=domain)
    earlier = [
        ref
        for ref in ticket_selectors.message_external_ids(ticket_id=ticket.pk, channel="email")
        if ref.startswith("<") and ref != own_id
    ]
    headers = {"Message-ID": own_id}
    if earlier:
        headers["In-Reply-To"] = earlier[-1]
        headers["References"] = " ".join(earlier)
    body = message.text + (SIGNATURE_SEPARATOR + signature if signature else "")
    html = (message.html or linebreaks(escape(message.text))) + (
        f"<p>-- <br>{linebreaks(escape(signature))}</p>" if signature else ""
    )
    mail = EmailMultiAlternatives(
        subject=_one_line(f"{ticket_services.subject_token(ticket.number)} {ticket.subject}"),
        body=body,
        from_email=from_header,
        to=[to],
        cc=_participant_addresses(ticket.pk),
        reply_to=[reply_address_make(address=address, ticket_id=ticket.pk)],
        headers=headers,
    )
    mail.attach_alternative(html, "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            mail.attach(attachment.filename, handle.read(), attachment.content_type)
    return mail, own_id


def _participant_addresses(ticket_id: int) -> list[str]:
    return customer_selectors.customer_primary_addresses(
        customer_ids=ticket_selectors.participant_customer_ids(ticket_id=ticket_id), kind="email"
    )


def reply_send(*, message_id: int, final_attempt: bool) -> None:
    """Send one reply and record the outcome; a failure is recorded as final only on the
    last attempt (earlier ones raise, and the job queue retries)."""
    message = ticket_selectors.message_for_delivery(message_id=message_id)
    if message is None:
        return
    try:
        built = reply_build(message_id=message_id)
        if built is None:
            return
        mail, own_id = built
        mail.send()
    except NoRecipient as exc:
        ticket_services.message_delivery_record(message=message, status="failed", error=str(exc))
        return
    except Exception as exc:
        if not final_attempt:
            raise
        ticket_services.message_delivery_record(
            message=message, status="failed", error=f"{type(exc).__name__}: {exc}"
        )
        return
    ticket_services.message_delivery_record(message=message, status="sent", external_id=own_id)


class NoRecipient(Exception):
    pass


# --- acknowledgements ----------------------------------------------------------------------


def acknowledgement_allowed(address: str) -> bool:
    """At most one automatic mail per address per window: two helpdesks acknowledging each
    other stop after one round."""
    now = timezone.now()
    window = timedelta(minutes=settings.EMAIL_AUTO_REPLY_MINUTES)
    log, created = AutoReplyLog.objects.get_or_create(
        address=address, defaults={"last_sent_at": now}
    )
    if created:
        return True
    if now - log.last_sent_at < window:
        return False
    log.last_sent_at = now
    log.save(update_fields=["last_sent_at"])
    return True


def acknowledgement_send(*, ticket_id: int, address: str) -> bool:
    ticket = ticket_selectors.ticket_get_created_by(ticket_id=ticket_id)
    if not acknowledgement_allowed(address):
        return False
    mailbox = mailbox_for_ticket(ticket_id)
    from_header, mailbox_address, signature = _sender(mailbox)
    language = ticket.language or (mailbox.language if mailbox else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        body = _(
            "Hello,\n\nThank you for your message. We have received it as case %(token)s "
            "and will answer as soon as we can. If you write to us again about this, just "
            "reply to this email."
        ) % {"token": ticket_services.subject_token(ticket.number)}
    mail = EmailMultiAlternatives(
        subject=_one_line(f"{ticket_services.subject_token(ticket.number)} {ticket.subject}"),
        body=body + (SIGNATURE_SEPARATOR + signature if signature else ""),
        from_email=from_header,
        to=[address],
        reply_to=[reply_address_make(address=mailbox_address, ticket_id=ticket_id)],
        headers={
            # Signed like every mail we send: an answer to it threads, and if it loops back
            # to us it is recognised as our own.
            "Message-ID": message_id_make(
                ticket_id=ticket_id, message_id=0, domain=mailbox_address.rpartition("@")[2]
            ),
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
        },
    )
    mail.send()
    return True


# --- notices -------------------------------------------------------------------------------


def notice_send(*, to: str, subject: str, body: str) -> None:
    """A mail to one person that belongs to no ticket (a portal sign-in link), from the
    default mailbox under its brand name, marked automatic so no auto-reply answers it."""
    from_header, _address, _signature = _sender(email_selectors.mailbox_default())
    EmailMultiAlternatives(
        subject=_one_line(subject),
        body=body,
        from_email=from_header,
        to=[to],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    ).send()


# --- satisfaction surveys ------------------------------------------------------------------

# Our Message-IDs name a (ticket, message) pair; a survey's takes a number no message row
# reaches, so it never repeats a reply's or the acknowledgement's (0) and mail clients that
# drop a repeated Message-ID keep it.
SURVEY_MESSAGE_IDS = 10**15


def survey_queue(
    *, survey_id: int, ticket_id: int, customer_id: int, language: str, choices: list[dict]
) -> None:
    """Inside the survey's transaction: mail it after commit to the customer's email address;
    a customer without one (a chat or phone customer) answers it in the portal."""
    from .tasks import email_survey_send

    address = customer_selectors.customer_primary_address(customer_id=customer_id, kind="email")
    if address is not None:
        on_commit_enqueue(email_survey_send, survey_id, ticket_id, address, language, choices)


def survey_send(
    *, survey_id: int, ticket_id: int, address: str, language: str, choices: list[dict]
) -> None:
    """The survey mail from the ticket's mailbox, threaded on the ticket like its replies,
    marked automatic (RFC 3834) so auto-responders do not answer it."""
    ticket = ticket_selectors.ticket_get_created_by(ticket_id=ticket_id)
    mailbox = mailbox_for_ticket(ticket_id)
    from_header, mailbox_address, signature = _sender(mailbox)
    domain = mailbox_address.rpartition("@")[2]
    token = ticket_services.subject_token(ticket.number)
    with translation.override(language):
        intro = _(
            "Hello,\n\nYour case %(token)s is solved. How did we do? Choose an answer below; "
            "the page that opens lets you add a comment and send it."
        ) % {"token": token}
        subject = _("How did we do? %(token)s %(subject)s") % {
            "token": token,
            "subject": ticket.subject,
        }
    lines = "\n".join(f"{choice['label']}: {choice['url']}" for choice in choices)
    links = "".join(
        f'<p><a href="{escape(choice["url"])}">{escape(choice["label"])}</a></p>'
        for choice in choices
    )
    earlier = [
        ref
        for ref in ticket_selectors.message_external_ids(ticket_id=ticket_id, channel="email")
        if ref.startswith("<")
    ]
    headers = {
        "Message-ID": message_id_make(
            ticket_id=ticket_id, message_id=SURVEY_MESSAGE_IDS + survey_id, domain=domain
        ),
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "Content-Language": language,
    }
    if earlier:
        headers["In-Reply-To"] = earlier[-1]
        headers["References"] = " ".join(earlier)
    footer = SIGNATURE_SEPARATOR + signature if signature else ""
    mail = EmailMultiAlternatives(
        subject=_one_line(subject),
        body=f"{intro}\n\n{lines}{footer}",
        from_email=from_header,
        to=[address],
        reply_to=[reply_address_make(address=mailbox_address, ticket_id=ticket_id)],
        headers=headers,
    )
    mail.attach_alternative(
        linebreaks(escape(intro)) + links + (linebreaks(escape(footer)) if footer else ""),
        "text/html",
    )
    mail.send()
