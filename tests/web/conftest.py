"""Fixtures for the workspace's tests: Kari's logged-in client, and the browser fixtures
(tests/web/browser.py) for every browser test module here."""

import pytest

from tests.web.browser import console_errors, inbox_sockets, page, personas, screenshots

__all__ = ["console_errors", "inbox_sockets", "page", "personas", "screenshots"]


@pytest.fixture
def kari_client(client, people):
    """Kari (agent, Billing), logged in."""
    client.force_login(people.kari.user)
    return client
