import os
import secrets
import subprocess
import sys

import pytest


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NORDESK_")}
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "django", "check", *args, "--settings=nordesk.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_production_settings_pass_check_deploy():
    result = _check(
        {
            "NORDESK_PRODUCTION": "1",
            "NORDESK_SECRET_KEY": secrets.token_urlsafe(64),
            "NORDESK_ALLOWED_HOSTS": "desk.example.no",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NORDESK_ALLOWED_HOSTS": "desk.example.no"}, "NORDESK_SECRET_KEY must be set"),
        ({"NORDESK_SECRET_KEY": "x" * 60}, "NORDESK_ALLOWED_HOSTS must name"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    result = _check({"NORDESK_PRODUCTION": "1", **env})
    assert result.returncode != 0
    assert message in result.stderr
