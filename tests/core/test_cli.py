import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.test import Client

from nordesk.accounts.models import ApiToken
from nordesk.cli import main
from nordesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_token_create_list_revoke(people, capsys):
    assert (
        main(
            [
                "token",
                "create",
                "--agent",
                "kari@nordesk.test",
                "--name",
                "crm",
                "--scopes",
                "tickets:read",
            ]
        )
        == 0
    )
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/tickets").status_code == 200

    token = ApiToken.objects.get(name="crm")
    assert main(["token", "list"]) == 0
    assert f"{token.prefix}\tcrm\tkari@nordesk.test\tactive" in capsys.readouterr().out

    assert main(["token", "revoke", token.prefix]) == 0
    assert client.get("/api/v1/tickets").status_code == 401


def test_token_create_for_unknown_agent_fails_clearly(people, capsys):
    assert main(["token", "create", "--agent", "nobody@x.no", "--name", "x"]) == 2
    assert "No agent with email nobody@x.no" in capsys.readouterr().err


def test_createadmin(db, capsys):
    assert (
        main(
            [
                "createadmin",
                "--email",
                "Boss@Firma.no",
                "--name",
                "Bo Sjef",
                "--password",
                "a-long-enough-password",
            ]
        )
        == 0
    )
    client = Client()
    assert client.login(username="boss@firma.no", password="a-long-enough-password")
    assert client.get("/admin/").status_code == 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _nordesk(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "nordesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def _wait_until_serving(server: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/openapi.json") as response:  # noqa: S310
                assert response.status == 200
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.3)


@pytest.mark.slow
def test_nordesk_run_end_to_end_intake_reaches_the_live_inbox(tmp_path):
    """A real server: an API token creates a ticket; the job consumer inside `nordesk run`
    publishes it; an agent's browser socket hears about it."""
    import httpx
    from websockets.sync.client import connect

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORDESK_")}
    env["NORDESK_DATA_DIR"] = str(tmp_path)
    password = "a-long-enough-password"
    _nordesk(env, "createadmin", "--email", "astrid@firma.no", "--password", password)
    secret = _nordesk(env, "token", "create", "--agent", "astrid@firma.no", "--name", "crm")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "nordesk.cli", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_serving(server, base)
        browser = httpx.Client(base_url=base)
        browser.get("/login/")
        login = browser.post(
            "/login/",
            data={
                "username": "astrid@firma.no",
                "password": password,
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            headers={"Referer": f"{base}/login/"},
        )
        assert login.status_code == 302
        cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        with connect(
            f"ws://127.0.0.1:{port}/ws/inbox/",
            additional_headers={"Cookie": cookie, "Origin": base},
        ) as inbox:
            created = httpx.post(
                f"{base}/api/v1/tickets",
                json={
                    "subject": "Strømbrudd",
                    "text": "Ingen strøm siden i går",
                    "requester": {"email": "ola@example.no"},
                },
                headers={"Authorization": f"Bearer {secret.strip().splitlines()[-1]}"},
            )
            assert created.status_code == 201, created.text
            pushed = json.loads(inbox.recv(timeout=15))
        assert pushed["type"] == "ticket"
        assert pushed["number"] == created.json()["number"]
        assert pushed["status"] == "new"
    finally:
        server.terminate()
        assert server.wait(timeout=20) == 0  # stopped cleanly, job consumer included


def test_demo_does_not_mix_into_a_database_with_real_data(people, capsys):
    assert main(["demo", "--tickets", "5"]) == 0
    output = capsys.readouterr().out
    assert "already holds other data" in output
    assert "nordesk-demo" not in output  # no demo login offered: there is none
    assert Ticket.objects.count() == 1  # Sofie's, nothing added
