"""The browser fixtures (tests/web/browser.py) for every browser test module here."""

from tests.web.browser import console_errors, inbox_sockets, page, personas

__all__ = ["console_errors", "inbox_sockets", "page", "personas"]
