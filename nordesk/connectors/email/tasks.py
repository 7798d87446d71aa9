from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import imap, outbound, services

SEND_RETRIES = 3


@db_task(retries=SEND_RETRIES, retry_delay=30, context=True)
def email_reply_send(message_id: int, task=None) -> None:
    outbound.reply_send(message_id=message_id, final_attempt=task is None or task.retries == 0)


@db_task(retries=2, retry_delay=60)
def email_acknowledge(ticket_id: int, address: str) -> None:
    outbound.acknowledgement_send(ticket_id=ticket_id, address=address)


@db_task(retries=2, retry_delay=60)
def email_survey_send(
    survey_id: int, ticket_id: int, address: str, language: str, choices: list[dict]
) -> None:
    outbound.survey_send(
        survey_id=survey_id,
        ticket_id=ticket_id,
        address=address,
        language=language,
        choices=choices,
    )


@db_task(retries=0)
def mailbox_poll(mailbox_id: int) -> None:
    # One poll per mailbox at a time: a slow server must not be fetched twice in parallel.
    with HUEY.lock_task(f"mailbox-poll-{mailbox_id}"):
        imap.mailbox_poll(mailbox_id=mailbox_id)


# Every minute: poll each IMAP mailbox whose own interval has passed.
@db_periodic_task(crontab(minute="*"))
def mailboxes_poll_due() -> None:
    for mailbox_id in imap.mailboxes_due():
        mailbox_poll(mailbox_id)


# Every ten minutes: mail stored but never processed becomes visible in the quarantine.
@db_periodic_task(crontab(minute="*/10"))
def raw_emails_interrupted() -> None:
    services.raw_interrupted_quarantine()
