"""Marks the test modules share."""

import pytest
from django.db import connection


def postgresql_only(reason: str) -> pytest.MarkDecorator:
    """Skip the test outside the PostgreSQL pass of `make test`, saying why."""
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason=f"{reason}: runs in the PostgreSQL pass"
    )
