"""Raw mail as clients send it, for the email channel's tests."""

from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

MAILBOX_ADDRESS = "support@nordesk.test"
NB_TEXT = (
    "Hei!\n\nFakturaen for september viser fortsatt feil beløp. Kan dere se på den "
    "og sende meg en ny faktura?\n\nMvh\nNora Berg"
)


def mail(
    *,
    sender: str = "Nora Berg <nora@example.no>",
    to: str = MAILBOX_ADDRESS,
    subject: str = "Feil på faktura",
    text: str = NB_TEXT,
    html: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    cc: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> bytes:
    """RFC 5322 bytes as a mail client would send them."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = "Thu, 12 Sep 2026 10:30:00 +0200"
    message["Message-ID"] = message_id or make_msgid(domain="example.no")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, _slash, subtype = content_type.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=policy.SMTP)


def many_parts(count: int = 600, *, to: str = MAILBOX_ADDRESS) -> bytes:
    """A multipart mail with `count` parts (the parser refuses more than 500)."""
    head = (
        "From: Nora Berg <nora@example.no>\r\n"
        f"To: {to}\r\n"
        "Subject: Mange deler\r\n"
        "Message-ID: <many-parts@example.no>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="part"\r\n\r\n'
    )
    parts = "".join(
        f"--part\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDel {i} av fakturaen.\r\n"
        for i in range(count)
    )
    return (head + parts + "--part--\r\n").encode()
