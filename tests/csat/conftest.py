import pytest

from tests.csat import helpers


@pytest.fixture
def solved(people, django_capture_on_commit_callbacks, mailoutbox):
    """Kari solved Sofie's ticket and, after the delay, the survey mail went out."""
    helpers.solve(people.ticket, people.kari.user)
    assert helpers.send_due(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1
    return mailoutbox[0]
