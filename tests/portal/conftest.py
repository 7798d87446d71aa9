import pytest


@pytest.fixture(autouse=True)
def _portal_settings(settings):
    settings.PORTAL_BRAND = "Nordlys"
