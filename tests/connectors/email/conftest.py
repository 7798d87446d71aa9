"""The real mail servers of servers.py, as fixtures for the email-channel tests."""

from tests.connectors.email.servers import dovecot, imap_server, smtp_capture

__all__ = ["dovecot", "imap_server", "smtp_capture"]
