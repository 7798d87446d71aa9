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


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(child) for child in children.read().split()]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_nordesk_run_serves_pages_and_api(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NORDESK_")}
    env["NORDESK_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "nordesk.cli", "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json") as r:  # noqa: S310
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/") as r:  # noqa: S310
            assert r.status == 200
        assert (tmp_path / "nordesk.sqlite3").exists()
        worker_pids = _children(server.pid)
        assert len(worker_pids) == 1  # the job consumer runs beside the web server
    finally:
        server.terminate()
        server.wait(timeout=20)
    time.sleep(0.5)
    assert not any(os.path.exists(f"/proc/{pid}") for pid in worker_pids)  # stopped with it
