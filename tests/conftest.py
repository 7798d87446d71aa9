import pytest
from huey.contrib.djhuey import HUEY

from tests.factories import Personas, make_personas

# Jobs queued after commit run inline, on an in-memory queue, so tests see their effects.
HUEY.immediate = True


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is slow on purpose; tests of hashing itself check the real setting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """PostgreSQL's pooled connections (threads in the concurrency and live tests return theirs
    to the pool) must be closed before the test database is dropped. A thread that lives on
    (asgiref's executor is one) still holds its own: two idle sessions were left, and the
    database could not be dropped. They are ended too."""
    yield
    from django.db import connections

    connections.close_all()  # this thread's checked-out connections go back to the pool first
    for connection in connections.all():
        if hasattr(connection, "close_pool"):
            connection.close_pool()
    default = connections["default"]
    if default.vendor == "postgresql":
        # The last test may have been one without the database, which leaves access blocked.
        with django_db_blocker.unblock(), default._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [default.settings_dict["NAME"]],
            )


@pytest.fixture(autouse=True)
def _restore_language(settings):
    """LocaleMiddleware leaves the request's language active in the thread after a test-client
    request; every test starts in the default language."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    """A clean shared cache, and no memory of having looked at its config tokens lately: a
    test's rolled-back config change must not outlive it."""
    from django.core.cache import cache

    from nordesk.core import config_cache

    cache.clear()
    config_cache._looked.clear()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets channel layer instances of its own. The Redis layer binds its receiving to
    one event loop; a consumer a browser test leaves listening would refuse every later test's
    loop ("Two event loops are trying to receive()")."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.fixture
def people(db) -> Personas:
    """Astrid (admin), Siri (supervisor), Kari (agent, Billing), Lars (light agent, Billing),
    Ole (agent, Technical support) and the customer Sofie with a ticket in Billing."""
    return make_personas()
