"""The knowledge base API took the tickets scopes until it had its own: a token keeps what it
could do, so one with tickets:read gets kb:read and one with tickets:write kb:write."""

from django.db import migrations

GRANTED = {"tickets:read": "kb:read", "tickets:write": "kb:write"}


def kb_scopes_grant(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.all():
        missing = [
            kb for tickets, kb in GRANTED.items() if tickets in token.scopes and kb not in token.scopes
        ]
        if missing:
            token.scopes = sorted([*token.scopes, *missing])
            token.save(update_fields=["scopes"])


def kb_scopes_revoke(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.all():
        kept = [scope for scope in token.scopes if scope not in GRANTED.values()]
        if kept != token.scopes:
            token.scopes = kept
            token.save(update_fields=["scopes"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_agent_preferences")]

    operations = [migrations.RunPython(kb_scopes_grant, kb_scopes_revoke)]
