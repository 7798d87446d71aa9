"""Mailbox passwords are stored encrypted with a key derived from NORDESK_SECRET_KEY (or
NORDESK_CREDENTIALS_KEY when set, so the secret key can rotate without losing them)."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    secret = settings.CREDENTIALS_KEY or settings.SECRET_KEY
    key = hashlib.sha256(f"nordesk-credentials:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(value: str) -> str:
    """The stored secret, or "" when there is none or the key changed (the admin then sees
    the login fail and enters the password again)."""
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return ""
