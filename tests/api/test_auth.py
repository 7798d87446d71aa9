import json

import pytest
from django.test import Client

from nordesk.accounts import services as account_services
from tests.factories import PASSWORD, token_client

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.mark.parametrize(
    "path",
    [
        "/tickets",
        "/tickets/1",
        "/tickets/1/events",
        "/tickets/attachments/1",
        "/customers",
        "/customers/1",
        "/customers/1/360",
        "/organisations",
        "/organisations/1",
        "/teams",
        "/agents",
        "/tags",
    ],
)
def test_no_credentials_is_401_everywhere(people, path):
    response = Client().get(f"{API}{path}")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "header",
    ["Bearer nd_0000_nope", "Bearer garbage", "Token abc", "Bearer ", "Basic a2FyaTpw"],
)
def test_unknown_or_malformed_token_is_401(people, header):
    response = Client(HTTP_AUTHORIZATION=header).get(f"{API}/tickets")
    assert response.status_code == 401


def test_right_prefix_wrong_secret_is_401(people):
    _token, secret = account_services.token_create(
        agent=people.kari, name="crm", scopes=["tickets:read"]
    )
    forged = secret[:-4] + "AAAA"
    assert Client(HTTP_AUTHORIZATION=f"Bearer {forged}").get(f"{API}/tickets").status_code == 401


def test_revoked_token_is_401(people):
    token, secret = account_services.token_create(
        agent=people.kari, name="crm", scopes=["tickets:read"]
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(f"{API}/tickets").status_code == 200
    account_services.token_revoke(token=token)
    assert client.get(f"{API}/tickets").status_code == 401


def test_token_of_deactivated_agent_is_401(people):
    client = token_client(people.kari)
    people.kari.user.is_active = False
    people.kari.user.save(update_fields=["is_active"])
    assert client.get(f"{API}/tickets").status_code == 401


def test_token_secret_is_stored_hashed(people):
    token, secret = account_services.token_create(
        agent=people.kari, name="crm", scopes=["tickets:read"]
    )
    token.refresh_from_db()
    assert secret not in (token.digest, token.prefix)
    assert len(token.digest) == 64
    assert token.last_used_at is None
    Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/tickets")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_scope_is_enforced(people):
    reader = token_client(people.kari, scopes=("tickets:read",))
    assert reader.get(f"{API}/tickets").status_code == 200
    response = reader.patch(
        f"{API}/tickets/{people.ticket.pk}",
        data=json.dumps({"priority": "low"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "tickets:write" in response.json()["detail"]
    assert reader.get(f"{API}/customers").status_code == 403


def test_unknown_scope_refused_at_creation(people):
    from nordesk.accounts.errors import UnknownScope

    with pytest.raises(UnknownScope):
        account_services.token_create(agent=people.kari, name="x", scopes=["admin:all"])


def test_rate_limit_per_token_is_429_with_retry_after(people, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    client = token_client(people.kari)
    other = token_client(people.ole)
    codes = [client.get(f"{API}/tickets").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(f"{API}/tickets")
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "rate_limited"
    assert other.get(f"{API}/tickets").status_code == 200  # per token, not global


def test_session_auth_for_agents_needs_csrf_for_writes(people):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="kari@nordesk.test", password=PASSWORD)
    assert client.get(f"{API}/tickets").status_code == 200
    response = client.patch(
        f"{API}/tickets/{people.ticket.pk}",
        data=json.dumps({"priority": "low"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_non_agent_user_session_is_401(people, django_user_model):
    django_user_model.objects.create_user(username="plain", password=PASSWORD)
    client = Client()
    assert client.login(username="plain", password=PASSWORD)
    assert client.get(f"{API}/tickets").status_code == 401


def test_production_uses_argon2():
    from nordesk import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
