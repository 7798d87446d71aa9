import os
import tempfile

# Before Django reads its settings: jobs run inline, files and queue go to a throwaway dir.
os.environ.setdefault("NORDESK_HUEY_IMMEDIATE", "1")
os.environ.setdefault("NORDESK_DATA_DIR", tempfile.mkdtemp(prefix="nordesk-test-"))

import pytest  # noqa: E402

from tests.factories import Personas, make_personas  # noqa: E402


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def people(db) -> Personas:
    """Astrid (admin), Siri (supervisor), Kari (agent, Billing), Lars (light agent, Billing),
    Ole (agent, Technical support) and the customer Sofie with a ticket in Billing."""
    return make_personas()
