import importlib

import pytest

from nordesk.accounts import services as account_services
from nordesk.kb.models import Article
from tests.factories import token_client

from .factories import make_article, make_section

pytestmark = pytest.mark.django_db

KB = ("kb:read", "kb:write")


@pytest.fixture
def section():
    return make_section()


def test_agent_writes_translates_publishes_and_searches_through_the_api(people, section):
    client = token_client(people.kari, scopes=KB)
    created = client.post(
        "/api/v1/kb/articles",
        {"section_id": section.pk, "language": "sv", "title": "Byt lösenord", "body": "Text."},
        content_type="application/json",
    )
    assert created.status_code == 201
    article_id = created.json()["id"]
    translated = client.put(
        f"/api/v1/kb/articles/{article_id}/translations/en",
        {"title": "Change password", "body": "Text."},
        content_type="application/json",
    )
    assert [t["language"] for t in translated.json()["translations"]] == ["en", "sv"]
    published = client.post(
        f"/api/v1/kb/articles/{article_id}/status",
        {"status": "published"},
        content_type="application/json",
    )
    assert published.json()["status"] == "published"
    hits = client.get("/api/v1/kb/search", {"q": "lösenorden", "language": "sv"}).json()
    assert [(h["article_id"], h["title_html"]) for h in hits] == [
        (article_id, "Byt <mark>lösenord</mark>")
    ]
    versions = client.get(f"/api/v1/kb/articles/{article_id}/translations/sv/versions")
    assert [v["number"] for v in versions.json()] == [1]


def test_light_agents_read_but_do_not_write(people, section):
    article = make_article(section)
    assert_reads_but_cannot_archive(token_client(people.lars, scopes=KB), article)


def assert_reads_but_cannot_archive(client, article):
    assert client.get(f"/api/v1/kb/articles/{article.pk}").status_code == 200
    refused = client.post(
        f"/api/v1/kb/articles/{article.pk}/status",
        {"status": "archived"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert Article.objects.get().status == "published"


def test_unknown_article_is_404_and_bad_input_422(people, section):
    client = token_client(people.kari, scopes=KB)
    assert client.get("/api/v1/kb/articles/999").status_code == 404
    bad = client.post(
        "/api/v1/kb/articles",
        {"section_id": section.pk, "language": "de", "title": "T", "body": "B"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    taken = make_article(section, title="Faktura")
    clash = client.put(
        f"/api/v1/kb/articles/{make_article(section, title='Annet').pk}/translations/nb",
        {"title": "Annet", "body": "B", "slug": taken.translations.get().slug},
        content_type="application/json",
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "slug_taken"


def test_an_article_is_deleted_through_the_api_once_archived(people, section):
    article = make_article(section)
    client = token_client(people.siri, scopes=KB)
    url = f"/api/v1/kb/articles/{article.pk}"
    published = client.delete(url)
    assert published.status_code == 409
    assert published.json()["code"] == "illegal_article_transition"
    client.post(f"{url}/status", {"status": "archived"}, content_type="application/json")
    assert token_client(people.kari, scopes=KB).delete(url).status_code == 403  # not hers
    assert token_client(people.siri, scopes=("kb:read",)).delete(url).status_code == 403
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404


def test_the_knowledge_base_takes_its_own_scopes(people, section):
    article = make_article(section)
    tickets_only = token_client(people.kari, scopes=("tickets:read", "tickets:write"))
    refused = tickets_only.get(f"/api/v1/kb/articles/{article.pk}")
    assert refused.status_code == 403
    assert "kb:read" in refused.json()["detail"]
    assert_reads_but_cannot_archive(token_client(people.kari, scopes=("kb:read",)), article)


def test_the_upgrade_gives_ticket_tokens_the_knowledge_base_they_had(people):
    from django.apps import apps

    from nordesk.accounts.models import ApiToken

    migration = importlib.import_module("nordesk.accounts.migrations.0005_kb_token_scopes")
    both, _ = account_services.token_create(
        agent=people.kari, name="both", scopes=["tickets:read", "tickets:write"]
    )
    reading, _ = account_services.token_create(
        agent=people.kari, name="reading", scopes=["tickets:read", "customers:read"]
    )
    customers, _ = account_services.token_create(
        agent=people.kari, name="customers", scopes=["customers:read"]
    )
    migration.kb_scopes_grant(apps, None)
    migration.kb_scopes_grant(apps, None)  # twice changes nothing more
    scopes = dict(ApiToken.objects.values_list("name", "scopes"))
    assert scopes == {
        "both": ["kb:read", "kb:write", "tickets:read", "tickets:write"],
        "reading": ["customers:read", "kb:read", "tickets:read"],
        "customers": ["customers:read"],
    }
    migration.kb_scopes_revoke(apps, None)
    assert ApiToken.objects.get(pk=both.pk).scopes == ["tickets:read", "tickets:write"]
    assert ApiToken.objects.get(pk=reading.pk).scopes == ["customers:read", "tickets:read"]
    assert ApiToken.objects.get(pk=customers.pk).scopes == ["customers:read"]
