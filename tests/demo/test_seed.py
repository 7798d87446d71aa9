"""The demo loads once, through the services, with something of everything to look at."""

import datetime

import pytest
from django.contrib.auth import authenticate
from django.test import TestCase, override_settings
from django.utils import timezone

from nordesk.accounts.models import Agent
from nordesk.customers.models import Customer
from nordesk.demo import seed
from nordesk.tickets.models import (
    Direction,
    EventKind,
    Message,
    Status,
    Ticket,
    TicketEvent,
    Visibility,
)
from tests.factories import make_agent

CHANNELS = {"email", "web", "chat", "phone", "api"}
LANGUAGES = {"nb", "nn", "da", "sv", "en"}
MD5_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def _counts() -> dict[str, int]:
    return {
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "events": TicketEvent.objects.count(),
        "customers": Customer.objects.count(),
        "agents": Agent.objects.count(),
    }


class DemoLoadTests(TestCase):
    """One small demo, loaded once for the class (the load is the slow part)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.started = timezone.now()
        # The same fast hasher conftest gives every test (this runs before its fixtures).
        with override_settings(PASSWORD_HASHERS=[MD5_HASHER]):
            cls.result = seed.demo_load(tickets=40, seed=7)

    def test_demo_has_mailboxes_an_admin_can_try_mail_with(self):
        from nordesk.connectors.email import selectors as mail_selectors

        addresses = {m.address: m for m in mail_selectors.mailbox_list()}
        assert set(addresses) == {"kundeservice@nordesk.demo", "faktura@nordesk.demo"}
        assert addresses["faktura@nordesk.demo"].team.name == "Billing"

    def test_demo_teams_hand_out_their_queues(self):
        from nordesk.accounts.models import Team
        from nordesk.routing.models import SkillRequirement

        strategies = dict(Team.objects.values_list("name", "strategy"))
        assert strategies == {
            "Billing": "least_loaded",
            "Technical support": "skills",
            "Orders & returns": "round_robin",
            "Customer success": "manual",
        }
        technical = Team.objects.get(name="Technical support")
        assert technical.backup_team.name == "Customer success"
        assert SkillRequirement.objects.get(attribute="language", value="da").skill.name == (
            "danish"
        )
        assert Agent.objects.get(user__email="kari@nordesk.demo").channel_capacity == {"chat": 3}

    def test_demo_has_service_levels_and_automations_for_new_tickets(self):
        from nordesk.automation.models import CannedReply, Macro, TimeRule, Trigger
        from nordesk.sla.models import BusinessCalendar, SlaPolicy

        calendars = dict(BusinessCalendar.objects.values_list("name", "country"))
        assert calendars == {"Oslo": "NO", "København": "DK", "Stockholm": "SE"}
        assert list(SlaPolicy.objects.order_by("position").values_list("name", flat=True)) == [
            "Haster",
            "Chat",
            "Standard",
        ]
        events = sorted(
            event for row in Trigger.objects.values_list("events", flat=True) for event in row
        )
        assert events == ["sla_breached", "sla_warning"]
        assert TimeRule.objects.count() == 3
        assert Macro.objects.get().texts["da"].startswith("Hej {{ customer.first_name }}")
        assert CannedReply.objects.exists()

    def test_demo_has_a_knowledge_base_customers_can_search(self):
        from nordesk.kb import selectors as kb_selectors

        listing = kb_selectors.category_list_public(language="sv")
        titles = {a.translation.title for c in listing for s in c.sections for a in s.articles}
        assert "Spåra ditt paket" in titles
        assert "Logg inn med BankID" not in titles  # a draft
        [hit] = kb_selectors.article_suggest(text="Var är mitt paket?", language="sv", limit=1)
        assert hit.translation.title == "Spåra ditt paket"
        assert kb_selectors.article_stats(order="views").articles[0].view_count == 655

    def test_demo_load_reports_what_it_made(self):
        assert self.result.created is True
        assert self.result.tickets == Ticket.objects.count() >= 40
        assert self.result.customers == Customer.objects.count() >= 100

    def test_demo_load_covers_every_channel_and_language(self):
        assert set(Ticket.objects.values_list("channel", flat=True)) >= CHANNELS
        assert set(Ticket.objects.values_list("language", flat=True)) == LANGUAGES

    def test_demo_load_writes_replies_notes_and_customer_answers(self):
        out = Message.objects.filter(direction=Direction.OUT)
        assert out.filter(visibility=Visibility.PUBLIC).count() >= 30
        assert out.filter(visibility=Visibility.INTERNAL).exists()
        threaded = Message.objects.filter(direction=Direction.IN, thread_strategy="thread_key")
        assert threaded.exists()

    def test_demo_load_has_a_realistic_status_mix(self):
        statuses = set(Ticket.objects.values_list("status", flat=True))
        assert {Status.SOLVED, Status.CLOSED} <= statuses
        assert Ticket.objects.filter(status__in=[Status.NEW, Status.OPEN, Status.PENDING]).exists()

    def test_demo_load_records_every_ticket_as_created(self):
        created = TicketEvent.objects.filter(kind=EventKind.CREATED)
        assert created.values("ticket").distinct().count() == Ticket.objects.count()

    def test_demo_load_puts_messages_in_the_past_90_days(self):
        oldest = self.started - datetime.timedelta(days=91)
        assert not Message.objects.filter(created_at__gt=timezone.now()).exists()
        assert not Message.objects.filter(created_at__lt=oldest).exists()
        # Only today's escalation notes are written now; the history before is in the past.
        assert Message.objects.filter(created_at__lt=self.started).count() > 100

    def test_demo_load_history_is_in_time_order(self):
        late = TicketEvent.objects.filter(created_at__gt=self.started, kind=EventKind.STATUS)
        assert not late.exists()

    def test_demo_load_has_satisfaction_answers_on_solved_tickets(self):
        from nordesk.csat.models import Survey

        answers = Survey.objects.filter(score__isnull=False).select_related("ticket")
        assert answers.exists()
        assert {answer.score for answer in answers} <= {1, 5}
        assert {answer.ticket.status for answer in answers} <= {Status.SOLVED, Status.CLOSED}
        assert all(answer.answered_at < self.started for answer in answers)
        rows = TicketEvent.objects.filter(kind=EventKind.CSAT)
        assert rows.count() == answers.count()

    def test_demo_admin_logs_in_with_the_printed_password(self):
        user = authenticate(username=seed.DEMO_ADMIN_EMAIL, password=seed.DEMO_PASSWORD)
        assert user is not None
        assert user.agent.role == "admin"

    def test_demo_customer_signs_in_to_the_portal_with_the_printed_password(self):
        from django.test import Client

        client = Client()
        assert self.result.portal_email
        response = client.post(
            "/help/sign-in/password/",
            {"email": self.result.portal_email, "password": seed.DEMO_PASSWORD},
        )
        assert response["Location"] == "/help/tickets/"
        page = client.get("/help/tickets/").content.decode()
        assert "Asked by" in page  # an organisation manager
        assert "#" in page

    def test_demo_load_twice_changes_nothing(self):
        # given
        before = _counts()
        # when
        again = seed.demo_load(tickets=40, seed=7)
        # then
        assert again == seed.DemoResult(
            created=False,
            tickets=before["tickets"],
            customers=before["customers"],
            demo_admin=True,
            portal_email=self.result.portal_email,
        )
        assert _counts() == before


@pytest.mark.django_db
def test_demo_load_leaves_a_database_in_use_alone():
    make_agent("Astrid Admin", role="admin", email="astrid@nordesk.test")
    result = seed.demo_load(tickets=10, seed=1)
    assert result == seed.DemoResult(created=False, tickets=0, customers=0, demo_admin=False)
    assert Agent.objects.count() == 1
